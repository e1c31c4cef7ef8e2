/* authority_run.c: hooks that give `modvisor run` its module authority (flags, open, close). */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/random.h>
#include <sys/stat.h>

#include "authority.h"
#include "emuhost/emuhost.h"
#include "emuhost/port.h"
#include "mvap_io.h"
#include "remote.h"
#include "run.h"
#include "vm.h"

/* --report FILE: the run's result, apart from everything the guest can print. */
static char run_report[PATH_MAX];
static int run_report_fd = -1;  /* opened before the guest runs (--user, seccomp) */

/* --authority SOCKET, --name NAME, --uuid UUID: use a daemon (remote.h). */
static char run_authority[PATH_MAX];
static char run_name[MVAP_NAME_MAX + 1];
static uint8_t run_uuid[16];
static bool run_uuid_set;
static char run_policy_flag[64];        /* the first policy flag given, for --authority's check */

/*
 * authority_run_forwarded(): inside the emulated KVM host, was the run's
 * --authority connected on the real host and handed in as a port
 * (authority_run_forward())?
 */
static bool authority_run_forwarded(void)
{
	const char *port = getenv(EMUHOST_STREAM_ENV);

	return getenv("MODVISOR_IN_EMUHOST") && port && strcmp(port, EMUHOST_AUTHORITY_PORT) == 0;
}

/* authority_run_value(argc, argv, flag, v, used): "--flag V" or "--flag=V"; 1, 0 or -1. */
static int authority_run_value(int argc, char **argv, const char *flag, const char **v, int *used,
			       char *err, size_t errlen)
{
	size_t n = strlen(flag);

	if (strcmp(argv[0], flag) == 0) {
		if (argc < 2)
			return snprintf(err, errlen, "%s needs a value", flag), -1;
		*v = argv[1];
		*used = 2;
		return 1;
	}
	if (strncmp(argv[0], flag, n) == 0 && argv[0][n] == '=') {
		*v = argv[0] + n + 1;
		*used = 1;
		return 1;
	}
	return 0;
}

/* authority_run_fleet(argc, argv, used, err, errlen): --authority, --name, --uuid. */
static int authority_run_fleet(int argc, char **argv, int *used, char *err, size_t errlen)
{
	const char *v;
	int r;

	if ((r = authority_run_value(argc, argv, "--authority", &v, used, err, errlen)) != 0) {
		if (r < 0 || !v[0] || strlen(v) >= 108)
			return r < 0 ? -1 : (snprintf(err, errlen, "--authority: want a socket path "
					     "of 1..107 bytes"), -1);
		strcpy(run_authority, v);
		return 1;
	}
	if ((r = authority_run_value(argc, argv, "--name", &v, used, err, errlen)) != 0) {
		if (r < 0 || !mvap_name_ok(v, (uint32_t)strnlen(v, MVAP_NAME_MAX + 1)))
			return r < 0 ? -1 : (snprintf(err, errlen, "--name '%s': want 1..64 of "
					     "[A-Za-z0-9._-]", v), -1);
		strcpy(run_name, v);
		return 1;
	}
	if ((r = authority_run_value(argc, argv, "--uuid", &v, used, err, errlen)) != 0) {
		if (r < 0 || mvap_uuid_parse(v, run_uuid) < 0)
			return r < 0 ? -1 : (snprintf(err, errlen, "--uuid '%s': want "
					     "8-4-4-4-12 hex digits, not all zero", v), -1);
		run_uuid_set = true;
		return 1;
	}
	return 0;
}

