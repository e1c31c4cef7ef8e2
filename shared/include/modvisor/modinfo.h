/* modinfo.h: read a module's .modinfo strings and __versions table (Linux's rules). */
#ifndef MODVISOR_MODINFO_H
#define MODVISOR_MODINFO_H

#include <stdint.h>
#include <modvisor/abi/module.h>

/*
 * Freestanding, compiled for both sides: the guest loader reads these
 * sections from its validated copy of the module, the host (verify, forced
 * load checks) from its own copy of the image, so both reach the same
 * verdict.  Nothing here allocates or prints; a failure comes back as a
 * negative Linux errno (spelled here: the guest has no <errno.h>) plus a
 * reason string the caller prefixes with the module's file name.
 */
#define MODINFO_ENOENT   2      /* no such entry */
#define MODINFO_ENOEXEC  8      /* malformed ELF image or section */

/*
 * A .modinfo section: "key=value" strings, each ended by a NUL, with any
 * number of padding NULs between them (the linker aligns each object's
 * strings).  data points at the section's bytes; it need not be aligned.
 */
struct modinfo {
	const char *data;       /* IN: section contents, or NULL when absent */
	uint64_t    size;       /* IN: section size in bytes */
};

/*
 * modinfo_check(mi, why): 0 when (mi) is absent, empty or ends with a NUL;
 * otherwise -MODINFO_ENOEXEC with *why (if why is non-NULL) naming the
 * fault.  Lookups are safe without this check (they never read past size
 * and skip an unterminated last string); callers use it to refuse such a
 * section outright.
 */
int modinfo_check(const struct modinfo *mi, const char **why);

/*
 * modinfo_get_next(mi, key, prev): as Linux's get_next_modinfo(): the value
 * of the next "key=value" string after the one whose value is (prev), or
 * of the first one when (prev) is NULL.  A string matches when it starts
 * with key immediately followed by '='.  Returns a pointer into mi->data
 * (NUL-terminated inside the section) or NULL when there is no further
 * match.  (prev) must be a value this function returned for the same mi.
 * Iterate every "parm" or "depends" entry with:
 *   for (v = modinfo_get_next(mi, "parm", NULL); v; v = modinfo_get_next(mi, "parm", v))
 */
const char *modinfo_get_next(const struct modinfo *mi, const char *key,
			     const char *prev);

/* modinfo_get(mi, key): the first value for (key), as Linux's get_modinfo(), or NULL. */
const char *modinfo_get(const struct modinfo *mi, const char *key);

/* modinfo_vermagic(mi): the "vermagic" value, or NULL when there is none. */
const char *modinfo_vermagic(const struct modinfo *mi);

/* modinfo_license(mi): the first "license" value, or NULL (Linux then says "unspecified"). */
const char *modinfo_license(const struct modinfo *mi);

/* modinfo_name(mi): the "name" value (KBUILD_MODNAME), or NULL; Linux then uses this_module's name. */
const char *modinfo_name(const struct modinfo *mi);

/* modinfo_intree(mi): 1 when an "intree" tag is present (any value), else 0: no taint O. */
int modinfo_intree(const struct modinfo *mi);

/*
 * modinfo_license_gpl_compatible(license): 1 when (license) is exactly one
 * of Linux's license_is_gpl_compatible() strings: "GPL", "GPL v2",
 * "GPL and additional rights", "Dual BSD/GPL", "Dual MIT/GPL",
 * "Dual MPL/GPL"; 0 otherwise, including NULL ("unspecified": taint P).
 */
int modinfo_license_gpl_compatible(const char *license);

/*
 * modinfo_same_magic(a, b, has_crcs): Linux's same_magic(): 1 when the
 * vermagic strings (a) and (b) are equal; when (has_crcs) (the module has
 * a __versions section) the first word, the kernel release, is ignored
 * and only the text from the first space on is compared.
 */
int modinfo_same_magic(const char *a, const char *b, int has_crcs);

/*
 * A __versions section: an array of struct mv_modversion (64 bytes: u64 crc,
 * then a NUL-terminated name in 56 bytes).  Entries are read byte-wise, so
 * the section need not be aligned.
 */
