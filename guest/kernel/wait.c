/* wait.c: wait4 and waitid, process groups and sessions. */
#include "proc.h"
#include "sched.h"
#include "signal.h"
#include "syscalls.h"
#include "uaccess.h"
#include "wstatus.h"

#define WNOHANG     0x00000001
#define WUNTRACED   0x00000002
#define WSTOPPED    WUNTRACED
#define WEXITED     0x00000004
#define WCONTINUED  0x00000008
#define WNOWAIT     0x01000000
#define __WNOTHREAD 0x20000000
#define __WALL      0x40000000
#define __WCLONE    0x80000000u

#define P_ALL   0
#define P_PID   1
#define P_PGID  2
#define P_PIDFD 3

#define RUSAGE_SIZE 144         /* struct rusage on x86-64 */

/* Which children a wait selects: one pid, a group, or all (P_ALL). */
struct wait_sel {
	int type;               /* P_ALL, P_PID, P_PGID */
	int id;
	unsigned options;
	bool exited;            /* report exits (wait4 always, waitid with WEXITED) */
};

/* Has c something w reports: its exit, or a stop or continue w asks for? */
static bool wait_ready(const struct wait_sel *w, const struct process *c)
{
	if (c->state == PROC_ZOMBIE)
		return w->exited;
	if (c->stop_report == WS_CONTINUED)
		return w->options & WCONTINUED;
	return c->stop_report && (w->options & WUNTRACED);
}

/* The status to report for c, consuming a stop/continue report unless WNOWAIT. */
static int wait_status(const struct wait_sel *w, struct process *c)
{
	int ws = c->state == PROC_ZOMBIE ? c->wstatus : c->stop_report;

	if (c->state != PROC_ZOMBIE && !(w->options & WNOWAIT))
		c->stop_report = 0;
	return ws;
}

static bool wait_matches(const struct wait_sel *w, const struct process *c)
{
	switch (w->type) {
	case P_PID:  return c->pid == w->id;
	case P_PGID: return c->pgid == w->id;
	default:     return true;
	}
}

/*
 * Find a zombie child that w selects; *any tells whether w selects a child
 * at all (else ECHILD).  Sleeps until one exits unless WNOHANG.  Returns the
 * zombie, NULL for WNOHANG with none yet, or ERR_PTR-like NULL with *err.
 */
static struct process *wait_find(const struct wait_sel *w, int *err)
{
	for (;;) {
		bool any = false;

		for (struct process *c = sched_first(); c; c = c->next) {
			if (c->parent != current || !wait_matches(w, c))
				continue;
			any = true;
			if (wait_ready(w, c))
				return c;
		}
		*err = !any ? -ECHILD : 0;
		if (!any || (w->options & WNOHANG))
			return NULL;
		if (sched_sleep(&current->wstatus, 0) == -EINTR) {
			*err = -ERESTARTSYS;
			return NULL;
		}
	}
}

static long sys_wait4(int pid, uaddr_t wstatus, unsigned options, uaddr_t rusage)
{
	struct wait_sel w = { P_ALL, 0, options, true };
	struct process *c;
	int err, ws;

	if (options & ~(unsigned)(WNOHANG | WUNTRACED | WCONTINUED | __WNOTHREAD |
				  __WALL | __WCLONE))
		return -EINVAL;
	if (pid == INT32_MIN)
		return -ESRCH;
	if (pid > 0)
		w = (struct wait_sel){ P_PID, pid, options, true };
	else if (pid == 0)
		w = (struct wait_sel){ P_PGID, current->pgid, options, true };
	else if (pid < -1)
		w = (struct wait_sel){ P_PGID, -pid, options, true };
	c = wait_find(&w, &err);
	if (!c)
		return err;
	ws = wait_status(&w, c);
	if (wstatus && copy_to_user(wstatus, &ws, sizeof(ws)))
		return -EFAULT;
	if (rusage && clear_user(rusage, RUSAGE_SIZE))
		return -EFAULT;
	pid = c->pid;
	if (c->state == PROC_ZOMBIE)
		proc_reap(c);
	return pid;
}
SYSCALL_REGISTER(61, wait4, sys_wait4);

