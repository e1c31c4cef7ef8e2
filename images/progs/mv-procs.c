/* mv-procs.c: checks of the guest's processes, pipes and signals (fork, exec, wait, pipes, poll, signals), one "ok -" line each. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <setjmp.h>
#include <signal.h>
#include <spawn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <grp.h>
#include <linux/futex.h>
#include <sched.h>
#include <sys/mman.h>
#include <sys/select.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "mv-check.h"

extern char **environ;
/* Fork a child that runs fn and exits with its result; returns the wait status. */
static int run_child(int (*fn)(void))
{
	int ws = -1;
	pid_t pid = fork();

	if (pid == 0)
		_exit(fn());
	if (pid < 0 || waitpid(pid, &ws, 0) != pid)
		return -1;
	return ws;
}

static volatile int cow_value = 1;
static int child_cow(void) { cow_value = 2; return cow_value == 2 ? 7 : 1; }

static void test_fork_cow(void)
{
	int ws = run_child(child_cow);
	size_t big = 32u << 20;
	char *heap = malloc(big);

	check(WIFEXITED(ws) && WEXITSTATUS(ws) == 7, "fork: child exit status 7 through wait4");
	check(cow_value == 1, "fork: the child's write is its own (copy-on-write)");
	memset(heap, 'p', big);
	pid_t pid = fork();
	if (pid == 0) {
		memset(heap, 'c', big);             /* copies every page */
		_exit(heap[big - 1] == 'c' ? 0 : 1);
	}
	waitpid(pid, &ws, 0);
	check(WIFEXITED(ws) && WEXITSTATUS(ws) == 0 && heap[0] == 'p' && heap[big - 1] == 'p',
	      "fork: a 32 MiB heap written by the child stays the parent's");
	free(heap);
}

static void test_shared_anon(void)
{
	volatile int *shared = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
				    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	volatile int *priv = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
				  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	int ws;

	*shared = 1;
	*priv = 1;
	pid_t pid = fork();
	if (pid == 0) {
		*shared = 42;
		*priv = 42;
		_exit(0);
	}
	waitpid(pid, &ws, 0);
	check(*shared == 42, "MAP_SHARED|MAP_ANONYMOUS: the child's write reaches the parent");
	check(*priv == 1, "MAP_PRIVATE|MAP_ANONYMOUS: the child's write does not");
	check(msync((void *)shared, 4096, MS_SYNC) == 0, "msync of a shared mapping");
}

static void test_exec(void)
{
	int ws, fds[2];
	pid_t pid;
	char fdarg[16];

	pid = fork();
	if (pid == 0) {
		execl("/bin/sh", "sh", "-c", "exit 5", (char *)NULL);
		_exit(99);
	}
	waitpid(pid, &ws, 0);
	check(WIFEXITED(ws) && WEXITSTATUS(ws) == 5, "execve from a forked child (sh -c 'exit 5')");

	check(pipe2(fds, O_CLOEXEC) == 0, "pipe2(O_CLOEXEC)");
	snprintf(fdarg, sizeof(fdarg), "%d", fds[1]);
	pid = fork();
	if (pid == 0) {
		execl("/bin/mv-procs", "mv-procs", "--fd-closed", fdarg, (char *)NULL);
		_exit(99);
	}
	waitpid(pid, &ws, 0);
	check(WIFEXITED(ws) && WEXITSTATUS(ws) == 0, "execve closes O_CLOEXEC fds");
	close(fds[0]);
	close(fds[1]);

	int fd = open("/tmp/mv-procs-script", O_CREAT | O_WRONLY | O_TRUNC, 0755);
	check(fd >= 0 && write(fd, "#!/bin/sh\nexit $1\n", 18) == 18 && close(fd) == 0,
	      "write a #!/bin/sh script");
	pid = fork();
	if (pid == 0) {
		execl("/tmp/mv-procs-script", "mv-procs-script", "9", (char *)NULL);
		_exit(99);
	}
	waitpid(pid, &ws, 0);
	check(WIFEXITED(ws) && WEXITSTATUS(ws) == 9, "a #! script runs directly from a child");

	pid = vfork();
	if (pid == 0)
		_exit(11);
	waitpid(pid, &ws, 0);
	check(WIFEXITED(ws) && WEXITSTATUS(ws) == 11, "vfork + _exit");

	char *argv[] = { "sh", "-c", "exit 13", NULL };
	check(posix_spawn(&pid, "/bin/sh", NULL, NULL, argv, environ) == 0 &&
	      waitpid(pid, &ws, 0) == pid && WIFEXITED(ws) && WEXITSTATUS(ws) == 13,
	      "posix_spawn (clone with CLONE_VM|CLONE_VFORK)");
	static char stack[4096];
	check_errno(syscall(SYS_clone, CLONE_VM | SIGCHLD, stack + sizeof(stack), 0, 0, 0),
		    ENOSYS, "clone(CLONE_VM) without CLONE_VFORK (a thread)");
}

/*
 * exec maps the pages a program's file fills wholly from the file itself,
 * shared (docs/guest-kernel.md, "exec"): these live in such pages, and
 * whatever a process does to its copy must never reach the file or the
 * next exec of it.  data_pages is initialized data (three pages in .data,
 * the file's bytes), ro_page a read-only page of .rodata.
 */
