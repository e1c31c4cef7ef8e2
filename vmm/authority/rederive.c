/* rederive.c: a module's expected bytes at the guest's layout, made by the guest loader's own code compiled for the host; the comparison with guest memory. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../guest/module/internal.h"
#include "rederive.h"

_Static_assert(REDERIVE_PROT_R == MOD_PROT_R && REDERIVE_PROT_W == MOD_PROT_W &&
	       REDERIVE_PROT_X == MOD_PROT_X, "prot bits are the loader's");
_Static_assert((int)REDERIVE_TEXT == (int)MOD_GROUP_TEXT &&
	       (int)REDERIVE_RODATA == (int)MOD_GROUP_RODATA &&
	       (int)REDERIVE_RO_AFTER_INIT == (int)MOD_GROUP_RO_AFTER_INIT &&
	       (int)REDERIVE_DATA == (int)MOD_GROUP_DATA, "groups are the loader's");

struct rederive {
	struct load_info info;          /* the loader's state for this image */
	struct mod_load_args args;      /* what the loader reads of a load's arguments */
	struct module mod;              /* its core and init layouts */
	char name[MV_MODULE_NAME_LEN];
	struct rederive_section *secs;  /* allocated sections, layout order */
	uint32_t nsecs;
	struct rederive_undef *undefs;  /* SHN_UNDEF symbols, ascending index */
	uint32_t nundefs;
	uint8_t *bytes[REDERIVE_NREGIONS];      /* expected bytes, kept between derives */
	uint64_t cap[REDERIVE_NREGIONS];
	bool derived;
	/* During one derive: the guest's values and the caller's check. */
	const struct rederive_symval *vals;
	uint32_t next_val;
	rederive_vet_fn vet;
	void *vet_ctx;
	struct rederive_why *why;
};

/* The why of the open or derive in progress: where the loader's log lines go. */
static __thread struct rederive_why *rd_log_why;

void rederive_loader_log(const char *fmt, va_list ap)
{
	struct rederive_why *why = rd_log_why;
	size_t used;

	if (!why)
		return;
	/* The first line is the reason; more lines are appended while they fit. */
	used = strlen(why->msg);
	if (used && used + 3 < sizeof(why->msg)) {
		memcpy(why->msg + used, "; ", 3);
		used += 2;
	}
	if (used + 1 < sizeof(why->msg))
		vsnprintf(why->msg + used, sizeof(why->msg) - used, fmt, ap);
}

