/* memslot.h: guest RAM as KVM memory slots: read-only ranges split out of RAM and merged back. */
#ifndef MODVISOR_VMM_MEMSLOT_H
#define MODVISOR_VMM_MEMSLOT_H

#include <stdbool.h>
#include <stdint.h>
#include <linux/kvm.h>

/*
 * Guest RAM [0, size) is tiled by ranges, each one KVM memory slot, either
 * writable or KVM_MEM_READONLY.  Making a range read-only splits the slot
 * it falls in (up to three slots); making it writable again merges it with
 * its neighbours, so adjacent ranges of the same kind are always one slot.
 * KVM only lets a slot change while no vCPU is in KVM_RUN: modvisor has one
 * vCPU, so changing slots from an exit handler is safe.
 */
struct memslot_range {
	uint64_t gpa, len;
	bool ro;
	uint32_t slot;          /* KVM slot id */
};

struct memslots {
	int vm_fd;
	uint8_t *host;          /* host mapping of GPA 0 */
	uint64_t size;          /* bytes of guest RAM */
	uint32_t max;           /* slots KVM allows (KVM_CAP_NR_MEMSLOTS) */
	struct memslot_range *r;
	uint32_t n;             /* ranges, sorted by gpa, tiling [0, size) */
	/* KVM_SET_USER_MEMORY_REGION; unit tests put a recorder here. */
	int (*set)(int vm_fd, const struct kvm_userspace_memory_region *region);
	uint64_t ioctls;        /* calls of set, for tests and benchmarks */
};

/*
 * memslots_init(ms, vm_fd, host, size, max): take over guest RAM that
 * mem_register() made slot 0, writable.  max is KVM's slot limit.  Returns
 * 0 or -ENOMEM.
 */
int memslots_init(struct memslots *ms, int vm_fd, uint8_t *host, uint64_t size, uint32_t max);

/*
 * memslots_set_ro(ms, gpa, len, ro): make [gpa, gpa+len) read-only (ro) or
 * writable for the guest, splitting and merging slots.  gpa and len must be
 * page-aligned and inside RAM (else -EINVAL).  Returns 0; -ENOSPC when the
 * result would need more than ms->max slots (nothing changed); -ENOMEM; or
 * the -errno of a failed ioctl after the old slots were put back.
 */
int memslots_set_ro(struct memslots *ms, uint64_t gpa, uint64_t len, bool ro);

/*
 * memslots_plan(ms, gpa, len, ro, out, nout): the ranges memslots_set_ro()
 * would make (slot ids not yet assigned): a malloc'd array in *out of *nout
 * entries.  0 or -ENOMEM.
 */
int memslots_plan(const struct memslots *ms, uint64_t gpa, uint64_t len, bool ro,
		  struct memslot_range **out, uint32_t *nout);

/* memslots_ro_at(ms, gpa): true when guest-physical gpa is read-only to the guest. */
bool memslots_ro_at(const struct memslots *ms, uint64_t gpa);

/* memslots_count(ms, ro): how many slots are read-only (ro) or writable. */
uint32_t memslots_count(const struct memslots *ms, bool ro);

/* memslots_free(ms): forget the ranges (the VM's slots die with it). */
void memslots_free(struct memslots *ms);

#endif
