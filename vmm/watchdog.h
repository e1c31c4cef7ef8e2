/* watchdog.h: a deadline that kicks a vCPU out of KVM_RUN (SIGALRM + immediate_exit). */
#ifndef MODVISOR_VMM_WATCHDOG_H
#define MODVISOR_VMM_WATCHDOG_H

#include <stdbool.h>
#include <linux/kvm.h>

/*
 * watchdog_arm(run, ms): after ms milliseconds of wall-clock time, set
 * run->immediate_exit, so the KVM_RUN in progress (or the next one)
 * returns -1/EINTR instead of running the guest.  ms 0 arms nothing.
 * One watchdog at a time (it owns SIGALRM and ITIMER_REAL until
 * watchdog_disarm()).  Returns 0 or -errno.
 */
int watchdog_arm(struct kvm_run *run, unsigned long ms);

/* watchdog_disarm(): stop the timer and give SIGALRM back; safe to repeat. */
void watchdog_disarm(void);

/* watchdog_fired(): true once the deadline of the last watchdog_arm() passed. */
bool watchdog_fired(void);

#endif
