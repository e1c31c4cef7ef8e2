/* irq.h: the guest's interrupts without an irqchip: the periodic tick and console input. */
#ifndef MODVISOR_VMM_IRQ_H
#define MODVISOR_VMM_IRQ_H

#include <stdbool.h>
#include <stdint.h>
#include <linux/kvm.h>

struct vm;
struct vcpu;

/*
 * The VMM injects two vectors itself (KVM_INTERRUPT, no in-kernel irqchip):
 * MV_IRQ_TIMER every period the guest asked for with MV_HC_TIMER, and
 * MV_IRQ_INPUT once stdin has bytes (or ends) after a MV_HC_CONSOLE_READ
 * came back empty.  A POSIX timer on SIGRTMIN+1 kicks the vCPU out of
 * KVM_RUN for each tick (kvm_run.immediate_exit, as the watchdogs do);
 * an interrupt the guest cannot take yet (IF clear) waits for the
 * interrupt window.  A HLT while the tick runs sleeps on the host until
 * the next tick or input: an idle guest costs no CPU.
 */
struct vm_irq {
	uint64_t period_ns;     /* tick period; 0: no tick */
	uint32_t pending;       /* 1u << 0: tick, 1u << 1: input */
	bool input_armed;       /* a read came back empty: tell when input comes */
	bool stdin_eof;         /* stdin ended (or is not open) */
	uint16_t ws_row, ws_col; /* the host terminal's size (MV_HC_CONSOLE_READ) */
	uint32_t ws_gen;        /* bumped at each change the guest has to hear of */
};

/*
 * irq_winch_arm(vm, rows, cols): the guest has a terminal of this size:
 * from now on a SIGWINCH (the host terminal was resized) reads the new
 * size (run_tty_size), and a change bumps ws_gen and raises MV_IRQ_INPUT,
 * so the guest asks (MV_HC_CONSOLE_READ) and signals its foreground group.
 * 0 or -errno.
 */
int irq_winch_arm(struct vm *vm, uint16_t rows, uint16_t cols);

/* irq_timer_set(vm, run, period_ns): start (or with 0 stop) the tick; 0 or -errno. */
int irq_timer_set(struct vm *vm, struct kvm_run *run, uint64_t period_ns);

/*
 * irq_take(vm, run): after KVM_RUN returned EINTR: if the tick kicked the
 * vCPU, clear run->immediate_exit again (the caller sets it back for the
 * watchdog) and note a tick.  Returns whether it was the tick's.
 */
bool irq_take(struct vm *vm, struct kvm_run *run);

/*
 * irq_inject(vm, v): before KVM_RUN: note input that arrived, inject the
 * lowest pending vector if the guest can take it now, else ask KVM for the
 * interrupt window.
 */
void irq_inject(struct vm *vm, struct vcpu *v);

/*
 * irq_halt(vm): KVM_EXIT_HLT.  With the tick running, wait for the next
 * tick or input and return true; without it nothing can wake the guest:
 * false (the caller stops the VM).
 */
bool irq_halt(struct vm *vm);

/*
 * irq_stdin_read(vm, buf, len, eof): MV_HC_CONSOLE_READ: what stdin has
 * now, without waiting; arms the input interrupt when it has nothing.
 * Returns the bytes read; *eof once stdin has ended.
 */
size_t irq_stdin_read(struct vm *vm, uint8_t *buf, size_t len, bool *eof);

/* irq_stop(): stop the tick timer (the VM ended); safe to repeat. */
void irq_stop(void);

#endif
