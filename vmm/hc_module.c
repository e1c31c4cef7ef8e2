/* hc_module.c: MV_HC_MODULE_LOAD and MV_HC_MODULE_EVENT: the guest asks, the host decides and logs. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <modvisor/abi/module.h>
#include "authority/authority.h"
#include "hypercall.h"
#include "initwd.h"
#include "integrity.h"

HYPERCALL_DEFINE(MV_HC_MODULE_LOAD, struct mv_hc_module_load, hc_module_load);
HYPERCALL_DEFINE(MV_HC_MODULE_EVENT, struct mv_hc_module_event, hc_module_event);

/* hc_module_strcpy(dst, src, n): a guest char[n] as a C string, cut at n-1. */
static void hc_module_strcpy(char *dst, const char *src, size_t n)
{
	size_t len = strnlen(src, n - 1);

	memcpy(dst, src, len);
	dst[len] = '\0';
}

/* No authority (a VM started without one): nothing may be loaded. */
static int hc_module_no_authority(struct mv_hc_module_load *a)
{
	static int warned;

	if (!warned++)
		fprintf(stderr, "modvisor: module load refused: this VM has no module authority\n");
	a->verdict = MV_VERDICT_DENY;
	a->verdict_errno = EPERM;
	a->taints = 0;
	a->load_id = 0;
	hc_module_strcpy(a->reason, "this VM has no module authority", sizeof(a->reason));
	a->hdr.ret = 0;
	return HC_CONTINUE;
}

/*
 * The parameter string, for the log only: copied once out of guest RAM into
 * params (MV_MODLOAD_PARAMS_MAX + 1 bytes), cut at an embedded NUL.  A
 * length above the cap or an unknown flag stops the VM, as a bad GPA does.
 */
static int hc_module_params(struct vm *vm, const struct mv_hc_module_load *a,
			    struct authority_request *req, char *params)
{
	const void *p;

	if (a->params_len > MV_MODLOAD_PARAMS_MAX)
		return vm_fail(vm, MV_EXIT_HC_BAD_ARG, "MV_HC_MODULE_LOAD: params_len %u exceeds "
			       "MV_MODLOAD_PARAMS_MAX (%u)", a->params_len, MV_MODLOAD_PARAMS_MAX);
	if (a->params_flags & ~(MV_MODPARAMS_CUT | MV_MODPARAMS_UNREADABLE))
		return vm_fail(vm, MV_EXIT_HC_BAD_ARG, "MV_HC_MODULE_LOAD: params_flags 0x%x outside "
			       "MV_MODPARAMS_*", a->params_flags);
	params[0] = '\0';
	if (a->params && a->params_len) {
		p = mem_gpa(&vm->mem, a->params, a->params_len);
		if (!p)
			return hc_bad_gpa(vm, "MV_HC_MODULE_LOAD: params", a->params, a->params_len);
		memcpy(params, p, a->params_len);
		params[a->params_len] = '\0';
	}
	/* params 0: the guest sent none (no memory for its copy): no "params" field. */
	req->params = a->params || a->params_flags ? params : NULL;
	req->params_cut = a->params_flags & MV_MODPARAMS_CUT;
	req->params_unreadable = a->params_flags & MV_MODPARAMS_UNREADABLE;
	return HC_CONTINUE;
}

/*
 * hc_module_copy_in(vm, a, req, params, copy): check the request, copy its
 * parameter string for the log, and make the one copy of the image in host
 * memory (*copy, malloc'd; left NULL when the image is larger than a guest
 * may send, which the authority refuses).  Returns HC_CONTINUE, or HC_STOP
 * after vm_fail().
 */
static int hc_module_copy_in(struct vm *vm, const struct mv_hc_module_load *a,
			     struct authority_request *req, char *params, uint8_t **copy)
{
	const void *p;
	int ret;

	if (a->source != MV_MODSRC_INIT_MODULE && a->source != MV_MODSRC_FINIT_MODULE)
		return vm_fail(vm, MV_EXIT_HC_BAD_ARG, "MV_HC_MODULE_LOAD: source %u is neither "
			       "init_module (1) nor finit_module (2)", a->source);
	if (a->flags & ~MV_MODULE_INIT_FLAGS_ALL)
		return vm_fail(vm, MV_EXIT_HC_BAD_ARG, "MV_HC_MODULE_LOAD: flags 0x%x outside "
			       "MODULE_INIT_* (the guest must fail these with EINVAL)", a->flags);
	ret = hc_module_params(vm, a, req, params);
	if (ret != HC_CONTINUE)
		return ret;
	if (a->file) {
		/* Read in place: the vCPU is stopped, and these bytes are only logged. */
		req->file = mem_gpa(&vm->mem, a->file, a->file_len);
		if (!req->file)
			return hc_bad_gpa(vm, "MV_HC_MODULE_LOAD: file", a->file, a->file_len);
	}
	if (a->image_len > MV_MODLOAD_IMAGE_MAX)
		return HC_CONTINUE;
	p = mem_gpa(&vm->mem, a->image, a->image_len);
	if (!p)
		return hc_bad_gpa(vm, "MV_HC_MODULE_LOAD: image", a->image, a->image_len);
	/* The one copy: from here on only the host's bytes are looked at. */
	*copy = malloc(a->image_len ? a->image_len : 1);
	if (!*copy)
		return vm_fail(vm, MV_EXIT_SETUP, "MV_HC_MODULE_LOAD: cannot allocate %llu "
			       "bytes for the image", (unsigned long long)a->image_len);
	memcpy(*copy, p, a->image_len);
	return HC_CONTINUE;
}

