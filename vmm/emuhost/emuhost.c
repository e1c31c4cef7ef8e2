/* emuhost.c: run a host command inside the emulated KVM host (QEMU TCG + SVM, Debian's kernel, host root over 9p). */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "ctl.h"
#include "ctlserv.h"
#include "emuhost.h"
#include "jobdir.h"
#include "paths.h"

/*
 * How a run works (docs/emulated-host.md has the whole story):
 *  1. A job directory, /tmp/modvisor-emuhost.XXXXXX, gets run.sh: cd to our
 *     directory, export the selected environment, exec the command.
 *  2. QEMU boots build/emuhost/{vmlinux,initramfs.cpio.gz} with the host's
 *     "/" shared over virtio-9p and mvjob=<job dir> on the command line.
 *     The initramfs loads kvm_amd, mounts that share at /host, chroots
 *     into it and runs run.sh with stdout on ttyS0 and stderr on ttyS1.
 *  3. Those two serial ports are pipes to us; we copy them to our own
 *     stdout and stderr as the bytes come.  ttyS2 (kernel console) goes to
 *     console.log in the job directory, shown only when something fails.
 *  4. /init writes the exit status to <job>/status and powers off.
 *  5. run.sh execs the command through `modvisor __emuhost-agent` (agent.c),
 *     which relays the control channel (ctl.h): flock on this machine for
 *     logs on 9p, and the signals we get, forwarded to the command.
 */

#define EMUHOST_FAIL            125
#define EMUHOST_TIMEOUT_DEFAULT 3600    /* seconds */
#define EMUHOST_MEM             "2G"    /* fits the inner guest; allocated lazily */
#define EMUHOST_GRACE_MS        30000   /* a forwarded signal's time to end the command */

/* Environment variables that cross into the emulated host. */
static const char *const emuhost_env_names[] = {
	"PATH", "HOME", "TERM", "USER", "LOGNAME", "LANG", "LC_ALL", "TZ",
	"TMPDIR", "MV", "CI", "V",
};
static const char *const emuhost_env_prefixes[] = { "MODVISOR_", "CK_" };

extern char **environ;

struct emuhost_job {
	char dir[PATH_MAX];             /* the job directory, same path inside */
	char kernel[PATH_MAX];
	char initrd[PATH_MAX];
	char exe[PATH_MAX];             /* this modvisor binary: the agent inside */
	pid_t qemu;
	int out_fd, err_fd;             /* read ends of ttyS0 and ttyS1 */
	const char *stream_port;        /* emuhost_exec_stream()'s port name, or NULL */
	int stream_fd;                  /* and its socket, -1 once QEMU has it */
	struct ctlserv *ctl;            /* our end */
};

