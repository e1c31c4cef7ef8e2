/* sigstop.h: SIGINT, SIGTERM and SIGHUP stop the VM cleanly (the log gets its end entry). */
#ifndef MODVISOR_VMM_SIGSTOP_H
#define MODVISOR_VMM_SIGSTOP_H

#include <linux/kvm.h>

/*
 * sigstop_arm(run): from now on SIGINT, SIGTERM and SIGHUP set
 * run->immediate_exit, so KVM_RUN returns EINTR and the vCPU loop stops
 * the VM; the run then completes its log and exits 128 + the signal.
 * 0 or -errno.
 */
int sigstop_arm(struct kvm_run *run);

/* sigstop_disarm(): back to the default actions; safe to repeat. */
void sigstop_disarm(void);

/* sigstop_signal(): the signal that asked to stop, or 0. */
int sigstop_signal(void);

#endif