/* The part of siginfo_t waitid fills (x86-64 offsets). */
struct waitid_info {
	int32_t si_signo, si_errno, si_code, pad;
	int32_t si_pid, si_uid, si_status;
};

static long sys_waitid(int type, int id, uaddr_t infop, unsigned options, uaddr_t rusage)
{
	struct wait_sel w = { type, id, options, options & WEXITED };
	struct waitid_info info = { 0 };
	struct process *c;
	int err;

	if (options & ~(unsigned)(WNOHANG | WNOWAIT | WEXITED | WSTOPPED | WCONTINUED |
				  __WNOTHREAD | __WALL | __WCLONE))
		return -EINVAL;
	if (!(options & (WEXITED | WSTOPPED | WCONTINUED)))
		return -EINVAL;
	if (type == P_PGID && id == 0)
		w.id = current->pgid;
	if (type == P_PIDFD || type < P_ALL || type > P_PIDFD ||
	    ((type == P_PID || type == P_PGID) && id < 0))
		return -EINVAL;
	if (type == P_PID && id == 0)
		return -EINVAL;
	c = wait_find(&w, &err);
	if (c) {
		info.si_signo = SIGCHLD;
		info.si_pid = c->pid;
		info.si_uid = (int32_t)c->cred.uid;
		wstatus_siginfo(wait_status(&w, c), &info.si_code, &info.si_status);
	} else if (err) {
		return err;
	}
	if (infop && copy_to_user(infop, &info, sizeof(info)))
		return -EFAULT;
	if (rusage && clear_user(rusage, RUSAGE_SIZE))
		return -EFAULT;
	if (c && c->state == PROC_ZOMBIE && !(options & WNOWAIT))
		proc_reap(c);
	return 0;
}
SYSCALL_REGISTER(247, waitid, sys_waitid);

static long sys_getppid(void)
{
	return current->parent ? current->parent->pid : 0;
}
SYSCALL_REGISTER(110, getppid, sys_getppid);

/* The process pid names for the group calls: 0 is the caller. */
static struct process *pgrp_target(int pid)
{
	struct process *p = pid ? proc_find(pid) : current;

	return p && p->state != PROC_ZOMBIE ? p : NULL;
}

static long sys_getpgid(int pid)
{
	struct process *p = pgrp_target(pid);

	return p ? p->pgid : -ESRCH;
}
SYSCALL_REGISTER(121, getpgid, sys_getpgid);

static long sys_getpgrp(void)
{
	return current->pgid;
}
SYSCALL_REGISTER(111, getpgrp, sys_getpgrp);

static long sys_getsid(int pid)
{
	struct process *p = pgrp_target(pid);

	return p ? p->sid : -ESRCH;
}
SYSCALL_REGISTER(124, getsid, sys_getsid);

/* Is there a process in session sid with process group pgid? */
static bool pgrp_in_session(int pgid, int sid)
{
	for (struct process *p = sched_first(); p; p = p->next)
		if (p->pgid == pgid && p->sid == sid && p->state != PROC_ZOMBIE)
			return true;
	return false;
}

/* setpgid(2) with Linux's rules: self or a child in the caller's session. */
static long sys_setpgid(int pid, int pgid)
{
	struct process *p = pgrp_target(pid);

	if (pgid < 0)
		return -EINVAL;
	if (!p || (p != current && p->parent != current))
		return -ESRCH;
	if (p->parent == current && p->sid != current->sid)
		return -EPERM;
	if (p->pid == p->sid)
		return -EPERM;          /* a session leader */
	if (!pgid)
		pgid = p->pid;
	if (pgid != p->pid && !pgrp_in_session(pgid, current->sid))
		return -EPERM;
	p->pgid = pgid;
	return 0;
}
SYSCALL_REGISTER(109, setpgid, sys_setpgid);

static long sys_setsid(void)
{
	struct process *p = current;

	for (struct process *q = sched_first(); q; q = q->next)
		if (q->pgid == p->pid && q->state != PROC_ZOMBIE)
			return -EPERM;  /* already a group leader */
	p->sid = p->pgid = p->pid;
	return p->sid;
}
SYSCALL_REGISTER(112, setsid, sys_setsid);
