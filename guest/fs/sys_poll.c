/* sys_poll.c: poll, ppoll, select and pselect6 over pipes, the console and files. */
#include "fs_env.h"
#include "fs_sys.h"
#include "ktime.h"
#include "sched.h"
#include "sigdeliver.h"
#include "syscalls.h"
#include "uaccess.h"

#define POLLRDNORM 0x040
#define POLLWRNORM 0x100
#define POLL_MAX   VFS_FD_MAX   /* RLIMIT_NOFILE: more fds are EINVAL */

/* Every poll and select sleeps on this; anything that changes wakes them all. */
static char poll_chan;

void vfs_poll_wake(void)
{
	sched_wakeup(&poll_chan);
}

/* The events ready on f, with the *NORM aliases Linux reports. */
static unsigned int poll_file(struct file *f)
{
	unsigned int ev = f->ops && f->ops->poll ? f->ops->poll(f) : VFS_POLLIN | VFS_POLLOUT;

	if (ev & VFS_POLLIN)
		ev |= POLLRDNORM;
	if (ev & VFS_POLLOUT)
		ev |= POLLWRNORM;
	return ev;
}

/* A relative timeout in ns as an absolute deadline; 0 means none (block). */
static uint64_t poll_deadline(int64_t ns)
{
	return ktime_mono_ns() + (uint64_t)ns + 1;
}

struct linux_pollfd {
	int32_t fd;
	int16_t events, revents;
};

/* One pass over the fds: fill revents, return how many have some. */
static int poll_scan(struct linux_pollfd *pfd, size_t n)
{
	int ready = 0;

	for (size_t i = 0; i < n; i++) {
		struct file *f = pfd[i].fd >= 0 ? fdt_get(vfs_current(), pfd[i].fd) : NULL;
		unsigned int want = (uint16_t)pfd[i].events | VFS_POLLERR | VFS_POLLHUP;

		if (pfd[i].fd < 0)
			pfd[i].revents = 0;
		else if (!f)
			pfd[i].revents = VFS_POLLNVAL;
		else
			pfd[i].revents = (int16_t)(poll_file(f) & want);
		if (pfd[i].revents)
			ready++;
	}
	return ready;
}

/* poll with timeout_ns < 0 meaning forever. */
static long do_poll(uaddr_t ufds, uint64_t n, int64_t timeout_ns)
{
	struct linux_pollfd *pfd;
	uint64_t deadline = timeout_ns > 0 ? poll_deadline(timeout_ns) : 0;
	long ret;

	if (n > POLL_MAX)
		return -EINVAL;
	pfd = kmalloc(n * sizeof(*pfd) + 1);
	if (!pfd)
		return -ENOMEM;
	if (copy_from_user(pfd, ufds, n * sizeof(*pfd))) {
		kfree(pfd);
		return -EFAULT;
	}
	for (;;) {
		int err;

		ret = poll_scan(pfd, n);
		if (ret || timeout_ns == 0)
			break;
		err = sched_sleep(&poll_chan, deadline);
		if (err == -ETIMEDOUT || err == -EINTR) {
			ret = err == -EINTR ? -ERESTARTNOHAND : 0;
			if (!ret)
				poll_scan(pfd, n);
			break;
		}
	}
	if (ret >= 0 && copy_to_user(ufds, pfd, n * sizeof(*pfd)))
		ret = -EFAULT;
	kfree(pfd);
	return ret;
}

static long sys_poll(uaddr_t fds, uint64_t n, int64_t timeout_ms)
{
	int32_t ms = (int32_t)timeout_ms;

	return do_poll(fds, n, ms < 0 ? -1 : (int64_t)ms * 1000000);
}
SYSCALL_REGISTER(7, poll, sys_poll);

struct linux_timespec {
	int64_t tv_sec, tv_nsec;
};

