/* sys_time.c: clock_gettime, clock_getres, gettimeofday, time, nanosleep from the TSC. */
#include "arch.h"
#include "ktime.h"
#include "proc.h"
#include "sched.h"
#include "syscalls.h"
#include "uaccess.h"

#define CLOCK_REALTIME           0
#define CLOCK_MONOTONIC          1
#define CLOCK_PROCESS_CPUTIME_ID 2
#define CLOCK_THREAD_CPUTIME_ID  3
#define CLOCK_MONOTONIC_RAW      4
#define CLOCK_REALTIME_COARSE    5
#define CLOCK_MONOTONIC_COARSE   6
#define CLOCK_BOOTTIME           7

struct linux_timespec {
	int64_t tv_sec;
	int64_t tv_nsec;
};

/* The time of clock in nanoseconds, or -EINVAL for a clock we do not know. */
static int64_t clock_ns(int clock)
{
	switch (clock) {
	case CLOCK_REALTIME: case CLOCK_REALTIME_COARSE:
		return ktime_real_ns();
	case CLOCK_MONOTONIC: case CLOCK_MONOTONIC_RAW: case CLOCK_MONOTONIC_COARSE:
	case CLOCK_BOOTTIME: case CLOCK_PROCESS_CPUTIME_ID: case CLOCK_THREAD_CPUTIME_ID:
		return (int64_t)ktime_mono_ns();
	default:
		return -EINVAL;
	}
}

static long put_timespec(uaddr_t tp, int64_t ns)
{
	struct linux_timespec ts = { ns / 1000000000, ns % 1000000000 };

	return copy_to_user(tp, &ts, sizeof(ts));
}

static long sys_clock_gettime(int clock, uaddr_t tp)
{
	int64_t ns = clock_ns(clock);

	return ns < 0 ? ns : put_timespec(tp, ns);
}
SYSCALL_REGISTER(228, clock_gettime, sys_clock_gettime);

static long sys_clock_getres(int clock, uaddr_t tp)
{
	if (clock_ns(clock) < 0)
		return -EINVAL;
	return tp ? put_timespec(tp, 1) : 0;
}
SYSCALL_REGISTER(229, clock_getres, sys_clock_getres);

static long sys_gettimeofday(uaddr_t tv, uaddr_t tz)
{
	int64_t ns = ktime_real_ns();
	struct linux_timespec t = { ns / 1000000000, (ns % 1000000000) / 1000 };

	if (tv && copy_to_user(tv, &t, sizeof(t)))
		return -EFAULT;
	if (tz && clear_user(tz, 8))
		return -EFAULT;
	return 0;
}
SYSCALL_REGISTER(96, gettimeofday, sys_gettimeofday);

static long sys_time(uaddr_t tloc)
{
	int64_t s = ktime_real_ns() / 1000000000;

	if (tloc && put_user_u64(tloc, (uint64_t)s))
		return -EFAULT;
	return s;
}
SYSCALL_REGISTER(201, time, sys_time);

/*
 * Sleep until the monotonic deadline; a signal ends it early with the time
 * left in *rem (for nanosleep's rem) and -EINTR.
 */
static long sleep_until_mono(uint64_t deadline, uaddr_t rem)
{
	while (ktime_mono_ns() < deadline) {
		if (sched_sleep(&current->wake_ns, deadline) == -EINTR) {
			uint64_t now = ktime_mono_ns(), left = deadline > now ? deadline - now : 0;

			if (rem && put_timespec(rem, (int64_t)left))
				return -EFAULT;
			return -EINTR;
		}
	}
	return 0;
}

static long sys_nanosleep(uaddr_t req, uaddr_t rem)
{
	struct linux_timespec ts;

	if (copy_from_user(&ts, req, sizeof(ts)))
		return -EFAULT;
	if (ts.tv_sec < 0 || ts.tv_nsec < 0 || ts.tv_nsec >= 1000000000)
		return -EINVAL;
	return sleep_until_mono(ktime_mono_ns() + (uint64_t)ts.tv_sec * 1000000000 +
				(uint64_t)ts.tv_nsec, rem);
}
SYSCALL_REGISTER(35, nanosleep, sys_nanosleep);

#define TIMER_ABSTIME 1

static long sys_clock_nanosleep(int clock, int flags, uaddr_t req, uaddr_t rem)
{
	struct linux_timespec ts;
	int64_t now = clock_ns(clock);
	uint64_t ns;

	if (now < 0)
		return -EINVAL;
	if (copy_from_user(&ts, req, sizeof(ts)))
		return -EFAULT;
	if (ts.tv_sec < 0 || ts.tv_nsec < 0 || ts.tv_nsec >= 1000000000)
		return -EINVAL;
	ns = (uint64_t)ts.tv_sec * 1000000000 + (uint64_t)ts.tv_nsec;
	if (flags & TIMER_ABSTIME)
		ns = ns > (uint64_t)now ? ns - (uint64_t)now : 0;
	return sleep_until_mono(ktime_mono_ns() + ns, flags & TIMER_ABSTIME ? 0 : rem);
}
SYSCALL_REGISTER(230, clock_nanosleep, sys_clock_nanosleep);
