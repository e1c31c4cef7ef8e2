/* hc_seal.c: MV_HC_MODULE_SEAL and MV_HC_MODULE_UNSEAL: the host checks a relocated module and locks its text. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "authority/authority.h"
#include "authority/rederive.h"
#include "guest_pt.h"
#include "hypercall.h"
#include "integrity.h"

HYPERCALL_DEFINE(MV_HC_MODULE_SEAL, struct mv_hc_module_seal, hc_module_seal);
HYPERCALL_DEFINE(MV_HC_MODULE_UNSEAL, struct mv_hc_module_unseal, hc_module_unseal);

/* One seal request on its way through the checks. */
struct hc_seal {
	struct mv_hc_module_seal *a;
	struct mv_seal_section *secs;   /* host copies of the guest's arrays */
	struct mv_seal_sym *syms;
	struct integrity_image *img;    /* the host's copy of the image */
	struct seal_mod m;              /* what a success lists */
	char why[320];
};

/* A seal or unseal for a load id in the wrong state: logged, and the VM stops. */
static int hc_seal_misfit(struct vm *vm, const char *hc, uint32_t load_id, uint32_t ev,
			  const char *what)
{
	char why[256];

	snprintf(why, sizeof(why), "%s for load_id %u, which is %s (%s)", mlog_event_name(ev),
		 load_id, load_state_name(load_states_get(&vm->auth->states, load_id)), what);
	return hc_module_refuse_id(vm, hc, load_id, ev, "", why);
}

/* Copy nmemb * size bytes at guest-physical gpa into *out (malloc'd). */
static int hc_seal_copy(struct vm *vm, const char *what, uint64_t gpa, uint32_t nmemb,
			size_t size, void **out)
{
	uint64_t len = (uint64_t)nmemb * size;
	const void *p = mem_gpa(&vm->mem, gpa, len);

	if (!p)
		return hc_bad_gpa(vm, what, gpa, len);
	*out = malloc(len ? len : 1);
	if (!*out)
		return vm_fail(vm, MV_EXIT_SETUP, "%s: cannot allocate %llu bytes", what,
			       (unsigned long long)len);
	memcpy(*out, p, len);
	return HC_CONTINUE;
}

/* The refusal: logged, and the guest fails the load with err. */
static int hc_seal_deny(struct vm *vm, struct hc_seal *s, int err)
{
	struct mlog_seal e = { .type = "seal", .load_id = s->a->load_id,
			       .name = s->img ? s->img->name : "", .part = "text+rodata",
			       .err = err, .why = s->why };
	int ret = integrity_log_seal(vm, &e);

	snprintf(s->a->reason, sizeof(s->a->reason), "%.*s", (int)sizeof(s->a->reason) - 1, s->why);
	s->a->hdr.ret = -err;
	return ret;
}

/* The sections as the host will name them in a violation's diagnostic. */
static int hc_seal_sections(struct hc_seal *s)
{
	s->m.secs = calloc(s->a->nsections ? s->a->nsections : 1, sizeof(*s->m.secs));
	if (!s->m.secs)
		return snprintf(s->why, sizeof(s->why), "out of memory"), ENOMEM;
	for (uint32_t k = 0; k < s->a->nsections; k++) {
		struct seal_section *x = &s->m.secs[s->m.nsecs++];

		x->gpa = s->secs[k].gpa;
		x->size = s->secs[k].size;
		x->perms = s->secs[k].perms;
		snprintf(x->name, sizeof(x->name), "section %u", s->secs[k].shndx);
	}
	return 0;
}

/*
 * The guest's page tables, walked from the vCPU's CR3 now, must map every
 * page of both regions to the GPA the guest names for it: else the host
 * would check and lock pages the module does not run from.  A point-in-time
 * check: the page tables stay the guest's to change (docs/security.md).
 * 0, a positive errno with s->why, or -1 when the VM stopped.
 */
