/* proc.c: processes: pids, kernel stacks, exit and reparenting, the boot command runner, execve. */
#include "arch.h"
#include "boot.h"
#include "console.h"
#include "exec.h"
#include "mm.h"
#include "uaccess.h"
#include "syscalls.h"
#include "umm.h"
#include "vfs.h"
#include "ktime.h"
#include "sched.h"
#include "wstatus.h"
#include "sigdeliver.h"
#include "tty.h"

#pragma weak vfs_proc_create
#pragma weak vfs_proc_destroy

#define KSTACK_PAGES 8             /* 32 KiB */
#define KSTACK_SLOTS 1024          /* kernel stack address slots */
#define PID_MAX      32768         /* /proc/sys/kernel/pid_max */

struct process *current;
static int last_pid;
static uint64_t kstack_used[KSTACK_SLOTS / 64];

/* The environment every command starts with. */
static const char *const default_env[] = {
	"PATH=/bin:/sbin", "HOME=/", "TERM=linux",
};

bool capable(int cap)
{
	return current && cap >= 0 && cap <= CAP_LAST_CAP &&
	       (current->cred.cap_effective >> cap & 1);
}

/* For guest/fs: the running process's file state. */
struct vfs_proc *vfs_current(void)
{
	return current ? current->fs : NULL;
}

struct trap_frame *proc_user_frame(struct process *p)
{
	return (struct trap_frame *)(p->kstack_top - sizeof(struct trap_frame));
}

struct process *proc_find(int pid)
{
	for (struct process *p = sched_first(); p; p = p->next)
		if (p->pid == pid)
			return p;
	return NULL;
}

/* The next free pid after the last one, wrapping at PID_MAX as Linux does (to 300). */
static int pid_alloc(void)
{
	for (int tries = 0; tries < PID_MAX; tries++) {
		int pid = last_pid + 1;

		if (pid >= PID_MAX)
			pid = last_pid < 300 ? 1 : 300;
		last_pid = pid;
		if (!proc_find(pid))
			return pid;
	}
	return -EAGAIN;
}

/*
 * The kernel stack lives in a free slot of MV_KSTACK_AREA with an unmapped
 * page below it, so an overflow faults (and is reported through the #DF
 * stack) instead of overwriting whatever the allocator put next to it.
 */
static int kstack_map(struct process *p)
{
	int slot = -1;
	uint64_t base;

	for (int i = 0; i < KSTACK_SLOTS && slot < 0; i++)
		if (!(kstack_used[i / 64] >> (i % 64) & 1))
			slot = i;
	if (slot < 0)
		return -EAGAIN;
	base = MV_KSTACK_AREA + (uint64_t)slot * (KSTACK_PAGES + 1) * PAGE_SIZE + PAGE_SIZE;
	p->kstack_pa = page_alloc(KSTACK_PAGES);
	if (!p->kstack_pa)
		return -ENOMEM;
	if (kmap_range(base, p->kstack_pa, KSTACK_PAGES, VM_READ | VM_WRITE)) {
		page_free(p->kstack_pa, KSTACK_PAGES);
		p->kstack_pa = 0;
		return -ENOMEM;
	}
	kstack_used[slot / 64] |= 1ULL << (slot % 64);
	p->kstack_slot = slot;
	p->kstack_top = base + KSTACK_PAGES * PAGE_SIZE;
	return 0;
}

static void kstack_unmap(struct process *p)
{
	if (!p->kstack_pa)
		return;
	kunmap_range(p->kstack_top - KSTACK_PAGES * PAGE_SIZE, KSTACK_PAGES);
	page_free(p->kstack_pa, KSTACK_PAGES);
	kstack_used[p->kstack_slot / 64] &= ~(1ULL << (p->kstack_slot % 64));
	p->kstack_pa = 0;
}

struct process *proc_alloc(void)
{
	struct process *p = kzalloc(sizeof(*p));
	int pid = pid_alloc();

	if (!p || pid < 0) {
		kfree(p);
		return NULL;
	}
	p->pid = p->pgid = p->sid = pid;
	p->cred.cap_effective = p->cred.cap_permitted = CAP_FULL_SET;
	p->exit_signal = SIGCHLD;
	p->start_ns = ktime_mono_ns();
	cpu_fpu_clean(p->fpu);
	if (kstack_map(p)) {
		kfree(p);
		return NULL;
	}
	return p;
}

void proc_free_unstarted(struct process *p)
{
	if (p->fs && vfs_proc_destroy)
		vfs_proc_destroy(p->fs);
	umm_destroy(p->mm);
	kstack_unmap(p);
	kfree(p);
}

void proc_reap(struct process *p)
{
	BUG_ON(p->state != PROC_ZOMBIE || p == current);
	sched_remove(p);
	kstack_unmap(p);
	kfree(p);
}

/* A new boot-command process: root, full capabilities, files on the console. */
static struct process *proc_create(void)
{
	struct process *p = proc_alloc();

	if (!p)
		return NULL;
	p->mm = umm_create();
	if (vfs_proc_create)
		p->fs = vfs_proc_create();
	if (!p->mm || (vfs_proc_create && !p->fs)) {
		proc_free_unstarted(p);
		return NULL;
	}
	p->boot_cmd = true;
	return p;
}

/* The parent a child of exiting process p goes to: pid 1 while it lives, else the kernel. */
static struct process *proc_reaper(struct process *p)
{
	struct process *init = proc_find(1);

	return init && init != p && init->state != PROC_ZOMBIE ? init : NULL;
}

