/* mv-check.h: the "ok - NAME" / "not ok - NAME" lines of the guest test programs (mv-procs, mv-fifo, mv-tty), and their closing verdict. */
#ifndef MV_PROGS_CHECK_H
#define MV_PROGS_CHECK_H

#include <errno.h>
#include <stdio.h>
#include <string.h>

static int failures;

/* check(cond, name): one TAP-style line; a false cond counts a failure. */
static inline void check(int cond, const char *name)
{
	printf("%s - %s\n", cond ? "ok" : "not ok", name);
	fflush(stdout);
	if (!cond)
		failures++;
}

/* check_errno(ret, err, name): the call must have failed (-1) with exactly err. */
static inline void check_errno(long ret, int err, const char *name)
{
	char buf[160];

	snprintf(buf, sizeof(buf), "%s: %s", name, strerrorname_np(err));
	if (!(ret == -1 && errno == err))
		printf("# got %ld, errno %d (%s)\n", ret, errno, strerrorname_np(errno));
	check(ret == -1 && errno == err, buf);
}

/* check_done(): print "PASS: 0 failure(s)" (or FAIL); the exit status to return. */
static inline int check_done(void)
{
	printf("%s: %d failure(s)\n", failures ? "FAIL" : "PASS", failures);
	return failures ? 1 : 0;
}

#endif
