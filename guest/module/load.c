/* load.c: the load pipeline (Linux's load_module) and the list of modules. */
#include <modvisor/errname.h>
#include "internal.h"
#include "params.h"

/*
 * Forced loads are off, as in a kernel without CONFIG_MODULE_FORCE_LOAD and
 * as the host's default policy: a missing vermagic or __versions, or an
 * IGNORE_* flag, is refused with ENOEXEC.  Forced unloads (O_TRUNC) are on,
 * as in Debian's kernel (CONFIG_MODULE_FORCE_UNLOAD=y).
 */
struct mod_settings mod_settings = { .force_load = false, .force_unload = true };

struct module *mod_list_head;
static uint32_t kernel_taints;

uint32_t mod_kernel_taints(void)
{
	return kernel_taints | params_kernel_taints();
}

struct module *mod_first(void)
{
	return mod_list_head;
}

struct module *mod_find(const char *name)
{
	for (struct module *m = mod_list_head; m; m = m->next)
		if (m->state != MOD_STATE_UNFORMED && strcmp(m->name, name) == 0)
			return m;
	return NULL;
}

uint64_t mod_total_size(const struct module *mod)
{
	return mod->core.size + mod->init.size;
}

void mod_list_remove(struct module *mod)
{
	for (struct module **p = &mod_list_head; *p; p = &(*p)->next) {
		if (*p == mod) {
			*p = mod->next;
			return;
		}
	}
}

/* Step 0: the host's verdict, before a single byte is parsed. */
static int load_ask_host(struct load_info *info)
{
	const struct mod_load_args *a = info->args;
	struct mod_verdict_req req = {
		.image = a->image, .len = a->len, .source = a->source,
		.flags = a->flags, .path = a->path, .file = a->file, .file_len = a->file_len,
		.params = a->params_log, .params_len = a->params_log_len,
		.params_flags = a->params_log_flags,
	};
	const char *ename;
	int err;

	if (a->mode & MOD_LOAD_DRY_RUN)
		return 0;
	err = modenv_host_verdict(&req, &info->verdict);
	mod_stage_done(info, MOD_STAGE_HOST);
	if (err)
		return err;
	if (!info->verdict.allow) {
		err = info->verdict.err > 0 ? -info->verdict.err : -EPERM;
		ename = mv_errno_name(err);
		/* The errno's name and why, e.g. Linux's "Loading of unsigned module is rejected". */
		modenv_log("%s: load refused by the host: %s: %s", a->path ? a->path : "init_module",
			   ename ? ename : "E?", info->verdict.reason[0] ? info->verdict.reason :
			   "(no reason given)");
		return err;
	}
	return 0;
}

/*
 * Linux 6.1's load_module() prints this once per boot for the first module
 * loaded without a good signature (taint E), once its name is known.
 */
static void load_warn_unsigned(const struct module *mod)
{
	static bool warned;

	if (warned || !(mod->taints & (1u << MV_TAINT_UNSIGNED_MODULE)))
		return;
	warned = true;
	modenv_log("%s: module verification failed: signature and/or required key missing "
		   "- tainting kernel", mod->name);
}

/* Step 4: reserve the name; EEXIST when a module of that name is live. */
static int add_unformed_module(struct module *mod)
{
	for (struct module *m = mod_list_head; m; m = m->next) {
		if (strcmp(m->name, mod->name) != 0)
			continue;
		if (m->state == MOD_STATE_LIVE || m->state == MOD_STATE_GOING)
			return -EEXIST;
		return -EBUSY;  /* still loading: Linux waits, then says EBUSY */
	}
	mod->state = MOD_STATE_UNFORMED;
	mod->next = mod_list_head;
	mod_list_head = mod;
	return 0;
}

/* The addresses of init and exit, as relocated into this_module. */
static void load_this_module(struct load_info *info)
{
	struct mv_this_module tm;

	/* Copied out: sh_addralign may leave the section unaligned. */
	memcpy(&tm, info->secs[info->index.mod].buf, sizeof(tm));
	info->mod->init_fn = tm.init;
	info->mod->exit_fn = tm.exit;
}

static void load_report(const struct load_info *info, uint32_t event, int err, int init_ret);

