/* watchdog.c: the one deadline for a vCPU: SIGALRM sets kvm_run.immediate_exit. */
#include <errno.h>
#include <signal.h>
#include <stddef.h>
#include <string.h>
#include <sys/time.h>
#include "watchdog.h"

/*
 * KVM_CAP_IMMEDIATE_EXIT (checked by kvm_open()) closes the race a plain
 * signal has: if SIGALRM arrives while the vCPU thread is between two
 * KVM_RUNs (handling a hypercall, say), the flag is already set when it
 * calls KVM_RUN again, which then returns EINTR at once.  The handler does
 * nothing else, so it is async-signal-safe.
 */
static struct kvm_run *volatile wd_run;
static volatile sig_atomic_t wd_fired;
static struct sigaction wd_old;
static bool wd_armed;

static void watchdog_alarm(int sig)
{
	(void)sig;
	wd_fired = 1;
	if (wd_run)
		wd_run->immediate_exit = 1;
}

int watchdog_arm(struct kvm_run *run, unsigned long ms)
{
	struct sigaction sa;
	struct itimerval it = { .it_value = { (time_t)(ms / 1000),
					      (suseconds_t)(ms % 1000) * 1000 } };

	wd_fired = 0;
	if (ms == 0 || wd_armed)
		return ms == 0 ? 0 : -EBUSY;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = watchdog_alarm;        /* no SA_RESTART: KVM_RUN gets EINTR */
	sigemptyset(&sa.sa_mask);
	wd_run = run;
	if (sigaction(SIGALRM, &sa, &wd_old) < 0)
		return -errno;
	if (setitimer(ITIMER_REAL, &it, NULL) < 0) {
		int e = errno;
		sigaction(SIGALRM, &wd_old, NULL);
		return -e;
	}
	wd_armed = true;
	return 0;
}

void watchdog_disarm(void)
{
	struct itimerval off = { 0 };

	if (!wd_armed)
		return;
	setitimer(ITIMER_REAL, &off, NULL);
	sigaction(SIGALRM, &wd_old, NULL);
	wd_run = NULL;
	wd_armed = false;
}

bool watchdog_fired(void)
{
	return wd_fired != 0;
}
