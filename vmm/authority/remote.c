/* remote.c: `modvisor run --authority SOCKET`: a run's loads, events and violations decided and logged by the daemon. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/un.h>

#include <modvisor/abi/hypercall.h>
#include "authority.h"
#include "modname.h"
#include "mvap_io.h"
#include "remote.h"

struct authority_remote {
	int fd;                         /* -1 once the daemon is gone */
	uint32_t seq;
	char socket[sizeof(((struct sockaddr_un *)0)->sun_path)];
	char name[MVAP_NAME_MAX + 1];
	char uuid[37];
	uint32_t vm_id;
	char lost[300];                 /* why the connection went, once it did */
};

/* remote_gone(r, why): the daemon is unreachable from now on; say so once. */
static void remote_gone(struct authority_remote *r, const char *why)
{
	if (r->fd < 0)
		return;
	close(r->fd);
	r->fd = -1;
	snprintf(r->lost, sizeof(r->lost), "%s", why);
	fprintf(stderr, "modvisor: authority %s: connection lost (%s): module loads now fail "
		"with EAGAIN\n", r->socket, why);
}

/*
 * remote_call(r, iov, n, want, h, payload): send a request, read its reply.
 * 0 with the reply (type want or ERROR) in h/payload, or -errno after
 * remote_gone().
 */
static int remote_call(struct authority_remote *r, const struct iovec *iov, int n, uint32_t want,
		       struct mvap_hdr *h, uint8_t **payload)
{
	const char *why = NULL;
	char msg[160];
	int ret;

	*payload = NULL;
	if (r->fd < 0)
		return -EPIPE;
	/*
	 * A peer the daemon refuses is sent a fatal ERROR and hung up on,
	 * perhaps before our request is out: read the reply even then.
	 */
	ret = mvap_io_send(r->fd, iov, n);
	int sent = ret;
	ret = mvap_io_recv_frame(r->fd, h, payload, sent < 0 ? 1000 : -1, 30000, &why);
	if (ret < 0 && sent < 0) {
		snprintf(msg, sizeof(msg), "send: %s", strerror(-sent));
		return remote_gone(r, msg), sent;
	}
	/* A refusal on accept (uid, too many VMs) answers no request: seq 0. */
	if (ret == 0 && h->seq != r->seq && !(h->type == MVAP_T_ERROR && h->seq == 0))
		ret = -EPROTO, why = "the reply's seq is not the request's";
	else if (ret == 0 && h->type != want && h->type != MVAP_T_ERROR)
		ret = -EPROTO, why = "the reply is of the wrong type";
	if (ret < 0) {
		free(*payload);
		*payload = NULL;
		snprintf(msg, sizeof(msg), "%s", why ? why : strerror(-ret));
		return remote_gone(r, msg), ret < 0 && ret > -4096 ? ret : -EPROTO;
	}
	return 0;
}

/* remote_error(r, p, len, err, errlen): an ERROR reply: its errno; a fatal one ends the link. */
static int remote_error(struct authority_remote *r, const uint8_t *p, uint32_t len, char *err,
			size_t errlen)
{
	struct mvap_error e;
	const char *why;

	if (mvap_error_decode(p, len, &e, &why) < 0) {
		remote_gone(r, why);
		return snprintf(err, errlen, "authority %s: %s", r->socket, why), -EPROTO;
	}
	snprintf(err, errlen, "authority %s: %s", r->socket, e.msg);
	if (e.fatal)
		remote_gone(r, e.msg);
	return -e.err;
}

int remote_connect(const char *path, char *err, size_t errlen)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd, e;

	if (strlen(path) >= sizeof(sa.sun_path))
		return snprintf(err, errlen, "%s: socket path too long (at most %zu bytes)", path,
				sizeof(sa.sun_path) - 1), -ENAMETOOLONG;
	strcpy(sa.sun_path, path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		e = errno;
		if (fd >= 0)
			close(fd);
		snprintf(err, errlen, "%s: cannot connect to the module authority: %s%s%s", path,
			 strerror(e), e == ECONNREFUSED || e == ENOENT ?
			 " (is `modvisor authority --listen` running there?" : "",
			 e != ECONNREFUSED && e != ENOENT ? "" : !getenv("MODVISOR_IN_EMUHOST") ? ")" :
			 " from inside `modvisor with-kvm`, a socket of the real host, seen over "
			 "9p, cannot be reached: start `modvisor run --authority` on the real host, "
			 "which takes its connection along)");
		return -e;
	}
	return fd;
}

