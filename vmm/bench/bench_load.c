/* bench_load.c: the module-load sections of `modvisor bench`: in the guest, host stages, the hosted loader, scale. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>
#include <xxhash.h>
#include <openssl/evp.h>
#include "authority/authority.h"
#include "bench_hc.h"
#include "bench_suite.h"
#include "cpio_write.h"
#include "kernel_load.h"
#include "modvisor/abi/bootinfo.h"

static const char *const bench_quick_mods[] = { "bm4k", "bm64k" };
static const char *const bench_full_mods[] = { "bm4k", "bm64k", "bm256k", "bm1024k",
					       "bm4096k", "bm16384k" };

int bench_mods(const struct bench_opts *o, char paths[][4096])
{
	const char *const *names = o->quick ? bench_quick_mods : bench_full_mods;
	int n = o->quick ? 2 : 6;

	for (int i = 0; i < n; i++)
		snprintf(paths[i], 4096, "%s/bench/%s/%s.ko", o->images,
			 o->quick ? "quick" : "full", names[i]);
	return n;
}

const char *bench_mod_name(const struct bench_opts *o, int i)
{
	return (o->quick ? bench_quick_mods : bench_full_mods)[i];
}

/* The compressed module, loaded after the others with MODULE_INIT_COMPRESSED_FILE. */
static const char *bench_xz_name(const struct bench_opts *o)
{
	return o->quick ? "bmxz64k" : "bmxz1024k";
}

/* bench_load_name(o, n, i): module i of a load run of n plain ones and the compressed one. */
static const char *bench_load_name(const struct bench_opts *o, int n, int i)
{
	return i < n ? bench_mod_name(o, i) : bench_xz_name(o);
}

static const char *const bench_stage_names[MV_BENCH_STAGE_COUNT] = {
	[MV_BENCH_COPY_IN] = "g_copy_in", [MV_BENCH_DECOMPRESS] = "g_decompress",
	[MV_BENCH_VERDICT] = "g_verdict", [MV_BENCH_ELF_CHECK] = "g_elf_check",
	[MV_BENCH_LAYOUT] = "g_layout", [MV_BENCH_SYMBOLS] = "g_symbols",
	[MV_BENCH_RELOC] = "g_relocation", [MV_BENCH_PARAMS] = "g_params",
	[MV_BENCH_INIT] = "g_init", [MV_BENCH_PROTECT] = "g_protect",
	[MV_BENCH_LOAD_TOTAL] = "g_total",
};

/* Samples of one figure per module: [stage][module][rep]. */
struct bench_grid {
	double v[MV_BENCH_STAGE_COUNT + 2][BENCH_MAXMODS][64];
	int n[MV_BENCH_STAGE_COUNT + 2][BENCH_MAXMODS];
};
#define GRID_HOST   MV_BENCH_STAGE_COUNT        /* host verdict, seen by the VMM */
#define GRID_GUEST  (MV_BENCH_STAGE_COUNT + 1)  /* verdict -> LOADED, seen by the VMM */

static void bench_grid_put(struct bench_grid *g, int row, int mod, double x)
{
	if (mod < BENCH_MAXMODS && g->n[row][mod] < 64)
		g->v[row][mod][g->n[row][mod]++] = x;
}

/* bench_guest_stages(g, nmods): the MV_HC_BENCH records, split into loads at g_total. */
static void bench_guest_stages(struct bench_grid *g, int nmods)
{
	unsigned n;
	const struct bench_stage_rec *rec = bench_hc_records(&n);
	int load = 0;

	for (unsigned i = 0; i < n && load < nmods; i++) {
		if (rec[i].stage == 0 || rec[i].stage >= MV_BENCH_STAGE_COUNT)
			continue;
		bench_grid_put(g, rec[i].stage, load, bench_ticks_us((double)rec[i].ticks));
		if (rec[i].stage == MV_BENCH_LOAD_TOTAL)
			load++;
	}
}

