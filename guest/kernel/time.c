/* time.c: CLOCK_MONOTONIC and CLOCK_REALTIME from the TSC and the boot info. */
#include "arch.h"
#include "boot.h"
#include "ktime.h"

/* ns = ticks * tsc_mult >> 32, with tsc_mult = 10^6 * 2^32 / tsc_khz. */
static uint64_t tsc_mult;

void time_init(void)
{
	uint64_t khz = boot_info.tsc_khz;

	if (khz == 0) {
		printk("time: the VMM gave no TSC frequency; assuming 1 GHz\n");
		khz = 1000000;
	}
	tsc_mult = (1000000ULL << 32) / khz;
}

uint64_t ktime_tsc_to_ns(uint64_t ticks)
{
	return (uint64_t)(((unsigned __int128)ticks * tsc_mult) >> 32);
}

uint64_t ktime_mono_ns(void)
{
	uint64_t now = rdtsc();

	return now > boot_info.boot_tsc ? ktime_tsc_to_ns(now - boot_info.boot_tsc) : 0;
}

int64_t ktime_real_ns(void)
{
	return (int64_t)(boot_info.epoch_ns + ktime_mono_ns());
}

/* For file timestamps (vfs.h). */
int64_t vfs_now_ns(void)
{
	return ktime_real_ns();
}
