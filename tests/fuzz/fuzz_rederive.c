/* fuzz_rederive.c: libFuzzer harness: a hostile guest's seal report (layout and symbol values) against the host's re-derivation. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "fuzz.h"
#include "authority/rederive.h"

/*
 * The image is the host's own (a real SDK module, MV_FUZZ_MODULE, default
 * build/images/modules/hello.ko); the input is what a guest controls: a
 * list of 16-byte edits applied to the honest report (region bases and
 * sizes, every section's index, address, size and prot, the section count,
 * every symbol value and index).  rederive_derive() must refuse or accept
 * without crashing, and it may accept only a report whose sections sit
 * exactly where the loader puts them relative to the reported bases: any
 * other accepted layout is a finding (abort).  An accepted report is then
 * compared with guest bytes that differ in one place.
 */
static uint8_t *img;
static size_t img_len;
static struct rederive *rd;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *path = getenv("MV_FUZZ_MODULE");
	struct rederive_why why;
	FILE *f;
	long n;

	(void)argc;
	(void)argv;
	path = path ? path : "build/images/modules/hello.ko";
	f = fopen(path, "rb");
	if (!f || fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) <= 0 || fseek(f, 0, SEEK_SET) != 0) {
		fprintf(stderr, "fuzz_rederive: %s: cannot read it (set MV_FUZZ_MODULE)\n", path);
		abort();
	}
	img_len = (size_t)n;
	img = malloc(img_len);
	if (!img || fread(img, 1, img_len, f) != img_len)
		abort();
	fclose(f);
	if (rederive_open(img, img_len, "fuzz", &rd, &why) != 0) {
		fprintf(stderr, "fuzz_rederive: %s\n", why.msg);
		abort();
	}
	return 0;
}

/* One edit: op selects the field, idx the entry, v the new value (or delta). */
struct edit {
	uint8_t  op, pad;
	uint16_t idx;
	uint32_t v32;
	uint64_t v;
};

static void apply(const struct edit *e, struct rederive_layout *l,
		  struct rederive_guest_section *g, uint32_t ns, struct rederive_symval *vals,
		  uint32_t nu)
{
	struct rederive_guest_section *s = ns ? &g[e->idx % ns] : NULL;
	struct rederive_symval *y = nu ? &vals[e->idx % nu] : NULL;

	switch (e->op % 12) {
	case 0: l->va[e->idx & 1] = e->v; break;
	case 1: l->va[e->idx & 1] += e->v; break;
	case 2: l->size[e->idx & 1] = e->v; break;
	case 3: if (s) s->va = e->v; break;
	case 4: if (s) s->va += (int32_t)e->v32; break;
	case 5: if (s) s->size = e->v; break;
	case 6: if (s) s->size += (int32_t)e->v32; break;
	case 7: if (s) s->shndx = e->v32; break;
	case 8: if (s) s->prot = e->v32; break;
	case 9: l->nsecs = e->v32 % (ns + 2); break;
	case 10: if (y) y->value += e->v; break;
	case 11: if (y) y->index = e->v32; break;
	}
}

/* Accepted: every section where the loader puts it, relative to the reported bases. */
static void check_accepted(const struct rederive_layout *l, const struct rederive_guest_section *g,
			   const struct rederive_section *s, uint32_t ns)
{
	for (uint32_t k = 0; l->secs && k < ns; k++) {
		if (g[k].shndx != s[k].shndx || g[k].size != s[k].size || g[k].prot != s[k].prot ||
		    g[k].va != l->va[s[k].region] + s[k].off) {
			fprintf(stderr, "fuzz_rederive: accepted section %u (%s) off its place\n", k,
				s[k].name);
			abort();
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint32_t ns, nu;
	const struct rederive_section *s = rederive_sections(rd, &ns);
	const struct rederive_undef *u = rederive_undefs(rd, &nu);
	struct rederive_guest_section g[64];
	struct rederive_symval vals[64];
	struct rederive_layout l = { .va = { 0xffffffffa0000000ull, 0xffffffffa0100000ull },
				     .secs = g, .nsecs = ns };
	struct rederive_mismatch m;
	struct rederive_why why;
	struct edit e;

	if (ns > 64 || nu > 64)
		abort();
	for (int r = 0; r < REDERIVE_NREGIONS; r++)
		l.size[r] = rederive_shape(rd, (enum rederive_region_id)r).size;
	if (!l.size[1])
		l.va[1] = 0;
	for (uint32_t k = 0; k < ns; k++)
		g[k] = (struct rederive_guest_section){ s[k].shndx, s[k].prot,
							l.va[s[k].region] + s[k].off, s[k].size };
	for (uint32_t k = 0; k < nu; k++)
		vals[k] = (struct rederive_symval){ u[k].index, 0xffffffff81000000ull + 64 * k };
	for (size_t off = 0; off + sizeof(e) <= size; off += sizeof(e)) {
		memcpy(&e, data + off, sizeof(e));
		apply(&e, &l, g, ns, vals, nu);
	}
	if (rederive_derive(rd, &l, vals, nu, NULL, NULL, &why) != 0) {
		fuzz_check_str(why.msg, sizeof(why.msg), "why");
		return 0;
	}
	check_accepted(&l, g, s, ns);
	if (l.size[0]) {
		uint8_t *copy = malloc(l.size[0]);

		if (!copy)
			return 0;
		memcpy(copy, rederive_bytes(rd, REDERIVE_CORE), l.size[0]);
		copy[size % l.size[0]] ^= 0x80;
		if (rederive_compare(rd, REDERIVE_CORE, 0, copy, l.size[0], &m) != -EBADMSG ||
		    m.region_off != size % l.size[0]) {
			fprintf(stderr, "fuzz_rederive: a changed byte was not found\n");
			abort();
		}
		free(copy);
	}
	return 0;
}
