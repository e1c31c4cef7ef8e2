/* sys_file.c: fd syscalls: open/openat/creat, read/write(v), pread/pwrite, lseek, close, dup, fcntl, ftruncate. */
#include "fs_env.h"
#include "fs_sys.h"
#include "syscalls.h"
#include "uaccess.h"

/* fs_getname(src, out): copy a user path into a new kernel buffer (kfree it). */
int fs_getname(uaddr_t src, char **out)
{
	char *buf = kmalloc(VFS_PATH_MAX);
	long n;

	if (!buf)
		return -ENOMEM;
	n = strncpy_from_user(buf, src, VFS_PATH_MAX);
	if (n < 0) {
		kfree(buf);
		return (int)n;
	}
	*out = buf;
	return 0;
}

/* fs_fd(fd, out): the current process's file at fd (no new reference). */
int fs_fd(int fd, struct file **out)
{
	struct file *f = fdt_get(vfs_current(), fd);

	if (!f)
		return -EBADF;
	*out = f;
	return 0;
}

static long do_openat(int dirfd, uaddr_t upath, uint32_t flags, uint32_t mode)
{
	struct vfs_proc *p = vfs_current();
	struct file *f;
	char *path = NULL;
	int err, fd;

	if ((err = fs_getname(upath, &path)) < 0)
		return err;
	err = vfs_open(p, dirfd, path, flags, mode, &f);
	kfree(path);
	if (err < 0)
		return err;
	if ((fd = fdt_install(p, f, 0, flags & O_CLOEXEC)) < 0)
		vfs_file_put(f);
	return fd;
}

static long sys_openat(uint64_t dirfd, uint64_t path, uint64_t flags, uint64_t mode)
{
	return do_openat((int)dirfd, path, (uint32_t)flags, (uint32_t)mode);
}
SYSCALL_REGISTER(257, openat, sys_openat);

static long sys_open(uint64_t path, uint64_t flags, uint64_t mode)
{
	return do_openat(AT_FDCWD, path, (uint32_t)flags, (uint32_t)mode);
}
SYSCALL_REGISTER(2, open, sys_open);

static long sys_creat(uint64_t path, uint64_t mode)
{
	return do_openat(AT_FDCWD, path, O_CREAT | O_WRONLY | O_TRUNC, (uint32_t)mode);
}
SYSCALL_REGISTER(85, creat, sys_creat);

static long sys_close(uint64_t fd)
{
	return fdt_close(vfs_current(), (int)fd);
}
SYSCALL_REGISTER(3, close, sys_close);

/* fs_rw(f, ubuf, len, off, write): one read or write at *off (advanced). */
static long fs_rw(struct file *f, uaddr_t ubuf, size_t len, uint64_t *off, bool write)
{
	struct vfs_iobuf b = { .addr = ubuf, .len = len, .user = true };
	long n;

	if (write ? !f->writable : !f->readable)
		return -EBADF;
	/* No up-front check of the whole buffer: as in Linux, only the bytes
	 * actually copied must be valid, and the copy gives EFAULT. */
	if (len > 0x7ffff000)
		b.len = 0x7ffff000;         /* Linux's MAX_RW_COUNT */
	if (write && (f->flags & O_APPEND) && f->ops->seekable)
		*off = f->inode->size;
	if (write)
		n = f->ops->write ? f->ops->write(f, &b, *off) : -EINVAL;
	else
		n = f->ops->read ? f->ops->read(f, &b, *off) : -EINVAL;
	if (n > 0)
		*off += (uint64_t)n;
	return n;
}

static long sys_read(uint64_t fd, uint64_t buf, uint64_t count)
{
	struct file *f;
	int err = fs_fd((int)fd, &f);
	return err < 0 ? err : fs_rw(f, buf, count, &f->pos, false);
}
SYSCALL_REGISTER(0, read, sys_read);

static long sys_write(uint64_t fd, uint64_t buf, uint64_t count)
{
	struct file *f;
	int err = fs_fd((int)fd, &f);
	return err < 0 ? err : fs_rw(f, buf, count, &f->pos, true);
}
SYSCALL_REGISTER(1, write, sys_write);

