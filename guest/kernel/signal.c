/* signal.c: signal state, default actions, and the rt_sigframe a handler runs on. */
#include "arch.h"
#include "ktime.h"
#include "sched.h"
#include "sigdeliver.h"
#include "uaccess.h"
#include "wstatus.h"
#include "sigframe.h"

#define SIG_UNBLOCKABLE (SIGBIT(SIGKILL) | SIGBIT(SIGSTOP))
#define SS_ONSTACK      1
#define SS_DISABLE      2
#define RED_ZONE        128
#define FLAGS_USER      0x50dd5ULL    /* Linux FIX_EFLAGS: AC RF OF DF TF SF ZF AF PF CF */

static int sig_default_kind(int sig)
{
	switch (sig) {
	case SIGCHLD: case SIGCONT: case SIGURG: case SIGWINCH:
		return 0;               /* ignore */
	case SIGSTOP: case SIGTSTP: case SIGTTIN: case SIGTTOU:
		return 2;               /* stop until SIGCONT */
	default:
		return 1;               /* terminate (core for some) */
	}
}

static bool sig_ignored(const struct process *p, int sig)
{
	uint64_t h = p->sig_action[sig - 1].handler;

	if (sig == SIGKILL)
		return false;
	return h == SIG_IGN || (h == SIG_DFL && sig_default_kind(sig) == 0);
}

void signal_send_info(struct process *p, int sig, const struct sig_info_k *info)
{
	if (sig < 1 || sig > NSIG || p->state == PROC_ZOMBIE)
		return;
	signal_stop_cont(p, sig);
	/* An ignored signal is dropped at once, unless it is blocked (Linux). */
	if (sig_ignored(p, sig) && !(p->sig_blocked & SIGBIT(sig)))
		return;
	if (!(p->sig_pending & SIGBIT(sig)))
		p->sig_info[sig - 1] = *info;
	p->sig_pending |= SIGBIT(sig);
	if (!(p->sig_blocked & SIGBIT(sig)) || (p->sig_waitset & SIGBIT(sig)))
		sched_wake(p);
}

void signal_send(struct process *p, int sig)
{
	struct sig_info_k info = { .code = SI_KERNEL };

	signal_send_info(p, sig, &info);
}

bool signal_pending(void)
{
	return current && (current->sig_pending & ~current->sig_blocked);
}

/* Where the handler's frame goes: the altstack if asked and not already on it. */
static uint64_t sigframe_sp(const struct process *p, const struct k_sigaction *ka,
			    uint64_t sp)
{
	bool on_alt = p->ss_size && sp - p->ss_sp <= p->ss_size;

	if ((ka->flags & SA_ONSTACK) && p->ss_size && !on_alt)
		sp = p->ss_sp + p->ss_size;
	else
		sp -= RED_ZONE;
	return sp;
}

static void sigcontext_fill(struct linux_sigcontext *sc, const struct trap_frame *f)
{
	*sc = (struct linux_sigcontext){
		.r8 = f->r8, .r9 = f->r9, .r10 = f->r10, .r11 = f->r11,
		.r12 = f->r12, .r13 = f->r13, .r14 = f->r14, .r15 = f->r15,
		.rdi = f->rdi, .rsi = f->rsi, .rbp = f->rbp, .rbx = f->rbx,
		.rdx = f->rdx, .rax = f->rax, .rcx = f->rcx, .rsp = f->rsp,
		.rip = f->rip, .eflags = f->rflags, .cs = GDT_USER_CS, .ss = GDT_USER_DS,
		.err = f->vector < 32 ? f->error_code : 0,
		.trapno = f->vector < 32 ? f->vector : 0,
	};
}

