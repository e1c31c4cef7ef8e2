/* hc_nop.c: MV_HC_NOP, the null hypercall whose round trip benchmarks measure. */
#include "hypercall.h"

HYPERCALL_DEFINE(MV_HC_NOP, struct mv_hc_nop, hc_nop);

static int hc_nop(struct vm *vm, struct mv_hc_nop *a)
{
	(void)vm;
	a->hdr.ret = 0;
	return HC_CONTINUE;
}
