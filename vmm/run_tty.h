/* run_tty.h: `modvisor run` on a terminal: the guest gets a tty, the host terminal goes raw meanwhile. */
#ifndef MODVISOR_CLI_RUN_TTY_H
#define MODVISOR_CLI_RUN_TTY_H

#include <stdbool.h>
#include <stdint.h>

/*
 * run_tty_detect(rows, cols): is the run's stdin a terminal?  Either it is
 * one here (isatty), with its window size, or the outer modvisor said so
 * in MODVISOR_TTY=ROWSxCOLS (inside the emulated KVM host, whose stdin is a
 * relay).  Returns true and the size (0 if unknown).
 */
bool run_tty_detect(uint16_t *rows, uint16_t *cols);

/*
 * run_tty_size(rows, cols): the terminal's size now, after a SIGWINCH: of
 * stdin (or stdout) here, or, inside the emulated KVM host, the "ROWSxCOLS"
 * the outer modvisor keeps in the file MODVISOR_TTY_FILE names (opened by
 * run_tty_detect, before the sandbox).  false if unknown.
 */
bool run_tty_size(uint16_t *rows, uint16_t *cols);

/*
 * run_tty_raw(): if stdin is a terminal here, put it in raw mode (the
 * guest does echo, line editing and signals) until run_tty_restore().  The
 * saved mode comes back on every way out: run_tty_restore(), exit(), and
 * SIGTERM, SIGHUP, SIGINT or SIGQUIT (restored, then re-raised).
 */
void run_tty_raw(void);

/* run_tty_restore(): give the terminal its saved mode back; safe to repeat. */
void run_tty_restore(void);

/* run_tty_export(): for the emulated host: MODVISOR_TTY=ROWSxCOLS if stdin is a terminal. */
void run_tty_export(void);

#endif
