/* test_wstatus.c: the guest's wait status encoding against glibc's <sys/wait.h> macros. */
#include <check.h>
#include "check_main.h"
#include <signal.h>
#include <sys/wait.h>
#include "wstatus.h"

START_TEST(exited)
{
	for (int code = 0; code < 256; code++) {
		int ws = WS_EXITCODE(code);

		ck_assert(WIFEXITED(ws) && !WIFSIGNALED(ws) && !WIFSTOPPED(ws));
		ck_assert_int_eq(WEXITSTATUS(ws), code);
		ck_assert_int_eq(wstatus_shell(ws), code);
	}
	ck_assert_int_eq(WEXITSTATUS(WS_EXITCODE(256 + 3)), 3);      /* exit(n) keeps n & 0xff */
}
END_TEST

START_TEST(signaled)
{
	for (int sig = 1; sig < 65; sig++) {
		int ws = WS_SIGNALED(sig, wstatus_sig_core(sig));

		ck_assert(WIFSIGNALED(ws) && !WIFEXITED(ws) && !WIFSTOPPED(ws));
		ck_assert_int_eq(WTERMSIG(ws), sig);
		ck_assert_int_eq(!!WCOREDUMP(ws), wstatus_sig_core(sig));
		ck_assert_int_eq(wstatus_shell(ws), 128 + sig);
	}
	ck_assert(WCOREDUMP(WS_SIGNALED(SIGSEGV, wstatus_sig_core(SIGSEGV))));
	ck_assert(!WCOREDUMP(WS_SIGNALED(SIGTERM, wstatus_sig_core(SIGTERM))));
	ck_assert(!WCOREDUMP(WS_SIGNALED(SIGKILL, wstatus_sig_core(SIGKILL))));
}
END_TEST

START_TEST(stopped_continued)
{
	ck_assert(WIFSTOPPED(WS_STOPCODE(SIGTSTP)) && WSTOPSIG(WS_STOPCODE(SIGTSTP)) == SIGTSTP);
	ck_assert(!WIFEXITED(WS_STOPCODE(SIGSTOP)) && !WIFSIGNALED(WS_STOPCODE(SIGSTOP)));
	ck_assert(WIFCONTINUED(WS_CONTINUED) && !WIFEXITED(WS_CONTINUED));
}
END_TEST

START_TEST(waitid_codes)
{
	int code, status;

	wstatus_siginfo(WS_EXITCODE(21), &code, &status);
	ck_assert(code == CLD_EXITED && status == 21);
	wstatus_siginfo(WS_SIGNALED(SIGKILL, 0), &code, &status);
	ck_assert(code == CLD_KILLED && status == SIGKILL);
	wstatus_siginfo(WS_SIGNALED(SIGSEGV, 1), &code, &status);
	ck_assert(code == CLD_DUMPED && status == SIGSEGV);
	wstatus_siginfo(WS_STOPCODE(SIGTSTP), &code, &status);
	ck_assert(code == CLD_STOPPED && status == SIGTSTP);
	wstatus_siginfo(WS_CONTINUED, &code, &status);
	ck_assert(code == CLD_CONTINUED && status == SIGCONT);
}
END_TEST

static Suite *unit_suite(void)
{
	Suite *s = suite_create("wstatus");
	TCase *tc = tcase_create("encoding");

	tcase_add_test(tc, exited);
	tcase_add_test(tc, signaled);
	tcase_add_test(tc, stopped_continued);
	tcase_add_test(tc, waitid_codes);
	suite_add_tcase(s, tc);
	return s;
}

const struct unit_main unit_main = { .suite = unit_suite };
