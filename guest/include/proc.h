/* proc.h: a guest process (address space, credentials, files) and the command runner. */
#ifndef MV_GUEST_PROC_H
#define MV_GUEST_PROC_H

#include "kernel.h"

/*
 * Process model (docs/guest-kernel.md): there is no fork and no scheduler.
 * The kernel runs the commands from the boot info one after another; each
 * becomes one process with its own user address space that runs in ring 3
 * until it exits, is killed by a fault, or replaces itself with execve.
 * `current` is that process while one runs (NULL otherwise).
 */

#define PROC_PATH_MAX   4096    /* PATH_MAX */
#define PROC_COMM_LEN   16      /* TASK_COMM_LEN */

/* Linux capability numbers the guest checks. */
#define CAP_SYS_MODULE  16
#define CAP_LAST_CAP    40
#define CAP_FULL_SET    ((1ULL << (CAP_LAST_CAP + 1)) - 1)

struct vfs_proc;         /* the file system's (guest/include/vfs.h) */

/* A user address space: page tables plus the brk and mmap bookkeeping. */
struct mm {
	uint64_t pml4_pa;       /* physical address of the top-level table */
	uint64_t image_end;     /* end of the highest loaded segment */
	uint64_t brk_start;     /* page-aligned start of the heap */
	uint64_t brk;           /* current program break */
	uint64_t mmap_top;      /* next mmap without a hint goes below this */
	uint64_t stack_top;     /* highest stack address (exclusive) */
	uint64_t pages;         /* user pages mapped (for limits and stats) */
};

/* Credentials: uid/gid are always 0; capabilities may be dropped (capset). */
struct creds {
	uint32_t uid, euid, suid, gid, egid, sgid;
	uint64_t cap_effective;
	uint64_t cap_permitted;
	uint64_t cap_inheritable;
};

/* The callee-saved state the runner resumes when the process ends. */
struct proc_resume {
	uint64_t rbx, rbp, r12, r13, r14, r15, rsp, rip;
};

struct process {
	int pid;                /* 1, 2, ...: one per command */
	int ppid;               /* 0: the kernel started it */
	struct mm *mm;
	struct vfs_proc *fs;    /* fds, cwd, exe: owned by guest/fs */
	char exe[PROC_PATH_MAX];  /* path execve resolved (for messages) */
	char comm[PROC_COMM_LEN]; /* basename of exe, for messages */
	struct creds cred;
	uint64_t fs_base;       /* arch_prctl(ARCH_SET_FS) */
	uint64_t clear_child_tid; /* set_tid_address */
	uint64_t robust_list;   /* set_robust_list, recorded only */
	uint64_t kstack_pa;     /* kernel stack pages (physical) */
	uint64_t kstack_top;    /* kernel virtual address of its top */
	int exit_status;        /* 0-255 as a shell shows it (139 = SIGSEGV) */
	bool exited;
	struct proc_resume resume;
};

/* The running process, or NULL while the kernel itself runs. */
extern struct process *current;

/* capable(cap): does the current process hold capability cap (effective)? */
bool capable(int cap);

/*
 * proc_exit(status): end the current process with a shell-style status
 * (exit(n) gives n & 0xff; a signal gives 128 + signo) and return to the
 * command runner.  Called by exit/exit_group and the fault handlers.
 */
__noreturn void proc_exit(int status);

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
