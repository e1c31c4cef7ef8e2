/* elf_check.c: ELF validation of a module image, Linux's elf_validity_check() and more. */
#include "internal.h"

/*
 * Every check here fails with -ENOEXEC and one log line naming the module,
 * the section and the reason.  Nothing past this step reads a header field
 * it did not prove sound, so the later steps need no bounds checks of their
 * own for section headers, names, the symbol table or string tables.
 */
static int elf_bad(const struct load_info *info, const char *why, uint32_t sec)
{
	if (sec)
		modenv_log("%s: section %u: %s", info->name, sec, why);
	else
		modenv_log("%s: %s", info->name, why);
	return -ENOEXEC;
}

/* range_ok(len, off, size): off + size fits in len, without overflow. */
static bool range_ok(uint64_t len, uint64_t off, uint64_t size)
{
	uint64_t end;

	return !__builtin_add_overflow(off, size, &end) && end <= len;
}

/* The ELF header: identity, type, machine, section table in the file. */
static int elf_check_header(struct load_info *info)
{
	const Elf64_Ehdr *h = info->hdr;

	if (info->len < sizeof(*h))
		return elf_bad(info, "image shorter than an ELF header", 0);
	if (memcmp(h->e_ident, ELFMAG, SELFMAG) != 0)
		return elf_bad(info, "not an ELF file (bad magic)", 0);
	if (h->e_ident[EI_CLASS] != ELFCLASS64)
		return elf_bad(info, "not a 64-bit ELF file", 0);
	if (h->e_ident[EI_DATA] != ELFDATA2LSB)
		return elf_bad(info, "not a little-endian ELF file", 0);
	if (h->e_type != ET_REL)
		return elf_bad(info, "not a relocatable object (e_type != ET_REL)", 0);
	if (h->e_machine != EM_X86_64)
		return elf_bad(info, "not an x86-64 object (e_machine)", 0);
	if (h->e_shentsize != sizeof(Elf64_Shdr))
		return elf_bad(info, "e_shentsize is not sizeof(Elf64_Shdr)", 0);
	if (h->e_shnum == 0 || h->e_shoff % 8 != 0 ||
	    !range_ok(info->len, h->e_shoff, (uint64_t)h->e_shnum * sizeof(Elf64_Shdr)))
		return elf_bad(info, "section header table outside the file", 0);
	if (h->e_shstrndx == SHN_UNDEF || h->e_shstrndx >= h->e_shnum)
		return elf_bad(info, "e_shstrndx out of range", 0);
	info->sechdrs = (const Elf64_Shdr *)(info->image + h->e_shoff);
	info->shnum = h->e_shnum;
	return 0;
}

/* Section 0 is null; the section-name table is NUL-terminated. */
static int elf_check_secstrings(struct load_info *info)
{
	const Elf64_Shdr *s0 = &info->sechdrs[0];
	const Elf64_Shdr *str = &info->sechdrs[info->hdr->e_shstrndx];

	if (s0->sh_type != SHT_NULL || s0->sh_size != 0 || s0->sh_addr != 0)
		return elf_bad(info, "section 0 is not a null section", 0);
	if (str->sh_type == SHT_NOBITS || str->sh_size == 0 ||
	    !range_ok(info->len, str->sh_offset, str->sh_size))
		return elf_bad(info, "section name table outside the file",
			       info->hdr->e_shstrndx);
	info->secstrings = (const char *)info->image + str->sh_offset;
	if (info->secstrings[str->sh_size - 1] != '\0')
		return elf_bad(info, "section name table not NUL-terminated",
			       info->hdr->e_shstrndx);
	return 0;
}

/* Record one of the sections the loader looks for by name. */
static int elf_note_named(struct load_info *info, uint32_t i)
{
	const char *name = mod_secname(info, i);

	if (strcmp(name, ".modinfo") == 0) {
		if (info->index.info)
			return elf_bad(info, "more than one .modinfo section", i);
		info->index.info = i;
	} else if (strcmp(name, ".gnu.linkonce.this_module") == 0) {
		if (info->index.mod)
			return elf_bad(info, "more than one .gnu.linkonce.this_module", i);
		info->index.mod = i;
	} else if (strcmp(name, "__versions") == 0) {
		info->index.vers = i;
	} else if (strcmp(name, "__ksymtab") == 0) {
		info->index.ksymtab = i;
	} else if (strcmp(name, "__ksymtab_gpl") == 0) {
		info->index.ksymtab_gpl = i;
	} else if (strcmp(name, "__param") == 0) {
		info->index.param = i;
	}
	return 0;
}

/* One section header: in the file, name in bounds, links in range. */
static int elf_check_section(struct load_info *info, uint32_t i)
{
	const Elf64_Shdr *s = &info->sechdrs[i];
	uint64_t align = s->sh_addralign;

	if (s->sh_name >= info->sechdrs[info->hdr->e_shstrndx].sh_size)
		return elf_bad(info, "name outside the section name table", i);
	if (s->sh_type == SHT_NULL)
		return 0;
	if (s->sh_type != SHT_NOBITS &&
	    !range_ok(info->len, s->sh_offset, s->sh_size))
		return elf_bad(info, "contents outside the file", i);
	if (align > MOD_PAGE_SIZE || (align & (align - 1)) != 0)
		return elf_bad(info, "sh_addralign not a power of two up to 4096", i);
	switch (s->sh_type) {
	case SHT_REL:
		return elf_bad(info, "REL relocations are not supported on x86-64 (RELA only)", i);
	case SHT_SYMTAB:
		if (info->index.sym)
			return elf_bad(info, "more than one symbol table", i);
		info->index.sym = i;
		break;
	case SHT_RELA:
		if (s->sh_entsize != sizeof(Elf64_Rela) ||
		    s->sh_size % sizeof(Elf64_Rela) != 0 || s->sh_offset % 8 != 0)
			return elf_bad(info, "RELA section with a bad entry size", i);
		if (s->sh_info == 0 || s->sh_info >= info->shnum)
			return elf_bad(info, "RELA section aimed at no section (sh_info)", i);
		break;
	}
	return elf_note_named(info, i);
}

