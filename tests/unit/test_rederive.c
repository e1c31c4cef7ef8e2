/* test_rederive.c: the host's re-derivation (vmm/authority/rederive.c) against the hosted loader over Debian's modules at two layouts; every kind of tampering caught. */
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "../hosted/loader_env_hosted.h"
#include "../../guest/module/internal.h"
#include "../../vmm/authority/rederive.h"
#include "check_main.h"

/*
 * The corpus is Debian's linux-image package that `make` fetched
 * (scripts/fetch-debian-kernel.sh; MV_CORPUS_DIR overrides), all of its
 * modules unless MV_REDERIVE_CORPUS_MAX=N picks N of them (the sanitizer
 * run).  Each module is dry-run by the hosted loader (the same loader code,
 * tests/hosted/loader_env_hosted.c) at two module addresses; the
 * re-derivation at the layout the hosted loader chose must give the same
 * bytes, and must catch one flipped byte, one wrong symbol value and one
 * reordered section.
 */
#define LAYOUT_B_VA  0x7654000ull   /* the second layout: core this far into the area */

static char **paths;
static size_t npaths;
static char corpus_why[4300];

static int corpus_add(const char *p, const struct stat *st, int flag, struct FTW *f)
{
	size_t n = strlen(p);
	static size_t cap;

	(void)st;
	(void)f;
	if (flag != FTW_F || n < 3 || strcmp(p + n - 3, ".ko") != 0)
		return 0;
	if (npaths == cap) {
		cap = cap ? 2 * cap : 4096;
		paths = realloc(paths, cap * sizeof(*paths));
	}
	paths[npaths++] = strdup(p);
	return 0;
}

