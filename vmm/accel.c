/* accel.c: --accel parsing and the probe VM that decides whether /dev/kvm is usable. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <linux/kvm.h>
#include "accel.h"
#include "kvm.h"
#include "mem.h"
#include "vm.h"
#include "watchdog.h"
#include "modvisor/abi/bootinfo.h"

int accel_parse(const char *s, enum accel_mode *out)
{
	if (!strcmp(s, "auto"))
		*out = ACCEL_AUTO;
	else if (!strcmp(s, "kvm"))
		*out = ACCEL_KVM;
	else if (!strcmp(s, "emulated"))
		*out = ACCEL_EMULATED;
	else
		return -1;
	return 0;
}

/*
 * The probe's code.  Ring 0 runs at MV_KERNEL_VBASE + PROBE_KCODE, drops to
 * ring 3 at PROBE_UCODE with sysretq; ring 3 makes two syscalls.  The LSTAR
 * handler reports (step | its CS << 8 | ring 3's CS << 16) on port
 * PROBE_PORT, then sysretqs back.  Expected: 0x000801, then 0x230802.
 */
#define PROBE_PML4   0x1000
#define PROBE_PDPT   0x2000
#define PROBE_PD     0x3000
#define PROBE_GDT    0x4000
#define PROBE_TSS    0x5000
#define PROBE_KCODE  0x10000
#define PROBE_UCODE  0x20000
#define PROBE_PORT   0xf0
#define PROBE_MEM    (2u << 20)
#define PROBE_DEADLINE_S 2

extern const uint8_t probe_k_start[], probe_k_syscall[], probe_k_end[];
extern const uint8_t probe_u_start[], probe_u_end[];
__asm__(".pushsection .rodata\n"
	"probe_k_start:\n"
	"	mov $0x20000, %ecx\n"          /* PROBE_UCODE: sysretq's RIP */
	"	mov $0x2, %r11d\n"             /* RFLAGS for ring 3, IF=0 */
	"	sysretq\n"
	"probe_k_syscall:\n"
	"	mov %cs, %edx\n"
	"	shl $8, %edx\n"
	"	or %edx, %eax\n"
	"	shl $16, %ebx\n"
	"	or %ebx, %eax\n"
	"	out %eax, $0xf0\n"             /* PROBE_PORT */
	"	sysretq\n"
	"probe_k_end:\n"
	"probe_u_start:\n"
	"	mov $1, %eax\n"
	"	xor %ebx, %ebx\n"
	"	syscall\n"
	"	mov %cs, %ebx\n"
	"	mov $2, %eax\n"
	"	syscall\n"
	"1:	jmp 1b\n"
	"probe_u_end:\n"
	".popsection\n");

/* probe_memory(m): page tables (user-accessible 2 MiB page), GDT, code. */
static void probe_memory(struct guest_mem *m)
{
	uint64_t *pml4 = MEM_GPA_CHECKED(m, PROBE_PML4, 4096), *pdpt = MEM_GPA_CHECKED(m, PROBE_PDPT, 4096);
	uint64_t *pd = MEM_GPA_CHECKED(m, PROBE_PD, 4096), *gdt = MEM_GPA_CHECKED(m, PROBE_GDT, 56);

	pml4[0] = pml4[511] = PROBE_PDPT | 0x7;         /* P W U */
	pdpt[0] = pdpt[510] = PROBE_PD | 0x7;
	pd[0] = 0x87;                                   /* P W U PS */
	gdt[1] = 0x00af9b000000ffffull;                 /* 0x08 ring-0 code */
	gdt[2] = 0x00cf93000000ffffull;                 /* 0x10 ring-0 data */
	gdt[3] = 0x00cff3000000ffffull;                 /* 0x18 ring-3 data */
	gdt[4] = 0x00affb000000ffffull;                 /* 0x20 ring-3 code */
	gdt[5] = 0x0000890000000067ull | ((uint64_t)PROBE_TSS << 16);
	memcpy(MEM_GPA_CHECKED(m, PROBE_KCODE, 256), probe_k_start, probe_k_end - probe_k_start);
	memcpy(MEM_GPA_CHECKED(m, PROBE_UCODE, 256), probe_u_start, probe_u_end - probe_u_start);
}

/* probe_seg(s, sel, type, l): a flat present DPL0 segment. */
static void probe_seg(struct kvm_segment *s, uint16_t sel, uint8_t type, uint8_t l)
{
	memset(s, 0, sizeof(*s));
	s->selector = sel;
	s->limit = 0xffffffff;
	s->type = type;
	s->present = s->s = s->g = 1;
	s->l = l;
	s->db = !l;
}

