/* seal.c: sealed modules: the checks of a seal request, their read-only pages, their exports. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <modvisor/abi/bootinfo.h>
#include "seal.h"

#define SEAL_PAGE 4096u

/* One region: page-aligned, parts in order, inside the module region. */
static int seal_check_region(const struct seals *s, const struct mv_seal_region *r,
			     const char *what, char *why, size_t n)
{
	uint64_t end, vend;

	if ((r->gpa | r->va | r->size | r->text_end | r->ro_end | r->ro_after_init_end) %
	    SEAL_PAGE)
		return snprintf(why, n, "%s region: an address or size is not page-aligned", what),
		       -EINVAL;
	if (r->size == 0 || r->text_end > r->ro_end || r->ro_end > r->ro_after_init_end ||
	    r->ro_after_init_end > r->size)
		return snprintf(why, n, "%s region: size 0x%llx with text, rodata, ro_after_init "
				"ends 0x%llx, 0x%llx, 0x%llx out of order", what,
				(unsigned long long)r->size, (unsigned long long)r->text_end,
				(unsigned long long)r->ro_end,
				(unsigned long long)r->ro_after_init_end), -EINVAL;
	if (__builtin_add_overflow(r->gpa, r->size, &end) ||
	    __builtin_add_overflow(r->va, r->size, &vend) || r->gpa < s->region_gpa ||
	    end > s->region_gpa + s->region_len)
		return snprintf(why, n, "%s region: GPA [0x%llx, +0x%llx) is outside the module "
				"region [0x%llx, 0x%llx)", what, (unsigned long long)r->gpa,
				(unsigned long long)r->size, (unsigned long long)s->region_gpa,
				(unsigned long long)(s->region_gpa + s->region_len)), -EINVAL;
	return 0;
}

/* Do [a, a+alen) and [b, b+blen) overlap?  (Both were checked not to wrap.) */
static bool seal_overlap(uint64_t a, uint64_t alen, uint64_t b, uint64_t blen)
{
	return alen && blen && a < b + blen && b < a + alen;
}

static bool seal_region_absent(const struct mv_seal_region *r)
{
	return !r->gpa && !r->va && !r->size && !r->text_end && !r->ro_end &&
	       !r->ro_after_init_end;
}

/* A range of addresses as a check names it: "core region VA [0x..., +0x...)". */
struct seal_range {
	const char *what;               /* "core region", "the kernel image" */
	const char *space;              /* "GPA" or "VA" */
	uint64_t start, len;
};

/* Ranges a and b must be apart; else -EINVAL with why naming both and owner. */
static int seal_apart(const struct seal_range *a, const struct seal_range *b,
		      const char *owner, char *why, size_t n)
{
	if (!seal_overlap(a->start, a->len, b->start, b->len))
		return 0;
	return snprintf(why, n, "%s %s [0x%llx, +0x%llx) overlaps %s %s [0x%llx, +0x%llx)%s",
			a->what, a->space, (unsigned long long)a->start,
			(unsigned long long)a->len, b->what, b->space,
			(unsigned long long)b->start, (unsigned long long)b->len, owner), -EINVAL;
}

/*
 * The request's regions against sealed module m's core and still-sealed
 * init, in guest-physical and in virtual addresses.
 */
static int seal_apart_from(const struct mv_hc_module_seal *req, const struct seal_mod *m,
			   char *why, size_t n)
{
	const struct mv_seal_region *mine[2] = { &req->core, &req->init };
	const struct mv_seal_region *its[2] = { &m->core, &m->init };
	static const char *const rname[2] = { "core region", "init region" };
	static const char *const oname[2] = { "the core region", "the init region" };
	char owner[96];
	int ret = 0;

	snprintf(owner, sizeof(owner), " of sealed module %s (load_id %u)", m->name, m->load_id);
	for (int r = 0; r < 2 && !ret; r++)
		for (int o = 0; o < 2 && !ret; o++) {
			uint64_t olen = o && !m->init_sealed ? 0 : its[o]->size;
			struct seal_range a = { rname[r], "GPA", mine[r]->gpa, mine[r]->size };
			struct seal_range b = { oname[o], "GPA", its[o]->gpa, olen };

			ret = seal_apart(&a, &b, owner, why, n);
			a.space = b.space = "VA";
			a.start = mine[r]->va;
			b.start = its[o]->va;
			if (!ret)
				ret = seal_apart(&a, &b, owner, why, n);
		}
	return ret;
}

/* The request's virtual ranges against the kernel image's. */
static int seal_apart_from_kernel(const struct seals *s, const struct mv_hc_module_seal *req,
				  char *why, size_t n)
{
	struct seal_range k = { "the kernel image", "VA", MV_KERNEL_VBASE, s->kernel_end };
	struct seal_range c = { "core region", "VA", req->core.va, req->core.size };
	struct seal_range i = { "init region", "VA", req->init.va, req->init.size };
	uint64_t end;
	int ret;

	if (__builtin_add_overflow(k.start, k.len, &end))
		k.len = UINT64_MAX - k.start;   /* a kernel that big covers the rest */
	ret = seal_apart(&c, &k, "", why, n);
	return ret ? ret : seal_apart(&i, &k, "", why, n);
}

