/* mem.c: guest RAM: one anonymous mapping, registered as KVM slot 0 at GPA 0. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <linux/kvm.h>
#include "mem.h"

/*
 * mem_map_aligned(size): an anonymous mapping whose start is 2 MiB aligned,
 * so that GPA and host address agree modulo 2 MiB and KVM can map guest RAM
 * with 2 MiB pages: one nested page fault per 2 MiB the guest touches
 * instead of one per 4 KiB (docs/benchmarks.md, boot exits).
 */
static void *mem_map_aligned(uint64_t size)
{
	const uint64_t huge = 2u << 20;
	uint8_t *p = mmap(NULL, size + huge, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	uint64_t lead;

	if (p == MAP_FAILED)
		return p;
	lead = (huge - ((uintptr_t)p & (huge - 1))) & (huge - 1);
	if (lead)
		munmap(p, lead);
	munmap(p + lead + size, huge - lead);
	return p + lead;
}

int mem_alloc(struct guest_mem *m, uint64_t size)
{
	void *p;

	m->host = NULL;
	m->size = 0;
	if (size == 0 || size % (2u << 20) != 0)
		return -EINVAL;
	p = mem_map_aligned(size);
	if (p == MAP_FAILED)
		return -errno;
	/* Huge pages make the guest's TLB misses cheaper; a hint only. */
	(void)madvise(p, size, MADV_HUGEPAGE);
	m->host = p;
	m->size = size;
	return 0;
}

int mem_register(const struct guest_mem *m, int vm_fd)
{
	struct kvm_userspace_memory_region r = {
		.slot = 0,
		.flags = 0,
		.guest_phys_addr = 0,
		.memory_size = m->size,
		.userspace_addr = (uint64_t)(uintptr_t)m->host,
	};

	if (ioctl(vm_fd, KVM_SET_USER_MEMORY_REGION, &r) < 0)
		return -errno;
	return 0;
}

void mem_free(struct guest_mem *m)
{
	if (m->host)
		munmap(m->host, m->size);
	m->host = NULL;
	m->size = 0;
}

void *mem_gpa_checked(const struct guest_mem *m, uint64_t gpa, uint64_t len,
		      const char *file, int line)
{
	void *p = mem_gpa(m, gpa, len);

	if (!p) {
		fprintf(stderr, "modvisor: internal error at %s:%d: fixed GPA 0x%llx "
			"len 0x%llx is outside guest RAM (0x%llx bytes)\n", file, line,
			(unsigned long long)gpa, (unsigned long long)len,
			(unsigned long long)m->size);
		abort();
	}
	return p;
}
