/* hc_console_read.c: MV_HC_CONSOLE_READ, the host's stdin forwarded to the guest. */
#include "hypercall.h"
#include "irq.h"

HYPERCALL_DEFINE(MV_HC_CONSOLE_READ, struct mv_hc_console_read, hc_console_read);

static int hc_console_read(struct vm *vm, struct mv_hc_console_read *a)
{
	uint8_t *p;
	bool eof;

	if (a->len > MV_CONSOLE_MAX || a->flags)
		return vm_fail(vm, MV_EXIT_HC_BAD_ARG, "MV_HC_CONSOLE_READ: len %u (max %u) "
			       "or flags %#x (must be 0)", a->len, MV_CONSOLE_MAX, a->flags);
	p = mem_gpa(&vm->mem, a->buf, a->len);
	if (!p)
		return hc_bad_gpa(vm, "MV_HC_CONSOLE_READ: buf", a->buf, a->len);
	a->got = (uint32_t)irq_stdin_read(vm, p, a->len, &eof);
	a->eof = eof;
	a->ws_row = vm->irq.ws_row;
	a->ws_col = vm->irq.ws_col;
	a->ws_gen = vm->irq.ws_gen;
	a->hdr.ret = 0;
	return HC_CONTINUE;
}
