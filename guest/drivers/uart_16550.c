/* uart_16550.c: COM1, the PC's serial console (QEMU -serial, libvirt's <serial>, virsh console). */
#include "pc.h"
#include "pio.h"

#define COM1            0x3f8
#define UART_DATA       0
#define UART_IER        1
#define UART_FCR        2
#define UART_LCR        3
#define UART_MCR        4
#define UART_LSR        5
#define LSR_DR          0x01    /* a received byte waits */
#define LSR_THRE        0x20    /* the transmitter takes a byte */
#define TX_SPIN_MAX     100000  /* no UART (reads 0xff) or a stuck one: go on */

#define RX_RING 4096            /* a power of two */

static char rx_ring[RX_RING];
static size_t rx_head, rx_tail;  /* free-running: [tail, head) holds bytes */

void uart_init(void)
{
	outb(COM1 + UART_IER, 0x00);
	outb(COM1 + UART_LCR, 0x80);    /* divisor latch */
	outb(COM1 + UART_DATA, 0x01);   /* 115200 baud */
	outb(COM1 + UART_IER, 0x00);
	outb(COM1 + UART_LCR, 0x03);    /* 8N1 */
	/*
	 * FIFOs stay off: turning them on drops what was received (QEMU
	 * resets them), and without them QEMU holds the next byte until the
	 * guest has read this one, so polled input is never lost.
	 */
	outb(COM1 + UART_FCR, 0x00);
	outb(COM1 + UART_MCR, 0x03);    /* DTR, RTS; OUT2 off: no interrupt */
}

void uart_write(const void *buf, size_t len)
{
	const uint8_t *p = buf;

	for (size_t i = 0; i < len; i++) {
		for (unsigned spin = 0; spin < TX_SPIN_MAX; spin++)
			if (inb(COM1 + UART_LSR) & LSR_THRE)
				break;
		outb(COM1 + UART_DATA, p[i]);
	}
}

bool uart_poll(void)
{
	uint8_t lsr;

	/* 0xff: no UART at all (an unassigned port reads all ones). */
	while ((lsr = inb(COM1 + UART_LSR)) != 0xff && (lsr & LSR_DR)) {
		char c = (char)inb(COM1 + UART_DATA);

		if (rx_head - rx_tail < RX_RING)        /* full: drop, as a UART overruns */
			rx_ring[rx_head++ % RX_RING] = c;
	}
	return rx_head != rx_tail;
}

size_t uart_read(void *buf, size_t len)
{
	char *p = buf;
	size_t n = 0;

	uart_poll();
	while (n < len && rx_tail != rx_head)
		p[n++] = rx_ring[rx_tail++ % RX_RING];
	return n;
}
