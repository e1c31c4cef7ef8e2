/* rederive.h: the host re-derives a module's relocated bytes at the guest's layout, with the guest loader's own code, and compares. */
#ifndef MODVISOR_VMM_REDERIVE_H
#define MODVISOR_VMM_REDERIVE_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * The guest loader's code (guest/module/: signature split, ELF checks,
 * layout, symbol values, relocations) compiled for the host, driven at a
 * layout the guest reports.  Steps:
 *
 *   rederive_open()     parse and lay out the image once (base-independent);
 *   rederive_derive()   check the guest's layout strictly, vet every
 *                       undefined symbol's value through the caller's
 *                       callback, copy and relocate: the expected bytes of
 *                       the core and the init region;
 *   rederive_compare()  guest bytes against the expected ones: on a
 *                       difference, the section, its first differing offset
 *                       and the relocation covering it;
 *   rederive_close().
 *
 * One open image may be derived many times (at different layouts); each
 * derive replaces the previous expected bytes.  A handle is used by one
 * thread at a time.
 */

struct rederive;

/* Which region of a module: Linux's core and init layouts. */
enum rederive_region_id {
	REDERIVE_CORE,
	REDERIVE_INIT,
	REDERIVE_NREGIONS,
};

/* The four kinds of memory in a region, in layout order (= enum mod_group). */
enum rederive_group {
	REDERIVE_TEXT,
	REDERIVE_RODATA,
	REDERIVE_RO_AFTER_INIT,
	REDERIVE_DATA,
};

/* Permissions, as the loader's MOD_PROT_* (loader_env.h). */
#define REDERIVE_PROT_R  1u
#define REDERIVE_PROT_W  2u
#define REDERIVE_PROT_X  4u

/* Why a call failed: one line naming the image, the section or symbol, the reason. */
struct rederive_why {
	char msg[256];
};

/*
 * rederive_open(image, len, name, out, why): parse (image, len), the
 * decompressed module file as the authority measured it, signature trailer
 * included (split off as the guest loader does: modsig), and lay it out.
 * name (e.g. "hello") prefixes messages.  image must stay valid and
 * unchanged until rederive_close().  Returns 0 with *out set, -ENOEXEC /
 * -EBADMSG when the guest loader would refuse the image (why says why, in
 * the loader's words), or -ENOMEM.
 */
int rederive_open(const void *image, uint64_t len, const char *name,
		  struct rederive **out, struct rederive_why *why);

/*
 * rederive_open_flags(image, len, flags, ...): rederive_open() for a load
 * made with finit_module's flags (MV_MODULE_INIT_*), as the guest loader
 * saw them: with an IGNORE flag the signature trailer is not split off and
 * (IGNORE_MODVERSIONS) __versions stays allocated, as in Linux, so the
 * layout differs.  rederive_open() is this with flags 0.
 */
int rederive_open_flags(const void *image, uint64_t len, uint32_t flags, const char *name,
			struct rederive **out, struct rederive_why *why);

/* rederive_close(rd): free rd and every buffer it handed out; rd may be NULL. */
void rederive_close(struct rederive *rd);

/* One allocated section, in the loader's layout (read-only view). */
struct rederive_section {
	uint32_t    shndx;      /* ELF section index */
	uint8_t     region;     /* enum rederive_region_id */
	uint8_t     group;      /* enum rederive_group */
	uint8_t     prot;       /* REDERIVE_PROT_* the loader gives it */
	uint8_t     nobits;     /* SHT_NOBITS (or SHT_NULL): zeroes, no file bytes */
	uint64_t    off;        /* offset in its region */
	uint64_t    size;       /* sh_size */
	const char *name;       /* section name, in the image */
};

/*
 * rederive_sections(rd, n): the allocated sections in layout order: every
 * core section by offset, then every init section by offset (the order the
 * guest must report them in).  *n gets their number.
 */
const struct rederive_section *rederive_sections(const struct rederive *rd, uint32_t *n);

/* A region's shape as the loader lays it out (Linux's struct module_layout). */
struct rederive_shape {
	uint64_t size;              /* whole pages; 0: no such region */
	uint64_t text_end;          /* offsets from the region's start */
	uint64_t ro_end;            /* [0, ro_end): text + rodata */
	uint64_t ro_after_init_end;
};

/* rederive_shape(rd, region): the shape of core or init (base-independent). */
struct rederive_shape rederive_shape(const struct rederive *rd, enum rederive_region_id region);

/* One undefined symbol of the image: what the guest must report a value for. */
struct rederive_undef {
	uint32_t    index;      /* symbol table index */
	bool        weak;       /* STB_WEAK: the loader gives 0 when not exported */
	const char *name;
};

/* rederive_undefs(rd, n): the SHN_UNDEF symbols, ascending index; *n their number. */
const struct rederive_undef *rederive_undefs(const struct rederive *rd, uint32_t *n);

/* One section as the guest reports it (host copies of the guest's numbers). */
struct rederive_guest_section {
	uint32_t shndx;         /* ELF section index */
	uint32_t prot;          /* REDERIVE_PROT_* */
	uint64_t va;            /* its run address */
	uint64_t size;
};

