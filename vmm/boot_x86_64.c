/* boot_x86_64.c: arch hook: boot page tables, GDT and registers for long-mode entry. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include "boot.h"
#include "modvisor/abi/bootinfo.h"

/* Layout of the boot area (see bootinfo.h): PML4, one PDPT, four PDs. */
#define BOOT_PML4       (MV_GPA_PAGETABLES + 0x0000)
#define BOOT_PDPT       (MV_GPA_PAGETABLES + 0x1000)
#define BOOT_PD         (MV_GPA_PAGETABLES + 0x2000)   /* 4 pages: 4 GiB */
#define BOOT_GDT        (MV_GPA_BOOTINFO + 0x800)
#define BOOT_TSS        (MV_GPA_BOOTINFO + 0x900)
/* A 1 MiB boot stack just below the kernel, above the command records. */
#define BOOT_STACK_TOP  (MV_KERNEL_VBASE + MV_KERNEL_PHYS)

#define PTE_P   0x1ull
#define PTE_W   0x2ull
#define PTE_PS  0x80ull

#define SEL_CODE 0x08
#define SEL_DATA 0x10
#define SEL_TSS  0x18

#define CR0_PE  (1ull << 0)
#define CR0_MP  (1ull << 1)
#define CR0_ET  (1ull << 4)
#define CR0_NE  (1ull << 5)
#define CR0_WP  (1ull << 16)
#define CR0_PG  (1ull << 31)
#define CR4_PAE (1ull << 5)
#define CR4_OSFXSR (1ull << 9)
#define CR4_OSXMMEXCPT (1ull << 10)
#define EFER_SCE (1ull << 0)
#define EFER_LME (1ull << 8)
#define EFER_LMA (1ull << 10)
#define EFER_NXE (1ull << 11)

_Static_assert(MV_GPA_CMDS + MV_CMDS_MAX <= MV_KERNEL_PHYS - (1 << 20),
	       "commands run into the boot stack");

/*
 * boot_pagetables(vm): map [0, min(RAM, 4 GiB)) 1:1 and [0, 2 GiB) at
 * MV_KERNEL_VBASE with 2 MiB pages.  PML4[0] and PML4[511] share one PDPT
 * whose entries 0-3 and 510-511 point at the four PDs.
 */
static void boot_pagetables(struct vm *vm)
{
	uint64_t *pml4 = MEM_GPA_CHECKED(&vm->mem, BOOT_PML4, 0x1000);
	uint64_t *pdpt = MEM_GPA_CHECKED(&vm->mem, BOOT_PDPT, 0x1000);
	uint64_t *pd = MEM_GPA_CHECKED(&vm->mem, BOOT_PD, 0x4000);
	uint64_t lim = vm->mem.size < (4ull << 30) ? vm->mem.size : (4ull << 30);
	uint64_t a;
	int i;

	memset(pml4, 0, 0x1000);
	memset(pdpt, 0, 0x1000);
	memset(pd, 0, 0x4000);
	pml4[0] = BOOT_PDPT | PTE_P | PTE_W;
	pml4[511] = BOOT_PDPT | PTE_P | PTE_W;
	for (i = 0; i < 4; i++)
		pdpt[i] = (BOOT_PD + 0x1000ull * i) | PTE_P | PTE_W;
	pdpt[510] = pdpt[0];
	pdpt[511] = pdpt[1];
	for (a = 0; a < lim; a += 2ull << 20)
		pd[a >> 21] = a | PTE_P | PTE_W | PTE_PS;
}

/* boot_gdt(vm): null, 64-bit code, data, and a 64-bit TSS descriptor. */
static void boot_gdt(struct vm *vm)
{
	uint64_t *gdt = MEM_GPA_CHECKED(&vm->mem, BOOT_GDT, 5 * 8);

	memset(MEM_GPA_CHECKED(&vm->mem, BOOT_TSS, 0x68), 0, 0x68);
	gdt[0] = 0;
	gdt[1] = 0x00af9b000000ffffull;        /* code: L, P, DPL0, exec/read */
	gdt[2] = 0x00cf93000000ffffull;        /* data: P, DPL0, read/write */
	gdt[3] = 0x0000890000000067ull | ((BOOT_TSS & 0xffffffull) << 16) |
		 ((BOOT_TSS >> 24 & 0xffull) << 56);   /* TSS, 104 bytes */
	gdt[4] = BOOT_TSS >> 32;
}

/* boot_seg(s, sel, type, l, db): a flat present DPL0 segment. */
static void boot_seg(struct kvm_segment *s, uint16_t sel, uint8_t type, uint8_t l,
		     uint8_t db)
{
	memset(s, 0, sizeof(*s));
	s->selector = sel;
	s->limit = 0xffffffff;
	s->type = type;
	s->present = 1;
	s->s = 1;
	s->l = l;
	s->db = db;
	s->g = 1;
}

/* boot_sregs(vm, fd): long mode, paging on, flat segments, TR loaded. */
static int boot_sregs(int fd)
{
	struct kvm_sregs s;

	if (ioctl(fd, KVM_GET_SREGS, &s) < 0)
		return -errno;
	boot_seg(&s.cs, SEL_CODE, 0xb, 1, 0);
	boot_seg(&s.ds, SEL_DATA, 0x3, 0, 1);
	s.es = s.fs = s.gs = s.ss = s.ds;
	memset(&s.tr, 0, sizeof(s.tr));
	s.tr.selector = SEL_TSS;
	s.tr.base = BOOT_TSS;
	s.tr.limit = 0x67;
	s.tr.type = 0xb;                /* busy 64-bit TSS */
	s.tr.present = 1;
	s.gdt.base = BOOT_GDT;
	s.gdt.limit = 5 * 8 - 1;
	s.idt.base = 0;
	s.idt.limit = 0;
	s.cr0 = CR0_PE | CR0_MP | CR0_ET | CR0_NE | CR0_WP | CR0_PG;
	s.cr3 = BOOT_PML4;
	s.cr4 = CR4_PAE | CR4_OSFXSR | CR4_OSXMMEXCPT;
	s.efer = EFER_SCE | EFER_LME | EFER_LMA | EFER_NXE;
	if (ioctl(fd, KVM_SET_SREGS, &s) < 0)
		return -errno;
	return 0;
}

int boot_arch_setup(struct vm *vm, uint64_t entry, uint64_t bootinfo_gpa,
		    char *err, size_t errlen)
{
	struct kvm_regs r;
	int fd = vm->vcpu[0].fd, rc;

	boot_pagetables(vm);
	boot_gdt(vm);
	rc = boot_sregs(fd);
	if (rc) {
		snprintf(err, errlen, "KVM_SET_SREGS (long mode): %s", strerror(-rc));
		return rc;
	}
	memset(&r, 0, sizeof(r));
	r.rip = entry;
	r.rdi = bootinfo_gpa;
	r.rsp = BOOT_STACK_TOP;
	r.rflags = 0x2;
	if (ioctl(fd, KVM_SET_REGS, &r) < 0) {
		rc = -errno;
		snprintf(err, errlen, "KVM_SET_REGS: %s", strerror(errno));
		return rc;
	}
	return 0;
}
