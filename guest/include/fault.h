/* fault.h: what happens on a CPU exception, and the hook that lets a caller contain one. */
#ifndef MV_GUEST_FAULT_H
#define MV_GUEST_FAULT_H

#include "arch.h"

/*
 * An exception in ring 3 kills the process with the matching signal
 * (#PF/#GP/#SS -> SIGSEGV 139, #UD -> SIGILL 132, #DE -> SIGFPE 136,
 * #BP/#DB -> SIGTRAP 133, NMI -> SIGKILL 137, others SIGBUS 135); the
 * kernel prints
 * "Segmentation fault (address 0x..., rip 0x...)" to stderr and runs the
 * next command.
 *
 * An exception in ring 0 first goes to the recovery hook, if one is armed;
 * otherwise it is reported to the host with MV_HC_FAULT (vector, error
 * code, RIP, CR2, registers) and the VM stops non-zero.
 *
 * The recovery hook is how the module loader (issue 8) contains a fault in
 * a module's init: arm it around the call,
 *
 *     static struct fault_recovery rec;
 *     if (fault_recovery_arm(&rec) == 0) {
 *             ret = mod->init();
 *             fault_recovery_disarm(&rec);
 *     } else {
 *             // rec.frame_copy describes the fault; unwind the load
 *     }
 *
 * On a ring-0 exception while armed, the handler copies the trap frame and
 * CR2 into rec, disarms it, and resumes at fault_recovery_arm() returning
 * 1, on the stack of the arm call, as longjmp would.  Nothing below the
 * arming frame is unwound, so the caller must not hold anything that the
 * faulting code may have half-changed (the loader owns its module's
 * memory only).  Arming nests: the previous recovery point is restored at
 * disarm.  A double fault (#DF) is never recovered.
 *
 * Watchdogs: the kernel runs with interrupts off, but an NMI is always
 * delivered.  A host-side deadline can inject one (KVM_NMI, no irqchip
 * needed): taken in ring 0 with a recovery point armed it is recovered like
 * any exception (frame.vector == 2), so a looping module init is stopped;
 * taken in ring 3 it kills the process as SIGKILL (137, "Killed").
 *
 * A point may limit the NMIs it takes to those that interrupted code in
 * [nmi_lo, nmi_hi) (set both before arming; 0, 0 takes any NMI): the
 * module loader names the module area, so a watchdog NMI that lands in a
 * kernel function the module called (in the middle of a heap update, say)
 * is not recovered there; it is ignored and the host sends another.  An
 * NMI in ring 0 that no point takes is ignored, as Linux ignores an
 * unknown NMI: a watchdog's NMI may arrive just after the init returned.
 */
struct fault_recovery {
	uint64_t ctx[8];                /* ctx_save() state */
	struct fault_recovery *prev;
	uint64_t nmi_lo, nmi_hi;        /* IN: RIPs where an NMI is taken */
	struct trap_frame frame;        /* OUT: the exception */
	uint64_t cr2;                   /* OUT */
};

/* fault_recovery_arm(r): 0 when armed; 1 when returning from a fault. */
#define fault_recovery_arm(r) \
	(fault_recovery_push(r), ctx_save((r)->ctx))
/* fault_recovery_push(r): make r the innermost recovery point (see arm). */
void fault_recovery_push(struct fault_recovery *r);
/* fault_recovery_disarm(r): pop r (must be the innermost). */
void fault_recovery_disarm(struct fault_recovery *r);

/* trap_dispatch(f): called by the entry stubs for every exception. */
void trap_dispatch(struct trap_frame *f);

/*
 * fault_report(f, cr2, msg): send MV_HC_FAULT for f and stop the VM.  For
 * ring-0 faults that nothing could recover.
 */
__noreturn void fault_report(const struct trap_frame *f, uint64_t cr2,
			     const char *msg);

#include "signal.h"     /* the signal numbers user faults turn into */

#endif
