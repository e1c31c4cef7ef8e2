/* guest_pt_x86_64.c: arch hook: walk the guest's 4-level x86-64 page tables from its CR3. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <linux/kvm.h>

#include "guest_pt.h"

#define PT_P            0x1ull
#define PT_PS           0x80ull                 /* a 1 GiB or 2 MiB page (PDPT, PD) */
#define PT_ADDR         0x000ffffffffff000ull   /* bits 51:12 */
#define CR0_PG          (1ull << 31)
#define CR4_PAE         (1ull << 5)
#define CR4_LA57        (1ull << 12)
#define EFER_LMA        (1ull << 10)

static const char *const pt_level[4] = { "PML4", "PDPT", "PD", "PT" };

int guest_pt_regs_read(int vcpu_fd, struct guest_pt_regs *r)
{
	struct kvm_sregs s;

	if (ioctl(vcpu_fd, KVM_GET_SREGS, &s) < 0)
		return -errno;
	*r = (struct guest_pt_regs){ .cr0 = s.cr0, .cr3 = s.cr3, .cr4 = s.cr4, .efer = s.efer };
	return 0;
}

/* Bits 63:47 all equal, as 4-level paging requires of an address. */
static int guest_pt_canonical(uint64_t va)
{
	return (uint64_t)((int64_t)(va << 16) >> 16) == va;
}

int guest_pt_translate(const struct guest_mem *mem, const struct guest_pt_regs *r,
		       uint64_t va, uint64_t *gpa, char *why, size_t n)
{
	uint64_t table = r->cr3 & PT_ADDR;

	if (!(r->cr0 & CR0_PG) || !(r->cr4 & CR4_PAE) || !(r->efer & EFER_LMA) ||
	    (r->cr4 & CR4_LA57))
		return snprintf(why, n, "the guest is not in 4-level long-mode paging (CR0 0x%llx, "
				"CR4 0x%llx, EFER 0x%llx)", (unsigned long long)r->cr0,
				(unsigned long long)r->cr4, (unsigned long long)r->efer),
		       -EOPNOTSUPP;
	if (!guest_pt_canonical(va))
		return snprintf(why, n, "not mapped (not a canonical address)"), -ENOENT;
	for (int lvl = 0, shift = 39; lvl < 4; lvl++, shift -= 9) {
		const uint64_t *t = mem_gpa(mem, table, GUEST_PT_PAGE);
		unsigned idx = (unsigned)(va >> shift) & 511;
		uint64_t e, page = 1ull << shift;

		if (!t)
			return snprintf(why, n, "the %s at GPA 0x%llx lies outside guest RAM",
					pt_level[lvl], (unsigned long long)table), -EFAULT;
		e = t[idx];
		if (!(e & PT_P))
			return snprintf(why, n, "not mapped (%s entry %u is not present)",
					pt_level[lvl], idx), -ENOENT;
		if (lvl == 0 && (e & PT_PS))
			return snprintf(why, n, "not mapped (PML4 entry %u has the reserved PS bit)",
					idx), -ENOENT;
		if (lvl == 3 || (e & PT_PS)) {
			*gpa = (e & PT_ADDR & ~(page - 1)) | (va & (page - 1));
			return 0;
		}
		table = e & PT_ADDR;
	}
	return -ENOENT;         /* not reached: level 3 always ends the walk */
}

int guest_pt_check_range(const struct guest_mem *mem, const struct guest_pt_regs *r,
			 uint64_t va, uint64_t gpa, uint64_t len, char *why, size_t n)
{
	uint64_t end;

	if (__builtin_add_overflow(va, len, &end) || __builtin_add_overflow(gpa, len, &end))
		return snprintf(why, n, "VA 0x%llx, GPA 0x%llx, +0x%llx: wraps around",
				(unsigned long long)va, (unsigned long long)gpa,
				(unsigned long long)len), -EINVAL;
	for (uint64_t off = 0; off < len; off += GUEST_PT_PAGE) {
		char how[160];
		uint64_t got;
		int ret = guest_pt_translate(mem, r, va + off, &got, how, sizeof(how));

		if (ret == -EOPNOTSUPP)
			return snprintf(why, n, "%s", how), -EINVAL;
		if (ret)
			return snprintf(why, n, "VA 0x%llx: the guest claimed GPA 0x%llx, its page "
					"tables: %s",
					(unsigned long long)(va + off),
					(unsigned long long)(gpa + off), how), -EINVAL;
		if (got != gpa + off)
			return snprintf(why, n, "VA 0x%llx: the guest claimed GPA 0x%llx, its page "
					"tables map it to GPA 0x%llx", (unsigned long long)(va + off),
					(unsigned long long)(gpa + off), (unsigned long long)got),
			       -EINVAL;
	}
	return 0;
}
