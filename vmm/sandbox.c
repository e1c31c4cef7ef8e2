/* sandbox.c: drop root to --user, then a seccomp allow-list of the vCPU loop's and the authority's system calls (issue 12 finding 12). */
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "sandbox.h"

/*
 * What runs after setup, and the calls it makes (docs/security.md):
 *  - the vCPU loop: KVM_RUN, KVM_NMI, register reads (ioctl); guest RAM is
 *    already mapped;
 *  - console output and diagnostics (write, writev; stdio's fstat and
 *    TCGETS ioctl on first use);
 *  - the measurement log through descriptors opened before: write, pread,
 *    fstat, flock, fsync, fdatasync; the emulated host's lock service on a
 *    connected socket (sendto, read);
 *  - measurement, OpenSSL's PKCS#7 verification, decompression: memory
 *    (brk, mmap, munmap, mremap, mprotect, madvise), getrandom, futex;
 *  - the watchdogs and signals: setitimer, timer_*, rt_sig*, clock_*,
 *    nanosleep, tgkill (raise(), abort());
 *  - exit.
 * Nothing opens a file, creates a socket or a process, or changes
 * credentials once the guest runs.
 */
static const unsigned sandbox_allowed[] = {
	SYS_read, SYS_write, SYS_readv, SYS_writev, SYS_pread64, SYS_pwrite64, SYS_lseek,
	SYS_close, SYS_fstat, SYS_newfstatat, SYS_statx, SYS_fcntl, SYS_flock, SYS_fsync,
	SYS_fdatasync, SYS_ioctl, SYS_poll, SYS_ppoll,
	SYS_mmap, SYS_munmap, SYS_mprotect, SYS_mremap, SYS_madvise, SYS_brk, SYS_futex,
	SYS_getrandom, SYS_sched_yield,
	SYS_clock_gettime, SYS_clock_getres, SYS_gettimeofday, SYS_nanosleep,
	SYS_clock_nanosleep,
	SYS_getpid, SYS_gettid, SYS_getuid, SYS_geteuid, SYS_getgid, SYS_getegid,
	SYS_rt_sigaction, SYS_rt_sigprocmask, SYS_rt_sigreturn, SYS_sigaltstack, SYS_tgkill,
	SYS_setitimer, SYS_getitimer, SYS_timer_create, SYS_timer_settime, SYS_timer_gettime,
	SYS_timer_delete,
	SYS_sendto, SYS_recvfrom,
	SYS_exit, SYS_exit_group,
};

/*
 * AddressSanitizer's leak check at exit runs a tracer (clone, ptrace) that
 * no filter of ours allows: sanitized builds (tests/fuzz/sanitize.sh) run
 * without the filter (docs/security.md).
 */
#if defined(__SANITIZE_ADDRESS__)
#define SB_SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SB_SANITIZED 1
#endif
#endif
#ifndef SB_SANITIZED
#define SB_SANITIZED 0
#endif

#define SB_NALLOWED (sizeof(sandbox_allowed) / sizeof(sandbox_allowed[0]))
#define SB_X32_BIT  0x40000000u         /* __X32_SYSCALL_BIT: never ours */

int sandbox_user_lookup(const char *name, struct sandbox_user *u, char *err, size_t errlen)
{
	struct passwd *pw;
	char *end;

	errno = 0;
	pw = getpwnam(name);
	if (!pw && name[0] >= '0' && name[0] <= '9') {
		unsigned long id = strtoul(name, &end, 10);
		if (!*end)
			pw = getpwuid((uid_t)id);
	}
	if (!pw || strlen(name) >= sizeof(u->name)) {
		snprintf(err, errlen, "--user %s: %s", name,
			 errno ? strerror(errno) : "no such user");
		return -1;
	}
	u->set = true;
	u->uid = pw->pw_uid;
	u->gid = pw->pw_gid;
	snprintf(u->name, sizeof(u->name), "%s", name);
	return 0;
}

