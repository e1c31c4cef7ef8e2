/* sched.h: the process list, the scheduler, sleeping and waking. */
#ifndef MV_GUEST_SCHED_H
#define MV_GUEST_SCHED_H

#include "proc.h"

/*
 * One CPU runs the runnable processes round-robin.  The kernel itself is
 * never preempted (it runs with interrupts off): a process gives up the
 * CPU when it sleeps, exits, or when the timer interrupt ends its slice in
 * ring 3.  When nothing is runnable the kernel's idle loop (the boot
 * command runner, sched_run_until) waits for a deadline or an interrupt.
 */

/* sched_add(p): put new process p on the process list, runnable. */
void sched_add(struct process *p);
/* sched_remove(p): take p off the list (it is being freed). */
void sched_remove(struct process *p);
/* sched_first(): the first process; follow ->next for the rest. */
struct process *sched_first(void);

/*
 * schedule(): switch to the next runnable process (or the idle loop); it
 * returns when the current process is chosen again.  A process that is
 * still PROC_RUNNABLE just yields.
 */
void schedule(void);

/*
 * sched_sleep(chan, wake_ns): block the current process until
 * sched_wakeup(chan) or until the monotonic time wake_ns (0: no deadline).
 * Returns 0 after a wakeup, -ETIMEDOUT at the deadline, -EINTR when a
 * signal is pending (the caller then returns -EINTR or restarts).
 * Callers re-check their condition in a loop: a wakeup is a hint.
 */
int sched_sleep(const void *chan, uint64_t wake_ns);
/* sched_sleep_uninterruptible(chan): sleep until a wakeup; signals do not end it. */
void sched_sleep_uninterruptible(const void *chan);
/* sched_wakeup(chan): make every process sleeping on chan runnable. */
void sched_wakeup(const void *chan);
/* sched_wake(p): make sleeping process p runnable (a signal for it). */
void sched_wake(struct process *p);

/*
 * sched_start_kernel(p, fn, arg): p's first run calls fn(arg) on its kernel
 * stack (which must exec into ring 3 or proc_exit); p becomes runnable.
 */
void sched_start_kernel(struct process *p, void (*fn)(void *), void *arg);
/*
 * sched_start_user(p, f): p's first run returns to ring 3 with registers f
 * (a fork child); p becomes runnable.
 */
void sched_start_user(struct process *p, const struct trap_frame *f);

/*
 * sched_run_until(p): the idle loop: run processes until p is a zombie,
 * reaping orphans the kernel inherited on the way.  Called by the command
 * runner only, with current == NULL.
 */
void sched_run_until(struct process *p);

#endif
