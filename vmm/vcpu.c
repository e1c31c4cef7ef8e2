/* vcpu.c: the vCPU loop: hypercalls through port I/O, everything else stops the VM. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include "hypercall.h"
#include "integrity.h"
#include "vm.h"
#include "watchdog.h"
#include "initwd.h"
#include "sigstop.h"
#include "console_guard.h"
#include "irq.h"

static const char *const internal_suberrors[] = {
	[KVM_INTERNAL_ERROR_EMULATION] = "instruction emulation failed",
	[KVM_INTERNAL_ERROR_SIMUL_EX] = "exception while delivering an exception",
	[KVM_INTERNAL_ERROR_DELIVERY_EV] = "event delivery failed",
	[KVM_INTERNAL_ERROR_UNEXPECTED_EXIT_REASON] = "unexpected exit reason",
};

/* vcpu_io(vm, run): a port access: a hypercall, or a stop. */
static void vcpu_io(struct vm *vm, struct kvm_run *run)
{
	uint16_t port = run->io.port;
	const char *dir = run->io.direction == KVM_EXIT_IO_OUT ? "out" : "in";
	uint32_t gpa;

	if (port < MV_HC_PIO_BASE || port >= MV_HC_PIO_END) {
		vm_fail(vm, MV_EXIT_BAD_IO, "port I/O: %s of %u byte(s) to port 0x%x, "
			"which is not a hypercall port (0x%x-0x%x)", dir, run->io.size,
			port, MV_HC_PIO_BASE, MV_HC_PIO_END - 1);
		return;
	}
	if (run->io.direction != KVM_EXIT_IO_OUT || run->io.size != 4 ||
	    run->io.count != 1) {
		vm_fail(vm, MV_EXIT_BAD_IO, "port I/O: %s of %u byte(s) x%u on hypercall "
			"port 0x%x; a hypercall is one `outl` of the argument GPA",
			dir, run->io.size, run->io.count, port);
		return;
	}
	memcpy(&gpa, (uint8_t *)run + run->io.data_offset, sizeof(gpa));
	hc_dispatch(vm, port - MV_HC_PIO_BASE, gpa);
}

/* vcpu_internal(vm, run): describe KVM_EXIT_INTERNAL_ERROR. */
static void vcpu_internal(struct vm *vm, struct kvm_run *run)
{
	uint32_t s = run->internal.suberror;
	const char *what = s < sizeof(internal_suberrors) / sizeof(internal_suberrors[0]) &&
			   internal_suberrors[s] ? internal_suberrors[s] : "unknown";

	vm_fail(vm, MV_EXIT_INTERNAL, "KVM internal error, suberror %u (%s), %u data "
		"word(s), first 0x%llx", s, what, run->internal.ndata,
		run->internal.ndata ? (unsigned long long)run->internal.data[0] : 0ull);
}

void vm_handle_exit(struct vm *vm, struct kvm_run *run)
{
	switch (run->exit_reason) {
	case KVM_EXIT_IO:
		vcpu_io(vm, run);
		break;
	case KVM_EXIT_MMIO:
		if (integrity_mmio(vm, run))    /* a write to protected memory */
			break;
		vm_fail(vm, MV_EXIT_BAD_MMIO, "MMIO %s of %u byte(s) at GPA 0x%llx: no "
			"RAM or device there (guest RAM is 0x%llx bytes)",
			run->mmio.is_write ? "write" : "read", run->mmio.len,
			(unsigned long long)run->mmio.phys_addr,
			(unsigned long long)vm->mem.size);
		break;
	case KVM_EXIT_IRQ_WINDOW_OPEN:
		break;                  /* irq_inject() delivers before the next KVM_RUN */
	case KVM_EXIT_HLT:
		if (irq_halt(vm))
			break;          /* the tick (or input) wakes it */
		vm_fail(vm, MV_EXIT_HLT, "the guest executed HLT; no interrupt can wake "
			"it (stop with MV_HC_EXIT instead)");
		break;
	case KVM_EXIT_SHUTDOWN:
		vm_fail(vm, MV_EXIT_SHUTDOWN, "shutdown (triple fault): an exception "
			"could not be delivered (check IDT, GDT, page tables, stack; "
			"on AMD the registers below may show the reset state)");
		break;
	case KVM_EXIT_INTERNAL_ERROR:
		vcpu_internal(vm, run);
		break;
	case KVM_EXIT_FAIL_ENTRY:
		vm_fail(vm, MV_EXIT_FAIL_ENTRY, "VM entry failed, hardware reason 0x%llx "
			"(invalid guest state?)", (unsigned long long)
			run->fail_entry.hardware_entry_failure_reason);
		break;
	default:
		vm_fail(vm, MV_EXIT_KVM_OTHER, "unexpected exit %s",
			vm_exit_name(run->exit_reason));
		break;
	}
}

