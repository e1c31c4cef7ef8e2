/* seal_fixture.c: mv-seal-fixture, a module's relocated regions and seal report at a fixed layout, for the hostile seal guests (hostile.S). */
#include <err.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <modvisor/abi/module.h>
#include "authority/rederive.h"

/*
 * usage: mv-seal-fixture MODULE.ko CORE_VA COPIES STRIDE OUT
 *
 * Re-derives MODULE with the host's own code (vmm/authority/rederive.c)
 * COPIES times, copy k with its core at CORE_VA + k * STRIDE and its init
 * right after the core (as the guests place it in guest-physical memory,
 * and map it), every undefined symbol i at FX_KSYM_BASE + 0x40 * i, and
 * writes what an honest guest kernel would hold after relocation, for a
 * test guest that has no loader:
 *   OUT.bytes            the expected bytes of copy 0, 1, ...: each the core
 *                        region, then the init region (FX_COPY_SIZE bytes);
 *   OUT.inc              assembler: copy 0's layout (.set FX_*: both regions'
 *                        addresses and shapes, FX_COPIES, FX_STRIDE), and macros
 *                        FX_SECTIONS (one
 *                        "SEC shndx, prot, group, region, off, size" per
 *                        allocated section, in the loader's order; group is
 *                        enum rederive_group), FX_SYMS (one "SYM index, value" per
 *                        undefined symbol) and FX_KSYMTAB (the __ksymtab
 *                        entries and names that export those values, so
 *                        the host finds them in the test guest's ELF) and
 *                        FX_KSYMTAB_EXPORTS (the same for the module's own
 *                        exports, for a guest whose kernel exports them too).
 * The copies are for guests that seal one load after another: no two
 * sealed modules may share a virtual address, and a module's bytes depend
 * on where it runs.
 * FX_RELOC_REGION/FX_RELOC_OFF name a byte that a relocation against an
 * import wrote, in text if there is one (found by deriving again with the
 * import moved), for the guests that change relocated bytes; sections
 * FX_PAIR and FX_PAIR + 1 both hold bytes, for the guest that overlaps them.  Exit 0, or 1 with a message.
 */
#define FX_KSYM_BASE 0xffffffff80300000ull

static uint8_t *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = NULL;
	long n;

	if (!f)
		err(1, "%s", path);
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) > 0 && fseek(f, 0, SEEK_SET) == 0) {
		buf = malloc((size_t)n);
		if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n)
			errx(1, "%s: short read", path);
		*len = (size_t)n;
	}
	fclose(f);
	if (!buf)
		errx(1, "%s: empty or unreadable", path);
	return buf;
}

/* Is section shndx executable (text, where a changed byte matters most)? */
static int fx_is_text(struct rederive *rd, uint32_t shndx)
{
	uint32_t n;
	const struct rederive_section *s = rederive_sections(rd, &n);

	for (uint32_t k = 0; k < n; k++)
		if (s[k].shndx == shndx)
			return (s[k].prot & REDERIVE_PROT_X) != 0;
	return 0;
}

/* Where moving import k changes the expected bytes first; 0 with *m, or -1. */
static int fx_moved(struct rederive *rd, const struct rederive_layout *l,
		    struct rederive_symval *vals, uint32_t nvals, uint32_t k,
		    uint8_t *const copy[REDERIVE_NREGIONS], struct rederive_mismatch *m)
{
	struct rederive_why why;
	int found = -1;

	vals[k].value += 0x10;
	if (rederive_derive(rd, l, vals, nvals, NULL, NULL, &why))
		errx(1, "%s", why.msg);
	vals[k].value -= 0x10;
	for (int r = 0; r < REDERIVE_NREGIONS && found; r++)
		if (copy[r] && rederive_compare(rd, (enum rederive_region_id)r, 0, copy[r],
						l->size[r], m) == -EBADMSG)
			found = 0;
	return found;
}

/*
 * A byte that a relocation wrote, in text when one there uses an import:
 * derive again with each import moved until the bytes change in text.
 */
static void find_reloc_byte(struct rederive *rd, const struct rederive_layout *l,
			    struct rederive_symval *vals, uint32_t nvals, FILE *inc)
{
	struct rederive_mismatch m, first;
	struct rederive_why why;
	uint8_t *copy[REDERIVE_NREGIONS] = { NULL, NULL };
	int have = 0;

