/* test_virtio_pci.c: the guest's reading of a virtio-pci device: BAR decoding and every check on the virtio capabilities. */
#include <check.h>
#include <errno.h>
#include <string.h>
#include "virtio_pci_caps.h"
#include "check_main.h"

#define HIGH_BAR 0x180000000ull         /* above 4 GiB, as SeaBIOS places a 64-bit BAR when it must */

static uint8_t cfg[PCI_CFG_SIZE];
/* Two more than the six: a BAR number past them must be refused, not read there. */
static struct pci_bar bar_space[PCI_NUM_BARS + 2];
static struct pci_bar *const bars = bar_space;
static struct vpci_layout l;
static char why[VPCI_WHY_MAX];

static void put32(unsigned off, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		cfg[off + i] = (uint8_t)(v >> (8 * i));
}

/* cap(pos, next, len, type, bar, off, length): a virtio_pci_cap at pos. */
static void cap(unsigned pos, unsigned next, unsigned len, unsigned type, unsigned bar,
		uint32_t off, uint32_t length)
{
	cfg[pos] = 0x09;
	cfg[pos + 1] = (uint8_t)next;
	cfg[pos + 2] = (uint8_t)len;
	cfg[pos + 3] = (uint8_t)type;
	cfg[pos + 4] = (uint8_t)bar;
	put32(pos + 8, off);
	put32(pos + 12, length);
}

/* QEMU's layout: MSI-X, then COMMON, ISR, DEVICE, NOTIFY (multiplier 4), PCI_CFG, in BAR 4. */
static void setup(void)
{
	memset(cfg, 0, sizeof(cfg));
	memset(bar_space, 0, sizeof(bar_space));
	memset(why, 0, sizeof(why));
	bars[1] = (struct pci_bar){ .base = 0xfebf1000, .size = 0x1000 };
	bars[4] = (struct pci_bar){ .base = HIGH_BAR, .size = 0x4000, .wide = true };
	cfg[0x06] = 0x10;
	cfg[0x34] = 0x98;
	cfg[0x98] = 0x11;               /* MSI-X */
	cfg[0x99] = 0x40;
	cap(0x40, 0x50, 16, 1, 4, 0x0000, 0x1000);
	cap(0x50, 0x60, 16, 3, 4, 0x1000, 0x1000);
	cap(0x60, 0x70, 16, 4, 4, 0x2000, 0x1000);
	cap(0x70, 0x84, 20, 2, 4, 0x3000, 0x1000);
	put32(0x70 + 16, 4);
	cap(0x84, 0x00, 20, 5, 0, 0, 0);
}

static int parse(void)
{
	return vpci_parse_caps(cfg, bars, &l, why);
}

START_TEST(qemu_layout)
{
	uint32_t off;

	ck_assert_int_eq(parse(), 0);
	ck_assert(l.common.found && l.notify.found && l.isr.found && l.device.found);
	ck_assert_uint_eq(l.common.pa, HIGH_BAR);
	ck_assert_uint_eq(l.common.len, 0x1000);
	ck_assert_uint_eq(l.common.bar, 4);
	ck_assert_uint_eq(l.isr.pa, HIGH_BAR + 0x1000);
	ck_assert_uint_eq(l.device.pa, HIGH_BAR + 0x2000);
	ck_assert_uint_eq(l.notify.pa, HIGH_BAR + 0x3000);
	ck_assert_uint_eq(l.notify_mult, 4);
	ck_assert_int_eq(vpci_notify_off(&l, 5, &off), 0);
	ck_assert_uint_eq(off, 20);
	ck_assert_int_eq(vpci_notify_off(&l, 1023, &off), 0);
	ck_assert_uint_eq(off, 4092);
	ck_assert_int_eq(vpci_notify_off(&l, 1024, &off), -EINVAL);   /* 4096 + 2 > 0x1000 */
	ck_assert_int_eq(vpci_notify_off(&l, 0xffff, &off), -EINVAL);
}
END_TEST

START_TEST(no_modern_interface)
{
	cfg[0x06] = 0;                  /* no capability list */
	ck_assert_int_eq(parse(), -ENODEV);
	setup();
	cfg[0x34] = 0x98;
	cfg[0x99] = 0;                  /* MSI-X only: a legacy-only transitional device */
	ck_assert_int_eq(parse(), -ENODEV);
}
END_TEST