/* remote_hello(a, kernel, err, errlen): HELLO with the boot facts; WELCOME sets a's policy. */
static int remote_hello(struct authority *a, const uint8_t uuid[16], char *err, size_t errlen)
{
	struct authority_remote *r = a->remote;
	struct mvap_hello m = { .transport = MVAP_TRANSPORT_MODVISOR,
				.flags = MVAP_HELLO_PROTECT };
	struct mvap_welcome w;
	uint8_t frame[MVAP_HDR_LEN + MVAP_SMALL_MAX], *p;
	struct mvap_hdr h;
	const char *why;
	int n, ret;

	memcpy(m.uuid, uuid, 16);
	memcpy(m.kernel_sha256, a->kernel.sha256, 32);
	snprintf(m.name, sizeof(m.name), "%s", r->name);
	snprintf(m.vermagic, sizeof(m.vermagic), "%s", a->kernel.vermagic);
	n = mvap_hello_encode(&m, ++r->seq, frame, sizeof(frame));
	if (n < 0)
		return snprintf(err, errlen, "--name %s: not 1..64 of [A-Za-z0-9._-]", r->name),
		       -EINVAL;
	ret = remote_call(r, &(struct iovec){ frame, (size_t)n }, 1, MVAP_T_WELCOME, &h, &p);
	if (ret < 0)
		return snprintf(err, errlen, "%s: the module authority hung up on HELLO (%s)",
				r->socket, r->lost), ret;
	if (h.type == MVAP_T_ERROR)
		ret = remote_error(r, p, h.len, err, errlen);
	else if (mvap_welcome_decode(p, h.len, &w, &why) < 0)
		ret = -EPROTO, snprintf(err, errlen, "%s: %s", r->socket, why);
	free(p);
	if (ret < 0)
		return ret;
	r->vm_id = w.vm_id;
	a->policy.sig_enforce = w.policy & MVAP_POLICY_SIG_ENFORCE;
	a->policy.protect = w.policy & MVAP_POLICY_PROTECT;
	a->policy.on_violation = w.policy & MVAP_POLICY_VIOLATION_LOG ? POLICY_VIOLATION_LOG :
				 POLICY_VIOLATION_STOP;
	a->policy.require_seal = w.policy & MVAP_POLICY_REQUIRE_SEAL;
	return 0;
}

int remote_open(struct authority **out, const char *socket, int stream, const char *kernel,
		const char *name, const uint8_t uuid[16], char *err, size_t errlen)
{
	struct authority *a = calloc(1, sizeof(*a));
	struct authority_remote *r = calloc(1, sizeof(*r));
	int ret;

	*out = NULL;
	if (!a || !r) {
		free(a);
		free(r);
		if (stream >= 0)
			close(stream);
		return snprintf(err, errlen, "authority: out of memory"), -ENOMEM;
	}
	policy_init(&a->policy);
	a->next_load_id = 1;
	a->remote = r;
	r->fd = -1;
	snprintf(r->socket, sizeof(r->socket), "%s", socket);
	snprintf(r->name, sizeof(r->name), "%s", name);
	mvap_uuid_format(uuid, r->uuid);
	ret = kernel_syms_read(kernel, &a->kernel, err, errlen);
	if (ret == 0)
		ret = r->fd = stream >= 0 ? stream : remote_connect(socket, err, errlen);
	else if (stream >= 0)
		close(stream);
	if (ret >= 0)
		ret = remote_hello(a, uuid, err, errlen);
	if (ret < 0) {
		char ignored[8];
		authority_close(a, ignored, sizeof(ignored));
		return ret;
	}
	*out = a;
	return 0;
}

/* remote_deny(a, v, e, reason): a verdict the daemon did not give: deny, never allow. */
static void remote_deny(struct authority *a, struct authority_verdict *v, int e, const char *reason)
{
	memset(v, 0, sizeof(*v));
	v->err = e;
	v->load_id = a->next_load_id++;
	snprintf(v->reason, sizeof(v->reason), "%s", reason);
	snprintf(v->why, sizeof(v->why), "%s", reason);
	load_states_set(&a->states, v->load_id, LOAD_DENIED);
}

/* The LOAD frame's fields from the request the hypercall copied in. */
static void remote_load_msg(const struct authority_request *req, struct mvap_load *m)
{
	memset(m, 0, sizeof(*m));
	m->source = req->source;
	m->flags = req->flags;
	if (req->path)
		snprintf(m->path, sizeof(m->path), "%s", req->path);
	if (!req->params)
		m->params_flags = MVAP_PARAMS_NONE;
	else
		m->params_len = (uint32_t)strnlen(req->params, MVAP_PARAMS_MAX);
	m->params_flags |= (req->params_cut ? MV_MODPARAMS_CUT : 0) |
			   (req->params_unreadable ? MV_MODPARAMS_UNREADABLE : 0);
	m->image_size = req->len;
	m->image_len = req->image ? req->len : 0;
	m->file_size = req->file ? req->file_len : 0;
	m->file_len = m->file_size <= MVAP_IMAGE_MAX ? m->file_size : 0;
}