	for (int r = 0; r < REDERIVE_NREGIONS; r++) {
		if (!l->size[r])
			continue;
		copy[r] = malloc(l->size[r]);
		if (!copy[r])
			errx(1, "out of memory");
		memcpy(copy[r], rederive_bytes(rd, (enum rederive_region_id)r), l->size[r]);
	}
	for (uint32_t k = 0; k < nvals; k++) {
		if (fx_moved(rd, l, vals, nvals, k, copy, &m) != 0)
			continue;
		if (!have++)
			first = m;
		if (fx_is_text(rd, m.shndx)) {
			first = m;
			break;
		}
	}
	if (!have)
		errx(1, "no relocation uses an import");
	fprintf(inc, ".set FX_RELOC_REGION, %u\n.set FX_RELOC_OFF, 0x%llx\n/* %s+0x%llx */\n",
		first.region, (unsigned long long)first.region_off, first.section,
		(unsigned long long)first.sec_off);
	if (rederive_derive(rd, l, vals, nvals, NULL, NULL, &why))
		errx(1, "%s", why.msg);
	free(copy[0]);
	free(copy[1]);
}

/* One export of the module as a __ksymtab entry, for FX_KSYMTAB_EXPORTS. */
struct fx_exports {
	FILE *f;
	unsigned n;
};

static int write_export(void *ctx, const struct rederive_export *e)
{
	struct fx_exports *x = ctx;

	fprintf(x->f, "\t.pushsection __ksymtab,\"a\"\n\t.balign 8\n\t.quad 0x%llx, fx_kexp_%u\n"
		"\t.long 0, 0\n\t.popsection\n\t.pushsection __ksymtab_strings,\"a\"\n"
		"fx_kexp_%u:\t.asciz \"%s\"\n\t.popsection\n", (unsigned long long)e->value, x->n,
		x->n, e->name);
	x->n++;
	return 0;
}

static void write_inc(struct rederive *rd, const struct rederive_layout *l,
		      struct rederive_symval *vals, uint32_t nvals, const char *mod,
		      unsigned copies, uint64_t stride, FILE *f)
{
	uint32_t ns, nu;
	const struct rederive_section *s = rederive_sections(rd, &ns);
	const struct rederive_undef *u = rederive_undefs(rd, &nu);
	struct rederive_shape core = rederive_shape(rd, REDERIVE_CORE);
	struct rederive_shape init = rederive_shape(rd, REDERIVE_INIT);

	fprintf(f, "/* generated by mv-seal-fixture from %s; do not edit */\n", mod);
	fprintf(f, ".set FX_CORE_VA, 0x%llx\n.set FX_CORE_SIZE, 0x%llx\n"
		".set FX_INIT_VA, 0x%llx\n.set FX_INIT_SIZE, 0x%llx\n"
		".set FX_CORE_TEXT_END, 0x%llx\n.set FX_CORE_RO_END, 0x%llx\n"
		".set FX_CORE_ROAI_END, 0x%llx\n"
		".set FX_INIT_TEXT_END, 0x%llx\n.set FX_INIT_RO_END, 0x%llx\n"
		".set FX_INIT_ROAI_END, 0x%llx\n"
		".set FX_NSECS, %u\n.set FX_NSYMS, %u\n"
		".set FX_COPIES, %u\n.set FX_STRIDE, 0x%llx\n"
		".set FX_COPY_SIZE, FX_CORE_SIZE + FX_INIT_SIZE\n",
		(unsigned long long)l->va[0], (unsigned long long)l->size[0],
		(unsigned long long)l->va[1], (unsigned long long)l->size[1],
		(unsigned long long)core.text_end, (unsigned long long)core.ro_end,
		(unsigned long long)core.ro_after_init_end,
		(unsigned long long)init.text_end, (unsigned long long)init.ro_end,
		(unsigned long long)init.ro_after_init_end, ns, nu, copies,
		(unsigned long long)stride);
	find_reloc_byte(rd, l, vals, nvals, f);
	/* Two neighbours that both hold bytes, for the guest that overlaps them. */
	for (uint32_t k = 0; k + 1 < ns; k++) {
		if (s[k].size > 8 && s[k + 1].size && s[k].region == s[k + 1].region) {
			fprintf(f, ".set FX_PAIR, %u\t/* %s, %s */\n", k, s[k].name, s[k + 1].name);
			break;
		}
	}
	fprintf(f, ".macro FX_SECTIONS\n");
	for (uint32_t k = 0; k < ns; k++)
		fprintf(f, "\tSEC %u, %u, %u, %u, 0x%llx, 0x%llx\t/* %s */\n", s[k].shndx,
			s[k].prot, s[k].group, s[k].region, (unsigned long long)s[k].off,
			(unsigned long long)s[k].size, s[k].name);
	fprintf(f, ".endm\n.macro FX_SYMS\n");
	for (uint32_t k = 0; k < nu; k++)
		fprintf(f, "\tSYM %u, 0x%llx\t/* %s */\n", vals[k].index,
			(unsigned long long)vals[k].value, u[k].name);
	fprintf(f, ".endm\n.macro FX_KSYMTAB\n\t.pushsection __ksymtab,\"a\"\n\t.balign 8\n");
	for (uint32_t k = 0; k < nu; k++)
		fprintf(f, "\t.quad 0x%llx, fx_kstr_%u\n\t.long 0, 0\n",
			(unsigned long long)vals[k].value, k);
	fprintf(f, "\t.popsection\n\t.pushsection __ksymtab_strings,\"a\"\n");
	for (uint32_t k = 0; k < nu; k++)
		fprintf(f, "fx_kstr_%u:\t.asciz \"%s\"\n", k, u[k].name);
	fprintf(f, "\t.popsection\n.endm\n.macro FX_KSYMTAB_EXPORTS\n");
	if (rederive_exports(rd, write_export, &(struct fx_exports){ f, 0 }))
		errx(1, "%s: cannot read its exports", mod);
	fprintf(f, ".endm\n");
}