static long do_prw(uint64_t fd, uint64_t buf, uint64_t count, uint64_t pos, bool write)
{
	struct file *f;
	uint64_t off = pos;
	int err = fs_fd((int)fd, &f);

	if (err < 0)
		return err;
	if ((int64_t)pos < 0)
		return -EINVAL;
	if (!f->ops->seekable)
		return -ESPIPE;
	if (write && (f->flags & O_APPEND))
		return fs_rw(f, buf, count, &off, true);    /* Linux appends anyway */
	return fs_rw(f, buf, count, &off, write);
}

static long sys_pread64(uint64_t fd, uint64_t buf, uint64_t count, uint64_t pos)
{
	return do_prw(fd, buf, count, pos, false);
}
SYSCALL_REGISTER(17, pread64, sys_pread64);

static long sys_pwrite64(uint64_t fd, uint64_t buf, uint64_t count, uint64_t pos)
{
	return do_prw(fd, buf, count, pos, true);
}
SYSCALL_REGISTER(18, pwrite64, sys_pwrite64);

/* do_rwv: readv/writev: one fs_rw per iovec, stopping at a short transfer. */
static long do_rwv(uint64_t fd, uint64_t uiov, uint64_t cnt, bool write)
{
	struct file *f;
	long total = 0;
	int err = fs_fd((int)fd, &f);

	if (err < 0)
		return err;
	if (cnt > UIO_MAXIOV)
		return -EINVAL;
	for (uint64_t i = 0; i < cnt; i++) {
		struct linux_iovec iov;
		if (copy_from_user(&iov, uiov + i * sizeof(iov), sizeof(iov)) < 0)
			return total ? total : -EFAULT;
		if ((int64_t)iov.iov_len < 0 || (uint64_t)total + iov.iov_len > 0x7fffffff)
			return total ? total : -EINVAL;
		if (iov.iov_len == 0)
			continue;
		long n = fs_rw(f, iov.iov_base, iov.iov_len, &f->pos, write);
		if (n < 0)
			return total ? total : n;
		total += n;
		if ((uint64_t)n < iov.iov_len)
			break;
	}
	return total;
}

static long sys_readv(uint64_t fd, uint64_t iov, uint64_t cnt)
{
	return do_rwv(fd, iov, cnt, false);
}
SYSCALL_REGISTER(19, readv, sys_readv);

static long sys_writev(uint64_t fd, uint64_t iov, uint64_t cnt)
{
	return do_rwv(fd, iov, cnt, true);
}
SYSCALL_REGISTER(20, writev, sys_writev);

static long sys_lseek(uint64_t fd, uint64_t offset, uint64_t whence)
{
	struct file *f;
	int64_t base, pos;
	int err = fs_fd((int)fd, &f);

	if (err < 0)
		return err;
	if (!f->ops || !f->ops->seekable)
		return -ESPIPE;
	switch (whence) {
	case SEEK_SET: base = 0; break;
	case SEEK_CUR: base = (int64_t)f->pos; break;
	case SEEK_END: base = (int64_t)f->inode->size; break;
	default: return -EINVAL;
	}
	if (__builtin_add_overflow(base, (int64_t)offset, &pos))
		return -EOVERFLOW;
	if (pos < 0)
		return -EINVAL;
	f->pos = (uint64_t)pos;
	return pos;
}
SYSCALL_REGISTER(8, lseek, sys_lseek);

static long sys_dup(uint64_t oldfd)
{
	struct file *f;
	int err = fs_fd((int)oldfd, &f), fd;

	if (err < 0)
		return err;
	vfs_file_get(f);
	if ((fd = fdt_install(vfs_current(), f, 0, false)) < 0)
		vfs_file_put(f);
	return fd;
}
SYSCALL_REGISTER(32, dup, sys_dup);

static long sys_dup3(uint64_t oldfd, uint64_t newfd, uint64_t flags)
{
	struct file *f;
	int err;

	if (flags & ~(uint64_t)O_CLOEXEC)
		return -EINVAL;
	if ((err = fs_fd((int)oldfd, &f)) < 0)
		return err;
	if (oldfd == newfd)
		return -EINVAL;
	return fdt_dup_to(vfs_current(), f, (int)newfd, flags & O_CLOEXEC);
}
SYSCALL_REGISTER(292, dup3, sys_dup3);