int remote_load(struct authority *a, const struct authority_request *req,
		struct authority_verdict *v, char *err, size_t errlen)
{
	struct authority_remote *r = a->remote;
	uint8_t head[MVAP_HDR_LEN + MVAP_LOAD_FIXED + MVAP_PATH_MAX + 1], *p;
	struct mvap_verdict vd;
	struct mvap_load m;
	struct mvap_hdr h;
	const char *why;
	int n, ret;

	(void)err, (void)errlen;
	if (r->fd < 0)
		return remote_deny(a, v, EAGAIN, "the module authority is unreachable"), 0;
	remote_load_msg(req, &m);
	n = mvap_load_encode(&m, ++r->seq, head, sizeof(head));
	if (n < 0)
		return remote_deny(a, v, EINVAL, "the load cannot be described to the authority"), 0;
	struct iovec iov[4] = {
		{ head, (size_t)n }, { (void *)req->params, m.params_len },
		{ (void *)req->image, m.image_len }, { (void *)req->file, m.file_len },
	};
	ret = remote_call(r, iov, 4, MVAP_T_VERDICT, &h, &p);
	if (ret < 0)
		return remote_deny(a, v, EAGAIN, "the module authority is unreachable"), 0;
	if (h.type == MVAP_T_ERROR) {
		char msg[300];
		int e = -remote_error(r, p, h.len, msg, sizeof(msg));
		free(p);
		return remote_deny(a, v, r->fd < 0 ? EAGAIN : e, "the module authority refused the "
				   "request"), 0;
	}
	ret = mvap_verdict_decode(p, h.len, &vd, &why);
	free(p);
	if (ret < 0) {
		remote_gone(r, why);
		return remote_deny(a, v, EAGAIN, "the module authority is unreachable"), 0;
	}
	memset(v, 0, sizeof(*v));
	v->allow = vd.verdict == MV_VERDICT_ALLOW;
	v->err = vd.err;
	v->taints = v->allow ? vd.taints : 0;
	v->load_id = vd.load_id;
	snprintf(v->reason, sizeof(v->reason), "%s", vd.reason);
	/* The VMM's own reading, for its seal and its violation diagnostics. */
	if (v->allow && req->image) {
		const char *packed;
		modname_read(req->image, req->len, v->name, sizeof(v->name), &packed);
	}
	if (vd.load_id >= a->next_load_id)
		a->next_load_id = vd.load_id + 1;
	if (load_states_set(&a->states, vd.load_id, v->allow ? LOAD_ALLOWED : LOAD_DENIED) < 0)
		v->allow = false, v->err = ENOMEM;
	return 0;
}

/* remote_ack(r, iov, err, errlen): send an EVENT or VIOLATION frame, read its ACK. */
static int remote_ack(struct authority_remote *r, const uint8_t *frame, int n, char *err,
		      size_t errlen)
{
	struct mvap_ack ack;
	struct mvap_hdr h;
	const char *why;
	uint8_t *p;
	int ret;

	if (r->fd < 0)
		return snprintf(err, errlen, "authority %s: connection lost earlier (%s)",
				r->socket, r->lost), -EPIPE;
	ret = remote_call(r, &(struct iovec){ (void *)frame, (size_t)n }, 1, MVAP_T_ACK, &h, &p);
	if (ret < 0)
		return snprintf(err, errlen, "authority %s: connection lost (%s)", r->socket,
				r->lost), ret;
	if (h.type == MVAP_T_ERROR)
		ret = remote_error(r, p, h.len, err, errlen);
	else if (mvap_ack_decode(p, h.len, &ack, &why) < 0)
		ret = -EPROTO, snprintf(err, errlen, "authority %s: %s", r->socket, why);
	else if ((ret = ack.status) < 0)
		snprintf(err, errlen, "authority %s: %s", r->socket, ack.why);
	free(p);
	return ret;
}

static void remote_event_msg(const struct mlog_event *e, struct mvap_event *m)
{
	memset(m, 0, sizeof(*m));
	m->load_id = e->load_id;
	m->event = e->event;
	m->err = e->err;
	m->init_ret = e->init_ret;
	m->base = e->base;
	m->taints = e->taints;
	snprintf(m->name, sizeof(m->name), "%s", e->name ? e->name : "");
	if (e->has_fault) {
		m->fault_vector = e->fault_vector;
		m->fault_where = !e->fault_where ? 0 : strcmp(e->fault_where, "core") == 0 ? 1 :
				 strcmp(e->fault_where, "init") == 0 ? 2 : 0;
		m->fault_rip = e->fault_rip;
		m->fault_offset = e->fault_offset;
		m->fault_cr2 = e->fault_cr2;
	}
}

