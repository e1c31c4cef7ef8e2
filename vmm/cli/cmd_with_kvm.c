/* cmd_with_kvm.c: `modvisor with-kvm`, run a host command where KVM is usable (directly, or in the emulated KVM host). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "accel.h"
#include "commands.h"
#include "emuhost/emuhost.h"

#define WITH_KVM_FAIL 125       /* our own failure, as emuhost_exec() uses */

static const char with_kvm_help[] =
	"Run CMD where KVM is usable: directly when /dev/kvm passes the probe,\n"
	"otherwise inside one boot of the emulated KVM host (QEMU TCG + AMD SVM),\n"
	"which sees this machine's files at the same paths and this directory.\n"
	"CMD's stdout and stderr stream live; its exit status is ours.\n"
	"\n"
	"  --accel=auto      probe /dev/kvm; fall back to the emulated host (default)\n"
	"  --accel=kvm       use /dev/kvm or fail with the probe's reason\n"
	"  --accel=emulated  always use the emulated host\n"
	"  -h, --help        this text\n"
	"\n"
	"Exit status: CMD's; 125 when the emulated host itself fails; 126/127 when\n"
	"CMD cannot be run directly.  Env: MODVISOR_EMUHOST_TIMEOUT (seconds,\n"
	"default 3600), MODVISOR_EMUHOST_DIR (vmlinuz + initramfs.cpio.gz, default\n"
	"<dir of modvisor>/emuhost), MODVISOR_EMUHOST_KEEP=1 (keep the job dir).\n"
	"SIGINT, SIGTERM and SIGHUP are passed to CMD's process group inside; a\n"
	"second one, or 30 s without CMD ending, stops the emulated host.\n"
	"Inside the emulated host MODVISOR_IN_EMUHOST=1 is set and with-kvm never\n"
	"nests.  See docs/emulated-host.md.\n";

/* with_kvm_exec(argv): replace ourselves with argv; returns only on failure. */
static int with_kvm_exec(char *const argv[])
{
	fflush(NULL);
	execvp(argv[0], argv);
	fprintf(stderr, "modvisor: %s: %s\n", argv[0], strerror(errno));
	return errno == ENOENT ? 127 : 126;
}

/* with_kvm_parse(argc, argv, mode): options; the index of CMD, or -1. */
static int with_kvm_parse(int argc, char **argv, enum accel_mode *mode)
{
	int i;

	for (i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (!strcmp(a, "--"))
			return i + 1;
		if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			printf("usage: modvisor with-kvm [--accel=auto|kvm|emulated] -- CMD [ARG...]\n\n%s",
			       with_kvm_help);
			exit(0);
		}
		if (!strcmp(a, "--accel") && i + 1 < argc) {
			a = argv[++i];
		} else if (!strncmp(a, "--accel=", 8)) {
			a += 8;
		} else if (a[0] == '-') {
			fprintf(stderr, "modvisor with-kvm: unknown option %s (see --help)\n", a);
			return -1;
		} else {
			return i;
		}
		if (accel_parse(a, mode) < 0) {
			fprintf(stderr, "modvisor with-kvm: --accel=%s: want auto, kvm or emulated\n", a);
			return -1;
		}
	}
	return i;
}

/* with_kvm_main(argc, argv): the subcommand. */
static int with_kvm_main(int argc, char **argv)
{
	enum accel_mode mode = ACCEL_AUTO;
	const char *inside = getenv("MODVISOR_IN_EMUHOST");
	char why[256] = "";
	int cmd = with_kvm_parse(argc, argv, &mode);

	if (cmd < 0)
		return 2;
	if (cmd >= argc) {
		fprintf(stderr, "modvisor with-kvm: no command (usage: modvisor with-kvm [--accel=...] -- CMD [ARG...])\n");
		return 2;
	}
	argv += cmd;
	if (inside && !strcmp(inside, "1")) {
		/* We are the emulated host: its /dev/kvm is the only one; never nest. */
		if (accel_probe_kvm(why, sizeof(why)) == 0)
			return with_kvm_exec(argv);
		fprintf(stderr, "modvisor: /dev/kvm inside the emulated KVM host is not usable (%s)\n", why);
		return WITH_KVM_FAIL;
	}
	if (mode == ACCEL_EMULATED)
		return emuhost_exec(argv);
	if (accel_probe_kvm(why, sizeof(why)) == 0)
		return with_kvm_exec(argv);
	if (mode == ACCEL_KVM) {
		fprintf(stderr, "modvisor: --accel=kvm: /dev/kvm is not usable (%s); "
			"use --accel=auto or --accel=emulated to run in the emulated KVM host\n", why);
		return WITH_KVM_FAIL;
	}
	fprintf(stderr, "modvisor: /dev/kvm is not usable (%s); running inside the emulated KVM host\n", why);
	return emuhost_exec(argv);
}

COMMAND(with_kvm, "with-kvm", "with-kvm [--accel=auto|kvm|emulated] -- CMD [ARG...]",
	with_kvm_help, with_kvm_main);