static long sys_dup2(uint64_t oldfd, uint64_t newfd)
{
	struct file *f;
	int err = fs_fd((int)oldfd, &f);

	if (err < 0)
		return err;
	if (oldfd == newfd)
		return (long)newfd;
	return fdt_dup_to(vfs_current(), f, (int)newfd, false);
}
SYSCALL_REGISTER(33, dup2, sys_dup2);

static long sys_fcntl(uint64_t fd, uint64_t cmd, uint64_t arg)
{
	struct vfs_proc *p = vfs_current();
	struct file *f;
	int err = fs_fd((int)fd, &f), nfd;
	const uint32_t settable = O_APPEND | O_NONBLOCK | O_NOATIME | O_DIRECT;

	if (err < 0)
		return err;
	switch (cmd) {
	case F_DUPFD:
	case F_DUPFD_CLOEXEC:
		if ((int64_t)arg < 0 || arg >= VFS_FD_MAX)
			return -EINVAL;
		vfs_file_get(f);
		if ((nfd = fdt_install(p, f, (int)arg, cmd == F_DUPFD_CLOEXEC)) < 0)
			vfs_file_put(f);
		return nfd;
	case F_GETFD:
		return p->fd_cloexec[fd] ? FD_CLOEXEC : 0;
	case F_SETFD:
		p->fd_cloexec[fd] = (arg & FD_CLOEXEC) != 0;
		return 0;
	case F_GETFL:
		return f->flags;
	case F_SETFL:
		f->flags = (f->flags & ~settable) | ((uint32_t)arg & settable);
		return 0;
	default:
		return -EINVAL;
	}
}
SYSCALL_REGISTER(72, fcntl, sys_fcntl);

static long sys_ftruncate(uint64_t fd, uint64_t length)
{
	struct file *f;
	int err = fs_fd((int)fd, &f);

	if (err < 0)
		return err;
	if ((int64_t)length < 0)
		return -EINVAL;
	if (S_ISDIR(f->inode->mode))
		return -EISDIR;
	if (!f->writable || !S_ISREG(f->inode->mode))
		return -EINVAL;
	return vfs_truncate(f->inode, length);
}
SYSCALL_REGISTER(77, ftruncate, sys_ftruncate);

/*
 * sendfile(out, in, offset, count): copy through a kernel buffer.  With
 * offset != NULL the input position is *offset (updated) and in's own
 * position is left alone, as in Linux.
 */
static long sys_sendfile(uint64_t out_fd, uint64_t in_fd, uint64_t uoff, uint64_t count)
{
	struct file *in, *out;
	uint64_t off, done = 0;
	char *kbuf;
	int err;

	if ((err = fs_fd((int)in_fd, &in)) < 0 || (err = fs_fd((int)out_fd, &out)) < 0)
		return err;
	if (!in->readable || !out->writable)
		return -EBADF;
	if (uoff && (err = get_user_u64(&off, uoff)) < 0)
		return err;
	if (!uoff)
		off = in->pos;
	if (!(kbuf = kmalloc(PAGE_SIZE)))
		return -ENOMEM;
	while (done < count) {
		struct vfs_iobuf b = { (uintptr_t)kbuf, MIN(count - done, PAGE_SIZE), false };
		long n = in->ops->read ? in->ops->read(in, &b, off) : -EINVAL;
		if (n <= 0) {
			err = (int)n;
			break;
		}
		b.len = (size_t)n;
		uint64_t opos = (out->flags & O_APPEND) && out->ops->seekable ? out->inode->size : out->pos;
		long w = out->ops->write ? out->ops->write(out, &b, opos) : -EINVAL;
		if (w <= 0) {
			err = (int)w;
			break;
		}
		out->pos = opos + (uint64_t)w;
		off += (uint64_t)w;
		done += (uint64_t)w;
		if (w < n)
			break;
	}
	kfree(kbuf);
	if (uoff && put_user_u64(uoff, off) < 0 && !done)
		return -EFAULT;
	if (!uoff)
		in->pos = off;
	return done ? (long)done : err;
}
SYSCALL_REGISTER(40, sendfile, sys_sendfile);
