/* bench_suite.c: the hypercall, boot and footprint sections of `modvisor bench`, and their shared helpers. */
#include <errno.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "authority/authority.h"
#include "bench_hc.h"
#include "bench_suite.h"
#include "cpio_write.h"
#include "hypercall.h"
#include "modvisor/abi/bootinfo.h"

int bench_auth_open(const struct bench_opts *o, const char *logname, struct authority **out)
{
	return bench_auth_open_fsync(o, logname, "per-entry", out);
}

int bench_auth_open_fsync(const struct bench_opts *o, const char *logname, const char *fsync,
			  struct authority **out)
{
	struct policy p;
	char path[4096], err[1024];

	policy_init(&p);
	unlink(bench_path(o, logname, path, sizeof(path)));     /* each run starts a new log */
	if (policy_set(&p, "log", path, err, sizeof(err)) ||
	    policy_set(&p, "fsync", fsync, err, sizeof(err)) ||
	    authority_open(out, &p, o->kernel, err, sizeof(err))) {
		fprintf(stderr, "modvisor bench: authority: %s\n", err);
		return -1;
	}
	return 0;
}

void bench_auth_close(struct authority *a)
{
	char msg[512];

	if (a && authority_close(a, msg, sizeof(msg)) < 0)
		fprintf(stderr, "modvisor bench: %s\n", msg);
}

int bench_mod_extra(const char *const *paths, int n, const char *guestdir, struct cpio_out *out)
{
	char guest[512], err[4096 + 256], *copy;
	int rc = 0;

	for (int i = 0; i < n && !rc; i++) {
		copy = strdup(paths[i]);
		if (!copy)
			return -1;
		snprintf(guest, sizeof(guest), "%s/%s", guestdir, basename(copy));
		free(copy);
		rc = cpio_add_host(out, paths[i], guest, err, sizeof(err));
		if (rc)
			fprintf(stderr, "modvisor bench: %s\n", err);
	}
	if (!rc && cpio_finish(out))
		rc = -1;
	return rc ? -1 : 0;
}

void bench_report_fail(const char *what, const struct bench_guest_trace *t)
{
	fprintf(stderr, "modvisor bench: %s: the guest stopped with status %d%s%s\n", what,
		t->status, t->why[0] ? ": " : "", t->why);
}

/*
 * bench_nop_blocks(o, raw, n, block, t): one run of the null-hypercall guest,
 * n calls, with a block of raw exits after every block of calls.
 */
static int bench_nop_blocks(const struct bench_opts *o, struct bench_raw *raw, uint64_t n,
			    uint32_t block, struct bench_guest_trace *t)
{
	char kernel[4096];
	struct bench_guest_spec s = { .kernel = kernel, .mem_mib = 16, .nop_stop = n,
				      .raw = raw, .nop_block = block,
				      .console_log = o->guest_log };

	snprintf(kernel, sizeof(kernel), "%s/bench/nop.elf", o->images);
	if (bench_guest_run(&s, t))
		return -1;
	if (t->nops < n || t->status != 0 || !t->nblocks) {
		bench_report_fail("null hypercall guest", t);
		return -1;
	}
	return 0;
}

/*
 * bench_round(o, elf, n, protect, us): one run of a null-hypercall guest to
 * n calls; *us = host time per round between the first and the last call.
 */
static int bench_round(const struct bench_opts *o, const char *elf, uint64_t n, bool protect,
		       double *us)
{
	char kernel[4096];
	struct bench_guest_trace *t = malloc(sizeof(*t));
	struct bench_guest_spec s = { .kernel = kernel, .mem_mib = 16, .nop_stop = n,
				      .console_log = o->guest_log, .protect = protect };
	int rc = -1;

	snprintf(kernel, sizeof(kernel), "%s/bench/%s", o->images, elf);
	if (t && bench_guest_run(&s, t) == 0) {
		if (t->nops < n || t->status != 0)
			bench_report_fail(elf, t);
		else
			rc = 0;
		*us = bench_ticks_us((double)(t->nop_last - t->nop_first) / (double)(n - 1));
	}
	free(t);
	return rc;
}

/*
 * The violation exit (issue 14): viol.elf's round (a write to its protected
 * text, discarded, then a null hypercall) minus nop.elf's round.
 */