/* Which of the module's regions the faulting RIP is in, and where (for the host's log). */
static void load_locate_fault(struct load_info *info)
{
	const struct module *mod = info->mod;
	uint64_t rip = info->init_fault.rip;

	if (mod->init.mem.buf && rip - mod->init.mem.va < mod->init.mem.size) {
		info->fault_where = MV_FAULT_IN_INIT;
		info->fault_offset = rip - mod->init.mem.va;
	} else if (mod->core.mem.buf && rip - mod->core.mem.va < mod->core.mem.size) {
		info->fault_where = MV_FAULT_IN_CORE;
		info->fault_offset = rip - mod->core.mem.va;
	}
}

/* Steps 9-10 for a module whose memory and symbols are final. */
static int load_run_init(struct load_info *info)
{
	struct module *mod = info->mod;
	int ret = 0;

	if (mod->init_fn) {
		load_report(info, MV_MODEV_INIT_START, 0, 0);
		ret = modenv_call_init(mod->init_fn, &info->init_fault);
		if (info->init_fault.faulted)
			load_locate_fault(info);
	}
	mod_stage_done(info, MOD_STAGE_INIT);
	if (ret < 0)
		return ret;
	if (ret > 0)
		modenv_log("%s: 'init' suspiciously returned %d, it should follow "
			   "0/-E convention; loading module anyway...", mod->name, ret);
	mod->state = MOD_STATE_LIVE;
	mod_protect(mod, true);
	mod_stage_done(info, MOD_STAGE_PROTECT);
	return 0;
}

/*
 * Init memory goes once the host heard LOADED: the host seals ro_after_init
 * and gives the init region's pages back to the guest then.
 */
static void load_free_init(struct module *mod)
{
	if (mod->init.mem.buf)
		modenv_region_free(&mod->init.mem);
	mod->init.mem.buf = NULL;
	mod->init.size = 0;
}

static void load_report(const struct load_info *info, uint32_t event, int err, int init_ret)
{
	const struct module *mod = info->mod;
	struct mod_event ev = {
		.load_id = info->verdict.load_id, .event = event,
		.err = err < 0 ? -err : 0, .init_ret = init_ret,
		.name = mod ? mod->name : "", .taints = mod ? mod->taints : 0,
		.base = mod ? mod->core.mem.va : 0,
	};

	if (event == MV_MODEV_INIT_FAULT) {
		ev.fault_vector = info->init_fault.vector;
		ev.fault_where = info->fault_where;
		ev.fault_rip = info->init_fault.rip;
		ev.fault_offset = info->fault_offset;
		ev.fault_cr2 = info->init_fault.cr2;
	}

	if (!(info->args->mode & MOD_LOAD_DRY_RUN))
		modenv_host_event(&ev);
}

/* Bookkeeping arrays sized by the validated ELF. */
static int load_alloc_arrays(struct load_info *info)
{
	info->secs = modenv_malloc((size_t)info->shnum * sizeof(*info->secs));
	info->symval = modenv_malloc((size_t)info->nsyms * sizeof(*info->symval));
	return info->secs && info->symval ? 0 : -ENOMEM;
}

/* Steps 2-4: ELF, name, versions, modinfo, then reserve the name. */
static int load_check(struct load_info *info)
{
	int err = mod_elf_check(info);

	if (!err)
		err = mod_setup_name(info);
	if (!err) {
		memcpy(info->mod->name, info->name, strlen(info->name) + 1);
		info->name = info->mod->name;
		err = mod_check_modstruct(info);
	}
	if (!err)
		err = mod_check_modinfo(info);
	/* As Linux's add_taint_module(): the kernel stays tainted even if
	 * the load fails later. */
	if (!err && !(info->args->mode & MOD_LOAD_DRY_RUN))
		kernel_taints |= info->mod->taints;
	if (!err)
		err = load_alloc_arrays(info);
	if (!err && !(info->args->mode & MOD_LOAD_DRY_RUN))
		err = add_unformed_module(info->mod);
	mod_stage_done(info, MOD_STAGE_ELF);
	return err;
}

/* Steps 5-8: memory, symbols, relocations. */
static int load_place(struct load_info *info)
{
	int err = mod_layout_sections(info);

	if (!err)
		err = mod_alloc_and_copy(info);
	mod_stage_done(info, MOD_STAGE_LAYOUT);
	if (!err)
		err = mod_resolve_symbols(info);
	mod_stage_done(info, MOD_STAGE_SYMBOLS);
	if (!err)
		err = mod_apply_relocations(info);
	mod_stage_done(info, MOD_STAGE_RELOC);
	return err;
}

