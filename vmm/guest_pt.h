/* guest_pt.h: the guest's own page tables, read by the host: which GPA a guest VA maps to. */
#ifndef MODVISOR_VMM_GUEST_PT_H
#define MODVISOR_VMM_GUEST_PT_H

#include <stddef.h>
#include <stdint.h>

#include "mem.h"

#define GUEST_PT_PAGE 4096u

/* The guest's paging registers at the moment of a check (KVM_GET_SREGS). */
struct guest_pt_regs {
	uint64_t cr0, cr3, cr4, efer;
};

/* guest_pt_regs_read(vcpu_fd, r): the vCPU's CR0, CR3, CR4 and EFER.  0 or -errno. */
int guest_pt_regs_read(int vcpu_fd, struct guest_pt_regs *r);

/*
 * guest_pt_translate(mem, r, va, gpa, why, n): walk the guest's 4-level
 * page tables from r->cr3 (4 KiB, 2 MiB and 1 GiB pages), reading every
 * table through mem_gpa().  0 with *gpa the GPA va maps to; -ENOENT when
 * va is not mapped (not canonical, an entry not present, or a reserved PS
 * bit in the PML4), -EFAULT when a table lies outside guest RAM, and
 * -EOPNOTSUPP when the guest is not in 4-level long-mode paging; why says
 * which.  Only reads guest memory; the answer holds until the guest
 * writes its page tables again.
 */
int guest_pt_translate(const struct guest_mem *mem, const struct guest_pt_regs *r,
		       uint64_t va, uint64_t *gpa, char *why, size_t n);

/*
 * guest_pt_check_range(mem, r, va, gpa, len, why, n): every 4 KiB page of
 * the virtual range [va, va+len) is mapped to the matching page of
 * [gpa, gpa+len) (va, gpa and len page-aligned).  0, or -EINVAL with why
 * naming the VA, the GPA claimed and the GPA it maps to (or why it maps
 * to none).
 */
int guest_pt_check_range(const struct guest_mem *mem, const struct guest_pt_regs *r,
			 uint64_t va, uint64_t gpa, uint64_t len, char *why, size_t n);

#endif
