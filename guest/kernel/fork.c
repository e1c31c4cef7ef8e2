/* fork.c: fork, vfork, clone and clone3: a new process sharing nothing but copy-on-write pages. */
#include "arch.h"
#include "proc.h"
#include "sched.h"
#include "sigdeliver.h"
#include "syscalls.h"
#include "uaccess.h"
#include "umm.h"
#include "vfs.h"

#pragma weak vfs_proc_dup

#define CLONE_VM             0x00000100
#define CLONE_FS             0x00000200
#define CLONE_FILES          0x00000400
#define CLONE_SIGHAND        0x00000800
#define CLONE_PIDFD          0x00001000
#define CLONE_PTRACE         0x00002000
#define CLONE_VFORK          0x00004000
#define CLONE_PARENT         0x00008000
#define CLONE_THREAD         0x00010000
#define CLONE_NEWNS          0x00020000
#define CLONE_SYSVSEM        0x00040000
#define CLONE_SETTLS         0x00080000
#define CLONE_PARENT_SETTID  0x00100000
#define CLONE_CHILD_CLEARTID 0x00200000
#define CLONE_DETACHED       0x00400000
#define CLONE_UNTRACED       0x00800000
#define CLONE_CHILD_SETTID   0x01000000
#define CSIGNAL              0x000000ff

/* What fork, vfork and posix_spawn need; anything else is refused. */
#define CLONE_SUPPORTED (CLONE_VM | CLONE_VFORK | CLONE_SETTLS | CLONE_PARENT_SETTID | \
			 CLONE_CHILD_CLEARTID | CLONE_CHILD_SETTID | CLONE_DETACHED | \
			 CLONE_UNTRACED | CLONE_PARENT | CSIGNAL)

struct clone_req {
	uint64_t flags;
	uint64_t stack;         /* new user stack pointer, or 0 */
	uaddr_t parent_tid, child_tid;
	uint64_t tls;
};

/* Linux's checks of the flag combination, then ours (no threads). */
static int clone_check(const struct clone_req *r)
{
	uint64_t f = r->flags;

	if ((f & CLONE_SIGHAND) && !(f & CLONE_VM))
		return -EINVAL;
	if ((f & CLONE_THREAD) && !(f & CLONE_SIGHAND))
		return -EINVAL;
	if ((f & CLONE_SETTLS) && r->tls >= MV_USER_END)
		return -EPERM;
	if (f & ~(uint64_t)CLONE_SUPPORTED) {
		printk("%s: clone flags %#lx: threads and shared tables are not "
		       "supported: ENOSYS\n", current->comm, f & ~(uint64_t)CLONE_SUPPORTED);
		return -ENOSYS;
	}
	if ((f & CLONE_VM) && !(f & CLONE_VFORK)) {
		printk("%s: clone(CLONE_VM) without CLONE_VFORK (a thread) is not "
		       "supported: ENOSYS\n", current->comm);
		return -ENOSYS;
	}
	if ((f & CSIGNAL) > NSIG)
		return -EINVAL;
	return 0;
}

/* The child's memory and files: shared (CLONE_VM) or copied (copy-on-write). */
static int clone_copy(struct process *c, struct process *p, uint64_t flags)
{
	if (flags & CLONE_VM) {
		c->mm = p->mm;
		c->mm->users++;
	} else if (!(c->mm = umm_fork(p->mm))) {
		return -ENOMEM;
	}
	if (p->fs && vfs_proc_dup && !(c->fs = vfs_proc_dup(p->fs)))
		return -ENOMEM;
	return 0;
}

/* Everything else a child inherits: identity, groups, TLS, FPU. */
static void clone_inherit(struct process *c, struct process *p, const struct clone_req *r)
{
	c->parent = (r->flags & CLONE_PARENT) && p->parent ? p->parent : p;
	c->pgid = p->pgid;
	c->sid = p->sid;
	c->cred = p->cred;
	memcpy(c->groups, p->groups, sizeof(c->groups));
	c->ngroups = p->ngroups;
	memcpy(c->exe, p->exe, sizeof(c->exe));
	memcpy(c->comm, p->comm, sizeof(c->comm));
	c->fs_base = r->flags & CLONE_SETTLS ? r->tls : p->fs_base;
	c->exit_signal = (int)(r->flags & CSIGNAL);
	if (r->flags & CLONE_CHILD_CLEARTID)
		c->clear_child_tid = r->child_tid;
	cpu_fpu_save(c->fpu);
	signal_fork(c, p);
}

