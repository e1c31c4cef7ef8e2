/* daemon_vm.c: one VM's connection to `modvisor authority`: every frame checked, loads decided on the bytes received. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include <sys/socket.h>

#include <modvisor/abi/hypercall.h>
#include "authority/mvap_io.h"
#include "daemon.h"

/* A protocol error: what to tell the VM and the log before hanging up. */
struct fleet_fault {
	int err;                        /* positive errno for the ERROR frame */
	char why[200];
};

static int fleet_send(struct fleet_vm *vm, const uint8_t *frame, int n)
{
	if (n < 0)
		return n;
	return mvap_io_send(vm->fd, &(struct iovec){ (void *)frame, (size_t)n }, 1);
}

static int fleet_send_error(struct fleet_vm *vm, uint32_t seq, int e, bool fatal, const char *msg)
{
	struct mvap_error m = { .err = e, .fatal = fatal };
	uint8_t frame[MVAP_HDR_LEN + MVAP_ERROR_FIXED + MVAP_TEXT_MAX];

	snprintf(m.msg, sizeof(m.msg), "%s", msg);
	for (char *c = m.msg; *c; c++)
		if (*c < 0x20 || *c > 0x7e)
			*c = '?';
	return fleet_send(vm, frame, mvap_error_encode(&m, seq, frame, sizeof(frame)));
}

static int fleet_fail(struct fleet_fault *ff, int e, const char *fmt, const char *arg)
{
	ff->err = e;
	snprintf(ff->why, sizeof(ff->why), fmt, arg);
	return -1;
}

/*
 * fleet_qemu_identity(pid, name, uuid): a guest under QEMU speaks for
 * itself, so its HELLO is only a claim.  The peer is the QEMU process
 * (SO_PEERCRED), and libvirt starts it with `-name guest=NAME,...` and
 * `-uuid UUID`: read them from /proc/PID/cmdline ("" when absent).
 */
