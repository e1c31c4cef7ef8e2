/* ktime.h: guest time from the TSC, calibrated by the boot info. */
#ifndef MV_GUEST_KTIME_H
#define MV_GUEST_KTIME_H

#include "kernel.h"

/* ktime_mono_ns(): nanoseconds since the VMM started the guest (CLOCK_MONOTONIC). */
uint64_t ktime_mono_ns(void);
/* ktime_real_ns(): nanoseconds since the Unix epoch (CLOCK_REALTIME). */
int64_t ktime_real_ns(void);
/* ktime_tsc_to_ns(ticks): a TSC interval in nanoseconds. */
uint64_t ktime_tsc_to_ns(uint64_t ticks);

#endif
