/* proc.h: a guest process (address space, credentials, files) and the command runner. */
#ifndef MV_GUEST_PROC_H
#define MV_GUEST_PROC_H

#include "kernel.h"

/*
 * Process model (docs/guest-kernel.md): processes fork (copy-on-write),
 * exec, exit and are waited for as on Linux; one CPU runs them in turn
 * (sched.h).  The kernel starts each boot command as a process of its own
 * and waits for it; orphans go to pid 1 while it lives, else to the
 * kernel, which reaps them.  `current` is the running process (NULL while
 * the kernel's own idle loop runs).
 */

#define PROC_PATH_MAX   4096    /* PATH_MAX */
#define PROC_COMM_LEN   16      /* TASK_COMM_LEN */
#define PROC_GROUPS_MAX 32      /* supplementary groups kept per process */

/* Linux capability numbers the guest checks. */
#define CAP_SYS_MODULE  16
#define CAP_MKNOD       27
#define CAP_LAST_CAP    40
#define CAP_FULL_SET    ((1ULL << (CAP_LAST_CAP + 1)) - 1)

struct vfs_proc;         /* the file system's (guest/include/vfs.h) */
struct inode;

/* A user address space: page tables plus the brk and mmap bookkeeping. */
struct mm {
	uint64_t pml4_pa;       /* physical address of the top-level table */
	uint64_t image_end;     /* end of the highest loaded segment */
	uint64_t brk_start;     /* page-aligned start of the heap */
	uint64_t brk;           /* current program break */
	uint64_t mmap_top;      /* next mmap without a hint goes below this */
	uint64_t stack_top;     /* highest stack address (exclusive) */
	uint64_t pages;         /* user pages mapped (for limits and stats) */
	int users;              /* processes using it (a vfork child shares it) */
	unsigned stack_prot;    /* VM_* of stack pages (PT_GNU_STACK: maybe VM_EXEC) */
	uint64_t arg_start, arg_end; /* argv strings on the stack (/proc/PID/cmdline) */
};

/* Credentials: real, effective, saved ids and capabilities (sys_cred.c). */
struct creds {
	uint32_t uid, euid, suid, gid, egid, sgid;
	uint64_t cap_effective;
	uint64_t cap_permitted;
	uint64_t cap_inheritable;
};

enum proc_state {
	PROC_RUNNABLE,          /* running or waiting for the CPU */
	PROC_SLEEPING,          /* blocked (sched_sleep) */
	PROC_ZOMBIE,            /* exited, waiting for its parent to reap it */
	PROC_STOPPED,           /* stopped by a signal until SIGCONT */
};

