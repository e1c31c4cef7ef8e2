/* bench_vm.h: boot a guest in this process on the vCPU loop with exit hooks, and the raw-exit VM. */
#ifndef MODVISOR_VMM_BENCH_VM_H
#define MODVISOR_VMM_BENCH_VM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "bench_kstats.h"
#include "boot.h"
#include "modvisor/abi/hypercall.h"

#define BENCH_MAX_LOADS  256
#define BENCH_NEXITS     64
#define BENCH_MAX_BLOCKS 256

struct authority;

/* What to boot. */
struct bench_guest_spec {
	const char *kernel;
	const char *initrd;             /* NULL: no initrd */
	const char *cmdline;
	const struct boot_cmd *cmds;
	int ncmds;
	const uint8_t *extra;           /* an extra newc archive (like --add), or NULL */
	size_t extra_len;
	uint64_t mem_mib;
	uint32_t boot_flags;            /* MV_BOOT_F_* */
	struct authority *auth;         /* module authority, or NULL */
	uint64_t nop_stop;              /* stop after this many MV_HC_NOP (0: never) */
	struct bench_raw *raw;          /* if set: after every nop_block MV_HC_NOP, */
	uint32_t nop_block;             /* run nop_block exits of this raw VM */
	const char *console_log;        /* the guest's stdout+stderr go here; NULL: /dev/null */
	bool protect;                   /* kernel text read-only; violations discarded
	                                 * quietly (integrity.h) */
};

/* The state of the run when something happened: host TSC and exits so far. */
struct bench_mark {
	bool hit;
	uint64_t tsc;
	uint64_t exits;                 /* all exits so far, this one excluded */
	uint64_t by_exit[BENCH_NEXITS]; /* by KVM exit reason, this one excluded */
	uint64_t by_hc[MV_HC_COUNT];    /* hypercalls by number, this one excluded */
	bool kvalid;                    /* kstat[] read from KVM's vCPU statistics */
	uint64_t kstat[BENCH_KSTATS];   /* bench_kstat_names[]: every exit, also the
	                                 * ones KVM handles itself (this one excluded) */
};

struct bench_guest_trace {
	uint64_t t0;                    /* host TSC before the VM was created */
	struct bench_mark user;         /* first stdout write: the first user program's
	                                 * first instruction is that write(2) */
	struct bench_mark loaded;       /* first MV_MODEV_LOADED event */
	struct bench_mark end;          /* the VM stopped */
	uint64_t nops, nop_first, nop_last;   /* MV_HC_NOP exits and their TSCs */
	int nblocks;                    /* interleaved blocks (spec raw, nop_block) */
	uint64_t blk_first, blk_count;  /* the block being timed */
	double blk_nop[BENCH_MAX_BLOCKS];     /* ticks per null hypercall in block i */
	double blk_raw[BENCH_MAX_BLOCKS];     /* ticks per raw exit right after it */
	int nloads;                     /* MV_MODEV_LOADED events */
	uint64_t load_host[BENCH_MAX_LOADS];  /* ticks in the MODULE_LOAD handler */
	uint64_t load_guest[BENCH_MAX_LOADS]; /* ticks from its verdict to LOADED */
	int nseals;                     /* MV_HC_MODULE_SEAL exits */
	uint64_t seal_host[BENCH_MAX_LOADS];  /* ticks in the MODULE_SEAL handler: re-derivation,
	                                 * comparison, digest, memslots, log entry */
	uint64_t load_first;            /* TSC of the first MODULE_LOAD exit */
	uint64_t loaded_last;           /* TSC of the last LOADED event */
	uint64_t rss_kib, hwm_kib;      /* the process's VmRSS/VmHWM at the end */
	uint64_t anon_kib, file_kib;    /* RssAnon (heap, stacks, guest RAM), RssFile
	                                 * (modvisor's and its libraries' pages) */
	uint64_t private_kib;           /* pages no other process maps (smaps_rollup) */
	uint64_t shared_kib;            /* pages other processes map too (libraries) */
	uint64_t guest_resident_kib;    /* guest RAM pages resident (mincore) */
	int status;                     /* the VM's exit status */
	char why[512];                  /* the VM's diagnostic, if failed */
};

/*
 * bench_guest_run(s, t): create a VM, load s->kernel, boot it with s's
 * initrd/commands/flags and run it to the end on modvisor's own vCPU loop
 * (vm_run()), whose hooks (struct vm_hooks) note the events of struct
 * bench_guest_trace before each is handled.
 * Returns 0 when the VM ran (t->status is its status), -1 when it could not
 * be set up (after a message).
 */
int bench_guest_run(const struct bench_guest_spec *s, struct bench_guest_trace *t);

/*
 * The physical limit: a minimal VM (real mode, `outl` to one port in a
 * loop) whose vCPU loop handles only KVM_EXIT_IO, with no dispatch.
 * bench_raw_open() makes one (NULL after a message); bench_raw_run(raw, n,
 * ticks) runs n exits, *ticks = host TSC ticks per exit between the first
 * and the last (0 or -1 after a message); bench_raw_close() frees it.
 */
struct bench_raw;
struct bench_raw *bench_raw_open(void);
int bench_raw_run(struct bench_raw *raw, uint64_t n, double *ticks);
void bench_raw_close(struct bench_raw *raw);

/* bench_exit_total(m): the exits in m. */
uint64_t bench_exit_total(const struct bench_mark *m);

#endif
