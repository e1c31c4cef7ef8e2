/* internal.h: the load pipeline's shared state (struct load_info) and its steps. */
#ifndef MOD_INTERNAL_H
#define MOD_INTERNAL_H

#include <modvisor/modinfo.h>
#include <modvisor/elf64.h>
#include "loader.h"

/* Where a section goes once laid out. */
enum mod_where {
	MOD_WHERE_NONE = 0,     /* not loaded (not SHF_ALLOC, or dropped) */
	MOD_WHERE_CORE,
	MOD_WHERE_INIT,
};

/* One section's place in module memory (filled by the layout step). */
struct mod_sec {
	uint8_t  *buf;          /* where the loader writes it */
	uint64_t  va;           /* where the module sees it */
	uint64_t  off;          /* offset inside its layout */
	uint8_t   where;        /* enum mod_where */
	uint8_t   group;        /* enum mod_group */
};

/* The four kinds of memory, in layout order (Linux's masks[]). */
enum mod_group {
	MOD_GROUP_TEXT,
	MOD_GROUP_RODATA,
	MOD_GROUP_RO_AFTER_INIT,
	MOD_GROUP_DATA,
	MOD_GROUP_COUNT,
};

/*
 * Everything one load carries from step to step, as Linux's struct
 * load_info.  Pointers into the image are only made after the ELF step
 * proved that the bytes they cover are inside it.
 */
struct load_info {
	const struct mod_load_args *args;
	const char       *name;         /* for messages: "?" until known */
	const uint8_t    *image;
	uint64_t          len;          /* without any signature trailer */
	const Elf64_Ehdr *hdr;
	const Elf64_Shdr *sechdrs;
	uint32_t          shnum;
	const char       *secstrings;
	const Elf64_Sym  *syms;
	uint32_t          nsyms;
	const char       *strtab;
	uint64_t          strtab_size;
	struct modinfo    mi;           /* .modinfo (shared/lib/modinfo.c) */
	struct modversions mv;          /* __versions, unless ignored */
	struct {
		uint32_t sym, str, mod, vers, info;
		uint32_t ksymtab, ksymtab_gpl, param;
	} index;                        /* section indices; 0 = absent */
	struct mod_sec   *secs;         /* shnum entries */
	uint64_t         *symval;       /* nsyms resolved values */
	struct module    *mod;
	struct mod_verdict verdict;
	bool              has_versions; /* __versions present and not ignored */
	struct mod_fault  init_fault;   /* init was stopped by a CPU exception */
	uint32_t          fault_where;  /* MV_FAULT_IN_* of init_fault.rip */
	uint64_t          fault_offset; /* init_fault.rip in that region */
	uint64_t          stamp;        /* modenv_now() at the last stage mark */
};

/* mod_stage_done(info, stage): charge the time since the last mark to stage. */
static inline void mod_stage_done(struct load_info *info, enum mod_stage stage)
{
	uint64_t now;

	if (!info->args->timings)
		return;
	now = modenv_now();
	info->args->timings->ticks[stage] += now - info->stamp;
	info->stamp = now;
}

/* The name of section i (the ELF step proved it is in bounds). */
static inline const char *mod_secname(const struct load_info *info, uint32_t i)
{
	return info->secstrings + info->sechdrs[i].sh_name;
}

/* Steps, in the order mod_load() runs them. */

/* mod_elf_check(info): every ELF field the loader relies on; -ENOEXEC. */
int mod_elf_check(struct load_info *info);

/*
 * mod_strip_signature(info): split the signature trailer off info->len
 * (signature.c); -EBADMSG when it is malformed.  Not with an IGNORE flag.
 */
int mod_strip_signature(struct load_info *info);

/* mod_setup_name(info): the module name from this_module (or .modinfo). */
int mod_setup_name(struct load_info *info);

/* mod_check_modinfo(info): vermagic, forced loads, taints O and P. */
int mod_check_modinfo(struct load_info *info);