/* bench_guest_loads_once(o, paths, n, rep, g): one boot that insmods every module. */
static int bench_guest_loads_once(const struct bench_opts *o, char paths[][4096], int n,
				  int rep, struct bench_grid *g)
{
	const char *files[BENCH_MAXMODS];
	char *argv[BENCH_MAXMODS][5], guest[BENCH_MAXMODS][64], log[64], xz[4096];
	struct boot_cmd cmds[BENCH_MAXMODS];
	struct cpio_out extra = { 0 };
	struct authority *auth = NULL;
	struct bench_guest_trace t;
	int rc = -1;

	for (int i = 0; i < n; i++) {
		files[i] = paths[i];
		snprintf(guest[i], sizeof(guest[i]), "/bench/%s.ko", bench_mod_name(o, i));
		argv[i][0] = "/sbin/insmod", argv[i][1] = guest[i], argv[i][2] = NULL;
		cmds[i] = (struct boot_cmd){ 2, argv[i] };
	}
	/* finit_module(fd, "", MODULE_INIT_COMPRESSED_FILE): the decompression stage. */
	snprintf(xz, sizeof(xz), "%s/bench/%s/%s.ko.xz", o->images, o->quick ? "quick" : "full",
		 bench_xz_name(o));
	files[n] = xz;
	snprintf(guest[n], sizeof(guest[n]), "/bench/%s.ko.xz", bench_xz_name(o));
	argv[n][0] = "/bin/mv-modcall", argv[n][1] = "finit", argv[n][2] = guest[n];
	argv[n][3] = "4", argv[n][4] = NULL;
	cmds[n] = (struct boot_cmd){ 4, argv[n] };
	snprintf(log, sizeof(log), "logs/load-%d.log", rep);
	if (bench_mod_extra(files, n + 1, "/bench", &extra) || bench_auth_open(o, log, &auth))
		goto out;
	struct bench_guest_spec s = { .kernel = o->kernel, .initrd = o->initrd, .cmdline = "quiet",
				      .cmds = cmds, .ncmds = n + 1, .extra = extra.data,
				      .extra_len = extra.len, .mem_mib = o->quick ? 128 : 512,
				      .boot_flags = MV_BOOT_F_BENCH, .auth = auth,
				      .console_log = o->guest_log };
	bench_hc_reset();
	rc = bench_guest_run(&s, &t);
	if (!rc && (t.status != 0 || t.nloads != n + 1)) {
		bench_report_fail("module loads", &t);
		fprintf(stderr, "modvisor bench: %d of %d modules loaded (see %s)\n", t.nloads,
			n + 1, o->guest_log);
		rc = -1;
	}
	for (int i = 0; !rc && i <= n; i++) {
		bench_grid_put(g, GRID_HOST, i, bench_ticks_us((double)t.load_host[i]));
		bench_grid_put(g, GRID_GUEST, i, bench_ticks_us((double)t.load_guest[i]));
	}
	if (!rc)
		bench_guest_stages(g, n + 1);
out:
	bench_auth_close(auth);
	cpio_free(&extra);
	return rc;
}

/* bench_grid_rows(o, r, g, n): one row per (figure, module) that has samples. */
static void bench_grid_rows(const struct bench_opts *o, struct bench_report *r,
			    struct bench_grid *g, int n)
{
	for (int s = 1; s < MV_BENCH_STAGE_COUNT + 2; s++) {
		const char *name = s == GRID_HOST ? "host_verdict" : s == GRID_GUEST ?
				   "guest_after_verdict" : bench_stage_names[s];

		for (int m = 0; m <= n; m++)
			if (name && g->n[s][m])
				bench_add(r, "guestload", name, bench_load_name(o, n, m), "us",
					  g->v[s][m], g->n[s][m]);
	}
}

/* bench_time_host_stages(...): the VMM's stages on one image, in this process. */
struct bench_host_times {
	double copy, xxh3, sha256, measure, sig, authority, log, nofsync;
};

