/* platform_modvisor.c: the modvisor VMM as the platform: console, tick, exit and faults as hypercalls. */
#include "hcall.h"
#include "mm.h"
#include "platform.h"
#include "tty.h"

static void mvp_console_write(unsigned stream, const void *buf, size_t len)
{
	struct mv_hc_console c = {
		.buf = virt_to_phys(buf), .len = (uint32_t)len, .stream = stream,
	};

	hcall(MV_HC_CONSOLE, &c, sizeof(c));
}

static long mvp_console_read(void *buf, size_t len, bool *eof)
{
	struct mv_hc_console_read r = {
		.buf = virt_to_phys(buf), .len = (uint32_t)MIN(len, (size_t)UINT32_MAX),
	};
	int err = hcall(MV_HC_CONSOLE_READ, &r, sizeof(r));

	if (err < 0)
		return err;
	tty_resize(r.ws_row, r.ws_col, r.ws_gen);       /* the host terminal's size now */
	*eof = r.eof;
	return MIN(r.got, r.len);
}

static int mvp_tick_start(uint64_t period_ns)
{
	struct mv_hc_timer t = { .period_ns = period_ns };

	return hcall(MV_HC_TIMER, &t, sizeof(t));
}

/* The VMM injects the tick and input vectors itself: nothing to acknowledge. */
static bool mvp_irq_ack(uint64_t vector)
{
	return vector == MV_IRQ_INPUT;
}

static void mvp_fault(struct mv_hc_fault *hc)
{
	hcall(MV_HC_FAULT, hc, sizeof(*hc));
}

static void mvp_bench(struct mv_hc_bench *b)
{
	hcall(MV_HC_BENCH, b, sizeof(*b));
}

static __noreturn void mvp_exit(int status)
{
	struct mv_hc_exit e = { .status = status };

	hcall(MV_HC_EXIT, &e, sizeof(e));
	/* The VMM never resumes after an exit; stop here if it did. */
	for (;;)
		__asm__ volatile("cli; hlt");
}

const struct platform_ops platform_modvisor = {
	.name = "modvisor",
	.console_write = mvp_console_write,
	.console_read = mvp_console_read,
	.tick_start = mvp_tick_start,
	.irq_ack = mvp_irq_ack,
	.fault = mvp_fault,
	.bench = mvp_bench,
	.exit = mvp_exit,
};

const struct platform_ops *platform = &platform_modvisor;
