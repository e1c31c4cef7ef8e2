/*
 * mv-dyn.c: a dynamically linked program (glibc, libmvdyn.so) that checks what
 * the guest kernel gives the dynamic linker: the auxv, RELRO, the stack's NX,
 * file mmap (offsets, PROT_EXEC, copy-on-write, MAP_FIXED, MAP_FIXED_NOREPLACE,
 * partial munmap, mprotect), dlopen, /proc/self/exe, uname, statx with
 * AT_EMPTY_PATH, O_PATH, futex, getrandom, xattrs (none, as Linux's ramfs) and
 * socket (no families).  Prints one TAP line per check.
 */
#include <dlfcn.h>
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <link.h>
#include <linux/futex.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/socket.h>
#include <sys/utsname.h>
#include <sys/xattr.h>
#include <unistd.h>

#ifndef AT_MINSIGSTKSZ
#define AT_MINSIGSTKSZ 51
#endif

int mvdyn_answer(int x);

static int failed;
static sigjmp_buf jb;
static const int relro_probe = 1;       /* a const the linker may put in RELRO: not used */
static int *const relro_ptr = &failed;  /* a relocated pointer: .data.rel.ro, inside RELRO */

static void check(int ok, const char *what)
{
	printf("%sok - %s\n", ok ? "" : "not ", what);
	failed |= !ok;
}

static void on_segv(int sig)
{
	siglongjmp(jb, sig);
}

/* faults(p, write): does touching p (a read, or a write) raise SIGSEGV? */
static int faults(volatile char *p, int write)
{
	int sig = sigsetjmp(jb, 1);

	if (sig)
		return 1;
	if (write)
		*p = 1;
	else
		(void)*p;
	return 0;
}

struct relro { uintptr_t lo, hi; };

static int find_relro(struct dl_phdr_info *info, size_t size, void *data)
{
	struct relro *r = data;

	(void)size;
	if (info->dlpi_name[0])         /* the program is the first, with an empty name */
		return 0;
	for (int i = 0; i < info->dlpi_phnum; i++)
		if (info->dlpi_phdr[i].p_type == PT_GNU_RELRO) {
			r->lo = info->dlpi_addr + info->dlpi_phdr[i].p_vaddr;
			r->hi = r->lo + info->dlpi_phdr[i].p_memsz;
		}
	return 1;
}

static void auxv_checks(const char *argv0)
{
	extern char _start[];
	const char *execfn = (const char *)getauxval(AT_EXECFN);
	const char *plat = (const char *)getauxval(AT_PLATFORM);

	check(getauxval(AT_BASE) != 0 && getauxval(AT_BASE) % 4096 == 0,
	      "auxv: AT_BASE is the dynamic linker's page-aligned base");
	check(getauxval(AT_ENTRY) == (unsigned long)_start, "auxv: AT_ENTRY is the program's _start");
	check(getauxval(AT_PHENT) == sizeof(Elf64_Phdr) && getauxval(AT_PHNUM) > 0 &&
	      ((Elf64_Phdr *)getauxval(AT_PHDR))->p_type == PT_PHDR,
	      "auxv: AT_PHDR, AT_PHENT, AT_PHNUM name the program headers");
	check(getauxval(AT_PAGESZ) == 4096 && getauxval(AT_CLKTCK) == 100, "auxv: AT_PAGESZ, AT_CLKTCK");
	check(getauxval(AT_UID) == getuid() && getauxval(AT_EUID) == geteuid() &&
	      getauxval(AT_GID) == getgid() && getauxval(AT_EGID) == getegid() &&
	      getauxval(AT_SECURE) == 0, "auxv: AT_UID, AT_EUID, AT_GID, AT_EGID, AT_SECURE");
	check(getauxval(AT_RANDOM) != 0 && getauxval(AT_HWCAP) != 0, "auxv: AT_RANDOM, AT_HWCAP");
	check(plat && !strcmp(plat, "x86_64"), "auxv: AT_PLATFORM is x86_64");
	check(execfn && !strcmp(execfn, argv0), "auxv: AT_EXECFN is the exec path");
	check(getauxval(AT_MINSIGSTKSZ) == 1040, "auxv: AT_MINSIGSTKSZ is the kernel's signal frame size");
}