static volatile char data_pages[3 * 4096] __attribute__((aligned(4096))) = { 'D' };
static const uint32_t ro_page[1024] __attribute__((aligned(4096))) = { 0x5eed0001 };
static const char exec_mark[] = "exec-mark-0";
/* ro_page[0] as memory holds it (the compiler would fold a const). */
#define RO_WORD (*(volatile const uint32_t *)ro_page)

/* The function whose text page a test makes writable and changes. */
__attribute__((noinline, aligned(64))) static int text_probe(void)
{
	return 0x1234;
}

/* mv-procs --pristine BYTE: this image is the file's (exit 0), whatever an earlier process did to its copy. */
static int exec_pristine(const char *byte)
{
	return data_pages[0] == 'D' && data_pages[4096 + 5] == 0 && RO_WORD == 0x5eed0001 &&
	       *(volatile unsigned char *)text_probe == (unsigned char)strtoul(byte, NULL, 0) ? 0 : 1;
}

/* mv-procs --unlink-self: run on while the file is gone, write, fork (the pages outlive the file). */
static int exec_unlink_self(const char *self)
{
	int ws;
	pid_t pid;

	if (unlink(self))
		return 2;
	data_pages[4096] = 'U';
	pid = fork();
	if (pid == 0)
		_exit(data_pages[4096] == 'U' && (data_pages[8191] = 'c') == 'c' ? 0 : 3);
	return pid > 0 && waitpid(pid, &ws, 0) == pid && WIFEXITED(ws) && !WEXITSTATUS(ws) &&
	       data_pages[8191] == 0 ? 0 : 4;
}

/* The bytes of the [stack] line of /proc/self/maps, or 0. */
static unsigned long stack_span(void)
{
	char line[256];
	unsigned long lo, hi, span = 0;
	FILE *maps = fopen("/proc/self/maps", "r");

	while (maps && fgets(line, sizeof(line), maps))
		if (strstr(line, "[stack]") && sscanf(line, "%lx-%lx", &lo, &hi) == 2)
			span = hi - lo;
	if (maps)
		fclose(maps);
	return span;
}

/* Touch the stack depth bytes below here, a page at a time; their sum. */
__attribute__((noinline)) static unsigned long stack_touch(size_t depth)
{
	volatile char *p = __builtin_alloca(depth);
	unsigned long sum = 0;

	for (size_t i = 0; i < depth; i += 4096)
		p[i] = 1;
	for (size_t i = 0; i < depth; i += 4096)
		sum += p[i];
	return sum;
}

/*
 * mv-procs --stack: exec mapped only the stack pages its arguments fill
 * (Linux's stack is populated as touched too), and the rest arrives as
 * it is touched, 1 MiB deep here.  Exit 0, 1 (too much mapped at the
 * start) or 2 (the deep touch went wrong).
 */
static int exec_stack(void)
{
	unsigned long start = stack_span();

	if (!start || start >= 64 * 1024)
		return 1;
	return stack_touch(1 << 20) == 256 && stack_span() > (1 << 20) ? 0 : 2;
}

/* Run path with args (NULL-terminated) in a child; its wait status. */
static int run_exec(const char *path, char *const argv[])
{
	int ws = -1;
	pid_t pid = fork();

	if (pid == 0) {
		execv(path, argv);
		_exit(99);
	}
	if (pid < 0 || waitpid(pid, &ws, 0) != pid)
		return -1;
	return ws;
}

/* Copy /bin/mv-procs to path (mode 0755); 0 on success. */
static int copy_self(const char *path)
{
	static char buf[65536];
	int in = open("/bin/mv-procs", O_RDONLY), out;
	ssize_t n;

	out = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0755);
	if (in < 0 || out < 0)
		return -1;
	while ((n = read(in, buf, sizeof(buf))) > 0)
		if (write(out, buf, (size_t)n) != n)
			return -1;
	close(in);
	return close(out) || n < 0 ? -1 : 0;
}

/* The file offset of exec_mark's last byte in path, or -1. */
static off_t mark_offset(const char *path)
{
	static char buf[1 << 20];
	int fd = open(path, O_RDONLY);
	ssize_t n = fd < 0 ? -1 : read(fd, buf, sizeof(buf));

	if (fd >= 0)
		close(fd);
	for (ssize_t i = 0; i + (ssize_t)sizeof(exec_mark) <= n; i++)
		if (!memcmp(buf + i, exec_mark, sizeof(exec_mark)))
			return i + (off_t)sizeof(exec_mark) - 2;
	return -1;
}