static int hc_seal_mapped(struct vm *vm, struct hc_seal *s)
{
	const struct mv_seal_region *g[2] = { &s->a->core, &s->a->init };
	struct guest_pt_regs r;
	int ret = guest_pt_regs_read(vm->vcpu[0].fd, &r);

	if (ret < 0)
		return vm_fail(vm, MV_EXIT_SETUP, "MV_HC_MODULE_SEAL: KVM_GET_SREGS: %s",
			       strerror(-ret)), -1;
	for (int k = 0; k < 2 && !ret; k++)
		ret = -guest_pt_check_range(&vm->mem, &r, g[k]->va, g[k]->gpa, g[k]->size,
					    s->why, sizeof(s->why));
	return ret;
}

/*
 * Everything the host checks before it seals: the request's shape, the
 * regions and sections against the module region, the sealed modules and
 * the kernel, and the guest's mapping of the regions.  0, a positive
 * errno with s->why, or -1 when the VM stopped.
 */
static int hc_seal_check(struct vm *vm, struct hc_seal *s)
{
	const struct mv_hc_module_seal *a = s->a;
	int ret;

	if (a->flags)
		return snprintf(s->why, sizeof(s->why), "flags 0x%x: must be 0", a->flags), EINVAL;
	if (!s->img)
		return snprintf(s->why, sizeof(s->why), "the host kept no copy of this image "
				"(out of memory at its verdict)"), ENOMEM;
	ret = seal_check_regions(&vm->integ->seals, a, s->why, sizeof(s->why));
	if (!ret)
		ret = seal_check_sections(a, s->secs, s->why, sizeof(s->why));
	if (ret)
		return -ret;
	ret = hc_seal_mapped(vm, s);
	return ret ? ret : hc_seal_sections(s);
}

/*
 * The vet callback of rederive_derive(): a symbol's value must be where the
 * kernel the host booted exports it, or where a module sealed earlier
 * exports it; a weak symbol nobody exports may be 0.  0 or -EACCES.
 */
static int hc_seal_vet(void *ctx, const char *name, uint64_t value, bool weak,
		       struct rederive_why *why)
{
	struct vm *vm = ctx;
	uint64_t want;
	const char *who = "the kernel";

	if (kernel_syms_value(&vm->auth->kernel, name, &want) < 0) {
		who = "a sealed module";
		if (seal_export_value(&vm->integ->seals, name, &want) < 0) {
			if (weak && value == 0)
				return 0;
			snprintf(why->msg, sizeof(why->msg), "symbol %s = 0x%llx: neither the kernel "
				 "nor a sealed module exports it", name, (unsigned long long)value);
			return -EACCES;
		}
	}
	if (value == want)
		return 0;
	snprintf(why->msg, sizeof(why->msg), "symbol %s = 0x%llx: %s exports it at 0x%llx", name,
		 (unsigned long long)value, who, (unsigned long long)want);
	return -EACCES;
}

/* Does the kernel the host booted export name?  (seal_check_exports()) */
static bool hc_seal_kernel_exports(void *ctx, const char *name)
{
	struct vm *vm = ctx;
	uint64_t v;

	return kernel_syms_value(&vm->auth->kernel, name, &v) == 0;
}

/*
 * The module's exports (read by the host from its own copy) must be new:
 * neither the kernel nor a sealed module exports one of them already, so
 * hc_seal_vet() has one answer for every name.  0 or ENOEXEC with s->why.
 */
static int hc_seal_exports(struct vm *vm, struct hc_seal *s)
{
	return -seal_check_exports(&vm->integ->seals, &s->m, hc_seal_kernel_exports, vm, s->why,
				   sizeof(s->why));
}

/* The guest's layout, sections and symbol values as rederive takes them. */
static int hc_seal_layout(struct hc_seal *s, struct rederive_layout *l,
			  struct rederive_guest_section **gs, struct rederive_symval **vals)
{
	const struct mv_hc_module_seal *a = s->a;