/* Build the frame for handler ka of sig and point f at the handler. */
static int sigframe_setup(struct process *p, struct trap_frame *f, int sig,
			  const struct k_sigaction *ka, uint64_t mask)
{
	static uint8_t fx[512] __attribute__((aligned(16)));
	const struct sig_info_k *si = &p->sig_info[sig - 1];
	struct rt_sigframe fr = { .pretcode = ka->restorer };
	uint64_t sp = sigframe_sp(p, ka, f->rsp), fpstate, frame;

	if (!(ka->flags & SA_RESTORER))
		return -EFAULT;         /* x86-64 handlers return through sa_restorer */
	fpstate = ALIGN_DOWN(sp - sizeof(fx), 64);
	frame = ALIGN_DOWN(fpstate - sizeof(fr), 16) - 8;
	fr.uc.uc_stack = (struct linux_stack){ .ss_sp = p->ss_sp, .ss_size = p->ss_size,
		.ss_flags = !p->ss_size ? SS_DISABLE :
			    f->rsp - p->ss_sp <= p->ss_size ? SS_ONSTACK : 0 };
	sigcontext_fill(&fr.uc.uc_mcontext, f);
	fr.uc.uc_mcontext.fpstate = fpstate;
	fr.uc.uc_mcontext.oldmask = mask;
	fr.uc.uc_mcontext.cr2 = si->addr;
	fr.uc.uc_sigmask = mask;
	fr.info.si_signo = sig;
	fr.info.si_code = si->code;
	if (sig == SIGSEGV || sig == SIGBUS || sig == SIGILL || sig == SIGFPE || sig == SIGTRAP)
		fr.info.addr = si->addr;
	else
		fr.info.kill = (typeof(fr.info.kill)){ si->pid, si->uid, si->status };
	cpu_fpu_save(fx);
	if (copy_to_user(fpstate, fx, sizeof(fx)) || copy_to_user(frame, &fr, sizeof(fr)))
		return -EFAULT;
	f->rdi = (uint64_t)sig;
	f->rsi = frame + offsetof(struct rt_sigframe, info);
	f->rdx = frame + offsetof(struct rt_sigframe, uc);
	f->rax = 0;
	f->rsp = frame;
	f->rip = ka->handler;
	f->rflags &= ~(0x100ULL | 0x400ULL | 0x10000ULL);      /* TF, DF, RF */
	cpu_fpu_reset();
	return 0;
}

/* A syscall interrupted by a signal: EINTR, or go back and run it again. */
static void syscall_restart(struct process *p, struct trap_frame *f, const struct k_sigaction *ka)
{
	long rc = (long)f->rax;
	bool restart;

	if (f->vector != TRAP_SYSCALL)
		return;
	if (rc == -ERESTARTNOINTR)
		restart = true;
	else if (rc == -ERESTARTSYS)
		restart = !ka || (ka->flags & SA_RESTART);
	else if (rc == -ERESTARTNOHAND)
		restart = !ka;
	else
		return;
	if (restart) {
		f->rax = p->syscall_nr;
		f->rip -= 2;            /* the syscall instruction again */
	} else {
		f->rax = (uint64_t)-EINTR;
	}
}

/* Tell the parent about a stop or continue: SIGCHLD unless SA_NOCLDSTOP, and its wait. */
static void signal_notify_parent(struct process *p, int ws)
{
	struct process *parent = p->parent;
	struct sig_info_k info = { .pid = p->pid, .uid = (int32_t)p->cred.uid };

	p->stop_report = ws;
	if (!parent)
		return;
	wstatus_siginfo(ws, &info.code, &info.status);
	if (!(parent->sig_action[SIGCHLD - 1].flags & SA_NOCLDSTOP))
		signal_send_info(parent, SIGCHLD, &info);
	sched_wakeup(&parent->wstatus);
}

/* Stop here (on the way to ring 3) until SIGCONT or SIGKILL. */
static void signal_do_stop(struct process *p, int sig)
{
	p->state = PROC_STOPPED;
	signal_notify_parent(p, WS_STOPCODE(sig));
	schedule();
}

