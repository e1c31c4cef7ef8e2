/* rtc_cmos.c: the wall clock at boot from the PC's CMOS clock (the VMM gives it in the boot info instead). */
#include "pc.h"
#include "pio.h"

#define CMOS_ADDR 0x70
#define CMOS_DATA 0x71

static uint8_t cmos_read(uint8_t reg)
{
	outb(CMOS_ADDR, reg);
	return inb(CMOS_DATA);
}

static unsigned bcd(uint8_t v, bool binary)
{
	return binary ? v : (v & 0x0f) + (v >> 4) * 10;
}

/* Days from 1970-01-01 to y-m-d (proleptic Gregorian, Howard Hinnant's method). */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
	int64_t era;
	unsigned yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (unsigned)(y - era * 400);
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

uint64_t rtc_epoch_ns(void)
{
	uint8_t r[6], b;
	unsigned sec, min, hour, day, mon, year;
	bool bin;

	for (unsigned spin = 0; spin < 1000000 && (cmos_read(0x0a) & 0x80); spin++)
		;               /* an update is in progress */
	r[0] = cmos_read(0x00);
	r[1] = cmos_read(0x02);
	r[2] = cmos_read(0x04);
	r[3] = cmos_read(0x07);
	r[4] = cmos_read(0x08);
	r[5] = cmos_read(0x09);
	b = cmos_read(0x0b);
	bin = b & 0x04;
	sec = bcd(r[0], bin);
	min = bcd(r[1], bin);
	hour = bcd(r[2] & 0x7f, bin);
	if (!(b & 0x02) && (r[2] & 0x80))
		hour = (hour % 12) + 12;        /* 12-hour clock, PM */
	day = bcd(r[3], bin);
	mon = bcd(r[4], bin);
	year = 2000 + bcd(r[5], bin);
	if (sec > 59 || min > 59 || hour > 23 || !day || day > 31 || !mon || mon > 12)
		return 0;
	return (uint64_t)(((days_from_civil(year, mon, day) * 24 + hour) * 60 + min) * 60 + sec) *
	       1000000000ull;
}