static void emuhost_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void emuhost_err(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fputs("modvisor: emulated KVM host: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}

/* emuhost_fmt(buf, size, fmt, ...): format a path or an argument; -1 (and a message) if it does not fit. */
static int emuhost_fmt(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int emuhost_fmt(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= size) {
		emuhost_err("too long: %.60s...", buf);
		return -1;
	}
	return 0;
}

/* emuhost_artifacts(job): find the kernel and the initramfs; say how to build them. */
static int emuhost_artifacts(struct emuhost_job *job)
{
	char exe[PATH_MAX], dir[PATH_MAX];
	const char *env = getenv("MODVISOR_EMUHOST_DIR");
	ssize_t n;
	int bad = 0;

	if (env && *env) {
		if (emuhost_fmt(dir, sizeof(dir), "%s", env) < 0)
			return -1;
	} else {
		/* build/modvisor -> build/emuhost/, or PREFIX/lib/modvisor/emuhost/ */
		int err = paths_data_dir(exe, sizeof(exe));

		if (err) {
			emuhost_err("/proc/self/exe: %s", strerror(-err));
			return -1;
		}
		if (emuhost_fmt(dir, sizeof(dir), "%s/emuhost", exe) < 0)
			return -1;
	}
	n = readlink("/proc/self/exe", job->exe, sizeof(job->exe) - 1);
	if (n < 0) {
		emuhost_err("/proc/self/exe: %s", strerror(errno));
		return -1;
	}
	job->exe[n] = '\0';
	/* The ELF vmlinux (PVH entry) boots 3 s faster than the bzImage. */
	if (emuhost_fmt(job->kernel, sizeof(job->kernel), "%s/vmlinux", dir) < 0 ||
	    emuhost_fmt(job->initrd, sizeof(job->initrd), "%s/initramfs.cpio.gz", dir) < 0)
		return -1;
	if (access(job->kernel, R_OK) != 0)
		snprintf(strrchr(job->kernel, '/'), sizeof("/vmlinuz"), "/vmlinuz");
	if (access(job->kernel, R_OK) != 0) {
		emuhost_err("%s: %s", job->kernel, strerror(errno));
		bad = 1;
	}
	if (access(job->initrd, R_OK) != 0) {
		emuhost_err("%s: %s", job->initrd, strerror(errno));
		bad = 1;
	}
	if (bad)
		emuhost_err("build it with `make` in the source tree (it downloads Debian's kernel once), "
			    "or point MODVISOR_EMUHOST_DIR at a directory holding vmlinux (or vmlinuz) "
			    "and initramfs.cpio.gz");
	return bad ? -1 : 0;
}

/* emuhost_quote(f, s): write s as one single-quoted sh word. */
static void emuhost_quote(FILE *f, const char *s)
{
	fputc('\'', f);
	for (; *s; s++) {
		if (*s == '\'')
			fputs("'\\''", f);
		else
			fputc(*s, f);
	}
	fputc('\'', f);
}

/* emuhost_env_selected(entry): does NAME=VALUE cross into the emulated host? */
static bool emuhost_env_selected(const char *entry)
{
	size_t len = strcspn(entry, "=");
	size_t i;

	if (entry[len] != '=' || len == 0)
		return false;
	for (i = 0; i < len; i++) {
		char c = entry[i];
		/* Only names sh can export. */
		if (!(c == '_' || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		      (i > 0 && c >= '0' && c <= '9')))
			return false;
	}
	/* Set by us, never taken from the caller's environment. */
	if (strncmp(entry, "MODVISOR_IN_EMUHOST=", 20) == 0 ||
	    strncmp(entry, EMUHOST_STREAM_ENV "=", strlen(EMUHOST_STREAM_ENV) + 1) == 0)
		return false;
	for (i = 0; i < sizeof(emuhost_env_names) / sizeof(emuhost_env_names[0]); i++)
		if (strlen(emuhost_env_names[i]) == len && !strncmp(entry, emuhost_env_names[i], len))
			return true;
	for (i = 0; i < sizeof(emuhost_env_prefixes) / sizeof(emuhost_env_prefixes[0]); i++)
		if (!strncmp(entry, emuhost_env_prefixes[i], strlen(emuhost_env_prefixes[i])))
			return true;
	return false;
}

/*
 * The window size for a guest terminal: <job>/winsize holds "RRRRRxCCCCC\n"
 * (fixed width, rewritten in place, so the inner modvisor's open file always
 * reads a whole size); MODVISOR_TTY_FILE names it inside.  At a SIGWINCH
 * here it is rewritten and SIGWINCH goes to the command inside
 * (vmm/run_tty.c reads it there, the guest gets SIGWINCH).
 */
static int emuhost_winsize_write(const struct emuhost_job *job, unsigned rows, unsigned cols)
{
	char path[PATH_MAX + 16], line[16];
	int fd, n = snprintf(line, sizeof(line), "%05ux%05u\n", rows % 100000, cols % 100000);

	snprintf(path, sizeof(path), "%s/winsize", job->dir);
	fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0)
		return -1;
	n = pwrite(fd, line, (size_t)n, 0) == n ? 0 : -1;
	close(fd);
	return n;
}

/* emuhost_winch(job): our terminal was resized: pass the new size inside. */
static void emuhost_winch(const struct emuhost_job *job)
{
	struct winsize ws;

	if (!getenv("MODVISOR_TTY") ||
	    (ioctl(0, TIOCGWINSZ, &ws) < 0 && ioctl(1, TIOCGWINSZ, &ws) < 0 &&
	     ioctl(2, TIOCGWINSZ, &ws) < 0))
		return;
	if (emuhost_winsize_write(job, ws.ws_row, ws.ws_col) == 0)
		ctlserv_signal(job->ctl, SIGWINCH);
}

/* emuhost_write_script(job, argv): <job>/run.sh, what the emulated host runs. */
static int emuhost_write_script(const struct emuhost_job *job, char *const argv[])
{
	char path[PATH_MAX + 16], cwd[PATH_MAX];
	const char *tty = getenv("MODVISOR_TTY");
	mode_t mask = umask(0);
	unsigned rows, cols;
	char **e;
	FILE *f;

	umask(mask);
	if (!getcwd(cwd, sizeof(cwd))) {
		emuhost_err("getcwd: %s", strerror(errno));
		return -1;
	}
	snprintf(path, sizeof(path), "%s/run.sh", job->dir);
	f = fopen(path, "w");
	if (!f) {
		emuhost_err("%s: %s", path, strerror(errno));
		return -1;
	}
	fputs("# run.sh: written by modvisor (vmm/emuhost.c); run by the emulated host's /init\n", f);
	fprintf(f, "umask %04o\ncd -- ", (unsigned)mask);
	emuhost_quote(f, cwd);
	fputs(" || exit 125\n", f);
	for (e = environ; *e; e++) {
		if (!emuhost_env_selected(*e))
			continue;
		fputs("export ", f);
		emuhost_quote(f, *e);
		fputc('\n', f);
	}
	if (tty && sscanf(tty, "%ux%u", &rows, &cols) == 2 &&
	    emuhost_winsize_write(job, rows, cols) == 0) {
		fprintf(f, "export MODVISOR_TTY_FILE=");
		emuhost_quote(f, job->dir);
		fputs("/winsize\n", f);
	}
	if (job->stream_port) {
		fputs("export " EMUHOST_STREAM_ENV "=", f);
		emuhost_quote(f, job->stream_port);
		fputc('\n', f);
	}
	fputs("export MODVISOR_IN_EMUHOST=1\nexec ", f);
	emuhost_quote(f, job->exe);
	fputs(" __emuhost-agent --", f);
	for (; *argv; argv++) {
		fputc(' ', f);
		emuhost_quote(f, *argv);
	}
	fputc('\n', f);
	if (fclose(f) != 0) {
		emuhost_err("%s: %s", path, strerror(errno));
		return -1;
	}
	return 0;
}

/* emuhost_timeout(): MODVISOR_EMUHOST_TIMEOUT in seconds, or the default. */
static long emuhost_timeout(void)
{
	const char *s = getenv("MODVISOR_EMUHOST_TIMEOUT");
	char *end;
	long t;

	if (!s || !*s)
		return EMUHOST_TIMEOUT_DEFAULT;
	t = strtol(s, &end, 10);
	if (*end || t <= 0) {
		emuhost_err("MODVISOR_EMUHOST_TIMEOUT=%s: not a positive number of seconds; using %d",
			    s, EMUHOST_TIMEOUT_DEFAULT);
		return EMUHOST_TIMEOUT_DEFAULT;
	}
	return t;
}

/* emuhost_env_or(name, dflt): an env var's value if set and not empty. */
static const char *emuhost_env_or(const char *name, const char *dflt)
{
	const char *s = getenv(name);

	return s && *s ? s : dflt;
}

/* emuhost_child(argv, qlog, mask, out, err, ctl, stream, parent): in the forked child, become QEMU. */
static void __attribute__((noreturn))
emuhost_child(const char *const argv[], const char *qlog, const sigset_t *mask, int out, int err,
	      int ctl, int stream, pid_t parent)
{
	int fd;

	/* If modvisor is killed outright, QEMU must not run on alone. */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != parent)
		_exit(127);
	sigprocmask(SIG_SETMASK, mask, NULL);
	/* QEMU opens these two as /proc/self/fd/N. */
	fcntl(out, F_SETFD, 0);
	fcntl(err, F_SETFD, 0);
	fcntl(ctl, F_SETFD, 0);
	if (stream >= 0)
		fcntl(stream, F_SETFD, 0);
	fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	dup2(fd, 0);
	fd = open(qlog, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	dup2(fd, 1);
	dup2(fd, 2);
	execvp(argv[0], (char *const *)argv);
	dprintf(2, "cannot run %s: %s (apt-get install qemu-system-x86, or `make deps`)\n",
		argv[0], strerror(errno));
	_exit(127);
}

/*
 * emuhost_spawn(job, mask): start QEMU.  The command's stdout and stderr
 * come back through two pipes that QEMU opens as /proc/self/fd/N, so no
 * byte passes through a file; QEMU's own messages go to qemu.log.
 */
static int emuhost_spawn(struct emuhost_job *job, const sigset_t *mask)
{
	char append[PATH_MAX + 1024], so[64], se[64], con[PATH_MAX + 64], qlog[PATH_MAX + 16];
	char ctl[64], stream[64], sport[128];
	const char *qemu = emuhost_env_or("MODVISOR_QEMU", "qemu-system-x86_64");
	int out[2], err[2], cp[2];

	/*
	 * no_timer_check: under TCG on a loaded host, Linux's boot-time check
	 * that the IO-APIC timer ticks can miss its window and panic ("IO-APIC
	 * + timer doesn't work!"); the timer works, only the check is timing
	 * dependent.
	 */
	if (emuhost_fmt(append, sizeof(append), "console=ttyS2 panic=-1 quiet loglevel=4 "
			"mitigations=off no_timer_check %s mvjob=%s",
			emuhost_env_or("MODVISOR_EMUHOST_APPEND", ""), job->dir) < 0)
		return -1;
	if (pipe2(out, O_CLOEXEC) || pipe2(err, O_CLOEXEC)) {
		emuhost_err("pipe: %s", strerror(errno));
		return -1;
	}
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, cp) < 0 ||
	    !(job->ctl = ctlserv_new(cp[0]))) {
		emuhost_err("control channel: %s", strerror(errno));
		return -1;
	}
	snprintf(ctl, sizeof(ctl), "socket,id=ctl,fd=%d", cp[1]);
	snprintf(stream, sizeof(stream), "socket,id=stream,fd=%d", job->stream_fd);
	if (job->stream_port &&
	    emuhost_fmt(sport, sizeof(sport), "virtserialport,chardev=stream,name=%s",
			job->stream_port) < 0)
		return -1;
	snprintf(so, sizeof(so), "file,id=so,path=/proc/self/fd/%d", out[1]);
	snprintf(se, sizeof(se), "file,id=se,path=/proc/self/fd/%d", err[1]);
	snprintf(con, sizeof(con), "file,id=con,path=%s/console.log", job->dir);
	snprintf(qlog, sizeof(qlog), "%s/qemu.log", job->dir);
	const char *argv[] = {
		qemu, "-accel", "tcg", "-cpu", "max",
		"-smp", emuhost_env_or("MODVISOR_EMUHOST_SMP", "1"),
		"-m", emuhost_env_or("MODVISOR_EMUHOST_MEM", EMUHOST_MEM),
		"-nodefaults", "-no-user-config", "-display", "none", "-no-reboot",
		"-kernel", job->kernel, "-initrd", job->initrd, "-append", append,
		"-chardev", so, "-serial", "chardev:so",
		"-chardev", se, "-serial", "chardev:se",
		"-chardev", con, "-serial", "chardev:con",
		"-fsdev", "local,id=hostroot,path=/,security_model=none,multidevs=remap",
		"-device", "virtio-9p-pci,fsdev=hostroot,mount_tag=hostroot",
		"-device", "virtio-serial-pci", "-chardev", ctl,
		"-device", "virtserialport,chardev=ctl,name=" EMUHOST_CTL_PORT,
		/* The stream's port, when there is one; else the list ends here. */
		job->stream_port ? "-chardev" : NULL, stream, "-device", sport,
		NULL,
	};

	pid_t self = getpid();

	job->qemu = fork();
	if (job->qemu < 0) {
		emuhost_err("fork: %s", strerror(errno));
		close(out[0]);
		close(err[0]);
	} else if (job->qemu == 0) {
		emuhost_child(argv, qlog, mask, out[1], err[1], cp[1],
			      job->stream_port ? job->stream_fd : -1, self);
	}
	close(out[1]);
	close(err[1]);
	close(cp[1]);
	/* QEMU holds the stream now: its exit is the stream's end for the peer. */
	if (job->stream_fd >= 0)
		close(job->stream_fd);
	job->stream_fd = -1;
	job->out_fd = out[0];
	job->err_fd = err[0];
	return job->qemu < 0 ? -1 : 0;
}

