/* integrity.c: guest kernel text and rodata read-only at the hypervisor; a write to them is a violation. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include "authority/authority.h"
#include "authority/rederive.h"
#include "boot.h"
#include "hypercall.h"
#include "integrity.h"
#include "kvm.h"
#include "vm.h"
#include "modvisor/abi/bootinfo.h"

/* The kernel's symbols for diagnostics; without them addresses stay numbers. */
static void integrity_read_symbols(struct integrity *in, const char *kernel)
{
	uint8_t *buf;
	size_t len;

	if (read_whole_file(kernel, &buf, &len) == 0) {
		if (ksyms_read(buf, len, &in->ksyms) < 0)
			memset(&in->ksyms, 0, sizeof(in->ksyms));
		free(buf);
	}
}

/* Make every read-only kernel range a KVM_MEM_READONLY slot. */
static int integrity_lock_kernel(struct vm *vm, struct integrity *in, const struct kernel_info *ki)
{
	for (int i = 0; i < ki->nro; i++) {
		int ret = memslots_set_ro(&vm->slots, ki->ro[i].gpa, ki->ro[i].len, true);

		if (ret < 0) {
			fprintf(stderr, "modvisor: protect = on: cannot make kernel GPA [0x%llx, "
				"0x%llx) read-only: %s\n", (unsigned long long)ki->ro[i].gpa,
				(unsigned long long)(ki->ro[i].gpa + ki->ro[i].len),
				ret == -ENOSPC ? "KVM_CAP_NR_MEMSLOTS reached" : strerror(-ret));
			return -1;
		}
		in->kro[in->nkro++] = ki->ro[i];
	}
	return 0;
}

int integrity_open(struct vm *vm, const struct kernel_info *ki, const char *kernel,
		   bool log_only, bool quiet)
{
	struct mv_bootinfo *bi;
	struct integrity *in;

	if (kvm_has_cap(vm->kvm_fd, KVM_CAP_READONLY_MEM) <= 0) {
		fprintf(stderr, "modvisor: protect = on needs KVM_CAP_READONLY_MEM (read-only "
			"memslots, KVM_MEM_READONLY), which this KVM lacks; run with --protect=off "
			"to go without hypervisor-enforced integrity\n");
		return -1;
	}
	in = calloc(1, sizeof(*in));
	if (!in) {
		fprintf(stderr, "modvisor: protect = on: out of memory\n");
		return -1;
	}
	in->log_only = log_only;
	in->quiet = quiet;
	in->kernel_end = ki->phys_end;
	vm->integ = in;
	integrity_read_symbols(in, kernel);
	/*
	 * boot_prepare() laid the module region out; the guest seals each module
	 * in it.  The seal entries go where the run's other entries go: its own
	 * log, or a daemon's (--authority: SEAL/UNSEAL records).
	 */
	boot_module_region(vm->mem.size, ki, &in->seals.region_gpa, &in->seals.region_len);
	in->seals.kernel_end = ki->phys_end;
	if (vm->auth && (vm->auth->remote || vm->auth->log)) {
		bi = MEM_GPA_CHECKED(&vm->mem, MV_GPA_BOOTINFO, sizeof(*bi));
		bi->flags |= MV_BOOT_F_SEAL;
		vm->auth->seal_required = true;
	}
	return integrity_lock_kernel(vm, in, ki);
}

int integrity_run_open(struct vm *vm, const struct kernel_info *ki, const char *kernel)
{
	if (!vm->auth || !vm->auth->policy.protect)
		return 0;
	return integrity_open(vm, ki, kernel,
			      vm->auth->policy.on_violation == POLICY_VIOLATION_LOG, false);
}

/* "kernel printk+0x0 (.text)" for a guest-physical address in the kernel image. */
static void integrity_kernel_gpa(const struct integrity *in, uint64_t gpa, char *out, size_t n)
{
	char sym[160];

	ksyms_describe(&in->ksyms, MV_KERNEL_VBASE + gpa, sym, sizeof(sym));
	snprintf(out, n, "kernel %s", sym[0] ? sym : "image");
}

/* What the write hit: a kernel range, or a sealed module's section. */
static void integrity_target(const struct integrity *in, uint64_t gpa, char *out, size_t n)
{
	for (int i = 0; i < in->nkro; i++)
		if (gpa - in->kro[i].gpa < in->kro[i].len)
			return integrity_kernel_gpa(in, gpa, out, n);
	if (seal_describe(&in->seals, gpa, out, n))
		return;
	snprintf(out, n, "protected memory");
}

