/* bench.c: stage timings to the host with MV_HC_BENCH, when `modvisor bench` set MV_BOOT_F_BENCH. */
#include "boot.h"
#include "platform.h"
#include <modvisor/abi/bench.h>
#include <modvisor/abi/bootinfo.h>

void bench_stage(uint32_t stage, uint64_t ticks, uint64_t bytes)
{
	struct mv_hc_bench b = { .stage = stage, .bytes = bytes };

	if (!(boot_info.flags & MV_BOOT_F_BENCH))
		return;
	b.tsc_end = __builtin_ia32_rdtsc();
	b.tsc_start = b.tsc_end - ticks;
	platform->bench(&b);
}
