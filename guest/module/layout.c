/* layout.c: place sections into core/init x text/rodata/ro_after_init/data; allocate; protect. */
#include "internal.h"

/* Sections whose contents stay in the image (Linux clears their SHF_ALLOC). */
static bool layout_dropped(const struct load_info *info, uint32_t i)
{
	return i == info->index.info || i == info->index.vers;
}

static bool starts_with(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* Which group a loaded section belongs to (Linux's masks[] order). */
static enum mod_group layout_group(const struct load_info *info, uint32_t i)
{
	const char *name = mod_secname(info, i);
	uint64_t f = info->sechdrs[i].sh_flags;

	if (f & SHF_EXECINSTR)
		return MOD_GROUP_TEXT;
	if (strcmp(name, ".data..ro_after_init") == 0 || strcmp(name, "__jump_table") == 0)
		return MOD_GROUP_RO_AFTER_INIT;
	if (f & SHF_WRITE)
		return MOD_GROUP_DATA;
	return MOD_GROUP_RODATA;
}

/* Round *size up to align, note the offset, then add the section's size. */
static int layout_place(uint64_t *size, const Elf64_Shdr *s, uint64_t *off)
{
	uint64_t a = s->sh_addralign ? s->sh_addralign : 1;
	uint64_t start, end;

	if (__builtin_add_overflow(*size, a - 1, &start))
		return -ENOEXEC;
	start &= ~(a - 1);
	if (__builtin_add_overflow(start, s->sh_size, &end))
		return -ENOEXEC;
	*off = start;
	*size = end;
	return 0;
}

static int page_align(uint64_t *size)
{
	if (*size > UINT64_MAX - (MOD_PAGE_SIZE - 1))
		return -ENOEXEC;
	*size = (*size + MOD_PAGE_SIZE - 1) & ~(uint64_t)(MOD_PAGE_SIZE - 1);
	return 0;
}

/* Lay out every section of one group into layout l (core or init). */
static int layout_group_into(struct load_info *info, struct mod_layout *l,
			     enum mod_where where, enum mod_group g)
{
	for (uint32_t i = 1; i < info->shnum; i++) {
		struct mod_sec *sec = &info->secs[i];

		if (sec->where != where || sec->group != g)
			continue;
		if (layout_place(&l->size, &info->sechdrs[i], &sec->off) != 0) {
			modenv_log("%s: section %u (%s): layout size overflows", info->name,
				   i, mod_secname(info, i));
			return -ENOEXEC;
		}
	}
	return page_align(&l->size);
}

static int layout_one(struct load_info *info, struct mod_layout *l, enum mod_where where)
{
	int err = 0;

	for (int g = 0; !err && g < MOD_GROUP_COUNT; g++) {
		err = layout_group_into(info, l, where, (enum mod_group)g);
		if (g == MOD_GROUP_TEXT)
			l->text_end = l->size;
		else if (g == MOD_GROUP_RODATA)
			l->ro_end = l->size;
		else if (g == MOD_GROUP_RO_AFTER_INIT)
			l->ro_after_init_end = l->size;
	}
	return err;
}

int mod_layout_sections(struct load_info *info)
{
	const uint64_t wx = SHF_WRITE | SHF_EXECINSTR;

	for (uint32_t i = 1; i < info->shnum; i++) {
		const Elf64_Shdr *s = &info->sechdrs[i];
		struct mod_sec *sec = &info->secs[i];

		if ((s->sh_flags & wx) == wx) {
			modenv_log("%s: section %s (index %u) has invalid WRITE|EXEC flags",
				   info->name, mod_secname(info, i), i);
			return -ENOEXEC;
		}
		if (!(s->sh_flags & SHF_ALLOC) || layout_dropped(info, i))
			continue;
		sec->where = starts_with(mod_secname(info, i), ".init") ?
			     MOD_WHERE_INIT : MOD_WHERE_CORE;
		sec->group = (uint8_t)layout_group(info, i);
	}
	if (layout_one(info, &info->mod->core, MOD_WHERE_CORE) != 0 ||
	    layout_one(info, &info->mod->init, MOD_WHERE_INIT) != 0) {
		modenv_log("%s: module layout overflows", info->name);
		return -ENOEXEC;
	}
	return 0;
}

int mod_alloc_and_copy(struct load_info *info)
{
	struct module *mod = info->mod;
	int err;

	err = modenv_region_alloc(mod->core.size, &mod->core.mem);
	if (err)
		return err;
	if (mod->init.size) {
		err = modenv_region_alloc(mod->init.size, &mod->init.mem);
		if (err) {
			modenv_region_free(&mod->core.mem);
			mod->core.mem.buf = NULL;
			return err;
		}
	}
	mod_place_sections(info);
	return 0;
}

void mod_place_sections(struct load_info *info)
{
	struct module *mod = info->mod;

	for (uint32_t i = 1; i < info->shnum; i++) {
		const Elf64_Shdr *s = &info->sechdrs[i];
		struct mod_sec *sec = &info->secs[i];
		struct mod_region *r;

		if (sec->where == MOD_WHERE_NONE)
			continue;
		r = sec->where == MOD_WHERE_CORE ? &mod->core.mem : &mod->init.mem;
		/* Empty .init* sections alone give an init layout of size 0,
		 * which has no memory. */
		sec->buf = r->buf ? r->buf + sec->off : NULL;
		sec->va = r->va + sec->off;
		/* As NOBITS, an SHT_NULL section has no bytes in the file
		 * (elf_check_section() does not bound its offset): zeroes. */
		if (s->sh_type != SHT_NOBITS && s->sh_type != SHT_NULL && s->sh_size)
			memcpy(sec->buf, info->image + s->sh_offset, s->sh_size);
	}
}

void mod_free_layouts(struct module *mod)
{
	if (mod->init.mem.buf)
		modenv_region_free(&mod->init.mem);
	if (mod->core.mem.buf)
		modenv_region_free(&mod->core.mem);
	mod->init.mem.buf = NULL;
	mod->core.mem.buf = NULL;
}

/* Text RX, rodata RO, ro_after_init RW until sealed, data RW; never W+X. */
static void protect_layout(const struct mod_layout *l, bool seal)
{
	const struct mod_region *r = &l->mem;

	modenv_region_protect(r, 0, l->text_end, MOD_PROT_R | MOD_PROT_X);
	modenv_region_protect(r, l->text_end, l->ro_end - l->text_end, MOD_PROT_R);
	modenv_region_protect(r, l->ro_end, l->ro_after_init_end - l->ro_end,
			      seal ? MOD_PROT_R : MOD_PROT_R | MOD_PROT_W);
	modenv_region_protect(r, l->ro_after_init_end, l->size - l->ro_after_init_end,
			      MOD_PROT_R | MOD_PROT_W);
}

void mod_protect(struct module *mod, bool after_init)
{
	protect_layout(&mod->core, after_init);
	if (!after_init && mod->init.mem.buf)
		protect_layout(&mod->init, false);
}

void mod_ignore_versions(struct load_info *info)
{
	if (info->args->flags & MV_MODULE_INIT_IGNORE_MODVERSIONS)
		info->index.vers = 0;
}