/*
 * Derive copy k (core at va0 + k * stride, init right after it) and append
 * its bytes to f (if not NULL).
 */
static void derive_copy(struct rederive *rd, struct rederive_layout *l, uint64_t va0,
			uint64_t stride, unsigned k, const struct rederive_symval *vals,
			uint32_t nvals, FILE *f)
{
	struct rederive_why why;

	l->va[0] = va0 + stride * k;
	l->va[1] = l->size[1] ? l->va[0] + l->size[0] : 0;
	if (rederive_derive(rd, l, vals, nvals, NULL, NULL, &why))
		errx(1, "%s", why.msg);
	if (!f)
		return;
	if (fwrite(rederive_bytes(rd, REDERIVE_CORE), 1, l->size[0], f) != l->size[0] ||
	    (l->size[1] && fwrite(rederive_bytes(rd, REDERIVE_INIT), 1, l->size[1], f) !=
	     l->size[1]))
		err(1, "writing copy %u", k);
}

/* The FILE for OUT.ext, or exit. */
static FILE *open_out(const char *prefix, const char *ext)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s.%s", prefix, ext);
	f = fopen(path, "w");
	if (!f)
		err(1, "%s", path);
	return f;
}

int main(int argc, char **argv)
{
	struct rederive_layout l = { 0 };
	struct rederive_symval *vals;
	struct rederive_why why;
	struct rederive *rd;
	const struct rederive_undef *u;
	uint32_t nu;
	uint8_t *img;
	size_t len;
	uint64_t va0, stride;
	unsigned copies;
	FILE *inc, *bytes;

	if (argc != 6) {
		fprintf(stderr, "usage: %s MODULE.ko CORE_VA COPIES STRIDE OUT\n", argv[0]);
		return 2;
	}
	img = read_file(argv[1], &len);
	/* hostile_seal.S loads the module with both IGNORE flags (load_mod), so
	 * the honest layout is the one the guest loader makes with them. */
	if (rederive_open_flags(img, len, MV_MODULE_INIT_IGNORE_MODVERSIONS |
				MV_MODULE_INIT_IGNORE_VERMAGIC, argv[1], &rd, &why))
		errx(1, "%s", why.msg);
	for (int r = 0; r < REDERIVE_NREGIONS; r++)
		l.size[r] = rederive_shape(rd, (enum rederive_region_id)r).size;
	va0 = strtoull(argv[2], NULL, 0);
	copies = (unsigned)strtoul(argv[3], NULL, 0);
	stride = strtoull(argv[4], NULL, 0);
	if (copies == 0 || (copies > 1 && stride < l.size[0] + l.size[1]))
		errx(1, "%s copies %s bytes apart: a copy takes 0x%llx bytes", argv[3], argv[4],
		     (unsigned long long)(l.size[0] + l.size[1]));
	u = rederive_undefs(rd, &nu);
	if (nu == 0)
		errx(1, "%s: no undefined symbols", argv[1]);
	vals = calloc(nu, sizeof(*vals));
	if (!vals)
		errx(1, "out of memory");
	for (uint32_t k = 0; k < nu; k++)
		vals[k] = (struct rederive_symval){ u[k].index, FX_KSYM_BASE + 0x40ull * k };
	bytes = open_out(argv[5], "bytes");
	for (unsigned k = 0; k < copies; k++)
		derive_copy(rd, &l, va0, stride, k, vals, nu, bytes);
	if (fclose(bytes) != 0)
		err(1, "%s.bytes", argv[5]);
	/* write_inc() describes the layout rd was last derived at: copy 0's. */
	derive_copy(rd, &l, va0, stride, 0, vals, nu, NULL);
	inc = open_out(argv[5], "inc");
	write_inc(rd, &l, vals, nu, argv[1], copies, stride, inc);
	if (fclose(inc) != 0)
		err(1, "%s.inc", argv[5]);
	rederive_close(rd);
	free(vals);
	free(img);
	return 0;
}