static void test_exec_pages(void)
{
	char byte[8], *pristine[] = { "mv-procs", "--pristine", byte, NULL };
	char *unlink_self[] = { "/tmp/mv-procs-gone", "--unlink-self", NULL };
	char *mark[] = { "mv-procs", "--mark", NULL };
	char *stack[] = { "mv-procs", "--stack", NULL };
	unsigned char *text = (unsigned char *)text_probe;
	void *text_page = (void *)((uintptr_t)text & ~(uintptr_t)4095);
	unsigned char orig = *text;
	uint32_t parent_ro = RO_WORD;
	int ws, fd;
	off_t at = -1;

	snprintf(byte, sizeof(byte), "%u", orig);
	data_pages[0] = 'Y';
	data_pages[4096 + 5] = 'X';
	check(data_pages[0] == 'Y' && data_pages[4096 + 5] == 'X',
	      "exec'd pages: a write to initialized data (the file's page) sticks");
	check(mprotect(text_page, 4096, PROT_READ | PROT_WRITE | PROT_EXEC) == 0 &&
	      (*(volatile unsigned char *)text = orig ^ 0xff) == (unsigned char)(orig ^ 0xff) &&
	      mprotect(text_page, 4096, PROT_READ | PROT_EXEC) == 0,
	      "exec'd pages: mprotect(PROT_WRITE) of text, then a write to it");
	ws = (int)syscall(SYS_clone, SIGCHLD | CLONE_CHILD_SETTID, 0, NULL, &ro_page[0], 0);
	if (ws == 0)
		_exit(RO_WORD == 0x5eed0001 ? 0 : 1);
	check(ws > 0 && waitpid(ws, &ws, 0) > 0 && WIFEXITED(ws) && WEXITSTATUS(ws) == 0 &&
	      RO_WORD == parent_ro,
	      "CLONE_CHILD_SETTID on a read-only page stores nothing (as Linux's put_user)");
	ws = run_exec("/bin/mv-procs", pristine);
	check(WIFEXITED(ws) && WEXITSTATUS(ws) == 0,
	      "exec'd pages: the next exec of the file sees none of those writes");

	ws = run_exec("/bin/mv-procs", stack);
	check(WIFEXITED(ws) && WEXITSTATUS(ws) == 0,
	      "exec maps the stack pages its arguments fill; the rest arrive as touched (1 MiB)");

	check(copy_self("/tmp/mv-procs-gone") == 0, "copy mv-procs to /tmp");
	ws = run_exec("/tmp/mv-procs-gone", unlink_self);
	check(WIFEXITED(ws) && WEXITSTATUS(ws) == 0,
	      "exec'd pages: a program unlinks its own file, writes, forks and exits");

	check(copy_self("/tmp/mv-procs-mark") == 0 && (at = mark_offset("/tmp/mv-procs-mark")) > 0,
	      "copy mv-procs to /tmp, find its mark");
	ws = run_exec("/tmp/mv-procs-mark", mark);
	check(WIFEXITED(ws) && WEXITSTATUS(ws) == 0, "exec'd pages: the copy runs with mark 0");
	fd = open("/tmp/mv-procs-mark", O_WRONLY);
	check(fd >= 0 && pwrite(fd, "7", 1, at) == 1 && close(fd) == 0,
	      "write the executed file in place (nobody runs it)");
	ws = run_exec("/tmp/mv-procs-mark", mark);
	check(WIFEXITED(ws) && WEXITSTATUS(ws) == 7,
	      "exec'd pages: the next exec sees the file's new bytes");
	unlink("/tmp/mv-procs-mark");
}

/*
 * A private file mapping gets the file's own pages (copy-on-write), as exec
 * does: it keeps the bytes it was given when the file is written, truncated
 * or unlinked and its memory reused, and a write through it stays its own.
 */
static void test_mmap_file_pages(void)
{
	enum { LEN = 3 * 4096 + 100 };
	static char want[LEN], got[LEN];
	int fd = open("/tmp/mv-map", O_RDWR | O_CREAT | O_TRUNC, 0644);
	char *m, *w, *fresh, *junk;
	size_t big = 16u << 20;

	for (int i = 0; i < LEN; i++)
		want[i] = (char)('a' + i % 23);
	check(fd >= 0 && write(fd, want, LEN) == LEN, "write a 3-page file");
	m = mmap(NULL, LEN, PROT_READ, MAP_PRIVATE, fd, 0);
	w = mmap(NULL, LEN, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	check(m != MAP_FAILED && w != MAP_FAILED && !memcmp(m, want, LEN) && !memcmp(w, want, LEN),
	      "mmap(MAP_PRIVATE) of a file: its bytes");
	w[4096 + 7] = '!';
	check(pread(fd, got, LEN, 0) == LEN && !memcmp(got, want, LEN) && m[4096 + 7] == want[4096 + 7],
	      "a write through a MAP_PRIVATE file mapping stays in it (not the file, not another mapping)");
	check(pwrite(fd, "XYZ", 3, 4096) == 3 && pread(fd, got, 3, 4096) == 3 &&
	      !memcmp(got, "XYZ", 3) && !memcmp(m, want, LEN),
	      "MAP_PRIVATE file mapping: a later write(2) to the file reaches the file, not the mapping");
	fresh = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, fd, 4096);
	check(fresh != MAP_FAILED && !memcmp(fresh, "XYZ", 3),
	      "... and a new mapping has the new bytes");
	check(ftruncate(fd, 0) == 0 && close(fd) == 0 && unlink("/tmp/mv-map") == 0,
	      "truncate, close and unlink the mapped file");
	junk = malloc(big);
	if (junk)
		memset(junk, 0x5a, big);        /* the allocator hands out what was freed */
	check(junk && !memcmp(m, want, LEN) && w[4096 + 7] == '!',
	      "the mappings keep their pages after the file and its memory are gone");
	free(junk);
	munmap(m, LEN);
	munmap(w, LEN);
	munmap(fresh, 4096);
}

static volatile int *volatile bad_ptr;
static int child_segv(void) { bad_ptr = (int *)8; *bad_ptr = 1; return 0; }
static int child_kill9(void) { kill(getpid(), SIGKILL); return 0; }

