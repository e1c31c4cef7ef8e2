/* irq.c: the tick and input interrupts the VMM injects: preemption and waking console readers. */
#include "arch.h"
#include "boot.h"
#include "console.h"
#include "hcall.h"
#include "irq.h"
#include "sched.h"
#include "sigdeliver.h"

static bool ticking;

void irq_init(void)
{
	struct mv_hc_timer t = { .period_ns = IRQ_TICK_NS };

	/* Benchmarks count exits per stage: no tick, so the counts repeat. */
	if (boot_info.flags & MV_BOOT_F_BENCH)
		return;
	if (hcall(MV_HC_TIMER, &t, sizeof(t)) == 0) {
		ticking = true;
		cpu_user_interrupts();
	}
}

bool irq_ticking(void)
{
	return ticking;
}

void irq_dispatch(struct trap_frame *f)
{
	if (f->vector == MV_IRQ_INPUT)
		console_input_ready();
	if ((f->cs & 3) != 3)
		return;                 /* the idle loop: it looks again itself */
	/* A tick in ring 3 ends the slice; an input may have woken a reader. */
	schedule();
	signal_return(f);
}