static int bench_host_stages_once(struct authority *auth, struct authority *lazy,
				  const uint8_t *img, size_t len, struct sig_keyring *kr,
				  struct bench_host_times *h)
{
	struct authority_request req = { .len = len, .source = MV_MODSRC_FINIT_MODULE,
					 .path = "/bench/m.ko" };
	struct authority_verdict *v = calloc(1, sizeof(*v));
	struct mlog_event e = { .event = MV_MODEV_LOADED, .name = "bench" };
	struct measurement m;
	struct sig_result sr;
	uint8_t md[EVP_MAX_MD_SIZE], *copy = malloc(len);
	char err[512];
	uint64_t t[9];
	int rc;

	if (!copy || !v)
		return free(copy), free(v), -1;
	t[0] = bench_tsc();
	memcpy(copy, img, len);
	t[1] = bench_tsc();
	XXH128_hash_t x = XXH3_128bits(copy, len);
	t[2] = bench_tsc();
	EVP_Digest(copy, len, md, NULL, EVP_sha256(), NULL);
	t[3] = bench_tsc();
	measure_buf(copy, len, MEASURE_DEFAULT_SET, &m);
	t[4] = bench_tsc();
	sig_verify(kr, copy, len, &sr);
	t[5] = bench_tsc();
	req.image = copy;
	rc = authority_load(auth, &req, v, err, sizeof(err));
	t[6] = bench_tsc();
	e.load_id = v->load_id;
	if (!rc)
		rc = authority_event(auth, &e, err, sizeof(err));
	t[7] = bench_tsc();
	if (!rc)
		rc = authority_load(lazy, &req, v, err, sizeof(err));
	t[8] = bench_tsc();
	*h = (struct bench_host_times){ bench_ticks_us(t[1] - t[0]), bench_ticks_us(t[2] - t[1]),
		bench_ticks_us(t[3] - t[2]), bench_ticks_us(t[4] - t[3]), bench_ticks_us(t[5] - t[4]),
		bench_ticks_us(t[6] - t[5]), bench_ticks_us(t[7] - t[6]), bench_ticks_us(t[8] - t[7]) };
	(void)x;
	free(copy);
	free(v);
	if (rc)
		fprintf(stderr, "modvisor bench: host stages: %s\n", err);
	return rc ? -1 : 0;
}

/* bench_host_stages(o, r, paths, n): the VMM's side of each load, stage by stage. */
static int bench_host_stages(const struct bench_opts *o, struct bench_report *r,
			     char paths[][4096], int n)
{
	static const char *const names[] = { "h_copy", "h_xxh3", "h_sha256", "h_measure_path",
					     "h_signature", "h_authority_total", "h_log_event_fsync",
					     "h_authority_fsync_close" };
	struct sig_keyring *kr = sig_keyring_empty();
	struct authority *auth = NULL, *lazy = NULL;
	int reps = o->reps > 64 ? 64 : o->reps, rc = 0;

	if (!kr || bench_auth_open(o, "logs/host-stages.log", &auth) ||
	    bench_auth_open_fsync(o, "logs/host-stages-fsync-close.log", "close", &lazy))
		return -1;
	for (int m = 0; m < n && !rc; m++) {
		double v[8][64];
		uint8_t *img;
		size_t len;

		bench_progress("load: host stages of %s", bench_mod_name(o, m));
		if (read_whole_file(paths[m], &img, &len)) {
			fprintf(stderr, "modvisor bench: %s: cannot read it\n", paths[m]);
			rc = -1;
			break;
		}
		for (int i = 0; i < reps && !rc; i++) {
			struct bench_host_times h;

			rc = bench_host_stages_once(auth, lazy, img, len, kr, &h);
			double *f = &h.copy;
			for (int k = 0; k < 8; k++)
				v[k][i] = f[k];
		}
		for (int k = 0; k < 8 && !rc; k++)
			bench_add(r, "load", names[k], bench_mod_name(o, m), "us", v[k], reps);
		free(img);
	}
	bench_auth_close(auth);
	bench_auth_close(lazy);
	sig_keyring_free(kr);
	return rc;
}

/*
 * bench_hosted_stages(o, r, section, files, n, names): run mv-bench-stages
 * (the guest loader on the host) and turn its lines into rows.
 */
