/* symbols.c: symbol resolution against kernel and module exports; module exports and users. */
#include "internal.h"

/* Where an exported symbol was found. */
struct mod_found {
	uint64_t       value;
	uint32_t       crc;
	bool           gpl_only;
	struct module *owner;   /* NULL for the kernel */
};

void *mod_va_ptr(const struct module *mod, uint64_t va, uint64_t len)
{
	const struct mod_region *r = &mod->core.mem;
	uint64_t off = va - r->va;

	if (va < r->va || off > r->size || r->size - off < len)
		return NULL;
	return r->buf + off;
}

const char *mod_va_str(const struct module *mod, uint64_t va)
{
	const struct mod_region *r = &mod->core.mem;
	const char *s = mod_va_ptr(mod, va, 1);

	if (!s || !memchr(s, '\0', r->size - (va - r->va)))
		return NULL;
	return s;
}

/* Search one module's export table. */
static bool find_in_table(struct module *m, const struct mv_kernel_symbol *t,
			  uint32_t n, bool gpl_only, const char *name,
			  struct mod_found *f)
{
	for (uint32_t i = 0; i < n; i++) {
		const char *s = mod_va_str(m, t[i].name);

		if (s && strcmp(s, name) == 0) {
			f->value = t[i].value;
			f->crc = t[i].crc;
			f->gpl_only = gpl_only;
			f->owner = m;
			return true;
		}
	}
	return false;
}

/*
 * find_symbol(name, gplok, f): the kernel's exports, then every formed
 * module's.  A GPL-only export is invisible to a module that is not
 * GPL-compatible, as in Linux (so such a use fails with ENOENT).
 */
static bool find_symbol(const char *name, bool gplok, struct mod_found *f)
{
	struct mod_kexport k;

	if (modenv_kernel_export(name, &k)) {
		if (k.gpl_only && !gplok)
			return false;
		f->value = k.value;
		f->crc = k.crc;
		f->gpl_only = k.gpl_only;
		f->owner = NULL;
		return true;
	}
	for (struct module *m = mod_list_head; m; m = m->next) {
		if (m->state == MOD_STATE_UNFORMED)
			continue;
		if (find_in_table(m, m->syms, m->num_syms, false, name, f))
			return true;
		if (gplok && find_in_table(m, m->gpl_syms, m->num_gpl_syms, true, name, f))
			return true;
	}
	return false;
}

bool mod_uses(const struct module *a, const struct module *b)
{
	for (const struct mod_use *u = a->uses; u; u = u->next)
		if (u->target == b)
			return true;
	return false;
}

/* ref_module(a, b): a now uses b; b's refcount counts a once. */
static int ref_module(struct module *a, struct module *b)
{
	struct mod_use *u;

	if (!b || mod_uses(a, b))
		return 0;
	u = modenv_malloc(sizeof(*u));
	if (!u)
		return -ENOMEM;
	u->target = b;
	u->next = a->uses;
	a->uses = u;
	b->refcnt++;
	return 0;
}

void mod_drop_uses(struct module *mod)
{
	while (mod->uses) {
		struct mod_use *u = mod->uses;

		mod->uses = u->next;
		u->target->refcnt--;
		modenv_free(u);
	}
}

uint64_t mod_dry_run_address(const char *name)
{
	uint32_t h = 2166136261u;

	while (*name)
		h = (h ^ (uint8_t)*name++) * 16777619u;
	return 0xffffffff81000000ull + ((uint64_t)(h & 0xfffff) << 4);
}

static int resolve_undef(struct load_info *info, uint32_t i, uint64_t *val)
{
	const Elf64_Sym *s = &info->syms[i];
	const char *name = info->strtab + s->st_name;
	struct mod_found f;
	int err;

	if (info->args->mode & MOD_LOAD_DRY_RUN) {
		*val = mod_dry_run_address(name);
		return 0;
	}
	if (find_symbol(name, info->mod->gpl_ok, &f)) {
		err = mod_check_version(info, name, f.crc);
		if (!err)
			err = ref_module(info->mod, f.owner);
		*val = f.value;
		return err;
	}
	if (ELF64_ST_BIND(s->st_info) == STB_WEAK) {
		*val = 0;
		return 0;
	}
	if (!info->mod->gpl_ok && find_symbol(name, true, &f))
		modenv_log("%s: Unknown symbol %s (GPL-only export, module is not GPL)",
			   info->name, name);
	else
		modenv_log("%s: Unknown symbol %s (err %d)", info->name, name, -ENOENT);
	return -ENOENT;
}

int mod_resolve_symbols(struct load_info *info)
{
	return mod_symbol_values(info, resolve_undef);
}

/* A table section in core memory holding n entries of size each, 8-aligned. */
static int table_in_core(struct load_info *info, uint32_t idx, uint64_t size,
			 void **tab, uint32_t *n)
{
	const Elf64_Shdr *s = &info->sechdrs[idx];
	const struct mod_sec *sec = &info->secs[idx];

	if (!idx)
		return 0;
	if (sec->where != MOD_WHERE_CORE || s->sh_size % size != 0 ||
	    sec->va % 8 != 0 || s->sh_size / size > UINT32_MAX) {
		modenv_log("%s: section %s is not a loaded table of %u-byte entries",
			   info->name, mod_secname(info, idx), (unsigned)size);
		return -ENOEXEC;
	}
	*tab = sec->buf;
	*n = (uint32_t)(s->sh_size / size);
	return 0;
}

int mod_find_exports(struct load_info *info)
{
	struct module *mod = info->mod;
	void *t = NULL, *g = NULL, *p = NULL;
	int err;

	err = table_in_core(info, info->index.ksymtab, sizeof(struct mv_kernel_symbol),
			    &t, &mod->num_syms);
	if (!err)
		err = table_in_core(info, info->index.ksymtab_gpl,
				    sizeof(struct mv_kernel_symbol), &g, &mod->num_gpl_syms);
	if (!err)
		err = table_in_core(info, info->index.param,
				    sizeof(struct mv_kernel_param), &p, &mod->num_kp);
	mod->syms = t;
	mod->gpl_syms = g;
	mod->kp = p;
	/* params.c and sysfs use each name as a C string. */
	for (uint32_t i = 0; !err && i < mod->num_kp; i++) {
		if (!mod_va_str(mod, mod->kp[i].name)) {
			modenv_log("%s: parameter %u has a name outside the module", info->name, i);
			err = -ENOEXEC;
		}
	}
	return err;
}

/* Each export must name a string in the module and must not exist yet. */
static int verify_table(const struct module *mod, const struct mv_kernel_symbol *t,
			uint32_t n)
{
	struct mod_found f;

	for (uint32_t i = 0; i < n; i++) {
		const char *name = mod_va_str(mod, t[i].name);

		if (!name) {
			modenv_log("%s: export %u has a name outside the module", mod->name, i);
			return -ENOEXEC;
		}
		if (find_symbol(name, true, &f)) {
			modenv_log("%s: exports duplicate symbol %s (owned by %s)", mod->name,
				   name, f.owner ? f.owner->name : "kernel");
			return -ENOEXEC;
		}
	}
	return 0;
}

int mod_verify_exports(const struct module *mod)
{
	int err = verify_table(mod, mod->syms, mod->num_syms);

	return err ? err : verify_table(mod, mod->gpl_syms, mod->num_gpl_syms);
}
