/* test_vmm_watchdog.c: the --timeout watchdog (vmm/watchdog.c) kicks a vCPU's kvm_run. */
#include <check.h>
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>
#include "../../vmm/watchdog.h"

/* wait_fired(): wait up to 10 s for the watchdog (no timing is asserted). */
static bool wait_fired(void)
{
	for (int i = 0; i < 1000 && !watchdog_fired(); i++)
		usleep(10000);
	return watchdog_fired();
}

START_TEST(fires_and_sets_immediate_exit)
{
	struct kvm_run run;

	memset(&run, 0, sizeof(run));
	ck_assert_int_eq(watchdog_arm(&run, 20), 0);
	ck_assert(wait_fired());
	ck_assert_uint_eq(run.immediate_exit, 1);
	watchdog_disarm();
	watchdog_disarm();                      /* safe to repeat */
}
END_TEST

START_TEST(zero_means_never)
{
	struct kvm_run run;

	memset(&run, 0, sizeof(run));
	ck_assert_int_eq(watchdog_arm(&run, 0), 0);
	usleep(50000);
	ck_assert(!watchdog_fired());
	ck_assert_uint_eq(run.immediate_exit, 0);
	watchdog_disarm();
}
END_TEST

START_TEST(one_at_a_time_and_restores_sigalrm)
{
	struct kvm_run run;
	struct sigaction before, now;

	memset(&run, 0, sizeof(run));
	ck_assert_int_eq(sigaction(SIGALRM, NULL, &before), 0);
	ck_assert_int_eq(watchdog_arm(&run, 60000), 0);
	ck_assert_int_eq(watchdog_arm(&run, 60000), -EBUSY);
	watchdog_disarm();
	ck_assert_int_eq(sigaction(SIGALRM, NULL, &now), 0);
	ck_assert_ptr_eq(now.sa_handler, before.sa_handler);   /* Check's, or SIG_DFL */
	ck_assert(!watchdog_fired());
}
END_TEST

int main(void)
{
	Suite *s = suite_create("watchdog");
	TCase *tc = tcase_create("core");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, fires_and_sets_immediate_exit);
	tcase_add_test(tc, zero_means_never);
	tcase_add_test(tc, one_at_a_time_and_restores_sigalrm);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
