/* mv-user.c: checks of the guest's process syscalls (exec, memory, identity, time, caps), one "ok -" line each. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/sysinfo.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

static int failures;

static void check(int cond, const char *name)
{
	printf("%s - %s\n", cond ? "ok" : "not ok", name);
	if (!cond)
		failures++;
}

/* A raw syscall must fail with exactly err. */
static void check_errno(long ret, int err, const char *name)
{
	char buf[160];

	snprintf(buf, sizeof(buf), "%s: %s", name, strerrorname_np(err));
	if (!(ret == -1 && errno == err))
		printf("# got %ld, errno %d\n", ret, errno);
	check(ret == -1 && errno == err, buf);
}

static void test_identity(void)
{
	struct utsname u;

	check(getuid() == 0 && geteuid() == 0 && getgid() == 0 && getegid() == 0,
	      "uid and gid are 0");
	check(getpid() > 0 && syscall(SYS_gettid) == getpid(), "gettid is getpid");
	check(uname(&u) == 0 && !strcmp(u.release, "6.1.0-modvisor") &&
	      !strcmp(u.machine, "x86_64") && !strcmp(u.sysname, "Linux"), "uname");
	check_errno(syscall(SYS_uname, (void *)8), EFAULT, "uname into a bad buffer");
	struct sysinfo si;
	check(sysinfo(&si) == 0 && si.totalram * si.mem_unit >= (16UL << 20) &&
	      si.freeram > 0 && si.freeram < si.totalram && si.procs == 1, "sysinfo");
}

static void test_auxv(char **argv)
{
	const uint8_t *rnd = (const uint8_t *)getauxval(AT_RANDOM);
	const char *execfn = (const char *)getauxval(AT_EXECFN);

	check(getauxval(AT_PAGESZ) == 4096, "AT_PAGESZ is 4096");
	check(getauxval(AT_PHDR) != 0 && getauxval(AT_PHNUM) > 0 &&
	      getauxval(AT_PHENT) == 56, "AT_PHDR, AT_PHNUM, AT_PHENT");
	check(getauxval(AT_ENTRY) != 0, "AT_ENTRY");
	check(rnd && (rnd[0] | rnd[1] | rnd[2] | rnd[3] | rnd[4] | rnd[5]), "AT_RANDOM");
	check(execfn && strstr(execfn, "mv-user"), "AT_EXECFN names the program");
	check(getauxval(AT_SECURE) == 0 && getauxval(AT_CLKTCK) == 100, "AT_SECURE, AT_CLKTCK");
	check(!strcmp(getenv("PATH") ? getenv("PATH") : "", "/bin:/sbin"), "PATH=/bin:/sbin");
	check(argv[0] && strstr(argv[0], "mv-user"), "argv[0]");
	check(((uintptr_t)__builtin_frame_address(0) & 7) == 0, "stack is aligned");
}

