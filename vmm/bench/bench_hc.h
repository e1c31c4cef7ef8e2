/* bench_hc.h: the stage timings guests report with MV_HC_BENCH. */
#ifndef MODVISOR_VMM_BENCH_HC_H
#define MODVISOR_VMM_BENCH_HC_H

#include <stdint.h>
#include "modvisor/abi/bench.h"

#define BENCH_HC_MAX_RECS 4096

struct bench_stage_rec {
	uint32_t stage;         /* enum mv_bench_stage */
	uint64_t ticks;         /* guest TSC ticks (tsc_end - tsc_start) */
	uint64_t bytes;
};

/* bench_hc_records(n): the records so far (*n of them), oldest first. */
const struct bench_stage_rec *bench_hc_records(unsigned *n);

/* bench_hc_reset(): forget them (before a new VM). */
void bench_hc_reset(void);

#endif
