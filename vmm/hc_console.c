/* hc_console.c: MV_HC_CONSOLE, a buffer of guest output to stdout or stderr (guarded: console_guard.h). */
#include <errno.h>
#include <unistd.h>
#include "console_guard.h"
#include "hypercall.h"

HYPERCALL_DEFINE(MV_HC_CONSOLE, struct mv_hc_console, hc_console);

static int hc_console(struct vm *vm, struct mv_hc_console *a)
{
	const uint8_t *p;

	if (a->stream != MV_CONSOLE_STDOUT && a->stream != MV_CONSOLE_STDERR)
		return vm_fail(vm, MV_EXIT_HC_BAD_ARG, "MV_HC_CONSOLE: stream %u is "
			       "neither 1 (stdout) nor 2 (stderr)", a->stream);
	if (a->len > MV_CONSOLE_MAX)
		return vm_fail(vm, MV_EXIT_HC_BAD_ARG, "MV_HC_CONSOLE: len %u exceeds "
			       "MV_CONSOLE_MAX (%u)", a->len, MV_CONSOLE_MAX);
	p = mem_gpa(&vm->mem, a->buf, a->len);
	if (!p)
		return hc_bad_gpa(vm, "MV_HC_CONSOLE: buf", a->buf, a->len);
	/*
	 * A closed stdout is the user's business, not the guest's fault.  A
	 * guest line may not pass for the host's (console_guard.h).
	 */
	a->hdr.ret = console_guard_write(a->stream == MV_CONSOLE_STDOUT ? 1 : 2, p, a->len);
	return HC_CONTINUE;
}
