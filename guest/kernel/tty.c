/* tty.c: the console as a terminal: termios, the line discipline (canonical, echo, signals), the ioctls. */
#include "boot.h"
#include "console.h"
#include "proc.h"
#include "sched.h"
#include "sigdeliver.h"
#include "tty.h"
#include "uaccess.h"
#include "vfs.h"

/* Linux's struct termios as TCGETS copies it (NCCS 19). */
struct ktermios {
	uint32_t c_iflag, c_oflag, c_cflag, c_lflag;
	uint8_t c_line;
	uint8_t c_cc[19];
};
_Static_assert(sizeof(struct ktermios) == 36, "struct termios size");

struct kwinsize {
	uint16_t ws_row, ws_col, ws_xpixel, ws_ypixel;
};

enum { VINTR, VQUIT, VERASE, VKILL, VEOF, VTIME, VMIN, VSWTC, VSTART, VSTOP, VSUSP,
       VEOL, VREPRINT, VDISCARD, VWERASE, VLNEXT, VEOL2 };
#define IGNCR   0000200
#define ICRNL   0000400
#define INLCR   0000100
#define ISTRIP  0000040
#define OPOST   0000001
#define ONLCR   0000004
#define ISIG    0000001
#define ICANON  0000002
#define ECHO    0000010
#define ECHOE   0000020
#define ECHOK   0000040
#define ECHONL  0000100
#define NOFLSH  0000200
#define TOSTOP  0000400
#define ECHOCTL 0001000
#define ECHOKE  0004000
#define IEXTEN  0100000

#define TCGETS      0x5401
#define TCSETS      0x5402
#define TCSETSW     0x5403
#define TCSETSF     0x5404
#define TCSBRK      0x5409
#define TCXONC      0x540a
#define TCFLSH      0x540b
#define TIOCSCTTY   0x540e
#define TIOCGPGRP   0x540f
#define TIOCSPGRP   0x5410
#define TIOCOUTQ    0x5411
#define TIOCGWINSZ  0x5413
#define TIOCSWINSZ  0x5414
#define FIONREAD    0x541b
#define TIOCNOTTY   0x5422
#define TIOCGSID    0x5429

#define TTY_BUF     4096
#define TTY_EOF     0x100       /* in the read queue: VEOF ended a record */

static bool active;
static struct ktermios tio = {
	.c_iflag = ICRNL | 0002000,                     /* ICRNL IXON */
	.c_oflag = OPOST | ONLCR,
	.c_cflag = 0000277,                             /* B38400 CS8 CREAD HUPCL */
	.c_lflag = ISIG | ICANON | ECHO | ECHOE | ECHOK | ECHOCTL | ECHOKE | IEXTEN,
	.c_cc = { 3, 034, 0177, 025, 4, 0, 1, 0, 021, 023, 032, 0, 022, 017, 027, 026, 0 },
};
static struct kwinsize winsize = { 24, 80, 0, 0 };
static int tty_sid, tty_pgrp;
static char tty_chan;

/* The read queue: cooked bytes (and TTY_EOF marks) ready for read(2). */
static uint16_t rq[TTY_BUF];
static size_t rq_head, rq_len, rq_records;
/* The line being edited in canonical mode. */
static char line[TTY_BUF];
static size_t line_len;

void tty_init(void)
{
	active = boot_info.flags & MV_BOOT_F_TTY;
	if (boot_info.tty_rows && boot_info.tty_cols) {
		winsize.ws_row = boot_info.tty_rows;
		winsize.ws_col = boot_info.tty_cols;
	}
	console_pump();                 /* arm MV_IRQ_INPUT: ^C works from the start */
}

bool tty_active(void)
{
	return active;
}

bool tty_onlcr(void)
{
	return active && (tio.c_oflag & (OPOST | ONLCR)) == (OPOST | ONLCR);
}

static void echo(const char *s, size_t n)
{
	if (tio.c_lflag & ECHO)
		console_write(MV_CONSOLE_STDOUT, s, n);
}

