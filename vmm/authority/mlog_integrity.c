/* mlog_integrity.c: log entries of the host's integrity checks: refused events, seals, unseals, violations. */
#include <stdio.h>
#include <stdlib.h>

#include "mlog.h"
#include "mlog_fmt.h"
#include "policy.h"

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

/* The text digest: "text_xxh3" and "text_sha256" (JSON), or ",xxh3=...,sha256=..." (IMA). */
static void mlog_seal_digest(struct mlog_buf *f, struct mlog_buf *ima, const struct mlog_seal *s)
{
	char x[2 * MEASURE_XXH3_LEN + 1], h[2 * 32 + 1];

	if (!s->text)
		return;
	measure_hex(s->text->xxh3, MEASURE_XXH3_LEN, x);
	measure_hex(s->text->digest[MEASURE_SHA256], 32, h);
	mlog_buf_printf(f, ",\"text_size\":%llu,\"text_xxh3\":\"%s\",\"text_sha256\":\"%s\"",
			(unsigned long long)s->text_size, x, h);
	mlog_buf_printf(ima, ",xxh3=%s,sha256=%s", x, h);
}

int mlog_seal(struct mlog *l, const struct mlog_seal *s, char *err, size_t errlen)
{
	struct mlog_buf f = { 0 }, ima = { 0 };
	int ret;

	mlog_buf_vm(&f, s->vm);
	mlog_buf_printf(&f, ",\"load_id\":%u", s->load_id);
	mlog_buf_json_str(&f, "name", s->name ? s->name : "");
	mlog_buf_printf(&f, ",\"part\":\"%s\",\"result\":\"%s\",\"errno\":%d", s->part,
			s->err ? "refused" : "done", s->err);
	if (s->err)
		mlog_buf_printf(&f, ",\"errno_name\":\"%s\"", policy_errno_name(s->err));
	if (s->len)
		mlog_buf_printf(&f, ",\"gpa\":\"0x%llx\",\"len\":%llu",
				(unsigned long long)s->gpa, (unsigned long long)s->len);
	mlog_buf_json_str(&f, "why", s->why ? s->why : "");
	mlog_buf_printf(&ima, "%s:", s->type);
	mlog_buf_ima_escape(&ima, s->name ? s->name : "");
	mlog_buf_printf(&ima, "|id=%u,part=%s,errno=%s", s->load_id, s->part,
			policy_errno_name(s->err));
	mlog_seal_digest(&f, &ima, s);
	ret = mlog_append(l, s->type, &f, &ima, err, errlen);
	free(f.p);
	free(ima.p);
	return ret;
}