int remote_event(struct authority *a, const struct mlog_event *e, int refused, char *err,
		 size_t errlen)
{
	struct authority_remote *r = a->remote;
	uint8_t frame[MVAP_HDR_LEN + MVAP_SMALL_MAX];
	struct mvap_event m;
	int n, ret;

	remote_event_msg(e, &m);
	/* Names the guest sent may not fit the frame's rules: cut at the first bad byte. */
	for (char *c = m.name; *c; c++)
		if (*c < 0x20 || *c > 0x7e)
			*c = '?';
	n = mvap_event_encode(&m, ++r->seq, frame, sizeof(frame));
	if (n < 0)
		return snprintf(err, errlen, "authority: the event cannot be encoded"), -EINVAL;
	ret = remote_ack(r, frame, n, err, errlen);
	/* A refusal the daemon logged is what remote_refused() wants. */
	return refused && ret == -EINVAL ? 0 : ret;
}

int remote_init_start(struct authority *a, uint32_t load_id, char *why, size_t whylen)
{
	struct mlog_event e = { .load_id = load_id, .event = MV_MODEV_INIT_START, .name = "" };

	return remote_event(a, &e, 0, why, whylen);
}

int remote_refused(struct authority *a, const struct mlog_refusal *r, char *err, size_t errlen)
{
	struct mlog_event e = { .load_id = r->load_id, .event = r->event, .name = r->name };
	int ret = remote_event(a, &e, 1, err, errlen);

	/* The daemon took the event as fitting: it is logged, and the VM still stops. */
	return ret;
}

int remote_violation(struct authority *a, const struct mlog_violation *v, char *err,
		     size_t errlen)
{
	struct authority_remote *r = a->remote;
	uint8_t frame[MVAP_HDR_LEN + MVAP_SMALL_MAX];
	struct mvap_violation m = { .gpa = v->gpa, .value = v->value, .rip = v->rip,
				    .len = v->len };
	int n;

	snprintf(m.target, sizeof(m.target), "%s", v->target);
	snprintf(m.where, sizeof(m.where), "%s", v->where);
	snprintf(m.action, sizeof(m.action), "%s", v->action);
	n = mvap_violation_encode(&m, ++r->seq, frame, sizeof(frame));
	if (n < 0)
		return snprintf(err, errlen, "authority: the violation cannot be encoded"), -EINVAL;
	return remote_ack(r, frame, n, err, errlen);
}

int remote_seal(struct authority *a, const struct mlog_seal *s, char *err, size_t errlen)
{
	struct authority_remote *r = a->remote;
	uint8_t frame[MVAP_HDR_LEN + MVAP_SEAL_FIXED + MVAP_TEXT_MAX];
	bool unseal = strcmp(s->type, "unseal") == 0;
	struct mvap_seal m = {
		.type = unseal ? MVAP_T_UNSEAL : MVAP_T_SEAL, .load_id = s->load_id,
		.part = unseal ? MVAP_SEAL_PART_ALL : strcmp(s->part, "text+rodata") == 0 ?
			MVAP_SEAL_PART_TEXT : MVAP_SEAL_PART_RAI,
		.err = s->err, .gpa = s->err ? 0 : s->gpa, .len = s->err ? 0 : s->len,
	};
	int n;

	if (s->text) {
		m.flags = MVAP_SEALF_DIGEST;
		m.text_size = s->text_size;
		memcpy(m.text_xxh3, s->text->xxh3, sizeof(m.text_xxh3));
		memcpy(m.text_sha256, s->text->digest[MEASURE_SHA256], sizeof(m.text_sha256));
	}
	snprintf(m.why, sizeof(m.why), "%s", s->why ? s->why : "");
	for (char *c = m.why; *c; c++)
		if (*c < 0x20 || *c > 0x7e)
			*c = '?';
	n = mvap_seal_encode(&m, ++r->seq, frame, sizeof(frame));
	if (n < 0)
		return snprintf(err, errlen, "authority: the %s record cannot be encoded", s->type),
		       -EPROTO;
	return remote_ack(r, frame, n, err, errlen);
}

int remote_close(struct authority *a, char *msg, size_t msglen)
{
	struct authority_remote *r = a->remote;
	uint8_t frame[MVAP_HDR_LEN];
	int n;

	if (r->fd >= 0) {
		n = mvap_empty_encode(MVAP_T_BYE, ++r->seq, frame, sizeof(frame));
		if (n > 0)
			mvap_io_send(r->fd, &(struct iovec){ frame, (size_t)n }, 1);
		close(r->fd);
	}
	snprintf(msg, msglen, "measurement log of the authority at %s (vm %s, uuid %s)%s%s",
		 r->socket, r->name, r->uuid, r->lost[0] ? ": connection lost: " : "", r->lost);
	free(r);
	a->remote = NULL;
	return 0;
}