/* probe_cpu(fd): long mode at ring 0, SYSCALL MSRs, RIP in the top 2 GiB. */
static int probe_cpu(int fd)
{
	struct { struct kvm_msrs h; struct kvm_msr_entry e[3]; } msrs = {
		.h.nmsrs = 3,
		.e = { { .index = 0xc0000081, .data = (0x10ull << 48) | (0x08ull << 32) },
		       { .index = 0xc0000082, .data = MV_KERNEL_VBASE + PROBE_KCODE +
				(uint64_t)(probe_k_syscall - probe_k_start) },
		       { .index = 0xc0000084, .data = 0x200 } },
	};
	struct kvm_sregs s;
	struct kvm_regs r = { .rip = MV_KERNEL_VBASE + PROBE_KCODE, .rflags = 2 };

	if (ioctl(fd, KVM_GET_SREGS, &s) < 0)
		return -errno;
	probe_seg(&s.cs, 0x08, 0xb, 1);
	probe_seg(&s.ds, 0x10, 0x3, 0);
	s.es = s.fs = s.gs = s.ss = s.ds;
	memset(&s.tr, 0, sizeof(s.tr));
	s.tr.selector = 0x28;
	s.tr.base = PROBE_TSS;
	s.tr.limit = 0x67;
	s.tr.type = 0xb;
	s.tr.present = 1;
	s.gdt.base = PROBE_GDT;
	s.gdt.limit = 7 * 8 - 1;
	s.cr0 = 0x80010033;             /* PG WP NE ET MP PE */
	s.cr3 = PROBE_PML4;
	s.cr4 = 0x20;                   /* PAE */
	s.efer = 0xd01;                 /* NXE LMA LME SCE */
	if (ioctl(fd, KVM_SET_SREGS, &s) < 0 || ioctl(fd, KVM_SET_MSRS, &msrs) != 3 ||
	    ioctl(fd, KVM_SET_REGS, &r) < 0)
		return -errno ? -errno : -EINVAL;
	return 0;
}

/* probe_verdict(fd, run, step, why, len): describe where the probe stopped. */
static void probe_verdict(int fd, struct kvm_run *run, int step, char *why, size_t len)
{
	struct kvm_regs r = { 0 };

	ioctl(fd, KVM_GET_REGS, &r);
	if (step == 0)
		snprintf(why, len, "in a probe VM, `syscall` from ring 3 never reached "
			 "ring 0 (stopped with %s at rip 0x%llx)",
			 vm_exit_name(run->exit_reason), r.rip);
	else
		snprintf(why, len, "in a probe VM, `sysretq` did not get back to ring 3 "
			 "(stopped with %s at rip 0x%llx)", vm_exit_name(run->exit_reason),
			 r.rip);
}

/* probe_loop(fd, run, why, len): run until both reports arrived; 0 or -1. */
static int probe_loop(int fd, struct kvm_run *run, char *why, size_t len)
{
	static const uint32_t want[2] = { 0x000801, 0x230802 };
	int step = 0;
	uint32_t v;

	for (;;) {
		if (ioctl(fd, KVM_RUN, 0) < 0) {
			if (errno == EINTR && watchdog_fired()) {
				snprintf(why, len, "the probe VM did not finish within %d s "
					 "(step %d of 2)", PROBE_DEADLINE_S, step);
				return -1;
			}
			if (errno == EINTR || errno == EAGAIN)
				continue;
			snprintf(why, len, "KVM_RUN in the probe VM: %s", strerror(errno));
			return -1;
		}
		if (run->exit_reason != KVM_EXIT_IO || run->io.port != PROBE_PORT ||
		    run->io.size != 4) {
			probe_verdict(fd, run, step, why, len);
			return -1;
		}
		memcpy(&v, (uint8_t *)run + run->io.data_offset, 4);
		if (v != want[step]) {
			snprintf(why, len, "in a probe VM, `syscall` from ring 3 did not "
				 "reach ring 0 (the handler ran with CS %#x; report 0x%06x, "
				 "want 0x%06x)", (v >> 8) & 0xff, v, want[step]);
			return -1;
		}
		if (++step == 2)
			return 0;
	}
}

/* probe_run_vm(kvm_fd, vm_fd, m, why, len): one vCPU under the deadline. */
static int probe_run_vm(int kvm_fd, int vm_fd, char *why, size_t len)
{
	size_t run_size;
	void *run;
	int fd, rc;

	fd = kvm_create_vcpu(kvm_fd, vm_fd, 0, &run, &run_size, why, len);
	if (fd < 0)
		return -1;
	rc = probe_cpu(fd);
	if (rc) {
		snprintf(why, len, "cannot put the probe vCPU in long mode: %s", strerror(-rc));
		goto out;
	}
	rc = watchdog_arm(run, PROBE_DEADLINE_S * 1000ul);
	if (rc == 0)
		rc = probe_loop(fd, run, why, len);
	else
		snprintf(why, len, "cannot arm the probe's deadline: %s", strerror(-rc));
	watchdog_disarm();
out:
	munmap(run, run_size);
	close(fd);
	return rc ? -1 : 0;
}

int accel_probe_kvm(char *why, size_t len)
{
	const char *np = getenv("MODVISOR_NOPROBE");
	struct guest_mem m;
	int kvm_fd, vm_fd, rc = -1;

	kvm_fd = kvm_open(why, len);
	if (kvm_fd < 0)
		return -1;
	if (np && !strcmp(np, "1")) {
		close(kvm_fd);
		return 0;
	}
	vm_fd = ioctl(kvm_fd, KVM_CREATE_VM, 0);
	if (vm_fd < 0) {
		snprintf(why, len, "KVM_CREATE_VM: %s", strerror(errno));
		goto out_kvm;
	}
	if (mem_alloc(&m, PROBE_MEM) || mem_register(&m, vm_fd)) {
		snprintf(why, len, "cannot give the probe VM memory: %s", strerror(errno));
		goto out_mem;
	}
	probe_memory(&m);
	rc = probe_run_vm(kvm_fd, vm_fd, why, len);
out_mem:
	mem_free(&m);
	close(vm_fd);
out_kvm:
	close(kvm_fd);
	return rc;
}
