/* test_vmm_guest_pt.c: the host's walk of the guest's page tables (vmm/guest_pt_x86_64.c). */
#include <check.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "../../vmm/guest_pt.h"
#include "check_main.h"

#define MB (1ull << 20)
#define RAM (8 * MB)
#define P  0x1ull
#define W  0x2ull
#define PS 0x80ull
#define NX (1ull << 63)
#define PML4 0x1000ull          /* the tables of the test guest, at these GPAs */
#define PDPT 0x2000ull
#define PD   0x3000ull
#define PT   0x4000ull
#define MODVA 0xffffffffa0000000ull     /* PML4 511, PDPT 510, PD 256, PT 0 */

static struct guest_mem mem;
static struct guest_pt_regs regs;
static char why[320];

/* Entry idx of the table at GPA table. */
static uint64_t *ent(uint64_t table, unsigned idx)
{
	return (uint64_t *)(mem.host + table) + idx;
}

/* A long-mode guest whose module area maps page i to GPA 5 MiB + i pages (4 KiB pages). */
static void setup(void)
{
	mem.size = RAM;
	mem.host = calloc(1, RAM);
	ck_assert_ptr_nonnull(mem.host);
	regs = (struct guest_pt_regs){ .cr0 = 0x80010033, .cr3 = PML4, .cr4 = 0x620,
				       .efer = 0xd01 };
	*ent(PML4, 511) = PDPT | P | W;
	*ent(PDPT, 510) = PD | P | W;
	*ent(PD, 256) = PT | P | W;
	for (unsigned i = 0; i < 512; i++)
		*ent(PT, i) = (5 * MB + i * 4096ull) | P | W | NX | (i & 1 ? 0x80 : 0);
	why[0] = '\0';
}

static void teardown(void)
{
	free(mem.host);
}

START_TEST(four_kib_pages)
{
	uint64_t gpa = 0;

	ck_assert_int_eq(guest_pt_translate(&mem, &regs, MODVA + 0x1234, &gpa, why, sizeof(why)),
			 0);
	ck_assert_uint_eq(gpa, 5 * MB + 0x1234);        /* bit 7 (PAT in a PTE) is no PS */
	ck_assert_int_eq(guest_pt_check_range(&mem, &regs, MODVA, 5 * MB, 0x200000, why,
					      sizeof(why)), 0);
	regs.cr3 |= 0x5;                                /* a PCID in CR3's low bits */
	ck_assert_int_eq(guest_pt_check_range(&mem, &regs, MODVA + 0x3000, 5 * MB + 0x3000,
					      0x2000, why, sizeof(why)), 0);
}
END_TEST

START_TEST(huge_pages)
{
	uint64_t gpa = 0;

	*ent(PD, 257) = (6 * MB) | P | W | PS | 0x1000; /* 2 MiB page, PAT bit 12 set */
	ck_assert_int_eq(guest_pt_translate(&mem, &regs, MODVA + 0x200000 + 0x12345, &gpa, why,
					    sizeof(why)), 0);
	ck_assert_uint_eq(gpa, 6 * MB + 0x12345);
	*ent(PDPT, 509) = (1ull << 30) | P | W | PS;    /* 1 GiB page */
	ck_assert_int_eq(guest_pt_translate(&mem, &regs, 0xffffffff40000000ull + 0x3456789, &gpa,
					    why, sizeof(why)), 0);
	ck_assert_uint_eq(gpa, (1ull << 30) + 0x3456789);
	ck_assert_int_eq(guest_pt_check_range(&mem, &regs, MODVA + 0x200000, 6 * MB, 0x200000, why,
					      sizeof(why)), 0);
}
END_TEST

/* The claimed GPA differs from the mapped one: EINVAL naming all three. */
START_TEST(mismatch_named)
{
	*ent(PT, 2) = (7 * MB) | P | W;                 /* page 2 elsewhere */
	ck_assert_int_eq(guest_pt_check_range(&mem, &regs, MODVA, 5 * MB, 0x4000, why, sizeof(why)),
			 -EINVAL);
	ck_assert_str_eq(why, "VA 0xffffffffa0002000: the guest claimed GPA 0x502000, its page "
			 "tables map it to GPA 0x700000");
	ck_assert_int_eq(guest_pt_check_range(&mem, &regs, MODVA, 5 * MB, 0x2000, why, sizeof(why)),
			 0);
	ck_assert_int_eq(guest_pt_check_range(&mem, &regs, MODVA + 0x1000, 5 * MB, 0x1000, why,
					      sizeof(why)), -EINVAL);      /* off by a page */
}
END_TEST