/* sandbox_drop(u): setgroups, setgid, setuid to u for good; 0 or -1 (printed). */
static int sandbox_drop(const struct sandbox_user *u)
{
	if (getuid() == u->uid && geteuid() == u->uid && getgid() == u->gid)
		return 0;       /* already that user: nothing to drop */
	if (setgroups(1, &u->gid) < 0 || setresgid(u->gid, u->gid, u->gid) < 0 ||
	    setresuid(u->uid, u->uid, u->uid) < 0) {
		fprintf(stderr, "modvisor: --user %s: cannot switch to uid %u gid %u: %s%s\n",
			u->name, (unsigned)u->uid, (unsigned)u->gid, strerror(errno),
			errno == EPERM ? " (only root can)" : "");
		return -1;
	}
	if (u->uid != 0 && (setuid(0) == 0 || seteuid(0) == 0)) {
		fprintf(stderr, "modvisor: --user %s: root could be regained: stopping\n", u->name);
		return -1;
	}
	return 0;
}

/* sandbox_sigsys(sig, si, ctx): a forbidden call: say which, then die of SIGSYS. */
static void sandbox_sigsys(int sig, siginfo_t *si, void *ctx)
{
	char msg[96] = "modvisor: seccomp: forbidden system call ", num[16];
	int n = 0, nr = si->si_syscall;
	size_t len = strlen(msg);

	(void)ctx;
	do
		num[n++] = (char)('0' + nr % 10);
	while ((nr /= 10) > 0 && n < 15);
	while (n > 0)
		msg[len++] = num[--n];
	memcpy(msg + len, " (stopping)\n", 13);
	len += 12;
	if (write(2, msg, len) < 0) {
		/* nothing more to say */
	}
	signal(sig, SIG_DFL);
	raise(sig);
}

/*
 * sandbox_warm(): what libraries would first do lazily, done now, while
 * files may still be opened: OpenSSL's configuration and the digests a
 * signature names, the C library's message catalogs.
 */
static void sandbox_warm(void)
{
	static const char *const mds[] = { "SHA1", "SHA256", "SHA384", "SHA512", "SHA224" };

	OPENSSL_init_crypto(OPENSSL_INIT_LOAD_CONFIG | OPENSSL_INIT_ADD_ALL_DIGESTS |
			    OPENSSL_INIT_ADD_ALL_CIPHERS, NULL);
	for (size_t i = 0; i < sizeof(mds) / sizeof(mds[0]); i++)
		EVP_MD_free(EVP_MD_fetch(NULL, mds[i], NULL));
	(void)strerror(EIO);
	(void)strsignal(SIGTERM);
}

/* sandbox_filter(): install the allow-list; 0 or -1 (printed). */
static int sandbox_filter(void)
{
	struct sock_filter f[5 + SB_NALLOWED + 2];
	struct sock_fprog prog = { .len = (unsigned short)(sizeof(f) / sizeof(f[0])), .filter = f };
	struct sigaction sa = { .sa_sigaction = sandbox_sigsys, .sa_flags = SA_SIGINFO };
	unsigned i, n = 0;

	f[n++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
					      offsetof(struct seccomp_data, arch));
	f[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 1, 0);
	f[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS);
	f[n++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
					      offsetof(struct seccomp_data, nr));
	/* x32 numbers are another ABI's: denied like any unknown call. */
	f[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, SB_X32_BIT,
					      (unsigned char)SB_NALLOWED, 0);
	for (i = 0; i < SB_NALLOWED; i++)
		f[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, sandbox_allowed[i],
						      (unsigned char)(SB_NALLOWED - i), 0);
	f[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_TRAP);
	f[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);

	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGSYS, &sa, NULL) < 0 || prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 ||
	    syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog) < 0) {
		fprintf(stderr, "modvisor: cannot install the seccomp filter: %s\n", strerror(errno));
		return -1;
	}
	return 0;
}

int sandbox_enter(const struct sandbox_user *u)
{
	const char *off = getenv("MODVISOR_NO_SECCOMP");

	if (u && u->set && sandbox_drop(u) < 0)
		return -1;
	if (SB_SANITIZED)
		off = "1";
	if (!off || strcmp(off, "1") != 0) {
		sandbox_warm();
		if (sandbox_filter() < 0)
			return -1;
	}
	/* tests/e2e/t-sandbox.sh: a call the filter forbids must kill us here. */
	if (getenv("MODVISOR_TEST_SECCOMP_TRIP")) {
		int s = socket(AF_INET, SOCK_STREAM, 0);
		fprintf(stderr, "modvisor: seccomp test: socket() was allowed (returned %d)\n", s);
		if (s >= 0)
			close(s);
	}
	return 0;
}
