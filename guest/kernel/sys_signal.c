/* sys_signal.c: the signal syscalls: kill and friends, sigaction, masks, sigaltstack, alarm, itimers. */
#include "arch.h"
#include "ktime.h"
#include "sched.h"
#include "sigdeliver.h"
#include "syscalls.h"
#include "uaccess.h"

#define SIG_UNBLOCKABLE (SIGBIT(SIGKILL) | SIGBIT(SIGSTOP))
#define SIG_BLOCK       0
#define SIG_UNBLOCK     1
#define SIG_SETMASK     2
#define SS_ONSTACK      1
#define SS_DISABLE      2
#define SS_AUTODISARM   (1u << 31)
#define MINSIGSTKSZ     2048

/* May the current process signal p?  Root may; else a uid must match (kill(2)). */
static bool kill_allowed(const struct process *p, int sig)
{
	const struct creds *c = &current->cred, *t = &p->cred;

	if (capable(5) || (sig == SIGCONT && p->sid == current->sid))   /* CAP_KILL */
		return true;
	return c->euid == t->suid || c->euid == t->uid || c->uid == t->suid || c->uid == t->uid;
}

/* Send sig to one process as kill(2) would: permission, then the signal. */
static int kill_one(struct process *p, int sig, int code)
{
	struct sig_info_k info = { .code = code, .pid = current->pid,
				   .uid = (int32_t)current->cred.uid };

	if (p->state == PROC_ZOMBIE && sig)
		return 0;               /* a zombie exists but takes nothing */
	if (!kill_allowed(p, sig))
		return -EPERM;
	if (sig)
		signal_send_info(p, sig, &info);
	return 0;
}

/* Every process kill's pid selects: one, a group, or all but pid 1 and the caller. */
static long kill_many(int pid, int sig)
{
	int pgid = pid == 0 ? current->pgid : -pid, found = 0, err = 0, ok = 0;

	for (struct process *p = sched_first(); p; p = p->next) {
		int e;

		if (pid == -1 ? (p->pid == 1 || p == current) : p->pgid != pgid)
			continue;
		found++;
		e = kill_one(p, sig, SI_USER);
		if (e)
			err = e;
		else
			ok++;
	}
	if (!found)
		return -ESRCH;
	return ok ? 0 : err;
}

static long sys_kill(int pid, int sig)
{
	struct process *p;

	if (sig < 0 || sig > NSIG)
		return -EINVAL;
	if (pid > 0) {
		p = proc_find(pid);
		return p ? kill_one(p, sig, SI_USER) : -ESRCH;
	}
	if (pid == INT32_MIN)
		return -ESRCH;
	return kill_many(pid, sig);
}
SYSCALL_REGISTER(62, kill, sys_kill);

static long sys_tgkill(int tgid, int tid, int sig)
{
	struct process *p;

	if (sig < 0 || sig > NSIG || tid <= 0 || (tgid <= 0 && tgid != -1))
		return -EINVAL;
	p = proc_find(tid);
	if (!p || (tgid != -1 && tgid != tid))
		return -ESRCH;
	return kill_one(p, sig, SI_TKILL);
}
SYSCALL_REGISTER(234, tgkill, sys_tgkill);

static long sys_tkill(int tid, int sig)
{
	return sys_tgkill(-1, tid, sig);
}
SYSCALL_REGISTER(200, tkill, sys_tkill);

/* rt_sigqueueinfo: a signal with the sender's si_code (SI_QUEUE for sigqueue). */
static long sys_rt_sigqueueinfo(int pid, int sig, uaddr_t uinfo)
{
	int32_t head[3];
	struct process *p;

	if (sig < 1 || sig > NSIG)
		return -EINVAL;
	if (copy_from_user(head, uinfo, sizeof(head)))
		return -EFAULT;
	if (head[2] >= 0 && pid != current->pid)
		return -EPERM;          /* only negative codes may be forged */
	p = proc_find(pid);
	return p ? kill_one(p, sig, head[2]) : -ESRCH;
}
SYSCALL_REGISTER(129, rt_sigqueueinfo, sys_rt_sigqueueinfo);

static long sys_rt_sigaction(int sig, uaddr_t act, uaddr_t oldact, uint64_t setsize)
{
	struct k_sigaction *ka, nka;

	if (sig < 1 || sig > NSIG || setsize != 8)
		return -EINVAL;
	if (act && (sig == SIGKILL || sig == SIGSTOP))
		return -EINVAL;
	ka = &current->sig_action[sig - 1];
	if (act && copy_from_user(&nka, act, sizeof(nka)))
		return -EFAULT;
	if (oldact && copy_to_user(oldact, ka, sizeof(*ka)))
		return -EFAULT;
	if (!act)
		return 0;
	nka.mask &= ~SIG_UNBLOCKABLE;
	*ka = nka;
	/* Setting an ignoring action discards what is pending (POSIX). */
	if (ka->handler == SIG_IGN || (ka->handler == SIG_DFL &&
	    (sig == SIGCHLD || sig == SIGCONT || sig == SIGURG || sig == SIGWINCH)))
		current->sig_pending &= ~SIGBIT(sig);
	return 0;
}
SYSCALL_REGISTER(13, rt_sigaction, sys_rt_sigaction);