/*
 * mod_ignore_versions(info): MODULE_INIT_IGNORE_MODVERSIONS pretends there
 * is no __versions section (Linux's setup_load_info), so it stays allocated
 * in the layout.  mod_check_modstruct() calls it; so does the host's
 * re-derivation, which must lay the image out as the guest did.
 */
void mod_ignore_versions(struct load_info *info);

/* mod_check_modstruct(info): a module without __versions needs a forced load. */
int mod_check_modstruct(struct load_info *info);

/*
 * mod_check_version(info, sym, crc): the __versions CRC of sym must be crc;
 * -EINVAL on a mismatch (Linux's check_version).
 */
int mod_check_version(const struct load_info *info, const char *sym, uint32_t crc);

/* mod_layout_sections(info): W+X check, then offsets for every section. */
int mod_layout_sections(struct load_info *info);

/* mod_alloc_and_copy(info): allocate core and init, then mod_place_sections(). */
int mod_alloc_and_copy(struct load_info *info);

/*
 * mod_place_sections(info): with info->mod's core and init regions set
 * (buf, va; an init region of size 0 has buf NULL), give every loaded
 * section its buf and va and copy its bytes from the image.
 */
void mod_place_sections(struct load_info *info);

/* mod_free_layouts(mod): free core and init memory. */
void mod_free_layouts(struct module *mod);

/* mod_resolve_symbols(info): fill info->symval; ENOEXEC/ENOENT/EINVAL. */
int mod_resolve_symbols(struct load_info *info);

/*
 * mod_dry_run_address(name): the made-up kernel address a dry run gives an
 * undefined symbol, stable per name (the re-derivation tests use it too).
 */
uint64_t mod_dry_run_address(const char *name);

/* How one undefined symbol (index i) gets its value *val: 0 or -errno. */
typedef int (*mod_undef_fn)(struct load_info *info, uint32_t i, uint64_t *val);

/*
 * mod_symbol_values(info, undef): fill info->symval: section va + value for
 * defined symbols, st_value for SHN_ABS, undef() for SHN_UNDEF; ENOEXEC for
 * SHN_COMMON (relocate.c; the load passes symbols.c's export lookup, the
 * host's re-derivation the values the guest reported).
 */
int mod_symbol_values(struct load_info *info, mod_undef_fn undef);

/* mod_apply_relocations(info): every RELA section aimed at loaded memory. */
int mod_apply_relocations(struct load_info *info);

/*
 * mod_reloc_apply_rela(info, relsec): arch hook: apply one SHT_RELA section
 * (x86-64: reloc_x86_64.c).  Returns 0 or -ENOEXEC with a logged reason.
 */
int mod_reloc_apply_rela(const struct load_info *info, uint32_t relsec);

/* mod_reloc_count(info, relsec, stats): count one RELA section's types. */
void mod_reloc_count(const struct load_info *info, uint32_t relsec,
		     struct mod_reloc_stats *stats);

/*
 * mod_seal(info): after relocation, before parameters and init: ask the
 * host to check and seal the module (load.c).  0, or the host's -errno.
 */
int mod_seal(struct load_info *info);

/* mod_find_exports(info): locate __ksymtab(_gpl) and __param in core memory. */
int mod_find_exports(struct load_info *info);

/* mod_verify_exports(mod): ENOEXEC when an export already exists. */
int mod_verify_exports(const struct module *mod);

/* mod_va_ptr(mod, va, len): a checked pointer to len bytes of mod's memory. */
void *mod_va_ptr(const struct module *mod, uint64_t va, uint64_t len);

/* mod_va_str(mod, va): a checked pointer to a NUL-terminated string, or NULL. */
const char *mod_va_str(const struct module *mod, uint64_t va);

/* mod_drop_uses(mod): forget every module mod uses, dropping their refcounts. */
void mod_drop_uses(struct module *mod);

/* mod_list_head: the list of modules (load.c). */
extern struct module *mod_list_head;

/* mod_list_remove(mod): unlink mod from the list. */
void mod_list_remove(struct module *mod);


/* mod_protect(mod, after_init): page protections for core (and init). */
void mod_protect(struct module *mod, bool after_init);

#endif
