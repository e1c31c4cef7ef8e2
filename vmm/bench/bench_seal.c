/* bench_seal.c: the seal section of `modvisor bench`: the host's re-derivation, comparison, text digest and page-table walk of a module, over module size. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "authority/measure.h"
#include "authority/rederive.h"
#include "bench_suite.h"
#include "cpio_write.h"
#include "guest_pt.h"
#include "kernel_load.h"

/*
 * What the host does for one MV_HC_MODULE_SEAL, minus the guest-memory
 * accessor and the memslot change: rederive_derive() at a layout in the
 * module area (every import at a made-up kernel address), rederive_compare()
 * of both regions against a second buffer holding the same bytes (the
 * "guest memory": a full comparison, as for an honest guest), and the text
 * digest (measure_buf() of text + rodata, XXH3-128 + SHA-256), each on a
 * fresh handle from rederive_open() (timed too), as for one load, and the
 * walk of the guest's page tables for every page of both regions
 * (guest_pt_check_range() on tables built as the guest kernel maps its
 * module area: 4 KiB pages).  Rows:
 * section "seal", param the module's name; host_over_loader is host_total
 * over the guest loader's layout + symbols + relocation on the host
 * (hoststages' "hostedload" rows, when that section ran first).
 */
#define SEAL_CORE_VA 0xffffffffa0000000ull
#define SEAL_INIT_VA 0xffffffffa8000000ull
#define SEAL_AREA_END 0xffffffffc0000000ull    /* one PD: PML4 entry 511, PDPT entry 510 */
#define SEAL_GPA_BASE 0x40000000ull             /* where the tables map the regions */
#define SEAL_PTE_PW  3ull

/* The guest's page tables for one module: PML4 at 0, PDPT, PD, then the PTs. */
struct seal_pt {
	struct guest_mem mem;
	struct guest_pt_regs regs;
	uint64_t gpa[REDERIVE_NREGIONS];        /* where each region is mapped */
};

struct seal_case {
	struct seal_pt pt;
	struct rederive *rd;
	struct rederive_layout l;
	struct rederive_symval *vals;
	uint32_t nvals;
	uint8_t *guest[REDERIVE_NREGIONS];      /* the bytes "in guest memory" */
};

static void seal_case_free(struct seal_case *c)
{
	rederive_close(c->rd);
	free(c->vals);
	for (int i = 0; i < REDERIVE_NREGIONS; i++)
		free(c->guest[i]);
	free(c->pt.mem.host);
	memset(c, 0, sizeof(*c));
}

/* Entry idx of the table at offset table of p's memory. */
static uint64_t *seal_pt_entry(struct seal_pt *p, uint64_t table, uint64_t idx)
{
	return (uint64_t *)(p->mem.host + table) + idx;
}

/*
 * Map both regions of layout l page by page, region r at p->gpa[r], as
 * the guest maps its module area.  0, or -1 when they leave the one PD.
 */
static int seal_pt_build(struct seal_pt *p, const struct rederive_layout *l)
{
	uint64_t pages = 0, next = 0x3000;

	for (int r = 0; r < REDERIVE_NREGIONS; r++) {
		if (l->size[r] > SEAL_AREA_END - l->va[r])
			return -1;
		pages += l->size[r] / GUEST_PT_PAGE;
		p->gpa[r] = SEAL_GPA_BASE + (uint64_t)r * (1ull << 30);
	}
	p->mem.size = (3 + pages / 512 + 2 * REDERIVE_NREGIONS) * (uint64_t)GUEST_PT_PAGE;
	p->mem.host = calloc(1, p->mem.size);
	if (!p->mem.host)
		return -1;
	p->regs = (struct guest_pt_regs){ .cr0 = 0x80010033, .cr3 = 0, .cr4 = 0x620, .efer = 0xd00 };
	*seal_pt_entry(p, 0, 511) = 0x1000 | SEAL_PTE_PW;
	*seal_pt_entry(p, 0x1000, 510) = 0x2000 | SEAL_PTE_PW;
	for (int r = 0; r < REDERIVE_NREGIONS; r++)
		for (uint64_t off = 0; off < l->size[r]; off += GUEST_PT_PAGE) {
			uint64_t va = l->va[r] + off, *pde = seal_pt_entry(p, 0x2000, (va >> 21) & 511);

			if (!*pde) {
				*pde = next | SEAL_PTE_PW;
				next += GUEST_PT_PAGE;
			}
			*seal_pt_entry(p, *pde & ~0xfffull, (va >> 12) & 511) =
				(p->gpa[r] + off) | SEAL_PTE_PW;
		}
	return 0;
}