static void test_memory(void)
{
	char *p = mmap(NULL, 3 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	void *brk0 = sbrk(0);
	char big[300000];

	check(p != MAP_FAILED && p[0] == 0 && p[3 * 4096 - 1] == 0, "mmap anonymous is zeroed");
	if (p != MAP_FAILED) {
		p[5000] = 'x';
		check(mprotect(p, 4096, PROT_READ) == 0, "mprotect read-only");
		check(munmap(p, 3 * 4096) == 0, "munmap");
	}
	check_errno(syscall(SYS_mmap, 0, 0, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0),
		    EINVAL, "mmap of length 0");
	check_errno(syscall(SYS_mmap, 0, 4096, PROT_READ, MAP_ANONYMOUS, -1, 0),
		    EINVAL, "mmap without MAP_PRIVATE or MAP_SHARED");
	check_errno(syscall(SYS_mmap, 0, 4096, PROT_READ, MAP_PRIVATE, 77, 0),
		    EBADF, "mmap of a closed fd");
	check_errno(syscall(SYS_munmap, 4097, 4096), EINVAL, "munmap of an unaligned address");
	check_errno(syscall(SYS_mprotect, 0x10000000000UL, 4096, PROT_READ), ENOMEM,
		    "mprotect of unmapped memory");
	check_errno(syscall(SYS_mmap, 0, 1UL << 46, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0),
		    ENOMEM, "mmap of 64 TiB");
	check(syscall(SYS_munmap, 0x100000000000UL, 0x100000000000UL) == 0,
	      "munmap of 16 TiB of nothing returns at once");
	check(syscall(SYS_brk, (char *)brk0 + (1UL << 39)) == (long)brk0,
	      "brk of 512 GiB fails, keeps the break");
	check(sbrk(1 << 20) == brk0 && sbrk(0) == (char *)brk0 + (1 << 20), "brk grows by 1 MiB");
	memset(brk0, 7, 1 << 20);
	check(sbrk(-(1 << 20)) != (void *)-1 && sbrk(0) == brk0, "brk shrinks back");
	memset(big, 1, sizeof(big));
	check(big[sizeof(big) - 1] == 1, "stack grows on demand");
	char *r = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (r != MAP_FAILED) {
		char *blocker, *r2, *r3;

		r[0] = 'a';
		r[8191] = 'b';
		blocker = mmap(r + 8192, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
		r2 = mremap(r, 8192, 64 * 4096, MREMAP_MAYMOVE);
		check(blocker == r + 8192 && r2 != MAP_FAILED && r2 != r && r2[0] == 'a' &&
		      r2[8191] == 'b' && r2[64 * 4096 - 1] == 0, "mremap moves and keeps the data");
		r3 = mremap(r2, 64 * 4096, 4096, 0);
		check(r3 == r2 && r3[0] == 'a', "mremap shrinks in place");
		char *wall = mmap(r3 + 4096, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
		check_errno((long)mremap(r3, 4096, 8192, 0), ENOMEM,
			    "mremap cannot grow in place without MREMAP_MAYMOVE");
		munmap(wall, 4096);
		check_errno((long)mremap(r2 + 4096, 4096, 8192, MREMAP_MAYMOVE), EFAULT,
			    "mremap of unmapped memory");
		munmap(r3, 4096);
		munmap(blocker, 4096);
	}
	void *m = malloc(10 << 20);
	check(m != NULL, "malloc of 10 MiB (mmap)");
	free(m);
}

static void test_file_mmap(void)
{
	FILE *f = fopen("/proc/self/exe", "r");
	char *p;

	if (!f) {
		check(0, "open /proc/self/exe");
		return;
	}
	p = mmap(NULL, 8192, PROT_READ, MAP_PRIVATE, fileno(f), 0);
	check(p != MAP_FAILED && !memcmp(p, "\177ELF", 4), "private file mmap reads the file");
	if (p != MAP_FAILED)
		munmap(p, 8192);
	fclose(f);
}

static void test_time_random(void)
{
	struct timespec a, b, r = { 0, 1000000 };
	unsigned char buf[64] = { 0 };

	check(clock_gettime(CLOCK_MONOTONIC, &a) == 0, "clock_gettime monotonic");
	check(nanosleep(&r, NULL) == 0, "nanosleep 1 ms");
	clock_gettime(CLOCK_MONOTONIC, &b);
	check(b.tv_sec > a.tv_sec || (b.tv_sec == a.tv_sec && b.tv_nsec > a.tv_nsec),
	      "monotonic time advances");
	check(clock_gettime(CLOCK_REALTIME, &a) == 0 && a.tv_sec > 1600000000, "realtime is now");
	check_errno(syscall(SYS_clock_gettime, 99, &a), EINVAL, "clock_gettime of clock 99");
	check_errno(syscall(SYS_clock_gettime, CLOCK_REALTIME, (void *)16), EFAULT,
		    "clock_gettime into a bad buffer");
	check(syscall(SYS_getrandom, buf, sizeof(buf), 0) == 64 &&
	      memcmp(buf, buf + 32, 32), "getrandom 64 bytes");
	check_errno(syscall(SYS_getrandom, (void *)16, 8, 0), EFAULT, "getrandom into a bad buffer");
	check_errno(syscall(SYS_getrandom, buf, 8, 0x100), EINVAL, "getrandom with bad flags");
}

static void test_misc(void)
{
	struct { uint32_t version; int pid; } h = { 0x20080522, 0 };
	struct { uint32_t eff, perm, inh; } d[2];
	unsigned long fs;

	check(syscall(SYS_arch_prctl, 0x1003, &fs) == 0 && fs != 0, "arch_prctl ARCH_GET_FS");
	check_errno(syscall(SYS_arch_prctl, 0x9999, 0), EINVAL, "arch_prctl with a bad code");
	check_errno(syscall(SYS_rseq, 0, 0, 0, 0), ENOSYS, "rseq is not offered");
	check_errno(syscall(SYS_ioctl, 1, 0x5401, &fs), ENOTTY, "ioctl TCGETS on stdout");
	check_errno(syscall(SYS_ioctl, 1, 0x5413, &fs), ENOTTY, "ioctl TIOCGWINSZ on stdout");
	check_errno(syscall(SYS_ioctl, 99, 0x5401, &fs), EBADF, "ioctl on a closed fd");
	check_errno(syscall(SYS_swapoff, "/x"), ENOSYS, "unimplemented syscall (swapoff)");
	unsigned long old_action[4];
	check(syscall(SYS_rt_sigaction, 2, NULL, old_action, 8) == 0,
	      "rt_sigaction query is accepted");
	check_errno(syscall(SYS_rt_sigaction, 9, &h, NULL, 8), EINVAL, "rt_sigaction on SIGKILL");
	check_errno(syscall(SYS_rt_sigaction, 2, (void *)8, NULL, 8), EFAULT,
		    "rt_sigaction with a bad action");
	check_errno(syscall(SYS_rt_sigprocmask, 0, (void *)8, NULL, 8), EFAULT,
		    "rt_sigprocmask with a bad set");
	check(syscall(SYS_capget, &h, d) == 0 && (d[0].eff >> 16 & 1), "CAP_SYS_MODULE at start");
	d[0].eff &= ~(1u << 16);
	check(syscall(SYS_capset, &h, d) == 0, "capset drops CAP_SYS_MODULE from effective");
	d[0].eff |= 1u << 16;
	check(syscall(SYS_capset, &h, d) == 0, "capset raises it again (still permitted)");
	d[0].perm &= ~(1u << 16);
	d[0].eff &= ~(1u << 16);
	check(syscall(SYS_capset, &h, d) == 0, "capset drops it from permitted");
	d[0].perm |= 1u << 16;
	check_errno(syscall(SYS_capset, &h, d), EPERM, "capset cannot raise permitted");
	check_errno(syscall(SYS_capget, (void *)8, d), EFAULT, "capget with a bad header");
}

static void test_exec(char **argv)
{
	char *bad_argv[] = { "mv-user", (char *)8, NULL };
	char count[16];
	char *args[] = { "mv-user", "--execed", "two words", count, NULL };
	char *env[] = { "MV_EXEC=1", NULL };

	check_errno(syscall(SYS_execve, "/no/such/file", args, env), ENOENT, "execve of a missing file");
	check_errno(syscall(SYS_execve, "/etc/passwd", args, env), EACCES, "execve of a non-executable");
	check_errno(syscall(SYS_execve, (void *)8, args, env), EFAULT, "execve with a bad path");
	check_errno(syscall(SYS_execve, "/proc/self/exe", bad_argv, env), EFAULT,
		    "execve with a bad argv string");
	fflush(stdout);
	check_errno(syscall(SYS_execve, argv[0], args, env), ENOENT,
		    "execve does not search PATH (argv[0] is a bare name)");
	snprintf(count, sizeof(count), "%d", failures);  /* carried across exec */
	fflush(stdout);
	execve("/proc/self/exe", args, env);
	check(0, "execve of /proc/self/exe");
}

int main(int argc, char **argv)
{
	if (argc == 1 && !strcmp(argv[0], "") && getenv("MV_EMPTY_ARGV")) {
		printf("mv-user: empty argv became one empty string\n");
		return 0;
	}
	if (argc == 4 && !strcmp(argv[1], "--execed")) {
		failures = atoi(argv[3]);
		check(!strcmp(argv[2], "two words") && getenv("MV_EXEC") &&
		      !getenv("PATH"), "execve passed argv and envp");
		printf("mv-user: %s\n", failures ? "FAILED" : "all passed");
		if (failures)
			return 1;
		/* Last: an empty argv (Linux turns it into { "" }). */
		char *no_args[] = { NULL }, *env2[] = { "MV_EMPTY_ARGV=1", NULL };
		fflush(stdout);
		execve("/proc/self/exe", no_args, env2);
		return 1;
	}
	test_identity();
	test_auxv(argv);
	test_memory();
	test_file_mmap();
	test_time_random();
	test_misc();
	test_exec(argv);
	return 1;
}
