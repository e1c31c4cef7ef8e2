/* cmd_bench.c: `modvisor bench`: run the benchmark suite, print the table, write CSV/JSON/plots. */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include "accel.h"
#include "bench_suite.h"
#include "cli/commands.h"
#include "emuhost/emuhost.h"
#include "vm.h"

#define BENCH_USAGE "bench [--out DIR] [--quick] [--reps N] [--only LIST] [--accel MODE]"
#define BENCH_HELP                                                              \
	"Run the benchmark suite; print a table and write results.csv, results.json,\n" \
	"table.txt, *.dat and PNG plots (gnuplot) under the output directory.\n"  \
	"  --out DIR\n      output directory (default build/bench)\n"         \
	"  --quick\n      smoke run: 2 repetitions, small sizes (what `make check` runs)\n" \
	"  --reps N\n      repetitions per measured point (default 5; --quick: 2)\n" \
	"  --only LIST\n      comma-separated sections: hypercall,violation,boot,footprint,\n" \
	"      load,scale,procs,sealvm (these need KVM), measure,hoststages,seal,fleet,\n" \
	"      corpus (these run on the host itself, also when the others go to the\n" \
	"      emulated KVM host); default all\n"                                  \
	"  --accel MODE\n      auto (default), kvm or emulated, as for `run`; every figure\n" \
	"      says which it came from\n"                                       \
	"  --help\n      show this help\n"                                      \
	"Times from the emulated KVM host are 30-100x those of hardware: compare\n" \
	"ratios and exit counts only (docs/benchmarks.md).\n"

struct bench_section {
	const char *name;
	int (*fn)(const struct bench_opts *o, struct bench_report *r);
	bool kvm;               /* needs KVM; the others run on the host itself */
};

/*
 * Sections that need no VM run where modvisor was started, even when the
 * others go to the emulated KVM host: a CPU emulated by TCG would distort
 * their figures for nothing.
 */
static const struct bench_section bench_sections[] = {
	{ "hypercall", bench_section_hypercall, true },
	{ "violation", bench_section_violation, true },
	{ "boot", bench_section_boot, true },
	{ "footprint", bench_section_footprint, true },
	{ "load", bench_section_load, true },
	{ "scale", bench_section_scale, true },
	{ "procs", bench_section_procs, true },
	{ "sealvm", bench_section_sealvm, true },
	{ "measure", bench_section_measure, false },
	{ "hoststages", bench_section_hoststages, false },
	{ "seal", bench_section_seal, false },
	{ "fleet", bench_section_fleet, false },
	{ "corpus", bench_section_corpus, false },
};
#define BENCH_NSECTIONS (int)(sizeof(bench_sections) / sizeof(bench_sections[0]))

/* bench_selected(only, name): is section name in the comma-separated list (NULL: all)? */
static int bench_selected(const char *only, const char *name)
{
	size_t n = strlen(name);

	if (!only)
		return 1;
	for (const char *p = only; *p; p++)
		if ((p == only || p[-1] == ',') && !strncmp(p, name, n) &&
		    (p[n] == ',' || p[n] == '\0'))
			return 1;
	return 0;
}

/* bench_mkdirs(path): mkdir -p. */
static int bench_mkdirs(const char *path)
{
	char buf[PATH_MAX];

	snprintf(buf, sizeof(buf), "%s", path);
	for (char *p = buf + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(buf, 0755) < 0 && errno != EEXIST)
			return -1;
		*p = '/';
	}
	return mkdir(buf, 0755) < 0 && errno != EEXIST ? -1 : 0;
}

/* bench_exe_dir(buf, len): the directory of the modvisor binary (build/). */
static const char *bench_exe_dir(char *buf, size_t len)
{
	ssize_t n = readlink("/proc/self/exe", buf, len - 1);
	char *slash;

	if (n <= 0)
		return snprintf(buf, len, "build"), buf;
	buf[n] = '\0';
	slash = strrchr(buf, '/');
	if (slash)
		*slash = '\0';
	return buf;
}

/* Where the KVM sections run. */
enum bench_where { BENCH_HERE, BENCH_EMULATED, BENCH_REFUSED };

/* bench_where(mode): here (usable /dev/kvm), in the emulated KVM host, or refused (after a message). */
static enum bench_where bench_where(enum accel_mode mode)
{
	char why[512];

	if (mode == ACCEL_EMULATED && !getenv("MODVISOR_IN_EMUHOST"))
		return BENCH_EMULATED;
	if (accel_probe_kvm(why, sizeof(why)) == 0)
		return BENCH_HERE;
	if (mode == ACCEL_KVM || getenv("MODVISOR_IN_EMUHOST")) {
		fprintf(stderr, "modvisor bench: /dev/kvm is not usable: %s\n", why);
		return BENCH_REFUSED;
	}
	fprintf(stderr, "modvisor bench: /dev/kvm is not usable: %s; the VM sections run in "
		"the emulated KVM host\n", why);
	return BENCH_EMULATED;
}

