/* test_vmm_mem.c: the checked GPA accessor, including overflow and edges. */
#include <check.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>
#include <stdlib.h>
#include "../../vmm/mem.h"
#include "check_main.h"

static uint8_t ram[4096];
static const struct guest_mem m = { ram, sizeof(ram) };

START_TEST(gpa_inside)
{
	ck_assert_ptr_eq(mem_gpa(&m, 0, 1), ram);
	ck_assert_ptr_eq(mem_gpa(&m, 100, 200), ram + 100);
	ck_assert_ptr_eq(mem_gpa(&m, 0, sizeof(ram)), ram);
	ck_assert_ptr_eq(mem_gpa(&m, sizeof(ram) - 1, 1), ram + sizeof(ram) - 1);
}
END_TEST

START_TEST(gpa_straddles_end)
{
	ck_assert_ptr_null(mem_gpa(&m, sizeof(ram) - 1, 2));
	ck_assert_ptr_null(mem_gpa(&m, 0, sizeof(ram) + 1));
	ck_assert_ptr_null(mem_gpa(&m, sizeof(ram), 1));
	ck_assert_ptr_null(mem_gpa(&m, 1ull << 40, 1));
}
END_TEST

START_TEST(gpa_len_zero)
{
	ck_assert_ptr_eq(mem_gpa(&m, 0, 0), ram);
	ck_assert_ptr_eq(mem_gpa(&m, sizeof(ram), 0), ram + sizeof(ram));
	ck_assert_ptr_null(mem_gpa(&m, sizeof(ram) + 1, 0));
	ck_assert_ptr_null(mem_gpa(&m, UINT64_MAX, 0));
}
END_TEST

START_TEST(gpa_overflow)
{
	ck_assert_ptr_null(mem_gpa(&m, UINT64_MAX, 1));
	ck_assert_ptr_null(mem_gpa(&m, UINT64_MAX - 10, 100));
	ck_assert_ptr_null(mem_gpa(&m, 16, UINT64_MAX));
	ck_assert_ptr_null(mem_gpa(&m, 1, UINT64_MAX));
	ck_assert_ptr_null(mem_gpa(&m, UINT64_MAX, UINT64_MAX));
	/* wraps to a small end that would pass a naive end <= size check */
	ck_assert_ptr_null(mem_gpa(&m, 0xfffffffffffffff0ull, 0x20));
}
END_TEST

/* MEM_GPA_CHECKED: the pointer inside RAM; outside, abort naming file and line. */
START_TEST(gpa_checked_inside)
{
	ck_assert_ptr_eq(MEM_GPA_CHECKED(&m, 0x100, 0x100), ram + 0x100);
}
END_TEST

START_TEST(gpa_checked_outside_aborts)
{
	char buf[512] = "";
	int fds[2], status;
	ssize_t n;
	pid_t pid;

	ck_assert_int_eq(pipe(fds), 0);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		dup2(fds[1], 2);
		MEM_GPA_CHECKED(&m, sizeof(ram) - 8, 16);
		_exit(0);
	}
	close(fds[1]);
	n = read(fds[0], buf, sizeof(buf) - 1);
	close(fds[0]);
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT);
	ck_assert_int_gt(n, 0);
	ck_assert_ptr_nonnull(strstr(buf, "internal error at tests/unit/test_vmm_mem.c:"));
	ck_assert_ptr_nonnull(strstr(buf, "fixed GPA 0xff8 len 0x10 is outside guest RAM"));
}
END_TEST

START_TEST(alloc_sizes)
{
	struct guest_mem g;

	ck_assert_int_eq(mem_alloc(&g, 3 << 20), -22);
	ck_assert_int_eq(mem_alloc(&g, 0), -22);
	ck_assert_int_eq(mem_alloc(&g, 2 << 20), 0);
	ck_assert_uint_eq(g.size, 2 << 20);
	ck_assert_ptr_nonnull(mem_gpa(&g, (2 << 20) - 8, 8));
	mem_free(&g);
	ck_assert_ptr_null(g.host);
	mem_free(&g);
}
END_TEST

static Suite *unit_suite(void)
{
	Suite *s = suite_create("vmm_mem");
	TCase *tc = tcase_create("mem_gpa");

	tcase_add_test(tc, gpa_inside);
	tcase_add_test(tc, gpa_straddles_end);
	tcase_add_test(tc, gpa_len_zero);
	tcase_add_test(tc, gpa_overflow);
	tcase_add_test(tc, gpa_checked_inside);
	tcase_add_test(tc, gpa_checked_outside_aborts);
	tcase_add_test(tc, alloc_sizes);
	suite_add_tcase(s, tc);
	return s;
}

const struct unit_main unit_main = { .suite = unit_suite };
