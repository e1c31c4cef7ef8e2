/* relocate.c: symbol values and the relocation loop, the steps a load shares with the host's re-derivation (vmm/authority/rederive.c). */
#include "internal.h"

int mod_symbol_values(struct load_info *info, mod_undef_fn undef)
{
	int err;

	info->symval[0] = 0;
	for (uint32_t i = 1; i < info->nsyms; i++) {
		const Elf64_Sym *s = &info->syms[i];

		switch (s->st_shndx) {
		case SHN_COMMON:
			modenv_log("%s: please compile with -fno-common (common symbol %s)",
				   info->name, info->strtab + s->st_name);
			return -ENOEXEC;
		case SHN_ABS:
			info->symval[i] = s->st_value;
			break;
		case SHN_UNDEF:
			err = undef(info, i, &info->symval[i]);
			if (err)
				return err;
			break;
		default:
			/* Unsigned wrap-around is harmless: relocations check overflow. */
			info->symval[i] = info->secs[s->st_shndx].va + s->st_value;
			break;
		}
	}
	return 0;
}

int mod_apply_relocations(struct load_info *info)
{
	for (uint32_t i = 1; i < info->shnum; i++) {
		const Elf64_Shdr *s = &info->sechdrs[i];
		int err;

		/* Relocations for sections that are not loaded are not needed. */
		if (s->sh_type != SHT_RELA || info->secs[s->sh_info].where == MOD_WHERE_NONE)
			continue;
		if (info->args->stats)
			mod_reloc_count(info, i, info->args->stats);
		err = mod_reloc_apply_rela(info, i);
		if (err)
			return err;
	}
	return 0;
}