int bench_section_violation(const struct bench_opts *o, struct bench_report *r)
{
	uint64_t n = o->quick ? 400 : 20000;
	int reps = o->reps > 64 ? 64 : o->reps, k = 0, rc = 0;
	double *viol = calloc((size_t)reps, sizeof(double));
	double *ratio = calloc((size_t)reps, sizeof(double));
	double nop_us, round_us;

	for (int i = 0; viol && ratio && i < reps && !rc; i++, k++) {
		bench_progress("violation: rep %d/%d: %llu writes to protected text", i + 1, reps,
			       (unsigned long long)n);
		rc = bench_round(o, "nop.elf", n, false, &nop_us);
		if (!rc)
			rc = bench_round(o, "viol.elf", n, true, &round_us);
		viol[k] = round_us - nop_us;
		ratio[k] = viol[k] / nop_us;
	}
	if (!rc && k) {
		bench_add(r, "violation", "violation_exit", "", "us", viol, k);
		bench_add(r, "violation", "violation_over_null", "", "ratio", ratio, k);
	}
	free(viol), free(ratio);
	return !rc && k ? 0 : -1;
}

int bench_section_hypercall(const struct bench_opts *o, struct bench_report *r)
{
	uint64_t n = o->quick ? 400 : 20000;
	uint32_t block = o->quick ? 100 : 1000;
	int reps = o->reps > 64 ? 64 : o->reps, k = 0, rc = 0;
	size_t cap = (size_t)reps * BENCH_MAX_BLOCKS;
	double *raw = calloc(cap, sizeof(double)), *nop = calloc(cap, sizeof(double));
	double *ratio = calloc(cap, sizeof(double));
	struct bench_guest_trace *t = malloc(sizeof(*t));
	struct bench_raw *vm = bench_raw_open();

	for (int i = 0; raw && nop && ratio && t && vm && i < reps && !rc; i++) {
		bench_progress("hypercall: rep %d/%d: %llu null hypercalls, raw exits between "
			       "blocks of %u", i + 1, reps, (unsigned long long)n, block);
		rc = bench_nop_blocks(o, vm, n, block, t);
		for (int b = 0; !rc && b < t->nblocks; b++, k++) {
			raw[k] = bench_ticks_us(t->blk_raw[b]);
			nop[k] = bench_ticks_us(t->blk_nop[b]);
			ratio[k] = t->blk_nop[b] / t->blk_raw[b];
		}
	}
	if (!rc && k) {
		bench_add(r, "hypercall", "raw_exit", "", "us", raw, k);
		bench_add(r, "hypercall", "null_hypercall", "", "us", nop, k);
		bench_add(r, "hypercall", "null_over_raw", "", "ratio", ratio, k);
	}
	bench_raw_close(vm);
	free(raw), free(nop), free(ratio), free(t);
	return !rc && k ? 0 : -1;
}

/* bench_boot_spec(o, cmds, extra, auth, s): the default guest running first-user, then insmod. */
static int bench_boot_once(const struct bench_opts *o, const char *mod, struct bench_guest_trace *t)
{
	char user[4096], ins[4096], log[64];
	const char *files[3] = { user, ins, mod };
	char *argv_user[] = { "/bench/first-user", NULL };
	char *argv_ins[] = { "/bench/min-insmod", NULL };
	struct boot_cmd cmds[2] = { { 1, argv_user }, { 1, argv_ins } };
	struct cpio_out extra = { 0 };
	struct authority *auth = NULL;
	static int run;
	int rc = -1;

	snprintf(user, sizeof(user), "%s/bench/first-user", o->images);
	snprintf(ins, sizeof(ins), "%s/bench/min-insmod", o->images);
	snprintf(log, sizeof(log), "logs/boot-%d.log", ++run);
	if (bench_mod_extra(files, 3, "/bench", &extra) || bench_auth_open(o, log, &auth))
		goto out;
	struct bench_guest_spec s = { .kernel = o->kernel, .initrd = o->initrd,
				      .cmdline = "quiet", .cmds = cmds, .ncmds = 2,
				      .extra = extra.data, .extra_len = extra.len,
				      .mem_mib = 128, .auth = auth,
				      .console_log = o->guest_log };
	rc = bench_guest_run(&s, t);
	if (!rc && (t->status != 0 || !t->user.hit)) {
		bench_report_fail("boot", t);
		rc = -1;
	}
out:
	bench_auth_close(auth);
	cpio_free(&extra);
	return rc;
}