static int bench_hosted_stages(const struct bench_opts *o, struct bench_report *r,
			       const char *section, char files[][4096], int n)
{
	static const char *const stages[] = { "elf_check", "layout", "symbols", "relocation" };
	char cmd[8192], name[256], stage[32];
	double v[4][BENCH_MAXMODS][64];
	int cnt[4][BENCH_MAXMODS] = { { 0 } }, len;
	unsigned long long ns, bytes;
	FILE *p;

	len = snprintf(cmd, sizeof(cmd), "%s/mv-bench-stages %d", o->tests, o->reps);
	for (int i = 0; i < n && len < (int)sizeof(cmd); i++)
		len += snprintf(cmd + len, sizeof(cmd) - len, " '%s'", files[i]);
	p = popen(cmd, "r");
	if (!p)
		return fprintf(stderr, "modvisor bench: %s: %s\n", cmd, strerror(errno)), -1;
	while (fscanf(p, "%255s %31s %llu %llu", name, stage, &ns, &bytes) == 4) {
		for (int m = 0; m < n; m++) {
			const char *b = strrchr(files[m], '/');

			if (strcmp(b ? b + 1 : files[m], name))
				continue;
			for (int s = 0; s < 4; s++)
				if (!strcmp(stage, stages[s]) && cnt[s][m] < 64)
					v[s][m][cnt[s][m]++] = ns / 1000.0;
		}
	}
	if (pclose(p) != 0)
		fprintf(stderr, "modvisor bench: mv-bench-stages reported a failure\n");
	for (int m = 0; m < n; m++) {
		const char *b = strrchr(files[m], '/');
		char param[32];

		snprintf(param, sizeof(param), "%.*s", (int)strcspn(b ? b + 1 : files[m], "."),
			 b ? b + 1 : files[m]);
		for (int s = 0; s < 4; s++)
			bench_add(r, section, stages[s], param, "us", v[s][m], cnt[s][m]);
	}
	return 0;
}

int bench_section_load(const struct bench_opts *o, struct bench_report *r)
{
	char paths[BENCH_MAXMODS][4096];
	int n = bench_mods(o, paths), reps = o->reps > 64 ? 64 : o->reps, rc = 0;
	struct bench_grid *g = calloc(1, sizeof(*g));

	if (!g)
		return -1;
	for (int i = 0; i < reps && !rc; i++) {
		bench_progress("load: boot %d/%d, insmod of %d modules", i + 1, reps, n);
		rc = bench_guest_loads_once(o, paths, n, i + 1, g);
	}
	if (!rc)
		bench_grid_rows(o, r, g, n);
	free(g);
	return rc;
}

int bench_section_hoststages(const struct bench_opts *o, struct bench_report *r)
{
	char paths[BENCH_MAXMODS][4096];
	int n = bench_mods(o, paths), rc = 0;

	for (int m = 0; m < n; m++) {
		uint8_t *img;
		size_t len;

		if (read_whole_file(paths[m], &img, &len) == 0) {
			bench_add1(r, "load", "file_size", bench_mod_name(o, m), "KiB", len / 1024.0);
			free(img);
		}
	}
	if (bench_host_stages(o, r, paths, n))
		rc = -1;
	bench_progress("hoststages: the guest loader's stages on the host");
	if (bench_hosted_stages(o, r, "hostedload", paths, n))
		rc = -1;
	return rc;
}

/*
 * bench_density(o, r, dir): bytes of text per relocation against text, over
 * every .ko under dir (mv-bench-stages -d): the density genmod.sh copies.
 */
static int bench_density(const struct bench_opts *o, struct bench_report *r, const char *dir)
{
	char cmd[8600], name[256];
	unsigned long long text, relocs;
	size_t n = 0, cap = 0;
	double *v = NULL, *nv;
	FILE *p;

	snprintf(cmd, sizeof(cmd), "find '%s' -name '*.ko' | '%s/mv-bench-stages' -d", dir, o->tests);
	p = popen(cmd, "r");
	if (!p)
		return fprintf(stderr, "modvisor bench: %s: %s\n", cmd, strerror(errno)), -1;
	while (fscanf(p, "%255s %llu %llu", name, &text, &relocs) == 3) {
		if (!relocs)
			continue;
		if (n == cap) {
			cap = cap ? 2 * cap : 1024;
			nv = realloc(v, cap * sizeof(*v));
			if (!nv)
				break;
			v = nv;
		}
		v[n++] = (double)text / (double)relocs;
	}
	pclose(p);
	bench_add(r, "corpus", "text_bytes_per_reloc", "debian", "bytes", v, (int)n);
	bench_add1(r, "corpus", "modules_with_text_relocs", "debian", "count", (double)n);
	free(v);
	return n ? 0 : -1;
}

