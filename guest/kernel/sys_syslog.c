/* sys_syslog.c: the kernel's log buffer (printk's copy of every line) and syslog(2), for dmesg. */
#include <generated/autoconf.h>
#include "klog.h"
#include "ktime.h"
#include "mm.h"
#include "proc.h"
#include "syscalls.h"
#include "uaccess.h"

#define CAP_SYS_ADMIN  21
#define CAP_SYSLOG     34

/* 1 << CONFIG_LOG_BUF_SHIFT (guest/kernel.config: 17, Linux's default, 128 KiB). */
#define KLOG_BUF_SIZE  (1u << CONFIG_LOG_BUF_SHIFT)

/* syslog(2)'s actions, as in Linux's include/linux/syslog.h. */
enum {
	SYSLOG_ACTION_CLOSE, SYSLOG_ACTION_OPEN, SYSLOG_ACTION_READ,
	SYSLOG_ACTION_READ_ALL, SYSLOG_ACTION_READ_CLEAR, SYSLOG_ACTION_CLEAR,
	SYSLOG_ACTION_CONSOLE_OFF, SYSLOG_ACTION_CONSOLE_ON,
	SYSLOG_ACTION_CONSOLE_LEVEL, SYSLOG_ACTION_SIZE_UNREAD,
	SYSLOG_ACTION_SIZE_BUFFER,
};

/* Static, so printk() can log from the first instruction of kmain(). */
static char klog_buf[KLOG_BUF_SIZE];
static struct klog kernel_log = { .buf = klog_buf, .size = sizeof(klog_buf) };

void klog_printk(const char *s, size_t n)
{
	klog_write(&kernel_log, s, n, ktime_mono_ns());
}

/*
 * syslog_copy_out(buf, len, clear, consume): the READ actions through a
 * kernel buffer (the ring wraps; the user buffer may fault).
 */
static long syslog_copy_out(uaddr_t buf, size_t len, bool clear, bool consume)
{
	size_t n = MIN(len, (size_t)KLOG_BUF_SIZE);
	char *tmp = kmalloc(n);
	long ret;

	if (!tmp)
		return -ENOMEM;
	n = consume ? klog_read(&kernel_log, tmp, n) : klog_read_all(&kernel_log, tmp, n);
	ret = copy_to_user(buf, tmp, n) ? -EFAULT : (long)n;
	if (ret >= 0 && clear)
		klog_clear(&kernel_log);
	kfree(tmp);
	return ret;
}

/*
 * syslog(type, buf, len), as Linux's do_syslog() with dmesg_restrict=1
 * (Debian's default): every action needs CAP_SYSLOG (or CAP_SYS_ADMIN).
 * READ does not wait: nothing could log while this, the only process,
 * waits.  The console actions are checked and accepted, but every message
 * still goes to the console.
 */
static long sys_syslog(int type, uaddr_t buf, int len)
{
	if (!capable(CAP_SYSLOG) && !capable(CAP_SYS_ADMIN))
		return -EPERM;
	switch (type) {
	case SYSLOG_ACTION_CLOSE:
	case SYSLOG_ACTION_OPEN:
	case SYSLOG_ACTION_CONSOLE_OFF:
	case SYSLOG_ACTION_CONSOLE_ON:
		return 0;
	case SYSLOG_ACTION_READ:
	case SYSLOG_ACTION_READ_ALL:
	case SYSLOG_ACTION_READ_CLEAR:
		if (!buf || len < 0)
			return -EINVAL;
		if (len == 0)
			return 0;
		return syslog_copy_out(buf, (size_t)len, type == SYSLOG_ACTION_READ_CLEAR,
				       type == SYSLOG_ACTION_READ);
	case SYSLOG_ACTION_CLEAR:
		klog_clear(&kernel_log);
		return 0;
	case SYSLOG_ACTION_CONSOLE_LEVEL:
		return len < 1 || len > 8 ? -EINVAL : 0;
	case SYSLOG_ACTION_SIZE_UNREAD:
		return (long)klog_unread(&kernel_log);
	case SYSLOG_ACTION_SIZE_BUFFER:
		return KLOG_BUF_SIZE;
	default:
		return -EINVAL;
	}
}
SYSCALL_REGISTER(103, syslog, sys_syslog);
