/* test_vmm_bench.c: the benchmark's statistics and result files, and 2 MiB-aligned guest RAM. */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../../vmm/bench/bench_core.h"
#include "../../vmm/bench/bench_hc.h"
#include "../../vmm/hypercall.h"
#include "../../vmm/mem.h"
#include "modvisor/abi/bootinfo.h"
#include "check_main.h"

/*
 * Guest RAM must start on 2 MiB so KVM can map it with 2 MiB pages (boot exits).
 * Linux 6.7+ aligns large anonymous mappings itself, so on such a host this
 * passes even without mem.c's alignment; the emulated host (6.1) does not.
 */
START_TEST(mem_is_2mib_aligned)
{
	struct guest_mem m[4];

	for (int i = 0; i < 4; i++) {
		ck_assert_int_eq(mem_alloc(&m[i], (uint64_t)(i + 1) * (2u << 20)), 0);
		ck_assert_uint_eq((uintptr_t)m[i].host & ((2u << 20) - 1), 0);
		m[i].host[m[i].size - 1] = 1;   /* the whole size is mapped */
	}
	for (int i = 0; i < 4; i++)
		mem_free(&m[i]);
}
END_TEST

START_TEST(stats_median_quartiles)
{
	struct bench_report r = { .accel = "host" };
	double v[] = { 5, 1, 3, 2, 4 };
	const struct bench_row *w;

	bench_add(&r, "s", "m", "p", "us", v, 5);
	w = bench_find(&r, "s", "m", "p");
	ck_assert_ptr_nonnull(w);
	ck_assert_int_eq(w->n, 5);
	ck_assert_double_eq(w->median, 3);
	ck_assert_double_eq(w->min, 1);
	ck_assert_double_eq(w->max, 5);
	ck_assert_double_eq(w->q1, 2);
	ck_assert_double_eq(w->q3, 4);
	ck_assert_str_eq(w->accel, "host");
	ck_assert_ptr_null(bench_find(&r, "s", "m", ""));
	bench_report_free(&r);
}
END_TEST

START_TEST(stats_even_count_interpolates)
{
	struct bench_report r = { .accel = "kvm" };
	double v[] = { 4, 1, 2, 3 };

	bench_add(&r, "s", "m", "", "us", v, 4);
	ck_assert_double_eq(r.rows[0].median, 2.5);
	bench_add(&r, "s", "none", "", "us", v, 0);     /* no samples: no row */
	ck_assert_int_eq(r.nrows, 1);
	bench_report_free(&r);
}
END_TEST

/* What the emulated host's part writes, the outer run reads back, accel included. */
START_TEST(csv_round_trip)
{
	struct bench_report a = { .accel = "emulated-kvm-host" }, b = { .accel = "host" };
	char path[] = "/tmp/test_vmm_bench.XXXXXX";
	double v[] = { 1.5, 2.5, 3.5 };
	int fd = mkstemp(path);
	FILE *f = fdopen(fd, "w");

	bench_add(&a, "boot", "exits_to_user", "", "count", v, 3);
	bench_add1(&a, "load", "file_size", "bm4k", "KiB", 7.25);
	ck_assert_int_eq(bench_write_csv(&a, f), 0);
	fclose(f);
	ck_assert_int_eq(bench_read_csv(&b, path), 0);
	ck_assert_int_eq(b.nrows, 2);
	ck_assert_str_eq(b.rows[0].accel, "emulated-kvm-host");
	ck_assert_int_eq(b.rows[0].n, 3);
	ck_assert_double_eq(b.rows[0].median, 2.5);
	ck_assert_double_eq(b.rows[0].max, 3.5);
	ck_assert_str_eq(b.rows[1].param, "bm4k");
	ck_assert_double_eq(b.rows[1].median, 7.25);
	ck_assert_str_eq(b.accel, "host");
	remove(path);
	bench_report_free(&a);
	bench_report_free(&b);
}
END_TEST

/* MV_HC_BENCH keeps a record only when the boot info asked for them. */
START_TEST(hc_bench_records_only_when_asked)
{
	struct vm vm;
	struct mv_hc_bench a = { { MV_ABI_VERSION, sizeof(a), 7, 0 }, MV_BENCH_RELOC, 0,
				 1000, 1600, 4096 };
	const struct bench_stage_rec *rec;
	unsigned n;

	memset(&vm, 0, sizeof(vm));
	vm.mem.size = 1u << 20;
	vm.mem.host = calloc(1, vm.mem.size);
	ck_assert_int_eq(hc_init(), 0);
	bench_hc_reset();
	memcpy(vm.mem.host + 0x1000, &a, sizeof(a));
	ck_assert_int_eq(hc_dispatch(&vm, MV_HC_BENCH, 0x1000), HC_CONTINUE);
	bench_hc_records(&n);
	ck_assert_uint_eq(n, 0);
	vm.boot_flags = MV_BOOT_F_BENCH;
	ck_assert_int_eq(hc_dispatch(&vm, MV_HC_BENCH, 0x1000), HC_CONTINUE);
	rec = bench_hc_records(&n);
	ck_assert_uint_eq(n, 1);
	ck_assert_uint_eq(rec[0].stage, MV_BENCH_RELOC);
	ck_assert_uint_eq(rec[0].ticks, 600);
	ck_assert_uint_eq(rec[0].bytes, 4096);
	memcpy(&a, vm.mem.host + 0x1000, sizeof(a));
	ck_assert_int_eq(a.hdr.ret, 0);
	ck_assert(!vm.stopped);
	free(vm.mem.host);
}
END_TEST

static Suite *unit_suite(void)
{
	Suite *s = suite_create("vmm_bench");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, mem_is_2mib_aligned);
	tcase_add_test(tc, stats_median_quartiles);
	tcase_add_test(tc, stats_even_count_interpolates);
	tcase_add_test(tc, csv_round_trip);
	tcase_add_test(tc, hc_bench_records_only_when_asked);
	suite_add_tcase(s, tc);
	return s;
}

const struct unit_main unit_main = { .suite = unit_suite };
