/* tty.h: the console as a terminal: termios, the line discipline, the job-control ioctls. */
#ifndef MV_GUEST_TTY_H
#define MV_GUEST_TTY_H

#include "kernel.h"

struct process;

/*
 * When the host's stdin is a terminal (MV_BOOT_F_TTY) the console is one
 * tty, /dev/console, as on Linux: host bytes go through the line
 * discipline (canonical mode with echo, VERASE, VKILL, VWERASE, VEOF,
 * ICRNL; VINTR and VQUIT signal the foreground process group; raw mode
 * for programs that edit lines themselves), output gets OPOST/ONLCR, and
 * TCGETS/TCSETS*, TIOCGWINSZ/TIOCSWINSZ, TIOCGPGRP/TIOCSPGRP, TIOCSCTTY,
 * TIOCNOTTY, TIOCGSID, FIONREAD, TCFLSH, TCSBRK and TCXONC work.  Without
 * the flag nothing is a terminal (ENOTTY) and reads are plain.
 */

/* tty_init(): set up from the boot info (the flag and the window size). */
void tty_init(void);
/* tty_active(): is the console a terminal? */
bool tty_active(void);
/* tty_onlcr(): does output turn \n into \r\n now (OPOST|ONLCR)? */
bool tty_onlcr(void);

/* tty_input(buf, n): bytes from the host through the line discipline. */
void tty_input(const char *buf, size_t n);
/*
 * tty_read(buf, len, user, nonblock): read(2) of the terminal: a line in
 * canonical mode (0 for VEOF on an empty line), else what has come.
 * Sleeps for input; -EAGAIN, -ERESTARTSYS, -EFAULT.
 */
long tty_read(uintptr_t buf, size_t len, bool user, bool nonblock);
/*
 * tty_write_check(): under TOSTOP, may the current process write to the
 * terminal?  0, or (a background group) -ERESTARTSYS after SIGTTOU, -EIO
 * for an orphaned group.  tty_read and the ioctls that change the
 * terminal do the same with SIGTTIN and SIGTTOU.
 */
long tty_write_check(void);
/*
 * tty_resize(rows, cols, gen): the host's window size as MV_HC_CONSOLE_READ
 * reports it; a new gen (the host terminal was resized) sets it as
 * TIOCSWINSZ would, with SIGWINCH to the foreground group.
 */
void tty_resize(uint16_t rows, uint16_t cols, uint32_t gen);
/* tty_readable(): would tty_read return at once? */
bool tty_readable(void);
/* tty_ioctl(cmd, arg): a terminal ioctl on the console; -ENOTTY if not one. */
long tty_ioctl(unsigned cmd, uaddr_t arg);
/* tty_start_session(p): boot command p owns the terminal and is its foreground. */
void tty_start_session(struct process *p);

#endif
