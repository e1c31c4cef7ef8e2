/* stdio.h: the guest kernel's formatting functions (guest/lib/vsnprintf.c), under their libc names. */
#ifndef MV_GUEST_STDIO_H
#define MV_GUEST_STDIO_H

#include <stdarg.h>
#include <stddef.h>

/*
 * The conversions of printk (kernel.h).  Code compiled for both the guest
 * and the host (guest/module/decompress.c) includes <stdio.h> and gets
 * these in the guest, glibc's on the host.
 */

/* snprintf(buf, size, fmt, ...): format into buf; returns the full length. */
int snprintf(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* vsnprintf(buf, size, fmt, ap): snprintf with a va_list. */
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);

#endif