/* Echo one input character, control characters as ^X under ECHOCTL. */
static void echo_char(char c)
{
	char ctl[2] = { '^', (char)(c ^ 0x40) };

	if ((tio.c_lflag & ECHOCTL) && (uint8_t)c < 32 && c != '\n' && c != '\t')
		echo(ctl, 2);
	else
		echo(&c, 1);
}

static void rq_push(uint16_t v)
{
	if (rq_len == TTY_BUF)
		return;                 /* full: drop, as Linux does past N_TTY_BUF_SIZE */
	rq[(rq_head + rq_len++) % TTY_BUF] = v;
}

/* A finished line (or a VEOF) becomes one record of the read queue. */
static void line_commit(bool eof)
{
	for (size_t i = 0; i < line_len; i++)
		rq_push((uint8_t)line[i]);
	if (eof)
		rq_push(TTY_EOF);
	line_len = 0;
	rq_records++;
}

static void tty_flush(void)
{
	rq_head = rq_len = rq_records = 0;
	line_len = 0;
}

/* VINTR, VQUIT: the signal goes to the foreground process group. */
static void tty_signal(int sig, char c)
{
	if (!(tio.c_lflag & NOFLSH))
		tty_flush();
	echo_char(c);
	for (struct process *p = sched_first(); p; p = p->next)
		if (p->pgid == tty_pgrp && p->state != PROC_ZOMBIE)
			signal_send(p, sig);
}

/* Erase n characters of the line on the screen. */
static void erase_chars(size_t n)
{
	while (n--) {
		char c = line[--line_len];

		if ((tio.c_lflag & ECHOE) && (tio.c_lflag & ECHO)) {
			echo("\b \b", 3);
			if ((tio.c_lflag & ECHOCTL) && (uint8_t)c < 32 && c != '\t')
				echo("\b \b", 3);
		}
	}
}

/* A word before the cursor, for VWERASE. */
static size_t word_len(void)
{
	size_t n = line_len;

	while (n && line[n - 1] == ' ')
		n--;
	while (n && line[n - 1] != ' ')
		n--;
	return line_len - n;
}

/* One character in canonical mode: editing keys, or part of the line. */
static void canon_char(char c)
{
	const uint8_t *cc = tio.c_cc;

	if (c == (char)cc[VERASE] || c == '\b') {
		if (line_len)
			erase_chars(1);
	} else if (c == (char)cc[VKILL]) {
		erase_chars(line_len);
	} else if (c == (char)cc[VWERASE] && (tio.c_lflag & IEXTEN)) {
		erase_chars(word_len());
	} else if (c == (char)cc[VEOF]) {
		line_commit(true);
	} else if (c == '\n' || (cc[VEOL] && c == (char)cc[VEOL])) {
		if (line_len < TTY_BUF)
			line[line_len++] = c;
		if ((tio.c_lflag & ECHO) || (tio.c_lflag & ECHONL))
			console_write(MV_CONSOLE_STDOUT, "\n", 1);
		line_commit(false);
	} else if (line_len < TTY_BUF - 1) {
		line[line_len++] = c;
		echo_char(c);
	}
}

static void tty_char(char c)
{
	const uint8_t *cc = tio.c_cc;

	if (tio.c_iflag & ISTRIP)
		c &= 0x7f;
	if (c == '\r') {
		if (tio.c_iflag & IGNCR)
			return;
		if (tio.c_iflag & ICRNL)
			c = '\n';
	} else if (c == '\n' && (tio.c_iflag & INLCR)) {
		c = '\r';
	}
	if ((tio.c_lflag & ISIG) && cc[VINTR] && c == (char)cc[VINTR]) {
		tty_signal(SIGINT, c);
		return;
	}
	if ((tio.c_lflag & ISIG) && cc[VQUIT] && c == (char)cc[VQUIT]) {
		tty_signal(SIGQUIT, c);
		return;
	}
	if ((tio.c_lflag & ISIG) && cc[VSUSP] && c == (char)cc[VSUSP]) {
		tty_signal(SIGTSTP, c);
		return;
	}
	if (tio.c_lflag & ICANON) {
		canon_char(c);
		return;
	}
	rq_push((uint8_t)c);
	rq_records++;
	echo_char(c);
}