static int rd_fail(struct rederive_why *why, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int rd_fail(struct rederive_why *why, int err, const char *fmt, ...)
{
	va_list ap;

	if (why) {
		va_start(ap, fmt);
		vsnprintf(why->msg, sizeof(why->msg), fmt, ap);
		va_end(ap);
	}
	return err;
}

static const char *const region_names[REDERIVE_NREGIONS] = { "core", "init" };

/* The loader's page protection of a group before init (layout.c's mod_protect). */
static uint8_t rd_group_prot(uint8_t group)
{
	switch (group) {
	case MOD_GROUP_TEXT:
		return MOD_PROT_R | MOD_PROT_X;
	case MOD_GROUP_RODATA:
		return MOD_PROT_R;
	default:
		return MOD_PROT_R | MOD_PROT_W;
	}
}

/* The allocated sections in layout order: core then init, each by (group, index). */
static int rd_collect_sections(struct rederive *rd)
{
	const struct load_info *info = &rd->info;
	uint32_t n = 0;

	rd->secs = calloc(info->shnum, sizeof(*rd->secs));
	if (!rd->secs)
		return -ENOMEM;
	for (int where = MOD_WHERE_CORE; where <= MOD_WHERE_INIT; where++) {
		for (int g = 0; g < MOD_GROUP_COUNT; g++) {
			for (uint32_t i = 1; i < info->shnum; i++) {
				const struct mod_sec *s = &info->secs[i];
				const Elf64_Shdr *h = &info->sechdrs[i];
				struct rederive_section *o = &rd->secs[n];

				if (s->where != where || s->group != g)
					continue;
				o->shndx = i;
				o->region = where == MOD_WHERE_CORE ? REDERIVE_CORE : REDERIVE_INIT;
				o->group = (uint8_t)g;
				o->prot = rd_group_prot((uint8_t)g);
				o->nobits = h->sh_type == SHT_NOBITS || h->sh_type == SHT_NULL;
				o->off = s->off;
				o->size = h->sh_size;
				o->name = mod_secname(info, i);
				n++;
			}
		}
	}
	rd->nsecs = n;
	return 0;
}

static int rd_collect_undefs(struct rederive *rd)
{
	const struct load_info *info = &rd->info;
	uint32_t n = 0;

	rd->undefs = calloc(info->nsyms ? info->nsyms : 1, sizeof(*rd->undefs));
	if (!rd->undefs)
		return -ENOMEM;
	for (uint32_t i = 1; i < info->nsyms; i++) {
		const Elf64_Sym *s = &info->syms[i];

		if (s->st_shndx != SHN_UNDEF)
			continue;
		rd->undefs[n].index = i;
		rd->undefs[n].weak = ELF64_ST_BIND(s->st_info) == STB_WEAK;
		rd->undefs[n].name = info->strtab + s->st_name;
		n++;
	}
	rd->nundefs = n;
	return 0;
}

/* The loader's steps 1-5 of a load, on the host's copy: trailer, ELF, layout. */
static int rd_parse(struct rederive *rd)
{
	struct load_info *info = &rd->info;
	int err;

	err = mod_strip_signature(info);
	if (!err)
		err = mod_elf_check(info);
	if (err)
		return err;
	mod_ignore_versions(info);
	info->secs = calloc(info->shnum, sizeof(*info->secs));
	info->symval = calloc(info->nsyms ? info->nsyms : 1, sizeof(*info->symval));
	if (!info->secs || !info->symval)
		return -ENOMEM;
	err = mod_layout_sections(info);
	if (!err)
		err = rd_collect_sections(rd);
	if (!err)
		err = rd_collect_undefs(rd);
	return err;
}

int rederive_open(const void *image, uint64_t len, const char *name,
		  struct rederive **out, struct rederive_why *why)
{
	return rederive_open_flags(image, len, 0, name, out, why);
}

int rederive_open_flags(const void *image, uint64_t len, uint32_t flags, const char *name,
			struct rederive **out, struct rederive_why *why)
{
	struct rederive *rd = calloc(1, sizeof(*rd));
	int err;

	*out = NULL;
	if (why)
		why->msg[0] = '\0';
	if (!rd)
		return rd_fail(why, -ENOMEM, "%s: out of memory", name);
	snprintf(rd->name, sizeof(rd->name), "%s", name);
	/* The guest accepted its this_module; its size changes no byte here. */
	rd->args.mode = MOD_LOAD_ANY_THIS_MODULE;
	rd->args.flags = flags;
	rd->info.args = &rd->args;
	rd->info.name = rd->name;
	rd->info.image = image;
	rd->info.len = len;
	rd->info.mod = &rd->mod;
	rd_log_why = why;
	err = rd_parse(rd);
	rd_log_why = NULL;
	if (err) {
		if (err == -ENOMEM)
			rd_fail(why, err, "%s: out of memory", name);
		rederive_close(rd);
		return err;
	}
	*out = rd;
	return 0;
}

void rederive_close(struct rederive *rd)
{
	if (!rd)
		return;
	for (int r = 0; r < REDERIVE_NREGIONS; r++)
		free(rd->bytes[r]);
	free(rd->secs);
	free(rd->undefs);
	free(rd->info.secs);
	free(rd->info.symval);
	free(rd);
}

const struct rederive_section *rederive_sections(const struct rederive *rd, uint32_t *n)
{
	*n = rd->nsecs;
	return rd->secs;
}

static const struct mod_layout *rd_layout_of(const struct rederive *rd,
					     enum rederive_region_id region)
{
	return region == REDERIVE_CORE ? &rd->mod.core : &rd->mod.init;
}

struct rederive_shape rederive_shape(const struct rederive *rd, enum rederive_region_id region)
{
	const struct mod_layout *l = rd_layout_of(rd, region);
	struct rederive_shape s = {
		.size = l->size, .text_end = l->text_end, .ro_end = l->ro_end,
		.ro_after_init_end = l->ro_after_init_end,
	};

	return s;
}

const struct rederive_undef *rederive_undefs(const struct rederive *rd, uint32_t *n)
{
	*n = rd->nundefs;
	return rd->undefs;
}

/* The guest's regions: page-aligned, the loader's sizes, no wrap, disjoint. */
static int rd_check_regions(const struct rederive *rd, const struct rederive_layout *l,
			    struct rederive_why *why)
{
	uint64_t end[REDERIVE_NREGIONS];

	for (int r = 0; r < REDERIVE_NREGIONS; r++) {
		uint64_t want = rd_layout_of(rd, (enum rederive_region_id)r)->size;

		if (l->size[r] != want)
			return rd_fail(why, -EINVAL, "%s: guest layout: %s region of 0x%llx bytes, "
				       "the loader lays out 0x%llx", rd->name, region_names[r],
				       (unsigned long long)l->size[r], (unsigned long long)want);
		if (want == 0 && l->va[r] != 0)
			return rd_fail(why, -EINVAL, "%s: guest layout: empty %s region at 0x%llx "
				       "(must be 0)", rd->name, region_names[r],
				       (unsigned long long)l->va[r]);
		if (l->va[r] % MOD_PAGE_SIZE != 0)
			return rd_fail(why, -EINVAL, "%s: guest layout: %s region at 0x%llx is not "
				       "page-aligned", rd->name, region_names[r],
				       (unsigned long long)l->va[r]);
		if (__builtin_add_overflow(l->va[r], l->size[r], &end[r]))
			return rd_fail(why, -EINVAL, "%s: guest layout: %s region at 0x%llx wraps "
				       "around", rd->name, region_names[r],
				       (unsigned long long)l->va[r]);
	}
	if (l->size[REDERIVE_INIT] && l->va[REDERIVE_INIT] < end[REDERIVE_CORE] &&
	    l->va[REDERIVE_CORE] < end[REDERIVE_INIT])
		return rd_fail(why, -EINVAL, "%s: guest layout: init region 0x%llx-0x%llx overlaps "
			       "core region 0x%llx-0x%llx", rd->name,
			       (unsigned long long)l->va[REDERIVE_INIT],
			       (unsigned long long)end[REDERIVE_INIT],
			       (unsigned long long)l->va[REDERIVE_CORE],
			       (unsigned long long)end[REDERIVE_CORE]);
	return 0;
}

/* Reported section k against the loader's k-th: same section, in its region, in order. */
static int rd_check_section(const struct rederive *rd, const struct rederive_layout *l,
			    uint32_t k, uint64_t *prev_end, struct rederive_why *why)
{
	const struct rederive_guest_section *g = &l->secs[k];
	const struct rederive_section *s = &rd->secs[k];
	const uint64_t base = l->va[s->region], rsize = l->size[s->region];
	const char *rn = region_names[s->region];

	if (g->shndx != s->shndx)
		return rd_fail(why, -EINVAL, "%s: guest layout: section %u of the layout is index %u, "
			       "the loader places %s (index %u) there (reordered, missing or extra "
			       "section)", rd->name, k, g->shndx, s->name, s->shndx);
	if (g->size != s->size)
		return rd_fail(why, -EINVAL, "%s: guest layout: section %s: size 0x%llx, the image "
			       "says 0x%llx", rd->name, s->name, (unsigned long long)g->size,
			       (unsigned long long)s->size);
	if (g->va < base || g->va - base > rsize || rsize - (g->va - base) < g->size)
		return rd_fail(why, -EINVAL, "%s: guest layout: section %s at 0x%llx (+0x%llx) is "
			       "outside the %s region 0x%llx-0x%llx", rd->name, s->name,
			       (unsigned long long)g->va, (unsigned long long)g->size, rn,
			       (unsigned long long)base, (unsigned long long)(base + rsize));
	if (g->va < *prev_end)
		return rd_fail(why, -EINVAL, "%s: guest layout: section %s at 0x%llx overlaps the "
			       "section before it (ends at 0x%llx)", rd->name, s->name,
			       (unsigned long long)g->va, (unsigned long long)*prev_end);
	if (g->va - base != s->off)
		return rd_fail(why, -EINVAL, "%s: guest layout: section %s at %s+0x%llx, the loader "
			       "places it at %s+0x%llx", rd->name, s->name, rn,
			       (unsigned long long)(g->va - base), rn, (unsigned long long)s->off);
	if (g->prot != s->prot)
		return rd_fail(why, -EINVAL, "%s: guest layout: section %s: prot %#x, the loader "
			       "gives it %#x", rd->name, s->name, g->prot, s->prot);
	*prev_end = g->va + g->size;
	return 0;
}

static int rd_check_sections(const struct rederive *rd, const struct rederive_layout *l,
			     struct rederive_why *why)
{
	uint64_t prev_end = 0;
	int err;

	if (!l->secs && l->nsecs == 0)
		return 0;
	if (!l->secs || l->nsecs != rd->nsecs)
		return rd_fail(why, -EINVAL, "%s: guest layout: %u sections reported, the image "
			       "has %u allocated sections", rd->name, l->nsecs, rd->nsecs);
	for (uint32_t k = 0; k < rd->nsecs; k++) {
		/* Overlap is checked within a region; regions are disjoint. */
		if (k > 0 && rd->secs[k].region != rd->secs[k - 1].region)
			prev_end = 0;
		err = rd_check_section(rd, l, k, &prev_end, why);
		if (err)
			return err;
	}
	return 0;
}

/* One value per undefined symbol, ascending, nothing else. */
static int rd_check_vals(const struct rederive *rd, const struct rederive_symval *vals,
			 uint32_t nvals, struct rederive_why *why)
{
	if (nvals != rd->nundefs || (nvals && !vals))
		return rd_fail(why, -EINVAL, "%s: %u symbol values reported, the image has %u "
			       "undefined symbols", rd->name, nvals, rd->nundefs);
	for (uint32_t k = 0; k < nvals; k++)
		if (vals[k].index != rd->undefs[k].index)
			return rd_fail(why, -EINVAL, "%s: symbol value %u is for symbol index %u, "
				       "expected index %u (%s)", rd->name, k, vals[k].index,
				       rd->undefs[k].index, rd->undefs[k].name);
	return 0;
}

/* Expected-byte buffers of the regions' sizes (reused between derives). */
static int rd_buffers(struct rederive *rd, const struct rederive_layout *l)
{
	for (int r = 0; r < REDERIVE_NREGIONS; r++) {
		uint64_t size = l->size[r];

		if (size > rd->cap[r]) {
			free(rd->bytes[r]);
			rd->cap[r] = 0;
			rd->bytes[r] = malloc(size);
			if (!rd->bytes[r])
				return -ENOMEM;
			rd->cap[r] = size;
		}
	}
	return 0;
}

/*
 * Zero what mod_place_sections() does not copy: the gaps between sections,
 * bss and the tail of each region, so each byte is written once.
 */
static void rd_zero_gaps(struct rederive *rd)
{
	uint64_t cursor[REDERIVE_NREGIONS] = { 0 };

	for (uint32_t k = 0; k < rd->nsecs; k++) {
		const struct rederive_section *s = &rd->secs[k];
		uint8_t *b = rd->bytes[s->region];
		uint64_t *c = &cursor[s->region];

		if (s->off > *c)
			memset(b + *c, 0, s->off - *c);
		if (s->nobits && s->size)
			memset(b + s->off, 0, s->size);
		if (s->off + s->size > *c)
			*c = s->off + s->size;
	}
	for (int r = 0; r < REDERIVE_NREGIONS; r++) {
		uint64_t size = rd_layout_of(rd, (enum rederive_region_id)r)->size;

		if (size > cursor[r])
			memset(rd->bytes[r] + cursor[r], 0, size - cursor[r]);
	}
}

/* The loader's undefined-symbol hook: the guest's value, vetted by the caller. */
static int rd_undef(struct load_info *info, uint32_t i, uint64_t *val)
{
	struct rederive *rd = (struct rederive *)((char *)info - offsetof(struct rederive, info));
	const struct rederive_symval *v = &rd->vals[rd->next_val];
	const struct rederive_undef *u = &rd->undefs[rd->next_val];
	int err;

	/* rd_check_vals() proved vals line up with the undefined symbols. */
	rd->next_val++;
	if (u->index != i)
		return rd_fail(rd->why, -EINVAL, "%s: symbol %u is not the next undefined symbol",
			       rd->name, i);
	if (rd->vet) {
		err = rd->vet(rd->vet_ctx, u->name, v->value, u->weak, rd->why);
		if (err)
			return err;
	}
	*val = v->value;
	return 0;
}

/* Copy, resolve, relocate: the loader's steps 6-8 at the checked layout. */
static int rd_place_and_relocate(struct rederive *rd, const struct rederive_layout *l)
{
	struct mod_region *core = &rd->mod.core.mem, *init = &rd->mod.init.mem;

	*core = (struct mod_region){ .buf = rd->bytes[REDERIVE_CORE],
				     .va = l->va[REDERIVE_CORE], .size = l->size[REDERIVE_CORE] };
	*init = (struct mod_region){ .va = l->va[REDERIVE_INIT], .size = l->size[REDERIVE_INIT] };
	if (init->size)
		init->buf = rd->bytes[REDERIVE_INIT];
	rd_zero_gaps(rd);
	mod_place_sections(&rd->info);
	rd->next_val = 0;
	int err = mod_symbol_values(&rd->info, rd_undef);

	return err ? err : mod_apply_relocations(&rd->info);
}

int rederive_derive(struct rederive *rd, const struct rederive_layout *layout,
		    const struct rederive_symval *vals, uint32_t nvals,
		    rederive_vet_fn vet, void *ctx, struct rederive_why *why)
{
	int err;

	if (why)
		why->msg[0] = '\0';
	rd->derived = false;
	err = rd_check_regions(rd, layout, why);
	if (!err)
		err = rd_check_sections(rd, layout, why);
	if (!err)
		err = rd_check_vals(rd, vals, nvals, why);
	if (err)
		return err;
	if (rd_buffers(rd, layout) != 0)
		return rd_fail(why, -ENOMEM, "%s: out of memory for 0x%llx bytes", rd->name,
			       (unsigned long long)(layout->size[0] + layout->size[1]));
	rd->vals = vals;
	rd->vet = vet;
	rd->vet_ctx = ctx;
	rd->why = why;
	rd_log_why = why;
	err = rd_place_and_relocate(rd, layout);
	rd_log_why = NULL;
	rd->vals = NULL;
	rd->why = NULL;
	if (err)
		return err;
	rd->derived = true;
	return 0;
}

const uint8_t *rederive_bytes(const struct rederive *rd, enum rederive_region_id region)
{
	if (!rd->derived || region >= REDERIVE_NREGIONS ||
	    rd_layout_of(rd, region)->size == 0)
		return NULL;
	return rd->bytes[region];
}

/* The width in bytes of the field a relocation type writes (0: none). */
static unsigned rd_reloc_width(uint32_t type)
{
	switch (type) {
	case R_X86_64_64:
	case R_X86_64_PC64:
		return 8;
	case R_X86_64_PC32:
	case R_X86_64_PLT32:
	case R_X86_64_32:
	case R_X86_64_32S:
		return 4;
	}
	return 0;
}

/* The relocation whose field covers byte off of section shndx, if any. */
static void rd_find_reloc(const struct rederive *rd, uint32_t shndx, uint64_t off,
			  struct rederive_mismatch *m)
{
	const struct load_info *info = &rd->info;

	for (uint32_t i = 1; i < info->shnum; i++) {
		const Elf64_Shdr *rs = &info->sechdrs[i];
		const Elf64_Rela *rel = (const Elf64_Rela *)(info->image + rs->sh_offset);

		if (rs->sh_type != SHT_RELA || rs->sh_info != shndx)
			continue;
		for (uint64_t j = 0; j < rs->sh_size / sizeof(*rel); j++) {
			uint32_t type = (uint32_t)ELF64_R_TYPE(rel[j].r_info);
			uint64_t sym = ELF64_R_SYM(rel[j].r_info);

			if (off < rel[j].r_offset || off - rel[j].r_offset >= rd_reloc_width(type))
				continue;
			m->has_reloc = true;
			m->reloc_type = type;
			m->reloc_off = rel[j].r_offset;
			m->reloc_sym = (uint32_t)sym;
			m->reloc_addend = rel[j].r_addend;
			m->reloc_sym_name = sym < info->nsyms ?
					    info->strtab + info->syms[sym].st_name : "?";
			/* A section symbol is named by its section. */
			if (sym < info->nsyms && !m->reloc_sym_name[0] &&
			    info->syms[sym].st_shndx < info->shnum)
				m->reloc_sym_name = mod_secname(info, info->syms[sym].st_shndx);
			return;
		}
	}
}

/* Fill m for the first differing byte at region offset off. */
static void rd_explain(const struct rederive *rd, enum rederive_region_id region, uint64_t off,
		       uint8_t found, struct rederive_mismatch *m)
{
	memset(m, 0, sizeof(*m));
	m->region = region;
	m->region_off = off;
	m->expected = rd->bytes[region][off];
	m->found = found;
	m->section = "(padding)";
	m->sec_off = off;
	for (uint32_t k = 0; k < rd->nsecs; k++) {
		const struct rederive_section *s = &rd->secs[k];

		if (s->region != region || off < s->off || off - s->off >= s->size)
			continue;
		m->shndx = s->shndx;
		m->section = s->name;
		m->sec_off = off - s->off;
		rd_find_reloc(rd, s->shndx, m->sec_off, m);
		return;
	}
}

int rederive_compare(const struct rederive *rd, enum rederive_region_id region, uint64_t off,
		     const void *guest, uint64_t len, struct rederive_mismatch *m)
{
	const uint8_t *want, *got = guest;
	uint64_t size;

	if (!rd->derived || region >= REDERIVE_NREGIONS)
		return -ERANGE;
	size = rd_layout_of(rd, region)->size;
	if (off > size || size - off < len)
		return -ERANGE;
	want = rd->bytes[region] + off;
	if (len == 0 || memcmp(want, got, len) == 0)
		return 0;
	for (uint64_t i = 0; i < len; i++) {
		if (want[i] != got[i]) {
			rd_explain(rd, region, off + i, got[i], m);
			return -EBADMSG;
		}
	}
	return 0;
}

static const char *rd_reloc_name(uint32_t type)
{
	switch (type) {
	case R_X86_64_NONE: return "R_X86_64_NONE";
	case R_X86_64_64: return "R_X86_64_64";
	case R_X86_64_PC32: return "R_X86_64_PC32";
	case R_X86_64_PLT32: return "R_X86_64_PLT32";
	case R_X86_64_32: return "R_X86_64_32";
	case R_X86_64_32S: return "R_X86_64_32S";
	case R_X86_64_PC64: return "R_X86_64_PC64";
	}
	return "R_X86_64_?";
}

void rederive_mismatch_format(const struct rederive_mismatch *m, char *buf, size_t n)
{
	int used = snprintf(buf, n, "%s section %s offset 0x%llx: expected 0x%02x found 0x%02x",
			    m->region < REDERIVE_NREGIONS ? region_names[m->region] : "?",
			    m->section, (unsigned long long)m->sec_off, m->expected, m->found);

	if (m->has_reloc && used >= 0 && (size_t)used < n)
		snprintf(buf + used, n - (size_t)used, ", in relocation %s at %s+0x%llx against "
			 "%s%+lld", rd_reloc_name(m->reloc_type), m->section,
			 (unsigned long long)m->reloc_off, m->reloc_sym_name,
			 (long long)m->reloc_addend);
}

/* A NUL-terminated string at va inside the derived core region, or NULL. */
static const char *rd_core_str(const struct rederive *rd, uint64_t va)
{
	const struct mod_region *r = &rd->mod.core.mem;
	uint64_t off = va - r->va;

	if (va < r->va || off >= r->size || !memchr(r->buf + off, '\0', r->size - off))
		return NULL;
	return (const char *)r->buf + off;
}

/* Walk one export table (a loaded section of struct mv_kernel_symbol). */
static int rd_export_table(const struct rederive *rd, uint32_t idx, bool gpl,
			   int (*fn)(void *ctx, const struct rederive_export *e), void *ctx)
{
	const struct mod_sec *s = &rd->info.secs[idx];
	uint64_t size = rd->info.sechdrs[idx].sh_size;
	struct mv_kernel_symbol ks;
	struct rederive_export e = { .gpl_only = gpl };
	int err;

	if (!idx)
		return 0;
	if (s->where != MOD_WHERE_CORE || size % sizeof(ks) != 0)
		return -ENOEXEC;
	for (uint64_t off = 0; off < size; off += sizeof(ks)) {
		memcpy(&ks, s->buf + off, sizeof(ks));
		e.name = rd_core_str(rd, ks.name);
		if (!e.name)
			return -ENOEXEC;
		e.value = ks.value;
		e.crc = ks.crc;
		err = fn(ctx, &e);
		if (err)
			return err;
	}
	return 0;
}

int rederive_exports(const struct rederive *rd,
		     int (*fn)(void *ctx, const struct rederive_export *e), void *ctx)
{
	int err;

	if (!rd->derived)
		return -ENOEXEC;
	err = rd_export_table(rd, rd->info.index.ksymtab, false, fn, ctx);
	return err ? err : rd_export_table(rd, rd->info.index.ksymtab_gpl, true, fn, ctx);
}
