/* bench_kstats.c: read a vCPU's KVM binary statistics: all exits, including those handled in the kernel. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <linux/kvm.h>
#include "bench_kstats.h"

const char *const bench_kstat_names[BENCH_KSTATS] = {
	"exits", "io_exits", "mmio_exits", "halt_exits", "irq_exits", "signal_exits",
	"insn_emulation", "pf_taken",
};

/* bench_kstats_scan(k, h): match the descriptors against bench_kstat_names. */
static int bench_kstats_scan(struct bench_kstats *k, const struct kvm_stats_header *h)
{
	size_t dsz = sizeof(struct kvm_stats_desc) + h->name_size;
	uint8_t *d = malloc(dsz * h->num_desc);
	int found = 0;

	if (!d || pread(k->fd, d, dsz * h->num_desc, h->desc_offset) != (ssize_t)(dsz * h->num_desc)) {
		free(d);
		return -1;
	}
	for (uint32_t i = 0; i < h->num_desc; i++) {
		const struct kvm_stats_desc *sd = (const void *)(d + i * dsz);

		for (int j = 0; j < BENCH_KSTATS; j++) {
			if (sd->size >= 1 && strncmp(sd->name, bench_kstat_names[j], h->name_size) == 0) {
				k->off[j] = (uint64_t)h->data_offset + sd->offset;
				found++;
			}
		}
	}
	free(d);
	return found ? 0 : -1;
}

int bench_kstats_open(int vcpu_fd, struct bench_kstats *k)
{
	struct kvm_stats_header h;

	memset(k, 0, sizeof(*k));
	k->fd = ioctl(vcpu_fd, KVM_GET_STATS_FD, NULL);
	if (k->fd < 0)
		return k->fd = -1, -1;
	if (pread(k->fd, &h, sizeof(h), 0) != (ssize_t)sizeof(h) || bench_kstats_scan(k, &h)) {
		bench_kstats_close(k);
		return -1;
	}
	return 0;
}

bool bench_kstats_read(const struct bench_kstats *k, uint64_t out[BENCH_KSTATS])
{
	memset(out, 0, BENCH_KSTATS * sizeof(out[0]));
	if (k->fd < 0)
		return false;
	for (int j = 0; j < BENCH_KSTATS; j++)
		if (k->off[j] && pread(k->fd, &out[j], sizeof(out[j]), (off_t)k->off[j]) != sizeof(out[j]))
			out[j] = 0;
	return true;
}

void bench_kstats_close(struct bench_kstats *k)
{
	if (k->fd >= 0)
		close(k->fd);
	k->fd = -1;
}
