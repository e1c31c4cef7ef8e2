/* proc.c: processes, the boot command runner, exit and execve. */
#include "arch.h"
#include "boot.h"
#include "console.h"
#include "exec.h"
#include "mm.h"
#include "uaccess.h"
#include "syscalls.h"
#include "umm.h"
#include "vfs.h"

#pragma weak vfs_proc_create
#pragma weak vfs_proc_destroy

#define KSTACK_PAGES 8             /* 32 KiB */
#define KSTACK_SLOTS 1024          /* address slots, reused round-robin */

struct process *current;
static int next_pid = 1;

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

/*
 * The kernel stack lives in its own slot of MV_KSTACK_AREA with an unmapped
 * page below it, so an overflow faults (and is reported through the #DF
 * stack) instead of overwriting whatever the allocator put next to it.
 */
static int kstack_map(struct process *p)
{
	uint64_t slot = (uint64_t)p->pid % KSTACK_SLOTS;
	uint64_t base = MV_KSTACK_AREA + slot * (KSTACK_PAGES + 1) * PAGE_SIZE + PAGE_SIZE;

	p->kstack_pa = page_alloc(KSTACK_PAGES);
	if (!p->kstack_pa)
		return -ENOMEM;
	if (kmap_range(base, p->kstack_pa, KSTACK_PAGES, VM_READ | VM_WRITE)) {
		page_free(p->kstack_pa, KSTACK_PAGES);
		p->kstack_pa = 0;
		return -ENOMEM;
	}
	p->kstack_top = base + KSTACK_PAGES * PAGE_SIZE;
	return 0;
}

static void proc_free(struct process *p)
{
	if (p->fs && vfs_proc_destroy)
		vfs_proc_destroy(p->fs);
	umm_destroy(p->mm);
	if (p->kstack_pa) {
		kunmap_range(p->kstack_top - KSTACK_PAGES * PAGE_SIZE, KSTACK_PAGES);
		page_free(p->kstack_pa, KSTACK_PAGES);
	}
	kfree(p);
}

/* A new root process with full capabilities, files, and a kernel stack. */
static struct process *proc_create(void)
{
	struct process *p = kzalloc(sizeof(*p));

	if (!p)
		return NULL;
	p->pid = next_pid++;
	p->cred.cap_effective = p->cred.cap_permitted = CAP_FULL_SET;
	p->mm = umm_create();
	if (vfs_proc_create)
		p->fs = vfs_proc_create();
	if (!p->mm || kstack_map(p) || (vfs_proc_create && !p->fs)) {
		proc_free(p);
		return NULL;
	}
	return p;
}

static void proc_destroy(struct process *p)
{
	paging_switch(paging_kernel_pml4());
	proc_free(p);
}

__noreturn void proc_exit(int status)
{
	struct process *p = current;

	if (!p)
		panic("proc_exit(%d) with no process running", status);
	p->exit_status = status & 0xff;
	p->exited = true;
	ctx_restore(&p->resume, 1);
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

/* Run one command to its end; returns its shell-style status. */
static int run_one(struct exec_args *a)
{
	struct process *p = proc_create();
	int status, err;

	if (!p) {
		printk("%s: out of memory\n", a->buf);
		return 126;
	}
	current = p;
	if (ctx_save(&p->resume) == 0) {
		err = exec_run(p, a->buf, a, true);
		status = exec_failure(a->buf, err);
	} else {
		status = p->exit_status;
	}
	current = NULL;
	proc_destroy(p);
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
	proc_exit(status & 0xff);
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
