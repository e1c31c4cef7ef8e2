/* run_tty.c: the host terminal of `modvisor run`: detection, window size, raw mode and its restoration. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <termios.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include "run_tty.h"

static struct termios tty_saved;
static volatile sig_atomic_t tty_is_raw;
static const int tty_signals[] = { SIGTERM, SIGHUP, SIGINT, SIGQUIT };
static struct sigaction tty_old[4];
static int tty_size_fd = -1;    /* MODVISOR_TTY_FILE, opened before the sandbox */

/* parse_size(s, rows, cols): "ROWSxCOLS"; false if s is not that. */
static bool parse_size(const char *s, uint16_t *rows, uint16_t *cols)
{
	unsigned r, c;

	if (sscanf(s, "%ux%u", &r, &c) != 2)
		return false;
	*rows = r > 0xffff ? 0xffff : (uint16_t)r;
	*cols = c > 0xffff ? 0xffff : (uint16_t)c;
	return true;
}

bool run_tty_size(uint16_t *rows, uint16_t *cols)
{
	struct winsize ws;
	char buf[32];
	ssize_t n;

	if (tty_size_fd >= 0) {
		n = pread(tty_size_fd, buf, sizeof(buf) - 1, 0);
		buf[n > 0 ? n : 0] = '\0';
		return n > 0 && parse_size(buf, rows, cols);
	}
	if (ioctl(0, TIOCGWINSZ, &ws) < 0 && ioctl(1, TIOCGWINSZ, &ws) < 0)
		return false;
	*rows = ws.ws_row;
	*cols = ws.ws_col;
	return true;
}

bool run_tty_detect(uint16_t *rows, uint16_t *cols)
{
	const char *env = getenv("MODVISOR_TTY"), *file = getenv("MODVISOR_TTY_FILE");
	struct winsize ws;

	*rows = *cols = 0;
	if (env && parse_size(env, rows, cols)) {
		if (file && tty_size_fd < 0)
			tty_size_fd = open(file, O_RDONLY | O_CLOEXEC);
		return true;
	}
	if (!isatty(0))
		return false;
	if (ioctl(0, TIOCGWINSZ, &ws) == 0 || ioctl(1, TIOCGWINSZ, &ws) == 0) {
		*rows = ws.ws_row;
		*cols = ws.ws_col;
	}
	return true;
}

void run_tty_export(void)
{
	uint16_t rows, cols;
	char v[32];

	if (getenv("MODVISOR_TTY") || !run_tty_detect(&rows, &cols))
		return;
	snprintf(v, sizeof(v), "%ux%u", rows ? rows : 24, cols ? cols : 80);
	setenv("MODVISOR_TTY", v, 1);
}

void run_tty_restore(void)
{
	if (!tty_is_raw)
		return;
	tty_is_raw = 0;
	tcsetattr(0, TCSANOW, &tty_saved);      /* async-signal-safe */
}

/* A fatal signal while raw: restore the terminal, then die of the signal as before. */
static void run_tty_signal(int sig)
{
	run_tty_restore();
	signal(sig, SIG_DFL);
	raise(sig);
}

void run_tty_raw(void)
{
	static bool atexit_done;
	struct termios raw;
	struct sigaction sa;

	if (tty_is_raw || !isatty(0) || tcgetattr(0, &tty_saved) < 0)
		return;
	raw = tty_saved;
	cfmakeraw(&raw);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = run_tty_signal;
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < sizeof(tty_signals) / sizeof(tty_signals[0]); i++)
		sigaction(tty_signals[i], &sa, &tty_old[i]);
	if (!atexit_done && atexit(run_tty_restore) == 0)
		atexit_done = true;
	if (tcsetattr(0, TCSANOW, &raw) == 0)
		tty_is_raw = 1;
}