/* Is the byte at va of mm mapped writable for its process? */
static bool clone_writable(struct mm *mm, uaddr_t va)
{
	int prot = umm_prot_at(mm, va);

	return prot > 0 && (prot & VM_WRITE);
}

/*
 * The tid stores: the parent's now, the child's in its own memory, where
 * only a writable page takes it (Linux's put_user fails on anything else,
 * silently); umm_write() itself would store through any protection.
 */
static void clone_set_tids(struct process *c, const struct clone_req *r)
{
	uint32_t tid = (uint32_t)c->pid;

	if (r->flags & CLONE_PARENT_SETTID)
		copy_to_user(r->parent_tid, &tid, sizeof(tid));
	if ((r->flags & CLONE_CHILD_SETTID) && clone_writable(c->mm, r->child_tid) &&
	    clone_writable(c->mm, r->child_tid + sizeof(tid) - 1))
		umm_write(c->mm, r->child_tid, &tid, sizeof(tid));
}

static long do_clone(const struct clone_req *r)
{
	struct process *p = current, *c;
	struct trap_frame f = *proc_user_frame(p);
	int err = clone_check(r);

	if (err)
		return err;
	c = proc_alloc();
	if (!c)
		return -EAGAIN;
	err = clone_copy(c, p, r->flags);
	if (err) {
		proc_free_unstarted(c);
		return err;
	}
	clone_inherit(c, p, r);
	clone_set_tids(c, r);
	f.rax = 0;
	if (r->stack)
		f.rsp = r->stack;
	f.rflags = (f.rflags & 0x240dd5) | 0x2 | user_rflags_if();
	if (r->flags & CLONE_VFORK)
		c->vfork_parent = p;
	sched_start_user(c, &f);
	/* vfork: the parent sleeps until the child execs or exits (killable only). */
	while (c->vfork_parent == p)
		sched_sleep_uninterruptible(&c->vfork_parent);
	return c->pid;
}

static long sys_fork(void)
{
	struct clone_req r = { .flags = SIGCHLD };

	return do_clone(&r);
}
SYSCALL_REGISTER(57, fork, sys_fork);

static long sys_vfork(void)
{
	struct clone_req r = { .flags = CLONE_VM | CLONE_VFORK | SIGCHLD };

	return do_clone(&r);
}
SYSCALL_REGISTER(58, vfork, sys_vfork);

/* x86-64 argument order: flags, newsp, parent_tid, child_tid, tls. */
static long sys_clone(uint64_t flags, uint64_t newsp, uaddr_t parent_tid,
		      uaddr_t child_tid, uint64_t tls)
{
	struct clone_req r = {
		.flags = flags & 0xffffffffULL, .stack = newsp,
		.parent_tid = parent_tid, .child_tid = child_tid, .tls = tls,
	};

	return do_clone(&r);
}
SYSCALL_REGISTER(56, clone, sys_clone);

/* struct clone_args of clone3(2), as of Linux 5.7 (CLONE_ARGS_SIZE_VER2 is 88). */
struct linux_clone_args {
	uint64_t flags, pidfd, child_tid, parent_tid, exit_signal;
	uint64_t stack, stack_size, tls, set_tid, set_tid_size, cgroup;
};

static long sys_clone3(uaddr_t uargs, uint64_t size)
{
	struct linux_clone_args a = { 0 };
	struct clone_req r;

	if (size < 64 || size > PAGE_SIZE)
		return -EINVAL;
	if (copy_from_user(&a, uargs, MIN(size, sizeof(a))))
		return -EFAULT;
	if ((a.flags & CSIGNAL) || a.exit_signal > NSIG || a.set_tid_size || a.cgroup)
		return -EINVAL;
	if ((a.stack == 0) != (a.stack_size == 0))
		return -EINVAL;
	r = (struct clone_req){
		.flags = a.flags | a.exit_signal,
		.stack = a.stack ? a.stack + a.stack_size : 0,
		.parent_tid = a.parent_tid, .child_tid = a.child_tid, .tls = a.tls,
	};
	return do_clone(&r);
}
SYSCALL_REGISTER(435, clone3, sys_clone3);