/* emuhost_copy(from, to): move what one pipe has to our fd; -1 at EOF. */
static int emuhost_copy(int from, int to)
{
	char buf[65536];
	ssize_t n = read(from, buf, sizeof(buf)), off = 0, w;

	if (n < 0 && (errno == EINTR || errno == EAGAIN))
		return 0;
	if (n <= 0)
		return -1;
	while (off < n) {
		w = write(to, buf + off, n - off);
		if (w < 0 && errno == EAGAIN) {
			/* Our stdout may be non-blocking (inherited): wait, never drop. */
			struct pollfd p = { .fd = to, .events = POLLOUT };
			poll(&p, 1, -1);
			continue;
		}
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			break;          /* reader gone (EPIPE): keep draining, drop */
		off += w;
	}
	return 0;
}

static long emuhost_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000;
}

/* Where a run stands on its way out: the deadlines of emuhost_relay(). */
struct emuhost_stop {
	long deadline;          /* MODVISOR_EMUHOST_TIMEOUT, then QEMU's SIGTERM grace */
	int signo;              /* the first signal we got, forwarded inside */
	int ret;                /* emuhost_relay()'s result */
	bool killing;           /* QEMU was sent SIGTERM (or SIGKILL) */
};

/* emuhost_kill(job, st, ret): stop QEMU itself: SIGTERM now, SIGKILL in 5 s. */
static void emuhost_kill(struct emuhost_job *job, struct emuhost_stop *st, int ret)
{
	if (st->killing) {
		kill(job->qemu, SIGKILL);
		st->deadline = LONG_MAX;
		return;
	}
	kill(job->qemu, SIGTERM);       /* QEMU quits on SIGTERM at once */
	st->killing = true;
	st->deadline = emuhost_now_ms() + 5000;
	if (st->ret == 0)
		st->ret = ret;
}

