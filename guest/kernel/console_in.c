/* console_in.c: console input from the platform (the host's stdin, or the serial port), with readers sleeping until input arrives. */
#include "console.h"
#include "mm.h"
#include "platform.h"
#include "sched.h"
#include "uaccess.h"
#include "vfs.h"
#include "tty.h"

#define CONSOLE_IN_BUF 4096

/* Bytes taken from the host and not yet read: [head, head + len). */
static char in_buf[CONSOLE_IN_BUF];
static size_t in_head, in_len;
static bool in_eof;
static int in_waiters;
static char in_chan;

/* Take what the host's stdin has now into the buffer (never waits). */
static void console_in_fill(void)
{
	bool eof = false;
	long got;

	if (in_len || in_eof)
		return;
	got = platform->console_read(in_buf, CONSOLE_IN_BUF, &eof);
	if (got < 0) {
		in_eof = true;          /* a host without stdin forwarding */
		return;
	}
	in_head = 0;
	in_len = MIN((size_t)got, (size_t)CONSOLE_IN_BUF);
	if (!in_len && eof)
		in_eof = true;
}

void console_pump(void)
{
	if (!tty_active())
		return;
	/* Everything the host has goes through the line discipline now, so
	 * VINTR works while nobody reads; an empty answer arms MV_IRQ_INPUT. */
	while (!in_eof) {
		console_in_fill();
		if (!in_len)
			break;
		tty_input(in_buf + in_head, in_len);
		in_len = 0;
	}
}

bool console_readable(void)
{
	if (tty_active())
		return tty_readable();
	console_in_fill();
	return in_len || in_eof;
}

long console_read(uintptr_t buf, size_t len, bool user, bool nonblock)
{
	size_t n;

	if (tty_active())
		return tty_read(buf, len, user, nonblock);
	if (!len)
		return 0;
	while (!console_readable()) {
		int err;

		if (nonblock)
			return -EAGAIN;
		in_waiters++;
		err = sched_sleep(&in_chan, 0);
		in_waiters--;
		if (err == -EINTR)
			return -ERESTARTSYS;
	}
	if (!in_len) {
		in_eof = false;         /* ^D-like: the next read asks the host again */
		return 0;
	}
	n = MIN(len, in_len);
	if (!user)
		memcpy((void *)buf, in_buf + in_head, n);
	else if (copy_to_user(buf, in_buf + in_head, n))
		return -EFAULT;
	in_head += n;
	in_len -= n;
	return (long)n;
}

void console_input_ready(void)
{
	console_pump();
	sched_wakeup(&in_chan);
	vfs_poll_wake();
}

bool console_input_waiting(void)
{
	return in_waiters > 0;
}
