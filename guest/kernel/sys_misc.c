/* sys_misc.c: identity, limits, thread setup, uname, getrandom, capabilities, sched_yield, sysinfo. */
#include <generated/autoconf.h>
#include "arch.h"
#include "fault.h"
#include "boot.h"
#include "ktime.h"
#include "mm.h"
#include "proc.h"
#include "random.h"
#include "syscalls.h"
#include "uaccess.h"
#include "umm.h"
#include "sched.h"
#include <modvisor/version.h>

static long sys_getpid(void) { return current->pid; }
static long sys_getuid(void) { return current->cred.uid; }
static long sys_geteuid(void) { return current->cred.euid; }
static long sys_getgid(void) { return current->cred.gid; }
static long sys_getegid(void) { return current->cred.egid; }
SYSCALL_REGISTER(39, getpid, sys_getpid);
SYSCALL_REGISTER(186, gettid, sys_getpid);
SYSCALL_REGISTER(102, getuid, sys_getuid);
SYSCALL_REGISTER(107, geteuid, sys_geteuid);
SYSCALL_REGISTER(104, getgid, sys_getgid);
SYSCALL_REGISTER(108, getegid, sys_getegid);

#define ARCH_SET_GS 0x1001
#define ARCH_SET_FS 0x1002
#define ARCH_GET_FS 0x1003
#define ARCH_GET_GS 0x1004

static long sys_arch_prctl(int code, uint64_t addr)
{
	switch (code) {
	case ARCH_SET_FS:
		if (addr >= MV_USER_END)
			return -EPERM;
		current->fs_base = addr;
		wrmsr(MSR_FS_BASE, addr);
		return 0;
	case ARCH_GET_FS:
		return put_user_u64(addr, current->fs_base);
	case ARCH_SET_GS:
	case ARCH_GET_GS:
		return -EINVAL;         /* the kernel keeps GS for itself on Linux too */
	default:
		return -EINVAL;
	}
}
SYSCALL_REGISTER(158, arch_prctl, sys_arch_prctl);

static long sys_set_tid_address(uint64_t tidptr)
{
	current->clear_child_tid = tidptr;
	return current->pid;
}
SYSCALL_REGISTER(218, set_tid_address, sys_set_tid_address);

static long sys_set_robust_list(uint64_t head, uint64_t len)
{
	if (len != 24)          /* sizeof(struct robust_list_head) */
		return -EINVAL;
	current->robust_list = head;
	return 0;
}
SYSCALL_REGISTER(273, set_robust_list, sys_set_robust_list);

/*
 * rseq is not offered: glibc (2.35+) and musl treat ENOSYS from the
 * registration as "no rseq" and carry on.
 */
static long sys_rseq(void)
{
	return -ENOSYS;
}
SYSCALL_REGISTER(334, rseq, sys_rseq);

/*
 * socket and socketpair: the guest has no network and no AF_UNIX, as a
 * Linux built without them: every family is EAFNOSUPPORT.  glibc's nscd
 * client (ls -l, id) then reads /etc/passwd itself.
 */
static long sys_socket(void)
{
	return -EAFNOSUPPORT;
}
SYSCALL_REGISTER(41, socket, sys_socket);
SYSCALL_REGISTER(53, socketpair, sys_socket);

struct linux_utsname {
	char sysname[65], nodename[65], release[65], version[65], machine[65], domainname[65];
};

static long sys_uname(uaddr_t buf)
{
	struct linux_utsname u;

	memset(&u, 0, sizeof(u));
	strscpy(u.sysname, "Linux", sizeof(u.sysname));
	strscpy(u.nodename, CONFIG_DEFAULT_HOSTNAME, sizeof(u.nodename));
	strscpy(u.release, MODVISOR_UTS_RELEASE, sizeof(u.release));
	strscpy(u.version, "#1 SMP modvisor " MODVISOR_VERSION, sizeof(u.version));
	strscpy(u.machine, "x86_64", sizeof(u.machine));
	strscpy(u.domainname, "(none)", sizeof(u.domainname));
	return copy_to_user(buf, &u, sizeof(u));
}
SYSCALL_REGISTER(63, uname, sys_uname);

#define GRND_NONBLOCK 1
#define GRND_RANDOM   2
#define GRND_INSECURE 4

static long sys_getrandom(uaddr_t buf, uint64_t len, unsigned flags)
{
	uint8_t chunk[256];
	uint64_t done = 0;

	if (flags & ~(unsigned)(GRND_NONBLOCK | GRND_RANDOM | GRND_INSECURE))
		return -EINVAL;
	len = MIN(len, (uint64_t)INT32_MAX);
	while (done < len) {
		size_t n = MIN(len - done, sizeof(chunk));

		get_random_bytes(chunk, n);
		if (copy_to_user(buf + done, chunk, n))
			return done ? (long)done : -EFAULT;
		done += n;
	}
	return (long)done;
}
SYSCALL_REGISTER(318, getrandom, sys_getrandom);

