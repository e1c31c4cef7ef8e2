/* pc.h: the PC platform's devices (guest/drivers/): serial port, PIT/PIC tick, CMOS clock, ACPI poweroff. */
#ifndef MV_GUEST_PC_H
#define MV_GUEST_PC_H

#include "kernel.h"

/* uart_init(): COM1 (0x3f8) at 115200 8N1, no FIFOs, no interrupts (polled by the tick). */
void uart_init(void);
/* uart_write(buf, len): send len bytes, waiting for the transmitter. */
void uart_write(const void *buf, size_t len);
/* uart_poll(): move what the receiver holds into the input ring; true if it holds any. */
bool uart_poll(void);
/* uart_read(buf, len): take up to len bytes from the input ring. */
size_t uart_read(void *buf, size_t len);

/* pit_tsc_khz(): the TSC frequency measured against PIT channel 2; 0 if no PIT answered. */
uint64_t pit_tsc_khz(void);
/* pic_pit_start(period_ns): PIT channel 0 at 1/period_ns on IRQ 0 = vector 32, all else masked. */
int pic_pit_start(uint64_t period_ns);
/* pic_eoi(): end the PIC's interrupt (IRQ 0). */
void pic_eoi(void);

/* rtc_epoch_ns(): the CMOS clock as nanoseconds since 1970 (UTC); 0 if it reads nonsense. */
uint64_t rtc_epoch_ns(void);

/*
 * acpi_find_poweroff(rsdp_pa): find PM1a_CNT and \_S5's SLP_TYP through the
 * RSDP at physical rsdp_pa (read through the PVH entry's 1:1 map, so only
 * before kmain's paging_init); false if the tables do not say.
 */
bool acpi_find_poweroff(uint64_t rsdp_pa);
/* acpi_poweroff(): ask for S5 if acpi_find_poweroff() found how (it takes effect a little later); false if not. */
bool acpi_poweroff(void);

/* pc_phys(pa, len): the 1:1-mapped pointer to [pa, pa+len) below 4 GiB, or NULL (PVH entry only). */
const void *pc_phys(uint64_t pa, uint64_t len);

#endif