	*gs = calloc(a->nsections ? a->nsections : 1, sizeof(**gs));
	*vals = calloc(a->nsyms ? a->nsyms : 1, sizeof(**vals));
	if (!*gs || !*vals)
		return snprintf(s->why, sizeof(s->why), "out of memory"), ENOMEM;
	for (uint32_t k = 0; k < a->nsections; k++)
		(*gs)[k] = (struct rederive_guest_section){ .shndx = s->secs[k].shndx,
			.prot = s->secs[k].perms & (MV_SEAL_R | MV_SEAL_W | MV_SEAL_X),
			.va = s->secs[k].va, .size = s->secs[k].size };
	for (uint32_t k = 0; k < a->nsyms; k++)
		(*vals)[k] = (struct rederive_symval){ .index = s->syms[k].symndx,
						       .value = s->syms[k].value };
	*l = (struct rederive_layout){ .va = { a->core.va, a->init.va },
				       .size = { a->core.size, a->init.size },
				       .secs = *gs, .nsecs = a->nsections };
	return 0;
}

/* The regions' parts as the guest reports them must be the loader's. */
static int hc_seal_shape(const struct rederive *rd, struct hc_seal *s)
{
	const struct mv_seal_region *g[2] = { &s->a->core, &s->a->init };

	for (int r = 0; r < 2; r++) {
		struct rederive_shape h = rederive_shape(rd, (enum rederive_region_id)r);

		if (g[r]->size != h.size || (h.size && (g[r]->text_end != h.text_end ||
		    g[r]->ro_end != h.ro_end || g[r]->ro_after_init_end != h.ro_after_init_end)))
			return snprintf(s->why, sizeof(s->why), "%s region: size, text, rodata and "
					"ro_after_init ends 0x%llx 0x%llx 0x%llx 0x%llx, the loader's "
					"are 0x%llx 0x%llx 0x%llx 0x%llx", r ? "init" : "core",
					(unsigned long long)g[r]->size,
					(unsigned long long)g[r]->text_end,
					(unsigned long long)g[r]->ro_end,
					(unsigned long long)g[r]->ro_after_init_end,
					(unsigned long long)h.size, (unsigned long long)h.text_end,
					(unsigned long long)h.ro_end,
					(unsigned long long)h.ro_after_init_end), EINVAL;
	}
	return 0;
}

/* Guest memory of both regions, byte for byte, against the expected bytes. */
static int hc_seal_compare(struct vm *vm, const struct rederive *rd, struct hc_seal *s)
{
	const struct mv_seal_region *g[2] = { &s->a->core, &s->a->init };
	struct rederive_mismatch mm;
	char line[256];

	for (int r = 0; r < 2; r++) {
		const void *p;
		int ret;

		if (!g[r]->size)
			continue;
		p = mem_gpa(&vm->mem, g[r]->gpa, g[r]->size);   /* inside the module region */
		ret = p ? rederive_compare(rd, (enum rederive_region_id)r, 0, p, g[r]->size, &mm) :
		      -ERANGE;
		if (ret == 0)
			continue;
		if (ret != -EBADMSG)
			return snprintf(s->why, sizeof(s->why), "%s region: cannot compare it",
					r ? "init" : "core"), EINVAL;
		rederive_mismatch_format(&mm, line, sizeof(line));
		return snprintf(s->why, sizeof(s->why), "bytes differ from the host's "
				"re-derivation: %s", line), EACCES;
	}
	return 0;
}

/* Section names and exports of the module, from the host's own reading. */
static int hc_seal_remember_export(void *ctx, const struct rederive_export *e)
{
	struct seal_mod *m = ctx;
	struct seal_export *p = realloc(m->exports, (m->nexports + 1) * sizeof(*p));

	if (!p)
		return -ENOMEM;
	m->exports = p;
	p[m->nexports].value = e->value;
	p[m->nexports].name = strdup(e->name);
	if (!p[m->nexports].name)
		return -ENOMEM;
	m->nexports++;
	return 0;
}

static int hc_seal_names(const struct rederive *rd, struct hc_seal *s)
{
	uint32_t n;
	const struct rederive_section *rs = rederive_sections(rd, &n);

	for (uint32_t k = 0; k < s->m.nsecs && k < n; k++)
		snprintf(s->m.secs[k].name, sizeof(s->m.secs[k].name), "%s", rs[k].name);
	if (rederive_exports(rd, hc_seal_remember_export, &s->m) != 0)
		return snprintf(s->why, sizeof(s->why), "cannot read the module's exports"), ENOEXEC;
	return 0;
}

