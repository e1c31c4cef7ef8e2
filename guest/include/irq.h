/* irq.h: the VMM's interrupts: the periodic tick (preemption) and console input. */
#ifndef MV_GUEST_IRQ_H
#define MV_GUEST_IRQ_H

#include "kernel.h"
#include <generated/autoconf.h>

struct trap_frame;

/*
 * irq_init(): ask the VMM for the tick (MV_HC_TIMER, IRQ_TICK_NS); from
 * then on ring 3 runs with interrupts enabled and the idle loop halts.
 * A VMM that refuses leaves the kernel cooperative (and spinning when idle);
 * so does a benchmark boot (MV_BOOT_F_BENCH), whose exit counts must repeat.
 */
void irq_init(void);

/*
 * irq_dispatch(f): an interrupt (vector >= 32) arrived in ring 3 or in the
 * idle loop's HLT.  In ring 3 a tick ends the process's time slice.
 */
void irq_dispatch(struct trap_frame *f);

/* irq_ticking(): is the tick running (so an idle wait will end)? */
bool irq_ticking(void);

#define IRQ_TICK_NS (1000000000ull / CONFIG_HZ)   /* guest/kernel.config: 100 Hz */

#endif