/* Layout, values, one derive to fill the guest copy; 0 or -1 after a message. */
static int seal_case_init(struct seal_case *c, const char *name)
{
	struct rederive_why why;
	uint32_t nu;
	const struct rederive_undef *u = rederive_undefs(c->rd, &nu);

	for (int i = 0; i < REDERIVE_NREGIONS; i++) {
		c->l.size[i] = rederive_shape(c->rd, (enum rederive_region_id)i).size;
		c->l.va[i] = c->l.size[i] ? (i ? SEAL_INIT_VA : SEAL_CORE_VA) : 0;
	}
	c->vals = calloc(nu ? nu : 1, sizeof(*c->vals));
	if (!c->vals)
		return -1;
	for (uint32_t k = 0; k < nu; k++)
		c->vals[k] = (struct rederive_symval){ u[k].index, 0xffffffff81000000ull + 64 * k };
	c->nvals = nu;
	if (rederive_derive(c->rd, &c->l, c->vals, nu, NULL, NULL, &why)) {
		fprintf(stderr, "modvisor bench: seal: %s: %s\n", name, why.msg);
		return -1;
	}
	for (int i = 0; i < REDERIVE_NREGIONS; i++) {
		if (!c->l.size[i])
			continue;
		c->guest[i] = malloc(c->l.size[i]);
		if (!c->guest[i])
			return -1;
		memcpy(c->guest[i], rederive_bytes(c->rd, (enum rederive_region_id)i), c->l.size[i]);
	}
	if (seal_pt_build(&c->pt, &c->l)) {
		fprintf(stderr, "modvisor bench: seal: %s: cannot build its page tables\n", name);
		return -1;
	}
	return 0;
}

/* The walk of both regions' pages; 0 or -1. */
static int seal_walk(struct seal_case *c)
{
	char why[256];

	for (int r = 0; r < REDERIVE_NREGIONS; r++)
		if (c->l.size[r] && guest_pt_check_range(&c->pt.mem, &c->pt.regs, c->l.va[r],
							 c->pt.gpa[r], c->l.size[r], why,
							 sizeof(why))) {
			fprintf(stderr, "modvisor bench: seal: %s\n", why);
			return -1;
		}
	return 0;
}

/*
 * One seal's host work as the authority does it, on a fresh handle: open
 * (parse and lay out), derive (its buffers allocated and first touched),
 * compare both regions, digest, then the page-table walk; each part timed
 * in TSC ticks.  0 or -1.
 */
static int seal_once(const uint8_t *img, size_t len, struct seal_case *c, uint64_t t[5])
{
	struct rederive_mismatch m;
	struct measurement d;
	struct rederive *rd;
	uint64_t t0 = bench_tsc(), t1, t2, t3;
	int err = rederive_open(img, len, "bench", &rd, NULL);

	t1 = bench_tsc();
	if (!err)
		err = rederive_derive(rd, &c->l, c->vals, c->nvals, NULL, NULL, NULL);
	t2 = bench_tsc();
	for (int i = 0; !err && i < REDERIVE_NREGIONS; i++)
		if (c->l.size[i])
			err = rederive_compare(rd, (enum rederive_region_id)i, 0, c->guest[i],
					       c->l.size[i], &m);
	t3 = bench_tsc();
	if (!err)
		err = measure_buf(rederive_bytes(rd, REDERIVE_CORE),
				  rederive_shape(rd, REDERIVE_CORE).ro_end, MEASURE_DEFAULT_SET, &d);
	t[3] = bench_tsc() - t3;
	t3 = bench_tsc();
	if (!err)
		err = seal_walk(c);
	t[4] = bench_tsc() - t3;
	t[0] = t1 - t0;
	t[1] = t2 - t1;
	t[2] = t3 - t2;
	if (!err)
		rederive_close(rd);
	return err ? -1 : 0;
}

