/* platform_pc.c: a PC as the platform (QEMU -kernel, libvirt): COM1 console, PIT tick, debug-exit/ACPI poweroff. */
#include "pc.h"
#include "pio.h"
#include "platform.h"

/*
 * QEMU's isa-debug-exit device (-device isa-debug-exit,iobase=0xf4) ends
 * QEMU with status (v << 1) | 1 for a byte v written here; without it the
 * write goes nowhere and ACPI powers the machine off instead.
 */
#define PC_DEBUG_EXIT_PORT 0xf4

static void pc_console_write(unsigned stream, const void *buf, size_t len)
{
	(void)stream;           /* one serial line carries stdout and stderr */
	uart_write(buf, len);
}

static long pc_console_read(void *buf, size_t len, bool *eof)
{
	*eof = false;           /* a serial line never ends */
	return (long)uart_read(buf, len);
}

static int pc_tick_start(uint64_t period_ns)
{
	return pic_pit_start(period_ns);
}

/* The tick also polls the serial port: a reader wakes within one tick. */
static bool pc_irq_ack(uint64_t vector)
{
	if (vector == MV_IRQ_TIMER)
		pic_eoi();
	return uart_poll();
}

static void pc_fault(struct mv_hc_fault *hc)
{
	printk("kernel fault: %s\n", hc->msg);
}

static void pc_bench(struct mv_hc_bench *b)
{
	(void)b;                /* MV_BOOT_F_BENCH is never set on a PC */
}

static __noreturn void pc_exit(int status)
{
	outb(PC_DEBUG_EXIT_PORT, (uint8_t)status);
	if (!acpi_poweroff())
		printk("exit status %d: no way to power off; halted\n", status);
	for (;;)
		__asm__ volatile("cli; hlt");
}

const struct platform_ops platform_pc = {
	.name = "pc",
	.console_write = pc_console_write,
	.console_read = pc_console_read,
	.tick_start = pc_tick_start,
	.irq_ack = pc_irq_ack,
	.fault = pc_fault,
	.bench = pc_bench,
	.exit = pc_exit,
};