struct modversions {
	const uint8_t *data;    /* section contents, or NULL when absent */
	uint64_t       count;   /* number of 64-byte entries */
};

/*
 * modversions_init(mv, data, size, why): check a __versions section and
 * fill (mv).  (data) NULL means the module has no __versions (count 0,
 * mv->data NULL).  -MODINFO_ENOEXEC (why set) when (size) is not a multiple
 * of 64 or an entry's name has no NUL within its 56 bytes.  Stricter than
 * Linux, which ignores a partial tail entry and would read past an
 * unterminated name.
 */
int modversions_init(struct modversions *mv, const void *data, uint64_t size,
		     const char **why);

/*
 * modversions_find(mv, symbol, crc): the first entry named (symbol), as
 * Linux's check_version() searches: 0 with *crc (may be NULL) set to the
 * entry's full 64-bit crc field, or -MODINFO_ENOENT.
 */
int modversions_find(const struct modversions *mv, const char *symbol,
		     uint64_t *crc);

/* Verdicts of modversions_check(), Linux's check_version() cases. */
enum modversion_verdict {
	MODVERSION_OK = 0,        /* CRCs agree, or the exporter has no CRC */
	MODVERSION_NO_VERSIONS,   /* module has no __versions: Linux calls
				     try_to_force_load() (allowed only when
				     forced loading is, with taint F) */
	MODVERSION_NO_SYMBOL,     /* __versions lacks the symbol: Linux warns
				     "no symbol version for SYM" (once) and
				     allows it */
	MODVERSION_MISMATCH,      /* "disagrees about version of symbol SYM":
				     the symbol does not resolve, the load
				     fails with EINVAL */
};

/*
 * modversions_check(mv, symbol, crc): the verdict for importing (symbol)
 * whose exporter's version CRC is *crc, or which has none when (crc) is
 * NULL.  (mv) is the module's table; mv->data NULL = no __versions.  The
 * comparison is Linux's: the entry's whole 64-bit crc field against the
 * zero-extended 32-bit CRC, so an entry with high bits set never matches.
 */
enum modversion_verdict modversions_check(const struct modversions *mv,
					  const char *symbol,
					  const uint32_t *crc);

/* The sections of an ELF64 ET_REL image that modinfo cares about. */
struct modinfo_elf {
	uint32_t modinfo_index;     /* OUT: section index, 0 = absent */
	uint64_t modinfo_off;       /* OUT: file offset and size */
	uint64_t modinfo_size;
	uint32_t versions_index;    /* OUT: __versions, 0 = absent */
	uint64_t versions_off;
	uint64_t versions_size;
	uint32_t this_module_index; /* OUT: .gnu.linkonce.this_module, 0 = absent */
	uint64_t this_module_off;
	uint64_t this_module_size;
};

/*
 * modinfo_elf_find(image, len, out, why): locate .modinfo, __versions and
 * .gnu.linkonce.this_module in the raw ELF64 relocatable image (image, len)
 * without the full loader.  Checks, each -MODINFO_ENOEXEC with *why set:
 * ELF magic, ELFCLASS64, little endian, ET_REL, EM_X86_64, e_shentsize,
 * the section header table inside the file (overflow-safe), e_shstrndx
 * valid and its table inside the file, every section's name inside that
 * table; for each section found: its bytes inside the file and not
 * SHT_NOBITS.  As Linux's find_sec(), only sections with SHF_ALLOC count
 * and the first match wins, except that a second .modinfo is refused (the
 * loader's "at most one .modinfo" rule).  The image need not be aligned.
 */
int modinfo_elf_find(const void *image, uint64_t len, struct modinfo_elf *out,
		     const char **why);

/*
 * modinfo_from_elf(image, len, mi, mv, why): modinfo_elf_find() then fill
 * (mi) and (mv) (absent sections give NULL data), running modinfo_check()
 * and modversions_init().  0 or -MODINFO_ENOEXEC with *why set.
 */
int modinfo_from_elf(const void *image, uint64_t len, struct modinfo *mi,
		     struct modversions *mv, const char **why);

#endif