/* A user timespec as ns (-1 for NULL: forever); -EINVAL/-EFAULT on error. */
static int64_t timespec_ns(uaddr_t uts, int *err)
{
	struct linux_timespec ts;

	*err = 0;
	if (!uts)
		return -1;
	if (copy_from_user(&ts, uts, sizeof(ts))) {
		*err = -EFAULT;
		return 0;
	}
	if (ts.tv_sec < 0 || ts.tv_nsec < 0 || ts.tv_nsec >= 1000000000) {
		*err = -EINVAL;
		return 0;
	}
	if (ts.tv_sec > INT64_MAX / 1000000000 - 1)
		return -1;
	return ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static long sys_ppoll(uaddr_t fds, uint64_t n, uaddr_t tsp, uaddr_t sigmask, uint64_t size)
{
	int err;
	int64_t ns = timespec_ns(tsp, &err);
	long ret;

	if (err)
		return err;
	if ((err = signal_mask_swap(sigmask, size)))
		return err;
	ret = do_poll(fds, n, ns);
	signal_mask_restore(ret == -ERESTARTNOHAND);
	return ret;
}
SYSCALL_REGISTER(271, ppoll, sys_ppoll);

/* select's three fd sets, read from the user (nfds bits each). */
struct select_sets {
	uint64_t in[POLL_MAX / 64], out[POLL_MAX / 64], ex[POLL_MAX / 64];
	uint64_t rin[POLL_MAX / 64], rout[POLL_MAX / 64], rex[POLL_MAX / 64];
};

static bool bit_of(const uint64_t *set, int fd)
{
	return set[fd / 64] >> (fd % 64) & 1;
}

/* One pass: the result sets and the number of bits in them, or -EBADF. */
static int select_scan(struct select_sets *s, int nfds)
{
	int ready = 0;

	memset(s->rin, 0, sizeof(s->rin) * 3);
	for (int fd = 0; fd < nfds; fd++) {
		bool r = bit_of(s->in, fd), w = bit_of(s->out, fd), x = bit_of(s->ex, fd);
		struct file *f;
		unsigned int ev;

		if (!r && !w && !x)
			continue;
		if (!(f = fdt_get(vfs_current(), fd)))
			return -EBADF;
		ev = poll_file(f);
		if (r && (ev & (VFS_POLLIN | VFS_POLLHUP | VFS_POLLERR))) {
			s->rin[fd / 64] |= 1ULL << (fd % 64);
			ready++;
		}
		if (w && (ev & (VFS_POLLOUT | VFS_POLLERR))) {
			s->rout[fd / 64] |= 1ULL << (fd % 64);
			ready++;
		}
		if (x && (ev & VFS_POLLPRI)) {
			s->rex[fd / 64] |= 1ULL << (fd % 64);
			ready++;
		}
	}
	return ready;
}

/* Copy one set in or out (NULL pointers are empty sets). */
static int select_copy(uaddr_t u, uint64_t *set, size_t bytes, bool out)
{
	if (!u) {
		if (!out)
			memset(set, 0, POLL_MAX / 8);
		return 0;
	}
	if (out)
		return copy_to_user(u, set, bytes);
	memset(set, 0, POLL_MAX / 8);
	return copy_from_user(set, u, bytes);
}

static long do_select(int nfds, uaddr_t in, uaddr_t out, uaddr_t ex, int64_t timeout_ns)
{
	struct select_sets *s;
	size_t bytes = (size_t)(nfds + 63) / 64 * 8;
	uint64_t deadline = timeout_ns > 0 ? poll_deadline(timeout_ns) : 0;
	long ret;

	if (nfds < 0 || nfds > POLL_MAX)
		return -EINVAL;
	if (!(s = kmalloc(sizeof(*s))))
		return -ENOMEM;
	ret = -EFAULT;
	if (select_copy(in, s->in, bytes, false) || select_copy(out, s->out, bytes, false) ||
	    select_copy(ex, s->ex, bytes, false))
		goto out;
	for (;;) {
		int err;

		ret = select_scan(s, nfds);
		if (ret || timeout_ns == 0)
			break;
		err = sched_sleep(&poll_chan, deadline);
		if (err == -EINTR) {
			ret = -ERESTARTNOHAND;
			break;
		}
		if (err == -ETIMEDOUT) {
			ret = select_scan(s, nfds);
			break;
		}
	}
	if (ret >= 0 && (select_copy(in, s->rin, bytes, true) ||
			 select_copy(out, s->rout, bytes, true) ||
			 select_copy(ex, s->rex, bytes, true)))
		ret = -EFAULT;
out:
	kfree(s);
	return ret;
}

struct linux_timeval {
	int64_t tv_sec, tv_usec;
};

static long sys_select(int nfds, uaddr_t in, uaddr_t out, uaddr_t ex, uaddr_t utv)
{
	struct linux_timeval tv;
	int64_t ns = -1;

	if (utv) {
		if (copy_from_user(&tv, utv, sizeof(tv)))
			return -EFAULT;
		if (tv.tv_sec < 0 || tv.tv_usec < 0 || tv.tv_usec >= 1000000)
			return -EINVAL;
		ns = tv.tv_sec > INT64_MAX / 1000000000 - 1 ? -1 :
		     tv.tv_sec * 1000000000 + tv.tv_usec * 1000;
	}
	return do_select(nfds, in, out, ex, ns);
}
SYSCALL_REGISTER(23, select, sys_select);

/* pselect6's sixth argument: { const sigset_t *ss; size_t ss_len; }. */
static long sys_pselect6(int nfds, uaddr_t in, uaddr_t out, uaddr_t ex, uaddr_t tsp,
			 uaddr_t usig)
{
	uint64_t sig[2] = { 0, 0 };
	int err;
	int64_t ns = timespec_ns(tsp, &err);
	long ret;

	if (err)
		return err;
	if (usig && copy_from_user(sig, usig, sizeof(sig)))
		return -EFAULT;
	if ((err = signal_mask_swap(sig[0], sig[0] ? sig[1] : 8)))
		return err;
	ret = do_select(nfds, in, out, ex, ns);
	signal_mask_restore(ret == -ERESTARTNOHAND);
	return ret;
}
SYSCALL_REGISTER(270, pselect6, sys_pselect6);