/*
 * bench_emulated(o, kvm_only): run the selected KVM sections inside the
 * emulated KVM host (`bench --part`), which writes o->out/results-part.csv.
 * Returns its exit status.
 */
static int bench_emulated(const struct bench_opts *o, const char *kvm_only)
{
	char exe[PATH_MAX], reps[16];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	char *v[] = { exe, "bench", "--accel=kvm", "--part", "--only", (char *)kvm_only,
		      "--out", (char *)o->out, "--reps", reps, o->quick ? "--quick" : NULL, NULL };

	if (n <= 0) {
		fprintf(stderr, "modvisor bench: cannot find the modvisor binary\n");
		return MV_EXIT_SETUP;
	}
	exe[n] = '\0';
	snprintf(reps, sizeof(reps), "%d", o->reps);
	return emuhost_exec(v);
}

/* bench_check_only(only): every word of --only names a section; 0 or -1 after a message. */
static int bench_check_only(const char *only)
{
	for (const char *p = only; ; p++) {
		size_t n = strcspn(p, ",");
		int i;

		for (i = 0; i < BENCH_NSECTIONS; i++)
			if (strlen(bench_sections[i].name) == n && !strncmp(p, bench_sections[i].name, n))
				break;
		if (i == BENCH_NSECTIONS) {
			fprintf(stderr, "modvisor bench: --only: unknown section '%.*s'\n", (int)n, p);
			return -1;
		}
		p += n;
		if (!*p)
			return 0;
	}
}

/* bench_parse(argc, argv, o, only, mode): 0, 1 for --help, or -1 after a message. */
static int bench_parse(int argc, char **argv, struct bench_opts *o, const char **only,
		       enum accel_mode *mode)
{
	static const struct option opts[] = {
		{ "out", required_argument, 0, 'o' }, { "quick", no_argument, 0, 'q' },
		{ "reps", required_argument, 0, 'r' }, { "only", required_argument, 0, 's' },
		{ "accel", required_argument, 0, 'a' }, { "help", no_argument, 0, 'h' },
		{ "part", no_argument, 0, 'p' }, { "footprint-child", no_argument, 0, 'f' },
		{ 0, 0, 0, 0 },
	};
	char *end;
	int c;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'o': o->out = optarg; break;
		case 'q': o->quick = true; break;
		case 's': *only = optarg; break;
		case 'h': return 1;
		case 'p': o->part = true; break;
		case 'f': o->footprint_child = true; break;
		case 'r':
			o->reps = (int)strtol(optarg, &end, 10);
			if (*end || o->reps < 1 || o->reps > 64)
				return fprintf(stderr, "modvisor bench: --reps '%s': want 1-64\n",
					       optarg), -1;
			break;
		case 'a':
			if (accel_parse(optarg, mode))
				return fprintf(stderr, "modvisor bench: --accel '%s': want auto, "
					       "kvm or emulated\n", optarg), -1;
			break;
		default:
			return fprintf(stderr, "modvisor bench: unknown option or missing value: "
				       "'%s'\nTry 'modvisor bench --help'.\n", argv[optind - 1]), -1;
		}
	}
	if (optind < argc)
		return fprintf(stderr, "modvisor bench: unexpected argument '%s'\n", argv[optind]), -1;
	return *only ? bench_check_only(*only) : 0;
}

/*
 * bench_run_sections(o, only, kvm, accel, r): every selected section that
 * needs KVM (kvm) or not (!kvm), its rows marked accel; the number that
 * failed.
 */
static int bench_run_sections(const struct bench_opts *o, const char *only, bool kvm,
			      const char *accel, struct bench_report *r)
{
	int failed = 0;

	r->accel = accel;
	for (int i = 0; i < BENCH_NSECTIONS; i++) {
		if (bench_sections[i].kvm != kvm || !bench_selected(only, bench_sections[i].name))
			continue;
		bench_progress("%s ...", bench_sections[i].name);
		if (bench_sections[i].fn(o, r)) {
			bench_progress_done();
			fprintf(stderr, "modvisor bench: section %s failed\n", bench_sections[i].name);
			failed++;
		}
	}
	bench_progress_done();
	return failed;
}