/*
 * emuhost_signal(job, st, signo): the first SIGINT, SIGTERM or SIGHUP goes
 * to the command inside (its process group, through the agent), which then
 * has EMUHOST_GRACE_MS to end (a `modvisor run` stops its VM and completes
 * its log); a second one, or the grace running out, stops QEMU.
 */
static void emuhost_signal(struct emuhost_job *job, struct emuhost_stop *st, int signo)
{
	if (st->signo == 0 && ctlserv_signal(job->ctl, signo) == 0) {
		st->signo = signo;
		st->deadline = emuhost_now_ms() + EMUHOST_GRACE_MS;
		return;
	}
	emuhost_kill(job, st, st->signo ? st->signo : signo);
}

/*
 * While the emulated host boots (seconds, under TCG), a terminal on stderr
 * shows one line saying so, with a spinner and the time so far; it is
 * erased before the command's first output.  Nothing when stderr is not a
 * terminal, so logs and pipes see only the command's own output.
 */
struct emuhost_progress {
	bool on;
	unsigned frame;
	long t0;
};

#define EMUHOST_PROGRESS_MS 200

static void emuhost_progress_draw(struct emuhost_progress *pr)
{
	static const char spin[] = "|/-\\";
	long ms = emuhost_now_ms() - pr->t0;

	if (!pr->on)
		return;
	fprintf(stderr, "\r\033[Kmodvisor: booting the emulated KVM host "
		"(QEMU TCG + SVM, Debian's kernel) %c %ld.%lds",
		spin[pr->frame++ % 4], ms / 1000, ms % 1000 / 100);
	fflush(stderr);
}

