/* printk.h: printk(), the KERN_* levels and the pr_*() shorthands. */
#ifndef _MV_SDK_LINUX_PRINTK_H
#define _MV_SDK_LINUX_PRINTK_H

#include <linux/compiler.h>
#include <linux/types.h>

/* A level is "\001" followed by a digit, prepended to the format, as in Linux. */
#define KERN_SOH      "\001"
#define KERN_EMERG    KERN_SOH "0"
#define KERN_ALERT    KERN_SOH "1"
#define KERN_CRIT     KERN_SOH "2"
#define KERN_ERR      KERN_SOH "3"
#define KERN_WARNING  KERN_SOH "4"
#define KERN_NOTICE   KERN_SOH "5"
#define KERN_INFO     KERN_SOH "6"
#define KERN_DEBUG    KERN_SOH "7"
#define KERN_DEFAULT  ""
#define KERN_CONT     KERN_SOH "c"

/*
 * printk(fmt, ...): write to the guest kernel's console.  Returns the number
 * of characters written.  Conversions: %d %i %u %x %X %o %c %s %p %% with
 * flags '-' '0', a width or *, a %s precision or .*, and the length
 * modifiers hh h l ll z.
 */
int printk(const char *fmt, ...) __printf(1, 2);
/* vprintk(fmt, args): printk() with a va_list. */
int vprintk(const char *fmt, va_list args);

#ifndef pr_fmt
#define pr_fmt(fmt) fmt
#endif

#define pr_emerg(fmt, ...)   printk(KERN_EMERG pr_fmt(fmt), ##__VA_ARGS__)
#define pr_alert(fmt, ...)   printk(KERN_ALERT pr_fmt(fmt), ##__VA_ARGS__)
#define pr_crit(fmt, ...)    printk(KERN_CRIT pr_fmt(fmt), ##__VA_ARGS__)
#define pr_err(fmt, ...)     printk(KERN_ERR pr_fmt(fmt), ##__VA_ARGS__)
#define pr_warn(fmt, ...)    printk(KERN_WARNING pr_fmt(fmt), ##__VA_ARGS__)
#define pr_notice(fmt, ...)  printk(KERN_NOTICE pr_fmt(fmt), ##__VA_ARGS__)
#define pr_info(fmt, ...)    printk(KERN_INFO pr_fmt(fmt), ##__VA_ARGS__)
#define pr_cont(fmt, ...)    printk(KERN_CONT fmt, ##__VA_ARGS__)
#define pr_debug(fmt, ...)   printk(KERN_DEBUG pr_fmt(fmt), ##__VA_ARGS__)

#endif
