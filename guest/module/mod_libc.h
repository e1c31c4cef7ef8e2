/* mod_libc.h: the few libc pieces the module loader uses, on either side. */
#ifndef MOD_LIBC_H
#define MOD_LIBC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * The loader is compiled twice: into the guest kernel (freestanding, with
 * -nostdinc) and on the host for tests and the corpus tool.  On the host
 * <string.h> and <errno.h> are glibc's; in the guest they are the kernel's
 * when it has them, else the loader declares what it needs: the kernel
 * provides memcpy/memset/memcmp/strlen/strcmp because GCC may emit calls to
 * them anyway, and errno numbers are Linux's on both sides.
 */
#if !defined(__MODVISOR_GUEST__) || __has_include(<string.h>)
#include <string.h>
#else
void *memcpy(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
void *memchr(const void *s, int c, size_t n);
#endif

#if !defined(__MODVISOR_GUEST__) || __has_include(<errno.h>)
#include <errno.h>
#else
#define EPERM        1
#define ENOENT       2
#define EIO          5
#define ENOEXEC      8
#define EBADF        9
#define EAGAIN      11
#define EWOULDBLOCK EAGAIN
#define ENOMEM      12
#define EFAULT      14
#define EBUSY       16
#define EEXIST      17
#define EINVAL      22
#define ETXTBSY     26
#define EFBIG       27
#define ENOSPC      28
#define ERANGE      34
#define ENODATA     61
#define ENOPKG      65
#define EBADMSG     74
#define EOPNOTSUPP  95
#define EKEYREJECTED 129
#endif

/* Linux spells EAGAIN this way for delete_module(2). */
#ifndef EWOULDBLOCK
#define EWOULDBLOCK EAGAIN
#endif

#endif
