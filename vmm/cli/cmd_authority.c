/* cmd_authority.c: `modvisor authority`: the module authority daemon for many VMs, and its status. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/un.h>

#include "commands.h"
#include "authority/mvap_io.h"
#include "fleet/daemon.h"
#include "vm.h"

#define AUTHORITY_SOCKET_DEFAULT "/run/modvisor/authority.sock"

#define AUTHORITY_USAGE "authority [--listen SOCKET] [--policy FILE] [POLICY FLAGS] | " \
			"authority status [--socket SOCKET]"

#define AUTHORITY_HELP                                                                 \
	"Runs in the foreground: one module authority (policy, keyring, measurement\n"  \
	"log) for every VM that connects to SOCKET: `modvisor run --authority SOCKET`\n" \
	"and guests under QEMU/libvirt (`modvisor domain-xml`).  Stops on SIGTERM or\n" \
	"SIGINT, writing the log's end entry.  docs/authority-protocol.md.\n"         \
	"  --listen SOCKET\n      the Unix socket to serve (default " AUTHORITY_SOCKET_DEFAULT ")\n" \
	"  --policy FILE\n      the policy (docs/policy.md), with the daemon's own keys:\n" \
	"      kernel = the kernel ELF the VMs boot (default the installed one),\n"     \
	"      allow_uids = uids or users that may connect (default: the daemon's\n"    \
	"      own uid and root), require_seal = on|off\n"                              \
	"  POLICY FLAGS\n      as for `modvisor run` (--log, --sig-enforce, --keyring ...)\n" \
	"status [--socket SOCKET]\n"                                                    \
	"      the connected VMs with their counts, the policy in force and the\n"      \
	"      log's head aggregate\n"

/* authority_status(argc, argv): ask a running daemon; 0, or 1 when it cannot be reached. */
static int authority_status(int argc, char **argv)
{
	const char *path = AUTHORITY_SOCKET_DEFAULT, *why = NULL;
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	uint8_t frame[MVAP_HDR_LEN], *p = NULL;
	struct mvap_hdr h;
	int fd, n, ret;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--socket") == 0 && i + 1 < argc)
			path = argv[++i];
		else if (strncmp(argv[i], "--socket=", 9) == 0)
			path = argv[i] + 9;
		else
			return fprintf(stderr, "usage: modvisor " AUTHORITY_USAGE "\n"), 2;
	}
	if (strlen(path) >= sizeof(sa.sun_path))
		return fprintf(stderr, "modvisor authority status: %s: path too long\n", path), 2;
	strcpy(sa.sun_path, path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		fprintf(stderr, "modvisor authority status: %s: %s (is the authority running?)\n",
			path, strerror(errno));
		return 1;
	}
	n = mvap_empty_encode(MVAP_T_STATUS, 1, frame, sizeof(frame));
	ret = mvap_io_send(fd, &(struct iovec){ frame, (size_t)n }, 1);
	if (ret == 0)
		ret = mvap_io_recv_frame(fd, &h, &p, 10000, 10000, &why);
	if (ret == 0 && h.type == MVAP_T_ERROR) {
		struct mvap_error e;
		if (mvap_error_decode(p, h.len, &e, &why) == 0)
			why = e.msg;
		ret = -EACCES;
	} else if (ret == 0 && (h.type != MVAP_T_STATUS_TEXT || mvap_text_check(p, h.len, &why))) {
		why = why ? why : "the reply is not STATUS_TEXT";
		ret = -EPROTO;
	}
	close(fd);
	if (ret < 0) {
		fprintf(stderr, "modvisor authority status: %s: %s\n", path, why ? why : strerror(-ret));
		free(p);
		return 1;
	}
	fwrite(p, 1, h.len, stdout);
	free(p);
	return 0;
}

/* authority_args(argc, argv, p, listen): the daemon's flags; 0, or 2 after a usage message. */
static int authority_args(int argc, char **argv, struct policy *p, const char **listen)
{
	char err[PATH_MAX + 512];
	int used;

	for (int i = 1; i < argc; i += used) {
		if (strcmp(argv[i], "--listen") == 0 && i + 1 < argc) {
			*listen = argv[i + 1];
			used = 2;
			continue;
		}
		if (strncmp(argv[i], "--listen=", 9) == 0) {
			*listen = argv[i] + 9;
			used = 1;
			continue;
		}
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			printf("usage: modvisor " AUTHORITY_USAGE "\n\n" AUTHORITY_HELP);
			exit(0);
		}
		int r = policy_cli_option(p, argc - i, argv + i, &used, err, sizeof(err));
		if (r < 0) {
			fprintf(stderr, "modvisor authority: %s\n", err);
			return 2;
		}
		if (r == 0) {
			fprintf(stderr, "modvisor authority: unknown option '%s'\nusage: modvisor "
				AUTHORITY_USAGE "\n", argv[i]);
			return 2;
		}
	}
	return 0;
}

static int cmd_authority(int argc, char **argv)
{
	const char *listen = AUTHORITY_SOCKET_DEFAULT;
	struct policy p;
	struct fleet f;
	char err[PATH_MAX + 512];
	int ret;

	if (argc >= 2 && strcmp(argv[1], "status") == 0)
		return authority_status(argc - 1, argv + 1);
	policy_init(&p);
	ret = authority_args(argc, argv, &p, &listen);
	if (ret) {
		policy_free(&p);
		return ret;
	}
	if (fleet_open(&f, &p, listen, err, sizeof(err)) < 0) {
		fprintf(stderr, "modvisor authority: %s\n", err);
		return MV_EXIT_SETUP;
	}
	return fleet_serve(&f, -1);
}

COMMAND(authority, "authority", AUTHORITY_USAGE, AUTHORITY_HELP, cmd_authority);