static long sys_rt_sigprocmask(int how, uaddr_t set, uaddr_t oldset, uint64_t setsize)
{
	uint64_t old = current->sig_blocked, nset;

	if (setsize != 8)
		return -EINVAL;
	if (set && copy_from_user(&nset, set, sizeof(nset)))
		return -EFAULT;
	if (set && how != SIG_BLOCK && how != SIG_UNBLOCK && how != SIG_SETMASK)
		return -EINVAL;
	if (oldset && copy_to_user(oldset, &old, sizeof(old)))
		return -EFAULT;
	if (!set)
		return 0;
	if (how == SIG_BLOCK)
		nset = old | nset;
	else if (how == SIG_UNBLOCK)
		nset = old & ~nset;
	current->sig_blocked = nset & ~SIG_UNBLOCKABLE;
	return 0;
}
SYSCALL_REGISTER(14, rt_sigprocmask, sys_rt_sigprocmask);

static long sys_rt_sigpending(uaddr_t set, uint64_t size)
{
	uint64_t pend = current->sig_pending & current->sig_blocked;

	if (size > 8)
		return -EINVAL;
	return copy_to_user(set, &pend, size);
}
SYSCALL_REGISTER(127, rt_sigpending, sys_rt_sigpending);

/* Sleep until a signal is taken: pause and sigsuspend. */
static long sleep_for_signal(void)
{
	while (!signal_pending())
		sched_sleep(&current->sig_pending, 0);
	return -ERESTARTNOHAND;
}

static long sys_pause(void)
{
	return sleep_for_signal();
}
SYSCALL_REGISTER(34, pause, sys_pause);

static long sys_rt_sigsuspend(uaddr_t mask, uint64_t size)
{
	int err = signal_mask_swap(mask, size);

	if (err)
		return err;
	return sleep_for_signal();
}
SYSCALL_REGISTER(130, rt_sigsuspend, sys_rt_sigsuspend);

struct linux_timespec {
	int64_t tv_sec, tv_nsec;
};

/* Take the lowest pending signal of set and fill the caller's siginfo (first 32 bytes). */
static long sigwait_take(uint64_t set, uaddr_t uinfo)
{
	struct process *p = current;
	int sig = __builtin_ctzll(p->sig_pending & set) + 1;
	const struct sig_info_k *si = &p->sig_info[sig - 1];
	int32_t info[8] = { sig, 0, si->code, 0, si->pid, si->uid, si->status, 0 };

	p->sig_pending &= ~SIGBIT(sig);
	if (uinfo && (clear_user(uinfo, 128) || copy_to_user(uinfo, info, sizeof(info))))
		return -EFAULT;
	return sig;
}

/* rt_sigtimedwait: wait for a signal of set (normally blocked) and take it without a handler. */
static long sys_rt_sigtimedwait(uaddr_t uset, uaddr_t uinfo, uaddr_t uts, uint64_t size)
{
	struct process *p = current;
	struct linux_timespec ts;
	uint64_t set, deadline = 0;
	int err;

	if (size != 8)
		return -EINVAL;
	if (copy_from_user(&set, uset, sizeof(set)))
		return -EFAULT;
	set &= ~SIG_UNBLOCKABLE;
	if (uts) {
		if (copy_from_user(&ts, uts, sizeof(ts)))
			return -EFAULT;
		if (ts.tv_sec < 0 || ts.tv_nsec < 0 || ts.tv_nsec >= 1000000000)
			return -EINVAL;
		deadline = ktime_mono_ns() + (uint64_t)ts.tv_sec * 1000000000 + (uint64_t)ts.tv_nsec;
	}
	for (;;) {
		if (p->sig_pending & set)
			return sigwait_take(set, uinfo);
		if (uts && !ts.tv_sec && !ts.tv_nsec)
			return -EAGAIN;
		p->sig_waitset = set;
		err = sched_sleep(&p->sig_waitset, deadline);
		p->sig_waitset = 0;
		if (p->sig_pending & set)
			continue;
		if (err == -EINTR)
			return -EINTR;
		if (err == -ETIMEDOUT)
			return -EAGAIN;
	}
}
SYSCALL_REGISTER(128, rt_sigtimedwait, sys_rt_sigtimedwait);

struct linux_stack_t {
	uint64_t ss_sp;
	int32_t ss_flags, pad;
	uint64_t ss_size;
};