/* The module whose core holds rip (the nearest base below it), or NULL. */
static const struct integrity_mod *integrity_mod_at(const struct integrity *in, uint64_t rip)
{
	const struct integrity_mod *best = NULL;

	for (uint32_t i = 0; i < in->nmods; i++) {
		const struct integrity_mod *m = &in->mods[i];
		if (m->base && m->base <= rip && (!best || m->base > best->base))
			best = m;
	}
	return best && rip - best->base < (64u << 20) ? best : NULL;
}

/*
 * Where the writing instruction is: kernel symbol (and whose init runs, if
 * one does), the init that runs, or the live module whose core is nearest
 * below rip.
 */
static void integrity_where(const struct integrity *in, uint64_t rip, char *out, size_t n)
{
	const struct integrity_mod *m, *init = NULL;
	char sym[200];

	for (uint32_t i = 0; i < in->nmods; i++)
		if (in->mods[i].in_init)
			init = &in->mods[i];
	if (rip >= MV_KERNEL_VBASE && rip - MV_KERNEL_VBASE < in->kernel_end) {
		integrity_kernel_gpa(in, rip - MV_KERNEL_VBASE, sym, sizeof(sym));
		if (init)
			snprintf(out, n, "%s, while module %s's init runs (load_id %u)", sym,
				 init->name, init->load_id);
		else
			snprintf(out, n, "%s", sym);
	} else if (init) {
		/* Module sizes come with seals; until then an init that runs is the best guess. */
		snprintf(out, n, "module %s's init (load_id %u)", init->name, init->load_id);
	} else if ((m = integrity_mod_at(in, rip)) != NULL) {
		snprintf(out, n, "module %s core+0x%llx (load_id %u)", m->name,
			 (unsigned long long)(rip - m->base), m->load_id);
	} else {
		snprintf(out, n, "no known code");
	}
}

/* The integrity-violation log entry; -1 when the log cannot be written. */
static int integrity_log(struct vm *vm, const struct mlog_violation *v)
{
	char err[512];

	if (!vm->auth || authority_violation(vm->auth, v, err, sizeof(err)) == 0)
		return 0;
	vm_fail(vm, MV_EXIT_SETUP, "measurement log: %s (no measurement is dropped: the VM "
		"stops)", err);
	return -1;
}

bool integrity_mmio(struct vm *vm, struct kvm_run *run)
{
	struct integrity *in = vm->integ;
	uint64_t gpa = run->mmio.phys_addr, value = 0, rip = 0;
	char target[200], where[320], line[700];
	struct kvm_regs regs;

	if (!in || !run->mmio.is_write || !memslots_ro_at(&vm->slots, gpa))
		return false;
	in->violations++;
	if (ioctl(vm->vcpu[0].fd, KVM_GET_REGS, &regs) == 0)
		rip = regs.rip;
	memcpy(&value, run->mmio.data, run->mmio.len < 8 ? run->mmio.len : 8);
	integrity_target(in, gpa, target, sizeof(target));
	integrity_where(in, rip, where, sizeof(where));
	snprintf(line, sizeof(line), "integrity violation: write of %u byte(s) to GPA 0x%llx "
		 "(%s) from RIP 0x%llx (%s)", run->mmio.len, (unsigned long long)gpa, target,
		 (unsigned long long)rip, where);
	struct mlog_violation v = { .gpa = gpa, .len = run->mmio.len, .value = value,
				    .target = target, .rip = rip, .where = where,
				    .action = in->log_only ? "discarded" : "stopped" };
	if (integrity_log(vm, &v) < 0)
		return true;
	if (!in->log_only) {
		vm_fail(vm, MV_EXIT_INTEGRITY, "%s", line);
		return true;
	}
	/* KVM completes the instruction without the write when the vCPU runs again. */
	if (!in->quiet)
		fprintf(stderr, "modvisor: %s; the write was discarded (on_violation = log)\n", line);
	return true;
}

/* The record of load_id, added when absent; NULL when out of memory. */
static struct integrity_mod *integrity_mod(struct integrity *in, uint32_t load_id)
{
	struct integrity_mod *p;

	for (uint32_t i = 0; i < in->nmods; i++)
		if (in->mods[i].load_id == load_id)
			return &in->mods[i];
	p = realloc(in->mods, (in->nmods + 1) * sizeof(*p));
	if (!p)
		return NULL;
	in->mods = p;
	p = &in->mods[in->nmods++];
	memset(p, 0, sizeof(*p));
	p->load_id = load_id;
	return p;
}

