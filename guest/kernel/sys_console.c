/* sys_console.c: ioctl (the console's terminal ioctls, FIONBIO), and write/writev stand-ins for kernels without guest/fs. */
#include "console.h"
#include "fs_abi.h"
#include "proc.h"
#include "syscalls.h"
#include "uaccess.h"
#include "vfs.h"
#include "tty.h"

#pragma weak vfs_fd_get
#pragma weak vfs_file_put
#pragma weak vfs_file_is_console

/*
 * Registered with SYSCALL_FALLBACK: the file system's real handlers (same
 * numbers) replace these at boot.  They keep a kernel without guest/fs able
 * to run `echo hello`.
 */
static long fallback_write(int fd, uaddr_t buf, uint64_t len)
{
	if (fd != 1 && fd != 2)
		return -EBADF;
	return console_write_user(fd == 1 ? MV_CONSOLE_STDOUT : MV_CONSOLE_STDERR,
				  buf, len);
}
SYSCALL_FALLBACK(1, write, fallback_write);

static long fallback_writev(int fd, uaddr_t iov, int iovcnt)
{
	long total = 0;

	if (iovcnt < 0 || iovcnt > UIO_MAXIOV)
		return -EINVAL;
	for (int i = 0; i < iovcnt; i++) {
		struct linux_iovec v;
		long n;

		if (copy_from_user(&v, iov + (uint64_t)i * sizeof(v), sizeof(v)))
			return total ? total : -EFAULT;
		n = fallback_write(fd, v.iov_base, v.iov_len);
		if (n < 0)
			return total ? total : n;
		total += n;
	}
	return total;
}
SYSCALL_FALLBACK(20, writev, fallback_writev);

#define FIONBIO 0x5421

/*
 * ioctl: the console is a terminal when the host's stdin is one (tty.c);
 * FIONBIO works on every fd; anything else is ENOTTY, as Linux answers
 * TCGETS and TIOCGWINSZ on a pipe.
 */
static long sys_ioctl(int fd, unsigned cmd, uaddr_t arg)
{
	struct file *f;
	long ret;
	int32_t on;

	if (!vfs_fd_get)
		return fd >= 0 && fd <= 2 ? -ENOTTY : -EBADF;
	if (vfs_fd_get(current->fs, fd, &f))
		return -EBADF;
	if (cmd == FIONBIO) {
		ret = copy_from_user(&on, arg, sizeof(on));
		if (!ret)
			f->flags = on ? f->flags | O_NONBLOCK : f->flags & ~(uint32_t)O_NONBLOCK;
	} else {
		ret = vfs_file_is_console && vfs_file_is_console(f) ? tty_ioctl(cmd, arg) : -ENOTTY;
	}
	vfs_file_put(f);
	return ret;
}
SYSCALL_REGISTER(16, ioctl, sys_ioctl);
