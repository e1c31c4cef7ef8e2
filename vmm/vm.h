/* vm.h: one virtual machine: KVM handles, guest RAM, vCPUs, exit status. */
#ifndef MODVISOR_VMM_VM_H
#define MODVISOR_VMM_VM_H

#include <stdint.h>
#include <stdbool.h>
#include <stddef.h>
#include <linux/kvm.h>
#include "mem.h"
#include "memslot.h"
#include "irq.h"
#include "modvisor/abi/hypercall.h"

/*
 * Exit statuses of modvisor when the VM stops for a reason other than the
 * guest's own MV_HC_EXIT.  A guest may exit with any 0-255, so these sit in
 * a range Linux programs and shells rarely use (below 125/126/127 and the
 * 128+signal range); the diagnostic on stderr always names the cause.
 * Keep in sync with docs/hypercall-abi.md and `modvisor --help`.
 */
enum mv_exit {
	MV_EXIT_USAGE        = 2,    /* bad command line */
	MV_EXIT_INTEGRITY    = 109,  /* a guest write to memory the host made read-only */
	MV_EXIT_TIMEOUT      = 110,  /* the watchdog: ran longer than run --timeout */
	MV_EXIT_HC_UNKNOWN   = 112,  /* unknown hypercall number */
	MV_EXIT_HC_BAD_GPA   = 113,  /* GPA/length outside guest RAM or overflowing */
	MV_EXIT_HC_BAD_HDR   = 114,  /* wrong abi_version or size in the header */
	MV_EXIT_HC_BAD_ARG   = 115,  /* other invalid hypercall argument */
	MV_EXIT_BAD_IO       = 116,  /* port I/O outside the hypercall ports */
	MV_EXIT_BAD_MMIO     = 117,  /* access to unmapped guest-physical memory */
	MV_EXIT_SHUTDOWN     = 118,  /* triple fault */
	MV_EXIT_INTERNAL     = 119,  /* KVM_EXIT_INTERNAL_ERROR */
	MV_EXIT_FAIL_ENTRY   = 120,  /* KVM_EXIT_FAIL_ENTRY */
	MV_EXIT_HLT          = 121,  /* HLT with nothing to wake the vCPU */
	MV_EXIT_GUEST_FAULT  = 122,  /* guest kernel reported an exception */
	MV_EXIT_KVM_OTHER    = 123,  /* any other KVM exit reason */
	MV_EXIT_SETUP        = 124,  /* the VM could not be set up or run */
	MV_EXIT_EMUHOST      = 125,  /* the emulated KVM host failed (emuhost.h) */
};

#define VM_MAX_VCPUS    1

struct vcpu {
	int fd;
	struct kvm_run *run;    /* mmap of the vCPU's kvm_run page(s) */
};

struct authority;               /* policy, measurement, log: vmm/authority.h */
struct integrity;               /* read-only guest memory: vmm/integrity.h */
struct vm;

/*
 * Observers on the one vCPU loop (vm_run), as Solo5's tender modules attach
 * to its core with hvt_core_register_vmexit(): the benchmark (vmm/bench/)
 * times exits and hypercalls through these instead of running a loop of its
 * own.  A hook may stop the VM (vm_stop/vm_fail); every pointer may be NULL.
 */
struct vm_hooks {
	/* exit(vm, run, ctx): KVM_RUN returned (counted in vm->exits), before the exit is handled. */
	void (*exit)(struct vm *vm, const struct kvm_run *run, void *ctx);
	/*
	 * hc_before(vm, nr, arg, ctx): hypercall nr's argument was copied in
	 * and its header checked (arg is the host copy); its handler runs next
	 * unless the hook stopped the VM.
	 */
	void (*hc_before)(struct vm *vm, uint32_t nr, const void *arg, void *ctx);
	/* hc_after(vm, nr, arg, ctx): hypercall nr's handler returned. */
	void (*hc_after)(struct vm *vm, uint32_t nr, const void *arg, void *ctx);
	void *ctx;
};

struct vm {
	int kvm_fd;
	int vm_fd;
	struct guest_mem mem;
	struct memslots slots;       /* guest RAM as KVM slots (memslot.h) */
	int nvcpus;
	struct vcpu vcpu[VM_MAX_VCPUS];
	size_t run_size;             /* size of each kvm_run mapping */

	bool stopped;                /* set by vm_stop()/vm_fail() */
	int status;                  /* modvisor's exit status once stopped */
	char why[512];               /* diagnostic when the VM was failed */

	uint64_t exits[64];          /* KVM exits by reason (benchmarks) */
	uint64_t hypercalls[MV_HC_COUNT]; /* hypercalls by number */

	uint32_t boot_flags;         /* MV_BOOT_F_* put in the boot info */
	unsigned timeout_s;          /* watchdog: stop after this long; 0 = never */
	unsigned init_timeout_s;     /* module init watchdog (initwd.h); 0 = none */
	struct authority *auth;      /* module-load authority, or NULL */
	struct integrity *integ;     /* protect = on: integrity.h; else NULL */
	const struct vm_hooks *hooks; /* observers of the vCPU loop, or NULL */
	struct vm_irq irq;           /* tick and input interrupts (irq.h) */
};

/*
 * vm_stop(vm, status): stop the VM normally (e.g. MV_HC_EXIT) with status.
 * Returns HC_STOP so a hypercall handler can `return vm_stop(vm, s);`.
 */
int vm_stop(struct vm *vm, int status);

/*
 * vm_fail(vm, status, fmt, ...): stop the VM because the guest did
 * something wrong; fmt names what (e.g. "console: buf 0x... len 0x...
 * outside guest RAM").  The vCPU loop prints it with the vCPU's registers.
 * Returns HC_STOP.
 */
int vm_fail(struct vm *vm, int status, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/*
 * vm_create(vm, mem_bytes): open /dev/kvm (checking API version and
 * capabilities), create the VM, its RAM and one vCPU.  Prints what went
 * wrong and what to do; returns 0 or -1.
 */
int vm_create(struct vm *vm, uint64_t mem_bytes);

/* vm_destroy(vm): close and unmap everything vm_create made. */
void vm_destroy(struct vm *vm);

/*
 * vm_run(vm): run vCPU 0 until the VM stops; returns modvisor's exit
 * status (the guest's, or an MV_EXIT_* after a diagnostic on stderr).
 */
int vm_run(struct vm *vm);

/*
 * vm_handle_exit(vm, run): act on one KVM exit in run: a hypercall, or a
 * vm_fail() naming what went wrong.  vm_run() calls it after each KVM_RUN.
 */
void vm_handle_exit(struct vm *vm, struct kvm_run *run);

/* vm_exit_name(reason): "KVM_EXIT_IO", ..., or "KVM_EXIT_<n>" for unknown. */
const char *vm_exit_name(uint32_t reason);

#endif
