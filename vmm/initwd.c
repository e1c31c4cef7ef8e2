/* initwd.c: the module init watchdog: a POSIX timer kicks the vCPU out of KVM_RUN to inject an NMI. */
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <time.h>
#include "initwd.h"

/*
 * The guest kernel runs with interrupts off, so a looping module init can
 * only be stopped from outside: an NMI, which KVM injects without an
 * irqchip (KVM_NMI).  The guest takes it only while the CPU is in module
 * code, under the recovery point the loader armed around init, and fails
 * the load with ETIMEDOUT; an NMI that lands elsewhere (a kernel function
 * the module called, or just after init returned) is ignored by the guest,
 * so the timer repeats until the outcome arrives.
 *
 * The timer owns SIGRTMIN (SIGALRM belongs to the --timeout watchdog, see
 * watchdog.c).  Its handler only sets a flag and kvm_run.immediate_exit,
 * so it is async-signal-safe, and the flag closes the race with a signal
 * that arrives between two KVM_RUNs.
 */
static struct kvm_run *volatile iw_run;
static volatile sig_atomic_t iw_fired;
static timer_t iw_timer;
static bool iw_created, iw_armed;
static uint32_t iw_load_id;
static unsigned iw_nmis;

static void initwd_signal(int sig)
{
	(void)sig;
	iw_fired = 1;
	if (iw_run)
		iw_run->immediate_exit = 1;
}

/* The timer and its handler, made once per process. */
static int initwd_create(void)
{
	struct sigevent sev = { .sigev_notify = SIGEV_SIGNAL, .sigev_signo = SIGRTMIN };
	struct sigaction sa;

	if (iw_created)
		return 0;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = initwd_signal;        /* no SA_RESTART: KVM_RUN gets EINTR */
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGRTMIN, &sa, NULL) < 0)
		return -errno;
	if (timer_create(CLOCK_MONOTONIC, &sev, &iw_timer) < 0)
		return -errno;
	iw_created = true;
	return 0;
}

int initwd_start(struct kvm_run *run, uint32_t load_id, unsigned long ms)
{
	struct itimerspec it = {
		.it_value = { (time_t)(ms / 1000), (long)(ms % 1000) * 1000000 },
		.it_interval = { 0, (long)INITWD_RETRY_MS * 1000000 },
	};
	int err;

	if (ms == 0)
		return 0;
	err = initwd_create();
	if (err)
		return err;
	iw_run = run;
	iw_fired = 0;           /* KVM_RUN, hence initwd_take(), ran since the last */
	iw_load_id = load_id;
	iw_nmis = 0;
	if (timer_settime(iw_timer, 0, &it, NULL) < 0)
		return -errno;
	iw_armed = true;
	return 0;
}

void initwd_stop(uint32_t load_id)
{
	if (iw_armed && load_id == iw_load_id)
		initwd_disarm();
}

void initwd_disarm(void)
{
	struct itimerspec off = { 0 };

	if (!iw_armed)
		return;
	timer_settime(iw_timer, 0, &off, NULL);
	iw_armed = false;
	iw_run = NULL;          /* iw_fired stays: initwd_take() clears the kick */
}

bool initwd_take(struct kvm_run *run)
{
	if (!iw_fired)
		return false;
	iw_fired = 0;
	run->immediate_exit = 0;
	if (!iw_armed)
		return false;   /* an expiry from before the outcome arrived */
	iw_nmis++;
	return true;
}

unsigned initwd_nmis(void)
{
	return iw_nmis;
}