static void emuhost_progress_end(struct emuhost_progress *pr)
{
	if (!pr->on)
		return;
	fputs("\r\033[K", stderr);
	fflush(stderr);
	pr->on = false;
}

/*
 * emuhost_stdin(job, fd): our stdin has something: append it to
 * <job>/stdin, which the emulated host's /init relays to the command's
 * stdin (through 9p); at its end (or an error) create <job>/stdin.eof.
 * Returns -1 once stdin is done with.
 */
static int emuhost_stdin(const struct emuhost_job *job, int fd)
{
	char buf[65536], path[PATH_MAX + 16];
	ssize_t n = read(fd, buf, sizeof(buf));
	int out;

	if (n < 0 && (errno == EINTR || errno == EAGAIN))
		return 0;
	snprintf(path, sizeof(path), "%s/%s", job->dir, n > 0 ? "stdin" : "stdin.eof");
	out = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
	if (out < 0) {
		emuhost_err("%s: %s", path, strerror(errno));
		return -1;
	}
	for (ssize_t off = 0, w; n > 0 && off < n; off += w) {
		w = write(out, buf + off, (size_t)(n - off));
		if (w < 0 && errno == EINTR)
			w = 0;
		else if (w <= 0)
			n = -1;
	}
	close(out);
	return n > 0 ? 0 : -1;
}

