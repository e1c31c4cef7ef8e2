/* sigstop.c: SIGINT, SIGTERM and SIGHUP kick the vCPU out of KVM_RUN, so the run stops the VM and completes its log. */
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <string.h>
#include "sigstop.h"

/*
 * As the watchdog (watchdog.c): the handler only records the signal and
 * sets kvm_run.immediate_exit (async-signal-safe); KVM_CAP_IMMEDIATE_EXIT
 * makes a signal that lands between two KVM_RUNs count too.
 */
static const int ss_signals[] = { SIGINT, SIGTERM, SIGHUP };
static struct kvm_run *volatile ss_run;
static volatile sig_atomic_t ss_signo;
static struct sigaction ss_old[3];
static bool ss_armed;

static void sigstop_handler(int sig)
{
	if (!ss_signo)
		ss_signo = sig;
	if (ss_run)
		ss_run->immediate_exit = 1;
}

int sigstop_arm(struct kvm_run *run)
{
	struct sigaction sa;
	size_t i;

	if (ss_armed)
		return -EBUSY;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = sigstop_handler;        /* no SA_RESTART: KVM_RUN gets EINTR */
	sigemptyset(&sa.sa_mask);
	ss_run = run;
	for (i = 0; i < sizeof(ss_signals) / sizeof(ss_signals[0]); i++) {
		if (sigaction(ss_signals[i], &sa, &ss_old[i]) < 0) {
			int e = errno;
			while (i-- > 0)
				sigaction(ss_signals[i], &ss_old[i], NULL);
			return -e;
		}
	}
	ss_armed = true;
	return 0;
}

void sigstop_disarm(void)
{
	size_t i;

	if (!ss_armed)
		return;
	for (i = 0; i < sizeof(ss_signals) / sizeof(ss_signals[0]); i++)
		sigaction(ss_signals[i], &ss_old[i], NULL);
	ss_run = NULL;
	ss_armed = false;
}

int sigstop_signal(void)
{
	return ss_signo;
}
