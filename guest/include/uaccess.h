/* uaccess.h: the one place where user pointers are checked and dereferenced. */
#ifndef MV_GUEST_UACCESS_H
#define MV_GUEST_UACCESS_H

#include "kernel.h"

/*
 * Every access goes through the current process's page tables in software:
 * each page of the range must be in the user half, present, user-accessible
 * and (for writes) writable; the bytes are then copied through the kernel's
 * direct map.  So a bad pointer can only produce -EFAULT, never a kernel
 * page fault, and there is no SMAP/fixup machinery to get wrong.
 */

/* copy_from_user(dst, src, n): 0, or -EFAULT if any byte is not readable. */
int copy_from_user(void *dst, uaddr_t src, size_t n);
/* copy_to_user(dst, src, n): 0, or -EFAULT if any byte is not writable. */
int copy_to_user(uaddr_t dst, const void *src, size_t n);
/* (to, from, n): the modules' copies (the SDK's <linux/uaccess.h>): bytes NOT copied, 0 on success. */
unsigned long _copy_from_user(void *to, uaddr_t from, unsigned long n);
unsigned long _copy_to_user(uaddr_t to, const void *from, unsigned long n);
/* clear_user(dst, n): zero n user bytes; 0 or -EFAULT. */
int clear_user(uaddr_t dst, size_t n);
/*
 * strncpy_from_user(dst, src, size): copy a NUL-terminated user string into
 * dst[size].  Returns its length (without the NUL), -EFAULT, or
 * -ENAMETOOLONG when no NUL is found in the first size bytes.
 */
long strncpy_from_user(char *dst, uaddr_t src, size_t size);
/*
 * strnlen_user(src, max): the length (without the NUL) of the user string
 * at src, looking at most max bytes.  Returns it, -EFAULT, or -ENAMETOOLONG
 * when no NUL is found in the first max bytes.
 */
long strnlen_user(uaddr_t src, size_t max);
/* access_ok_user(addr, n, write): would a copy of n bytes succeed? */
bool access_ok_user(uaddr_t addr, size_t n, bool write);

/* get_user_u64(v, src) / put_user_u64(dst, v): 8-byte helpers; 0 or -EFAULT. */
int get_user_u64(uint64_t *v, uaddr_t src);
int put_user_u64(uaddr_t dst, uint64_t v);

#endif