void tty_input(const char *buf, size_t n)
{
	for (size_t i = 0; i < n; i++)
		tty_char(buf[i]);
	sched_wakeup(&tty_chan);
	vfs_poll_wake();
}

bool tty_readable(void)
{
	console_pump();
	return (tio.c_lflag & ICANON) ? rq_records > 0 : rq_len > 0 || tio.c_cc[VMIN] == 0;
}

/* Copy what a read takes from the queue: up to the end of a record in canonical mode. */
static long tty_take(uintptr_t buf, size_t len, bool user)
{
	size_t n = 0;

	while (n < len && rq_len) {
		uint16_t v = rq[rq_head];
		char c = (char)v;

		if (v == TTY_EOF) {
			rq_head = (rq_head + 1) % TTY_BUF;
			rq_len--;
			rq_records--;
			break;
		}
		if (user ? copy_to_user(buf + n, &c, 1) : (((char *)buf)[n] = c, 0))
			return n ? (long)n : -EFAULT;
		rq_head = (rq_head + 1) % TTY_BUF;
		rq_len--;
		n++;
		if ((tio.c_lflag & ICANON) && c == '\n') {
			rq_records--;
			break;
		}
	}
	if (!(tio.c_lflag & ICANON))
		rq_records = rq_len;
	return (long)n;
}

/* pgrp_orphaned(pgid, sid): has no member of group pgid a parent in another group of session sid? */
static bool pgrp_orphaned(int pgid, int sid)
{
	for (struct process *p = sched_first(); p; p = p->next)
		if (p->pgid == pgid && p->state != PROC_ZOMBIE && p->parent &&
		    p->parent->pgid != pgid && p->parent->sid == sid)
			return false;
	return true;
}

/*
 * tty_job_control(sig): Linux's __tty_check_change(): may the current
 * process read (SIGTTIN) or write or change (SIGTTOU) its terminal?  A
 * process of the terminal's session outside the foreground group may not:
 * its group gets sig and the call restarts after SIGCONT (-ERESTARTSYS).
 * With sig ignored or blocked, SIGTTIN is -EIO and SIGTTOU allowed; an
 * orphaned group (no one to continue it) gets -EIO.
 */
static long tty_job_control(int sig)
{
	struct process *c = current;

	if (!active || !c || c->sid != tty_sid || !tty_pgrp || c->pgid == tty_pgrp)
		return 0;
	if ((c->sig_blocked & SIGBIT(sig)) || c->sig_action[sig - 1].handler == SIG_IGN)
		return sig == SIGTTIN ? -EIO : 0;
	if (pgrp_orphaned(c->pgid, c->sid))
		return -EIO;
	for (struct process *p = sched_first(); p; p = p->next)
		if (p->pgid == c->pgid && p->state != PROC_ZOMBIE)
			signal_send(p, sig);
	return -ERESTARTSYS;
}

long tty_write_check(void)
{
	return active && (tio.c_lflag & TOSTOP) ? tty_job_control(SIGTTOU) : 0;
}

long tty_read(uintptr_t buf, size_t len, bool user, bool nonblock)
{
	long err;

	if ((err = tty_job_control(SIGTTIN)) < 0)
		return err;
	if (!len)
		return 0;
	while (!tty_readable()) {
		if (nonblock)
			return -EAGAIN;
		if (sched_sleep(&tty_chan, 0) == -EINTR)
			return -ERESTARTSYS;
		if ((err = tty_job_control(SIGTTIN)) < 0)
			return err;     /* moved to the background while waiting */
	}
	return tty_take(buf, len, user);
}

void tty_start_session(struct process *p)
{
	tty_sid = p->sid;
	tty_pgrp = p->pgid;
}

/* TIOCSPGRP: a group of the terminal's session, set by a member of it. */
static long tty_set_pgrp(uaddr_t arg)
{
	int32_t pgrp;
	bool found = false;

	if (copy_from_user(&pgrp, arg, sizeof(pgrp)))
		return -EFAULT;
	if (current->sid != tty_sid)
		return -ENOTTY;
	if (pgrp < 0)
		return -EINVAL;
	for (struct process *p = sched_first(); p; p = p->next)
		if (p->pgid == pgrp && p->state != PROC_ZOMBIE)
			found = p->sid == tty_sid || found;
	if (!found)
		return -EPERM;
	tty_pgrp = pgrp;
	return 0;
}

