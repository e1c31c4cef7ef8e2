/* test_vmm_watchdog.c: the --timeout watchdog (vmm/watchdog.c) kicks a vCPU's kvm_run. */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>
#include <sys/file.h>
#include <sys/wait.h>
#include "../../vmm/authority/mlog.h"
#include "../../vmm/watchdog.h"
#include "check_main.h"

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

/*
 * The watchdog firing while a log append waits for another run's lock must
 * not lose the entry: the wait resumes (vmm/authority/mlog.c), the entry is written,
 * and only then does the VM stop.
 */
START_TEST(log_append_survives_alarm)
{
	char path[64], err[256], c;
	struct kvm_run run;
	struct mlog *l;
	struct mlog_verify v;
	int sync[2], fd;
	pid_t pid;

	snprintf(path, sizeof(path), "/tmp/mv-test-wd-%d.log", (int)getpid());
	unlink(path);
	ck_assert_int_eq(mlog_open(path, POLICY_LOG_JSONL, POLICY_FSYNC_NONE, &l, err,
				   sizeof(err)), 0);
	ck_assert_int_eq(pipe(sync), 0);
	pid = fork();
	if (pid == 0) {                         /* another run holds the lock a while */
		fd = open(path, O_RDWR);
		flock(fd, LOCK_EX);
		ck_assert_int_eq(write(sync[1], "x", 1), 1);
		usleep(500000);
		_exit(0);
	}
	ck_assert_int_eq(read(sync[0], &c, 1), 1);
	memset(&run, 0, sizeof(run));
	ck_assert_int_eq(watchdog_arm(&run, 50), 0);
	ck_assert_int_eq(mlog_start(l, &(struct mlog_start){ .kernel = "k" }, err,
				    sizeof(err)), 0);
	watchdog_disarm();
	ck_assert_int_eq(mlog_close(l, err, sizeof(err)), 0);
	ck_assert_int_eq(waitpid(pid, NULL, 0), pid);
	ck_assert_int_eq(mlog_verify_file(path, &v), 0);
	ck_assert_uint_eq(v.entries, 2);
	unlink(path);
}
END_TEST

static Suite *unit_suite(void)
{
	Suite *s = suite_create("watchdog");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, fires_and_sets_immediate_exit);
	tcase_add_test(tc, zero_means_never);
	tcase_add_test(tc, one_at_a_time_and_restores_sigalrm);
	tcase_add_test(tc, log_append_survives_alarm);
	suite_add_tcase(s, tc);
	return s;
}

const struct unit_main unit_main = { .suite = unit_suite };
