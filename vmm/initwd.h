/* initwd.h: the module init watchdog: an NMI for a module init that runs past its limit. */
#ifndef MODVISOR_VMM_INITWD_H
#define MODVISOR_VMM_INITWD_H

#include <stdbool.h>
#include <stdint.h>
#include <linux/kvm.h>

#define INITWD_DEFAULT_S  10u     /* --init-timeout's default */
#define INITWD_RETRY_MS   100u    /* NMIs are repeated this often past the limit */

/*
 * initwd_start(run, load_id, ms): the guest said (MV_MODEV_INIT_START) that
 * load load_id runs its module's init.  After ms milliseconds, and every
 * INITWD_RETRY_MS after that, set run->immediate_exit so the vCPU loop
 * gets control and calls initwd_take().  ms 0 arms nothing.  A start while
 * armed moves the watchdog to the new load.  Returns 0 or -errno.
 */
int initwd_start(struct kvm_run *run, uint32_t load_id, unsigned long ms);

/*
 * initwd_stop(load_id): the outcome of load_id arrived; stop the watchdog
 * if it watches that load (any other id leaves it running).
 */
void initwd_stop(uint32_t load_id);

/* initwd_disarm(): stop the watchdog whatever it watches; safe to repeat. */
void initwd_disarm(void);

/*
 * initwd_take(run): after KVM_RUN returned EINTR: if the watchdog kicked
 * the vCPU, clear run->immediate_exit again (the caller sets it back if the
 * --timeout watchdog fired too) and return whether an NMI is due: true
 * once per expiry while the load is watched, false for an expiry that
 * raced with its outcome.  The caller injects the NMI with KVM_NMI.
 */
bool initwd_take(struct kvm_run *run);

/* initwd_nmis(): NMIs asked for since the last initwd_start(). */
unsigned initwd_nmis(void);

#endif