static long tty_set_termios(unsigned cmd, uaddr_t arg)
{
	struct ktermios t;

	if (copy_from_user(&t, arg, sizeof(t)))
		return -EFAULT;
	if (cmd == TCSETSF)
		tty_flush();
	/* Leaving canonical mode hands the line edited so far to the reader. */
	if ((tio.c_lflag & ICANON) && !(t.c_lflag & ICANON) && line_len)
		line_commit(false);
	tio = t;
	if (!(tio.c_lflag & ICANON))
		rq_records = rq_len;
	return 0;
}

/* winsize_set(w): a new window size; SIGWINCH to the foreground group when it changed. */
static void winsize_set(const struct kwinsize *w)
{
	if (!memcmp(w, &winsize, sizeof(*w)))
		return;
	winsize = *w;
	for (struct process *p = sched_first(); p; p = p->next)
		if (p->pgid == tty_pgrp && p->state != PROC_ZOMBIE)
			signal_send(p, SIGWINCH);
}

static long tty_set_winsize(uaddr_t arg)
{
	struct kwinsize w;

	if (copy_from_user(&w, arg, sizeof(w)))
		return -EFAULT;
	winsize_set(&w);
	return 0;
}

void tty_resize(uint16_t rows, uint16_t cols, uint32_t gen)
{
	static uint32_t seen;
	struct kwinsize w = winsize;

	if (!active || gen == seen || !rows || !cols)
		return;
	seen = gen;
	w.ws_row = rows;
	w.ws_col = cols;
	winsize_set(&w);
}

long tty_ioctl(unsigned cmd, uaddr_t arg)
{
	int32_t v;
	long err;

	if (!active)
		return -ENOTTY;
	/* The calls that change the terminal are writes for job control (tty_check_change). */
	if (cmd == TCSETS || cmd == TCSETSW || cmd == TCSETSF || cmd == TIOCSPGRP ||
	    cmd == TCFLSH || cmd == TCXONC) {
		if ((err = tty_job_control(SIGTTOU)) < 0)
			return cmd == TIOCSPGRP && err == -EIO ? -ENOTTY : err;
	}
	switch (cmd) {
	case TCGETS:
		return copy_to_user(arg, &tio, sizeof(tio));
	case TCSETS: case TCSETSW: case TCSETSF:
		return tty_set_termios(cmd, arg);
	case TIOCGWINSZ:
		return copy_to_user(arg, &winsize, sizeof(winsize));
	case TIOCSWINSZ:
		return tty_set_winsize(arg);
	case TIOCGPGRP:
		v = tty_pgrp;
		return current->sid == tty_sid ? copy_to_user(arg, &v, sizeof(v)) : -ENOTTY;
	case TIOCSPGRP:
		return tty_set_pgrp(arg);
	case TIOCGSID:
		v = tty_sid;
		return current->sid == tty_sid ? copy_to_user(arg, &v, sizeof(v)) : -ENOTTY;
	case TIOCSCTTY:
		if (current->sid != current->pid && current->sid != tty_sid)
			return -EPERM;
		tty_sid = current->sid;
		tty_pgrp = current->pgid;
		return 0;
	case TIOCNOTTY:
		return current->sid == tty_sid ? 0 : -ENOTTY;
	case FIONREAD:
		v = (int32_t)rq_len;
		return copy_to_user(arg, &v, sizeof(v));
	case TCFLSH:
		if (arg != 1)           /* TCOFLUSH: output is never queued */
			tty_flush();
		return 0;
	case TCSBRK: case TCXONC: case TIOCOUTQ:
		if (cmd == TIOCOUTQ) {
			v = 0;
			return copy_to_user(arg, &v, sizeof(v));
		}
		return 0;
	default:
		return -ENOTTY;
	}
}