/* hc_module_load: copy the request in, then the authority decides. */
static int hc_module_load(struct vm *vm, struct mv_hc_module_load *a)
{
	struct authority_request req = { .len = a->image_len, .source = a->source,
					 .flags = a->flags, .file_len = a->file_len };
	struct authority_verdict v;
	char path[sizeof(a->path)], err[512], params[MV_MODLOAD_PARAMS_MAX + 1];
	uint8_t *copy = NULL;
	int ret;

	if (!vm->auth)
		return hc_module_no_authority(a);
	ret = hc_module_copy_in(vm, a, &req, params, &copy);
	if (ret != HC_CONTINUE)
		return ret;
	req.image = copy;
	hc_module_strcpy(path, a->path, sizeof(path));
	req.path = a->source == MV_MODSRC_FINIT_MODULE ? path : NULL;
	ret = authority_load(vm->auth, &req, &v, err, sizeof(err));
	/* protect = on keeps an allowed image for its seal: the bytes the host measured. */
	if (ret >= 0 && v.allow && vm->integ && vm->auth->seal_required && copy)
		integrity_keep_image(vm, v.load_id, copy, a->image_len, a->flags, v.name);
	else
		free(copy);
	if (ret < 0)
		return vm_fail(vm, MV_EXIT_SETUP, "measurement log: %s (no measurement is dropped: "
			       "the VM stops)", err);
	a->verdict = v.allow ? MV_VERDICT_ALLOW : MV_VERDICT_DENY;
	a->verdict_errno = v.allow ? 0 : v.err;
	a->taints = v.taints;
	a->load_id = v.load_id;
	hc_module_strcpy(a->reason, v.allow ? "" : v.reason, sizeof(a->reason));
	a->hdr.ret = 0;
	return HC_CONTINUE;
}

/* MV_MODEV_INIT_START: not logged; it starts the init watchdog (initwd.h). */
static int hc_module_init_start(struct vm *vm, struct mv_hc_module_event *a)
{
	int err = initwd_start(vm->vcpu[0].run, a->load_id, vm->init_timeout_s * 1000ul);

	if (err)
		return vm_fail(vm, MV_EXIT_SETUP, "cannot arm the init watchdog: %s",
			       strerror(-err));
	a->hdr.ret = 0;
	return HC_CONTINUE;
}

/* The exception of an INIT_FAULT, or of an UNLOADED whose exit faulted, for the log. */
static void hc_module_fault(const struct mv_hc_module_event *a, struct mlog_event *e)
{
	static const char *const where[] = { "kernel", "core", "init" };

	if (a->event != MV_MODEV_INIT_FAULT &&
	    !(a->event == MV_MODEV_UNLOADED && a->fault_rip != 0))
		return;
	e->has_fault = true;
	e->fault_vector = a->fault_vector;
	e->fault_where = a->fault_where < 3 ? where[a->fault_where] : "?";
	e->fault_rip = a->fault_rip;
	e->fault_offset = a->fault_offset;
	e->fault_cr2 = a->fault_cr2;
}

/*
 * A forged event (issue 12, finding 7): the guest kernel is broken or
 * hostile.  The refusal is logged, then the VM stops with why.
 */
static int hc_module_refuse(struct vm *vm, const struct mv_hc_module_event *a,
			    const char *name, const char *why)
{
	return hc_module_refuse_id(vm, "MV_HC_MODULE_EVENT", a->load_id, a->event, name, why);
}

int hc_module_refuse_id(struct vm *vm, const char *hc, uint32_t load_id, uint32_t event,
			const char *name, const char *why)
{
	struct mlog_refusal r = {
		.load_id = load_id, .event = event, .name = name, .why = why,
		.state = load_state_name(load_states_get(&vm->auth->states, load_id)),
	};
	char err[512];

	if (authority_refused(vm->auth, &r, err, sizeof(err)) < 0)
		return vm_fail(vm, MV_EXIT_SETUP, "measurement log: %s (no measurement is dropped: "
			       "the VM stops)", err);
	return vm_fail(vm, MV_EXIT_HC_BAD_ARG, "%s: %s (refused and logged)", hc, why);
}

static int hc_module_event(struct vm *vm, struct mv_hc_module_event *a)
{
	char name[sizeof(a->name)], err[512], why[256];
	struct mlog_event e = { .load_id = a->load_id, .event = a->event, .err = a->err,
				.init_ret = a->init_ret, .name = name, .base = a->base,
				.taints = a->taints };

	hc_module_strcpy(name, a->name, sizeof(name));
	/* No authority: nothing was allowed, so no event can fit. */
	if (!vm->auth)
		return vm_fail(vm, MV_EXIT_HC_BAD_ARG, "MV_HC_MODULE_EVENT: load_id %u: this VM "
			       "has no module authority, so no load was allowed", a->load_id);
	if (a->event < MV_MODEV_LOADED || a->event > MV_MODEV_INIT_START) {
		snprintf(why, sizeof(why), "unknown event %u", a->event);
		return hc_module_refuse(vm, a, name, why);
	}
	/* Each event must fit its load id's state (load_state.h). */
	if (authority_event_step(vm->auth, a->load_id, a->event, why, sizeof(why)) < 0)
		return hc_module_refuse(vm, a, name, why);
	integrity_note_event(vm, a->load_id, a->event, name, a->base);
	if (a->event == MV_MODEV_INIT_START)
		return hc_module_init_start(vm, a);
	initwd_stop(a->load_id);
	hc_module_fault(a, &e);
	if (authority_event(vm->auth, &e, err, sizeof(err)) < 0)
		return vm_fail(vm, MV_EXIT_SETUP, "measurement log: %s (no measurement is dropped: "
			       "the VM stops)", err);
	a->hdr.ret = 0;
	return integrity_seal_event(vm, a->load_id, a->event, a->err);
}