void signal_stop_cont(struct process *p, int sig)
{
	const uint64_t stops = SIGBIT(SIGSTOP) | SIGBIT(SIGTSTP) | SIGBIT(SIGTTIN) | SIGBIT(SIGTTOU);

	if (sig == SIGCONT || sig == SIGKILL) {
		p->sig_pending &= ~stops;
		if (p->state == PROC_STOPPED) {
			p->state = PROC_RUNNABLE;
			if (sig == SIGCONT)
				signal_notify_parent(p, WS_CONTINUED);
		}
	} else if (stops & SIGBIT(sig)) {
		p->sig_pending &= ~SIGBIT(SIGCONT);
	}
}

/* The default action of sig: nothing, stop, or the end of the process. */
static void signal_default(struct process *p, int sig)
{
	int kind = sig_default_kind(sig);

	if (kind == 1)
		proc_exit(WS_SIGNALED(sig, wstatus_sig_core(sig)));
	if (kind == 2)
		signal_do_stop(p, sig);
}

/* Run handler sig: mask update, frame; a frame that cannot be written kills. */
static void signal_handle(struct process *p, struct trap_frame *f, int sig)
{
	struct k_sigaction *ka = &p->sig_action[sig - 1];
	uint64_t mask = p->sig_restore ? p->sig_saved : p->sig_blocked;

	syscall_restart(p, f, ka);
	if (sigframe_setup(p, f, sig, ka, mask)) {
		printk("%s: cannot deliver signal %d (bad stack or no sa_restorer): SIGSEGV\n",
		       p->comm, sig);
		proc_exit(WS_SIGNALED(SIGSEGV, 1));
	}
	p->sig_blocked = mask | ka->mask | (ka->flags & SA_NODEFER ? 0 : SIGBIT(sig));
	p->sig_blocked &= ~SIG_UNBLOCKABLE;
	p->sig_restore = false;
	if (ka->flags & SA_RESETHAND)
		ka->handler = SIG_DFL;
}

bool signal_return(struct trap_frame *f)
{
	struct process *p = current;
	bool iret = p->sig_iret;

	p->sig_iret = false;
	for (;;) {
		uint64_t ready = p->sig_pending & ~p->sig_blocked;
		int sig;

		if (!ready)
			break;
		sig = __builtin_ctzll(ready) + 1;
		p->sig_pending &= ~SIGBIT(sig);
		if (p->sig_action[sig - 1].handler == SIG_IGN)
			continue;
		if (p->sig_action[sig - 1].handler == SIG_DFL) {
			signal_default(p, sig);
			continue;
		}
		signal_handle(p, f, sig);
		return true;
	}
	syscall_restart(p, f, NULL);
	if (p->sig_restore) {
		p->sig_blocked = p->sig_saved;
		p->sig_restore = false;
	}
	return iret;
}

bool signal_fault(struct trap_frame *f, int sig, int code, uint64_t addr)
{
	struct process *p = current;
	struct k_sigaction *ka = &p->sig_action[sig - 1];

	if (ka->handler == SIG_DFL || ka->handler == SIG_IGN || (p->sig_blocked & SIGBIT(sig)))
		return false;           /* Linux forces the default action: death */
	p->sig_info[sig - 1] = (struct sig_info_k){ .code = code, .addr = addr };
	p->sig_pending &= ~SIGBIT(sig);
	signal_handle(p, f, sig);
	return true;
}

int signal_mask_swap(uaddr_t uset, uint64_t size)
{
	uint64_t set;

	if (!uset)
		return 0;
	if (size != 8)
		return -EINVAL;
	if (copy_from_user(&set, uset, sizeof(set)))
		return -EFAULT;
	current->sig_saved = current->sig_blocked;
	current->sig_restore = true;
	current->sig_blocked = set & ~SIG_UNBLOCKABLE;
	return 0;
}

void signal_mask_restore(bool interrupted)
{
	if (!current->sig_restore || interrupted)
		return;                 /* signal_return restores after the handler's frame */
	current->sig_blocked = current->sig_saved;
	current->sig_restore = false;
}