/* bench_kvm_list(only, buf, len): the selected sections that need KVM, comma-separated. */
static const char *bench_kvm_list(const char *only, char *buf, size_t len)
{
	size_t n = 0;

	buf[0] = '\0';
	for (int i = 0; i < BENCH_NSECTIONS; i++)
		if (bench_sections[i].kvm && bench_selected(only, bench_sections[i].name))
			n += snprintf(buf + n, n < len ? len - n : 0, "%s%s", n ? "," : "",
				      bench_sections[i].name);
	return buf;
}

/* bench_paths(o, bufs): kernel, initrd, images, tests next to the binary; the log files. */
struct bench_paths {
	char dir[PATH_MAX], kernel[PATH_MAX + 32], initrd[PATH_MAX + 32], images[PATH_MAX + 32];
	char tests[PATH_MAX + 32], logs[PATH_MAX], glog[PATH_MAX], part[PATH_MAX];
};

static int bench_setup(struct bench_opts *o, struct bench_paths *p)
{
	bench_exe_dir(p->dir, sizeof(p->dir));
	snprintf(p->kernel, sizeof(p->kernel), "%s/images/kernel.elf", p->dir);
	snprintf(p->initrd, sizeof(p->initrd), "%s/images/initrd.cpio", p->dir);
	snprintf(p->images, sizeof(p->images), "%s/images", p->dir);
	snprintf(p->tests, sizeof(p->tests), "%s/tests", p->dir);
	snprintf(p->logs, sizeof(p->logs), "%s/logs", o->out);
	snprintf(p->glog, sizeof(p->glog), "%s/guest.log", o->out);
	snprintf(p->part, sizeof(p->part), "%s/results-part.csv", o->out);
	o->kernel = p->kernel, o->initrd = p->initrd, o->images = p->images;
	o->tests = p->tests, o->guest_log = p->glog;
	if (bench_mkdirs(p->logs)) {
		fprintf(stderr, "modvisor bench: %s: %s\n", p->logs, strerror(errno));
		return -1;
	}
	return 0;
}

/* bench_finish(o, r, failed): the table, the files, the plots; the exit status. */
static int bench_finish(const struct bench_opts *o, struct bench_report *r, int failed)
{
	if (o->part) {
		char path[PATH_MAX];
		FILE *f = fopen(bench_path(o, "results-part.csv", path, sizeof(path)), "w");

		if (!f || bench_write_csv(r, f) || fclose(f))
			failed++;
	} else {
		bench_print_table(r, stdout);
		if (bench_write_outputs(r, o) || bench_plots(o, r))
			failed++;
		printf("results: %s/{results.csv,results.json,table.txt,*.png}\n", o->out);
	}
	bench_report_free(r);
	return failed ? 1 : 0;
}

static int bench_main(int argc, char **argv)
{
	struct bench_opts o = { .out = "build/bench", .reps = 0 };
	struct bench_report r = { 0 };
	enum accel_mode mode = ACCEL_AUTO;
	static struct bench_paths p;
	const char *only = NULL, *vmtag;
	char kvm_only[256];
	enum bench_where where;
	int rc, failed = 0;

	rc = bench_parse(argc, argv, &o, &only, &mode);
	if (rc)
		return rc > 0 ? (printf("usage: modvisor " BENCH_USAGE "\n%s", BENCH_HELP), 0)
			      : MV_EXIT_USAGE;
	if (!o.reps)
		o.reps = o.quick ? 2 : 5;
	if (o.footprint_child)          /* no probe VM: it would count in the footprint */
		return bench_setup(&o, &p) ? MV_EXIT_SETUP : bench_footprint_child(&o);
	bench_kvm_list(only, kvm_only, sizeof(kvm_only));
	where = kvm_only[0] ? bench_where(mode) : BENCH_HERE;
	if (where == BENCH_REFUSED)
		return MV_EXIT_SETUP;
	if (bench_setup(&o, &p))
		return MV_EXIT_SETUP;
	unlink(p.glog);
	vmtag = getenv("MODVISOR_IN_EMUHOST") ? "emulated-kvm-host" : "kvm";
	if (!o.part)
		failed += bench_run_sections(&o, only, false, getenv("MODVISOR_IN_EMUHOST") ?
					     "emulated-kvm-host" : "host", &r);
	if (kvm_only[0] && where == BENCH_HERE) {
		failed += bench_run_sections(&o, only, true, vmtag, &r);
	} else if (kvm_only[0]) {
		unlink(p.part);
		rc = bench_emulated(&o, kvm_only);
		if (rc)
			fprintf(stderr, "modvisor bench: the emulated KVM host's part exited %d\n", rc);
		failed += rc != 0;
		if (bench_read_csv(&r, p.part) == 0)
			unlink(p.part);
		else
			failed++;
	}
	return bench_finish(&o, &r, failed);
}

COMMAND(bench, "bench", BENCH_USAGE, BENCH_HELP, bench_main);
