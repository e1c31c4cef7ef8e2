/* uaccess.h: copy_from_user() and copy_to_user(), a module's only way to user memory. */
#ifndef _MV_SDK_LINUX_UACCESS_H
#define _MV_SDK_LINUX_UACCESS_H

#include <linux/compiler.h>
#include <linux/types.h>

/*
 * _copy_from_user(to, from, n), _copy_to_user(to, from, n): the kernel's
 * checked copies; the number of bytes NOT copied (0 on success).  A failed
 * copy_from_user() zero-fills to.
 */
unsigned long _copy_from_user(void *to, const void __user *from, unsigned long n);
unsigned long _copy_to_user(void __user *to, const void *from, unsigned long n);

static inline unsigned long copy_from_user(void *to, const void __user *from, unsigned long n)
{
	return _copy_from_user(to, from, n);
}

static inline unsigned long copy_to_user(void __user *to, const void *from, unsigned long n)
{
	return _copy_to_user(to, from, n);
}

#endif