/* bench_boot_exits(r, tag, m): the exact exit counts of mark m, by reason and hypercall. */
static void bench_boot_exits(struct bench_report *r, const char *tag, const struct bench_mark *m)
{
	char metric[48];

	snprintf(metric, sizeof(metric), "exits_to_%s", tag);
	bench_add1(r, "boot", metric, "", "count", (double)m->exits);
	for (int i = 0; i < BENCH_NEXITS; i++) {
		if (!m->by_exit[i])
			continue;
		snprintf(metric, sizeof(metric), "exits_to_%s:%s", tag, vm_exit_name(i) + 9);
		bench_add1(r, "boot", metric, "", "count", (double)m->by_exit[i]);
	}
	for (int i = 0; i < MV_HC_COUNT; i++) {
		const struct hypercall *h = hc_lookup(i);

		if (!m->by_hc[i] || !h)
			continue;
		snprintf(metric, sizeof(metric), "exits_to_%s:%s", tag, h->name + 6);
		bench_add1(r, "boot", metric, "", "count", (double)m->by_hc[i]);
	}
	/* KVM's own counters: also the exits it handled without us (interrupts too). */
	for (int i = 1; m->kvalid && i < BENCH_KSTATS; i++) {
		if (!m->kstat[i])
			continue;
		snprintf(metric, sizeof(metric), "kvm_%s_to_%s", bench_kstat_names[i], tag);
		bench_add1(r, "boot", metric, "", "count", (double)m->kstat[i]);
	}
	/*
	 * What the guest causes: KVM's total less the host's interrupts
	 * (irq_exits; our tick's timer signal arrives by one of them too), which
	 * grow with the time the boot takes, not with what it does.
	 * signal_exits are returns to us, not exits of their own.  Indexes:
	 * bench_kstat_names.
	 */
	if (m->kvalid) {
		snprintf(metric, sizeof(metric), "kvm_guest_exits_to_%s", tag);
		bench_add1(r, "boot", metric, "", "count",
			   m->kstat[0] > m->kstat[4] ? (double)(m->kstat[0] - m->kstat[4]) : 0);
	}
}

int bench_section_boot(const struct bench_opts *o, struct bench_report *r)
{
	double user[64], mod[64], kuser[64], kmod[64];
	int reps = o->reps > 64 ? 64 : o->reps, nmod = 0, nku = 0, nkm = 0, i;
	struct bench_guest_trace t, first;
	char path[4096];

	snprintf(path, sizeof(path), "%s/bench/quick/bm4k.ko", o->images);
	for (i = 0; i < reps; i++) {
		bench_progress("boot: rep %d/%d", i + 1, reps);
		if (bench_boot_once(o, path, &t))
			return -1;
		if (i == 0)
			first = t;
		else if (t.user.exits != first.user.exits)
			fprintf(stderr, "modvisor bench: boot: exits to the first user instruction "
				"differ between runs (%llu, %llu)\n", (unsigned long long)first.user.exits,
				(unsigned long long)t.user.exits);
		user[i] = bench_ticks_us(t.user.tsc - t.t0) / 1000.0;
		if (t.loaded.hit)
			mod[nmod++] = bench_ticks_us(t.loaded.tsc - t.t0) / 1000.0;
		if (t.user.kvalid)
			kuser[nku++] = (double)t.user.kstat[0];
		if (t.loaded.hit && t.loaded.kvalid)
			kmod[nkm++] = (double)t.loaded.kstat[0];
	}
	/* All exits KVM counted, its own included: varies with host interrupts. */
	bench_add(r, "boot", "kvm_exits_to_user", "", "count", kuser, nku);
	bench_add(r, "boot", "kvm_exits_to_module", "", "count", kmod, nkm);
	bench_add(r, "boot", "to_first_user", "", "ms", user, reps);
	bench_add(r, "boot", "to_first_module", "bm4k", "ms", mod, nmod);
	bench_boot_exits(r, "user", &first.user);
	if (first.loaded.hit)
		bench_boot_exits(r, "module", &first.loaded);
	else
		fprintf(stderr, "modvisor bench: boot: the module was not loaded (see %s)\n",
			o->guest_log);
	return 0;
}
