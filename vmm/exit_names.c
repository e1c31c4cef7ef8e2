/* exit_names.c: readable names for KVM exit reasons, for diagnostics and stats. */
#include <stdio.h>
#include <linux/kvm.h>
#include "vm.h"

#define X(n) [n] = #n
static const char *const exit_names[] = {
	X(KVM_EXIT_UNKNOWN),         X(KVM_EXIT_EXCEPTION),
	X(KVM_EXIT_IO),              X(KVM_EXIT_HYPERCALL),
	X(KVM_EXIT_DEBUG),           X(KVM_EXIT_HLT),
	X(KVM_EXIT_MMIO),            X(KVM_EXIT_IRQ_WINDOW_OPEN),
	X(KVM_EXIT_SHUTDOWN),        X(KVM_EXIT_FAIL_ENTRY),
	X(KVM_EXIT_INTR),            X(KVM_EXIT_SET_TPR),
	X(KVM_EXIT_TPR_ACCESS),      X(KVM_EXIT_S390_SIEIC),
	X(KVM_EXIT_S390_RESET),      X(KVM_EXIT_DCR),
	X(KVM_EXIT_NMI),             X(KVM_EXIT_INTERNAL_ERROR),
	X(KVM_EXIT_OSI),             X(KVM_EXIT_PAPR_HCALL),
	X(KVM_EXIT_S390_UCONTROL),   X(KVM_EXIT_WATCHDOG),
	X(KVM_EXIT_S390_TSCH),       X(KVM_EXIT_EPR),
	X(KVM_EXIT_SYSTEM_EVENT),    X(KVM_EXIT_S390_STSI),
	X(KVM_EXIT_IOAPIC_EOI),      X(KVM_EXIT_HYPERV),
	X(KVM_EXIT_ARM_NISV),        X(KVM_EXIT_X86_RDMSR),
	X(KVM_EXIT_X86_WRMSR),       X(KVM_EXIT_DIRTY_RING_FULL),
	X(KVM_EXIT_AP_RESET_HOLD),   X(KVM_EXIT_X86_BUS_LOCK),
	X(KVM_EXIT_XEN),             X(KVM_EXIT_RISCV_SBI),
	X(KVM_EXIT_RISCV_CSR),       X(KVM_EXIT_NOTIFY),
};
#undef X

const char *vm_exit_name(uint32_t reason)
{
	static __thread char buf[32];

	if (reason < sizeof(exit_names) / sizeof(exit_names[0]) && exit_names[reason])
		return exit_names[reason];
	snprintf(buf, sizeof(buf), "KVM_EXIT_%u", reason);
	return buf;
}