/* Not present at each level, and a PS bit where it is reserved. */
START_TEST(not_mapped)
{
	uint64_t gpa;

	*ent(PT, 3) = 0;
	ck_assert_int_eq(guest_pt_check_range(&mem, &regs, MODVA, 5 * MB, 0x4000, why, sizeof(why)),
			 -EINVAL);
	ck_assert_str_eq(why, "VA 0xffffffffa0003000: the guest claimed GPA 0x503000, its page "
			 "tables: not mapped (PT entry 3 is not present)");
	ck_assert_int_eq(guest_pt_translate(&mem, &regs, MODVA + 0x400000, &gpa, why, sizeof(why)),
			 -ENOENT);
	ck_assert_str_eq(why, "not mapped (PD entry 258 is not present)");
	ck_assert_int_eq(guest_pt_translate(&mem, &regs, 0xffffffffc0000000ull, &gpa, why,
					    sizeof(why)), -ENOENT);
	ck_assert_str_eq(why, "not mapped (PDPT entry 511 is not present)");
	ck_assert_int_eq(guest_pt_translate(&mem, &regs, 0x1000, &gpa, why, sizeof(why)), -ENOENT);
	ck_assert_str_eq(why, "not mapped (PML4 entry 0 is not present)");
	ck_assert_int_eq(guest_pt_translate(&mem, &regs, 0x0000800000000000ull, &gpa, why,
					    sizeof(why)), -ENOENT);
	ck_assert_str_eq(why, "not mapped (not a canonical address)");
	*ent(PML4, 511) |= PS;
	ck_assert_int_eq(guest_pt_translate(&mem, &regs, MODVA, &gpa, why, sizeof(why)), -ENOENT);
	ck_assert_str_eq(why, "not mapped (PML4 entry 511 has the reserved PS bit)");
}
END_TEST

/* A table the guest places outside its RAM is never read. */
START_TEST(table_outside_ram)
{
	uint64_t gpa;

	*ent(PD, 256) = (RAM + 0x1000) | P | W;
	ck_assert_int_eq(guest_pt_translate(&mem, &regs, MODVA, &gpa, why, sizeof(why)), -EFAULT);
	ck_assert_str_eq(why, "the PT at GPA 0x801000 lies outside guest RAM");
	ck_assert_int_eq(guest_pt_check_range(&mem, &regs, MODVA, 5 * MB, 0x1000, why, sizeof(why)),
			 -EINVAL);
	ck_assert_ptr_nonnull(strstr(why, "its page tables: the PT at GPA 0x801000 lies outside"));
	*ent(PD, 256) = 0x000ffffffffff000ull | P;      /* the largest table address */
	ck_assert_int_eq(guest_pt_translate(&mem, &regs, MODVA, &gpa, why, sizeof(why)), -EFAULT);
	*ent(PD, 256) = (RAM - 0x800) | P;              /* bits 11:0 are flags: the last page */
	ck_assert_int_eq(guest_pt_translate(&mem, &regs, MODVA, &gpa, why, sizeof(why)), -ENOENT);
	ck_assert_str_eq(why, "not mapped (PT entry 0 is not present)");
	regs.cr3 = RAM;                                 /* the PML4 itself */
	ck_assert_int_eq(guest_pt_translate(&mem, &regs, MODVA, &gpa, why, sizeof(why)), -EFAULT);
	ck_assert_str_eq(why, "the PML4 at GPA 0x800000 lies outside guest RAM");
}
END_TEST

/* Paging off, 32-bit or 5-level paging: no walk. */
START_TEST(paging_mode_checked)
{
	uint64_t gpa;

	regs.cr4 |= 1ull << 12;                         /* LA57 */
	ck_assert_int_eq(guest_pt_translate(&mem, &regs, MODVA, &gpa, why, sizeof(why)),
			 -EOPNOTSUPP);
	ck_assert_int_eq(guest_pt_check_range(&mem, &regs, MODVA, 5 * MB, 0x1000, why, sizeof(why)),
			 -EINVAL);
	ck_assert_ptr_nonnull(strstr(why, "not in 4-level long-mode paging"));
	regs.cr4 &= ~(1ull << 12);
	regs.efer &= ~(1ull << 10);                     /* LMA */
	ck_assert_int_eq(guest_pt_translate(&mem, &regs, MODVA, &gpa, why, sizeof(why)),
			 -EOPNOTSUPP);
	regs.efer |= 1ull << 10;
	regs.cr0 &= ~(1ull << 31);                      /* PG */
	ck_assert_int_eq(guest_pt_translate(&mem, &regs, MODVA, &gpa, why, sizeof(why)),
			 -EOPNOTSUPP);
}
END_TEST

/* A range that wraps is refused before any walk. */
START_TEST(range_wraps)
{
	ck_assert_int_eq(guest_pt_check_range(&mem, &regs, UINT64_MAX - 0xfff, 5 * MB, 0x2000, why,
					      sizeof(why)), -EINVAL);
	ck_assert_ptr_nonnull(strstr(why, "wraps around"));
	ck_assert_int_eq(guest_pt_check_range(&mem, &regs, MODVA, UINT64_MAX - 0xfff, 0x2000, why,
					      sizeof(why)), -EINVAL);
}
END_TEST

static Suite *unit_suite(void)
{
	Suite *su = suite_create("vmm_guest_pt");
	TCase *tc = tcase_create("guest_pt");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, four_kib_pages);
	tcase_add_test(tc, huge_pages);
	tcase_add_test(tc, mismatch_named);
	tcase_add_test(tc, not_mapped);
	tcase_add_test(tc, table_outside_ram);
	tcase_add_test(tc, paging_mode_checked);
	tcase_add_test(tc, range_wraps);
	suite_add_tcase(su, tc);
	return su;
}

const struct unit_main unit_main = { .suite = unit_suite };
