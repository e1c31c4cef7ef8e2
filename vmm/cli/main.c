/* main.c: modvisor's entry point: dispatch a subcommand from the COMMAND() table. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "commands.h"
#include "vm.h"
#include "modvisor/abi/hypercall.h"
#include "modvisor/version.h"

static const char main_exit_table[] =
	"Exit status of `run` (the guest's own status, 0-255, unless the VM stops\n"
	"for another reason; a diagnostic on stderr then names the cause):\n"
	"    2  bad command line, or an input that cannot be used: a --kernel,\n"
	"       --initrd, --add, --policy, --keyring or --log that is missing, a\n"
	"       directory, unreadable or does not parse (checked before anything\n"
	"       boots, the emulated KVM host included)\n"
	"  109  integrity violation: a guest write to kernel text or rodata, which\n"
	"       the host made read-only (--protect, --on-violation)\n"
	"  110  the --timeout watchdog stopped a guest that ran too long\n"
	"  112  unknown hypercall number\n"
	"  113  hypercall GPA or length outside guest RAM, or overflowing\n"
	"  114  hypercall struct with a wrong abi_version or size\n"
	"  115  other invalid hypercall argument\n"
	"  116  port I/O outside the hypercall ports\n"
	"  117  MMIO: access to unmapped guest-physical memory\n"
	"  118  shutdown (triple fault)\n"
	"  119  KVM_EXIT_INTERNAL_ERROR\n"
	"  120  KVM_EXIT_FAIL_ENTRY\n"
	"  121  unexpected HLT\n"
	"  122  guest kernel exception (reported with vector, error, RIP, CR2)\n"
	"  123  any other KVM exit\n"
	"  124  the VM could not be set up (KVM, the kernel's segments, guest RAM,\n"
	"       the log, or --accel=kvm on an unusable /dev/kvm)\n"
	"  125  the emulated KVM host failed\n"
	"  128+N  stopped by signal N: SIGINT (130), SIGTERM (143) or SIGHUP (129)\n"
	"       stop the guest, complete the measurement log and print its aggregate;\n"
	"       through the emulated KVM host the signal is passed to the run inside\n"
	"  159  (128+SIGSYS) the VMM made a system call its seccomp filter forbids\n"
	"       (\"modvisor: seccomp: forbidden system call N\"; docs/security.md)\n"
	"\n"
	"Exit status of the other commands: 2 always means a usage error or an\n"
	"input that cannot be read (a missing file, a directory).\n"
	"  log verify  0 sound; 1 altered, reordered, removed or cut (or not a log);\n"
	"              3 the valid prefix a crash left behind\n"
	"  log show    0; 1 not a log\n"
	"  verify      0 every signature good; 1 one is not (or a file is corrupt)\n"
	"  measure     0; 1 a compressed file that does not decompress\n"
	"  with-kvm    CMD's; 125 the emulated KVM host failed; 126/127 CMD cannot run\n";

static const char main_env[] =
	"Environment:\n"
	"  MODVISOR_NOPROBE=1  (developers only) trust /dev/kvm without the probe VM\n"
	"  MODVISOR_NO_SECCOMP=1  (debugging only) run the guest without the seccomp filter\n";

/* main_cmp(a, b): order commands by name for --help. */
static int main_cmp(const void *a, const void *b)
{
	return strcmp((*(const struct command *const *)a)->name,
		      (*(const struct command *const *)b)->name);
}

/* main_usage(f, full): the command list; with full, every command's help. */
static void main_usage(FILE *f, int full)
{
	const struct command *sorted[64], *c;
	size_t n = 0, i;

	for (c = __start_mv_commands; c < __stop_mv_commands && n < 64; c++)
		if (c->usage)           /* NULL: internal (the emulated host's agent) */
			sorted[n++] = c;
	qsort(sorted, n, sizeof(sorted[0]), main_cmp);
	fprintf(f, "usage: modvisor COMMAND [OPTIONS]   (modvisor --help, --version)\n");
	for (i = 0; i < n; i++)
		fprintf(f, "       modvisor %s\n", sorted[i]->usage);
	if (!full)
		return;
	fprintf(f, "\nmodvisor %s boots its own paravirtual guest kernel on KVM and "
		"loads Linux kernel modules under host authority.\n", MODVISOR_VERSION);
	for (i = 0; i < n; i++)
		fprintf(f, "\nmodvisor %s\n%s", sorted[i]->usage, sorted[i]->help);
	fprintf(f, "\n%s\n%s", main_env, main_exit_table);
}

int main(int argc, char **argv)
{
	const struct command *c;

	/* A closed stdout must not kill the VMM; writes get EPIPE instead. */
	signal(SIGPIPE, SIG_IGN);
	if (argc < 2) {
		main_usage(stderr, 0);
		return MV_EXIT_USAGE;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
		main_usage(stdout, 1);
		return 0;
	}
	if (!strcmp(argv[1], "--version")) {
		printf("modvisor %s (hypercall ABI %u, guest release %s)\n",
		       MODVISOR_VERSION, MV_ABI_VERSION, MODVISOR_UTS_RELEASE);
		return 0;
	}
	for (c = __start_mv_commands; c < __stop_mv_commands; c++)
		if (!strcmp(c->name, argv[1]))
			return c->fn(argc - 1, argv + 1);
	fprintf(stderr, "modvisor: unknown command '%s'\n", argv[1]);
	main_usage(stderr, 0);
	return MV_EXIT_USAGE;
}
