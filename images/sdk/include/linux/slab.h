/* slab.h: kmalloc(), kzalloc() and kfree(), the module heap. */
#ifndef _MV_SDK_LINUX_SLAB_H
#define _MV_SDK_LINUX_SLAB_H

#include <linux/types.h>

/* GFP flags, Linux's values, for source compatibility: the guest's allocator ignores them. */
#define __GFP_ZERO   0x100u
#define GFP_ATOMIC   0xa20u
#define GFP_KERNEL   0xcc0u

/*
 * kmalloc(size, flags): size bytes, at least 8-byte aligned, or NULL.
 * flags are ignored (use kzalloc() for zeroed memory).
 */
void *kmalloc(size_t size, gfp_t flags);
/* kzalloc(size, flags): kmalloc() that returns zeroed memory. */
void *kzalloc(size_t size, gfp_t flags);
/* kfree(p): free what kmalloc()/kzalloc() returned; kfree(NULL) does nothing. */
void kfree(const void *p);

#endif