/* .gnu.linkonce.this_module: exactly one, loaded, of our struct's size. */
static int elf_check_this_module(struct load_info *info)
{
	const Elf64_Shdr *s;

	if (!info->index.mod)
		return elf_bad(info, "no .gnu.linkonce.this_module section (not a module)", 0);
	s = &info->sechdrs[info->index.mod];
	if (s->sh_type == SHT_NOBITS || !(s->sh_flags & SHF_ALLOC))
		return elf_bad(info, ".gnu.linkonce.this_module is not loaded file data",
			       info->index.mod);
	if (!(info->args->mode & MOD_LOAD_ANY_THIS_MODULE) &&
	    s->sh_size != sizeof(struct mv_this_module))
		return elf_bad(info, ".gnu.linkonce.this_module has the wrong size "
			       "(built for another kernel?)", info->index.mod);
	if (s->sh_size < sizeof(struct mv_this_module))
		return elf_bad(info, ".gnu.linkonce.this_module too small", info->index.mod);
	return 0;
}

/* The symbol table, its string table, and every symbol's name and section. */
static int elf_check_symtab(struct load_info *info)
{
	const Elf64_Shdr *sym, *str;

	if (!info->index.sym)
		return elf_bad(info, "no symbol table", 0);
	sym = &info->sechdrs[info->index.sym];
	if (sym->sh_entsize != sizeof(Elf64_Sym) || sym->sh_size % sizeof(Elf64_Sym) ||
	    sym->sh_size == 0 || sym->sh_type == SHT_NOBITS || sym->sh_offset % 8 != 0 ||
	    sym->sh_size / sizeof(Elf64_Sym) > UINT32_MAX)
		return elf_bad(info, "symbol table with a bad entry size", info->index.sym);
	if (sym->sh_link == 0 || sym->sh_link >= info->shnum ||
	    info->sechdrs[sym->sh_link].sh_type != SHT_STRTAB)
		return elf_bad(info, "symbol table's sh_link is not a string table", info->index.sym);
	info->index.str = sym->sh_link;
	str = &info->sechdrs[sym->sh_link];
	info->strtab = (const char *)info->image + str->sh_offset;
	info->strtab_size = str->sh_size;
	if (str->sh_size == 0 || info->strtab[0] != '\0' ||
	    info->strtab[str->sh_size - 1] != '\0')
		return elf_bad(info, "string table does not start and end with NUL", sym->sh_link);
	info->syms = (const Elf64_Sym *)(info->image + sym->sh_offset);
	info->nsyms = (uint32_t)(sym->sh_size / sizeof(Elf64_Sym));
	for (uint32_t i = 1; i < info->nsyms; i++) {
		const Elf64_Sym *s = &info->syms[i];

		if (s->st_name >= info->strtab_size)
			return elf_bad(info, "a symbol's name is outside the string table",
				       info->index.sym);
		if (s->st_shndx >= info->shnum && s->st_shndx != SHN_ABS &&
		    s->st_shndx != SHN_COMMON)
			return elf_bad(info, "a symbol's section index is out of range",
				       info->index.sym);
	}
	return 0;
}

/* RELA sections must use the one symbol table. */
static int elf_check_rela_links(const struct load_info *info)
{
	for (uint32_t i = 1; i < info->shnum; i++) {
		const Elf64_Shdr *s = &info->sechdrs[i];

		if (s->sh_type == SHT_RELA && s->sh_link != info->index.sym)
			return elf_bad(info, "RELA section's sh_link is not the symbol table", i);
	}
	return 0;
}

/* .modinfo: kept only when it is NUL-terminated file data. */
static int elf_check_modinfo(struct load_info *info)
{
	const Elf64_Shdr *s;

	if (!info->index.info)
		return 0;
	s = &info->sechdrs[info->index.info];
	if (s->sh_type == SHT_NOBITS || s->sh_size == 0)
		return 0;
	info->mi.data = (const char *)info->image + s->sh_offset;
	info->mi.size = s->sh_size;
	if (modinfo_check(&info->mi, NULL) != 0)
		return elf_bad(info, ".modinfo is not NUL-terminated", info->index.info);
	return 0;
}

int mod_elf_check(struct load_info *info)
{
	int err;

	info->hdr = (const Elf64_Ehdr *)info->image;
	err = elf_check_header(info);
	if (!err)
		err = elf_check_secstrings(info);
	for (uint32_t i = 1; !err && i < info->shnum; i++)
		err = elf_check_section(info, i);
	if (!err)
		err = elf_check_this_module(info);
	if (!err)
		err = elf_check_symtab(info);
	if (!err)
		err = elf_check_rela_links(info);
	if (!err)
		err = elf_check_modinfo(info);
	return err;
}
