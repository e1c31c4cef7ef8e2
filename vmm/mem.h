/* mem.h: guest RAM and the one checked guest-physical -> host translation. */
#ifndef MODVISOR_VMM_MEM_H
#define MODVISOR_VMM_MEM_H

#include <stdint.h>
#include <stddef.h>

/*
 * Guest RAM is one anonymous mapping registered as KVM memory slot 0 at
 * GPA 0.  Host code keeps guest addresses as plain uint64_t; the only way
 * to turn one into a pointer is mem_gpa(), so a guest address can never be
 * dereferenced unchecked by mistake.
 */
struct guest_mem {
	uint8_t *host;          /* host mapping of GPA 0 */
	uint64_t size;          /* bytes of guest RAM */
};

/* Smallest and largest --mem, in MiB. */
#define MEM_MIN_MIB     16u
#define MEM_MAX_MIB     (64u * 1024u)

/*
 * mem_gpa(m, gpa, len): the host pointer for guest-physical [gpa, gpa+len),
 * or NULL when any byte of it lies outside guest RAM or gpa+len overflows.
 * len 0 is an empty range: valid for any gpa <= m->size.
 */
static inline void *mem_gpa(const struct guest_mem *m, uint64_t gpa, uint64_t len)
{
	uint64_t end;

	if (__builtin_add_overflow(gpa, len, &end) || end > m->size)
		return NULL;
	return m->host + gpa;
}

/*
 * MEM_GPA_CHECKED(m, gpa, len): mem_gpa() for the VMM's own fixed-layout
 * addresses (boot page tables, GDT, boot info, command line), which guest
 * RAM (at least MEM_MIN_MIB) always holds.  NULL there is a bug in modvisor,
 * never the guest's doing, so it aborts naming the file and line, as
 * Solo5's HVT_CHECKED_GPA_P does.  Never for an address the guest chose.
 */
#define MEM_GPA_CHECKED(m, gpa, len) mem_gpa_checked((m), (gpa), (len), __FILE__, __LINE__)

/* mem_gpa_checked(m, gpa, len, file, line): MEM_GPA_CHECKED's body. */
void *mem_gpa_checked(const struct guest_mem *m, uint64_t gpa, uint64_t len,
		      const char *file, int line);

/*
 * mem_alloc(m, size): map size bytes of zeroed guest RAM (size a multiple
 * of 2 MiB).  Returns 0 or -errno.
 */
int mem_alloc(struct guest_mem *m, uint64_t size);

/* mem_register(m, vm_fd): make m slot 0 of the VM at GPA 0; 0 or -errno. */
int mem_register(const struct guest_mem *m, int vm_fd);

/* mem_free(m): unmap guest RAM; safe on a zeroed or freed m. */
void mem_free(struct guest_mem *m);

#endif