void integrity_note_event(struct vm *vm, uint32_t load_id, uint32_t event, const char *name,
			  uint64_t base)
{
	struct integrity *in = vm->integ;
	struct integrity_mod *m;

	if (!in || !(m = integrity_mod(in, load_id)))
		return;
	snprintf(m->name, sizeof(m->name), "%s", name);
	m->in_init = event == MV_MODEV_INIT_START;
	if (event == MV_MODEV_LOADED)
		m->base = base;
	if (event != MV_MODEV_INIT_START && event != MV_MODEV_LOADED)
		*m = in->mods[--in->nmods];     /* gone: failed, faulted or unloaded */
}

void integrity_free(struct vm *vm)
{
	if (!vm->integ)
		return;
	while (vm->integ->nimages)
		integrity_drop_image(vm->integ, vm->integ->images[0].load_id);
	free(vm->integ->images);
	seals_free(&vm->integ->seals);
	ksyms_free(&vm->integ->ksyms);
	free(vm->integ->mods);
	free(vm->integ);
	vm->integ = NULL;
}

void integrity_keep_image(struct vm *vm, uint32_t load_id, uint8_t *image, uint64_t len,
			  uint32_t flags, const char *name)
{
	struct integrity *in = vm->integ;
	struct integrity_image *p;

	if (!in || !(p = realloc(in->images, (in->nimages + 1) * sizeof(*p)))) {
		free(image);
		return;
	}
	in->images = p;
	p = &in->images[in->nimages++];
	p->load_id = load_id;
	p->image = image;
	p->len = len;
	p->flags = flags;
	snprintf(p->name, sizeof(p->name), "%s", name);
}

struct integrity_image *integrity_image(struct integrity *in, uint32_t load_id)
{
	for (uint32_t i = 0; i < in->nimages; i++)
		if (in->images[i].load_id == load_id)
			return &in->images[i];
	return NULL;
}

void integrity_drop_image(struct integrity *in, uint32_t load_id)
{
	struct integrity_image *p = integrity_image(in, load_id);

	if (!p)
		return;
	free(p->image);
	*p = in->images[--in->nimages];
}

/* Log a seal-side entry; HC_STOP after vm_fail() when the log cannot be written. */
int integrity_log_seal(struct vm *vm, const struct mlog_seal *s)
{
	char err[512];

	int ret;

	if (!vm->auth || (ret = authority_seal(vm->auth, s, err, sizeof(err))) == 0)
		return HC_CONTINUE;
	/* A daemon that refused the record logged the refusal, as for an event. */
	if (ret == -EINVAL && vm->auth->remote)
		return vm_fail(vm, MV_EXIT_HC_BAD_ARG, "the module authority refused the %s record "
			       "of load_id %u: %s (refused and logged)", s->type, s->load_id, err);
	return vm_fail(vm, MV_EXIT_SETUP, "measurement log: %s (no measurement is dropped: the "
		       "VM stops)", err);
}

/* LOADED for a sealed module: ro_after_init read-only, the init region writable again. */
static int integrity_after_init(struct vm *vm, struct seal_mod *m)
{
	struct mlog_seal s = { .type = "seal", .load_id = m->load_id, .name = m->name,
			       .part = "ro_after_init", .gpa = m->core.gpa + m->core.ro_end,
			       .len = m->core.ro_after_init_end - m->core.ro_end };
	char why[256];

	if (seal_after_init(&vm->slots, m, why, sizeof(why)) < 0)
		return vm_fail(vm, MV_EXIT_SETUP, "cannot seal ro_after_init of module %s "
			       "(load_id %u): %s", m->name, m->load_id, why);
	s.why = m->init.size ? "init returned: ro_after_init read-only, init region released" :
		"init returned: ro_after_init read-only";
	return integrity_log_seal(vm, &s);
}

/*
 * The module region as the guest's allocator sees it (guest/module/
 * env_kernel.c): one bit per page, set for every page a sealed module holds
 * with the guard page after each region.  Under protect = on every live
 * module is sealed, so these are all the pages in use.
 */
struct region_map {
	uint64_t *bits;
	uint64_t pages;
};

static void region_map_mark(struct region_map *rm, uint64_t first, uint64_t n)
{
	for (uint64_t i = first; i < first + n && i < rm->pages; i++)
		rm->bits[i / 64] |= 1ull << (i % 64);
}

static void region_map_mark_gpa(struct region_map *rm, uint64_t base, uint64_t gpa,
				uint64_t size)
{
	if (size && gpa >= base)
		region_map_mark(rm, (gpa - base) / 4096, size / 4096 + 1);
}

