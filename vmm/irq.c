/* irq.c: the guest's tick and input interrupts, injected by the VMM (no irqchip). */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include "irq.h"
#include "run_tty.h"
#include "vm.h"

#define IRQ_TICK   (1u << 0)
#define IRQ_INPUT  (1u << 1)

static struct kvm_run *volatile irq_run;
static volatile sig_atomic_t irq_fired;
static timer_t irq_timer;
static pid_t irq_creator;       /* a forked child (bench) must make its own timer */
static uint64_t irq_next_ns;    /* CLOCK_MONOTONIC of the next tick */
static volatile sig_atomic_t irq_winched;       /* SIGWINCH came */

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static void irq_signal(int sig)
{
	(void)sig;
	irq_fired = 1;
	if (irq_run)
		irq_run->immediate_exit = 1;
}

/* The timer and its handler (SIGRTMIN+1: SIGRTMIN is initwd.c's), made once. */
static int irq_create(void)
{
	struct sigevent sev = { .sigev_notify = SIGEV_SIGNAL, .sigev_signo = SIGRTMIN + 1 };
	struct sigaction sa;

	if (irq_creator == getpid())
		return 0;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = irq_signal;           /* no SA_RESTART: KVM_RUN gets EINTR */
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGRTMIN + 1, &sa, NULL) < 0)
		return -errno;
	if (timer_create(CLOCK_MONOTONIC, &sev, &irq_timer) < 0)
		return -errno;
	irq_creator = getpid();
	return 0;
}

int irq_timer_set(struct vm *vm, struct kvm_run *run, uint64_t period_ns)
{
	struct itimerspec it = {
		.it_value = { (time_t)(period_ns / 1000000000ull), (long)(period_ns % 1000000000ull) },
		.it_interval = { (time_t)(period_ns / 1000000000ull), (long)(period_ns % 1000000000ull) },
	};
	int err = irq_create();

	if (err)
		return err;
	irq_run = run;
	if (timer_settime(irq_timer, 0, &it, NULL) < 0)
		return -errno;
	vm->irq.period_ns = period_ns;
	irq_next_ns = now_ns() + period_ns;
	return 0;
}

void irq_stop(void)
{
	struct itimerspec off = { { 0, 0 }, { 0, 0 } };

	if (irq_creator == getpid())
		timer_settime(irq_timer, 0, &off, NULL);
	irq_run = NULL;
}

bool irq_take(struct vm *vm, struct kvm_run *run)
{
	if (!irq_fired)
		return false;
	irq_fired = 0;
	run->immediate_exit = 0;
	vm->irq.pending |= IRQ_TICK;
	irq_next_ns = now_ns() + vm->irq.period_ns;
	return true;
}

/*
 * SIGWINCH: KVM_RUN (or the idle poll) returns EINTR, and irq_winch_check()
 * reads the size before the next run.  immediate_exit is left to the tick:
 * a resize that lands just before KVM_RUN is seen at the next exit.
 */
static void irq_winch_signal(int sig)
{
	(void)sig;
	irq_winched = 1;
}

int irq_winch_arm(struct vm *vm, uint16_t rows, uint16_t cols)
{
	struct sigaction sa;

	vm->irq.ws_row = rows;
	vm->irq.ws_col = cols;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = irq_winch_signal;      /* no SA_RESTART: poll and KVM_RUN return */
	sigemptyset(&sa.sa_mask);
	return sigaction(SIGWINCH, &sa, NULL) < 0 ? -errno : 0;
}

/* irq_winch_check(vm): after a SIGWINCH, a new size means news for the guest. */
static void irq_winch_check(struct vm *vm)
{
	uint16_t rows, cols;

	if (!irq_winched)
		return;
	irq_winched = 0;
	if (!run_tty_size(&rows, &cols) || (rows == vm->irq.ws_row && cols == vm->irq.ws_col))
		return;
	vm->irq.ws_row = rows;
	vm->irq.ws_col = cols;
	vm->irq.ws_gen++;
	vm->irq.pending |= IRQ_INPUT;
}

/* Has stdin something to say (bytes, end, error) right now, or within ms? */
static bool stdin_ready(int ms)
{
	struct pollfd p = { .fd = 0, .events = POLLIN };

	return poll(&p, 1, ms) > 0;
}

void irq_inject(struct vm *vm, struct vcpu *v)
{
	struct kvm_run *run = v->run;
	struct kvm_interrupt irq;

	irq_winch_check(vm);
	if (vm->irq.input_armed && stdin_ready(0)) {
		vm->irq.input_armed = false;
		vm->irq.pending |= IRQ_INPUT;
	}
	if (!vm->irq.pending) {
		run->request_interrupt_window = 0;
		return;
	}
	if (run->ready_for_interrupt_injection && run->if_flag) {
		irq.irq = vm->irq.pending & IRQ_TICK ? MV_IRQ_TIMER : MV_IRQ_INPUT;
		vm->irq.pending &= irq.irq == MV_IRQ_TIMER ? ~IRQ_TICK : ~IRQ_INPUT;
		if (ioctl(v->fd, KVM_INTERRUPT, &irq) < 0)
			vm_fail(vm, MV_EXIT_SETUP, "KVM_INTERRUPT %u: %s", irq.irq, strerror(errno));
	}
	run->request_interrupt_window = vm->irq.pending != 0;
}

bool irq_halt(struct vm *vm)
{
	uint64_t now = now_ns();
	int ms;

	if (!vm->irq.period_ns)
		return false;
	if (vm->irq.pending)
		return true;
	ms = irq_next_ns > now ? (int)((irq_next_ns - now + 999999) / 1000000) : 0;
	/* The tick's signal ends the wait early (EINTR); so does input. */
	if (vm->irq.input_armed && stdin_ready(ms)) {
		vm->irq.input_armed = false;
		vm->irq.pending |= IRQ_INPUT;
	} else if (!vm->irq.input_armed && ms > 0) {
		poll(NULL, 0, ms);
	}
	return true;
}

size_t irq_stdin_read(struct vm *vm, uint8_t *buf, size_t len, bool *eof)
{
	ssize_t n = 0;

	*eof = vm->irq.stdin_eof;
	if (vm->irq.stdin_eof || !len)
		return 0;
	if (stdin_ready(0)) {
		n = read(0, buf, len);
		if (n <= 0 && !(n < 0 && (errno == EINTR || errno == EAGAIN))) {
			vm->irq.stdin_eof = *eof = true;    /* end, or stdin is not readable */
			return 0;
		}
	}
	if (n <= 0) {
		vm->irq.input_armed = true;
		return 0;
	}
	return (size_t)n;
}
