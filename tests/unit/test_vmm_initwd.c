/* test_vmm_initwd.c: the module init watchdog (vmm/initwd.c): expiry, repeats, which load stops it. */
#include <check.h>
#include <string.h>
#include <unistd.h>
#include "../../vmm/initwd.h"
#include "check_main.h"

/* wait_kick(run): wait up to 10 s for immediate_exit (no timing is asserted). */
static bool wait_kick(struct kvm_run *run)
{
	for (int i = 0; i < 1000 && !run->immediate_exit; i++)
		usleep(10000);
	return run->immediate_exit == 1;
}

START_TEST(fires_then_repeats_until_its_load_ends)
{
	struct kvm_run run;

	memset(&run, 0, sizeof(run));
	ck_assert_int_eq(initwd_start(&run, 7, 20), 0);
	ck_assert(wait_kick(&run));
	ck_assert(initwd_take(&run));
	ck_assert_uint_eq(run.immediate_exit, 0);
	ck_assert_uint_eq(initwd_nmis(), 1);
	ck_assert(!initwd_take(&run));          /* once per expiry */
	/* The guest ignored the NMI (not in module code): it comes again. */
	ck_assert(wait_kick(&run));
	ck_assert(initwd_take(&run));
	ck_assert_uint_eq(initwd_nmis(), 2);
	initwd_stop(8);                         /* another load's outcome */
	ck_assert(wait_kick(&run));
	ck_assert(initwd_take(&run));
	initwd_stop(7);
	run.immediate_exit = 0;
	usleep(300000);
	ck_assert_uint_eq(run.immediate_exit, 0);
	ck_assert(!initwd_take(&run));
	initwd_disarm();                        /* safe to repeat */
}
END_TEST

START_TEST(zero_means_never)
{
	struct kvm_run run;

	memset(&run, 0, sizeof(run));
	ck_assert_int_eq(initwd_start(&run, 3, 0), 0);
	usleep(50000);
	ck_assert_uint_eq(run.immediate_exit, 0);
	ck_assert(!initwd_take(&run));
}
END_TEST

/* An expiry that raced with the outcome: no NMI, and KVM_RUN can go on. */
START_TEST(late_expiry_is_dropped)
{
	struct kvm_run run;

	memset(&run, 0, sizeof(run));
	ck_assert_int_eq(initwd_start(&run, 9, 10), 0);
	ck_assert(wait_kick(&run));
	initwd_stop(9);
	ck_assert(!initwd_take(&run));                  /* no NMI */
	ck_assert_uint_eq(run.immediate_exit, 0);       /* but KVM_RUN can run again */
}
END_TEST

static Suite *unit_suite(void)
{
	Suite *s = suite_create("initwd");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, fires_then_repeats_until_its_load_ends);
	tcase_add_test(tc, zero_means_never);
	tcase_add_test(tc, late_expiry_is_dropped);
	suite_add_tcase(s, tc);
	return s;
}

const struct unit_main unit_main = { .suite = unit_suite };