/*
 * emuhost_relay(job, sfd, timeout, qstatus): copy the command's output live
 * and serve the control channel until QEMU has exited and both pipes are
 * drained.  Returns 0, or the signal number after which we had to stop
 * QEMU ourselves, or -1 on timeout.  *forwarded = a signal sent inside.
 */
static int emuhost_relay(struct emuhost_job *job, int sfd, long timeout, int *qstatus,
			 int *forwarded)
{
	struct emuhost_stop st = { .deadline = emuhost_now_ms() + timeout * 1000 };
	int fds[3] = { job->out_fd, job->err_fd, ctlserv_fd(job->ctl) }, in_fd = 0;
	bool alive = true, waiting = false;
	struct emuhost_progress pr = { .on = isatty(STDERR_FILENO) == 1, .t0 = emuhost_now_ms() };

	emuhost_progress_draw(&pr);
	while (alive || fds[0] >= 0 || fds[1] >= 0) {
		struct pollfd p[5] = {
			{ .fd = fds[0], .events = POLLIN },
			{ .fd = fds[1], .events = POLLIN },
			{ .fd = alive ? fds[2] : -1, .events = POLLIN },
			{ .fd = sfd, .events = POLLIN },
			{ .fd = alive ? in_fd : -1, .events = POLLIN },
		};
		long left = st.deadline - emuhost_now_ms(), wait;
		struct signalfd_siginfo si;
		int i;

		if (alive && left <= 0)
			emuhost_kill(job, &st, st.signo ? st.signo : -1);
		left = st.deadline - emuhost_now_ms();
		wait = !alive ? -1 : left < 60000 ? (left > 0 ? left : 0) : 60000;
		if (waiting && (wait < 0 || wait > 20))
			wait = 20;      /* a lock request waits for another holder */
		if (pr.on && (wait < 0 || wait > EMUHOST_PROGRESS_MS))
			wait = EMUHOST_PROGRESS_MS;
		if (poll(p, 5, (int)wait) < 0 && errno != EINTR)
			break;
		if (p[0].revents || p[1].revents || !alive)
			emuhost_progress_end(&pr);
		else
			emuhost_progress_draw(&pr);
		if (p[4].revents && emuhost_stdin(job, in_fd) < 0)
			in_fd = -1;     /* ended: <job>/stdin.eof exists */
		for (i = 0; i < 2; i++)
			if (p[i].revents && emuhost_copy(fds[i], i + 1) < 0) {
				close(fds[i]);
				fds[i] = -1;
			}
		if (p[2].revents && ctlserv_input(job->ctl) < 0)
			fds[2] = -1;
		waiting = alive && ctlserv_retry(job->ctl);
		if (!(p[3].revents & POLLIN) || read(sfd, &si, sizeof(si)) != sizeof(si))
			continue;
		if (si.ssi_signo == SIGCHLD) {
			if (waitpid(job->qemu, qstatus, WNOHANG) == job->qemu)
				alive = false;
		} else if (si.ssi_signo == SIGWINCH) {
			if (alive)
				emuhost_winch(job);
		} else if (alive) {
			emuhost_signal(job, &st, (int)si.ssi_signo);
		}
	}
	emuhost_progress_end(&pr);
	*forwarded = st.signo;
	return st.ret;
}