/*
 * The guest's layout of one load.  Regions: va page-aligned, size as the
 * loader's shape (init: va 0, size 0 when the shape has no init region).
 * secs: every allocated section, in rederive_sections() order; NULL with
 * nsecs 0 to check the region bases only.
 */
struct rederive_layout {
	uint64_t va[REDERIVE_NREGIONS];
	uint64_t size[REDERIVE_NREGIONS];
	const struct rederive_guest_section *secs;
	uint32_t nsecs;
};

/* One undefined symbol's value as the guest resolved it. */
struct rederive_symval {
	uint32_t index;         /* symbol table index of an SHN_UNDEF symbol */
	uint64_t value;
};

/*
 * The caller's check of one symbol value (the kernel's exports, exports of
 * modules sealed earlier): returns 0 to accept, or -errno with why->msg
 * filled to refuse.  ctx is the caller's.
 */
typedef int (*rederive_vet_fn)(void *ctx, const char *name, uint64_t value, bool weak,
			       struct rederive_why *why);

/*
 * rederive_derive(rd, layout, vals, nvals, vet, ctx, why): the expected
 * bytes at layout.  Checks, each a refusal with why naming the region,
 * section or symbol:
 *  - regions: page-aligned, sizes equal to the loader's shape, no overflow,
 *    core and init disjoint;                                          -EINVAL
 *  - sections (when given): exactly the allocated sections in layout order
 *    (a missing, extra or reordered one names both indices), each inside its
 *    region, not overlapping the previous one, at the loader's offset, with
 *    the loader's size and prot;                                      -EINVAL
 *  - vals: exactly one per undefined symbol, ascending index;         -EINVAL
 *  - vet(ctx, name, value, weak, why) on each, first refusal returned;
 *  - relocation at this layout (a value that does not fit):          -ENOEXEC.
 * Returns 0 with the expected bytes in rederive_bytes().  On failure the
 * previous bytes are gone.
 */
int rederive_derive(struct rederive *rd, const struct rederive_layout *layout,
		    const struct rederive_symval *vals, uint32_t nvals,
		    rederive_vet_fn vet, void *ctx, struct rederive_why *why);

/*
 * rederive_bytes(rd, region): the expected bytes of region (its shape's
 * size: padding and bss zero) from the last successful derive, or NULL.
 * Text + rodata, what the seal digests, are its first shape.ro_end bytes.
 */
const uint8_t *rederive_bytes(const struct rederive *rd, enum rederive_region_id region);

/* Where guest bytes first differ from the expected ones. */
struct rederive_mismatch {
	uint32_t    region;     /* enum rederive_region_id */
	uint64_t    region_off; /* offset in the region */
	uint8_t     expected, found;
	uint32_t    shndx;      /* section holding it, 0 for padding between sections */
	const char *section;    /* its name, or "(padding)" */
	uint64_t    sec_off;    /* offset in that section */
	bool        has_reloc;  /* a relocation's field covers the byte: */
	uint32_t    reloc_type; /*   R_X86_64_* */
	uint64_t    reloc_off;  /*   r_offset in the section */
	uint32_t    reloc_sym;  /*   symbol index */
	const char *reloc_sym_name;     /* its name ("" for a section symbol) */
	int64_t     reloc_addend;
};

/*
 * rederive_compare(rd, region, off, guest, len, m): compare len guest bytes
 * (host copies, or host pointers into guest memory) with the expected bytes
 * at offset off of region.  A whole region or any part of it (a page, a
 * section) may be compared.  Returns 0 when identical, -EBADMSG with *m
 * filled at the first difference, -ERANGE when (off, len) is not inside the
 * region or nothing was derived.  Cost: one memcmp when equal.
 */
int rederive_compare(const struct rederive *rd, enum rederive_region_id region, uint64_t off,
		     const void *guest, uint64_t len, struct rederive_mismatch *m);

/*
 * rederive_mismatch_format(m, buf, n): one line for the log, e.g.
 * "core section .text offset 0x1a3: expected 0x00 found 0xcc, in relocation
 * R_X86_64_PC32 at .text+0x1a0 against printk+0xfffffffffffffffc".
 */
void rederive_mismatch_format(const struct rederive_mismatch *m, char *buf, size_t n);

/* One export of the module (__ksymtab, __ksymtab_gpl) at the derived layout. */
struct rederive_export {
	const char *name;       /* in the expected bytes */
	uint64_t    value;
	uint32_t    crc;
	bool        gpl_only;
};

/*
 * rederive_exports(rd, fn, ctx): call fn(ctx, e) for every export read from
 * the last derive's expected bytes (so the caller can remember what a
 * sealed module exports).  Returns 0, the first non-zero return of fn, or
 * -ENOEXEC when an export's name is not a string inside the core region.
 */
int rederive_exports(const struct rederive *rd,
		     int (*fn)(void *ctx, const struct rederive_export *e), void *ctx);

/*
 * rederive_loader_log(fmt, ap): one log line of the loader code while an
 * open or a derive runs: it goes into that call's why.  Called by the VMM's
 * loader environment (loader_env.c, modenv_log); ignored at other times.
 */
void rederive_loader_log(const char *fmt, va_list ap);

#endif
