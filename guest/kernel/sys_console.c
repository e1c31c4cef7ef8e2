/* sys_console.c: stand-ins for write/writev/ioctl on fds 1 and 2 until guest/fs provides them. */
#include "console.h"
#include "fs_abi.h"
#include "proc.h"
#include "syscalls.h"
#include "uaccess.h"

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

/* ioctl: the console is not a terminal, so TCGETS and TIOCGWINSZ give ENOTTY. */
static long fallback_ioctl(int fd, unsigned cmd, uaddr_t arg)
{
	(void)cmd;
	(void)arg;
	return fd >= 0 && fd <= 2 ? -ENOTTY : -EBADF;
}
SYSCALL_FALLBACK(16, ioctl, fallback_ioctl);