START_TEST(broken_list)
{
	cfg[0x34] = 0x20;               /* into the standard header */
	ck_assert_int_eq(parse(), -EINVAL);
	ck_assert_str_eq(why, "the capability list points outside at 0x20");
	setup();
	cfg[0x85] = 0x40;               /* PCI_CFG points back at COMMON: a loop */
	ck_assert_int_eq(parse(), -EINVAL);
	ck_assert_ptr_nonnull(strstr(why, "the capability list loops"));
	setup();
	cfg[0x34] = 0xfc;               /* the last dword: a 16-byte cap cannot fit there */
	memcpy(cfg + 0xfc, "\x09\x00\x10\x01", 4);
	ck_assert_int_eq(parse(), -EINVAL);
	ck_assert_str_eq(why, "capability at 0xfc (type 1): cap_len 16");
}
END_TEST

START_TEST(cap_len)
{
	cfg[0x42] = 15;
	ck_assert_int_eq(parse(), -EINVAL);
	ck_assert_str_eq(why, "capability at 0x40 (type 1): cap_len 15");
	setup();
	cfg[0x72] = 16;                 /* NOTIFY without its multiplier */
	ck_assert_int_eq(parse(), -EINVAL);
	ck_assert_str_eq(why, "capability at 0x70 (type 2): cap_len 16");
}
END_TEST

START_TEST(bar_number)
{
	bar_space[6] = (struct pci_bar){ .base = HIGH_BAR, .size = 0x4000 };
	cfg[0x44] = 6;
	ck_assert_int_eq(parse(), -EINVAL);
	ck_assert_str_eq(why, "capability at 0x40 (type 1): bar 6 is no usable memory BAR");
	setup();
	cfg[0x44] = 5;                  /* BAR 4's upper half */
	ck_assert_int_eq(parse(), -EINVAL);
	setup();
	bars[4].io = true;
	ck_assert_int_eq(parse(), -EINVAL);
	ck_assert_str_eq(why, "capability at 0x70 (type 2): bar 4 is no usable memory BAR");
}
END_TEST

START_TEST(range_in_bar)
{
	put32(0x40 + 8, 0x3001);        /* COMMON's 0x1000 bytes pass the BAR's end by one */
	ck_assert_int_eq(parse(), -EINVAL);
	ck_assert_str_eq(why, "capability at 0x40 (type 1): offset 0x3001 length 0x1000 do not "
			 "fit BAR 4");
	setup();
	put32(0x70 + 8, 0xffffffff);    /* offset + length wraps in 32 bits */
	put32(0x70 + 12, 2);
	ck_assert_int_eq(parse(), -EINVAL);
	setup();
	put32(0x40 + 12, 0x37);         /* shorter than the common configuration's fields */
	ck_assert_int_eq(parse(), -EINVAL);
	setup();
	put32(0x70 + 12, 1);            /* no room for one notify register */
	ck_assert_int_eq(parse(), -EINVAL);
}
END_TEST

START_TEST(notify_multiplier)
{
	put32(0x70 + 16, 3);
	ck_assert_int_eq(parse(), -EINVAL);
	ck_assert_str_eq(why, "capability at 0x70: notify_off_multiplier 3");
	setup();
	put32(0x70 + 16, 1);
	ck_assert_int_eq(parse(), -EINVAL);
	setup();
	put32(0x70 + 16, 0);            /* every queue shares one register */
	ck_assert_int_eq(parse(), 0);
	uint32_t off = 1;
	ck_assert_int_eq(vpci_notify_off(&l, 77, &off), 0);
	ck_assert_uint_eq(off, 0);
}
END_TEST