/* First fit of n free pages, as the guest's area_find(); UINT64_MAX when none. */
static uint64_t region_map_fit(const struct region_map *rm, uint64_t n, uint64_t *largest)
{
	uint64_t run = 0;

	*largest = 0;
	for (uint64_t i = 0; i < rm->pages; i++) {
		run = rm->bits[i / 64] & (1ull << (i % 64)) ? 0 : run + 1;
		if (run > *largest)
			*largest = run;
		if (run == n)
			return i + 1 - n;
	}
	return UINT64_MAX;
}

/*
 * An unsealed load failed with ENOMEM: lay its regions (the loader's layout
 * of the host's copy) out first fit, core then init, in what the sealed
 * modules leave of the module region, as the guest does.  When they cannot
 * be placed, the log says why: the region is exhausted (too few free pages)
 * or fragmented (enough pages, no run long enough).
 */
static int integrity_region_full(struct vm *vm, uint32_t load_id)
{
	struct integrity *in = vm->integ;
	struct integrity_image *img = integrity_image(in, load_id);
	struct region_map rm = { .pages = in->seals.region_len / 4096 };
	struct rederive_shape sh[2];
	struct rederive_why w;
	struct rederive *rd;
	uint64_t need[2], used = 0, largest = 0, at;
	char why[320];
	int r;

	if (!img || seal_find(&in->seals, load_id) ||
	    rederive_open_flags(img->image, img->len, img->flags, "module", &rd, &w) < 0)
		return HC_CONTINUE;
	sh[0] = rederive_shape(rd, REDERIVE_CORE);
	sh[1] = rederive_shape(rd, REDERIVE_INIT);
	rederive_close(rd);
	rm.bits = calloc(rm.pages / 64 + 1, sizeof(*rm.bits));
	if (!rm.bits)
		return HC_CONTINUE;
	for (uint32_t k = 0; k < in->seals.n; k++) {
		const struct seal_mod *m = &in->seals.mods[k];

		region_map_mark_gpa(&rm, in->seals.region_gpa, m->core.gpa, m->core.size);
		if (m->init_sealed)
			region_map_mark_gpa(&rm, in->seals.region_gpa, m->init.gpa, m->init.size);
	}
	for (uint64_t i = 0; i < rm.pages; i++)
		used += !!(rm.bits[i / 64] & (1ull << (i % 64)));
	for (r = 0; r < 2; r++) {
		need[r] = sh[r].size ? sh[r].size / 4096 + 1 : 0;
		if (!need[r])
			continue;
		at = region_map_fit(&rm, need[r], &largest);
		if (at == UINT64_MAX)
			break;
		region_map_mark(&rm, at, need[r]);
	}
	free(rm.bits);
	if (r == 2)
		return HC_CONTINUE;     /* it fits: the ENOMEM had another cause */
	if (need[0] + need[1] > rm.pages - used)
		snprintf(why, sizeof(why), "module region exhausted: the module needs %llu pages "
			 "(guard pages included), %llu of the region's %llu are free",
			 (unsigned long long)(need[0] + need[1]),
			 (unsigned long long)(rm.pages - used), (unsigned long long)rm.pages);
	else
		snprintf(why, sizeof(why), "module region fragmented: the module's %s region needs "
			 "%llu contiguous pages (guard page included); %llu of the region's %llu "
			 "are free, the longest free run is %llu", r ? "init" : "core",
			 (unsigned long long)need[r], (unsigned long long)(rm.pages - used),
			 (unsigned long long)rm.pages, (unsigned long long)largest);
	struct mlog_seal e = { .type = "seal", .load_id = load_id, .name = img->name,
			       .part = "text+rodata", .err = ENOMEM, .why = why };
	return integrity_log_seal(vm, &e);
}

int integrity_seal_event(struct vm *vm, uint32_t load_id, uint32_t event, int err)
{
	struct integrity *in = vm->integ;
	struct seal_mod *m;

	if (!in)
		return HC_CONTINUE;
	if (event == MV_MODEV_LOAD_FAILED && err == ENOMEM &&
	    integrity_region_full(vm, load_id) != HC_CONTINUE)
		return HC_STOP;
	if (event != MV_MODEV_INIT_START)
		integrity_drop_image(in, load_id);
	m = seal_find(&in->seals, load_id);
	if (m && event == MV_MODEV_LOADED)
		return integrity_after_init(vm, m);
	return HC_CONTINUE;
}