static void fleet_qemu_identity(pid_t pid, char name[MVAP_NAME_MAX + 1], char uuid[37])
{
	char path[64], buf[16384], *end;
	ssize_t n;
	int fd;

	name[0] = uuid[0] = '\0';
	snprintf(path, sizeof(path), "/proc/%d/cmdline", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return;
	buf[n] = '\0';
	end = buf + n;
	for (char *a = buf; a < end; a += strlen(a) + 1) {
		char *v = a + strlen(a) + 1;

		if (v >= end)
			break;
		if (strcmp(a, "-uuid") == 0)
			snprintf(uuid, 37, "%.36s", v);
		if (strcmp(a, "-name") == 0) {
			if (strncmp(v, "guest=", 6) == 0)
				v += 6;
			snprintf(name, MVAP_NAME_MAX + 1, "%.*s", (int)strcspn(v, ","), v);
		}
	}
}

/* A qemu HELLO's name and uuid must be those QEMU was started with, when it says. */
static int fleet_qemu_check(struct fleet_vm *vm, const struct mvap_hello *m,
			    struct fleet_fault *ff)
{
	char name[MVAP_NAME_MAX + 1], uuid[37], claimed[37];

	fleet_qemu_identity(vm->pid, name, uuid);
	mvap_uuid_format(m->uuid, claimed);
	if (name[0] && strcmp(name, m->name) != 0)
		return fleet_fail(ff, EACCES, "HELLO: the name is not the QEMU process's -name "
				  "(%.64s)", name);
	if (uuid[0] && strcasecmp(uuid, claimed) != 0)
		return fleet_fail(ff, EACCES, "HELLO: the uuid is not the QEMU process's -uuid "
				  "(%.36s)", uuid);
	return 0;
}

/* HELLO: the VM's identity and boot facts, checked against the daemon's kernel. */
static int fleet_hello(struct fleet_vm *vm, const struct mvap_hdr *h, const uint8_t *p,
		       struct fleet_fault *ff)
{
	struct fleet *f = vm->f;
	static const uint8_t zero[32];
	struct mvap_hello m;
	struct mvap_welcome w = { .vm_id = vm->id, .image_max = MVAP_IMAGE_MAX };
	uint8_t frame[MVAP_HDR_LEN + MVAP_WELCOME_LEN];
	const struct policy *pol = &f->auth->policy;
	char fields[160], err[512];
	const char *why;

	if (vm->hello)
		return fleet_fail(ff, EPROTO, "a second HELLO%s", "");
	if (mvap_hello_decode(p, h->len, &m, &why) < 0)
		return fleet_fail(ff, EBADMSG, "%s", why);
	if (memcmp(m.kernel_sha256, zero, 32) && memcmp(m.kernel_sha256, f->auth->kernel.sha256, 32))
		return fleet_fail(ff, ENOEXEC, "the VM's kernel is not the authority's (%.100s): "
				  "kernel_sha256 differs", f->kernel);
	if (m.vermagic[0] && strcmp(m.vermagic, f->auth->kernel.vermagic) != 0)
		return fleet_fail(ff, ENOEXEC, "the VM's vermagic is not the authority's kernel's "
				  "(%.100s)", f->kernel);
	if (m.transport == MVAP_TRANSPORT_QEMU && fleet_qemu_check(vm, &m, ff) < 0)
		return -1;
	pthread_mutex_lock(&f->mu);
	if (fleet_name_taken(f, vm, m.name)) {
		pthread_mutex_unlock(&f->mu);
		return fleet_fail(ff, EEXIST, "a VM named %s is connected already", m.name);
	}
	snprintf(vm->name, sizeof(vm->name), "%s", m.name);
	mvap_uuid_format(m.uuid, vm->uuid);
	vm->transport = m.transport;
	vm->tag = (struct mlog_vm){ vm->name, vm->uuid };
	vm->hello = true;
	pthread_mutex_unlock(&f->mu);
	if (authority_open_vm(&vm->auth, f->auth, &vm->tag, m.transport == MVAP_TRANSPORT_QEMU) < 0)
		return fleet_fail(ff, ENOMEM, "out of memory%s", "");
	/*
	 * A modvisor VMM that makes memory read-only seals every module under
	 * protect = on: the daemon then refuses init and "loaded" before the
	 * seal, as the VMM does (authority_event_step()).
	 */
	vm->auth->seal_required = pol->protect && m.transport == MVAP_TRANSPORT_MODVISOR &&
				  (m.flags & MVAP_HELLO_PROTECT);
	snprintf(fields, sizeof(fields), ",\"vm_id\":%u,\"transport\":\"%s\",\"pid\":%d,\"uid\":%u",
		 vm->id, m.transport == MVAP_TRANSPORT_QEMU ? "qemu" : "modvisor", (int)vm->pid,
		 (unsigned)vm->uid);
	if (mlog_vm_entry(f->auth->log, &vm->tag, "attach", fields, err, sizeof(err)) < 0)
		return fleet_fail(ff, EIO, "measurement log: %.160s", err);
	w.policy = (pol->sig_enforce ? MVAP_POLICY_SIG_ENFORCE : 0) |
		   (pol->protect ? MVAP_POLICY_PROTECT : 0) |
		   (pol->on_violation == POLICY_VIOLATION_LOG ? MVAP_POLICY_VIOLATION_LOG : 0) |
		   (pol->require_seal ? MVAP_POLICY_REQUIRE_SEAL : 0);
	return fleet_send(vm, frame, mvap_welcome_encode(&w, h->seq, frame, sizeof(frame)));
}

/*
 * LOAD: decide on exactly the bytes received (the frame's one buffer) and
 * answer only once the entry is durable (the log's group commit).
 */
static int fleet_load(struct fleet_vm *vm, const struct mvap_hdr *h, const uint8_t *p,
		      struct fleet_fault *ff)
{
	struct mvap_load m;
	struct authority_request req;
	struct authority_verdict v;
	struct mvap_verdict out = { 0 };
	uint8_t frame[MVAP_HDR_LEN + MVAP_VERDICT_FIXED + MVAP_REASON_MAX];
	char params[MVAP_PARAMS_MAX + 1], err[512];
	const char *why;

	if (mvap_load_decode(p, h->len, &m, &why) < 0)
		return fleet_fail(ff, EBADMSG, "%s", why);
	memcpy(params, m.params, m.params_len);
	params[m.params_len] = '\0';            /* cut at an embedded NUL, as the VMM does */
	req = (struct authority_request){
		.image = m.image_size <= MVAP_IMAGE_MAX ? m.image : NULL, .len = m.image_size,
		.source = m.source, .flags = m.flags, .path = m.path[0] ? m.path : NULL,
		.file = m.file, .file_len = m.file_len,
		.params = m.params_flags & MVAP_PARAMS_NONE ? NULL : params,
		.params_cut = m.params_flags & MV_MODPARAMS_CUT,
		.params_unreadable = m.params_flags & MV_MODPARAMS_UNREADABLE,
	};
	if (authority_load(vm->auth, &req, &v, err, sizeof(err)) < 0)
		return fleet_fail(ff, EIO, "measurement log: %.140s (nothing is acknowledged)", err);
	__atomic_add_fetch(&vm->loads, 1, __ATOMIC_RELAXED);
	__atomic_add_fetch(v.allow ? &vm->allowed : &vm->denied, 1, __ATOMIC_RELAXED);
	out.verdict = v.allow ? MV_VERDICT_ALLOW : MV_VERDICT_DENY;
	out.err = v.allow ? 0 : v.err;
	out.taints = v.taints;
	out.load_id = v.load_id;
	out.seal = vm->transport == MVAP_TRANSPORT_QEMU ? MVAP_SEAL_UNAVAILABLE : MVAP_SEAL_NONE;
	snprintf(out.reason, sizeof(out.reason), "%s", v.allow ? "" : v.reason);
	for (char *c = out.reason; *c; c++)
		if (*c < 0x20 || *c > 0x7e)
			*c = '?';
	return fleet_send(vm, frame, mvap_verdict_encode(&out, h->seq, frame, sizeof(frame)));
}

static int fleet_ack(struct fleet_vm *vm, uint32_t seq, int status, const char *why)
{
	struct mvap_ack a = { .status = status };
	uint8_t frame[MVAP_HDR_LEN + MVAP_ACK_FIXED + MVAP_TEXT_MAX];

	snprintf(a.why, sizeof(a.why), "%s", why);
	return fleet_send(vm, frame, mvap_ack_encode(&a, seq, frame, sizeof(frame)));
}

/* The exception of an INIT_FAULT, or of an UNLOADED whose exit faulted (as hc_module.c). */
static void fleet_fault_fields(const struct mvap_event *m, struct mlog_event *e)
{
	static const char *const where[] = { "kernel", "core", "init" };

	if (m->event != MV_MODEV_INIT_FAULT && !(m->event == MV_MODEV_UNLOADED && m->fault_rip))
		return;
	e->has_fault = true;
	e->fault_vector = m->fault_vector;
	e->fault_where = where[m->fault_where];    /* 0..2: checked by the codec */
	e->fault_rip = m->fault_rip;
	e->fault_offset = m->fault_offset;
	e->fault_cr2 = m->fault_cr2;
}

/* EVENT: stepped through the load id's state as in-process; a misfit is refused and logged. */
static int fleet_event(struct fleet_vm *vm, const struct mvap_hdr *h, const uint8_t *p,
		       struct fleet_fault *ff)
{
	struct mvap_event m;
	struct mlog_event e;
	char why[256], err[512];
	const char *bad;

	if (mvap_event_decode(p, h->len, &m, &bad) < 0)
		return fleet_fail(ff, EBADMSG, "%s", bad);
	e = (struct mlog_event){ .load_id = m.load_id, .event = m.event, .err = m.err,
				 .init_ret = m.init_ret, .name = m.name, .base = m.base,
				 .taints = m.taints };
	if (m.event < MV_MODEV_LOADED || m.event > MV_MODEV_INIT_START)
		snprintf(why, sizeof(why), "unknown event %u", m.event);
	else if (authority_event_step(vm->auth, m.load_id, m.event, why, sizeof(why)) == 0)
		why[0] = '\0';
	if (why[0]) {
		struct mlog_refusal r = {
			.load_id = m.load_id, .event = m.event, .name = m.name, .why = why,
			.state = load_state_name(load_states_get(&vm->auth->states, m.load_id)),
		};
		if (authority_refused(vm->auth, &r, err, sizeof(err)) < 0)
			return fleet_fail(ff, EIO, "measurement log: %.160s", err);
		return fleet_ack(vm, h->seq, -EINVAL, why);
	}
	__atomic_add_fetch(&vm->events, 1, __ATOMIC_RELAXED);
	if (m.event == MV_MODEV_INIT_START)
		return fleet_ack(vm, h->seq, 0, "");
	fleet_fault_fields(&m, &e);
	if (authority_event(vm->auth, &e, err, sizeof(err)) < 0)
		return fleet_fail(ff, EIO, "measurement log: %.160s", err);
	return fleet_ack(vm, h->seq, 0, "");
}

/* VIOLATION: only a modvisor VMM detects them; logged with the VM's tag. */
static int fleet_violation(struct fleet_vm *vm, const struct mvap_hdr *h, const uint8_t *p,
			   struct fleet_fault *ff)
{
	struct mvap_violation m;
	struct mlog_violation v;
	char err[512];
	const char *bad;

	if (vm->transport != MVAP_TRANSPORT_MODVISOR)
		return fleet_fail(ff, EPROTO, "VIOLATION from a %s guest: only a modvisor VMM "
				  "reports them", "qemu");
	if (mvap_violation_decode(p, h->len, &m, &bad) < 0)
		return fleet_fail(ff, EBADMSG, "%s", bad);
	v = (struct mlog_violation){ .gpa = m.gpa, .len = m.len, .value = m.value,
				     .target = m.target, .rip = m.rip, .where = m.where,
				     .action = m.action };
	if (authority_violation(vm->auth, &v, err, sizeof(err)) < 0)
		return fleet_fail(ff, EIO, "measurement log: %.160s", err);
	return fleet_ack(vm, h->seq, 0, "");
}

/*
 * SEAL and UNSEAL: the VMM re-derived, compared and locked (or refused);
 * the daemon steps the load id's seal state, names the module from its own
 * reading of the image, and logs.  A record that does not fit is refused
 * and logged as an event's would be; the VMM then stops the VM.
 */
static int fleet_seal(struct fleet_vm *vm, const struct mvap_hdr *h, const uint8_t *p,
		      struct fleet_fault *ff)
{
	static const char *const parts[] = { "", "text+rodata", "ro_after_init", "all" };
	struct measurement text = { 0 };
	struct mvap_seal m;
	struct mlog_seal e;
	char why[256], err[512];
	const char *bad;

	if (vm->transport != MVAP_TRANSPORT_MODVISOR)
		return fleet_fail(ff, EPROTO, "%s from a qemu guest: only a modvisor VMM seals",
				  mvap_type_name(h->type));
	if (mvap_seal_decode(h->type, p, h->len, &m, &bad) < 0)
		return fleet_fail(ff, EBADMSG, "%s", bad);
	e = (struct mlog_seal){ .type = h->type == MVAP_T_UNSEAL ? "unseal" : "seal",
				.load_id = m.load_id, .part = parts[m.part], .err = m.err,
				.why = m.why, .gpa = m.gpa, .len = m.len, .vm = &vm->tag,
				.name = authority_load_name(vm->auth, m.load_id) };
	if (m.flags & MVAP_SEALF_DIGEST) {
		memcpy(text.xxh3, m.text_xxh3, sizeof(text.xxh3));
		memcpy(text.digest[MEASURE_SHA256], m.text_sha256, 32);
		e.text = &text;
		e.text_size = m.text_size;
	}
	if (authority_seal_step(vm->auth, &e, why, sizeof(why)) < 0) {
		struct mlog_refusal r = {
			.load_id = m.load_id, .name = e.name, .why = why,
			.event = h->type == MVAP_T_UNSEAL ? LOAD_EV_UNSEAL : LOAD_EV_SEAL,
			.state = load_state_name(load_states_get(&vm->auth->states, m.load_id)),
		};
		if (authority_refused(vm->auth, &r, err, sizeof(err)) < 0)
			return fleet_fail(ff, EIO, "measurement log: %.160s", err);
		return fleet_ack(vm, h->seq, -EINVAL, why);
	}
	if (authority_seal(vm->auth, &e, err, sizeof(err)) < 0)
		return fleet_fail(ff, EIO, "measurement log: %.160s", err);
	__atomic_add_fetch(&vm->seals, 1, __ATOMIC_RELAXED);
	return fleet_ack(vm, h->seq, 0, "");
}

static int fleet_status(struct fleet_vm *vm, const struct mvap_hdr *h)
{
	static const uint32_t cap = MVAP_STATUS_MAX;
	uint8_t *frame = malloc(MVAP_HDR_LEN + cap);
	char *text = malloc(cap);
	int ret = -ENOMEM;

	if (frame && text) {
		uint32_t n = fleet_status_text(vm->f, text, cap);
		ret = fleet_send(vm, frame, mvap_text_encode(MVAP_T_STATUS_TEXT, text, n, h->seq,
							     frame, MVAP_HDR_LEN + cap));
	}
	free(frame);
	free(text);
	return ret;
}

/*
 * fleet_dispatch(vm, h, p, ff): one request.  Returns 0 to go on, 1 after
 * BYE, -1 with ff set for a protocol error, or -errno when the reply could
 * not be sent.
 */
static int fleet_dispatch(struct fleet_vm *vm, const struct mvap_hdr *h, const uint8_t *p,
			  struct fleet_fault *ff)
{
	if (h->type == MVAP_T_STATUS)
		return fleet_status(vm, h);
	if (h->type == MVAP_T_HELLO)
		return fleet_hello(vm, h, p, ff);
	if (!vm->hello)
		return fleet_fail(ff, EPROTO, "%s before HELLO", mvap_type_name(h->type));
	switch (h->type) {
	case MVAP_T_LOAD:
		return fleet_load(vm, h, p, ff);
	case MVAP_T_EVENT:
		return fleet_event(vm, h, p, ff);
	case MVAP_T_VIOLATION:
		return fleet_violation(vm, h, p, ff);
	case MVAP_T_BYE:
		return 1;
	case MVAP_T_SEAL:
	case MVAP_T_UNSEAL:
		return fleet_seal(vm, h, p, ff);
	default:
		return fleet_fail(ff, EPROTO, "%s is not a request", mvap_type_name(h->type));
	}
}

/* fleet_vm_end(vm, what, why): log the VM's detach (after HELLO), unlink it, free it. */
static void fleet_vm_end(struct fleet_vm *vm, const char *what, const char *why)
{
	struct fleet *f = vm->f;
	char fields[400], err[512], esc[256];
	size_t o = 0;

	if (vm->hello) {
		/* why comes from our own strings and the codec's: escape it anyway. */
		for (const char *c = why; *c && o < sizeof(esc) - 7; c++)
			o += (size_t)(*c == '"' || *c == '\\' || *c < 0x20 || *c > 0x7e ?
				      snprintf(esc + o, sizeof(esc) - o, "\\u%04x", (unsigned char)*c) :
				      (esc[o] = *c, 1));
		esc[o] = '\0';
		snprintf(fields, sizeof(fields), ",\"why\":\"%s\",\"loads\":%llu,\"events\":%llu",
			 esc, (unsigned long long)vm->loads, (unsigned long long)vm->events);
		if (mlog_vm_entry(f->auth->log, &vm->tag, what, fields, err, sizeof(err)) < 0)
			fprintf(stderr, "modvisor authority: vm %s: measurement log: %s\n", vm->name,
				err);
		authority_close(vm->auth, err, sizeof(err));
	}
	pthread_mutex_lock(&f->mu);
	for (struct fleet_vm **pp = &f->vms; *pp; pp = &(*pp)->next)
		if (*pp == vm) {
			*pp = vm->next;
			break;
		}
	f->nvms--;
	close(vm->fd);
	pthread_cond_broadcast(&f->gone);
	pthread_mutex_unlock(&f->mu);
	free(vm);
	measure_thread_done();
}

void *fleet_vm_serve(void *arg)
{
	struct fleet_vm *vm = arg;
	struct fleet_fault ff = { 0 };
	const char *why = NULL;
	struct mvap_hdr h = { 0 };
	uint8_t *p;
	int ret;

	for (;;) {
		ret = mvap_io_recv_frame(vm->fd, &h, &p, -1, FLEET_BODY_MS, &why);
		if (ret == -ENODATA)
			return fleet_vm_end(vm, "detach", "disconnected"), NULL;
		if (ret < 0) {
			int e = ret == -MVAP_EPROTO || ret == -MVAP_EPROTONOSUPPORT ||
				ret == -MVAP_ENOMSG || ret == -MVAP_EMSGSIZE ? -ret : EPROTO;
			fprintf(stderr, "modvisor authority: vm %u (%s, pid %d): %s: disconnected\n",
				vm->id, vm->hello ? vm->name : "before HELLO", (int)vm->pid, why);
			fleet_send_error(vm, h.seq, e, true, why);
			return fleet_vm_end(vm, "detach", why), NULL;
		}
		ret = fleet_dispatch(vm, &h, p, &ff);
		free(p);
		if (ret == 1)
			return fleet_vm_end(vm, "detach", "bye"), NULL;
		if (ret == -1) {
			fprintf(stderr, "modvisor authority: vm %u (%s, pid %d): %s: disconnected\n",
				vm->id, vm->hello ? vm->name : "before HELLO", (int)vm->pid, ff.why);
			fleet_send_error(vm, h.seq, ff.err, true, ff.why);
			return fleet_vm_end(vm, "detach", ff.why), NULL;
		}
		if (ret < 0)
			return fleet_vm_end(vm, "detach", "the reply could not be sent"), NULL;
	}
}
