/* transport_hcall.c: the modvisor VMM's transport: MV_HC_MODULE_LOAD and MV_HC_MODULE_EVENT. */
#include <hcall.h>
#include <mm.h>
#include "transport.h"

static int hcall_verdict(const struct mod_verdict_req *req, struct mod_verdict *v)
{
	struct mv_hc_module_load hc = {
		.image = virt_to_phys(req->image), .image_len = req->len,
		.file = req->file ? virt_to_phys(req->file) : 0, .file_len = req->file_len,
		.source = req->source, .flags = req->flags,
	};
	int err;

	if (req->path)
		strscpy(hc.path, req->path, sizeof(hc.path));
	if (req->params) {
		hc.params = virt_to_phys(req->params);
		hc.params_len = req->params_len;
		hc.params_flags = req->params_flags;
	}
	err = hcall(MV_HC_MODULE_LOAD, &hc, sizeof(hc));
	if (err)
		return err;
	v->allow = hc.verdict == MV_VERDICT_ALLOW;
	v->err = hc.verdict_errno;
	v->taints = hc.taints;
	v->load_id = hc.load_id;
	strscpy(v->reason, hc.reason, sizeof(v->reason));
	return 0;
}

static void hcall_event(const struct mod_event *ev)
{
	struct mv_hc_module_event hc = {
		.load_id = ev->load_id, .event = ev->event, .err = ev->err,
		.init_ret = ev->init_ret, .base = ev->base, .taints = ev->taints,
	};

	hc.fault_vector = ev->fault_vector;
	hc.fault_where = ev->fault_where;
	hc.fault_rip = ev->fault_rip;
	hc.fault_offset = ev->fault_offset;
	hc.fault_cr2 = ev->fault_cr2;
	strscpy(hc.name, ev->name ? ev->name : "", sizeof(hc.name));
	hcall(MV_HC_MODULE_EVENT, &hc, sizeof(hc));
}

const struct auth_transport transport_hcall = {
	.name = "hypercall",
	.verdict = hcall_verdict,
	.event = hcall_event,
};