static int cmp_path(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The corpus directory: MV_CORPUS_DIR, else the fetch script's last line. */
static int corpus_dir(char *dir, size_t n)
{
	const char *env = getenv("MV_CORPUS_DIR");
	FILE *p;

	if (env) {
		snprintf(dir, n, "%s", env);
		return 0;
	}
	p = popen("scripts/fetch-debian-kernel.sh build 2>/dev/null | tail -n 1", "r");
	if (!p || !fgets(dir, (int)n, p)) {
		if (p)
			pclose(p);
		return -1;
	}
	pclose(p);
	dir[strcspn(dir, "\n")] = '\0';
	return 0;
}

static void corpus_load(void)
{
	char dir[4096], mods[4200];
	const char *max = getenv("MV_REDERIVE_CORPUS_MAX");

	if (corpus_dir(dir, sizeof(dir)) != 0) {
		snprintf(corpus_why, sizeof(corpus_why), "scripts/fetch-debian-kernel.sh failed");
		return;
	}
	snprintf(mods, sizeof(mods), "%s/lib/modules", dir);
	if (nftw(mods, corpus_add, 16, FTW_PHYS) != 0 || npaths == 0) {
		snprintf(corpus_why, sizeof(corpus_why), "no modules under %s", mods);
		return;
	}
	qsort(paths, npaths, sizeof(*paths), cmp_path);
	if (max && atol(max) > 0 && (size_t)atol(max) < npaths) {
		size_t step = (npaths + (size_t)atol(max) - 1) / (size_t)atol(max), k = 0;

		for (size_t i = 0; i < npaths; i += step)
			paths[k++] = paths[i];
		npaths = k;
	}
}

struct image {
	uint8_t *buf;
	size_t   len;
};

static int image_read(const char *path, struct image *im)
{
	FILE *f = fopen(path, "rb");
	struct stat st;

	if (!f || fstat(fileno(f), &st) != 0) {
		if (f)
			fclose(f);
		return -1;
	}
	im->len = (size_t)st.st_size;
	im->buf = malloc(im->len ? im->len : 1);
	if (!im->buf || fread(im->buf, 1, im->len, f) != im->len) {
		fclose(f);
		free(im->buf);
		return -1;
	}
	fclose(f);
	return 0;
}

/* What the hosted loader's dry run left at one layout: core and init. */
struct placed {
	struct mod_region core, init;
};

static void placed_free(struct placed *p)
{
	free(p->core.buf);
	free(p->init.buf);
	memset(p, 0, sizeof(*p));
}

/* The hosted loader (the guest's code) relocating im with its core at the module area + va_off. */
static int hosted_place(const struct image *im, uint64_t va_off, struct placed *p)
{
	struct mod_load_args a = {
		.image = im->buf, .len = im->len,
		.mode = MOD_LOAD_DRY_RUN | MOD_LOAD_ANY_THIS_MODULE | MOD_LOAD_NO_VERSIONS,
	};
	int err;

	memset(p, 0, sizeof(*p));
	hosted_env_reset();
	henv.quiet = true;
	henv.keep_freed = true;
	henv.next_va = va_off;
	err = mod_load(&a, NULL);
	/* Core is allocated first, so at the lower address. */
	for (int i = 0; i < henv.nkept; i++) {
		if (henv.kept[i].va == HOSTED_MODULES_VADDR + va_off)
			p->core = henv.kept[i];
		else
			p->init = henv.kept[i];
	}
	henv.nkept = 0;
	return err;
}

/* An honest guest's report of p: every section where the loader put it, and the dry run's values. */
struct report {
	struct rederive_layout l;
	struct rederive_guest_section *secs;
	struct rederive_symval *vals;
	uint32_t nvals;
};

static void report_make(const struct rederive *rd, const struct placed *p, struct report *r)
{
	uint32_t n, nu;
	const struct rederive_section *s = rederive_sections(rd, &n);
	const struct rederive_undef *u = rederive_undefs(rd, &nu);

	memset(r, 0, sizeof(*r));
	r->l.va[REDERIVE_CORE] = p->core.va;
	r->l.size[REDERIVE_CORE] = p->core.size;
	if (p->init.buf) {
		r->l.va[REDERIVE_INIT] = p->init.va;
		r->l.size[REDERIVE_INIT] = p->init.size;
	}
	r->secs = calloc(n ? n : 1, sizeof(*r->secs));
	for (uint32_t k = 0; k < n; k++)
		r->secs[k] = (struct rederive_guest_section){ .shndx = s[k].shndx,
			.prot = s[k].prot, .va = r->l.va[s[k].region] + s[k].off, .size = s[k].size };
	r->l.secs = r->secs;
	r->l.nsecs = n;
	r->vals = calloc(nu ? nu : 1, sizeof(*r->vals));
	for (uint32_t k = 0; k < nu; k++)
		r->vals[k] = (struct rederive_symval){ u[k].index, mod_dry_run_address(u[k].name) };
	r->nvals = nu;
}

static void report_free(struct report *r)
{
	free(r->secs);
	free(r->vals);
}

static int derive(struct rederive *rd, const struct report *r, struct rederive_why *why)
{
	return rederive_derive(rd, &r->l, r->vals, r->nvals, NULL, NULL, why);
}

/* Both regions of p against the expected bytes: 0, or the first compare's error. */
static int compare_placed(const struct rederive *rd, const struct placed *p,
			  struct rederive_mismatch *m)
{
	int err = rederive_compare(rd, REDERIVE_CORE, 0, p->core.buf, p->core.size, m);

	if (!err && p->init.buf)
		err = rederive_compare(rd, REDERIVE_INIT, 0, p->init.buf, p->init.size, m);
	return err;
}

/*
 * A symbol index that a relocation of a loaded section uses and that is
 * undefined, so a wrong value for it must change bytes; 0 when none.
 */
static uint32_t undef_in_reloc(const struct image *im, const struct rederive *rd)
{
	const Elf64_Ehdr *h = (const Elf64_Ehdr *)im->buf;
	const Elf64_Shdr *sh = (const Elf64_Shdr *)(im->buf + h->e_shoff);
	uint32_t n, nsecs;
	const struct rederive_undef *u = rederive_undefs(rd, &n);
	const struct rederive_section *secs = rederive_sections(rd, &nsecs);

	for (uint32_t i = 1; i < h->e_shnum; i++) {
		const Elf64_Rela *rel = (const Elf64_Rela *)(im->buf + sh[i].sh_offset);
		bool loaded = false;

		for (uint32_t k = 0; k < nsecs; k++)
			loaded |= sh[i].sh_type == SHT_RELA && secs[k].shndx == sh[i].sh_info &&
				  secs[k].size > 0;
		for (uint64_t j = 0; loaded && j < sh[i].sh_size / sizeof(*rel); j++) {
			uint32_t sym = (uint32_t)ELF64_R_SYM(rel[j].r_info);

			if (ELF64_R_TYPE(rel[j].r_info) == R_X86_64_NONE)
				continue;
			for (uint32_t k = 0; k < n; k++)
				if (u[k].index == sym)
					return sym;
		}
	}
	return 0;
}

/* Each check of one module; returns NULL or what failed (in buf). */
static const char *bad_at(char *buf, size_t n, const char *what, const struct rederive_why *why)
{
	snprintf(buf, n, "%s%s%s", what, why && why->msg[0] ? ": " : "", why ? why->msg : "");
	return buf;
}

/* One flipped byte in the middle of the first non-empty file-backed section is found there. */
static const char *tamper_flip(struct rederive *rd, struct placed *p, char *buf, size_t n)
{
	uint32_t ns;
	const struct rederive_section *s = rederive_sections(rd, &ns);
	struct rederive_mismatch m;

	for (uint32_t k = 0; k < ns; k++) {
		struct mod_region *r = s[k].region == REDERIVE_CORE ? &p->core : &p->init;
		uint64_t off = s[k].off + s[k].size / 2;

		if (s[k].nobits || s[k].size == 0)
			continue;
		r->buf[off] ^= 0x20;
		int err = compare_placed(rd, p, &m);
		r->buf[off] ^= 0x20;
		if (err != -EBADMSG || m.region != s[k].region || m.region_off != off ||
		    m.shndx != s[k].shndx || m.sec_off != s[k].size / 2)
			return bad_at(buf, n, "flipped byte not found where it was flipped", NULL);
		return NULL;
	}
	return NULL;
}

/* One undefined symbol's value off by 0x10 gives bytes that differ in a relocation against it. */
static const char *tamper_symbol(const struct image *im, struct rederive *rd, struct report *r,
				 const struct placed *p, char *buf, size_t n)
{
	uint32_t sym = undef_in_reloc(im, rd);
	struct rederive_mismatch m;
	struct rederive_why why;
	uint32_t k = 0;
	int err;

	if (!sym)
		return NULL;
	while (r->vals[k].index != sym)
		k++;
	r->vals[k].value += 0x10;
	err = derive(rd, r, &why);
	r->vals[k].value -= 0x10;
	if (err)
		return bad_at(buf, n, "derive with a wrong value failed", &why);
	err = compare_placed(rd, p, &m);
	if (err != -EBADMSG || !m.has_reloc || m.reloc_sym != sym)
		return bad_at(buf, n, "wrong symbol value not caught in its relocation", NULL);
	return NULL;
}

/* The guest reporting the first two core sections the other way round is refused. */
static const char *tamper_reorder(struct rederive *rd, struct report *r, char *buf, size_t n)
{
	struct rederive_guest_section a = r->secs[0], b = r->secs[1];
	struct rederive_why why;
	int err;

	if (r->l.nsecs < 2 || a.shndx == b.shndx)
		return NULL;
	r->secs[0] = (struct rederive_guest_section){ b.shndx, b.prot, a.va, b.size };
	r->secs[1] = (struct rederive_guest_section){ a.shndx, a.prot, a.va + b.size, a.size };
	err = derive(rd, r, &why);
	r->secs[0] = a;
	r->secs[1] = b;
	if (err != -EINVAL || !strstr(why.msg, "reordered"))
		return bad_at(buf, n, "reordered sections not refused", &why);
	return NULL;
}

/* One layout: hosted dry run, derive, compare; then (tamper) every tampering caught. */
static const char *one_layout(const struct image *im, struct rederive *rd, uint64_t va_off,
			      bool tamper, char *buf, size_t n)
{
	struct rederive_mismatch m;
	struct rederive_why why;
	const char *bad = NULL;
	struct placed p;
	struct report r;

	if (hosted_place(im, va_off, &p) != 0) {
		placed_free(&p);
		return bad_at(buf, n, "hosted loader refused it", NULL);
	}
	report_make(rd, &p, &r);
	if (derive(rd, &r, &why) != 0)
		bad = bad_at(buf, n, "derive failed", &why);
	else if (compare_placed(rd, &p, &m) != 0) {
		char line[256];

		rederive_mismatch_format(&m, line, sizeof(line));
		bad = bad_at(buf, n, "differs from the hosted loader", NULL);
		snprintf(buf + strlen(buf), n - strlen(buf), ": %s", line);
	}
	if (!bad && tamper)
		bad = tamper_flip(rd, &p, buf, n);
	if (!bad && tamper)
		bad = tamper_symbol(im, rd, &r, &p, buf, n);
	if (!bad && tamper)
		bad = tamper_reorder(rd, &r, buf, n);
	report_free(&r);
	placed_free(&p);
	return bad;
}

static const char *one_module(const char *path, char *buf, size_t n)
{
	struct rederive_why why;
	struct rederive *rd;
	struct image im;
	const char *bad;

	if (image_read(path, &im) != 0)
		return bad_at(buf, n, "unreadable", NULL);
	if (rederive_open(im.buf, im.len, "m", &rd, &why) != 0) {
		free(im.buf);
		return bad_at(buf, n, "open failed", &why);
	}
	bad = one_layout(&im, rd, 0, true, buf, n);
	if (!bad)
		bad = one_layout(&im, rd, LAYOUT_B_VA, false, buf, n);
	rederive_close(rd);
	free(im.buf);
	return bad;
}

START_TEST(corpus_two_layouts)
{
	size_t bad = 0;
	char why[512];

	ck_assert_msg(npaths >= 300, "corpus: %s (%zu modules)", corpus_why, npaths);
	for (size_t i = 0; i < npaths; i++) {
		const char *b = one_module(paths[i], why, sizeof(why));

		if (b && bad++ < 5)
			fprintf(stderr, "%s: %s\n", paths[i], b);
	}
	fprintf(stderr, "rederive corpus: %zu modules at two layouts, %zu failed\n", npaths, bad);
	ck_assert_msg(bad == 0, "%zu of %zu modules failed (first ones above)", bad, npaths);
}
END_TEST

/* ---- one module in detail: every refusal of a guest layout ---------------- */

static struct image fx_im;
static struct rederive *fx_rd;
static struct placed fx_p;
static struct report fx_r;

/* A module with an init region and several core sections: dummy.ko, else the first such. */
static const char *detail_path(void)
{
	for (size_t i = 0; i < npaths; i++)
		if (strstr(paths[i], "/drivers/net/dummy.ko"))
			return paths[i];
	return npaths ? paths[0] : NULL;
}

static void fx_setup(void)
{
	const char *path = detail_path();
	struct rederive_why why;

	ck_assert_msg(path != NULL, "corpus: %s", corpus_why);
	ck_assert_int_eq(image_read(path, &fx_im), 0);
	ck_assert_msg(rederive_open(fx_im.buf, fx_im.len, "dummy", &fx_rd, &why) == 0, "%s", why.msg);
	ck_assert_int_eq(hosted_place(&fx_im, 0x100000, &fx_p), 0);
	report_make(fx_rd, &fx_p, &fx_r);
}

static void fx_teardown(void)
{
	report_free(&fx_r);
	placed_free(&fx_p);
	rederive_close(fx_rd);
	free(fx_im.buf);
}

/* Derive with the fixture's (edited) report: the errno, and why contains needle. */
static void expect_refused(int want, const char *needle)
{
	struct rederive_why why;
	int err = derive(fx_rd, &fx_r, &why);

	ck_assert_msg(err == want, "derive returned %d, want %d (%s)", err, want, why.msg);
	ck_assert_msg(strstr(why.msg, needle), "why \"%s\" lacks \"%s\"", why.msg, needle);
	ck_assert_ptr_null(rederive_bytes(fx_rd, REDERIVE_CORE));
}

/*
 * The first k where core sections k and k + 1 both hold at least 16 bytes
 * of file data, with different first 16 bytes, and room for section k + 1
 * to move 8 bytes up inside core.
 */
static uint32_t core_pair(void)
{
	uint32_t n;
	const struct rederive_section *s = rederive_sections(fx_rd, &n);
	const uint8_t *b = fx_p.core.buf;

	for (uint32_t k = 0; k + 1 < n; k++)
		if (s[k].region == REDERIVE_CORE && s[k + 1].region == REDERIVE_CORE &&
		    s[k].size >= 16 && s[k + 1].size >= 16 && !s[k].nobits && !s[k + 1].nobits &&
		    s[k + 1].off + s[k + 1].size + 8 <= fx_p.core.size &&
		    memcmp(b + s[k].off, b + s[k + 1].off, 16) != 0)
			return k;
	ck_abort_msg("no two core sections");
	return 0;
}

START_TEST(honest_layout_matches)
{
	struct rederive_why why;
	struct rederive_mismatch m;
	struct rederive_shape core = rederive_shape(fx_rd, REDERIVE_CORE);

	ck_assert_int_eq(derive(fx_rd, &fx_r, &why), 0);
	ck_assert_int_eq(compare_placed(fx_rd, &fx_p, &m), 0);
	ck_assert_uint_eq(core.size, fx_p.core.size);
	ck_assert_uint_gt(core.text_end, 0);
	ck_assert_uint_le(core.text_end, core.ro_end);
	ck_assert_uint_le(core.ro_end, core.ro_after_init_end);
	ck_assert_uint_gt(rederive_shape(fx_rd, REDERIVE_INIT).size, 0);
	/* Region bases alone are enough too. */
	fx_r.l.secs = NULL;
	fx_r.l.nsecs = 0;
	ck_assert_int_eq(derive(fx_rd, &fx_r, &why), 0);
	ck_assert_int_eq(compare_placed(fx_rd, &fx_p, &m), 0);
}
END_TEST

START_TEST(flipped_byte_named)
{
	uint32_t n, k = core_pair();
	const struct rederive_section *s = rederive_sections(fx_rd, &n);
	struct rederive_why why;
	struct rederive_mismatch m;
	char line[256];

	ck_assert_int_eq(derive(fx_rd, &fx_r, &why), 0);
	fx_p.core.buf[s[k].off + 5] ^= 1;
	ck_assert_int_eq(compare_placed(fx_rd, &fx_p, &m), -EBADMSG);
	ck_assert_str_eq(m.section, s[k].name);
	ck_assert_uint_eq(m.sec_off, 5);
	ck_assert_uint_eq(m.found, m.expected ^ 1);
	rederive_mismatch_format(&m, line, sizeof(line));
	ck_assert_msg(strstr(line, "core section ") && strstr(line, " offset 0x5: expected 0x"),
		      "%s", line);
	/* A page's tail must be zero too: hidden code in padding is found. */
	fx_p.core.buf[s[k].off + 5] ^= 1;
	fx_p.core.buf[fx_p.core.size - 1] = 0xcc;
	ck_assert_int_eq(compare_placed(fx_rd, &fx_p, &m), -EBADMSG);
	ck_assert_str_eq(m.section, "(padding)");
	ck_assert_uint_eq(m.region_off, fx_p.core.size - 1);
	/* Part of a region, and out-of-range requests. */
	ck_assert_int_eq(rederive_compare(fx_rd, REDERIVE_CORE, 0, fx_p.core.buf, 4096, &m), 0);
	ck_assert_int_eq(rederive_compare(fx_rd, REDERIVE_CORE, 4096, fx_p.core.buf,
					  fx_p.core.size, &m), -ERANGE);
	ck_assert_int_eq(rederive_compare(fx_rd, REDERIVE_CORE, UINT64_MAX, fx_p.core.buf, 2, &m),
			 -ERANGE);
}
END_TEST

START_TEST(wrong_symbol_names_relocation)
{
	uint32_t sym = undef_in_reloc(&fx_im, fx_rd), k = 0;
	struct rederive_why why;
	struct rederive_mismatch m;
	char line[256];

	ck_assert_uint_gt(sym, 0);
	while (fx_r.vals[k].index != sym)
		k++;
	fx_r.vals[k].value += 0x1000;
	ck_assert_int_eq(derive(fx_rd, &fx_r, &why), 0);
	ck_assert_int_eq(compare_placed(fx_rd, &fx_p, &m), -EBADMSG);
	ck_assert(m.has_reloc);
	ck_assert_uint_eq(m.reloc_sym, sym);
	ck_assert_uint_le(m.reloc_off, m.sec_off);
	rederive_mismatch_format(&m, line, sizeof(line));
	ck_assert_msg(strstr(line, "in relocation R_X86_64_") && strstr(line, m.reloc_sym_name),
		      "%s", line);
}
END_TEST

START_TEST(reordered_memory_caught)
{
	uint32_t n, k = core_pair();
	const struct rederive_section *s = rederive_sections(fx_rd, &n);
	struct rederive_why why;
	struct rederive_mismatch m;
	uint8_t tmp[16];

	/* The layout is reported honestly but the first 16 bytes of two sections are swapped. */
	ck_assert_int_eq(derive(fx_rd, &fx_r, &why), 0);
	memcpy(tmp, fx_p.core.buf + s[k].off, 16);
	memcpy(fx_p.core.buf + s[k].off, fx_p.core.buf + s[k + 1].off, 16);
	memcpy(fx_p.core.buf + s[k + 1].off, tmp, 16);
	ck_assert_int_eq(compare_placed(fx_rd, &fx_p, &m), -EBADMSG);
}
END_TEST

START_TEST(reordered_layout_refused)
{
	uint32_t k = core_pair();
	struct rederive_guest_section t = fx_r.secs[k];

	fx_r.secs[k] = fx_r.secs[k + 1];
	fx_r.secs[k + 1] = t;
	expect_refused(-EINVAL, "reordered, missing or extra section");
}
END_TEST

START_TEST(swapped_addresses_refused)
{
	uint32_t k = core_pair();
	uint64_t va = fx_r.secs[k].va;

	/* Same order in the list, but the guest put the second section first. */
	fx_r.secs[k].va = fx_r.secs[k + 1].va;
	fx_r.secs[k + 1].va = va;
	expect_refused(-EINVAL, "guest layout: section ");
}
END_TEST

START_TEST(overlap_refused)
{
	uint32_t k = core_pair();

	fx_r.secs[k + 1].va = fx_r.secs[k].va + 8;
	expect_refused(-EINVAL, "overlaps the section before it");
}
END_TEST

START_TEST(outside_region_refused)
{
	uint32_t k = core_pair();

	fx_r.secs[k].va = fx_r.l.va[REDERIVE_CORE] + fx_r.l.size[REDERIVE_CORE];
	expect_refused(-EINVAL, "outside the core region");
}
END_TEST

START_TEST(wrong_offset_refused)
{
	uint32_t k = core_pair();

	/* Still inside core and after the previous section, but not where the loader puts it. */
	fx_r.secs[k + 1].va += 8;
	expect_refused(-EINVAL, "the loader places it at core+0x");
}
END_TEST

START_TEST(wrong_size_refused)
{
	fx_r.secs[core_pair()].size += 1;
	expect_refused(-EINVAL, "the image says 0x");
}
END_TEST

START_TEST(wrong_prot_refused)
{
	fx_r.secs[0].prot |= REDERIVE_PROT_W;
	expect_refused(-EINVAL, "the loader gives it 0x5");
}
END_TEST

START_TEST(missing_section_refused)
{
	fx_r.l.nsecs--;
	expect_refused(-EINVAL, "sections reported, the image has");
}
END_TEST

START_TEST(region_size_refused)
{
	fx_r.l.size[REDERIVE_CORE] += 4096;
	expect_refused(-EINVAL, "core region of 0x");
}
END_TEST

START_TEST(region_unaligned_refused)
{
	fx_r.l.va[REDERIVE_INIT] += 8;
	expect_refused(-EINVAL, "init region at 0x");
}
END_TEST

START_TEST(region_wraps_refused)
{
	fx_r.l.va[REDERIVE_CORE] = UINT64_MAX & ~4095ull;
	fx_r.l.secs = NULL;
	fx_r.l.nsecs = 0;
	expect_refused(-EINVAL, "wraps around");
}
END_TEST

START_TEST(regions_overlap_refused)
{
	fx_r.l.va[REDERIVE_INIT] = fx_r.l.va[REDERIVE_CORE];
	expect_refused(-EINVAL, "overlaps core region");
}
END_TEST

START_TEST(values_must_match_undefs)
{
	struct rederive_symval t;

	ck_assert_uint_ge(fx_r.nvals, 2);
	fx_r.nvals--;
	expect_refused(-EINVAL, "undefined symbols");
	fx_r.nvals++;
	t = fx_r.vals[0];
	fx_r.vals[0] = fx_r.vals[1];
	fx_r.vals[1] = t;
	expect_refused(-EINVAL, "expected index");
}
END_TEST

struct vet_log {
	uint32_t calls;
	const char *refuse;     /* name to refuse */
};

static int vet(void *ctx, const char *name, uint64_t value, bool weak,
	       struct rederive_why *why)
{
	struct vet_log *v = ctx;

	(void)weak;
	v->calls++;
	ck_assert_uint_eq(value, mod_dry_run_address(name));
	if (v->refuse && strcmp(name, v->refuse) == 0) {
		snprintf(why->msg, sizeof(why->msg), "vet: %s is not an export", name);
		return -EKEYREJECTED;
	}
	return 0;
}

START_TEST(vet_sees_every_value)
{
	uint32_t nu;
	const struct rederive_undef *u = rederive_undefs(fx_rd, &nu);
	struct vet_log v = { 0 };
	struct rederive_why why;

	ck_assert_int_eq(rederive_derive(fx_rd, &fx_r.l, fx_r.vals, fx_r.nvals, vet, &v, &why), 0);
	ck_assert_uint_eq(v.calls, nu);
	v = (struct vet_log){ .refuse = u[nu - 1].name };
	ck_assert_int_eq(rederive_derive(fx_rd, &fx_r.l, fx_r.vals, fx_r.nvals, vet, &v, &why),
			 -EKEYREJECTED);
	ck_assert_msg(strstr(why.msg, "is not an export"), "%s", why.msg);
	ck_assert_ptr_null(rederive_bytes(fx_rd, REDERIVE_CORE));
}
END_TEST

START_TEST(relocation_out_of_range)
{
	struct rederive_why why;

	/* A kernel symbol 4 GiB away: a PC32 to it cannot be relocated. */
	for (uint32_t k = 0; k < fx_r.nvals; k++)
		fx_r.vals[k].value -= 0x100000000ull;
	ck_assert_int_eq(derive(fx_rd, &fx_r, &why), -ENOEXEC);
}
END_TEST

START_TEST(damaged_image_refused)
{
	struct rederive_why why;
	struct rederive *rd = NULL;
	struct image im;

	hosted_env_reset();
	henv.quiet = true;
	ck_assert_int_eq(image_read(detail_path(), &im), 0);
	im.buf[18] = 3;         /* e_machine = EM_386 */
	ck_assert_int_eq(rederive_open(im.buf, im.len, "dummy", &rd, &why), -ENOEXEC);
	ck_assert_ptr_null(rd);
	/* The loader's reason reaches the hosted log (the VMM's env puts it in why). */
	ck_assert(hosted_log_has("not an x86-64 object"));
	free(im.buf);
}
END_TEST

static Suite *rederive_suite(void)
{
	Suite *s = suite_create("rederive");
	TCase *c = tcase_create("corpus"), *d = tcase_create("detail");

	corpus_load();
	tcase_set_timeout(c, 600);
	tcase_add_test(c, corpus_two_layouts);
	tcase_add_test(c, damaged_image_refused);
	suite_add_tcase(s, c);
	tcase_add_checked_fixture(d, fx_setup, fx_teardown);
	tcase_set_timeout(d, 60);
	tcase_add_test(d, honest_layout_matches);
	tcase_add_test(d, flipped_byte_named);
	tcase_add_test(d, wrong_symbol_names_relocation);
	tcase_add_test(d, reordered_memory_caught);
	tcase_add_test(d, reordered_layout_refused);
	tcase_add_test(d, swapped_addresses_refused);
	tcase_add_test(d, overlap_refused);
	tcase_add_test(d, outside_region_refused);
	tcase_add_test(d, wrong_offset_refused);
	tcase_add_test(d, wrong_size_refused);
	tcase_add_test(d, wrong_prot_refused);
	tcase_add_test(d, missing_section_refused);
	tcase_add_test(d, region_size_refused);
	tcase_add_test(d, region_unaligned_refused);
	tcase_add_test(d, region_wraps_refused);
	tcase_add_test(d, regions_overlap_refused);
	tcase_add_test(d, values_must_match_undefs);
	tcase_add_test(d, vet_sees_every_value);
	tcase_add_test(d, relocation_out_of_range);
	suite_add_tcase(s, d);
	return s;
}

static void rederive_done(void)
{
	for (size_t i = 0; i < npaths; i++)
		free(paths[i]);
	free(paths);
}

const struct unit_main unit_main = { rederive_suite, rederive_done };