/* The seal's host work over the hosted loader's layout + symbols + relocation (hoststages), when measured. */
static void seal_ratio(struct bench_report *r, const char *name, double seal_us)
{
	static const char *const stages[] = { "layout", "symbols", "relocation" };
	double load = 0;

	for (int s = 0; s < 3; s++) {
		const struct bench_row *row = bench_find(r, "hostedload", stages[s], name);

		if (!row)
			return;
		load += row->median;
	}
	if (load > 0)
		bench_add1(r, "seal", "host_over_loader", name, "ratio", seal_us / load);
}

static int seal_module(const struct bench_opts *o, struct bench_report *r, const char *path,
		       const char *name)
{
	static const char *const parts[6] = { "open", "rederive", "compare", "digest", "pagewalk",
					      "host_total" };
	int reps = o->reps * 3 > 64 ? 64 : o->reps * 3, rc = 0;
	double v[6][64];
	struct seal_case c = { 0 };
	struct rederive_why why = { "" };
	uint8_t *img;
	size_t len;

	if (read_whole_file(path, &img, &len))
		return fprintf(stderr, "modvisor bench: seal: %s: cannot read it\n", path), -1;
	if (rederive_open(img, len, name, &c.rd, &why) || seal_case_init(&c, name)) {
		fprintf(stderr, "modvisor bench: seal: %s: %s\n", name, why.msg);
		rc = -1;
	}
	for (int i = 0; i < reps && !rc; i++) {
		uint64_t t[5];

		rc = seal_once(img, len, &c, t);
		for (int k = 0; k < 5; k++)
			v[k][i] = bench_ticks_us((double)t[k]);
		v[5][i] = bench_ticks_us((double)(t[0] + t[1] + t[2] + t[3] + t[4]));
	}
	if (!rc) {
		bench_add1(r, "seal", "region_bytes", name, "KiB",
			   (double)(c.l.size[0] + c.l.size[1]) / 1024.0);
		for (int k = 0; k < 6; k++)
			bench_add(r, "seal", parts[k], name, "us", v[k], reps);
		seal_ratio(r, name, bench_find(r, "seal", "host_total", name)->median);
	}
	seal_case_free(&c);
	free(img);
	return rc;
}

int bench_section_seal(const struct bench_opts *o, struct bench_report *r)
{
	char paths[BENCH_MAXMODS][4096];
	int n = bench_mods(o, paths), rc = 0;

	for (int m = 0; m < n; m++) {
		bench_progress("seal: %s: re-derive, compare, digest, walk", bench_mod_name(o, m));
		if (seal_module(o, r, paths[m], bench_mod_name(o, m)))
			rc = -1;
	}
	return rc;
}

/*
 * The seal in a VM (protect on): one boot per repetition insmods every
 * generated module; the bench's hook times the MODULE_SEAL handler (the
 * guest-memory accessor, re-derivation, comparison, digest, memslot split
 * and the log entry), the MODULE_LOAD verdict and the guest's time from the
 * verdict to LOADED (relocation, the seal round trip, init) of each load.
 */
