/* kernel.h: ARRAY_SIZE, min/max, snprintf() and the printk family. */
#ifndef _MV_SDK_LINUX_KERNEL_H
#define _MV_SDK_LINUX_KERNEL_H

#include <linux/compiler.h>
#include <linux/types.h>
#include <linux/printk.h>

#define ARRAY_SIZE(a)  (sizeof(a) / sizeof((a)[0]))
#define min(a, b)      ((a) < (b) ? (a) : (b))
#define max(a, b)      ((a) > (b) ? (a) : (b))

/* snprintf(buf, size, fmt, ...): printk()'s formats into buf; returns the untruncated length. */
int snprintf(char *buf, size_t size, const char *fmt, ...) __printf(3, 4);
/* vsnprintf(buf, size, fmt, args): snprintf() with a va_list. */
int vsnprintf(char *buf, size_t size, const char *fmt, va_list args);

#endif