/* A negative errno of rederive as the seal's positive one, why from w. */
static int hc_seal_rd_err(struct hc_seal *s, int ret, const struct rederive_why *w)
{
	snprintf(s->why, sizeof(s->why), "%s", w->msg[0] ? w->msg : strerror(-ret));
	return ret == -EINVAL || ret == -EACCES || ret == -ENOMEM ? -ret : ENOEXEC;
}

/*
 * Re-derive the expected bytes from the host's own copy of the image at
 * the guest's layout, vetting every symbol value, then compare guest
 * memory with them.  0 or a positive errno with s->why.
 */
static int hc_seal_rederive(struct vm *vm, struct hc_seal *s)
{
	struct rederive_guest_section *gs = NULL;
	struct rederive_symval *vals = NULL;
	struct rederive_why w = { { 0 } };
	struct rederive_layout l;
	struct rederive *rd = NULL;
	int ret;

	ret = rederive_open_flags(s->img->image, s->img->len, s->img->flags,
				  s->img->name[0] ? s->img->name : "module", &rd, &w);
	if (ret < 0)
		return hc_seal_rd_err(s, ret, &w);
	ret = hc_seal_shape(rd, s);
	if (!ret)
		ret = hc_seal_layout(s, &l, &gs, &vals);
	if (!ret) {
		ret = rederive_derive(rd, &l, vals, s->a->nsyms, hc_seal_vet, vm, &w);
		ret = ret < 0 ? hc_seal_rd_err(s, ret, &w) : 0;
	}
	if (!ret)
		ret = hc_seal_compare(vm, rd, s);
	if (!ret)
		ret = hc_seal_names(rd, s);
	free(gs);
	free(vals);
	rederive_close(rd);
	return ret;
}

/* The text digest: XXH3-128 and SHA-256 of core text+rodata in guest memory. */
static int hc_seal_digest(struct vm *vm, struct hc_seal *s)
{
	const void *p = mem_gpa(&vm->mem, s->a->core.gpa, s->a->core.ro_end);

	if (!p || measure_buf(p, s->a->core.ro_end, MEASURE_DEFAULT_SET, &s->m.text) < 0)
		return snprintf(s->why, sizeof(s->why), "cannot digest the text"), ENOMEM;
	return 0;
}

/* Checked and compared: lock the pages, list the module, move the state, log. */
static int hc_seal_commit(struct vm *vm, struct hc_seal *s)
{
	struct integrity *in = vm->integ;
	struct mlog_seal e = { .type = "seal", .load_id = s->a->load_id, .part = "text+rodata",
			       .gpa = s->a->core.gpa, .len = s->a->core.ro_end,
			       .text_size = s->a->core.ro_end };
	const struct seal_mod *m;
	char why[256];

	if (seal_lock(&vm->slots, &s->m, s->why, sizeof(s->why)) < 0)
		return ENOMEM;
	if (seal_add(&in->seals, &s->m) < 0) {
		seal_unlock(&vm->slots, &s->m, why, sizeof(why));
		return snprintf(s->why, sizeof(s->why), "out of memory"), ENOMEM;
	}
	memset(&s->m, 0, sizeof(s->m));         /* moved into the list */
	m = seal_find(&in->seals, s->a->load_id);
	authority_event_step(vm->auth, s->a->load_id, LOAD_EV_SEAL, why, sizeof(why));
	snprintf(why, sizeof(why), "%u sections re-derived and equal, %u symbols vetted; text "
		 "and rodata read-only", s->a->nsections, s->a->nsyms);
	e.name = m->name;
	e.text = &m->text;
	e.why = why;
	integrity_drop_image(in, s->a->load_id);
	s->img = NULL;
	s->a->hdr.ret = 0;
	return -integrity_log_seal(vm, &e);
}