int seal_check_regions(const struct seals *s, const struct mv_hc_module_seal *req,
		       char *why, size_t n)
{
	const struct mv_seal_region *c = &req->core, *i = &req->init;
	int ret = seal_check_region(s, c, "core", why, n);

	if (ret == 0 && !seal_region_absent(i))
		ret = seal_check_region(s, i, "init", why, n);
	if (ret)
		return ret;
	if (seal_overlap(c->gpa, c->size, i->gpa, i->size) ||
	    seal_overlap(c->va, c->size, i->va, i->size))
		return snprintf(why, n, "the core and init regions overlap"), -EINVAL;
	ret = seal_apart_from_kernel(s, req, why, n);
	for (uint32_t k = 0; k < s->n && !ret; k++)
		ret = seal_apart_from(req, &s->mods[k], why, n);
	return ret;
}

/* The region (core or init) whose virtual range holds [va, va+size), or NULL. */
static const struct mv_seal_region *seal_region_of(const struct mv_hc_module_seal *req,
						   uint64_t va, uint64_t size)
{
	const struct mv_seal_region *r[2] = { &req->core, &req->init };

	for (int k = 0; k < 2; k++) {
		uint64_t off = va - r[k]->va;

		if (r[k]->size && va >= r[k]->va && off <= r[k]->size && size <= r[k]->size - off)
			return r[k];
	}
	return NULL;
}

int seal_check_sections(const struct mv_hc_module_seal *req,
			const struct mv_seal_section *secs, char *why, size_t n)
{
	for (uint32_t k = 0; k < req->nsections; k++) {
		const struct mv_seal_section *x = &secs[k];
		const struct mv_seal_region *r;

		if (x->size == 0)
			continue;       /* no bytes: re-derivation checks its place */
		r = seal_region_of(req, x->va, x->size);
		if (!r)
			return snprintf(why, n, "section %u (index %u): VA [0x%llx, +0x%llx) lies in "
					"neither region", k, x->shndx, (unsigned long long)x->va,
					(unsigned long long)x->size), -EINVAL;
		if (x->gpa != r->gpa + (x->va - r->va))
			return snprintf(why, n, "section %u (index %u): GPA 0x%llx does not match its "
					"VA 0x%llx in its region", k, x->shndx,
					(unsigned long long)x->gpa, (unsigned long long)x->va),
			       -EINVAL;
	}
	return 0;
}

/* The ranges a seal makes read-only: core and init text+rodata. */
static int seal_ranges(const struct seal_mod *m, uint64_t gpa[2], uint64_t len[2])
{
	int k = 0;

	if (m->core.ro_end) {
		gpa[k] = m->core.gpa;
		len[k++] = m->core.ro_end;
	}
	if (m->init.size && m->init.ro_end) {
		gpa[k] = m->init.gpa;
		len[k++] = m->init.ro_end;
	}
	return k;
}

/* Why memslots_set_ro() failed, in words. */
static void seal_slot_why(const struct memslots *ms, int err, char *why, size_t n)
{
	if (err == -ENOSPC)
		snprintf(why, n, "memslots exhausted: KVM_CAP_NR_MEMSLOTS (%u) reached", ms->max);
	else
		snprintf(why, n, "KVM_SET_USER_MEMORY_REGION failed: %s", strerror(-err));
}

int seal_lock(struct memslots *ms, struct seal_mod *m, char *why, size_t n)
{
	uint64_t gpa[2], len[2];
	int k, nr = seal_ranges(m, gpa, len), ret = 0;

	for (k = 0; k < nr && ret == 0; k++)
		ret = memslots_set_ro(ms, gpa[k], len[k], true);
	if (ret == 0) {
		m->init_sealed = m->init.size != 0;
		return 0;
	}
	seal_slot_why(ms, ret, why, n);
	/* Undo what was done: merging back never needs a new slot. */
	for (k -= 2; k >= 0; k--)
		memslots_set_ro(ms, gpa[k], len[k], false);
	return -ENOMEM;
}

int seal_after_init(struct memslots *ms, struct seal_mod *m, char *why, size_t n)
{
	uint64_t rai = m->core.ro_after_init_end - m->core.ro_end;
	int ret = 0;

	if (rai && !m->rai_sealed)
		ret = memslots_set_ro(ms, m->core.gpa + m->core.ro_end, rai, true);
	if (ret)
		return seal_slot_why(ms, ret, why, n), ret;
	m->rai_sealed = true;
	if (m->init_sealed && m->init.ro_end)
		ret = memslots_set_ro(ms, m->init.gpa, m->init.ro_end, false);
	if (ret)
		return seal_slot_why(ms, ret, why, n), ret;
	m->init_sealed = false;
	return 0;
}

