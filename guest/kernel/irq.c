/* irq.c: the tick and input interrupts (the VMM's, or the PC's timer): preemption and waking console readers. */
#include "arch.h"
#include "boot.h"
#include "console.h"
#include "irq.h"
#include "platform.h"
#include "sched.h"
#include "sigdeliver.h"

static bool ticking;

void irq_init(void)
{
	/* Benchmarks count exits per stage: no tick, so the counts repeat. */
	if (boot_info.flags & MV_BOOT_F_BENCH)
		return;
	if (platform->tick_start(IRQ_TICK_NS) == 0) {
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
	if (platform->irq_ack(f->vector))
		console_input_ready();
	if ((f->cs & 3) != 3)
		return;                 /* the idle loop: it looks again itself */
	/* A tick in ring 3 ends the slice; an input may have woken a reader. */
	schedule();
	signal_return(f);
}