static void test_wait(void)
{
	int ws = run_child(child_segv);
	siginfo_t si;

	check(WIFSIGNALED(ws) && WTERMSIG(ws) == SIGSEGV && WCOREDUMP(ws),
	      "wait4: killed by SIGSEGV, core bit");
	ws = run_child(child_kill9);
	check(WIFSIGNALED(ws) && WTERMSIG(ws) == SIGKILL && !WCOREDUMP(ws),
	      "wait4: killed by SIGKILL");
	check_errno(waitpid(-1, &ws, 0), ECHILD, "wait4 with no children");
	check_errno(waitid(P_ALL, 0, &si, WEXITED), ECHILD, "waitid with no children");
	check_errno(waitpid(-1, &ws, 0x100), EINVAL, "wait4 with an unknown option");
	check_errno(waitid(P_ALL, 0, &si, 0), EINVAL, "waitid without WEXITED/WSTOPPED");

	int fds[2];
	pipe(fds);
	pid_t pid = fork();
	if (pid == 0) {
		char c;
		close(fds[1]);
		read(fds[0], &c, 1);
		_exit(21);
	}
	memset(&si, 0xff, sizeof(si));
	check(waitid(P_PID, pid, &si, WEXITED | WNOHANG) == 0 && si.si_pid == 0,
	      "waitid WNOHANG with a running child: 0, si_pid 0");
	check(waitpid(pid, &ws, WNOHANG) == 0, "wait4 WNOHANG with a running child: 0");
	close(fds[1]);
	close(fds[0]);
	check(waitid(P_PID, pid, &si, WEXITED | WNOWAIT) == 0 && si.si_pid == pid &&
	      si.si_code == CLD_EXITED && si.si_status == 21 && si.si_signo == SIGCHLD,
	      "waitid WNOWAIT: CLD_EXITED, status 21");
	check(waitpid(pid, &ws, 0) == pid && WEXITSTATUS(ws) == 21,
	      "the child is still there after WNOWAIT");

	/* Orphans: a grandchild whose parent exits goes to pid 1 (or the kernel). */
	pipe(fds);
	pid = fork();
	if (pid == 0) {
		if (fork() == 0) {
			char c;
			close(fds[1]);
			read(fds[0], &c, 1);            /* wait until the parent is gone */
			_exit(getppid() == (getpid() > 1 ? 1 : 0) ? 0 : 31);
		}
		_exit(0);
	}
	waitpid(pid, &ws, 0);
	close(fds[0]);
	close(fds[1]);
	if (getpid() == 1) {
		pid_t g = waitpid(-1, &ws, 0);
		check(g > 0 && WIFEXITED(ws) && WEXITSTATUS(ws) == 0,
		      "an orphan goes to pid 1 (getppid 1) and pid 1 reaps it");
	} else {
		check(1, "an orphan goes to pid 1 (skipped: not pid 1)");
	}
	check(getppid() >= 0 && getpgid(0) > 0 && getsid(0) > 0, "getppid, getpgid, getsid");
	pid = fork();
	if (pid == 0)
		_exit(setpgid(0, 0) == 0 && getpgid(0) == getpid() && getppid() > 0 ? 0 : 1);
	waitpid(pid, &ws, 0);
	check(WIFEXITED(ws) && WEXITSTATUS(ws) == 0, "setpgid(0, 0) in a child");
	check_errno(setpgid(99999, 0), ESRCH, "setpgid of a stranger");
}

