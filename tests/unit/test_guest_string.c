/* test_guest_string.c: the guest's memcpy, memmove and memset (quadword steps, then the tail) against a byte loop, at every size and alignment. */
#include <check.h>
#include "check_main.h"
#include <stdint.h>
#include <string.h>

/* guest/lib/string.c, built under these names (tests/unit/guest_lib.mk). */
void *gs_memcpy(void *dst, const void *src, size_t n);
void *gs_memmove(void *dst, const void *src, size_t n);
void *gs_memset(void *dst, int c, size_t n);

#define AREA 9000               /* room for a page and more at any offset */
#define GUARD 0xa5

static uint8_t buf[AREA], want[AREA], src[AREA];

/* The sizes tried: every tail length around zero, a word, and a page. */
static const size_t sizes[] = { 0, 1, 2, 3, 7, 8, 9, 15, 16, 17, 31, 63, 64, 65,
				4095, 4096, 4097, 4103, 8191 };

static void fill(void)
{
	for (size_t i = 0; i < AREA; i++) {
		src[i] = (uint8_t)(i * 7 + 3);
		buf[i] = want[i] = GUARD;
	}
}

START_TEST(memcpy_every_size_and_offset)
{
	for (size_t k = 0; k < sizeof(sizes) / sizeof(sizes[0]); k++) {
		for (size_t d = 0; d < 8; d++) {
			for (size_t s = 0; s < 8; s++) {
				size_t n = sizes[k];

				fill();
				for (size_t i = 0; i < n; i++)
					want[d + i] = src[s + i];
				ck_assert_ptr_eq(gs_memcpy(buf + d, src + s, n), buf + d);
				ck_assert_msg(!memcmp(buf, want, AREA),
					      "memcpy n %zu dst+%zu src+%zu", n, d, s);
			}
		}
	}
}
END_TEST

START_TEST(memset_every_size_and_offset)
{
	for (size_t k = 0; k < sizeof(sizes) / sizeof(sizes[0]); k++) {
		for (size_t d = 0; d < 8; d++) {
			size_t n = sizes[k];

			fill();
			for (size_t i = 0; i < n; i++)
				want[d + i] = 0x3c;
			/* Only the low byte of c counts. */
			ck_assert_ptr_eq(gs_memset(buf + d, 0x753c, n), buf + d);
			ck_assert_msg(!memcmp(buf, want, AREA), "memset n %zu dst+%zu", n, d);
		}
	}
}
END_TEST

/* Overlapping moves both ways, at every distance below and around a word. */
START_TEST(memmove_overlaps)
{
	for (size_t k = 0; k < sizeof(sizes) / sizeof(sizes[0]); k++) {
		for (size_t dist = 1; dist < 20; dist++) {
			size_t n = sizes[k];

			for (int back = 0; back < 2; back++) {
				size_t from = back ? 20 + dist : 20, to = back ? 20 : 20 + dist;

				for (size_t i = 0; i < AREA; i++)
					buf[i] = want[i] = (uint8_t)(i * 13 + 1);
				for (size_t i = 0; i < n; i++)
					want[to + i] = buf[from + i];
				gs_memmove(buf + to, buf + from, n);
				ck_assert_msg(!memcmp(buf, want, AREA), "memmove n %zu %zu -> %zu",
					      n, from, to);
			}
		}
	}
}
END_TEST

static Suite *unit_suite(void)
{
	Suite *s = suite_create("guest_string");
	TCase *tc = tcase_create("mem");

	tcase_add_test(tc, memcpy_every_size_and_offset);
	tcase_add_test(tc, memset_every_size_and_offset);
	tcase_add_test(tc, memmove_overlaps);
	suite_add_tcase(s, tc);
	return s;
}

const struct unit_main unit_main = { .suite = unit_suite };
