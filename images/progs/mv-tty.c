/* mv-tty.c: job control on the guest's terminal: SIGTTIN and SIGTTOU for background process groups (TOSTOP), one "ok -" line each; run on a terminal console (MODVISOR_TTY). */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <sys/wait.h>
#include <unistd.h>
#include "mv-check.h"

static volatile sig_atomic_t got;
static void on_sig(int sig) { got = sig; }

/* Child bodies: each runs in a background group of its own; the exit code is the verdict. */
static int bg_read(void) { char c; return read(0, &c, 1) < 0 ? errno : 0; }
static int bg_write(void) { return write(1, "bg-write\n", 9) == 9 ? 0 : errno; }
static int bg_tcsetattr(void)
{
	struct termios t;

	tcgetattr(0, &t);
	return tcsetattr(0, TCSANOW, &t) == 0 ? 0 : errno;
}

static int bg_read_ignored(void)
{
	signal(SIGTTIN, SIG_IGN);
	return bg_read();
}

static int bg_read_handled(void)
{
	struct sigaction sa = { .sa_handler = on_sig };

	sigaction(SIGTTIN, &sa, NULL);          /* no SA_RESTART */
	return bg_read() == EINTR && got == SIGTTIN ? 0 : 1;
}

static int bg_write_ignored(void)
{
	signal(SIGTTOU, SIG_IGN);
	return bg_write();
}

/* run_bg(fn, ws): fork fn in a new background group; its wait status (WUNTRACED). */
static int run_bg(int (*fn)(void))
{
	int ws = -1;
	pid_t pid = fork();

	if (pid == 0) {
		setpgid(0, 0);
		_exit(fn());
	}
	setpgid(pid, pid);
	waitpid(pid, &ws, WUNTRACED);
	if (WIFSTOPPED(ws)) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
	}
	return ws;
}

static void set_tostop(int on)
{
	struct termios t;

	tcgetattr(0, &t);
	t.c_lflag = on ? t.c_lflag | TOSTOP : t.c_lflag & ~(tcflag_t)TOSTOP;
	tcsetattr(0, TCSANOW, &t);
}

int main(void)
{
	int ws;

	check(isatty(0) && tcgetpgrp(0) == getpgrp(), "a terminal, and we are its foreground group");
	ws = run_bg(bg_read);
	check(WIFSTOPPED(ws) && WSTOPSIG(ws) == SIGTTIN, "a background read stops the group with SIGTTIN");
	ws = run_bg(bg_read_ignored);
	check(WIFEXITED(ws) && WEXITSTATUS(ws) == EIO, "... with SIGTTIN ignored: EIO");
	ws = run_bg(bg_read_handled);
	check(WIFEXITED(ws) && WEXITSTATUS(ws) == 0, "... with a SIGTTIN handler: it runs, read is EINTR");
	ws = run_bg(bg_write);
	check(WIFEXITED(ws) && WEXITSTATUS(ws) == 0, "a background write without TOSTOP goes out");
	set_tostop(1);
	ws = run_bg(bg_write);
	check(WIFSTOPPED(ws) && WSTOPSIG(ws) == SIGTTOU, "with TOSTOP it stops the group with SIGTTOU");
	ws = run_bg(bg_write_ignored);
	check(WIFEXITED(ws) && WEXITSTATUS(ws) == 0, "... with SIGTTOU ignored it goes out");
	set_tostop(0);
	ws = run_bg(bg_tcsetattr);
	check(WIFSTOPPED(ws) && WSTOPSIG(ws) == SIGTTOU, "a background tcsetattr stops with SIGTTOU (no TOSTOP needed)");
	check(tcgetpgrp(0) == getpgrp(), "the foreground group is still ours");
	return check_done();
}
