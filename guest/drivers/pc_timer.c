/* pc_timer.c: the PC's tick (PIT channel 0 through the 8259 PIC) and the TSC's frequency (PIT channel 2). */
#include "arch.h"
#include "pc.h"
#include "pio.h"

#define PIT_HZ          1193182ull
#define PIT_CH0         0x40
#define PIT_CH2         0x42
#define PIT_CMD         0x43
#define PORT_B          0x61    /* bit 0: channel 2 gate, bit 1: speaker, bit 5: OUT2 */
#define PIC1_CMD        0x20
#define PIC1_DATA       0x21
#define PIC2_CMD        0xa0
#define PIC2_DATA       0xa1
#define PIC_EOI         0x20
#define CALIB_MS        10
#define CALIB_MAX_TICKS (1ull << 36)    /* ~20 s even at 4 GHz: no PIT */

uint64_t pit_tsc_khz(void)
{
	uint16_t count = (uint16_t)(PIT_HZ * CALIB_MS / 1000);
	uint64_t t0, t;

	outb(PORT_B, (inb(PORT_B) & ~0x02) | 0x01);
	outb(PIT_CMD, 0xb0);            /* channel 2, lobyte/hibyte, mode 0 */
	outb(PIT_CH2, count & 0xff);
	outb(PIT_CH2, count >> 8);
	t0 = rdtsc();
	do {
		t = rdtsc();
		if (t - t0 > CALIB_MAX_TICKS)
			return 0;
	} while (!(inb(PORT_B) & 0x20));
	return (t - t0) / CALIB_MS;
}

/* Vectors 32-47 for IRQs 0-15, like the VMM's MV_IRQ_TIMER for IRQ 0; only IRQ 0 unmasked. */
static void pic_remap(void)
{
	outb(PIC1_CMD, 0x11);
	outb(PIC2_CMD, 0x11);
	outb(PIC1_DATA, 0x20);
	outb(PIC2_DATA, 0x28);
	outb(PIC1_DATA, 0x04);
	outb(PIC2_DATA, 0x02);
	outb(PIC1_DATA, 0x01);
	outb(PIC2_DATA, 0x01);
	outb(PIC1_DATA, 0xfe);
	outb(PIC2_DATA, 0xff);
}

int pic_pit_start(uint64_t period_ns)
{
	uint64_t div = PIT_HZ * period_ns / 1000000000ull;

	if (div < 2 || div > 0xffff)
		return -EINVAL;
	pic_remap();
	outb(PIT_CMD, 0x34);            /* channel 0, lobyte/hibyte, mode 2 */
	outb(PIT_CH0, div & 0xff);
	outb(PIT_CH0, (div >> 8) & 0xff);
	return 0;
}

void pic_eoi(void)
{
	outb(PIC1_CMD, PIC_EOI);
}