int seal_unlock(struct memslots *ms, struct seal_mod *m, char *why, size_t n)
{
	uint64_t end = m->rai_sealed ? m->core.ro_after_init_end : m->core.ro_end;
	int ret = 0;

	if (end)
		ret = memslots_set_ro(ms, m->core.gpa, end, false);
	if (ret == 0 && m->init_sealed && m->init.ro_end)
		ret = memslots_set_ro(ms, m->init.gpa, m->init.ro_end, false);
	if (ret)
		return seal_slot_why(ms, ret, why, n), ret;
	m->init_sealed = m->rai_sealed = false;
	return 0;
}

int seal_add(struct seals *s, struct seal_mod *m)
{
	struct seal_mod *p = realloc(s->mods, (s->n + 1) * sizeof(*p));

	if (!p)
		return -ENOMEM;
	s->mods = p;
	s->mods[s->n++] = *m;
	return 0;
}

struct seal_mod *seal_find(struct seals *s, uint32_t load_id)
{
	for (uint32_t k = 0; k < s->n; k++)
		if (s->mods[k].load_id == load_id)
			return &s->mods[k];
	return NULL;
}

void seal_remove(struct seals *s, uint32_t load_id)
{
	struct seal_mod *m = seal_find(s, load_id);

	if (!m)
		return;
	seal_mod_free(m);
	*m = s->mods[--s->n];
}

/* The sealed module that exports name, with *value; NULL when none does. */
static const struct seal_mod *seal_export_owner(const struct seals *s, const char *name,
						uint64_t *value)
{
	for (uint32_t k = 0; k < s->n; k++)
		for (uint32_t e = 0; e < s->mods[k].nexports; e++)
			if (strcmp(s->mods[k].exports[e].name, name) == 0) {
				*value = s->mods[k].exports[e].value;
				return &s->mods[k];
			}
	return NULL;
}

int seal_check_exports(const struct seals *s, const struct seal_mod *m,
		       bool (*kernel_exports)(void *ctx, const char *name), void *ctx,
		       char *why, size_t n)
{
	for (uint32_t e = 0; e < m->nexports; e++) {
		const char *name = m->exports[e].name;
		const struct seal_mod *o;
		uint64_t v;

		if (kernel_exports && kernel_exports(ctx, name))
			return snprintf(why, n, "exports duplicate symbol %s (owned by kernel)", name),
			       -ENOEXEC;
		o = seal_export_owner(s, name, &v);
		if (o)
			return snprintf(why, n, "exports duplicate symbol %s (owned by %s, load_id "
					"%u)", name, o->name, o->load_id), -ENOEXEC;
	}
	return 0;
}

int seal_export_value(const struct seals *s, const char *name, uint64_t *value)
{
	return seal_export_owner(s, name, value) ? 0 : -ENOENT;
}

/* "hello .text+0x10" for gpa in one of m's regions r. */
static void seal_name_in(const struct seal_mod *m, const struct mv_seal_region *r,
			 const char *rname, uint64_t gpa, char *out, size_t n)
{
	for (uint32_t k = 0; k < m->nsecs; k++) {
		const struct seal_section *x = &m->secs[k];

		if (gpa - x->gpa < x->size) {
			snprintf(out, n, "module %s %s+0x%llx (load_id %u)", m->name, x->name,
				 (unsigned long long)(gpa - x->gpa), m->load_id);
			return;
		}
	}
	snprintf(out, n, "module %s %s region+0x%llx, between sections (load_id %u)", m->name,
		 rname, (unsigned long long)(gpa - r->gpa), m->load_id);
}

bool seal_describe(const struct seals *s, uint64_t gpa, char *out, size_t n)
{
	for (uint32_t k = 0; k < s->n; k++) {
		const struct seal_mod *m = &s->mods[k];

		if (gpa - m->core.gpa < m->core.size) {
			seal_name_in(m, &m->core, "core", gpa, out, n);
			return true;
		}
		if (m->init.size && gpa - m->init.gpa < m->init.size) {
			seal_name_in(m, &m->init, "init", gpa, out, n);
			return true;
		}
	}
	return false;
}

void seal_mod_free(struct seal_mod *m)
{
	for (uint32_t e = 0; e < m->nexports; e++)
		free(m->exports[e].name);
	free(m->exports);
	free(m->secs);
	m->exports = NULL;
	m->secs = NULL;
	m->nexports = m->nsecs = 0;
}

void seals_free(struct seals *s)
{
	for (uint32_t k = 0; k < s->n; k++)
		seal_mod_free(&s->mods[k]);
	free(s->mods);
	s->mods = NULL;
	s->n = 0;
}
