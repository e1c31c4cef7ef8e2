/* run_check.c: every input file of `modvisor run`, checked before anything boots (issue 12 finding 4). */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "cpio_write.h"
#include "run.h"

/* Set by the authority to check its own inputs (see run.h). */
run_extra_checker run_extra_check;

/*
 * run_check_file(what, path, hint): a file the run reads whole: it must be
 * a regular file that opens for reading.  Prints "modvisor: WHAT PATH:
 * reason" and returns -1 otherwise.  (A directory would read as nothing,
 * a FIFO would block.)
 */
static int run_check_file(const char *what, const char *path, const char *hint)
{
	struct stat st;
	int fd, e = 0;

	if (stat(path, &st) < 0)
		e = errno;
	else if (S_ISDIR(st.st_mode))
		e = EISDIR;
	else if (!S_ISREG(st.st_mode))
		e = EINVAL;
	else if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		e = errno;
	else
		close(fd);
	if (e == 0)
		return 0;
	fprintf(stderr, "modvisor: %s %s: %s%s\n", what, path,
		e == EINVAL ? "not a regular file" : strerror(e), e == ENOENT ? hint : "");
	return -1;
}

/* run_check_adds(o): build the --add archive once, to be thrown away: every file must read. */
static int run_check_adds(const struct run_opts *o)
{
	struct cpio_out scratch = { 0 };
	char err[PATH_MAX + 128];
	int i, ret = 0;

	for (i = 0; i < o->nadds && ret == 0; i++) {
		if (cpio_add_host(&scratch, o->adds[i].host, o->adds[i].guest, err, sizeof(err))) {
			fprintf(stderr, "modvisor: %s\n", err);
			ret = -1;
		}
	}
	cpio_free(&scratch);
	return ret;
}

int run_check_inputs(const struct run_opts *o, const char *kernel, const char *initrd)
{
	char err[PATH_MAX + 512];

	if (run_check_file("kernel", kernel, o->kernel ? "" :
			   " (build it with `make`, or pass --kernel)"))
		return -1;
	if (strcmp(initrd, "none") != 0 &&
	    run_check_file("initrd", initrd, o->initrd ? "" :
			   " (build it with `make`, or pass --initrd)"))
		return -1;
	if (run_check_adds(o))
		return -1;
	if (run_extra_check && run_extra_check(kernel, err, sizeof(err)) < 0) {
		fprintf(stderr, "modvisor: %s\n", err);
		return -1;
	}
	return 0;
}
