/* test_klog.c: the kernel log ring behind dmesg: record format, levels, lines, wrap, READ_ALL/READ/CLEAR. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "klog.h"
#include "check_main.h"

static struct klog k;
static char ring[4096];
static char out[8192];

/* all(len): klog_read_all() into out as a string. */
static const char *all(size_t len)
{
	size_t n = klog_read_all(&k, out, len);

	ck_assert_uint_le(n, len);
	out[n] = '\0';
	return out;
}

static void w(const char *s, uint64_t ns)
{
	klog_write(&k, s, strlen(s), ns);
}

static void setup(void)
{
	klog_init(&k, ring, sizeof(ring));
}

START_TEST(record_format)
{
	w("\0016hello: init\n", 1234567890123ull);
	w("plain\n", 5000);
	w("\0013err\n", 100000ull * 1000000000ull);
	ck_assert_str_eq(all(sizeof(out)), "<6>[ 1234.567890] hello: init\n"
					   "<4>[    0.000005] plain\n"
					   "<3>[100000.000000] err\n");
}
END_TEST

START_TEST(lines_across_calls)
{
	w("\0016first ", 1000);
	w("\001cpart", 2000000);               /* KERN_CONT: same record, first stamp */
	w(" end\nsecond\n\n", 3000000);       /* the level of the record it started */
	w("\001c\n", 4000000);                 /* empty lines make no record */
	w("\0015a\nb\n", 5000000);            /* every line of a call has its level */
	ck_assert_str_eq(all(sizeof(out)), "<6>[    0.000001] first part end\n"
					   "<4>[    0.003000] second\n"
					   "<5>[    0.005000] a\n"
					   "<5>[    0.005000] b\n");
}
END_TEST

START_TEST(pending_line_not_visible)
{
	w("\0016no newline yet", 0);
	ck_assert_str_eq(all(sizeof(out)), "");
	ck_assert_uint_eq(klog_unread(&k), 0);
	w("\n", 0);
	ck_assert_str_eq(all(sizeof(out)), "<6>[    0.000000] no newline yet\n");
}
END_TEST

START_TEST(long_line_split)
{
	char line[KLOG_LINE_MAX + 11];

	memset(line, 'x', sizeof(line) - 1);
	line[sizeof(line) - 1] = '\0';
	line[sizeof(line) - 2] = '\n';
	w(line, 0);
	/* KLOG_LINE_MAX bytes, then the 9 left over, each a record of its own */
	ck_assert_uint_eq(strlen(all(sizeof(out))), 2 * 18 + KLOG_LINE_MAX + 9 + 2);
	ck_assert_ptr_nonnull(strstr(out, "] xxxxxxxxx\n"));
}
END_TEST

/* The ring keeps whole records, newest last, dropping the oldest. */
START_TEST(wrap_drops_oldest_whole_records)
{
	char small[100], want[64];

	klog_init(&k, small, sizeof(small));
	for (int i = 0; i < 50; i++) {
		char msg[32];   /* room for any int: -Wformat-truncation */
		snprintf(msg, sizeof(msg), "msg %02d\n", i);
		w(msg, 0);
	}
	/* each record is 25 bytes ("<4>[    0.000000] msg 07\n"): the last 4 fit */
	all(sizeof(out));
	ck_assert_uint_eq(strlen(out), 100);
	snprintf(want, sizeof(want), "<4>[    0.000000] msg 46\n");
	ck_assert_int_eq(strncmp(out, want, strlen(want)), 0);
	ck_assert_ptr_nonnull(strstr(out, "msg 49\n"));
	ck_assert_ptr_null(strstr(out, "msg 45"));
	/* a record longer than the ring is dropped; the others stay */
	w("this record is far longer than the hundred bytes of the ring, so it cannot be kept at all\n", 0);
	ck_assert_ptr_nonnull(strstr(all(sizeof(out)), "msg 49\n"));
}
END_TEST

START_TEST(read_all_fits_newest)
{
	w("one\n", 0);
	w("two\n", 0);
	w("three\n", 0);
	/* 40 bytes hold "three" (24) but not "two" too (46): only whole records */
	ck_assert_str_eq(all(40), "<4>[    0.000000] three\n");
	ck_assert_str_eq(all(10), "");
	ck_assert_uint_eq(strlen(all(sizeof(out))), 22 + 22 + 24);
}
END_TEST

START_TEST(clear_and_read)
{
	char buf[64];

	w("old\n", 0);
	ck_assert_uint_eq(klog_unread(&k), 22);
	ck_assert_uint_eq(klog_read(&k, buf, 10), 10);        /* READ consumes bytes */
	ck_assert_int_eq(memcmp(buf, "<4>[    0.", 10), 0);
	ck_assert_uint_eq(klog_unread(&k), 12);
	klog_clear(&k);
	ck_assert_str_eq(all(sizeof(out)), "");              /* CLEAR hides it from READ_ALL */
	ck_assert_uint_eq(klog_unread(&k), 12);              /* but not from READ */
	w("new\n", 0);
	ck_assert_str_eq(all(sizeof(out)), "<4>[    0.000000] new\n");
	ck_assert_uint_eq(klog_read(&k, buf, sizeof(buf)), 12 + 22);
	ck_assert_uint_eq(klog_unread(&k), 0);
}
END_TEST

/* READ's position is pulled forward when the records under it are dropped. */
START_TEST(read_after_wrap)
{
	char small[50], buf[64];

	klog_init(&k, small, sizeof(small));
	w("aaaa\n", 0);
	w("bbbb\n", 0);
	w("cccc\n", 0);               /* 23 bytes each: "aaaa" is gone */
	ck_assert_uint_eq(klog_unread(&k), 46);
	ck_assert_uint_eq(klog_read(&k, buf, sizeof(buf)), 46);
	ck_assert_int_eq(memcmp(buf + 18, "bbbb\n", 5), 0);
	ck_assert_int_eq(memcmp(buf + 23 + 18, "cccc\n", 5), 0);
}
END_TEST

static Suite *unit_suite(void)
{
	Suite *s = suite_create("klog");
	TCase *tc = tcase_create("ring");

	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, record_format);
	tcase_add_test(tc, lines_across_calls);
	tcase_add_test(tc, pending_line_not_visible);
	tcase_add_test(tc, long_line_split);
	tcase_add_test(tc, wrap_drops_oldest_whole_records);
	tcase_add_test(tc, read_all_fits_newest);
	tcase_add_test(tc, clear_and_read);
	tcase_add_test(tc, read_after_wrap);
	suite_add_tcase(s, tc);
	return s;
}

const struct unit_main unit_main = { .suite = unit_suite };