int bench_section_corpus(const struct bench_opts *o, struct bench_report *r)
{
	char pkg[1024], path[1200], file[1][4096];
	const char *ver;
	FILE *f;

	/* The largest real Debian module: amdgpu.ko, from the emulated host's kernel package. */
	if (o->quick)
		return 0;       /* 19 MB: not for a smoke run */
	snprintf(path, sizeof(path), "%s/../emuhost/kernel-dir", o->images);
	f = fopen(path, "r");
	if (!f || !fgets(pkg, sizeof(pkg), f) || !(ver = strstr(pkg, "linux-image-"))) {
		if (f)
			fclose(f);
		fprintf(stderr, "modvisor bench: corpus: no Debian kernel package (%s); skipped\n",
			path);
		return 0;
	}
	fclose(f);
	pkg[strcspn(pkg, "\n")] = '\0';
	ver += strlen("linux-image-");
	/* kernel-dir is relative to the top of the tree, build/images/../.. */
	snprintf(file[0], sizeof(file[0]), "%s%s%s/lib/modules/%s/kernel/drivers/gpu/drm/amd/"
		 "amdgpu/amdgpu.ko", pkg[0] == '/' ? "" : o->images,
		 pkg[0] == '/' ? "" : "/../../", pkg, ver);
	if (access(file[0], R_OK)) {
		fprintf(stderr, "modvisor bench: corpus: %s: %s; skipped\n", file[0], strerror(errno));
		return 0;
	}
	bench_progress("corpus: amdgpu.ko, validate and relocate on the host");
	if (bench_hosted_stages(o, r, "corpus", file, 1))
		return -1;
	bench_progress("corpus: relocation density of every Debian module");
	*strstr(file[0], "/kernel/drivers/") = '\0';
	return bench_density(o, r, file[0]);
}

/* bench_scale_child(o, v, k, fd): one VM loading and unloading bm64k k times; the trace to fd. */
static void bench_scale_child(const struct bench_opts *o, int nvm, int idx, int k, int fd)
{
	char path[4096], log[64];
	const char *files[1] = { path };
	char *ins[] = { "/sbin/insmod", "/bench/bm64k.ko", NULL };
	char *rm[] = { "/sbin/rmmod", "bm64k", NULL };
	struct boot_cmd cmds[2 * 64];
	struct cpio_out extra = { 0 };
	struct authority *auth = NULL;
	struct bench_guest_trace t;
	int ok = 0;

	snprintf(path, sizeof(path), "%s/bench/%s/bm64k.ko", o->images, o->quick ? "quick" : "full");
	snprintf(log, sizeof(log), "logs/scale-%d-%d.log", nvm, idx);
	for (int i = 0; i < k; i++) {
		cmds[2 * i] = (struct boot_cmd){ 2, ins };
		cmds[2 * i + 1] = (struct boot_cmd){ 2, rm };
	}
	memset(&t, 0, sizeof(t));
	if (!bench_mod_extra(files, 1, "/bench", &extra) && !bench_auth_open(o, log, &auth)) {
		struct bench_guest_spec s = { .kernel = o->kernel, .initrd = o->initrd,
					      .cmdline = "quiet", .cmds = cmds, .ncmds = 2 * k,
					      .extra = extra.data, .extra_len = extra.len,
					      .mem_mib = 128, .auth = auth, .console_log = o->guest_log };
		ok = bench_guest_run(&s, &t) == 0 && t.status == 0 && t.nloads == k;
	}
	bench_auth_close(auth);
	_exit(write(fd, &t, sizeof(t)) == (ssize_t)sizeof(t) && ok ? 0 : 1);
}

