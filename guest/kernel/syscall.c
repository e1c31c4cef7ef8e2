/* syscall.c: the syscall table built from registrations, and the dispatcher. */
#include "arch.h"
#include "fault.h"
#include "mm.h"
#include "proc.h"
#include "syscalls.h"
#include "wstatus.h"
#include "sigdeliver.h"

static syscall_fn syscall_table[SYSCALL_NR_MAX];
static const struct syscall_entry *syscall_owner[SYSCALL_NR_MAX];
/* One bit per number: has the ENOSYS message been printed? */
static uint64_t enosys_logged[SYSCALL_NR_MAX / 64];

/* The user registers of the syscall being handled (for execve and friends). */
struct trap_frame *syscall_frame;

/*
 * A regular registration wins over a fallback; two regular ones (or two
 * fallbacks) for the same number are a build mistake and stop the boot.
 */
static void syscall_add(const struct syscall_entry *e)
{
	const struct syscall_entry *old;

	if (e->nr >= SYSCALL_NR_MAX)
		panic("syscall %s: number %u is too large", e->name, e->nr);
	old = syscall_owner[e->nr];
	if (old && old->fallback == e->fallback)
		panic("syscall %u registered twice (%s and %s)", e->nr, old->name, e->name);
	if (old && e->fallback)
		return;
	syscall_owner[e->nr] = e;
	syscall_table[e->nr] = (syscall_fn)e->fn;
}

void syscall_init(void)
{
	for (const struct syscall_entry *e = __start_mv_syscalls; e < __stop_mv_syscalls; e++)
		syscall_add(e);
}

/* An unimplemented syscall: -ENOSYS, and one line the first time. */
static long syscall_unknown(uint64_t nr)
{
	const char *name = nr < 0xffffffffu ? syscall_name((unsigned)nr) : NULL;

	if (nr < SYSCALL_NR_MAX) {
		if (enosys_logged[nr / 64] >> (nr % 64) & 1)
			return -ENOSYS;
		enosys_logged[nr / 64] |= 1ULL << (nr % 64);
	}
	printk("%s: syscall %s (%lu) is not implemented: ENOSYS\n",
	       current ? current->comm : "?", name ? name : "unknown", nr);
	return -ENOSYS;
}

/*
 * Called by syscall_entry with the user's registers; the result goes in
 * rax.  Returns nonzero when the frame must be restored with iretq (a
 * signal handler's frame, rt_sigreturn) instead of sysretq, which loses
 * rcx and r11.
 */
int syscall_dispatch(struct trap_frame *f)
{
	uint64_t nr = f->rax;
	long ret;
	bool iret;

	syscall_frame = f;
	current->syscall_nr = nr;
	if (nr < SYSCALL_NR_MAX && syscall_table[nr])
		ret = syscall_table[nr](f->rdi, f->rsi, f->rdx, f->r10, f->r8, f->r9);
	else
		ret = syscall_unknown(nr);
	f->rax = (uint64_t)ret;
	syscall_frame = NULL;
	iret = signal_return(f);
	/*
	 * sysretq to a non-canonical RIP would fault in ring 0 on the user's
	 * stack.  The top user page is never mapped, so this cannot happen
	 * for a syscall instruction in user memory; checked all the same.
	 */
	if (f->rip >= MV_USER_END - PAGE_SIZE)
		proc_exit(WS_SIGNALED(SIGSEGV, 1));
	/* User-controllable flags only; IF as the timer needs it, reserved bit 1 on. */
	f->r11 = f->rflags = (f->rflags & 0x250dd5) | 0x2 | user_rflags_if();
	return iret;
}
