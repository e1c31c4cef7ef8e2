/* mlog_integrity.c: log entries of the host's integrity checks: refused events and integrity violations. */
#include <stdio.h>
#include <stdlib.h>

#include "mlog.h"
#include "mlog_fmt.h"

/* "vm", "vm_uuid" first among the fields: right after "run", as in load and event entries. */
static void mlog_buf_vm(struct mlog_buf *b, const struct mlog_vm *vm)
{
	if (!vm)
		return;
	mlog_buf_json_str(b, "vm", vm->name);
	mlog_buf_json_str(b, "vm_uuid", vm->uuid);
}

int mlog_refused(struct mlog *l, const struct mlog_refusal *r, char *err, size_t errlen)
{
	struct mlog_buf f = { 0 }, ima = { 0 };
	int ret;

	mlog_buf_vm(&f, r->vm);
	mlog_buf_printf(&f, ",\"load_id\":%u,\"event\":\"%s\"", r->load_id,
			mlog_event_name(r->event));
	mlog_buf_json_str(&f, "name", r->name ? r->name : "");
	mlog_buf_printf(&f, ",\"state\":\"%s\"", r->state);
	mlog_buf_json_str(&f, "why", r->why);
	mlog_buf_printf(&ima, "refused:%s:", mlog_event_name(r->event));
	mlog_buf_ima_escape(&ima, r->name ? r->name : "");
	mlog_buf_printf(&ima, "|id=%u,state=%s", r->load_id, r->state);
	ret = mlog_append(l, "refused", &f, &ima, err, errlen);
	free(f.p);
	free(ima.p);
	return ret;
}

int mlog_violation(struct mlog *l, const struct mlog_violation *v, char *err, size_t errlen)
{
	struct mlog_buf f = { 0 }, ima = { 0 };
	int ret;

	mlog_buf_vm(&f, v->vm);
	mlog_buf_printf(&f, ",\"gpa\":\"0x%llx\",\"len\":%u,\"value\":\"0x%llx\"",
			(unsigned long long)v->gpa, v->len, (unsigned long long)v->value);
	mlog_buf_json_str(&f, "target", v->target);
	mlog_buf_printf(&f, ",\"rip\":\"0x%llx\"", (unsigned long long)v->rip);
	mlog_buf_json_str(&f, "where", v->where);
	mlog_buf_printf(&f, ",\"action\":\"%s\"", v->action);
	mlog_buf_printf(&ima, "violation:");
	mlog_buf_ima_escape(&ima, v->target);
	mlog_buf_printf(&ima, "|gpa=0x%llx,len=%u,rip=0x%llx,action=%s",
			(unsigned long long)v->gpa, v->len, (unsigned long long)v->rip, v->action);
	ret = mlog_append(l, "violation", &f, &ima, err, errlen);
	free(f.p);
	free(ima.p);
	return ret;
}