/* One region as struct mv_seal_region: where the guest put it, and its parts. */
static struct mv_seal_region seal_region(const struct mod_layout *l)
{
	struct mv_seal_region r = { 0 };

	if (!l->mem.buf)
		return r;
	r.gpa = l->mem.env;
	r.va = l->mem.va;
	r.size = l->mem.size;
	r.text_end = l->text_end;
	r.ro_end = l->ro_end;
	r.ro_after_init_end = l->ro_after_init_end;
	return r;
}

/* The MV_SEAL_* a section's pages get (layout.c's protect_layout()). */
static uint32_t seal_perms(const struct mod_sec *sec)
{
	static const uint32_t perms[MOD_GROUP_COUNT] = {
		[MOD_GROUP_TEXT] = MV_SEAL_R | MV_SEAL_X,
		[MOD_GROUP_RODATA] = MV_SEAL_R,
		[MOD_GROUP_RO_AFTER_INIT] = MV_SEAL_R | MV_SEAL_W | MV_SEAL_RO_AFTER_INIT,
		[MOD_GROUP_DATA] = MV_SEAL_R | MV_SEAL_W,
	};

	return perms[sec->group];
}

/*
 * Every placed section in layout order (core, then init; in each, text,
 * rodata, ro_after_init, data, each group by section index: the order
 * mod_layout_sections() placed them in), then every undefined symbol's value.
 */
static void seal_fill(const struct load_info *info, struct mod_seal_req *req,
		      struct mv_seal_section *secs, struct mv_seal_sym *syms)
{
	for (int where = MOD_WHERE_CORE; where <= MOD_WHERE_INIT; where++) {
		const struct mod_region *r = where == MOD_WHERE_CORE ? &info->mod->core.mem :
					     &info->mod->init.mem;

		for (int g = 0; g < MOD_GROUP_COUNT; g++) {
			for (uint32_t i = 1; i < info->shnum; i++) {
				const struct mod_sec *sec = &info->secs[i];

				if (sec->where != where || sec->group != g)
					continue;
				secs[req->nsecs++] = (struct mv_seal_section){
					.gpa = r->buf ? r->env + sec->off : 0, .va = sec->va,
					.size = info->sechdrs[i].sh_size, .shndx = i,
					.perms = seal_perms(sec),
				};
			}
		}
	}
	for (uint32_t i = 1; i < info->nsyms; i++)
		if (info->syms[i].st_shndx == SHN_UNDEF)
			syms[req->nsyms++] = (struct mv_seal_sym){ .symndx = i,
								   .value = info->symval[i] };
}

int mod_seal(struct load_info *info)
{
	struct mod_seal_req req = { .load_id = info->verdict.load_id,
				    .core = seal_region(&info->mod->core),
				    .init = seal_region(&info->mod->init) };
	struct mv_seal_section *secs;
	struct mv_seal_sym *syms;
	char reason[128] = "";
	int ret;

	if (info->args->mode & MOD_LOAD_DRY_RUN)
		return 0;
	secs = modenv_malloc((size_t)info->shnum * sizeof(*secs));
	syms = modenv_malloc((size_t)info->nsyms * sizeof(*syms));
	ret = secs && syms ? 0 : -ENOMEM;
	if (!ret)
		seal_fill(info, &req, secs, syms);
	req.secs = secs;
	req.syms = syms;
	if (!ret)
		ret = modenv_host_seal(&req, reason, sizeof(reason));
	modenv_free(secs);
	modenv_free(syms);
	if (ret < 0 && reason[0])
		modenv_log("%s: the host refused to seal it: %s", info->name, reason);
	info->mod->sealed = ret > 0;
	return ret < 0 ? ret : 0;
}

/*
 * Linux's `mod->args = strndup_user(uargs, ~0UL >> 1)`, which load_module()
 * does only after relocation: a bad image is ENOEXEC whatever the parameter
 * pointer, and a string of any length is accepted (ENOMEM at worst).
 */