static void test_pipes(void)
{
	int fds[2], n = 0;
	char buf[8192];
	long total = 0, w;

	check(pipe2(fds, O_NONBLOCK) == 0, "pipe2(O_NONBLOCK)");
	memset(buf, 'x', sizeof(buf));
	while ((w = write(fds[1], buf, 1000)) > 0)
		total += w;
	check(w == -1 && errno == EAGAIN, "a full non-blocking pipe: EAGAIN");
	while ((w = write(fds[1], buf, 1)) > 0)
		total += w;
	check(total == 65536, "the pipe holds Linux's 64 KiB");
	check(read(fds[0], buf, 300) == 300, "read 300 bytes back");
	check_errno(write(fds[1], buf, 400), EAGAIN,
		    "a write of <= PIPE_BUF bytes that does not fit whole");
	w = write(fds[1], buf, 8192);
	check(w > 0 && w < 8192, "a write of > PIPE_BUF bytes goes in partly");
	while (read(fds[0], buf, sizeof(buf)) > 0)
		n++;
	check_errno(read(fds[0], buf, 1), EAGAIN, "read of an empty non-blocking pipe");
	close(fds[1]);
	check(read(fds[0], buf, 1) == 0, "read with every writer closed: end of file");
	close(fds[0]);

	pipe(fds);
	close(fds[0]);
	signal(SIGPIPE, SIG_IGN);
	check_errno(write(fds[1], "a", 1), EPIPE, "write with no reader");
	signal(SIGPIPE, SIG_DFL);
	pid_t pid = fork();
	int ws;
	if (pid == 0) {
		write(fds[1], "a", 1);
		_exit(0);
	}
	waitpid(pid, &ws, 0);
	check(WIFSIGNALED(ws) && WTERMSIG(ws) == SIGPIPE, "SIGPIPE kills a writer with no reader");
	close(fds[1]);

	check(pipe(fds) == 0, "pipe");
	check(fcntl(fds[0], F_GETFL) == O_RDONLY && fcntl(fds[1], F_GETFL) == O_WRONLY,
	      "F_GETFL of the ends");
	check(fcntl(fds[0], F_SETFL, O_NONBLOCK) == 0 &&
	      (fcntl(fds[0], F_GETFL) & O_NONBLOCK), "F_SETFL O_NONBLOCK");
	int d = fcntl(fds[1], F_DUPFD, 50);
	check(d >= 50, "F_DUPFD >= 50");
	check(dup2(d, d) == d, "dup2(fd, fd) returns fd");
	check_errno(dup3(d, d, 0), EINVAL, "dup3(fd, fd)");
	check_errno(dup2(d, -1), EBADF, "dup2 to -1");
	close(d);

	struct pollfd p[2] = { { fds[0], POLLIN, 0 }, { fds[1], POLLOUT, 0 } };
	check(poll(p, 1, 0) == 0, "poll of an empty pipe: 0");
	check(poll(p + 1, 1, 0) == 1 && (p[1].revents & POLLOUT), "poll: the write end is POLLOUT");
	write(fds[1], "z", 1);
	check(poll(p, 1, 100) == 1 && (p[0].revents & POLLIN), "poll: POLLIN after a write");
	fd_set rs;
	struct timeval tv = { 0, 0 };
	FD_ZERO(&rs);
	FD_SET(fds[0], &rs);
	check(select(fds[0] + 1, &rs, NULL, NULL, &tv) == 1 && FD_ISSET(fds[0], &rs),
	      "select: readable");
	read(fds[0], buf, 1);
	FD_SET(fds[0], &rs);
	check(select(fds[0] + 1, &rs, NULL, NULL, &tv) == 0, "select: not readable when empty");
	close(fds[1]);
	check(poll(p, 1, 0) == 1 && (p[0].revents & POLLHUP), "poll: POLLHUP with no writer");
	FD_ZERO(&rs);
	FD_SET(100, &rs);
	check_errno(select(101, &rs, NULL, NULL, &tv), EBADF, "select of a closed fd");
	close(fds[0]);
	struct pollfd bad = { 77, POLLIN, 0 };
	check(poll(&bad, 1, 0) == 1 && bad.revents == POLLNVAL, "poll of a closed fd: POLLNVAL");
	/* A blocking pipe between two processes: the reader sleeps until data comes. */
	pipe(fds);
	pid = fork();
	if (pid == 0) {
		usleep(50000);
		write(fds[1], "late", 4);
		_exit(0);
	}
	close(fds[1]);
	check(read(fds[0], buf, sizeof(buf)) == 4 && !memcmp(buf, "late", 4),
	      "a blocking read waits for another process's write");
	waitpid(pid, &ws, 0);
	close(fds[0]);
}

static volatile sig_atomic_t got_sig, got_chld;
static int wake_fd = -1;
static sigjmp_buf jb;
static volatile uintptr_t fault_addr;
static volatile int fault_code;
static volatile uintptr_t handler_sp;

static void on_sig(int sig) { got_sig = sig; }
static void on_alarm_write(int sig) { (void)sig; got_sig = SIGALRM; write(wake_fd, "w", 1); }
static void on_chld(int sig) { (void)sig; got_chld++; }

static void on_fault(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	fault_addr = (uintptr_t)si->si_addr;
	fault_code = si->si_code;
	handler_sp = (uintptr_t)&sig;
	siglongjmp(jb, sig);
}

static void set_handler(int sig, void (*fn)(int), int flags)
{
	struct sigaction sa = { .sa_handler = fn, .sa_flags = flags };

	sigemptyset(&sa.sa_mask);
	sigaction(sig, &sa, NULL);
}

static void arm_timer(long usec)
{
	struct itimerval it = { { 0, 0 }, { 0, usec } };

	setitimer(ITIMER_REAL, &it, NULL);
}

static void test_signals_basic(void)
{
	sigset_t set, pend;
	struct sigaction sa;

	set_handler(SIGUSR1, on_sig, 0);
	got_sig = 0;
	kill(getpid(), SIGUSR1);
	check(got_sig == SIGUSR1, "kill(self, SIGUSR1) runs the handler");
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigprocmask(SIG_BLOCK, &set, NULL);
	got_sig = 0;
	raise(SIGUSR1);
	sigpending(&pend);
	check(got_sig == 0 && sigismember(&pend, SIGUSR1), "a blocked signal stays pending");
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	check(got_sig == SIGUSR1, "unblocking delivers it");
	check_errno(kill(99999, 0), ESRCH, "kill of no such pid");
	check_errno(kill(getpid(), 99), EINVAL, "kill with signal 99");
	memset(&sa, 0, sizeof(sa));
	check_errno(sigaction(SIGKILL, &sa, NULL), EINVAL, "sigaction(SIGKILL)");
	check(kill(getpid(), 0) == 0, "kill(self, 0)");

	set_handler(SIGCHLD, on_chld, 0);
	got_chld = 0;
	pid_t pid = fork();
	if (pid == 0)
		_exit(0);
	sigemptyset(&set);
	while (!got_chld)
		sigsuspend(&set);
	check(got_chld == 1, "SIGCHLD when a child exits (sigsuspend woke)");
	waitpid(pid, NULL, 0);
	set_handler(SIGCHLD, SIG_DFL, 0);

	pid = fork();
	if (pid == 0) {
		set_handler(SIGTERM, on_sig, 0);
		pause();
		_exit(got_sig == SIGTERM ? 0 : 1);
	}
	usleep(20000);
	kill(pid, SIGTERM);
	int ws;
	waitpid(pid, &ws, 0);
	check(WIFEXITED(ws) && WEXITSTATUS(ws) == 0, "kill of another process wakes its pause()");
	pid = fork();
	if (pid == 0) {
		pause();
		_exit(0);
	}
	usleep(20000);
	kill(pid, SIGTERM);
	waitpid(pid, &ws, 0);
	check(WIFSIGNALED(ws) && WTERMSIG(ws) == SIGTERM, "SIGTERM's default action terminates");
	union sigval v = { .sival_int = 5 };
	set_handler(SIGUSR2, on_sig, 0);
	got_sig = 0;
	check(sigqueue(getpid(), SIGUSR2, v) == 0 && got_sig == SIGUSR2, "sigqueue to self");
}