/* The arrays, the checks, the digest, then the commit; a positive errno denies. */
static int hc_seal_run(struct vm *vm, struct hc_seal *s)
{
	struct mv_hc_module_seal *a = s->a;
	int ret;

	if (a->nsections > MV_SEAL_MAX_SECTIONS || a->nsyms > MV_SEAL_MAX_SYMS)
		return snprintf(s->why, sizeof(s->why), "%u sections and %u symbols: the limits are "
				"%u and %u", a->nsections, a->nsyms, MV_SEAL_MAX_SECTIONS,
				MV_SEAL_MAX_SYMS), EINVAL;
	ret = hc_seal_copy(vm, "MV_HC_MODULE_SEAL: sections", a->sections, a->nsections,
			   sizeof(*s->secs), (void **)&s->secs);
	if (ret == HC_CONTINUE)
		ret = hc_seal_copy(vm, "MV_HC_MODULE_SEAL: syms", a->syms, a->nsyms,
				   sizeof(*s->syms), (void **)&s->syms);
	if (ret != HC_CONTINUE)
		return -1;
	s->m.load_id = a->load_id;
	s->m.core = a->core;
	s->m.init = a->init;
	if (s->img)
		snprintf(s->m.name, sizeof(s->m.name), "%.*s", (int)sizeof(s->m.name) - 1, s->img->name);
	ret = hc_seal_check(vm, s);
	if (!ret)
		ret = hc_seal_rederive(vm, s);
	if (!ret)
		ret = hc_seal_exports(vm, s);
	if (!ret)
		ret = hc_seal_digest(vm, s);
	return ret ? ret : hc_seal_commit(vm, s);
}

static int hc_module_seal(struct vm *vm, struct mv_hc_module_seal *a)
{
	struct hc_seal s = { .a = a };
	int ret;

	a->reason[0] = '\0';
	if (!vm->auth)
		return vm_fail(vm, MV_EXIT_HC_BAD_ARG, "MV_HC_MODULE_SEAL: load_id %u: this VM has "
			       "no module authority, so no load was allowed", a->load_id);
	if (load_states_get(&vm->auth->states, a->load_id) != LOAD_ALLOWED)
		return hc_seal_misfit(vm, "MV_HC_MODULE_SEAL", a->load_id, LOAD_EV_SEAL,
				      "only an allowed load not yet sealed can be sealed");
	if (!vm->integ || !vm->auth->seal_required) {
		snprintf(a->reason, sizeof(a->reason), "protect = off: the host seals nothing");
		a->hdr.ret = -EOPNOTSUPP;
		return HC_CONTINUE;
	}
	s.img = integrity_image(vm->integ, a->load_id);
	ret = hc_seal_run(vm, &s);
	if (ret > 0)
		ret = hc_seal_deny(vm, &s, ret);
	else
		ret = ret < 0 ? HC_STOP : HC_CONTINUE;
	seal_mod_free(&s.m);
	free(s.secs);
	free(s.syms);
	return vm->stopped ? HC_STOP : ret;
}

static int hc_module_unseal(struct vm *vm, struct mv_hc_module_unseal *a)
{
	enum load_state st;
	struct seal_mod *m;
	char why[256];

	if (!vm->auth || !vm->integ)
		return vm_fail(vm, MV_EXIT_HC_BAD_ARG, "MV_HC_MODULE_UNSEAL: load_id %u: this VM "
			       "seals nothing", a->load_id);
	st = load_states_get(&vm->auth->states, a->load_id);
	m = seal_find(&vm->integ->seals, a->load_id);
	if (!m)
		return hc_seal_misfit(vm, "MV_HC_MODULE_UNSEAL", a->load_id, LOAD_EV_UNSEAL,
				      "it is not sealed");
	if (st != LOAD_UNLOADED && st != LOAD_FAILED && st != LOAD_FAULTED)
		return hc_seal_misfit(vm, "MV_HC_MODULE_UNSEAL", a->load_id, LOAD_EV_UNSEAL,
				      "a module is unsealed only once unloaded or failed");
	if (seal_unlock(&vm->slots, m, why, sizeof(why)) < 0)
		return vm_fail(vm, MV_EXIT_SETUP, "cannot unseal module %s (load_id %u): %s",
			       m->name, m->load_id, why);
	struct mlog_seal e = { .type = "unseal", .load_id = a->load_id, .name = m->name,
			       .part = "all", .gpa = m->core.gpa, .len = m->core.size,
			       .why = "its pages are writable again" };
	int ret = integrity_log_seal(vm, &e);
	seal_remove(&vm->integ->seals, a->load_id);
	a->hdr.ret = 0;
	return ret;
}
