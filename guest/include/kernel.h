/* kernel.h: basic types, helper macros, printk() and panic() of the guest kernel. */
#ifndef MV_GUEST_KERNEL_H
#define MV_GUEST_KERNEL_H

#include <stdarg.h>
#include <stdio.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <errno.h>
#include <string.h>

/*
 * A user-space address.  It is an integer on purpose: kernel code cannot
 * dereference it by mistake and must go through uaccess.h, the one place
 * where user pointers are checked.
 */
typedef uint64_t uaddr_t;
typedef int64_t ssize_t;

#define PAGE_SHIFT      12
#define PAGE_SIZE       4096ULL
#define PAGE_MASK       (~(PAGE_SIZE - 1))

#define ALIGN_UP(x, a)    (((x) + ((a) - 1)) & ~((__typeof__(x))(a) - 1))
#define ALIGN_DOWN(x, a)  ((x) & ~((__typeof__(x))(a) - 1))
#define ARRAY_SIZE(a)     (sizeof(a) / sizeof((a)[0]))
#define MIN(a, b)         ((a) < (b) ? (a) : (b))
#define MAX(a, b)         ((a) > (b) ? (a) : (b))
#define container_of(p, type, member) \
	((type *)((char *)(p) - offsetof(type, member)))

#define __noreturn  __attribute__((noreturn))
#define __printf(a, b)  __attribute__((format(printf, a, b)))
#define unlikely(x) __builtin_expect(!!(x), 0)
#define likely(x)   __builtin_expect(!!(x), 1)

/*
 * printk(fmt, ...): format into the kernel console (the host's stderr;
 * guest programs' stdout is the host's stdout).  Supports %d %i %u %x %X %o
 * %c %s %p %% with the flags '-' '0', a width (or *), a precision for %s
 * (or .*), and the length modifiers l ll z h hh.  Buffered per line.
 */
__printf(1, 2) void printk(const char *fmt, ...);
/* vprintk(fmt, ap): printk with a va_list. */
void vprintk(const char *fmt, va_list ap);
/* snprintf, vsnprintf: <stdio.h>. */

/* panic(fmt, ...): print "kernel panic: ..." and stop the VM with status 111. */
__printf(1, 2) __noreturn void panic(const char *fmt, ...);

#define BUG_ON(c) do { if (unlikely(c)) \
	panic("BUG at %s:%d: %s", __FILE__, __LINE__, #c); } while (0)

/* Set by the "quiet" kernel command-line word: info messages are dropped. */
extern bool kernel_quiet;

#endif
