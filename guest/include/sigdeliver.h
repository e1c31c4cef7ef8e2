/* sigdeliver.h: sending signals, and delivering them on the way back to ring 3. */
#ifndef MV_GUEST_SIGDELIVER_H
#define MV_GUEST_SIGDELIVER_H

#include "proc.h"
#include "signal.h"

struct trap_frame;

#define SIG_DFL 0
#define SIG_IGN 1

/* SIGBIT(sig): sig's bit in a mask or pending set (bit sig - 1). */
#define SIGBIT(sig)     (1ULL << ((sig) - 1))

#define SA_NOCLDSTOP 0x00000001
#define SA_NOCLDWAIT 0x00000002
#define SA_SIGINFO   0x00000004
#define SA_RESTORER  0x04000000
#define SA_ONSTACK   0x08000000
#define SA_RESTART   0x10000000
#define SA_NODEFER   0x40000000
#define SA_RESETHAND 0x80000000u

/* si_code values. */
#define SI_USER      0
#define SI_KERNEL    0x80
#define SI_QUEUE     (-1)
#define SI_TKILL     (-6)
#define SEGV_MAPERR  1
#define SEGV_ACCERR  2
#define BUS_ADRERR   2
#define ILL_ILLOPN   2
#define FPE_INTDIV   1
#define TRAP_BRKPT   1

/*
 * signal_send(p, sig): send sig to p from the kernel (SIGPIPE, SIGCHLD,
 * SIGALRM, SIGINT), with si_code SI_KERNEL.  An ignored signal is dropped;
 * a sleeping p is woken to take it.
 */
void signal_send(struct process *p, int sig);
/* signal_send_info(p, sig, info): signal_send with the siginfo the handler sees. */
void signal_send_info(struct process *p, int sig, const struct sig_info_k *info);

/*
 * signal_stop_cont(p, sig): the job-control side of sending sig: SIGCONT
 * (or SIGKILL) resumes a stopped p and drops pending stop signals; a stop
 * signal drops a pending SIGCONT.  Called by signal_send_info().
 */
void signal_stop_cont(struct process *p, int sig);

/* signal_pending(): has the current process a signal it must take now? */
bool signal_pending(void);

/*
 * signal_return(f): the current process goes back to ring 3 with registers
 * f: act on its pending signals (default action, or build a handler's
 * frame on its stack) and settle a syscall's restart codes.  Returns true
 * when f changed so that it must be restored with iretq.
 */
bool signal_return(struct trap_frame *f);

/*
 * signal_fault(f, sig, code, addr): a user fault: deliver sig to a handler
 * if there is one that is not blocked, else kill the process; returns
 * false for "kill" (the caller prints the shell's message first).
 */
bool signal_fault(struct trap_frame *f, int sig, int code, uint64_t addr);

/*
 * signal_mask_swap(uset, size): ppoll/pselect: run with the mask at user
 * address uset (0: unchanged) until signal_mask_restore().  0, -EINVAL
 * (size is not 8) or -EFAULT.
 */
int signal_mask_swap(uaddr_t uset, uint64_t size);
/*
 * signal_mask_restore(interrupted): put the old mask back; when a signal
 * interrupted the call its handler runs with the temporary mask first.
 */
void signal_mask_restore(bool interrupted);

/* signal_fork(c, p): the child inherits handlers, mask and altstack, nothing pending. */
void signal_fork(struct process *c, const struct process *p);
/* signal_exec(p): execve resets caught signals to SIG_DFL and the altstack. */
void signal_exec(struct process *p);
/* signal_child_exit(p): p became a zombie: SIGCHLD (its exit_signal) to the parent. */
void signal_child_exit(struct process *p);
/* signal_parent_reaps(parent): does the parent want zombies (not SIGCHLD SIG_IGN/SA_NOCLDWAIT)? */
bool signal_parent_reaps(const struct process *parent);

/*
 * signal_sigreturn(f): rt_sigreturn: restore the registers, mask and FPU
 * state a handler's frame saved; returns the restored rax.
 */
long signal_sigreturn(struct trap_frame *f);

/* signal_timers(now): send SIGALRM for ITIMER_REAL deadlines that passed. */
void signal_timers(uint64_t now);

#endif