/* emuhost_show(job, name, last): print the last lines of a job file on stderr. */
static void emuhost_show(const struct emuhost_job *job, const char *name, int last)
{
	static char buf[65536];         /* the tail is enough to diagnose */
	char path[PATH_MAX + 16];
	const char *start;
	ssize_t n = 0;
	int fd;

	snprintf(path, sizeof(path), "%s/%s", job->dir, name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	if (lseek(fd, 0, SEEK_END) > (off_t)sizeof(buf))
		lseek(fd, -(off_t)sizeof(buf), SEEK_END);
	else
		lseek(fd, 0, SEEK_SET);
	n = read(fd, buf, sizeof(buf));
	close(fd);
	if (n <= 0)
		return;
	start = buf + n;
	if (start[-1] == '\n')
		start--;
	while (start > buf && (start[-1] != '\n' || --last > 0))
		start--;
	fprintf(stderr, "--- %s ---\n%.*s%s", path, (int)(buf + n - start), start,
		buf[n - 1] == '\n' ? "" : "\n");
}

/* emuhost_status(job): the command's exit status from <job>/status, or -1. */
static int emuhost_status(const struct emuhost_job *job)
{
	char path[PATH_MAX + 16];
	FILE *f;
	int st = -1;

	snprintf(path, sizeof(path), "%s/status", job->dir);
	f = fopen(path, "r");
	if (!f)
		return -1;
	if (fscanf(f, "%d", &st) != 1 || st < 0 || st > 255)
		st = -1;
	fclose(f);
	return st;
}

/* emuhost_cleanup(job): remove the job directory, unless asked to keep it. */
static void emuhost_cleanup(const struct emuhost_job *job)
{
	static const char *const files[] = {
		"run.sh", "status", "status.tmp", "error", "console.log", "qemu.log", JOBDIR_OWNER,
		"stdin", "stdin.eof", "winsize",
	};
	char path[PATH_MAX + 16];
	size_t i;

	if (getenv("MODVISOR_EMUHOST_KEEP")) {
		fprintf(stderr, "modvisor: emulated KVM host: job kept in %s\n", job->dir);
		return;
	}
	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", job->dir, files[i]);
		unlink(path);
	}
	if (rmdir(job->dir) != 0)
		emuhost_err("cannot remove %s: %s", job->dir, strerror(errno));
}