static int sealvm_once(const struct bench_opts *o, char paths[][4096], int n, int rep,
		       double v[3][BENCH_MAXMODS][64], int cnt[BENCH_MAXMODS])
{
	const char *files[BENCH_MAXMODS];
	char *argv[BENCH_MAXMODS][3], guest[BENCH_MAXMODS][64], log[64];
	struct boot_cmd cmds[BENCH_MAXMODS];
	struct cpio_out extra = { 0 };
	struct authority *auth = NULL;
	struct bench_guest_trace *t = malloc(sizeof(*t));
	int rc = -1;

	for (int i = 0; i < n; i++) {
		files[i] = paths[i];
		snprintf(guest[i], sizeof(guest[i]), "/bench/%s.ko", bench_mod_name(o, i));
		argv[i][0] = "/sbin/insmod", argv[i][1] = guest[i], argv[i][2] = NULL;
		cmds[i] = (struct boot_cmd){ 2, argv[i] };
	}
	snprintf(log, sizeof(log), "logs/seal-%d.log", rep);
	if (!t || bench_mod_extra(files, n, "/bench", &extra) || bench_auth_open(o, log, &auth))
		goto out;
	struct bench_guest_spec s = { .kernel = o->kernel, .initrd = o->initrd, .cmdline = "quiet",
				      .cmds = cmds, .ncmds = n, .extra = extra.data,
				      .extra_len = extra.len, .mem_mib = o->quick ? 128 : 512,
				      .auth = auth, .protect = true, .console_log = o->guest_log };
	rc = bench_guest_run(&s, t);
	if (!rc && (t->status != 0 || t->nloads != n || t->nseals != n)) {
		bench_report_fail("sealed module loads", t);
		fprintf(stderr, "modvisor bench: sealvm: %d of %d modules loaded, %d seals (see %s)\n",
			t->nloads, n, t->nseals, o->guest_log);
		rc = -1;
	}
	for (int i = 0; !rc && i < n; i++) {
		int k = cnt[i] < 64 ? cnt[i]++ : 63;

		v[0][i][k] = bench_ticks_us((double)t->seal_host[i]);
		v[1][i][k] = bench_ticks_us((double)t->load_host[i]);
		v[2][i][k] = bench_ticks_us((double)t->load_guest[i]);
	}
out:
	bench_auth_close(auth);
	cpio_free(&extra);
	free(t);
	return rc;
}

/* sealvm_rows(o, r, v, cnt, n): per module, the three times and two ratios. */
static void sealvm_rows(const struct bench_opts *o, struct bench_report *r,
			double v[3][BENCH_MAXMODS][64], const int cnt[BENCH_MAXMODS], int n)
{
	static const char *const names[3] = { "host_seal", "host_verdict", "guest_after_verdict" };
	double ratio[64];

	for (int m = 0; m < n; m++) {
		/* Against the other host stage of a load, and within the guest's wait after it. */
		for (int k = 0; k < cnt[m]; k++)
			ratio[k] = v[0][m][k] / v[1][m][k];
		bench_add(r, "sealvm", "seal_over_verdict", bench_mod_name(o, m), "ratio", ratio,
			  cnt[m]);
		for (int k = 0; k < cnt[m]; k++)
			ratio[k] = v[0][m][k] / v[2][m][k];
		bench_add(r, "sealvm", "seal_over_guest_load", bench_mod_name(o, m), "ratio", ratio,
			  cnt[m]);
		for (int s = 0; s < 3; s++)
			bench_add(r, "sealvm", names[s], bench_mod_name(o, m), "us", v[s][m], cnt[m]);
	}
}

int bench_section_sealvm(const struct bench_opts *o, struct bench_report *r)
{
	char paths[BENCH_MAXMODS][4096];
	int n = bench_mods(o, paths), reps = o->reps > 64 ? 64 : o->reps, rc = 0;
	double (*v)[BENCH_MAXMODS][64] = calloc(3, sizeof(*v));
	int cnt[BENCH_MAXMODS] = { 0 };

	rc = v ? 0 : -1;
	for (int i = 0; !rc && i < reps; i++) {
		bench_progress("sealvm: rep %d/%d: %d modules loaded and sealed", i + 1, reps, n);
		rc = sealvm_once(o, paths, n, i, v, cnt);
	}
	if (!rc)
		sealvm_rows(o, r, v, cnt, n);
	free(v);
	return rc;
}
