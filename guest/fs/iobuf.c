/* iobuf.c: copying file data to and from kernel or user buffers (struct vfs_iobuf). */
#include "fs_env.h"

#ifdef __MODVISOR_GUEST__
#include "uaccess.h"
#endif

/* iobuf_copy_out(b, at, src, n): copy n bytes to b at offset at; 0 or -EFAULT. */
int iobuf_copy_out(struct vfs_iobuf *b, size_t at, const void *src, size_t n)
{
	if (n == 0)
		return 0;
#ifdef __MODVISOR_GUEST__
	if (b->user)
		return copy_to_user(b->addr + at, src, n);
#else
	if (b->user && b->addr < 4096)
		return -EFAULT;     /* host tests model a bad user pointer */
#endif
	memcpy((char *)b->addr + at, src, n);
	return 0;
}

/* iobuf_copy_in(dst, b, at, n): copy n bytes from b at offset at; 0 or -EFAULT. */
int iobuf_copy_in(void *dst, struct vfs_iobuf *b, size_t at, size_t n)
{
	if (n == 0)
		return 0;
#ifdef __MODVISOR_GUEST__
	if (b->user)
		return copy_from_user(dst, b->addr + at, n);
#else
	if (b->user && b->addr < 4096)
		return -EFAULT;
#endif
	memcpy(dst, (const char *)b->addr + at, n);
	return 0;
}