/* vcpu_report(vm, v): print why the VM was failed, with the vCPU's state. */
static void vcpu_report(struct vm *vm, struct vcpu *v)
{
	struct kvm_regs r;
	struct kvm_sregs s;

	fprintf(stderr, "modvisor: guest stopped: %s\n", vm->why);
	if (ioctl(v->fd, KVM_GET_REGS, &r) < 0 || ioctl(v->fd, KVM_GET_SREGS, &s) < 0) {
		fprintf(stderr, "modvisor:   (registers unavailable: %s)\n", strerror(errno));
		goto out;
	}
	fprintf(stderr,
		"modvisor:   exit %s rip 0x%llx rsp 0x%llx rflags 0x%llx cs 0x%x\n"
		"modvisor:   cr0 0x%llx cr2 0x%llx cr3 0x%llx cr4 0x%llx efer 0x%llx\n"
		"modvisor:   rax 0x%llx rbx 0x%llx rcx 0x%llx rdx 0x%llx\n"
		"modvisor:   rsi 0x%llx rdi 0x%llx rbp 0x%llx\n",
		vm_exit_name(v->run->exit_reason), r.rip, r.rsp, r.rflags, s.cs.selector,
		s.cr0, s.cr2, s.cr3, s.cr4, s.efer, r.rax, r.rbx, r.rcx, r.rdx,
		r.rsi, r.rdi, r.rbp);
out:
	fprintf(stderr, "modvisor: exit status %d\n", vm->status);
}

/*
 * The module init watchdog's limit passed (initwd.h): an NMI stops the
 * init if the CPU is in module code; else the guest ignores it and the
 * watchdog asks again.  Only the first is announced.
 */
static void vcpu_init_nmi(struct vm *vm, struct vcpu *v)
{
	if (initwd_nmis() == 1)
		fprintf(stderr, "modvisor: a module init still runs after --init-timeout %u s: "
			"sending NMIs until it stops\n", vm->init_timeout_s);
	if (ioctl(v->fd, KVM_NMI, 0) < 0)
		vm_fail(vm, MV_EXIT_SETUP, "KVM_NMI for the init watchdog: %s", strerror(errno));
}

/*
 * vcpu_signal_stop(vm): SIGINT, SIGTERM or SIGHUP: stop the VM with status
 * 128 + the signal, as a shell reports a command the signal killed; the
 * run still completes its log and prints the aggregate.
 */
static void vcpu_signal_stop(struct vm *vm)
{
	int sig = sigstop_signal();

	fprintf(stderr, "modvisor: %s: stopping the guest (exit status %d)\n",
		strsignal(sig), 128 + sig);
	vm_stop(vm, 128 + sig);
}

int vm_run(struct vm *vm)
{
	struct vcpu *v = &vm->vcpu[0];
	struct kvm_run *run = v->run;
	int rc = watchdog_arm(run, vm->timeout_s * 1000ul);

	if (rc < 0)
		vm_fail(vm, MV_EXIT_SETUP, "cannot arm the --timeout watchdog: %s",
			strerror(-rc));
	/* Until vm_destroy(): a second signal must not cut the log's end entry. */
	rc = sigstop_arm(run);
	if (rc < 0)
		vm_fail(vm, MV_EXIT_SETUP, "cannot handle SIGINT/SIGTERM: %s", strerror(-rc));
	while (!vm->stopped) {
		irq_inject(vm, v);
		if (ioctl(v->fd, KVM_RUN, 0) < 0) {
			if (errno == EINTR && sigstop_signal()) {
				vcpu_signal_stop(vm);
				break;
			}
			if (errno == EINTR && watchdog_fired()) {
				vm_fail(vm, MV_EXIT_TIMEOUT, "watchdog: the guest was still "
					"running after --timeout %u s (looping?)", vm->timeout_s);
				break;
			}
			if (errno == EINTR) {
				irq_take(vm, run);
				if (initwd_take(run))
					vcpu_init_nmi(vm, v);
				if (watchdog_fired())   /* SIGALRM in between */
					run->immediate_exit = 1;
				continue;
			}
			if (errno == EINTR || errno == EAGAIN)
				continue;
			vm_fail(vm, MV_EXIT_SETUP, "KVM_RUN: %s", strerror(errno));
			break;
		}
		if (run->exit_reason < sizeof(vm->exits) / sizeof(vm->exits[0]))
			vm->exits[run->exit_reason]++;
		if (vm->hooks && vm->hooks->exit) {
			vm->hooks->exit(vm, run, vm->hooks->ctx);
			if (vm->stopped)
				break;
		}
		vm_handle_exit(vm, run);
	}
	watchdog_disarm();
	initwd_disarm();
	console_guard_flush();
	irq_stop();
	if (vm->why[0])
		vcpu_report(vm, v);
	return vm->status;
}