static int load_copy_args(struct load_info *info)
{
	int err = modenv_strndup_user(info->args->uargs, &info->mod->args);

	if (err)
		modenv_log("%s: cannot copy the parameter string (errno %d)",
			   info->name, -err);
	return err;
}

/* parse_args() on a copy, so mod->args keeps the string as given. */
static int load_parse_args(struct module *mod)
{
	size_t n = strlen(mod->args) + 1;
	char *work;
	int err;

	if (n == 1)
		return 0;
	work = modenv_malloc(n);
	if (!work)
		return -ENOMEM;
	memcpy(work, mod->args, n);
	err = params_parse_module(mod->name, work, mod->kp, mod->num_kp);
	modenv_free(work);
	return err;
}

/* Exports, parameters, then init; *init_ran tells whose error it is. */
static int load_finish(struct load_info *info, bool *init_ran)
{
	struct module *mod = info->mod;
	int err;

	err = load_copy_args(info);
	if (!err)
		err = mod_find_exports(info);
	if (!err)
		err = mod_verify_exports(mod);
	if (err)
		return err;
	load_this_module(info);
	/*
	 * Linux's complete_formation(): text read-only and executable before
	 * the parameters are parsed, since a module's own kernel_param_ops
	 * (module_param_cb) run then.
	 */
	mod->state = MOD_STATE_COMING;
	mod_protect(mod, false);
	mod_stage_done(info, MOD_STAGE_PROTECT);
	err = load_parse_args(mod);
	if (err)
		return err;
	mod_stage_done(info, MOD_STAGE_PARAMS);
	*init_ran = true;
	return load_run_init(info);
}

int mod_load(const struct mod_load_args *args, struct module **out)
{
	struct load_info info = { .args = args, .name = "module", .image = args->image,
				  .len = args->len };
	bool listed = false, init_ran = false;
	struct module *mod;
	int err;

	if (out)
		*out = NULL;
	if (args->timings)
		info.stamp = modenv_now();
	err = load_ask_host(&info);
	if (err)
		return err;
	err = mod_strip_signature(&info);
	if (err)
		goto report;
	mod = info.mod = modenv_malloc(sizeof(*mod));
	if (!mod) {
		err = -ENOMEM;
		goto report;
	}
	mod->taints = info.verdict.taints;
	mod->load_id = info.verdict.load_id;
	err = load_check(&info);
	listed = !err && !(args->mode & MOD_LOAD_DRY_RUN);
	if (err)
		goto free_mod;
	load_warn_unsigned(mod);
	err = load_place(&info);
	if (err || (args->mode & MOD_LOAD_DRY_RUN))
		goto free_memory;
	/* Relocated, not yet changed by parameters or init: the host checks and seals it. */
	err = mod_seal(&info);
	mod_stage_done(&info, MOD_STAGE_PROTECT);
	if (err)
		goto free_memory;
	err = load_finish(&info, &init_ran);
	if (err)
		goto free_memory;
	load_report(&info, MV_MODEV_LOADED, 0, 0);
	load_free_init(mod);
	modenv_free(info.secs);
	modenv_free(info.symval);
	if (out)
		*out = mod;
	return 0;

free_memory:
	mod->state = MOD_STATE_GOING;
	params_free(mod->kp, mod->num_kp);
	mod_drop_uses(mod);
free_mod:
	/* Linux would oops (D) or report a soft lockup (L); the kernel goes on. */
	if (info.init_fault.faulted)
		kernel_taints |= 1u << (info.init_fault.timed_out ? MV_TAINT_SOFTLOCKUP :
					MV_TAINT_DIE);
	if (info.init_fault.faulted)
		load_report(&info, MV_MODEV_INIT_FAULT, err, 0);
	else if (init_ran)
		load_report(&info, MV_MODEV_INIT_FAILED, 0, err);
	else
		load_report(&info, MV_MODEV_LOAD_FAILED, err, 0);
	/* The outcome first, then the unseal, then the memory: the host's order. */
	if (mod->sealed)
		modenv_host_unseal(info.verdict.load_id);
	mod_free_layouts(mod);
	if (listed)
		mod_list_remove(mod);
	modenv_free(mod->args);
	modenv_free(mod);
	modenv_free(info.secs);
	modenv_free(info.symval);
	return err;
report:
	load_report(&info, MV_MODEV_LOAD_FAILED, err, 0);
	return err;
}