/* emuhost_verdict(job, relay, qstatus, timeout): the status to return, with a diagnosis. */
static int emuhost_verdict(const struct emuhost_job *job, int relay, int qstatus, long timeout)
{
	int st = emuhost_status(job);

	if (relay > 0) {
		emuhost_err("interrupted by signal %d; QEMU stopped (the command did not end "
			    "within %d s of it)", relay, EMUHOST_GRACE_MS / 1000);
		return 128 + relay;
	}
	if (relay < 0) {
		emuhost_err("timed out after %ld s (MODVISOR_EMUHOST_TIMEOUT); QEMU killed", timeout);
	} else if (st >= 0) {
		return st;
	} else if (WIFEXITED(qstatus)) {
		emuhost_err("the host stopped without the command's status (QEMU exit status %d)",
			    WEXITSTATUS(qstatus));
	} else {
		emuhost_err("QEMU killed by signal %d", WTERMSIG(qstatus));
	}
	emuhost_show(job, "error", 5);
	emuhost_show(job, "qemu.log", 20);
	emuhost_show(job, "console.log", 30);
	fprintf(stderr, "(MODVISOR_EMUHOST_KEEP=1 keeps these files; see docs/emulated-host.md)\n");
	return EMUHOST_FAIL;
}

int emuhost_exec(char *const argv[])
{
	return emuhost_exec_stream(argv, NULL, -1);
}

/* emuhost_run(job, argv): emuhost_exec_stream()'s work; job->stream_fd is closed once QEMU has it. */
static int emuhost_run(struct emuhost_job *job, char *const argv[])
{
	struct sigaction ign = { .sa_handler = SIG_IGN }, oldpipe;
	long timeout = emuhost_timeout();
	sigset_t block, old;
	int sfd, relay, fwd = 0, qstatus = 0, ret = EMUHOST_FAIL;

	if (!argv[0] || argv[0][0] == '-') {
		emuhost_err("no command to run (or it starts with '-')");
		return EMUHOST_FAIL;
	}
	if (emuhost_artifacts(job) < 0)
		return EMUHOST_FAIL;
	/* Those of runs killed with SIGKILL, which could not remove their own. */
	jobdir_clean_stale("/tmp", EMUHOST_TIMEOUT_DEFAULT);
	snprintf(job->dir, sizeof(job->dir), "/tmp/" JOBDIR_PREFIX "XXXXXX");
	if (!mkdtemp(job->dir)) {
		emuhost_err("mkdtemp %s: %s", job->dir, strerror(errno));
		return EMUHOST_FAIL;
	}
	if (jobdir_claim(job->dir) < 0) {
		emuhost_err("%s/%s: %s", job->dir, JOBDIR_OWNER, strerror(errno));
		goto out_dir;
	}
	if (emuhost_write_script(job, argv) < 0)
		goto out_dir;

	/* Signals arrive through a signalfd so the relay loop sees them in order. */
	sigemptyset(&block);
	sigaddset(&block, SIGCHLD);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGHUP);
	sigaddset(&block, SIGWINCH);
	sigprocmask(SIG_BLOCK, &block, &old);
	sigaction(SIGPIPE, &ign, &oldpipe);
	sfd = signalfd(-1, &block, SFD_CLOEXEC);
	if (sfd < 0) {
		emuhost_err("signalfd: %s", strerror(errno));
		goto out_mask;
	}
	if (emuhost_spawn(job, &old) < 0)
		goto out_sfd;
	relay = emuhost_relay(job, sfd, timeout, &qstatus, &fwd);
	ret = emuhost_verdict(job, relay, qstatus, timeout);
	if (fwd && relay == 0 && ret != EMUHOST_FAIL)
		emuhost_err("signal %d was passed to the command, which ended with status %d",
			    fwd, ret);
out_sfd:
	ctlserv_free(job->ctl);
	close(sfd);
out_mask:
	sigaction(SIGPIPE, &oldpipe, NULL);
	sigprocmask(SIG_SETMASK, &old, NULL);
out_dir:
	emuhost_cleanup(job);
	return ret;
}

int emuhost_exec_stream(char *const argv[], const char *port, int fd)
{
	struct emuhost_job job = { .qemu = -1, .out_fd = -1, .err_fd = -1,
				   .stream_port = port, .stream_fd = fd };
	int ret = emuhost_run(&job, argv);

	if (job.stream_fd >= 0)
		close(job.stream_fd);
	return ret;
}