/* Hand p's children to the reaper; a zombie among them is announced there. */
static void proc_reparent(struct process *p)
{
	struct process *reaper = proc_reaper(p);

	for (struct process *c = sched_first(); c; c = c->next) {
		if (c->parent != p)
			continue;
		c->parent = reaper;
		if (c->state == PROC_ZOMBIE && reaper)
			sched_wakeup(&reaper->wstatus);
	}
}

/* A vfork parent waits until its child no longer uses its memory. */
void proc_vfork_release(struct process *p)
{
	if (p->vfork_parent) {
		sched_wakeup(&p->vfork_parent);
		p->vfork_parent = NULL;
	}
}

__noreturn void proc_exit(int wstatus)
{
	struct process *p = current;
	uint32_t zero = 0;

	if (!p)
		panic("proc_exit(%#x) with no process running", wstatus);
	if (p->clear_child_tid && p->mm)
		copy_to_user(p->clear_child_tid, &zero, sizeof(zero));
	if (p->fs && vfs_proc_destroy)
		vfs_proc_destroy(p->fs);
	p->fs = NULL;
	paging_switch(paging_kernel_pml4());
	umm_destroy(p->mm);
	p->mm = NULL;
	proc_vfork_release(p);
	proc_reparent(p);
	p->wstatus = wstatus;
	p->state = PROC_ZOMBIE;
	p->sig_pending = 0;
	p->alarm_ns = 0;
	if (p->parent) {
		struct process *parent = p->parent;

		signal_child_exit(p);
		if (!signal_parent_reaps(parent))
			p->parent = NULL;       /* SIGCHLD ignored: no zombie (the kernel reaps) */
		sched_wakeup(&parent->wstatus);
	}
	schedule();
	panic("zombie %d was scheduled", p->pid);
}

/* What a shell says when a command cannot even start. */
static int exec_failure(const char *name, int err)
{
	if (err == -ENOENT) {
		printk("%s: command not found\n", name);
		return 127;
	}
	printk("%s: cannot execute: error %d%s\n", name, -err,
	       err == -ENOEXEC ? " (Exec format error)" :
	       err == -EACCES ? " (Permission denied)" : "");
	return 126;
}

/* A boot command's first run, in its own process: exec, or say why not. */
static void run_start(void *arg)
{
	struct exec_args *a = arg;
	int err = exec_run(current, a->buf, a, true);

	proc_exit(WS_EXITCODE(exec_failure(a->buf, err)));
}

/* Run one command to its end; returns its shell-style status. */
static int run_one(struct exec_args *a)
{
	struct process *p = proc_create();
	int status;

	if (!p) {
		printk("%s: out of memory\n", a->buf);
		return 126;
	}
	tty_start_session(p);           /* the command owns the terminal, if any */
	sched_start_kernel(p, run_start, a);
	sched_run_until(p);
	status = wstatus_shell(p->wstatus);
	proc_reap(p);
	console_flush();
	return status;
}

/* Parse one command record at *pos: uint32_t argc, then argc strings. */
static int cmd_record(const uint8_t *rec, size_t len, size_t *pos, struct exec_args *a)
{
	uint32_t argc;

	if (len - *pos < 4)
		return -EINVAL;
	memcpy(&argc, rec + *pos, 4);
	*pos += 4;
	if (argc == 0)
		return -EINVAL;
	for (uint32_t i = 0; i < argc; i++) {
		const char *s = (const char *)rec + *pos;
		size_t n = strnlen(s, len - *pos);

		if (n == len - *pos)
			return -EINVAL;         /* no NUL before the end */
		if (exec_args_add(a, s, false))
			return -E2BIG;
		*pos += n + 1;
	}
	for (size_t i = 0; i < ARRAY_SIZE(default_env); i++)
		if (exec_args_add(a, default_env[i], true))
			return -E2BIG;
	return 0;
}

int run_commands(void)
{
	const uint8_t *rec;
	size_t pos = 0;
	int first_failure = 0;

	if (!boot_info.cmd_count)
		return 0;
	rec = boot_phys(boot_info.cmds, boot_info.cmds_len);
	if (!rec)
		panic("command records [%#lx, +%#lx) are outside RAM",
		      boot_info.cmds, boot_info.cmds_len);
	for (uint32_t i = 0; i < boot_info.cmd_count; i++) {
		struct exec_args a;
		int status;

		if (exec_args_init(&a))
			panic("out of memory for command %u", i + 1);
		if (cmd_record(rec, boot_info.cmds_len, &pos, &a))
			panic("command record %u is malformed (offset %zu)", i + 1, pos);
		status = run_one(&a);
		exec_args_free(&a);
		if (status && !first_failure)
			first_failure = status;
	}
	return first_failure;
}

static long sys_exit(int status)
{
	proc_exit(WS_EXITCODE(status));
}
SYSCALL_REGISTER(60, exit, sys_exit);
SYSCALL_REGISTER(231, exit_group, sys_exit);

static long sys_execve(uaddr_t path, uaddr_t argv, uaddr_t envp)
{
	struct exec_args a;
	char *kpath = kmalloc(PROC_PATH_MAX);
	long err;

	if (!kpath)
		return -ENOMEM;
	err = strncpy_from_user(kpath, path, PROC_PATH_MAX);
	if (err >= 0 && !(err = exec_args_init(&a))) {
		err = exec_args_from_user(&a, argv, envp);
		if (!err)
			err = *kpath ? exec_run(current, kpath, &a, false) : -ENOENT;
		exec_args_free(&a);
	}
	kfree(kpath);
	return err;
}
SYSCALL_REGISTER(59, execve, sys_execve);