/* Resource limits: fixed, Linux-like values; setting them is accepted. */
struct linux_rlimit {
	uint64_t cur, max;
};
#define RLIM_INFINITY (~0ULL)
#define RLIMIT_STACK  3
#define RLIMIT_NOFILE 7
#define RLIMIT_NLIMITS 16

static struct linux_rlimit rlimit_of(unsigned res)
{
	if (res == RLIMIT_STACK)
		return (struct linux_rlimit){ UMM_STACK_MAX, RLIM_INFINITY };
	if (res == RLIMIT_NOFILE)
		return (struct linux_rlimit){ 1024, 1024 };
	return (struct linux_rlimit){ RLIM_INFINITY, RLIM_INFINITY };
}

static long sys_prlimit64(int pid, unsigned res, uaddr_t new_lim, uaddr_t old_lim)
{
	struct linux_rlimit old = rlimit_of(res);

	if (pid && pid != current->pid)
		return -ESRCH;
	if (res >= RLIMIT_NLIMITS)
		return -EINVAL;
	(void)new_lim;
	if (old_lim && copy_to_user(old_lim, &old, sizeof(old)))
		return -EFAULT;
	return 0;
}
SYSCALL_REGISTER(302, prlimit64, sys_prlimit64);

static long sys_getrlimit(unsigned res, uaddr_t old_lim)
{
	return sys_prlimit64(0, res, 0, old_lim);
}
SYSCALL_REGISTER(97, getrlimit, sys_getrlimit);

static long sys_setrlimit(unsigned res, uaddr_t lim)
{
	(void)lim;
	return res >= RLIMIT_NLIMITS ? -EINVAL : 0;
}
SYSCALL_REGISTER(160, setrlimit, sys_setrlimit);

#define PR_SET_PDEATHSIG 1
#define PR_GET_DUMPABLE  3
#define PR_SET_DUMPABLE  4
#define PR_SET_NAME      15
#define PR_GET_NAME      16
#define PR_CAPBSET_READ  23
#define PR_SET_NO_NEW_PRIVS 38
#define PR_GET_NO_NEW_PRIVS 39
#define PR_SET_VMA       0x53564d41

static long sys_prctl(int op, uint64_t a2)
{
	char name[PROC_COMM_LEN];

	switch (op) {
	case PR_SET_NAME:
		if (strncpy_from_user(name, a2, sizeof(name)) == -EFAULT)
			return -EFAULT;
		name[sizeof(name) - 1] = '\0';
		strscpy(current->comm, name, sizeof(current->comm));
		return 0;
	case PR_GET_NAME:
		return copy_to_user(a2, current->comm, sizeof(current->comm));
	case PR_GET_DUMPABLE:
		return 1;
	case PR_CAPBSET_READ:
		return a2 <= CAP_LAST_CAP ? 1 : -EINVAL;
	case PR_SET_PDEATHSIG: case PR_SET_DUMPABLE: case PR_SET_NO_NEW_PRIVS:
	case PR_SET_VMA:
		return 0;
	case PR_GET_NO_NEW_PRIVS:
		return 0;
	default:
		return -EINVAL;
	}
}
SYSCALL_REGISTER(157, prctl, sys_prctl);

static long sys_sched_yield(void)
{
	schedule();
	return 0;
}
SYSCALL_REGISTER(24, sched_yield, sys_sched_yield);

/* struct sysinfo of x86-64 (free, uptime). */
struct linux_sysinfo {
	int64_t uptime;
	uint64_t loads[3];
	uint64_t totalram, freeram, sharedram, bufferram, totalswap, freeswap;
	uint16_t procs, pad;
	uint64_t totalhigh, freehigh;
	uint32_t mem_unit;
};
_Static_assert(sizeof(struct linux_sysinfo) == 112, "struct sysinfo size");

static uint16_t sysinfo_procs(void)
{
	uint16_t n = 0;

	for (struct process *p = sched_first(); p; p = p->next)
		n++;
	return n;
}

static long sys_sysinfo(uaddr_t info)
{
	struct linux_sysinfo si = {
		.uptime = (int64_t)(ktime_mono_ns() / 1000000000),
		.totalram = boot_info.mem_size,
		.freeram = page_free_count() * PAGE_SIZE,
		.procs = sysinfo_procs(),
		.mem_unit = 1,
	};

	return copy_to_user(info, &si, sizeof(si));
}
SYSCALL_REGISTER(99, sysinfo, sys_sysinfo);
