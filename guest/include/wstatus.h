/* wstatus.h: Linux's wait status encoding (wait4) and waitid's si_code/si_status. */
#ifndef MV_GUEST_WSTATUS_H
#define MV_GUEST_WSTATUS_H

/*
 * A wait status as wait4(2) stores it, bit for bit like Linux:
 *   exited:    code << 8            (WIFEXITED, WEXITSTATUS)
 *   signaled:  sig | 0x80 if a core (WIFSIGNALED, WTERMSIG, WCOREDUMP)
 *   stopped:   sig << 8 | 0x7f      (WIFSTOPPED, WSTOPSIG)
 *   continued: 0xffff               (WIFCONTINUED)
 * Pure functions, unit-tested on the host against <sys/wait.h>.
 */
#define WS_EXITCODE(code)       (((code) & 0xff) << 8)
#define WS_SIGNALED(sig, core)  (((sig) & 0x7f) | ((core) ? 0x80 : 0))
#define WS_STOPCODE(sig)        (((sig) & 0xff) << 8 | 0x7f)
#define WS_CONTINUED            0xffff

/* waitid's si_code values (CLD_*; a hosted test has them from <signal.h>). */
#ifndef CLD_EXITED
#define CLD_EXITED    1
#define CLD_KILLED    2
#define CLD_DUMPED    3
#define CLD_TRAPPED   4
#define CLD_STOPPED   5
#define CLD_CONTINUED 6
#endif

static inline int wstatus_exited(int ws)   { return (ws & 0x7f) == 0; }
static inline int wstatus_termsig(int ws)  { return ws & 0x7f; }
static inline int wstatus_signaled(int ws)
{
	return (ws & 0x7f) != 0 && (ws & 0x7f) != 0x7f;
}

/* The status a shell shows ($?): the exit code, or 128 + the signal. */
static inline int wstatus_shell(int ws)
{
	return wstatus_exited(ws) ? (ws >> 8) & 0xff : 128 + wstatus_termsig(ws);
}

/* waitid's (si_code, si_status) of a wait status. */
static inline void wstatus_siginfo(int ws, int *code, int *status)
{
	if (ws == WS_CONTINUED) {
		*code = CLD_CONTINUED;
		*status = 18;           /* SIGCONT */
	} else if ((ws & 0xff) == 0x7f) {
		*code = CLD_STOPPED;
		*status = (ws >> 8) & 0xff;
	} else if (wstatus_exited(ws)) {
		*code = CLD_EXITED;
		*status = (ws >> 8) & 0xff;
	} else {
		*code = ws & 0x80 ? CLD_DUMPED : CLD_KILLED;
		*status = ws & 0x7f;
	}
}

/* Signals whose default action dumps core (the 0x80 bit of the status). */
static inline int wstatus_sig_core(int sig)
{
	switch (sig) {
	case 3: case 4: case 5: case 6: case 7: case 8: case 11:
	case 24: case 25: case 31:   /* QUIT ILL TRAP ABRT BUS FPE SEGV XCPU XFSZ SYS */
		return 1;
	default:
		return 0;
	}
}

#endif