/* authority_run_option(argc, argv, used, err, errlen): --report, the fleet flags, or a policy flag. */
static int authority_run_option(int argc, char **argv, int *used, char *err, size_t errlen)
{
	const char *v = NULL;
	int r = authority_run_fleet(argc, argv, used, err, errlen);

	if (r != 0)
		return r;
	if (strcmp(argv[0], "--report") == 0) {
		if (argc < 2)
			return snprintf(err, errlen, "--report needs a value (FILE)"), -1;
		v = argv[1];
		*used = 2;
	} else if (strncmp(argv[0], "--report=", 9) == 0) {
		v = argv[0] + 9;
		*used = 1;
	} else {
		r = authority_cli_option(argc, argv, used, err, errlen);
		if (r == 1)
			snprintf(run_policy_flag, sizeof(run_policy_flag), "%s", argv[0]);
		return r;
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
	if (run_authority[0] && run_policy_flag[0]) {
		snprintf(err, errlen, "--authority %s: %.40s: the daemon's policy is in force; "
			 "policy flags apply to a run's own authority only", run_authority,
			 run_policy_flag);
		return -EINVAL;
	}
	if (run_authority[0]) {
		struct kernel_syms ks;
		struct stat st;
		int ret = kernel_syms_read(kernel, &ks, err, errlen);

		if (ret < 0)
			return ret;
		kernel_syms_free(&ks);
		/* The real host's socket, connected there: here, the path may be another file. */
		if (authority_run_forwarded())
			return 0;
		if (stat(run_authority, &st) < 0) {
			int e = errno;
			snprintf(err, errlen, "--authority %s: %s", run_authority, strerror(e));
			return -e;
		}
		if (!S_ISSOCK(st.st_mode)) {
			snprintf(err, errlen, "--authority %s: not a socket", run_authority);
			return -ENOTSOCK;
		}
		return 0;
	}
	return authority_check_inputs(kernel, err, errlen);
}

/* Policy flags reach us through cmd_run.c's run_extra hook. */
__attribute__((constructor)) static void authority_run_register(void)
{
	run_extra = authority_run_option;
	run_extra_check = authority_run_check;
	run_extra_kmod = authority_cli_kmod;
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

/*
 * authority_run_stream(fd): inside the emulated KVM host, the port that is
 * the connection the real host made to --authority; elsewhere -1 (connect
 * to the socket).  0, or -1 after saying why.
 */
static int authority_run_stream(int *fd)
{
	*fd = -1;
	if (!authority_run_forwarded())
		return 0;
	*fd = emuhost_port_open(EMUHOST_AUTHORITY_PORT);
	/* Non-blocking: a write to a port whose daemon is gone would wait for good (mvap_io.c). */
	if (*fd >= 0 && fcntl(*fd, F_SETFL, O_NONBLOCK) == 0)
		return 0;
	if (*fd >= 0) {
		int e = errno;
		close(*fd);
		*fd = -e;
	}
	fprintf(stderr, "modvisor: %s: cannot reach the module authority: the emulated KVM host's "
		"port %s, its connection from the real host, does not open: %s\n", run_authority,
		EMUHOST_AUTHORITY_PORT, strerror(-*fd));
	fprintf(stderr, "modvisor: the module authority is not ready: not starting the guest\n");
	return -1;
}

int authority_run_forward(int *fd, char *name, size_t namelen)
{
	char err[PATH_MAX + 512];

	*fd = -1;
	name[0] = '\0';
	if (!run_authority[0])
		return 0;
	*fd = remote_connect(run_authority, err, sizeof(err));
	/* Inside, PIDs are the emulated host's: every run there would be the same run-PID. */
	if (*fd >= 0 && !run_name[0])
		snprintf(name, namelen, "--name=run-%d", (int)getpid());
	if (*fd >= 0)
		return 0;
	fprintf(stderr, "modvisor: %s\n", err);
	fprintf(stderr, "modvisor: the module authority is not ready: not starting the emulated "
		"KVM host\n");
	return -1;
}

int authority_run_open(struct vm *vm, const char *kernel)
{
	char err[PATH_MAX + 512];
	int stream;

	if (run_report[0]) {
		run_report_fd = open(run_report, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOCTTY,
				     0644);
		if (run_report_fd < 0) {
			fprintf(stderr, "modvisor: --report %s: %s\n", run_report, strerror(errno));
			return -1;
		}
	}
	if (run_authority[0]) {
		if (!run_name[0])
			snprintf(run_name, sizeof(run_name), "run-%d", (int)getpid());
		if (!run_uuid_set) {
			if (getrandom(run_uuid, sizeof(run_uuid), 0) != sizeof(run_uuid)) {
				fprintf(stderr, "modvisor: --uuid: cannot generate one (getrandom)\n");
				return -1;
			}
			run_uuid[6] = (uint8_t)((run_uuid[6] & 0x0f) | 0x40);  /* RFC 4122 v4 */
			run_uuid[8] = (uint8_t)((run_uuid[8] & 0x3f) | 0x80);
		}
		if (authority_run_stream(&stream) < 0)
			return -1;
		if (remote_open(&vm->auth, run_authority, stream, kernel, run_name, run_uuid, err,
				sizeof(err)) < 0) {
			fprintf(stderr, "modvisor: %s\n", err);
			fprintf(stderr, "modvisor: the module authority is not ready: not starting "
				"the guest\n");
			return -1;
		}
		return 0;
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
