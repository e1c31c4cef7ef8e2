/* authority_run.c: hooks that give `modvisor run` its module authority (flags, open, close). */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "authority.h"
#include "run.h"
#include "vm.h"

/* --report FILE: the run's result, apart from everything the guest can print. */
static char run_report[PATH_MAX];
static int run_report_fd = -1;  /* opened before the guest runs (--user, seccomp) */

/* authority_run_option(argc, argv, used, err, errlen): --report, or a policy flag. */
static int authority_run_option(int argc, char **argv, int *used, char *err, size_t errlen)
{
	const char *v = NULL;

	if (strcmp(argv[0], "--report") == 0) {
		if (argc < 2)
			return snprintf(err, errlen, "--report needs a value (FILE)"), -1;
		v = argv[1];
		*used = 2;
	} else if (strncmp(argv[0], "--report=", 9) == 0) {
		v = argv[0] + 9;
		*used = 1;
	} else {
		return authority_cli_option(argc, argv, used, err, errlen);
	}
	if (!v[0] || strlen(v) >= sizeof(run_report))
		return snprintf(err, errlen, "--report: want a file name shorter than PATH_MAX"), -1;
	strcpy(run_report, v);
	return 1;
}

/* authority_run_check(kernel, err, errlen): the report can be written, and the authority's inputs. */
static int authority_run_check(const char *kernel, char *err, size_t errlen)
{
	int fd;

	if (run_report[0]) {
		fd = open(run_report, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOCTTY | O_NONBLOCK, 0644);
		if (fd < 0) {
			int e = errno;
			snprintf(err, errlen, "--report %s: %s", run_report, strerror(e));
			return -e;
		}
		close(fd);
	}
	return authority_check_inputs(kernel, err, errlen);
}

/* Policy flags reach us through cmd_run.c's run_extra hook. */
__attribute__((constructor)) static void authority_run_register(void)
{
	run_extra = authority_run_option;
	run_extra_check = authority_run_check;
}

/* authority_run_report(msg, status): write the report, if asked; -1 when it cannot be written. */
static int authority_run_report(const char *msg, int status)
{
	int n, fd = run_report_fd;

	if (fd < 0)
		return 0;
	run_report_fd = -1;
	n = dprintf(fd, "%s\nexit status %d\n", msg, status);
	if (close(fd) < 0 || n < 0) {
		fprintf(stderr, "modvisor: --report %s: write failed\n", run_report);
		return -1;
	}
	return 0;
}

int authority_run_open(struct vm *vm, const char *kernel)
{
	char err[PATH_MAX + 512];

	if (run_report[0]) {
		run_report_fd = open(run_report, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOCTTY,
				     0644);
		if (run_report_fd < 0) {
			fprintf(stderr, "modvisor: --report %s: %s\n", run_report, strerror(errno));
			return -1;
		}
	}
	if (authority_open(&vm->auth, NULL, kernel, err, sizeof(err)) < 0) {
		fprintf(stderr, "modvisor: %s\n", err);
		fprintf(stderr, "modvisor: the module authority is not ready: not starting the guest\n");
		return -1;
	}
	return 0;
}

int authority_run_close(struct vm *vm, int status)
{
	char msg[PATH_MAX + 512];
	bool loads;
	int ret;

	if (!vm->auth)
		return status;
	loads = vm->auth->next_load_id > 1;
	ret = authority_close(vm->auth, msg, sizeof(msg));
	vm->auth = NULL;
	if (ret < 0) {
		fprintf(stderr, "modvisor: %s\n", msg);
		return MV_EXIT_SETUP;
	}
	/* The anchor for `modvisor log verify --aggregate`, once modules were involved. */
	if (loads)
		fprintf(stderr, "modvisor: %s\n", msg);
	return authority_run_report(msg, status) < 0 ? MV_EXIT_SETUP : status;
}