struct process {
	uint8_t fpu[512] __attribute__((aligned(16))); /* FXSAVE area while switched out */
	int pid;                /* 1, 2, ... */
	int pgid, sid;          /* process group and session */
	struct process *parent; /* NULL: the kernel (boot commands, orphans) */
	struct process *next;   /* every process, in creation order (sched.c) */
	struct mm *mm;          /* NULL once exited */
	struct vfs_proc *fs;    /* fds, cwd, exe: owned by guest/fs */
	char exe[PROC_PATH_MAX];  /* path execve resolved (for messages) */
	char comm[PROC_COMM_LEN]; /* basename of exe, for messages */
	struct creds cred;
	uint64_t fs_base;       /* arch_prctl(ARCH_SET_FS) */
	uint64_t clear_child_tid; /* set_tid_address, CLONE_CHILD_CLEARTID */
	uint64_t robust_list;   /* set_robust_list, recorded only */
	uint64_t kstack_pa;     /* kernel stack pages (physical) */
	uint64_t kstack_top;    /* kernel virtual address of its top */
	int kstack_slot;
	uint64_t ksp;           /* saved kernel stack pointer while switched out */
	enum proc_state state;
	const void *wchan;      /* what a sleeping process waits for */
	uint64_t wake_ns;       /* monotonic deadline of a timed sleep; 0: none */
	bool timed_out;         /* the deadline, not a wakeup, ended the sleep */
	int wstatus;            /* wait status once a zombie (wstatus.h) */
	int stop_report;        /* a stop or continue not yet reported to wait (WS_*), or 0 */
	int exit_signal;        /* sent to the parent at exit (SIGCHLD or 0) */
	bool boot_cmd;          /* a boot command: the kernel's runner reaps it */
	struct process *vfork_parent; /* sleeps until this child execs or exits */
	uint64_t start_ns;      /* creation time (for /proc) */
	/* Signals (signal.c, sigdeliver.h). */
	uint64_t sig_pending;   /* bit sig-1: sent, not yet delivered */
	uint64_t sig_blocked;   /* the signal mask */
	uint64_t sig_saved;     /* mask to restore after ppoll/pselect/sigsuspend */
	uint64_t sig_waitset;   /* rt_sigtimedwait: these wake it even when blocked */
	bool sig_restore;       /* sig_saved is set */
	bool sig_iret;          /* return to ring 3 with iretq (all registers) */
	struct k_sigaction {
		uint64_t handler, flags, restorer, mask;
	} sig_action[64];
	struct sig_info_k {     /* what the handler's siginfo says */
		int32_t code, pid, uid, status;
		uint64_t addr;
	} sig_info[64];
	uint64_t ss_sp, ss_size;  /* sigaltstack */
	uint32_t ss_flags;
	uint64_t syscall_nr;    /* the syscall in progress (for restarts) */
	uint32_t groups[PROC_GROUPS_MAX]; /* supplementary groups (setgroups) */
	uint32_t ngroups;
	struct inode *proc_dir; /* /proc/PID (proc_pid.c) */
	uint64_t alarm_ns;      /* ITIMER_REAL deadline (monotonic), 0: none */
	uint64_t alarm_interval_ns;
};

/* The user registers of process p, saved at the top of its kernel stack at entry. */
struct trap_frame;
struct trap_frame *proc_user_frame(struct process *p);

/* The running process, or NULL while the kernel itself runs. */
extern struct process *current;

/* capable(cap): does the current process hold capability cap (effective)? */
bool capable(int cap);

/*
 * proc_exit(wstatus): end the current process with a wait status
 * (wstatus.h: WS_EXITCODE(n) for exit(n), WS_SIGNALED(sig) for a signal):
 * its files and memory go, its children go to pid 1 (or the kernel), it
 * becomes a zombie for its parent, and another process runs.
 */
__noreturn void proc_exit(int wstatus);

/* proc_vfork_release(p): p execs or exits: wake the vfork parent waiting for it. */
void proc_vfork_release(struct process *p);

/* proc_pid_add(p) / proc_pid_remove(p): p's /proc/PID directory (proc_pid.c). */
void proc_pid_add(struct process *p);
void proc_pid_remove(struct process *p);
/* proc_pid_init(): /proc/self/{stat,status,cmdline,maps}, once the file system is up. */
void proc_pid_init(void);

/* proc_find(pid): the process with that pid (zombies too), or NULL. */
struct process *proc_find(int pid);

/*
 * proc_reap(p): free zombie p for good (its parent waited for it, or the
 * kernel reaps an orphan).
 */
void proc_reap(struct process *p);

/*
 * proc_alloc(): a new process with a pid, a kernel stack and root
 * credentials, not yet runnable and without mm or files; NULL if out of
 * memory or pids.  proc_free_unstarted() undoes it.
 */
struct process *proc_alloc(void);
void proc_free_unstarted(struct process *p);

/*
 * run_commands(): run the boot-info commands in order, each resolved through
 * PATH=/bin:/sbin.  Every command runs, even after one failed (a
 * segfaulting test program must not hide the next one's output); the
 * result is the status of the first command that failed, or 0.
 */
int run_commands(void);

/*
 * The file system (guest/include/vfs.h) keeps the per-process file state
 * (fds, cwd, umask, the executable for /proc/self/exe) in a struct
 * vfs_proc; the process core creates it with vfs_proc_create(), calls
 * vfs_proc_exec() at a successful execve and vfs_proc_destroy() at exit,
 * and answers vfs_current() with current->fs.
 */

#endif
