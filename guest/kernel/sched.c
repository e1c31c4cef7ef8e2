/* sched.c: the process list, the round-robin scheduler, sleep/wakeup and the idle loop. */
#include "arch.h"
#include "ktime.h"
#include "sched.h"
#include "sigdeliver.h"
#include "irq.h"

static struct process *proc_head, *proc_tail;
/* The idle loop's saved kernel stack pointer while a process runs. */
static uint64_t idle_ksp;

struct process *sched_first(void)
{
	return proc_head;
}

void sched_add(struct process *p)
{
	p->next = NULL;
	if (proc_tail)
		proc_tail->next = p;
	else
		proc_head = p;
	proc_tail = p;
	p->state = PROC_RUNNABLE;
	proc_pid_add(p);
}

void sched_remove(struct process *p)
{
	struct process **pp = &proc_head, *prev = NULL;

	while (*pp && *pp != p) {
		prev = *pp;
		pp = &(*pp)->next;
	}
	if (!*pp)
		return;
	proc_pid_remove(p);
	*pp = p->next;
	if (proc_tail == p)
		proc_tail = prev;
}

/* Wake the sleepers whose deadline passed; fire the interval timers. */
static void sched_timers(void)
{
	uint64_t now = ktime_mono_ns();

	signal_timers(now);
	for (struct process *p = proc_head; p; p = p->next) {
		if (p->state != PROC_SLEEPING || !p->wake_ns)
			continue;
		if (now >= p->wake_ns) {
			p->state = PROC_RUNNABLE;
			p->timed_out = true;
		}
	}
}

/* The next runnable process after `after` in list order (round-robin), or NULL. */
static struct process *sched_pick(struct process *after)
{
	struct process *start = after && after->next ? after->next : proc_head;
	struct process *p = start;

	sched_timers();
	if (!p)
		return NULL;
	do {
		if (p->state == PROC_RUNNABLE)
			return p;
		p = p->next ? p->next : proc_head;
	} while (p != start);
	return NULL;
}

/* Load next's CPU state (address space, kernel stack, TLS, FPU) and switch to it. */
static void sched_switch(struct process *next)
{
	struct process *prev = current;
	uint64_t *save = prev ? &prev->ksp : &idle_ksp;

	if (prev == next)
		return;
	if (prev)
		cpu_fpu_save(prev->fpu);
	current = next;
	if (!next) {
		paging_switch(paging_kernel_pml4());
		switch_stack(save, idle_ksp);
		return;
	}
	paging_switch(next->mm ? next->mm->pml4_pa : paging_kernel_pml4());
	cpu_set_kernel_stack(next->kstack_top);
	wrmsr(MSR_FS_BASE, next->fs_base);
	cpu_fpu_load(next->fpu);
	switch_stack(save, next->ksp);
}

void schedule(void)
{
	struct process *next = sched_pick(current);

	/* Nothing else to run and the caller can go on: keep the CPU. */
	if (!next && current && current->state == PROC_RUNNABLE)
		return;
	sched_switch(next);
}

/* Sleep on chan until a wakeup or wake_ns; a signal ends it if intr. */
static int sched_sleep_common(const void *chan, uint64_t wake_ns, bool intr)
{
	struct process *p = current;

	if (intr && signal_pending())
		return -EINTR;
	p->wchan = chan;
	p->wake_ns = wake_ns;
	p->timed_out = false;
	p->state = PROC_SLEEPING;
	if (wake_ns && ktime_mono_ns() >= wake_ns) {
		p->state = PROC_RUNNABLE;
		p->timed_out = true;
	} else {
		schedule();
	}
	p->wchan = NULL;
	p->wake_ns = 0;
	if (intr && signal_pending())
		return -EINTR;
	return p->timed_out ? -ETIMEDOUT : 0;
}

int sched_sleep(const void *chan, uint64_t wake_ns)
{
	return sched_sleep_common(chan, wake_ns, true);
}

void sched_sleep_uninterruptible(const void *chan)
{
	sched_sleep_common(chan, 0, false);
}

void sched_wakeup(const void *chan)
{
	for (struct process *p = proc_head; p; p = p->next)
		if (p->state == PROC_SLEEPING && p->wchan == chan)
			p->state = PROC_RUNNABLE;
}

void sched_wake(struct process *p)
{
	if (p->state == PROC_SLEEPING)
		p->state = PROC_RUNNABLE;
}

/* The first kernel stack frame of a new process: what switch_stack pops. */
struct switch_frame {
	uint64_t r15, r14, r13, r12, rbx, rbp, ret;
};

static struct switch_frame *sched_frame_below(struct process *p, uint64_t top)
{
	struct switch_frame *s = (struct switch_frame *)(top - sizeof(*s));

	memset(s, 0, sizeof(*s));
	p->ksp = (uint64_t)s;
	return s;
}

void sched_start_kernel(struct process *p, void (*fn)(void *), void *arg)
{
	struct switch_frame *s = sched_frame_below(p, p->kstack_top - 16);

	s->r12 = (uint64_t)fn;
	s->r13 = (uint64_t)arg;
	s->ret = (uint64_t)kthread_entry;
	sched_add(p);
}

void sched_start_user(struct process *p, const struct trap_frame *f)
{
	struct trap_frame *uf = proc_user_frame(p);
	struct switch_frame *s;

	*uf = *f;
	s = sched_frame_below(p, (uint64_t)uf);
	s->ret = (uint64_t)fork_return;
	sched_add(p);
}

/* Free the zombies nobody will wait for (orphans the kernel took over). */
static void sched_reap_orphans(struct process *keep)
{
	struct process *p = proc_head, *next;

	for (; p; p = next) {
		next = p->next;
		if (p != keep && p->state == PROC_ZOMBIE && !p->parent && !p->boot_cmd)
			proc_reap(p);
	}
}

/* The earliest deadline of a sleeping process, or 0. */
static uint64_t sched_next_deadline(void)
{
	uint64_t t = 0;

	for (struct process *p = proc_head; p; p = p->next) {
		if (p->state == PROC_SLEEPING && p->wake_ns && (!t || p->wake_ns < t))
			t = p->wake_ns;
		if (p->state != PROC_ZOMBIE && p->alarm_ns && (!t || p->alarm_ns < t))
			t = p->alarm_ns;
	}
	return t;
}

void sched_run_until(struct process *p)
{
	while (p->state != PROC_ZOMBIE) {
		struct process *next = sched_pick(NULL);
		uint64_t deadline;

		sched_reap_orphans(p);
		if (next) {
			sched_switch(next);
			continue;
		}
		deadline = sched_next_deadline();
		if (irq_ticking()) {
			/* HLT until the tick or input: an idle guest costs the host nothing. */
			cpu_idle_wait();
			continue;
		}
		if (!deadline)
			panic("every process sleeps and nothing can wake one (pid %d waits)",
			      p->pid);
		while (ktime_mono_ns() < deadline)
			cpu_idle_wait();
	}
	sched_reap_orphans(p);
}
