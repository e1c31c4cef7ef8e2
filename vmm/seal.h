/* seal.h: sealed modules: the checks of a seal request, their read-only pages, their exports. */
#ifndef MODVISOR_VMM_SEAL_H
#define MODVISOR_VMM_SEAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <modvisor/abi/hypercall.h>
#include "authority/measure.h"
#include "memslot.h"

/* One export of a sealed module, remembered to vet later modules' imports. */
struct seal_export {
	char *name;
	uint64_t value;
};

/* A section of a sealed module, for naming what a write hit. */
struct seal_section {
	uint64_t gpa, size;
	uint32_t perms;                 /* MV_SEAL_* */
	char name[48];
};

/* A module the host sealed (MV_HC_MODULE_SEAL), until it is unsealed. */
struct seal_mod {
	uint32_t load_id;
	char name[56];
	struct mv_seal_region core, init;
	struct seal_section *secs;
	uint32_t nsecs;
	struct seal_export *exports;
	uint32_t nexports;
	bool init_sealed;               /* the init region's text+rodata are read-only */
	bool rai_sealed;                /* ro_after_init is read-only (after init) */
	struct measurement text;        /* digest of core text+rodata */
};

/* Every sealed module of a VM, and the module region they must lie in. */
struct seals {
	uint64_t region_gpa, region_len;        /* MV_MEM_MODULES */
	uint64_t kernel_end;    /* one past the kernel image (GPA): no module VA may lie in
				 * [MV_KERNEL_VBASE, MV_KERNEL_VBASE + kernel_end) */
	struct seal_mod *mods;
	uint32_t n;
};

/*
 * seal_check_regions(s, req, why, n): the core and init regions of req:
 * page-aligned, parts in order, inside the module region, apart from each
 * other and from every module sealed now, both in guest-physical and in
 * virtual addresses (a sealed init region counts until it is given back),
 * and their virtual ranges apart from the kernel image's.  0, or -EINVAL
 * with why.
 */
int seal_check_regions(const struct seals *s, const struct mv_hc_module_seal *req,
		       char *why, size_t n);

/*
 * seal_check_sections(req, secs, why, n): each section lies inside the
 * region its va is in, at the matching guest-physical address.  0 or
 * -EINVAL with why.
 */
int seal_check_sections(const struct mv_hc_module_seal *req,
			const struct mv_seal_section *secs, char *why, size_t n);

/*
 * seal_lock(ms, m, why, n): make m's text and rodata read-only (core and,
 * if any, init).  0; or -ENOMEM with why when KVM's memslots ran out or a
 * slot change failed: then nothing of m is read-only.
 */
int seal_lock(struct memslots *ms, struct seal_mod *m, char *why, size_t n);

/*
 * seal_after_init(ms, m, why, n): init returned: ro_after_init becomes
 * read-only and the init region writable again (the guest frees it).
 * 0 or -errno with why.
 */
int seal_after_init(struct memslots *ms, struct seal_mod *m, char *why, size_t n);

/*
 * seal_unlock(ms, m, why, n): every page of m writable again (m is still
 * listed; seal_remove() forgets it).  0 or -errno with why.
 */
int seal_unlock(struct memslots *ms, struct seal_mod *m, char *why, size_t n);

/* seal_add(s, m): list m (moved in: s owns its arrays).  0 or -ENOMEM. */
int seal_add(struct seals *s, struct seal_mod *m);

/* seal_find(s, load_id): the sealed module of load_id, or NULL. */
struct seal_mod *seal_find(struct seals *s, uint32_t load_id);

/* seal_remove(s, load_id): forget load_id's module, freeing its arrays. */
void seal_remove(struct seals *s, uint32_t load_id);

/*
 * seal_check_exports(s, m, kernel_exports, ctx, why, n): none of m's
 * exports is exported already, by the booted kernel (kernel_exports(ctx,
 * name) is true; kernel_exports may be NULL) or by a sealed module, as
 * Linux's verify_exported_symbols() refuses.  0, or -ENOEXEC with why
 * naming the symbol and its owner.
 */
int seal_check_exports(const struct seals *s, const struct seal_mod *m,
		       bool (*kernel_exports)(void *ctx, const char *name), void *ctx,
		       char *why, size_t n);

/*
 * seal_export_value(s, name, value): 0 with *value when a sealed module
 * exports name (at most one does: seal_check_exports()); -ENOENT otherwise.
 */
int seal_export_value(const struct seals *s, const char *name, uint64_t *value);

/*
 * seal_describe(s, gpa, out, n): "module hello .text+0x10 (load_id 3)" when
 * gpa is in a sealed module's pages; false otherwise.
 */
bool seal_describe(const struct seals *s, uint64_t gpa, char *out, size_t n);

/* seal_mod_free(m): free m's arrays. */
void seal_mod_free(struct seal_mod *m);

/* seals_free(s): forget every module. */
void seals_free(struct seals *s);

#endif
