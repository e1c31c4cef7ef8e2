/* accel.h: where a run happens: a usable /dev/kvm, or the emulated KVM host. */
#ifndef MODVISOR_VMM_ACCEL_H
#define MODVISOR_VMM_ACCEL_H

#include <stddef.h>

enum accel_mode { ACCEL_AUTO, ACCEL_KVM, ACCEL_EMULATED };

/* accel_parse(s, out): "auto", "kvm" or "emulated"; -1 otherwise. */
int accel_parse(const char *s, enum accel_mode *out);

/*
 * accel_probe_kvm(why, len): run a tiny probe VM that does what the guest
 * needs (long mode in the top 2 GiB, a drop to ring 3, syscall into ring 0,
 * sysretq back, a report through a port) under a deadline.  Returns 0 when
 * /dev/kvm is usable, else -1 with a one-line reason in why.  The env var
 * MODVISOR_NOPROBE=1 (developers only) skips the probe and trusts /dev/kvm.
 */
int accel_probe_kvm(char *why, size_t len);

#endif