static void relro_stack_checks(void)
{
	struct relro r = { 0 };
	char line[256];
	FILE *maps = fopen("/proc/self/maps", "r");
	int stack_nx = 0;

	dl_iterate_phdr(find_relro, &r);
	check(r.lo && (uintptr_t)&relro_ptr >= r.lo && (uintptr_t)&relro_ptr < r.hi,
	      "RELRO: the program has a PT_GNU_RELRO holding its relocated pointer");
	check(*relro_ptr == 0 && faults((volatile char *)&relro_ptr, 1),
	      "RELRO: ld.so made it read-only (mprotect of a file mapping): a write faults");
	while (maps && fgets(line, sizeof(line), maps))
		if (strstr(line, "[stack]"))
			stack_nx = strstr(line, " rw-p ") != NULL;
	if (maps)
		fclose(maps);
	check(stack_nx, "PT_GNU_STACK without X: the stack is rw-, not executable");
	(void)relro_probe;
}

/* A file of 3 pages: page i is filled with 'a' + i. */
static int make_file(const char *path)
{
	char page[4096];
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);

	for (int i = 0; fd >= 0 && i < 3; i++) {
		memset(page, 'a' + i, sizeof(page));
		if (write(fd, page, sizeof(page)) != sizeof(page))
			return -1;
	}
	return fd;
}

static void mmap_checks(void)
{
	static const unsigned char code[] = { 0xb8, 42, 0, 0, 0, 0xc3 };   /* mov $42, %eax; ret */
	int fd = make_file("/tmp/mv-dyn.dat"), cfd;
	char *p, *q, c = 0;

	p = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, fd, 8192);
	check(p != MAP_FAILED && p[0] == 'c' && p[4095] == 'c', "mmap: a file at page offset 2");
	q = mmap(NULL, 3 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	check(q != MAP_FAILED && q[4096] == 'b', "mmap: MAP_PRIVATE read-write");
	q[4096] = 'X';
	check(pread(fd, &c, 1, 4096) == 1 && c == 'b' && q[4096] == 'X',
	      "mmap: a write to MAP_PRIVATE is private (copy-on-write: the file keeps its byte)");
	check(mmap(q + 4096, 4096, PROT_READ, MAP_PRIVATE | MAP_FIXED_NOREPLACE, fd, 0) == MAP_FAILED &&
	      errno == EEXIST, "mmap: MAP_FIXED_NOREPLACE over a mapping: EEXIST");
	check(mmap(q + 4096, 4096, PROT_READ, MAP_PRIVATE | MAP_FIXED, fd, 0) == q + 4096 &&
	      q[4096] == 'a' && q[0] == 'a' && q[8192] == 'c', "mmap: MAP_FIXED replaces one page");
	check(munmap(q + 4096, 4096) == 0 && faults(q + 4096, 0) && !faults(q, 0) && !faults(q + 8192, 0),
	      "munmap: the middle page only");
	check(mprotect(q, 4096, PROT_NONE) == 0 && faults(q, 0) && mprotect(q, 4096, PROT_READ) == 0 &&
	      q[0] == 'a', "mprotect: a file mapping to PROT_NONE and back");
	cfd = open("/tmp/mv-dyn.code", O_RDWR | O_CREAT | O_TRUNC, 0755);
	check(cfd >= 0 && write(cfd, code, sizeof(code)) == sizeof(code), "mmap: write the code file");
	p = mmap(NULL, 4096, PROT_READ | PROT_EXEC, MAP_PRIVATE, cfd, 0);
	check(p != MAP_FAILED && ((int (*)(void))p)() == 42, "mmap: PROT_EXEC file mapping runs");
	close(cfd);
	close(fd);
}

