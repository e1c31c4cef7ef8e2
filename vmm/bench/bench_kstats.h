/* bench_kstats.h: a vCPU's KVM statistics (KVM_GET_STATS_FD): every exit, also those KVM handles itself. */
#ifndef MODVISOR_VMM_BENCH_KSTATS_H
#define MODVISOR_VMM_BENCH_KSTATS_H

#include <stdbool.h>
#include <stdint.h>

/* The counters kept, by name as KVM's x86 vCPU stats call them. */
#define BENCH_KSTATS 8
extern const char *const bench_kstat_names[BENCH_KSTATS];

struct bench_kstats {
	int fd;                         /* the stats fd, or -1 when unsupported */
	uint64_t off[BENCH_KSTATS];     /* file offset of each counter, 0 = absent */
};

/*
 * bench_kstats_open(vcpu_fd, k): find the counters in the vCPU's binary
 * stats (Linux 5.14+).  Returns 0, or -1 (k->fd = -1) when KVM has none.
 */
int bench_kstats_open(int vcpu_fd, struct bench_kstats *k);

/* bench_kstats_read(k, out): the counters now; 0 for an absent one.  false if none. */
bool bench_kstats_read(const struct bench_kstats *k, uint64_t out[BENCH_KSTATS]);

/* bench_kstats_close(k): close the stats fd. */
void bench_kstats_close(struct bench_kstats *k);

#endif