static void test_signals_eintr(void)
{
	int fds[2];
	char c;
	struct timespec ts = { 5, 0 }, rem = { 0, 0 };

	pipe(fds);
	wake_fd = fds[1];
	set_handler(SIGALRM, on_sig, 0);
	arm_timer(50000);
	check_errno(read(fds[0], &c, 1), EINTR, "a blocking read interrupted without SA_RESTART");
	set_handler(SIGALRM, on_alarm_write, SA_RESTART);
	got_sig = 0;
	arm_timer(50000);
	check(read(fds[0], &c, 1) == 1 && c == 'w' && got_sig == SIGALRM,
	      "with SA_RESTART the read restarts (and gets the handler's byte)");
	set_handler(SIGALRM, on_sig, 0);
	arm_timer(50000);
	check_errno(nanosleep(&ts, &rem), EINTR, "nanosleep interrupted");
	check(rem.tv_sec >= 3 && rem.tv_sec <= 5, "nanosleep's remaining time");
	got_sig = 0;
	check(alarm(1) == 0, "alarm(1)");
	pause();
	check(got_sig == SIGALRM, "SIGALRM from alarm() ends pause()");
	sigset_t block, none;
	sigemptyset(&block);
	sigemptyset(&none);
	sigaddset(&block, SIGALRM);
	sigprocmask(SIG_BLOCK, &block, NULL);
	got_sig = 0;
	pid_t pid = fork();
	int ws;
	if (pid == 0) {
		sigsuspend(&none);
		_exit(got_sig == SIGALRM ? 0 : 1);
	}
	sigprocmask(SIG_UNBLOCK, &block, NULL);
	kill(pid, SIGALRM);
	waitpid(pid, &ws, 0);
	check(WIFEXITED(ws) && WEXITSTATUS(ws) == 0, "a handler is inherited across fork");
	close(fds[0]);
	close(fds[1]);
}

static void test_faults(void)
{
	struct sigaction sa = { .sa_sigaction = on_fault, .sa_flags = SA_SIGINFO };
	static char alt[65536];
	stack_t ss = { .ss_sp = alt, .ss_size = sizeof(alt), .ss_flags = 0 }, old;
	volatile int zero = 0;
	int sig;

	sigemptyset(&sa.sa_mask);
	sigaction(SIGSEGV, &sa, NULL);
	sigaction(SIGFPE, &sa, NULL);
	sigaction(SIGILL, &sa, NULL);
	bad_ptr = (int *)0x1234;
	if ((sig = sigsetjmp(jb, 1)) == 0)
		*bad_ptr = 1;
	check(sig == SIGSEGV && fault_addr == 0x1234 && fault_code == SEGV_MAPERR,
	      "SIGSEGV caught: si_addr and SEGV_MAPERR");
	if ((sig = sigsetjmp(jb, 1)) == 0)
		printf("%d\n", 7 / zero);
	check(sig == SIGFPE, "SIGFPE (divide by zero) caught");
	if ((sig = sigsetjmp(jb, 1)) == 0)
		__asm__ volatile("ud2");
	check(sig == SIGILL, "SIGILL (ud2) caught");
	check(sigaltstack(&ss, &old) == 0 && (old.ss_flags & SS_DISABLE), "sigaltstack");
	sa.sa_flags |= SA_ONSTACK;
	sigaction(SIGSEGV, &sa, NULL);
	bad_ptr = (int *)0x10;
	if ((sig = sigsetjmp(jb, 1)) == 0)
		*bad_ptr = 1;
	check(sig == SIGSEGV && handler_sp >= (uintptr_t)alt &&
	      handler_sp < (uintptr_t)alt + sizeof(alt), "SA_ONSTACK: the handler runs on the altstack");
	ss.ss_size = 100;
	check_errno(sigaltstack(&ss, NULL), ENOMEM, "sigaltstack smaller than MINSIGSTKSZ");
	ss.ss_flags = 77;
	ss.ss_size = sizeof(alt);
	check_errno(sigaltstack(&ss, NULL), EINVAL, "sigaltstack with bad flags");
	signal(SIGSEGV, SIG_DFL);
	signal(SIGFPE, SIG_DFL);
	signal(SIGILL, SIG_DFL);
}

/* Floating point state survives a handler (rt_sigreturn restores it). */
static volatile double fp_in_handler;
static void on_fp(int sig) { (void)sig; fp_in_handler = 3.25 * fp_in_handler; }