/* A driver uses the first structure of each type it can (4.1.4); optional ones may be broken. */
START_TEST(first_usable)
{
	cap(0xc0, 0x40, 16, 1, 4, 0x3800, 0x1000);     /* an unusable COMMON first */
	cfg[0x99] = 0xc0;
	cap(0xd0, 0x00, 16, 1, 1, 0, 0x100);           /* a usable one after the first */
	cfg[0x85] = 0xd0;
	ck_assert_int_eq(parse(), 0);
	ck_assert_uint_eq(l.common.pa, HIGH_BAR);      /* the first usable, not the later one */
	setup();
	put32(0x60 + 8, 0x3800);        /* DEVICE outside the BAR: not used, not fatal */
	ck_assert_int_eq(parse(), 0);
	ck_assert(!l.device.found);
	setup();
	cfg[0x43] = 4;                  /* no COMMON at all */
	ck_assert_int_eq(parse(), -EINVAL);
	ck_assert_str_eq(why, "no common or notify capability");
}
END_TEST

START_TEST(bar_decode)
{
	struct pci_bar b;

	ck_assert_int_eq(pci_bar_decode(0xfebf0000, 0, 0xffffc000, 0, &b), 0);
	ck_assert(!b.io && !b.wide);
	ck_assert_uint_eq(b.base, 0xfebf0000);
	ck_assert_uint_eq(b.size, 0x4000);
	ck_assert_int_eq(pci_bar_decode(0x8000000c, 1, 0xffffc00c, 0xffffffff, &b), 0);
	ck_assert(b.wide);
	ck_assert_uint_eq(b.base, 0x180000000ull);
	ck_assert_uint_eq(b.size, 0x4000);
	ck_assert_int_eq(pci_bar_decode(0x0000000c, 0x10, 0, 0xfffffff0, &b), 0);  /* 64 GiB */
	ck_assert_uint_eq(b.size, 0x1000000000ull);
	ck_assert_int_eq(pci_bar_decode(0xc041, 0, 0xffffffe1, 0, &b), 0);
	ck_assert(b.io);
	ck_assert_uint_eq(b.base, 0xc040);
	ck_assert_uint_eq(b.size, 0x20);
	ck_assert_int_eq(pci_bar_decode(0xc041, 0, 0x0000ffe1, 0, &b), 0);    /* upper half 0 */
	ck_assert_uint_eq(b.size, 0x20);
}
END_TEST

START_TEST(bar_decode_refuses)
{
	struct pci_bar b;

	ck_assert_int_eq(pci_bar_decode(0xfebf0002, 0, 0xffffc002, 0, &b), -EINVAL); /* type 1 */
	ck_assert_int_eq(pci_bar_decode(0xfebf0006, 0, 0xffffc006, 0, &b), -EINVAL); /* type 3 */
	ck_assert_int_eq(pci_bar_decode(0x00000000, 0, 0xffffc000, 0, &b), -EINVAL); /* base 0 */
	ck_assert_int_eq(pci_bar_decode(0xfebf0000, 0, 0, 0, &b), -EINVAL);          /* no BAR */
	ck_assert_int_eq(pci_bar_decode(0xfebf0000, 0, 0xffff5000, 0, &b), -EINVAL); /* 2^n? */
	ck_assert_int_eq(pci_bar_decode(0xfebf2000, 0, 0xffffc000, 0, &b), -EINVAL); /* align */
	/* A 64-bit BAR at or past the 52-bit physical limit, or wrapping. */
	ck_assert_int_eq(pci_bar_decode(0x0000000c, 0x00100000, 0xffffc00c, 0xffffffff, &b),
			 -EINVAL);
	ck_assert_int_eq(pci_bar_decode(0xffffc00c, 0xffffffff, 0xffffc00c, 0xffffffff, &b),
			 -EINVAL);
	ck_assert_int_eq(pci_bar_decode(0x000fc00c, 0x000fffff, 0xffffc00c, 0xffffffff, &b), 0);
}
END_TEST

static Suite *unit_suite(void)
{
	Suite *s = suite_create("virtio_pci");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, qemu_layout);
	tcase_add_test(tc, no_modern_interface);
	tcase_add_test(tc, broken_list);
	tcase_add_test(tc, cap_len);
	tcase_add_test(tc, bar_number);
	tcase_add_test(tc, range_in_bar);
	tcase_add_test(tc, notify_multiplier);
	tcase_add_test(tc, first_usable);
	tcase_add_test(tc, bar_decode);
	tcase_add_test(tc, bar_decode_refuses);
	suite_add_tcase(s, tc);
	return s;
}

const struct unit_main unit_main = { .suite = unit_suite };
