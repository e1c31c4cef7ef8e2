/* run.c: the orchestration of `modvisor run`: the accelerator choice, then a boot on /dev/kvm or in the emulated host. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "accel.h"
#include "authority/authority.h"
#include "boot.h"
#include "cpio_write.h"
#include "emuhost/emuhost.h"
#include "emuhost/port.h"
#include "initwd.h"
#include "integrity.h"
#include "kernel_load.h"
#include "paths.h"
#include "run.h"
#include "run_tty.h"
#include "modvisor/abi/bootinfo.h"
#include "vm.h"

const char *run_default_path(const char *leaf, char *buf, size_t len)
{
	char rel[NAME_MAX + 8];
	const char *p;

	snprintf(rel, sizeof(rel), "images/%s", leaf);
	p = paths_data_file(rel, buf, len);
	return p ? p : leaf;
}

/*
 * run_emulated_argv(argc, argv, exe, word, v): the inner run's command line
 * (run_rewrite_argv), with word (an option for the inner run) first when
 * not "".  0 or -1.
 */
static int run_emulated_argv(int argc, char **argv, const char *exe, char *word, char ***v)
{
	char **av;
	int ret;

	if (!word[0])
		return run_rewrite_argv(argc, argv, exe, v);
	av = calloc((size_t)argc + 2, sizeof(*av));
	if (!av)
		return -1;
	av[0] = argv[0];
	av[1] = word;
	memcpy(av + 2, argv + 1, (size_t)(argc - 1) * sizeof(*av));
	ret = run_rewrite_argv(argc + 1, av, exe, v);
	free(av);
	return ret;
}

/* run_emulated(argc, argv): the same invocation inside the emulated KVM host. */
static int run_emulated(int argc, char **argv)
{
	char exe[PATH_MAX], name[64], **v;
	ssize_t n;
	int st, afd;

	if (getenv("MODVISOR_IN_EMUHOST")) {
		fprintf(stderr, "modvisor: already inside the emulated KVM host; "
			"use --accel=kvm here\n");
		return MV_EXIT_SETUP;
	}
	/* --authority: the daemon's socket is connected here, before anything boots. */
	if (authority_run_forward(&afd, name, sizeof(name)) < 0)
		return MV_EXIT_SETUP;
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n > 0)
		exe[n] = '\0';
	if (n <= 0 || run_emulated_argv(argc, argv, exe, name, &v)) {
		fprintf(stderr, "modvisor: cannot build the emulated host's command line\n");
		if (afd >= 0)
			close(afd);
		return MV_EXIT_SETUP;
	}
	/* A terminal here: the inner run makes the guest's console a tty of this size. */
	run_tty_export();
	run_tty_raw();
	st = afd >= 0 ? emuhost_exec_stream(v, EMUHOST_AUTHORITY_PORT, afd) : emuhost_exec(v);
	run_tty_restore();
	run_argv_free(v);
	return st;
}

/*
 * run_choose_accel(o, argc, argv): -1 to boot here on /dev/kvm, else the
 * exit status of the run in the emulated host or of a refusal.
 */
static int run_choose_accel(const struct run_opts *o, int argc, char **argv)
{
	char why[512];

	if (o->accel == ACCEL_EMULATED)
		return run_emulated(argc, argv);
	if (accel_probe_kvm(why, sizeof(why)) == 0)
		return -1;
	if (o->accel == ACCEL_KVM || getenv("MODVISOR_IN_EMUHOST")) {
		fprintf(stderr, "modvisor: --accel=kvm: /dev/kvm is not usable: %s\n"
			"modvisor: hint: use --accel=auto (the default) or --accel=emulated "
			"to run in the emulated KVM host\n", why);
		return MV_EXIT_SETUP;
	}
	fprintf(stderr, "modvisor: /dev/kvm is not usable: %s; running in the emulated "
		"KVM host\n", why);
	return run_emulated(argc, argv);
}

/* run_inputs(o, bs, extra): read the initrd and build the --add archive. */
static int run_inputs(const struct run_opts *o, struct boot_spec *bs,
		      struct cpio_out *extra)
{
	char buf[PATH_MAX];

	return run_read_inputs(o, o->initrd ? o->initrd :
			       run_default_path("initrd.cpio", buf, sizeof(buf)), bs, extra);
}

/* run_boot(o): boot the guest here, on /dev/kvm; the exit status. */
static int run_boot(const struct run_opts *o)
{
	char buf[PATH_MAX], err[PATH_MAX + 256];
	const char *kernel = o->kernel ? o->kernel : run_default_path("kernel.elf",
								     buf, sizeof(buf));
	struct boot_spec bs = { .cmdline = o->cmdline, .cmds = o->cmds, .ncmds = o->ncmds };
	struct cpio_out extra = { 0 };
	struct kernel_info ki;
	struct vm vm;
	int st = MV_EXIT_SETUP;
	bool tty = run_tty_detect(&bs.tty_rows, &bs.tty_cols);

	if (run_inputs(o, &bs, &extra))
		goto out;
	if (vm_create(&vm, o->mem_mib << 20))
		goto out;
	vm.timeout_s = o->timeout_s;
	if (tty)
		vm.boot_flags |= MV_BOOT_F_TTY;
	vm.init_timeout_s = o->init_timeout_set ? o->init_timeout_s : INITWD_DEFAULT_S;
	if (kernel_load_file(kernel, &vm.mem, &ki, err, sizeof(err)) ||
	    boot_prepare(&vm, &ki, &bs, err, sizeof(err))) {
		fprintf(stderr, "modvisor: %s\n", err);
		goto out_vm;
	}
	if (authority_run_open(&vm, kernel))    /* policy, keys, log: before the guest runs */
		goto out_vm;
	if (integrity_run_open(&vm, &ki, kernel)) {     /* kernel text read-only: before its first instruction */
		st = authority_run_close(&vm, MV_EXIT_SETUP);
		goto out_vm;
	}
	/* boot_prepare() copied both into guest RAM: 7 MiB less resident (docs/benchmarks.md). */
	free((void *)bs.initrd);
	bs.initrd = NULL;
	cpio_free(&extra);
	if (tty) {
		run_tty_raw();          /* the guest echoes and edits lines itself */
		int err = irq_winch_arm(&vm, bs.tty_rows, bs.tty_cols);
		if (err < 0)
			fprintf(stderr, "modvisor: SIGWINCH: %s (the guest keeps the first window size)\n",
				strerror(-err));
	}
	if (sandbox_enter(&o->user) == 0)       /* --user, then the seccomp filter */
		st = vm_run(&vm);
	run_tty_restore();              /* TCSETS is on the filter's list (ioctl) */
	st = authority_run_close(&vm, st);      /* the log's end entry and aggregate */
out_vm:
	vm_destroy(&vm);
out:
	free((void *)bs.initrd);
	cpio_free(&extra);
	return st;
}

int run_execute(const struct run_opts *o, int argc, char **argv)
{
	int st = run_choose_accel(o, argc, argv);

	return st < 0 ? run_boot(o) : st;
}