static void test_fpu(void)
{
	volatile double x = 1.5;

	fp_in_handler = 2.0;
	set_handler(SIGUSR1, on_fp, 0);
	double y = x * 2.0;
	raise(SIGUSR1);
	check(y * 2.0 == 6.0 && fp_in_handler == 6.5, "FPU state across a handler");
}


/* Root drops to nobody (65534) with Linux's rules; capabilities go with it. */
static int child_drop(void)
{
	gid_t none[1] = { 65534 };
	char buf[4096];
	int fd, n;

	if (setgroups(1, none) || setgid(65534) || setuid(65534))
		return 1;
	if (getuid() != 65534 || geteuid() != 65534 || getgid() != 65534 || getgroups(1, none) != 1)
		return 2;
	if (setuid(0) != -1 || errno != EPERM)
		return 3;
	if (open("/tmp/mv-procs-rootonly", O_RDONLY) != -1 || errno != EACCES)
		return 4;
	fd = open("/proc/self/status", O_RDONLY);
	n = fd >= 0 ? (int)read(fd, buf, sizeof(buf) - 1) : -1;
	if (n <= 0)
		return 5;
	buf[n] = 0;
	if (!strstr(buf, "Uid:\t65534\t65534\t65534") || !strstr(buf, "CapEff:\t0000000000000000"))
		return 6;
	if (kill(1, 0) != -1 || errno != EPERM)
		return getpid() == 1 ? 0 : 7;
	return 0;
}

static int child_seteuid(void)
{
	uid_t r, e, s;

	if (seteuid(2) || geteuid() != 2 || getuid() != 0)
		return 1;
	if (seteuid(0) || geteuid() != 0)       /* the saved uid is still 0 */
		return 2;
	if (setresuid(1, 2, 65534) || getresuid(&r, &e, &s) || r != 1 || e != 2 || s != 65534)
		return 3;
	if (setresuid(0, -1, -1) != -1 || errno != EPERM)
		return 4;
	if (setreuid(2, 1) || getresuid(&r, &e, &s) || r != 2 || e != 1 || s != 1)
		return 5;
	return 0;
}

static void test_creds(void)
{
	int fd = open("/tmp/mv-procs-rootonly", O_CREAT | O_WRONLY, 0600), ws;

	close(fd);
	ws = run_child(child_drop);
	check(WIFEXITED(ws) && WEXITSTATUS(ws) == 0,
	      "setgroups/setgid/setuid to nobody: ids, EPERM back to 0, EACCES, no capabilities");
	if (!WIFEXITED(ws) || WEXITSTATUS(ws))
		printf("# child_drop step %d\n", WEXITSTATUS(ws));
	ws = run_child(child_seteuid);
	check(WIFEXITED(ws) && WEXITSTATUS(ws) == 0, "seteuid, setresuid, setreuid with Linux's rules");
	if (!WIFEXITED(ws) || WEXITSTATUS(ws))
		printf("# child_seteuid step %d\n", WEXITSTATUS(ws));
	check(getuid() == 0 && geteuid() == 0, "the parent is still root");
}

/* Read a whole (small) file into buf; its length or -1. */
static int slurp(const char *path, char *buf, int size)
{
	int fd = open(path, O_RDONLY), n, got = 0;

	if (fd < 0)
		return -1;
	while (got < size - 1 && (n = (int)read(fd, buf + got, size - 1 - got)) > 0)
		got += n;
	close(fd);
	buf[got] = 0;
	return got;
}

static void test_proc(void)
{
	char buf[8192], path[64], want[64];
	int fds[2], ws;

	snprintf(want, sizeof(want), "%d (mv-procs) R ", getpid());
	check(slurp("/proc/self/stat", buf, sizeof(buf)) > 0 && !strncmp(buf, want, strlen(want)),
	      "/proc/self/stat: pid (comm) state");
	check(slurp("/proc/self/maps", buf, sizeof(buf)) > 0 && strstr(buf, "[stack]") &&
	      strstr(buf, "r-xp"), "/proc/self/maps: text and [stack]");
	check(slurp("/proc/sys/kernel/pid_max", buf, sizeof(buf)) > 0 && !strcmp(buf, "32768\n"),
	      "/proc/sys/kernel/pid_max");
	pipe(fds);
	pid_t pid = fork();
	if (pid == 0) {
		char fdarg[16];

		close(fds[1]);
		snprintf(fdarg, sizeof(fdarg), "%d", fds[0]);   /* one digit */
		execl("/bin/mv-procs", "mv-procs", "--wait-fd", fdarg, (char *)NULL);
		_exit(99);
	}
	close(fds[0]);
	usleep(100000);
	snprintf(path, sizeof(path), "/proc/%d/cmdline", pid);
	int n = slurp(path, buf, sizeof(buf));
	check(n == 21 && !memcmp(buf, "mv-procs\0--wait-fd\0", 19),
	      "/proc/PID/cmdline of another process: its argv");
	snprintf(path, sizeof(path), "/proc/%d/status", pid);
	snprintf(want, sizeof(want), "PPid:\t%d\n", getpid());
	for (int i = 0; i < 50; i++) {          /* until the child sleeps in its read */
		if (slurp(path, buf, sizeof(buf)) > 0 && strstr(buf, "State:\tS (sleeping)"))
			break;
		usleep(50000);
	}
	check(strstr(buf, "State:\tS (sleeping)") && strstr(buf, want) && strstr(buf, "Name:\tmv-procs"),
	      "/proc/PID/status: sleeping, PPid");
	close(fds[1]);
	waitpid(pid, &ws, 0);
	check(slurp(path, buf, sizeof(buf)) < 0, "/proc/PID is gone once reaped");
}

