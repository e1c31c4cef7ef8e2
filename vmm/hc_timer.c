/* hc_timer.c: MV_HC_TIMER, the guest asks for its periodic tick interrupt. */
#include <errno.h>
#include <string.h>
#include "hypercall.h"
#include "irq.h"

HYPERCALL_DEFINE(MV_HC_TIMER, struct mv_hc_timer, hc_timer);

static int hc_timer(struct vm *vm, struct mv_hc_timer *a)
{
	int err;

	if (a->period_ns && (a->period_ns < MV_TIMER_MIN_NS || a->period_ns > MV_TIMER_MAX_NS)) {
		a->hdr.ret = -EINVAL;
		return HC_CONTINUE;
	}
	err = irq_timer_set(vm, vm->vcpu[0].run, a->period_ns);
	if (err)
		return vm_fail(vm, MV_EXIT_SETUP, "MV_HC_TIMER: cannot start the tick timer: %s",
			       strerror(-err));
	a->hdr.ret = 0;
	return HC_CONTINUE;
}
