/* test_vmm_bootram.c: boot_ram_check(): a --mem too small to unpack a cpio initrd is refused at setup. */
#include <check.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "../../vmm/boot.h"
#include "../../vmm/boot_ram.h"
#include "modvisor/abi/bootinfo.h"
#include "check_main.h"

#define MIB (1u << 20)

static char err[512];
/* A kernel ending at 3 MiB, as the guest kernel does. */
static const struct kernel_info ki = { .entry = MV_KERNEL_VBASE + MV_KERNEL_PHYS,
					.phys_start = MV_KERNEL_PHYS, .phys_end = 3 * MIB };
static uint8_t *archive;        /* 7 MiB: a cpio archive's first header, then zeros */
static uint8_t *blob;           /* 7 MiB of zeros: not an archive */

static void setup(void)
{
	archive = calloc(1, 7 * MIB);
	blob = calloc(1, 7 * MIB);
	ck_assert(archive && blob);
	memcpy(archive, "070701", 6);
}

static void teardown(void)
{
	free(archive);
	free(blob);
}

START_TEST(cpio_initrd_needs_twice_its_size)
{
	struct boot_spec bs = { .initrd = archive, .initrd_len = 7 * MIB };

	/* 3 + 7 + 7 (unpacked) + 5 = 22 MiB, plus the module region: 1 MiB (RAM / 16, whole MiB) */
	ck_assert_uint_eq(boot_ram_min(&ki, &bs), 23ull * MIB);
	ck_assert_int_eq(boot_ram_check(23ull * MIB, &ki, &bs, err, sizeof(err)), 0);
	ck_assert_int_eq(boot_ram_check(16ull * MIB, &ki, &bs, err, sizeof(err)), -ENOMEM);
	ck_assert_str_eq(err, "the kernel (up to 3.0 MiB) and the initrd (7.0 MiB, unpacked into "
			 "RAM at boot, so twice that, plus 5 MiB to run and 1 MiB for modules) need "
			 "at least 24 MiB of guest RAM, not 16 MiB: raise --mem");
	/* "070702" (with checksums) after NUL padding is an archive too; one
	 * MiB more names 26 MiB (--mem is even) */
	memset(archive, 0, 6);
	memcpy(archive + 8, "070702", 6);
	bs.initrd_len = 8 * MIB;
	ck_assert_int_eq(boot_ram_check(24ull * MIB, &ki, &bs, err, sizeof(err)), -ENOMEM);
	ck_assert_ptr_nonnull(strstr(err, "need at least 26 MiB of guest RAM, not 24 MiB"));
}
END_TEST

START_TEST(add_archive_counts)
{
	struct boot_spec bs = { .extra = archive, .extra_len = 7 * MIB };

	ck_assert_int_eq(boot_ram_check(20ull * MIB, &ki, &bs, err, sizeof(err)), -ENOMEM);
	bs.initrd = blob;               /* a blob initrd is placed, not unpacked */
	bs.initrd_len = 1 * MIB;
	ck_assert_uint_eq(boot_ram_min(&ki, &bs), 24ull * MIB);     /* 1 MiB of modules */
}
END_TEST

/* A test kernel's blob, or no initrd at all: only placement is checked (boot.c). */
START_TEST(blob_or_nothing_is_not_unpacked)
{
	struct boot_spec bs = { .initrd = blob, .initrd_len = 7 * MIB };

	ck_assert_int_eq(boot_ram_check(16ull * MIB, &ki, &bs, err, sizeof(err)), 0);
	ck_assert_uint_eq(boot_ram_min(&ki, &bs), 11ull * MIB);     /* 1 MiB of modules */
	bs = (struct boot_spec){ 0 };
	ck_assert_int_eq(boot_ram_check(16ull * MIB, &ki, &bs, err, sizeof(err)), 0);
	bs.initrd = archive;            /* too short to be a header */
	bs.initrd_len = 5;
	ck_assert_int_eq(boot_ram_check(16ull * MIB, &ki, &bs, err, sizeof(err)), 0);
}
END_TEST

/* boot_layout() refuses before placing anything. */
START_TEST(layout_refuses)
{
	struct guest_mem m = { .size = 16ull * MIB };
	struct boot_spec bs = { .initrd = archive, .initrd_len = 7 * MIB };

	m.host = calloc(1, m.size);
	ck_assert_ptr_nonnull(m.host);
	ck_assert_int_eq(boot_layout(&m, &ki, &bs, 0, err, sizeof(err)), -ENOMEM);
	ck_assert_ptr_nonnull(strstr(err, "need at least 24 MiB of guest RAM, not 16 MiB"));
	free(m.host);
}
END_TEST

static Suite *unit_suite(void)
{
	Suite *s = suite_create("vmm_bootram");
	TCase *tc = tcase_create("boot_ram");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, cpio_initrd_needs_twice_its_size);
	tcase_add_test(tc, add_archive_counts);
	tcase_add_test(tc, blob_or_nothing_is_not_unpacked);
	tcase_add_test(tc, layout_refuses);
	suite_add_tcase(s, tc);
	return s;
}

const struct unit_main unit_main = { .suite = unit_suite };