static bool on_altstack(const struct process *p)
{
	uint64_t sp = proc_user_frame((struct process *)p)->rsp;

	return p->ss_size && sp - p->ss_sp <= p->ss_size;
}

static long sys_sigaltstack(uaddr_t uss, uaddr_t uoss)
{
	struct process *p = current;
	struct linux_stack_t ss, old = { p->ss_sp, 0, 0, p->ss_size };

	old.ss_flags = !p->ss_size ? SS_DISABLE : on_altstack(p) ? SS_ONSTACK : 0;
	if (uss && copy_from_user(&ss, uss, sizeof(ss)))
		return -EFAULT;
	if (uss) {
		uint32_t mode = (uint32_t)ss.ss_flags & ~SS_AUTODISARM;

		if (on_altstack(p))
			return -EPERM;
		if (mode != 0 && mode != SS_DISABLE && mode != SS_ONSTACK)
			return -EINVAL;
		if (mode == SS_DISABLE) {
			ss.ss_sp = ss.ss_size = 0;
		} else if (ss.ss_size < MINSIGSTKSZ) {
			return -ENOMEM;
		}
	}
	if (uoss && copy_to_user(uoss, &old, sizeof(old)))
		return -EFAULT;
	if (uss) {
		p->ss_sp = ss.ss_sp;
		p->ss_size = ss.ss_size;
		p->ss_flags = (uint32_t)ss.ss_flags;
	}
	return 0;
}
SYSCALL_REGISTER(131, sigaltstack, sys_sigaltstack);

static long sys_rt_sigreturn(void)
{
	return signal_sigreturn(proc_user_frame(current));
}
SYSCALL_REGISTER(15, rt_sigreturn, sys_rt_sigreturn);

/* ITIMER_REAL as (value, interval) in ns from now. */
struct linux_timeval {
	int64_t tv_sec, tv_usec;
};
struct linux_itimerval {
	struct linux_timeval interval, value;
};
#define ITIMER_REAL    0
#define ITIMER_VIRTUAL 1
#define ITIMER_PROF    2

static struct linux_timeval ns_to_tv(uint64_t ns)
{
	return (struct linux_timeval){ (int64_t)(ns / 1000000000), (int64_t)(ns % 1000000000 / 1000) };
}

static uint64_t itimer_left(void)
{
	uint64_t now = ktime_mono_ns();

	return current->alarm_ns > now ? current->alarm_ns - now : current->alarm_ns ? 1000 : 0;
}

static long sys_getitimer(int which, uaddr_t uval)
{
	struct linux_itimerval v = { 0 };

	if (which < ITIMER_REAL || which > ITIMER_PROF)
		return -EINVAL;
	if (which == ITIMER_REAL) {
		v.value = ns_to_tv(itimer_left());
		v.interval = ns_to_tv(current->alarm_interval_ns);
	}
	return copy_to_user(uval, &v, sizeof(v));
}
SYSCALL_REGISTER(36, getitimer, sys_getitimer);

static bool tv_ok(const struct linux_timeval *tv)
{
	return tv->tv_sec >= 0 && tv->tv_usec >= 0 && tv->tv_usec < 1000000 &&
	       tv->tv_sec < (int64_t)1 << 32;
}

static long sys_setitimer(int which, uaddr_t unew, uaddr_t uold)
{
	struct linux_itimerval nv = { 0 };
	uint64_t value;
	long err;

	if (which < ITIMER_REAL || which > ITIMER_PROF)
		return -EINVAL;
	if (unew && copy_from_user(&nv, unew, sizeof(nv)))
		return -EFAULT;
	if (!tv_ok(&nv.value) || !tv_ok(&nv.interval))
		return -EINVAL;
	if (uold && (err = sys_getitimer(which, uold)))
		return err;
	if (which != ITIMER_REAL)
		return 0;               /* CPU-time timers: accepted, never fire */
	value = (uint64_t)nv.value.tv_sec * 1000000000 + (uint64_t)nv.value.tv_usec * 1000;
	current->alarm_ns = value ? ktime_mono_ns() + value : 0;
	current->alarm_interval_ns = (uint64_t)nv.interval.tv_sec * 1000000000 +
				     (uint64_t)nv.interval.tv_usec * 1000;
	return 0;
}
SYSCALL_REGISTER(38, setitimer, sys_setitimer);

static long sys_alarm(unsigned int seconds)
{
	uint64_t left = itimer_left();

	current->alarm_ns = seconds ? ktime_mono_ns() + (uint64_t)seconds * 1000000000 : 0;
	current->alarm_interval_ns = 0;
	return (long)((left + 500000000) / 1000000000) + (left && left < 500000000 ? 1 : 0);
}
SYSCALL_REGISTER(37, alarm, sys_alarm);
