/* bench_stage.h: the loader's stage timings for `modvisor bench` (MV_HC_BENCH), a no-op unless asked. */
#ifndef MOD_BENCH_STAGE_H
#define MOD_BENCH_STAGE_H

#include <stdint.h>
#include <modvisor/abi/bench.h>
#include "loader.h"

/*
 * bench_stage(stage, t0, bytes): report [t0, now) in TSC ticks as stage
 * (enum mv_bench_stage) when the boot info has MV_BOOT_F_BENCH.  Defined in
 * guest/kernel/bench.c; weak here, so the loader's host build (where it is
 * absent) skips the calls.
 */
void bench_stage(uint32_t stage, uint64_t t0, uint64_t bytes) __attribute__((weak));

/* bench_t0(): the TSC, as a stage's start. */
static inline uint64_t bench_t0(void)
{
	return __builtin_ia32_rdtsc();
}

#define BENCH_STAGE(stage, t0, bytes) \
	do { if (bench_stage) bench_stage((stage), (t0), (bytes)); } while (0)

/*
 * bench_load_timings(tm, len): mod_load()'s own stage timings (loader.h,
 * struct mod_timings, TSC ticks) as MV_HC_BENCH records; stages not reached
 * are skipped.
 */
static inline void bench_load_timings(const struct mod_timings *tm, uint64_t len)
{
	static const uint8_t to_bench[MOD_STAGE_COUNT] = {
		[MOD_STAGE_HOST] = MV_BENCH_VERDICT, [MOD_STAGE_ELF] = MV_BENCH_ELF_CHECK,
		[MOD_STAGE_LAYOUT] = MV_BENCH_LAYOUT, [MOD_STAGE_SYMBOLS] = MV_BENCH_SYMBOLS,
		[MOD_STAGE_RELOC] = MV_BENCH_RELOC, [MOD_STAGE_PARAMS] = MV_BENCH_PARAMS,
		[MOD_STAGE_INIT] = MV_BENCH_INIT, [MOD_STAGE_PROTECT] = MV_BENCH_PROTECT,
	};

	for (int s = 0; bench_stage && s < MOD_STAGE_COUNT; s++)
		if (tm->ticks[s])
			bench_stage(to_bench[s], bench_t0() - tm->ticks[s], len);
}

#endif
