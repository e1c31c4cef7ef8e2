/* reloc_x86_64.c: x86-64 RELA relocations for modules (arch hook, Linux's apply_relocate_add). */
#include "internal.h"

/*
 * Relocation types a module built with -mcmodel=kernel -fno-pic may carry.
 * Like Linux: the bytes at the target must still be zero (a module is
 * relocated once), 32 must zero-extend and 32S sign-extend.  Unlike Linux
 * 6.1 we also refuse a PC32/PLT32 whose displacement does not fit in 32
 * bits, and an r_offset or symbol index outside its section or table: a
 * hostile image must not make the loader write outside module memory.
 */
static int reloc_bad(const struct load_info *info, uint32_t relsec, uint64_t i,
		     const char *why, uint32_t type)
{
	modenv_log("%s: section %s: relocation %llu (type %u): %s", info->name,
		   mod_secname(info, relsec), (unsigned long long)i, type, why);
	return -ENOEXEC;
}

static int reloc_overflow(const struct load_info *info, uint32_t relsec, uint64_t i,
			  uint32_t type, uint64_t val)
{
	modenv_log("%s: overflow in relocation type %u val %llx "
		   "(likely not compiled with -mcmodel=kernel)",
		   info->name, type, (unsigned long long)val);
	return reloc_bad(info, relsec, i, "value does not fit", type);
}

/*
 * Store val's low 4 (8) bytes at loc when the bytes there are still zero.
 * Fixed sizes, so each copy is one unaligned load and one store.
 */
static inline bool reloc_put32(uint8_t *loc, uint64_t val)
{
	uint32_t old, v = (uint32_t)val;

	memcpy(&old, loc, 4);
	if (old != 0)
		return false;
	memcpy(loc, &v, 4);
	return true;
}

static inline bool reloc_put64(uint8_t *loc, uint64_t val)
{
	uint64_t old;

	memcpy(&old, loc, 8);
	if (old != 0)
		return false;
	memcpy(loc, &val, 8);
	return true;
}

/*
 * reloc_compute(type, place, val, size): turn *val, symbol + addend, into
 * what relocation type stores at address place, and *size into its width
 * in bytes (0 for R_X86_64_NONE: nothing to store).  Returns 0, -ERANGE
 * when the value does not fit its field (*val is then the value that did
 * not fit), or -ENOEXEC for a type the loader does not know.
 */
static int reloc_compute(uint32_t type, uint64_t place, uint64_t *val, unsigned *size)
{
	switch (type) {
	case R_X86_64_NONE:
		*size = 0;
		return 0;
	case R_X86_64_64:
		*size = 8;
		return 0;
	case R_X86_64_32:
		*size = 4;
		return *val == (uint32_t)*val ? 0 : -ERANGE;
	case R_X86_64_32S:
		*size = 4;
		return (int64_t)*val == (int32_t)*val ? 0 : -ERANGE;
	case R_X86_64_PC32:
	case R_X86_64_PLT32:
		*val -= place;
		*size = 4;
		return (int64_t)*val == (int32_t)*val ? 0 : -ERANGE;
	case R_X86_64_PC64:
		*val -= place;
		*size = 8;
		return 0;
	}
	return -ENOEXEC;
}

int mod_reloc_apply_rela(const struct load_info *info, uint32_t relsec)
{
	const Elf64_Shdr *rs = &info->sechdrs[relsec];
	const Elf64_Rela *rel = (const Elf64_Rela *)(info->image + rs->sh_offset);
	const uint64_t n = rs->sh_size / sizeof(*rel);
	const struct mod_sec *t = &info->secs[rs->sh_info];
	const uint64_t tsize = info->sechdrs[rs->sh_info].sh_size;

	for (uint64_t i = 0; i < n; i++) {
		const uint64_t off = rel[i].r_offset;
		const uint32_t type = (uint32_t)ELF64_R_TYPE(rel[i].r_info);
		const uint64_t symi = ELF64_R_SYM(rel[i].r_info);
		uint64_t val;
		unsigned size;
		int err;

		if (symi >= info->nsyms)
			return reloc_bad(info, relsec, i, "symbol index out of range", type);
		/* First the value, then the write. */
		val = info->symval[symi] + (uint64_t)rel[i].r_addend;
		err = reloc_compute(type, t->va + off, &val, &size);
		if (err == -ERANGE)
			return reloc_overflow(info, relsec, i, type, val);
		if (err)
			return reloc_bad(info, relsec, i, "unknown relocation type", type);
		if (size == 0)
			continue;
		if (tsize < size || off > tsize - size)
			return reloc_bad(info, relsec, i, "target outside its section", type);
		if (!(size == 8 ? reloc_put64(t->buf + off, val) : reloc_put32(t->buf + off, val)))
			return reloc_bad(info, relsec, i,
					 "invalid relocation target, existing value is nonzero",
					 type);
	}
	return 0;
}

void mod_reloc_count(const struct load_info *info, uint32_t relsec,
		     struct mod_reloc_stats *stats)
{
	const Elf64_Shdr *rs = &info->sechdrs[relsec];
	const Elf64_Rela *rel = (const Elf64_Rela *)(info->image + rs->sh_offset);
	const uint64_t n = rs->sh_size / sizeof(*rel);
	const uint64_t ntypes = sizeof(stats->by_type) / sizeof(stats->by_type[0]);

	for (uint64_t i = 0; i < n; i++) {
		uint64_t type = ELF64_R_TYPE(rel[i].r_info);

		if (type < ntypes)
			stats->by_type[type]++;
	}
	stats->sections++;
	stats->total += n;
}