void signal_fork(struct process *c, const struct process *p)
{
	memcpy(c->sig_action, p->sig_action, sizeof(c->sig_action));
	c->sig_blocked = p->sig_blocked;
	c->ss_sp = p->ss_sp;
	c->ss_size = p->ss_size;
	c->ss_flags = p->ss_flags;
}

void signal_exec(struct process *p)
{
	for (int i = 0; i < NSIG; i++)
		if (p->sig_action[i].handler != SIG_IGN)
			p->sig_action[i] = (struct k_sigaction){ 0 };
	p->ss_sp = p->ss_size = 0;
	p->ss_flags = SS_DISABLE;
}

bool signal_parent_reaps(const struct process *parent)
{
	const struct k_sigaction *ka = &parent->sig_action[SIGCHLD - 1];

	return ka->handler != SIG_IGN && !(ka->flags & SA_NOCLDWAIT);
}

void signal_child_exit(struct process *p)
{
	int code, status;
	struct sig_info_k info;

	if (!p->parent || !p->exit_signal)
		return;
	wstatus_siginfo(p->wstatus, &code, &status);
	info = (struct sig_info_k){ .code = code, .pid = p->pid,
				    .uid = (int32_t)p->cred.uid, .status = status };
	signal_send_info(p->parent, p->exit_signal, &info);
}

void signal_timers(uint64_t now)
{
	for (struct process *p = sched_first(); p; p = p->next) {
		if (!p->alarm_ns || now < p->alarm_ns || p->state == PROC_ZOMBIE)
			continue;
		p->alarm_ns = p->alarm_interval_ns ? now + p->alarm_interval_ns : 0;
		signal_send(p, SIGALRM);
	}
}

/* rt_sigreturn's register restore from the sigcontext the handler returns with. */
static void sigcontext_restore(struct trap_frame *f, const struct linux_sigcontext *sc)
{
	f->r8 = sc->r8; f->r9 = sc->r9; f->r10 = sc->r10; f->r11 = sc->r11;
	f->r12 = sc->r12; f->r13 = sc->r13; f->r14 = sc->r14; f->r15 = sc->r15;
	f->rdi = sc->rdi; f->rsi = sc->rsi; f->rbp = sc->rbp; f->rbx = sc->rbx;
	f->rdx = sc->rdx; f->rax = sc->rax; f->rcx = sc->rcx; f->rsp = sc->rsp;
	f->rip = sc->rip;
	f->rflags = (f->rflags & ~FLAGS_USER) | (sc->eflags & FLAGS_USER);
	f->vector = 0;          /* not a syscall any more: no restart */
}

/* The FPU state of the frame, with MXCSR's reserved bits cleared (fxrstor would #GP). */
static void fpstate_restore(uaddr_t fpstate)
{
	static uint8_t fx[512] __attribute__((aligned(16)));
	uint32_t mxcsr;

	if (!fpstate || copy_from_user(fx, fpstate, sizeof(fx))) {
		cpu_fpu_reset();
		return;
	}
	memcpy(&mxcsr, fx + 24, 4);
	mxcsr &= cpu_mxcsr_mask();
	memcpy(fx + 24, &mxcsr, 4);
	cpu_fpu_load(fx);
}

long signal_sigreturn(struct trap_frame *f)
{
	struct process *p = current;
	struct rt_sigframe fr;

	if (copy_from_user(&fr, f->rsp - 8, sizeof(fr))) {
		printk("%s: rt_sigreturn with a bad frame at %#lx: SIGSEGV\n", p->comm, f->rsp - 8);
		proc_exit(WS_SIGNALED(SIGSEGV, 1));
	}
	sigcontext_restore(f, &fr.uc.uc_mcontext);
	p->sig_blocked = fr.uc.uc_sigmask & ~SIG_UNBLOCKABLE;
	fpstate_restore(fr.uc.uc_mcontext.fpstate);
	p->sig_iret = true;
	return (long)f->rax;
}
