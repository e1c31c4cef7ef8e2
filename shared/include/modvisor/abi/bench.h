/* bench.h: the stage numbers of MV_HC_BENCH (struct mv_hc_bench.stage); see docs/benchmarks.md. */
#ifndef MODVISOR_ABI_BENCH_H
#define MODVISOR_ABI_BENCH_H

/*
 * A guest reports a stage only when the boot info has MV_BOOT_F_BENCH; the
 * host keeps the records for `modvisor bench` and ignores them otherwise.
 * Numbers are only appended.  Guest stages of one module load, in order:
 */
enum mv_bench_stage {
	MV_BENCH_COPY_IN     = 1,   /* user buffer or file -> kernel memory */
	MV_BENCH_DECOMPRESS  = 2,   /* gzip/xz/zstd -> plain image */
	MV_BENCH_VERDICT     = 3,   /* the MODULE_LOAD round trip, seen by the guest */
	MV_BENCH_ELF_CHECK   = 4,   /* ELF validation, name, modinfo, versions */
	MV_BENCH_LAYOUT      = 5,   /* layout, allocation and copy of sections */
	MV_BENCH_SYMBOLS     = 6,   /* symbol resolution */
	MV_BENCH_RELOC       = 7,   /* relocation */
	MV_BENCH_PARAMS      = 8,   /* parameter parsing */
	MV_BENCH_INIT        = 9,   /* the module's init */
	MV_BENCH_PROTECT     = 10,  /* final page protections */
	MV_BENCH_LOAD_TOTAL  = 11,  /* the whole syscall */
	MV_BENCH_STAGE_COUNT
};

#endif
