/* proc_pid.c: /proc/PID/{stat,status,cmdline,maps} for every process and the same under /proc/self. */
#include "ktime.h"
#include "proc.h"
#include "pseudofs.h"
#include "sched.h"
#include "umm.h"

/*
 * Each process gets /proc/PID when it starts and loses it when it is
 * reaped; the files are generated on open from the process's state.
 * /proc/self/{stat,status,cmdline,maps} show the process that opens them
 * (priv NULL).  busybox ps, top and pgrep read these.
 */
#define PROC_SELF NULL

/* The process a file speaks of: the pid in priv, or the opener. */
static struct process *pid_target(void *priv)
{
	return priv == PROC_SELF ? current : proc_find((int)(intptr_t)priv);
}

static char pid_state(const struct process *p)
{
	if (p->state == PROC_STOPPED)
		return 'T';
	return p->state == PROC_ZOMBIE ? 'Z' : p == current || p->state == PROC_RUNNABLE ? 'R' : 'S';
}

static const char *pid_state_name(const struct process *p)
{
	switch (pid_state(p)) {
	case 'Z': return "Z (zombie)";
	case 'R': return "R (running)";
	case 'T': return "T (stopped)";
	default:  return "S (sleeping)";
	}
}

static uint64_t pid_vsize(const struct process *p)
{
	return p->mm ? p->mm->pages * PAGE_SIZE : 0;
}

/* /proc/PID/stat: Linux's 52 fields (the ones we do not keep are 0). */
static int show_stat(struct pseudo_buf *out, void *priv)
{
	struct process *p = pid_target(priv);
	uint64_t start = p ? p->start_ns / 10000000 : 0;         /* clock ticks, 100 Hz */

	if (!p)
		return -ESRCH;
	pbuf_printf(out, "%d (%s) %c %d %d %d %d %d 4194304 0 0 0 0 0 0 0 0 20 0 1 0 %llu %llu %llu "
		    "18446744073709551615", p->pid, p->comm, pid_state(p),
		    p->parent ? p->parent->pid : 0, p->pgid, p->sid, 0x501, -1,
		    (unsigned long long)start, (unsigned long long)pid_vsize(p),
		    (unsigned long long)(p->mm ? p->mm->pages : 0));
	for (int i = 26; i <= 52; i++)
		pbuf_write(out, " 0", 2);
	return pbuf_write(out, "\n", 1);
}

static int show_status(struct pseudo_buf *out, void *priv)
{
	struct process *p = pid_target(priv);
	const struct creds *c;

	if (!p)
		return -ESRCH;
	c = &p->cred;
	return pbuf_printf(out, "Name:\t%s\nUmask:\t0022\nState:\t%s\nTgid:\t%d\nNgid:\t0\n"
			   "Pid:\t%d\nPPid:\t%d\nTracerPid:\t0\nUid:\t%u\t%u\t%u\t%u\n"
			   "Gid:\t%u\t%u\t%u\t%u\nVmSize:\t%llu kB\nVmRSS:\t%llu kB\n"
			   "Threads:\t1\nSigPnd:\t%016llx\nSigBlk:\t%016llx\n"
			   "CapPrm:\t%016llx\nCapEff:\t%016llx\n",
			   p->comm, pid_state_name(p), p->pid, p->pid, p->parent ? p->parent->pid : 0,
			   c->uid, c->euid, c->suid, c->euid, c->gid, c->egid, c->sgid, c->egid,
			   (unsigned long long)(pid_vsize(p) / 1024),
			   (unsigned long long)(pid_vsize(p) / 1024),
			   (unsigned long long)p->sig_pending, (unsigned long long)p->sig_blocked,
			   (unsigned long long)c->cap_permitted, (unsigned long long)c->cap_effective);
}

/* /proc/PID/cmdline: the argv strings, NUL-separated; empty for a zombie. */
static int show_cmdline(struct pseudo_buf *out, void *priv)
{
	struct process *p = pid_target(priv);
	char buf[256];

	if (!p)
		return -ESRCH;
	if (!p->mm || p->mm->arg_end <= p->mm->arg_start)
		return 0;
	for (uint64_t va = p->mm->arg_start; va < p->mm->arg_end; va += sizeof(buf)) {
		size_t n = MIN(sizeof(buf), p->mm->arg_end - va);

		if (umm_read(p->mm, va, buf, n))
			break;
		pbuf_write(out, buf, n);
	}
	return 0;
}

/* The name Linux shows after a mapping. */
static const char *map_name(const struct mm *mm, uint64_t lo)
{
	if (lo >= mm->brk_start && lo < ALIGN_UP(mm->brk, PAGE_SIZE) && mm->brk > mm->brk_start)
		return "[heap]";
	if (lo >= mm->stack_top - UMM_STACK_MAX && lo < mm->stack_top)
		return "[stack]";
	return "";
}

/* /proc/PID/maps: runs of pages with the same protection (there are no VMAs to show). */
static int show_maps(struct pseudo_buf *out, void *priv)
{
	struct process *p = pid_target(priv);
	uint64_t va = 0;
	int prot, next_prot;

	if (!p)
		return -ESRCH;
	if (!p->mm)
		return 0;
	va = umm_next_mapped(p->mm, 0, &prot);
	while (va < UMM_STACK_TOP) {
		uint64_t end = va + PAGE_SIZE, nva;
		const char *name = map_name(p->mm, va);

		while ((nva = umm_next_mapped(p->mm, end, &next_prot)) == end &&
		       next_prot == prot && !strcmp(map_name(p->mm, nva), name))
			end += PAGE_SIZE;
		pbuf_printf(out, "%08llx-%08llx %c%c%cp 00000000 00:00 0%s%s\n",
			    (unsigned long long)va, (unsigned long long)end,
			    prot & VM_READ ? 'r' : '-', prot & VM_WRITE ? 'w' : '-',
			    prot & VM_EXEC ? 'x' : '-', *name ? "                          " : "",
			    name);
		va = nva;
		prot = next_prot;
	}
	return 0;
}

/* The four files of a /proc/PID (or /proc/self) directory. */
static void proc_pid_files(struct inode *dir, void *priv)
{
	pseudo_create_file(dir, "stat", 0444, show_stat, NULL, priv);
	pseudo_create_file(dir, "status", 0444, show_status, NULL, priv);
	pseudo_create_file(dir, "cmdline", 0444, show_cmdline, NULL, priv);
	pseudo_create_file(dir, "maps", 0444, show_maps, NULL, priv);
}

void proc_pid_add(struct process *p)
{
	char name[16];

	if (!procfs_root())
		return;
	snprintf(name, sizeof(name), "%d", p->pid);
	p->proc_dir = pseudo_mkdir(procfs_root(), name, 0555);
	if (p->proc_dir)
		proc_pid_files(p->proc_dir, (void *)(intptr_t)p->pid);
}

void proc_pid_remove(struct process *p)
{
	pseudo_remove(p->proc_dir);
	p->proc_dir = NULL;
}

void proc_pid_init(void)
{
	struct vfs_proc *none = NULL;
	struct inode *self;

	if (!procfs_root() || vfs_lookup(none, AT_FDCWD, "/proc/self", VFS_LOOKUP_DIR, &self))
		return;
	proc_pid_files(self, PROC_SELF);
	vfs_inode_put(self);
}
