/* fault_x86_64.c: CPU exceptions: kill the user process, recover, or report to the host. */
#include "console.h"
#include "fault.h"
#include "platform.h"
#include "proc.h"
#include "umm.h"
#include "wstatus.h"
#include "sigdeliver.h"
#include "irq.h"

/* Mnemonic and name of each exception vector, for messages. */
static const char *const vector_names[32][2] = {
	{ "#DE", "divide error" }, { "#DB", "debug" }, { "NMI", "NMI" },
	{ "#BP", "breakpoint" }, { "#OF", "overflow" }, { "#BR", "bound range" },
	{ "#UD", "invalid opcode" }, { "#NM", "device not available" },
	{ "#DF", "double fault" }, { "#CSO", "coprocessor overrun" },
	{ "#TS", "invalid TSS" }, { "#NP", "segment not present" },
	{ "#SS", "stack fault" }, { "#GP", "general protection" },
	{ "#PF", "page fault" }, { "#15", "reserved" }, { "#MF", "x87 error" },
	{ "#AC", "alignment check" }, { "#MC", "machine check" },
	{ "#XM", "SIMD error" }, { "#VE", "virtualization" },
	{ "#CP", "control protection" }, { "#22", "reserved" },
	{ "#23", "reserved" }, { "#24", "reserved" }, { "#25", "reserved" },
	{ "#26", "reserved" }, { "#27", "reserved" },
	{ "#HV", "hypervisor injection" }, { "#VC", "VMM communication" },
	{ "#SX", "security" }, { "#31", "reserved" },
};

static struct fault_recovery *recovery_top;

void fault_recovery_push(struct fault_recovery *r)
{
	r->prev = recovery_top;
	recovery_top = r;
}

void fault_recovery_disarm(struct fault_recovery *r)
{
	BUG_ON(recovery_top != r);
	recovery_top = r->prev;
}

/* vector_name(v, part): 0 = mnemonic ("#PF"), 1 = name ("page fault"). */
static const char *vector_name(uint64_t v, int part)
{
	return v < 32 ? vector_names[v][part] : "unknown vector";
}

__noreturn void fault_report(const struct trap_frame *f, uint64_t cr2, const char *msg)
{
	struct mv_hc_fault hc = {
		.vector = f->vector, .error_code = f->error_code, .rip = f->rip,
		.cr2 = cr2, .rsp = f->rsp, .rflags = f->rflags, .cs = f->cs,
		.rax = f->rax, .rbx = f->rbx, .rcx = f->rcx, .rdx = f->rdx,
		.rsi = f->rsi, .rdi = f->rdi, .rbp = f->rbp,
	};

	printk("kernel fault: %s %s (vector %lu, error %#lx) at rip %#lx, cr2 %#lx, rsp %#lx\n",
	       vector_name(f->vector, 0), vector_name(f->vector, 1), f->vector,
	       f->error_code, f->rip, cr2, f->rsp);
	console_flush();
	strscpy(hc.msg, msg, sizeof(hc.msg));
	platform->fault(&hc);
	platform->exit(121);    /* only if the VMM resumed us, or on a PC */
}

/* The signal a shell would report for a user exception. */
static int user_signal(uint64_t vector)
{
	switch (vector) {
	case X86_PF: case X86_GP: case X86_SS: case X86_NP:
		return SIGSEGV;
	case X86_UD:
		return SIGILL;
	case X86_DE: case X86_MF: case X86_XM:
		return SIGFPE;
	case X86_BP: case X86_DB:
		return SIGTRAP;
	case X86_NMI:
		return SIGKILL;         /* a watchdog (fault.h) */
	default:
		return SIGBUS;
	}
}

/* The si_code of a user fault. */
static int user_si_code(const struct trap_frame *f, int sig)
{
	switch (sig) {
	case SIGSEGV:
		return f->vector == X86_PF && (f->error_code & 1) ? SEGV_ACCERR :
		       f->vector == X86_PF ? SEGV_MAPERR : SI_KERNEL;
	case SIGILL:  return ILL_ILLOPN;
	case SIGFPE:  return FPE_INTDIV;
	case SIGTRAP: return SI_KERNEL;
	default:      return BUS_ADRERR;
	}
}

/*
 * A ring-3 exception: the process's handler takes the signal if it has
 * one; else say what happened on stderr, as a shell would, and end it.
 */
static void user_fault(struct trap_frame *f, uint64_t cr2)
{
	int sig = user_signal(f->vector);
	char line[160];
	int n;

	if (sig != SIGKILL && signal_fault(f, sig, user_si_code(f, sig),
					   f->vector == X86_PF ? cr2 : f->rip))
		return;

	if (f->vector == X86_PF)
		n = snprintf(line, sizeof(line),
			     "Segmentation fault (address %#lx, rip %#lx)\n", cr2, f->rip);
	else if (sig == SIGSEGV)
		n = snprintf(line, sizeof(line),
			     "Segmentation fault (%s, rip %#lx)\n",
			     vector_name(f->vector, 1), f->rip);
	else
		n = snprintf(line, sizeof(line), "%s (%s %s, rip %#lx)\n",
			     sig == SIGILL ? "Illegal instruction" :
			     sig == SIGFPE ? "Floating point exception" :
			     sig == SIGTRAP ? "Trace/breakpoint trap" :
			     sig == SIGKILL ? "Killed" : "Bus error",
			     vector_name(f->vector, 0), vector_name(f->vector, 1), f->rip);
	console_write(MV_CONSOLE_STDERR, line, MIN((size_t)n, sizeof(line) - 1));
	proc_exit(WS_SIGNALED(sig, wstatus_sig_core(sig)));
}

/* Whether recovery point r takes an NMI that interrupted rip (fault.h). */
static bool nmi_taken(const struct fault_recovery *r, uint64_t rip)
{
	return r && (r->nmi_hi == 0 || (rip >= r->nmi_lo && rip < r->nmi_hi));
}

void trap_dispatch(struct trap_frame *f)
{
	uint64_t cr2 = f->vector == X86_PF ? read_cr2() : 0;

	if (f->vector >= 32) {
		irq_dispatch(f);
		return;
	}
	if ((f->cs & 3) == 3) {
		/* A not-present fault in the stack region grows the stack. */
		if (f->vector == X86_PF && !(f->error_code & 1) &&
		    current && umm_fault_in(current->mm, cr2))
			return;
		/* A write to a copy-on-write page (after fork) copies it. */
		if (f->vector == X86_PF && (f->error_code & 3) == 3 &&
		    current && umm_write_fault(current->mm, cr2))
			return;
		user_fault(f, cr2);
		signal_return(f);
		return;
	}
	if (f->vector == X86_NMI && !nmi_taken(recovery_top, f->rip)) {
		if (!recovery_top)
			printk("NMI received in the kernel at rip %#lx: ignored\n", f->rip);
		return;
	}
	if (recovery_top && f->vector != X86_DF) {
		struct fault_recovery *r = recovery_top;

		recovery_top = r->prev;
		r->frame = *f;
		r->cr2 = cr2;
		if (f->vector == X86_NMI)
			nmi_unblock();
		ctx_restore(r->ctx, 1);
	}
	fault_report(f, cr2, current ? "kernel (in a syscall)" : "kernel");
}
