/* unload.c: delete_module's core: who may go, running exit, freeing everything. */
#include "internal.h"
#include "params.h"

/*
 * Linux 6.1's rules, in its order: unknown name -> ENOENT; other modules use
 * it -> EWOULDBLOCK; not live (still in init, or already going) -> EBUSY; an
 * init without an exit can only be forced out (O_TRUNC with
 * CONFIG_MODULE_FORCE_UNLOAD) -> else EBUSY.  O_NONBLOCK changes nothing
 * since Linux 3.13: there is no waiting for references to drop.
 */
static int delete_allowed(const struct module *mod, uint32_t flags)
{
	bool force = mod_settings.force_unload && (flags & MOD_DELETE_TRUNC);

	if (mod->refcnt != 0) {
		modenv_log("%s: in use by %u module(s)", mod->name, mod->refcnt);
		return -EWOULDBLOCK;
	}
	if (mod->state != MOD_STATE_LIVE)
		return -EBUSY;
	if (mod->init_fn && !mod->exit_fn && !force) {
		modenv_log("%s: has an init but no exit: cannot be removed", mod->name);
		return -EBUSY;
	}
	return 0;
}

/* An exit's fault, for the UNLOADED event: exit text is in the core region. */
static void unload_locate_fault(const struct module *mod, const struct mod_fault *f,
				struct mod_event *ev)
{
	ev->fault_vector = f->vector;
	ev->fault_rip = f->rip;
	ev->fault_cr2 = f->cr2;
	if (f->rip - mod->core.mem.va < mod->core.mem.size) {
		ev->fault_where = MV_FAULT_IN_CORE;
		ev->fault_offset = f->rip - mod->core.mem.va;
	}
}

int mod_delete(const char *name, uint32_t flags)
{
	struct module *mod = mod_find(name);
	struct mod_event ev = { .event = MV_MODEV_UNLOADED };
	struct mod_fault fault = { 0 };
	int err;

	if (!mod)
		return -ENOENT;
	err = delete_allowed(mod, flags);
	if (err)
		return err;
	mod->state = MOD_STATE_GOING;
	if (mod->exit_fn)
		modenv_call_exit(mod->exit_fn, &fault);
	if (fault.faulted)
		unload_locate_fault(mod, &fault, &ev);
	ev.load_id = mod->load_id;     /* the host ends that load's life */
	ev.name = mod->name;
	ev.base = mod->core.mem.va;
	ev.taints = mod->taints;
	modenv_host_event(&ev);
	if (mod->sealed)
		modenv_host_unseal(mod->load_id);
	mod_list_remove(mod);
	params_free(mod->kp, mod->num_kp);
	mod_drop_uses(mod);
	mod_free_layouts(mod);
	modenv_free(mod->args);
	modenv_free(mod);
	return 0;
}