static void misc_checks(const char *argv0)
{
	char buf[256];
	struct utsname u;
	struct statx stx;
	struct stat st;
	struct rlimit rl;
	uint32_t word = 5;
	void *h = dlopen("libmvdyn.so", RTLD_NOW);
	int (*f)(int) = h ? (int (*)(int))dlsym(h, "mvdyn_answer") : NULL;
	ssize_t n = readlink("/proc/self/exe", buf, sizeof(buf) - 1);
	int fd = open(argv0, O_PATH);

	check(mvdyn_answer(7) == 42, "DT_NEEDED: libmvdyn.so's code runs");
	check(f && f(1) == 36, "dlopen and dlsym of libmvdyn.so");
	check(n > 0 && (buf[n] = 0, !strcmp(buf, argv0)), "readlink /proc/self/exe");
	check(uname(&u) == 0 && !strcmp(u.release, "6.1.0-modvisor"), "uname: release 6.1.0-modvisor");
	check(fd >= 0 && statx(fd, "", AT_EMPTY_PATH, STATX_SIZE, &stx) == 0 && stx.stx_size > 0 &&
	      fstatat(fd, "", &st, AT_EMPTY_PATH) == 0 && (uint64_t)st.st_size == stx.stx_size,
	      "openat O_PATH, statx and newfstatat with AT_EMPTY_PATH");
	check(read(fd, buf, 1) == -1 && errno == EBADF, "O_PATH: read is EBADF");
	check(syscall(SYS_futex, &word, FUTEX_WAIT_PRIVATE, 4, NULL) == -1 && errno == EAGAIN &&
	      syscall(SYS_futex, &word, FUTEX_WAKE_PRIVATE, 1) == 0, "futex: WAIT on a changed word, WAKE");
	check(getrandom(buf, 16, 0) == 16, "getrandom");
	check(prlimit(0, RLIMIT_STACK, NULL, &rl) == 0 && rl.rlim_cur > 0, "prlimit64 RLIMIT_STACK");
	if (h)
		dlclose(h);
	close(fd);
}

/* What coreutils' ls -l and glibc's nscd client ask: the answers of a Linux without them. */
static void xattr_socket_checks(void)
{
	char v[64];

	check(getxattr("/etc/passwd", "security.selinux", v, sizeof(v)) == -1 && errno == EOPNOTSUPP &&
	      lgetxattr("/etc/passwd", "system.posix_acl_access", v, sizeof(v)) == -1 &&
	      errno == EOPNOTSUPP, "getxattr, lgetxattr: EOPNOTSUPP (the ramfs has no xattrs)");
	check(getxattr("/nonexistent", "user.x", v, sizeof(v)) == -1 && errno == ENOENT,
	      "getxattr of a missing file: ENOENT");
	check(getxattr("/etc/passwd", "", v, sizeof(v)) == -1 && errno == ERANGE,
	      "getxattr with an empty name: ERANGE");
	check(listxattr("/etc/passwd", v, sizeof(v)) == 0, "listxattr: an empty list");
	check(setxattr("/etc/passwd", "user.x", "1", 1, 4) == -1 && errno == EINVAL &&
	      setxattr("/etc/passwd", "user.x", "1", 1, 0) == -1 && errno == EOPNOTSUPP,
	      "setxattr: bad flags EINVAL, else EOPNOTSUPP");
	check(socket(AF_UNIX, SOCK_STREAM, 0) == -1 && errno == EAFNOSUPPORT,
	      "socket(AF_UNIX): EAFNOSUPPORT (no network, no AF_UNIX)");
}

int main(int argc, char **argv)
{
	struct sigaction sa = { .sa_handler = on_segv };

	(void)argc;
	sigaction(SIGSEGV, &sa, NULL);
	auxv_checks(argv[0]);
	relro_stack_checks();
	mmap_checks();
	misc_checks(argv[0]);
	xattr_socket_checks();
	return failed;
}
