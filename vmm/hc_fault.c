/* hc_fault.c: MV_HC_FAULT, a CPU exception the guest kernel could not handle. */
#include <stdio.h>
#include "hypercall.h"

HYPERCALL_DEFINE(MV_HC_FAULT, struct mv_hc_fault, hc_fault);

static const char *const fault_names[32] = {
	[0] = "#DE", [1] = "#DB", [2] = "NMI", [3] = "#BP", [4] = "#OF",
	[5] = "#BR", [6] = "#UD", [7] = "#NM", [8] = "#DF", [9] = "CSO",
	[10] = "#TS", [11] = "#NP", [12] = "#SS", [13] = "#GP", [14] = "#PF",
	[16] = "#MF", [17] = "#AC", [18] = "#MC", [19] = "#XM", [20] = "#VE",
	[21] = "#CP",
};

/* fault_msg(a, out): the guest's context string, bounded and printable. */
static void fault_msg(const struct mv_hc_fault *a, char out[sizeof(a->msg)])
{
	size_t i;

	for (i = 0; i + 1 < sizeof(a->msg) && a->msg[i]; i++)
		out[i] = (a->msg[i] >= 0x20 && a->msg[i] < 0x7f) ? a->msg[i] : '?';
	out[i] = '\0';
}

static int hc_fault(struct vm *vm, struct mv_hc_fault *a)
{
	const char *name = a->vector < 32 && fault_names[a->vector] ?
			   fault_names[a->vector] : "?";
	char msg[sizeof(a->msg)];

	fault_msg(a, msg);
	fprintf(stderr,
		"modvisor: guest kernel exception: vector %llu (%s) error 0x%llx "
		"rip 0x%llx cr2 0x%llx%s%s\n"
		"modvisor:   rsp 0x%llx rflags 0x%llx cs 0x%llx\n"
		"modvisor:   rax 0x%llx rbx 0x%llx rcx 0x%llx rdx 0x%llx\n"
		"modvisor:   rsi 0x%llx rdi 0x%llx rbp 0x%llx\n"
		"modvisor: exit status %d (guest fault)\n",
		(unsigned long long)a->vector, name,
		(unsigned long long)a->error_code, (unsigned long long)a->rip,
		(unsigned long long)a->cr2, msg[0] ? " in " : "", msg,
		(unsigned long long)a->rsp, (unsigned long long)a->rflags,
		(unsigned long long)a->cs, (unsigned long long)a->rax,
		(unsigned long long)a->rbx, (unsigned long long)a->rcx,
		(unsigned long long)a->rdx, (unsigned long long)a->rsi,
		(unsigned long long)a->rdi, (unsigned long long)a->rbp,
		MV_EXIT_GUEST_FAULT);
	return vm_stop(vm, MV_EXIT_GUEST_FAULT);
}