static void test_sched_futex(void)
{
	cpu_set_t set;
	struct timespec ts = { 0, 20000000 };
	uint32_t word = 5;

	CPU_ZERO(&set);
	check(sched_getaffinity(0, sizeof(set), &set) == 0 && CPU_ISSET(0, &set) && CPU_COUNT(&set) == 1,
	      "sched_getaffinity: CPU 0");
	CPU_ZERO(&set);
	CPU_SET(1, &set);
	check_errno(sched_setaffinity(0, sizeof(set), &set), EINVAL, "sched_setaffinity without CPU 0");
	CPU_SET(0, &set);
	check(sched_setaffinity(0, sizeof(set), &set) == 0, "sched_setaffinity with CPU 0");
	check_errno(syscall(SYS_futex, &word, FUTEX_WAIT_PRIVATE, 4, NULL, NULL, 0), EAGAIN,
		    "FUTEX_WAIT with another value");
	check_errno(syscall(SYS_futex, &word, FUTEX_WAIT_PRIVATE, 5, &ts, NULL, 0), ETIMEDOUT,
		    "FUTEX_WAIT times out");
	volatile uint32_t *shared = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
					 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	*shared = 0;
	pid_t pid = fork();
	if (pid == 0) {
		while (*shared == 0)
			syscall(SYS_futex, shared, FUTEX_WAIT, 0, NULL, NULL, 0);
		_exit(*shared == 1 ? 0 : 1);
	}
	usleep(50000);
	*shared = 1;
	long woken = syscall(SYS_futex, shared, FUTEX_WAKE, 1, NULL, NULL, 0);
	int ws;
	waitpid(pid, &ws, 0);
	check(woken == 1 && WIFEXITED(ws) && WEXITSTATUS(ws) == 0,
	      "FUTEX_WAKE across processes on MAP_SHARED memory");
}

static void test_stop_cont(void)
{
	char path[64], buf[512];
	sigset_t set;
	siginfo_t si;
	struct timespec ts = { 0, 10000000 };
	int ws;

	pid_t pid = fork();
	if (pid == 0) {
		kill(getpid(), SIGSTOP);
		_exit(5);
	}
	check(waitpid(pid, &ws, WUNTRACED) == pid && WIFSTOPPED(ws) && WSTOPSIG(ws) == SIGSTOP,
	      "wait4 WUNTRACED: stopped by SIGSTOP");
	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	check(slurp(path, buf, sizeof(buf)) > 0 && strstr(buf, ") T "), "/proc/PID/stat: state T");
	check(waitpid(pid, &ws, WUNTRACED | WNOHANG) == 0, "a stop is reported once");
	kill(pid, SIGCONT);
	check(waitpid(pid, &ws, WCONTINUED) == pid && WIFCONTINUED(ws), "wait4 WCONTINUED after SIGCONT");
	check(waitpid(pid, &ws, 0) == pid && WIFEXITED(ws) && WEXITSTATUS(ws) == 5,
	      "the continued child runs on to its exit");
	pid = fork();
	if (pid == 0) {
		raise(SIGTSTP);
		_exit(6);
	}
	check(waitid(P_PID, pid, &si, WSTOPPED) == 0 && si.si_code == CLD_STOPPED &&
	      si.si_status == SIGTSTP, "waitid WSTOPPED: CLD_STOPPED, SIGTSTP");
	kill(pid, SIGKILL);
	check(waitpid(pid, &ws, 0) == pid && WIFSIGNALED(ws) && WTERMSIG(ws) == SIGKILL,
	      "SIGKILL ends a stopped process");

	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigprocmask(SIG_BLOCK, &set, NULL);
	raise(SIGUSR1);
	check(sigtimedwait(&set, &si, &ts) == SIGUSR1 && si.si_signo == SIGUSR1,
	      "sigtimedwait takes a blocked pending signal");
	check_errno(sigtimedwait(&set, &si, &ts), EAGAIN, "sigtimedwait times out");
	sigprocmask(SIG_UNBLOCK, &set, NULL);
}

int main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "--wait-fd")) {
		char c;
		return read(atoi(argv[2]), &c, 1) < 0;
	}
	if (argc == 3 && !strcmp(argv[1], "--fd-closed"))
		return fcntl(atoi(argv[2]), F_GETFD) == -1 && errno == EBADF ? 0 : 1;
	if (argc == 3 && !strcmp(argv[1], "--pristine"))
		return exec_pristine(argv[2]);
	if (argc == 2 && !strcmp(argv[1], "--unlink-self"))
		return exec_unlink_self(argv[0]);
	if (argc == 2 && !strcmp(argv[1], "--stack"))
		return exec_stack();
	if (argc == 2 && !strcmp(argv[1], "--mark"))
		return ((volatile const char *)exec_mark)[sizeof(exec_mark) - 2] - '0';
	test_fork_cow();
	test_shared_anon();
	test_exec();
	test_exec_pages();
	test_mmap_file_pages();
	test_wait();
	test_pipes();
	test_signals_basic();
	test_signals_eintr();
	test_faults();
	test_fpu();
	test_creds();
	test_proc();
	test_sched_futex();
	test_stop_cont();
	return check_done();
}
