/* sys_sched.c: sched_getaffinity/sched_setaffinity (one CPU) and futex WAIT/WAKE. */
#include "ktime.h"
#include "paging.h"
#include "proc.h"
#include "sched.h"
#include "syscalls.h"
#include "uaccess.h"

/* pid 0 is the caller; else the process must exist. */
static struct process *sched_target(int pid)
{
	return pid ? proc_find(pid) : current;
}

/* sched_getaffinity: CPU 0 only; the size written is one long, as Linux's nr_cpu_ids <= 64. */
static long sys_sched_getaffinity(int pid, uint64_t len, uaddr_t mask)
{
	uint64_t one = 1;

	if (len < sizeof(one) || len % sizeof(one))
		return -EINVAL;
	if (pid < 0 || !sched_target(pid))
		return -ESRCH;
	if (copy_to_user(mask, &one, sizeof(one)))
		return -EFAULT;
	return sizeof(one);
}
SYSCALL_REGISTER(204, sched_getaffinity, sys_sched_getaffinity);

/* sched_setaffinity: any mask that includes CPU 0 (the only one) is fine. */
static long sys_sched_setaffinity(int pid, uint64_t len, uaddr_t mask)
{
	uint64_t m = 0;

	if (pid < 0 || !sched_target(pid))
		return -ESRCH;
	if (len && copy_from_user(&m, mask, MIN(len, sizeof(m))))
		return -EFAULT;
	return m & 1 ? 0 : -EINVAL;
}
SYSCALL_REGISTER(203, sched_setaffinity, sys_sched_setaffinity);

#define FUTEX_WAIT            0
#define FUTEX_WAKE            1
#define FUTEX_WAIT_BITSET     9
#define FUTEX_WAKE_BITSET     10
#define FUTEX_PRIVATE_FLAG    128
#define FUTEX_CLOCK_REALTIME  256

struct linux_timespec {
	int64_t tv_sec, tv_nsec;
};

/*
 * A futex word is named by its physical address, so processes sharing it
 * through MAP_SHARED memory meet on the same key; the sleepers wait on the
 * word's direct-map address.
 */
static const void *futex_key(uaddr_t uaddr)
{
	uint64_t span, *pte;

	if (uaddr % 4 || !current->mm)
		return NULL;
	pte = pt_lookup(current->mm->pml4_pa, uaddr, &span);
	if (!pte || !(*pte & PTE_P))
		return NULL;
	return phys_to_virt((*pte & PTE_ADDR) + (uaddr & (PAGE_SIZE - 1)));
}

/* FUTEX_WAIT: sleep while *uaddr == val, until a wake, the timeout or a signal. */
static long futex_wait(uaddr_t uaddr, uint32_t val, uaddr_t utime, bool absolute, bool realtime)
{
	struct linux_timespec ts;
	uint64_t deadline = 0;
	uint32_t cur;
	const void *key;
	int err;

	if (copy_from_user(&cur, uaddr, sizeof(cur)))
		return -EFAULT;
	if (!(key = futex_key(uaddr)))
		return -EINVAL;
	if (cur != val)
		return -EAGAIN;
	if (utime) {
		if (copy_from_user(&ts, utime, sizeof(ts)))
			return -EFAULT;
		if (ts.tv_sec < 0 || ts.tv_nsec < 0 || ts.tv_nsec >= 1000000000)
			return -EINVAL;
		deadline = (uint64_t)ts.tv_sec * 1000000000 + (uint64_t)ts.tv_nsec;
		if (!absolute)
			deadline += ktime_mono_ns();
		else if (realtime)      /* an absolute CLOCK_REALTIME time */
			deadline = deadline - (uint64_t)ktime_real_ns() + ktime_mono_ns();
		if (!deadline)
			deadline = 1;
	}
	err = sched_sleep(key, deadline);
	if (err == -EINTR)
		return -ERESTARTSYS;
	return err == -ETIMEDOUT ? -ETIMEDOUT : 0;
}

/* FUTEX_WAKE: wake up to n sleepers on the word (all of them: a wakeup is a hint). */
static long futex_wake(uaddr_t uaddr, uint32_t n)
{
	const void *key = futex_key(uaddr);
	long woken = 0;

	if (!key)
		return uaddr % 4 ? -EINVAL : 0;
	for (struct process *p = sched_first(); p && (uint32_t)woken < n; p = p->next)
		if (p->state == PROC_SLEEPING && p->wchan == key) {
			sched_wake(p);
			woken++;
		}
	return woken;
}

static long sys_futex(uaddr_t uaddr, int op, uint32_t val, uaddr_t utime, uaddr_t uaddr2,
		      uint32_t val3)
{
	int cmd = op & ~(FUTEX_PRIVATE_FLAG | FUTEX_CLOCK_REALTIME);
	bool rt = op & FUTEX_CLOCK_REALTIME;

	(void)uaddr2;
	switch (cmd) {
	case FUTEX_WAIT:
		return futex_wait(uaddr, val, utime, false, false);
	case FUTEX_WAIT_BITSET:
		return val3 ? futex_wait(uaddr, val, utime, true, rt) : -EINVAL;
	case FUTEX_WAKE:
		return futex_wake(uaddr, val);
	case FUTEX_WAKE_BITSET:
		return val3 ? futex_wake(uaddr, val) : -EINVAL;
	default:
		return -ENOSYS;
	}
}
SYSCALL_REGISTER(202, futex, sys_futex);
