/* bench_hc.c: MV_HC_BENCH, the guest's stage timings, kept for `modvisor bench`. */
#include <string.h>
#include "bench_hc.h"
#include "hypercall.h"
#include "modvisor/abi/bootinfo.h"

_Static_assert(sizeof(struct mv_hc_bench) == 48, "mv_hc_bench size");

HYPERCALL_DEFINE(MV_HC_BENCH, struct mv_hc_bench, hc_bench);

/* One VM per process, so one table per process (a forked child gets its own). */
static struct bench_stage_rec bench_recs[BENCH_HC_MAX_RECS];
static unsigned bench_nrecs;

static int hc_bench(struct vm *vm, struct mv_hc_bench *a)
{
	a->hdr.ret = 0;
	/* Without MV_BOOT_F_BENCH nobody asked: accept and drop. */
	if (!(vm->boot_flags & MV_BOOT_F_BENCH) || bench_nrecs >= BENCH_HC_MAX_RECS)
		return HC_CONTINUE;
	bench_recs[bench_nrecs++] = (struct bench_stage_rec){
		.stage = a->stage, .ticks = a->tsc_end - a->tsc_start, .bytes = a->bytes,
	};
	return HC_CONTINUE;
}

const struct bench_stage_rec *bench_hc_records(unsigned *n)
{
	*n = bench_nrecs;
	return bench_recs;
}

void bench_hc_reset(void)
{
	bench_nrecs = 0;
	memset(bench_recs, 0, sizeof(bench_recs));
}