/* bench_scale_logs(o, nvm, entries): verify each VM's log; how many verified. */
static int bench_scale_logs(const struct bench_opts *o, int nvm, uint64_t *entries)
{
	char leaf[64], path[4096];
	int good = 0;

	*entries = 0;
	for (int i = 0; i < nvm; i++) {
		struct mlog_verify v;

		snprintf(leaf, sizeof(leaf), "logs/scale-%d-%d.log", nvm, i);
		if (mlog_verify_file(bench_path(o, leaf, path, sizeof(path)), &v) == 0 && v.ended)
			good++;
		else
			fprintf(stderr, "modvisor bench: scale: %s does not verify: %s\n", path, v.why);
		*entries += v.entries;
	}
	return good;
}

/* bench_scale_once(o, nvm, k, wall_s, busy_s): nvm VMs at once; 0 or -1. */
static int bench_scale_once(const struct bench_opts *o, int nvm, int k, double *wall_s,
			    double *busy_s)
{
	pid_t pid[8];
	int fds[8], bad = 0;
	uint64_t t0 = bench_now_ns(), first = UINT64_MAX, last = 0;

	for (int i = 0; i < nvm; i++) {
		int p[2];

		if (pipe(p) < 0 || (pid[i] = fork()) < 0)
			return fprintf(stderr, "modvisor bench: scale: %s\n", strerror(errno)), -1;
		if (pid[i] == 0) {
			close(p[0]);
			bench_scale_child(o, nvm, i, k, p[1]);
		}
		close(p[1]);
		fds[i] = p[0];
	}
	for (int i = 0; i < nvm; i++) {
		struct bench_guest_trace t;
		int st = 0;

		bad |= read(fds[i], &t, sizeof(t)) != (ssize_t)sizeof(t);
		close(fds[i]);
		waitpid(pid[i], &st, 0);
		bad |= !WIFEXITED(st) || WEXITSTATUS(st) != 0;
		if (t.load_first && t.load_first < first)
			first = t.load_first;
		if (t.loaded_last > last)
			last = t.loaded_last;
	}
	*wall_s = (bench_now_ns() - t0) / 1e9;
	*busy_s = last > first ? bench_ticks_us((double)(last - first)) / 1e6 : 0;
	if (bad)
		fprintf(stderr, "modvisor bench: scale: a VM failed (see %s)\n", o->guest_log);
	return bad ? -1 : 0;
}

/*
 * Each VM count is run o->reps times (at least 3), so scale.png can show the
 * spread of every point; the counts (logs verified, entries) are the last
 * repetition's, and every repetition's logs must verify.
 */
int bench_section_scale(const struct bench_opts *o, struct bench_report *r)
{
	int k = o->quick ? 2 : 8, maxvm = o->quick ? 2 : 4;
	int reps = o->reps < 3 ? 3 : o->reps;

	for (int nvm = 1; nvm <= maxvm; nvm *= 2) {
		double with[reps], after[reps], good = 0;
		int nafter = 0;
		uint64_t entries = 0;
		char param[16];

		snprintf(param, sizeof(param), "%dvm", nvm);
		for (int i = 0; i < reps; i++) {
			double wall, busy;

			bench_progress("scale: %d VM(s) in parallel, %d loads each (%d/%d)",
				       nvm, k, i + 1, reps);
			if (bench_scale_once(o, nvm, k, &wall, &busy))
				return -1;
			good = bench_scale_logs(o, nvm, &entries);
			if (good < nvm)
				return -1;
			with[i] = nvm * k / wall;
			if (busy > 0)
				after[nafter++] = nvm * k / busy;
		}
		bench_add(r, "scale", "loads_per_s_with_boot", param, "loads/s", with, reps);
		if (nafter)
			bench_add(r, "scale", "loads_per_s_after_boot", param, "loads/s",
				  after, nafter);
		bench_add1(r, "scale", "logs_verified", param, "count", good);
		bench_add1(r, "scale", "log_entries", param, "count", (double)entries);
	}
	return 0;
}
