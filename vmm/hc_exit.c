/* hc_exit.c: MV_HC_EXIT, the guest's exit status becomes modvisor's. */
#include "hypercall.h"

HYPERCALL_DEFINE(MV_HC_EXIT, struct mv_hc_exit, hc_exit);

/* Only the low 8 bits survive, as with exit(2) on Linux. */
static int hc_exit(struct vm *vm, struct mv_hc_exit *a)
{
	return vm_stop(vm, a->status & 0xff);
}
