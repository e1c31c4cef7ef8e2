/* mvap.c: the authority protocol's codec: frames to and from bytes, every field checked. */
#include <stddef.h>
#include <stdint.h>
#include <modvisor/abi/hypercall.h>
#include <modvisor/abi/module.h>
#include <modvisor/mvap.h>

/* A cursor over bytes being read; every get checks the bounds first. */
struct mvap_rd {
	const uint8_t *p;
	uint64_t len, off;
};

static uint64_t mvap_get(struct mvap_rd *r, unsigned n)
{
	uint64_t v = 0;

	for (unsigned i = 0; i < n; i++)
		v |= (uint64_t)r->p[r->off + i] << (8 * i);
	r->off += n;
	return v;
}

static void mvap_put(uint8_t *out, uint32_t *off, uint64_t v, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		out[*off + i] = (uint8_t)(v >> (8 * i));
	*off += n;
}

static void mvap_put_bytes(uint8_t *out, uint32_t *off, const void *src, uint32_t n)
{
	const uint8_t *s = src;

	for (uint32_t i = 0; i < n; i++)
		out[*off + i] = s[i];
	*off += n;
}

static uint32_t mvap_strnlen(const char *s, uint32_t max)
{
	uint32_t n = 0;

	while (n < max && s[n])
		n++;
	return n;
}

/* Copy n bytes of text into a char[n + 1] and terminate it. */
static void mvap_copy_str(char *dst, const uint8_t *src, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++)
		dst[i] = (char)src[i];
	dst[n] = '\0';
}

static int mvap_printable(const uint8_t *p, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++)
		if (p[i] < 0x20 || p[i] > 0x7e)
			return 0;
	return 1;
}

static int mvap_bad(const char **why, const char *w)
{
	*why = w;
	return -MVAP_EBADMSG;
}

/* A string field: n <= max, printable ASCII; copied into dst (char[max + 1]). */
static int mvap_text(struct mvap_rd *r, uint32_t n, uint32_t max, char *dst)
{
	if (n > max || !mvap_printable(r->p + r->off, n))
		return -1;
	mvap_copy_str(dst, r->p + r->off, n);
	r->off += n;
	return 0;
}

uint64_t mvap_type_cap(uint32_t type)
{
	switch (type) {
	case MVAP_T_LOAD:
		return MVAP_LOAD_MAX;
	case MVAP_T_STATUS_TEXT:
		return MVAP_STATUS_MAX;
	case MVAP_T_STATUS:
	case MVAP_T_BYE:
		return 0;
	default:
		return type >= 1 && type < MVAP_T_COUNT ? MVAP_SMALL_MAX : 0;
	}
}

const char *mvap_type_name(uint32_t type)
{
	static const char *const names[MVAP_T_COUNT] = {
		[MVAP_T_HELLO] = "HELLO", [MVAP_T_WELCOME] = "WELCOME", [MVAP_T_LOAD] = "LOAD",
		[MVAP_T_VERDICT] = "VERDICT", [MVAP_T_EVENT] = "EVENT", [MVAP_T_ACK] = "ACK",
		[MVAP_T_VIOLATION] = "VIOLATION", [MVAP_T_SEAL] = "SEAL",
		[MVAP_T_UNSEAL] = "UNSEAL", [MVAP_T_SEAL_RESULT] = "SEAL_RESULT",
		[MVAP_T_STATUS] = "STATUS", [MVAP_T_STATUS_TEXT] = "STATUS_TEXT",
		[MVAP_T_BYE] = "BYE", [MVAP_T_ERROR] = "ERROR",
	};
	return type < MVAP_T_COUNT && names[type] ? names[type] : "unknown";
}

void mvap_hdr_encode(uint8_t out[MVAP_HDR_LEN], uint32_t type, uint32_t len, uint32_t seq)
{
	uint32_t off = 0;

	mvap_put(out, &off, MVAP_MAGIC, 4);
	mvap_put(out, &off, MVAP_VERSION, 2);
	mvap_put(out, &off, type, 2);
	mvap_put(out, &off, len, 4);
	mvap_put(out, &off, seq, 4);
}

int mvap_hdr_decode(const uint8_t in[MVAP_HDR_LEN], struct mvap_hdr *h, const char **why)
{
	struct mvap_rd r = { in, MVAP_HDR_LEN, 0 };

	h->magic = (uint32_t)mvap_get(&r, 4);
	h->version = (uint16_t)mvap_get(&r, 2);
	h->type = (uint16_t)mvap_get(&r, 2);
	h->len = (uint32_t)mvap_get(&r, 4);
	h->seq = (uint32_t)mvap_get(&r, 4);
	if (h->magic != MVAP_MAGIC)
		return *why = "header: bad magic (not the modvisor authority protocol)", -MVAP_EPROTO;
	if (h->version != MVAP_VERSION)
		return *why = "header: protocol version is not 1", -MVAP_EPROTONOSUPPORT;
	if (h->type == 0 || h->type >= MVAP_T_COUNT)
		return *why = "header: unknown message type", -MVAP_ENOMSG;
	if (h->len > mvap_type_cap(h->type))
		return *why = "header: len is above the message type's cap", -MVAP_EMSGSIZE;
	return 0;
}

/* Start a frame: check room for header + fixed (+ head), write the header. */
static int mvap_begin(uint8_t *out, uint32_t cap, uint32_t need, uint32_t type, uint32_t len,
		      uint32_t seq, uint32_t *off)
{
	if (need > cap)
		return -MVAP_ENOBUFS;
	mvap_hdr_encode(out, type, len, seq);
	*off = MVAP_HDR_LEN;
	return 0;
}

int mvap_name_ok(const char *s, uint32_t n)
{
	if (n == 0 || n > MVAP_NAME_MAX)
		return 0;
	if ((n == 1 && s[0] == '.') || (n == 2 && s[0] == '.' && s[1] == '.'))
		return 0;
	for (uint32_t i = 0; i < n; i++) {
		char c = s[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '.' || c == '_' || c == '-'))
			return 0;
	}
	return 1;
}

/* ---- HELLO / WELCOME ------------------------------------------------------ */

static int mvap_zero(const uint8_t *p, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++)
		if (p[i])
			return 0;
	return 1;
}

int mvap_hello_encode(const struct mvap_hello *m, uint32_t seq, uint8_t *out, uint32_t cap)
{
	uint32_t nl = mvap_strnlen(m->name, MVAP_NAME_MAX + 1);
	uint32_t vl = mvap_strnlen(m->vermagic, MVAP_VERMAGIC_MAX + 1);
	uint32_t len = MVAP_HELLO_FIXED + nl + vl, off;
	const char *why;

	if (!mvap_name_ok(m->name, nl) || vl > MVAP_VERMAGIC_MAX)
		return -MVAP_EBADMSG;
	if (mvap_begin(out, cap, MVAP_HDR_LEN + len, MVAP_T_HELLO, len, seq, &off) < 0)
		return -MVAP_ENOBUFS;
	mvap_put(out, &off, m->transport, 4);
	mvap_put(out, &off, m->flags, 4);
	mvap_put_bytes(out, &off, m->uuid, 16);
	mvap_put_bytes(out, &off, m->kernel_sha256, 32);
	mvap_put(out, &off, nl, 2);
	mvap_put(out, &off, vl, 2);
	mvap_put(out, &off, 0, 4);
	mvap_put_bytes(out, &off, m->name, nl);
	mvap_put_bytes(out, &off, m->vermagic, vl);
	{
		struct mvap_hello chk;
		if (mvap_hello_decode(out + MVAP_HDR_LEN, len, &chk, &why) < 0)
			return -MVAP_EBADMSG;
	}
	return (int)off;
}

int mvap_hello_decode(const uint8_t *p, uint32_t len, struct mvap_hello *m, const char **why)
{
	struct mvap_rd r = { p, len, 0 };
	uint32_t nl, vl;

	if (len < MVAP_HELLO_FIXED)
		return mvap_bad(why, "HELLO: shorter than its fixed part (64 bytes)");
	m->transport = (uint32_t)mvap_get(&r, 4);
	m->flags = (uint32_t)mvap_get(&r, 4);
	for (int i = 0; i < 16; i++)
		m->uuid[i] = p[8 + i];
	for (int i = 0; i < 32; i++)
		m->kernel_sha256[i] = p[24 + i];
	r.off = 56;
	nl = (uint32_t)mvap_get(&r, 2);
	vl = (uint32_t)mvap_get(&r, 2);
	if (m->transport != MVAP_TRANSPORT_MODVISOR && m->transport != MVAP_TRANSPORT_QEMU)
		return mvap_bad(why, "HELLO: transport is neither modvisor (1) nor qemu (2)");
	if (m->flags & ~MVAP_HELLO_FLAGS_ALL)
		return mvap_bad(why, "HELLO: flags outside MVAP_HELLO_*");
	if (mvap_zero(m->uuid, 16))
		return mvap_bad(why, "HELLO: uuid is all zero");
	if (mvap_get(&r, 4) != 0)
		return mvap_bad(why, "HELLO: reserved is not 0");
	if (nl == 0 || nl > MVAP_NAME_MAX)
		return mvap_bad(why, "HELLO: name_len is not 1..64");
	if (vl > MVAP_VERMAGIC_MAX)
		return mvap_bad(why, "HELLO: vermagic_len is above 255");
	if ((uint64_t)MVAP_HELLO_FIXED + nl + vl != len)
		return mvap_bad(why, "HELLO: name_len + vermagic_len disagree with the frame's len");
	if (!mvap_name_ok((const char *)p + MVAP_HELLO_FIXED, nl))
		return mvap_bad(why, "HELLO: name is not 1..64 of [A-Za-z0-9._-]");
	mvap_copy_str(m->name, p + MVAP_HELLO_FIXED, nl);
	r.off = MVAP_HELLO_FIXED + nl;
	if (mvap_text(&r, vl, MVAP_VERMAGIC_MAX, m->vermagic) < 0)
		return mvap_bad(why, "HELLO: vermagic is not printable ASCII");
	return 0;
}

int mvap_welcome_encode(const struct mvap_welcome *m, uint32_t seq, uint8_t *out, uint32_t cap)
{
	uint32_t off;

	if (mvap_begin(out, cap, MVAP_HDR_LEN + MVAP_WELCOME_LEN, MVAP_T_WELCOME,
		       MVAP_WELCOME_LEN, seq, &off) < 0)
		return -MVAP_ENOBUFS;
	mvap_put(out, &off, m->policy, 4);
	mvap_put(out, &off, m->vm_id, 4);
	mvap_put(out, &off, m->image_max, 8);
	mvap_put(out, &off, 0, 8);
	return (int)off;
}

int mvap_welcome_decode(const uint8_t *p, uint32_t len, struct mvap_welcome *m, const char **why)
{
	struct mvap_rd r = { p, len, 0 };

	if (len != MVAP_WELCOME_LEN)
		return mvap_bad(why, "WELCOME: len is not 24");
	m->policy = (uint32_t)mvap_get(&r, 4);
	m->vm_id = (uint32_t)mvap_get(&r, 4);
	m->image_max = mvap_get(&r, 8);
	if (mvap_get(&r, 8) != 0)
		return mvap_bad(why, "WELCOME: reserved is not 0");
	if (m->policy & ~15u)
		return mvap_bad(why, "WELCOME: policy outside MVAP_POLICY_*");
	return 0;
}

/* ---- LOAD / VERDICT -------------------------------------------------------- */

/* The rules of a LOAD's fixed part, shared by the encoder and the decoder. */
static const char *mvap_load_rules(const struct mvap_load *m, uint32_t path_len)
{
	if (m->source != MV_MODSRC_INIT_MODULE && m->source != MV_MODSRC_FINIT_MODULE)
		return "LOAD: source is neither init_module (1) nor finit_module (2)";
	if (m->flags & ~MV_MODULE_INIT_FLAGS_ALL)
		return "LOAD: flags outside MODULE_INIT_*";
	if (m->params_flags & ~(MV_MODPARAMS_CUT | MV_MODPARAMS_UNREADABLE | MVAP_PARAMS_NONE))
		return "LOAD: params_flags outside MV_MODPARAMS_* and MVAP_PARAMS_NONE";
	if ((m->params_flags & MVAP_PARAMS_NONE) && m->params_len)
		return "LOAD: params_len is not 0 with MVAP_PARAMS_NONE";
	if (m->params_len > MVAP_PARAMS_MAX)
		return "LOAD: params_len is above 1024";
	if (path_len > MVAP_PATH_MAX)
		return "LOAD: path_len is above 255";
	if (m->source == MV_MODSRC_INIT_MODULE && path_len)
		return "LOAD: init_module has no path";
	if (m->source == MV_MODSRC_FINIT_MODULE && !path_len)
		return "LOAD: finit_module without a path";
	if (m->image_len != (m->image_size <= MVAP_IMAGE_MAX ? m->image_size : 0))
		return "LOAD: image_len is neither image_size nor 0 for an image above 64 MiB";
	if (m->file_len != (m->file_size <= MVAP_IMAGE_MAX ? m->file_size : 0))
		return "LOAD: file_len is neither file_size nor 0 for a file above 64 MiB";
	return NULL;
}

int mvap_load_encode(const struct mvap_load *m, uint32_t seq, uint8_t *out, uint32_t cap)
{
	uint32_t pl = mvap_strnlen(m->path, MVAP_PATH_MAX + 1), off;
	uint64_t len = MVAP_LOAD_FIXED + (uint64_t)pl + m->params_len + m->image_len + m->file_len;

	if (mvap_load_rules(m, pl) || len > MVAP_LOAD_MAX)
		return -MVAP_EBADMSG;
	if (mvap_begin(out, cap, MVAP_HDR_LEN + MVAP_LOAD_FIXED + pl, MVAP_T_LOAD, (uint32_t)len,
		       seq, &off) < 0)
		return -MVAP_ENOBUFS;
	mvap_put(out, &off, m->source, 4);
	mvap_put(out, &off, m->flags, 4);
	mvap_put(out, &off, m->params_flags, 4);
	mvap_put(out, &off, pl, 2);
	mvap_put(out, &off, m->params_len, 2);
	mvap_put(out, &off, m->image_size, 8);
	mvap_put(out, &off, m->image_len, 8);
	mvap_put(out, &off, m->file_size, 8);
	mvap_put(out, &off, m->file_len, 8);
	mvap_put_bytes(out, &off, m->path, pl);
	return (int)off;
}

int mvap_load_decode(const uint8_t *p, uint64_t len, struct mvap_load *m, const char **why)
{
	struct mvap_rd r = { p, len, 0 };
	uint32_t pl;
	const char *bad;

	if (len < MVAP_LOAD_FIXED)
		return mvap_bad(why, "LOAD: shorter than its fixed part (48 bytes)");
	m->source = (uint32_t)mvap_get(&r, 4);
	m->flags = (uint32_t)mvap_get(&r, 4);
	m->params_flags = (uint32_t)mvap_get(&r, 4);
	pl = (uint32_t)mvap_get(&r, 2);
	m->params_len = (uint32_t)mvap_get(&r, 2);
	m->image_size = mvap_get(&r, 8);
	m->image_len = mvap_get(&r, 8);
	m->file_size = mvap_get(&r, 8);
	m->file_len = mvap_get(&r, 8);
	bad = mvap_load_rules(m, pl);
	if (bad)
		return mvap_bad(why, bad);
	/* Each term is capped above, so this sum cannot overflow. */
	if (MVAP_LOAD_FIXED + (uint64_t)pl + m->params_len + m->image_len + m->file_len != len)
		return mvap_bad(why, "LOAD: path, params, image and file lengths disagree with the "
				"frame's len");
	for (uint32_t i = 0; i < pl; i++)
		if (p[r.off + i] == 0)
			return mvap_bad(why, "LOAD: path holds a NUL byte");
	mvap_copy_str(m->path, p + r.off, pl);
	r.off += pl;
	m->params = p + r.off;
	r.off += m->params_len;
	m->image = p + r.off;
	r.off += m->image_len;
	m->file = m->file_len ? p + r.off : NULL;
	return 0;
}

int mvap_verdict_encode(const struct mvap_verdict *m, uint32_t seq, uint8_t *out, uint32_t cap)
{
	uint32_t rl = mvap_strnlen(m->reason, MVAP_REASON_MAX + 1), off;
	uint32_t len = MVAP_VERDICT_FIXED + rl;

	if (rl > MVAP_REASON_MAX || !mvap_printable((const uint8_t *)m->reason, rl))
		return -MVAP_EBADMSG;
	if (mvap_begin(out, cap, MVAP_HDR_LEN + len, MVAP_T_VERDICT, len, seq, &off) < 0)
		return -MVAP_ENOBUFS;
	mvap_put(out, &off, m->verdict, 4);
	mvap_put(out, &off, (uint32_t)m->err, 4);
	mvap_put(out, &off, m->taints, 4);
	mvap_put(out, &off, m->load_id, 4);
	mvap_put(out, &off, rl, 2);
	mvap_put(out, &off, m->seal, 2);
	mvap_put_bytes(out, &off, m->reason, rl);
	return (int)off;
}

int mvap_verdict_decode(const uint8_t *p, uint32_t len, struct mvap_verdict *m, const char **why)
{
	struct mvap_rd r = { p, len, 0 };
	uint32_t rl;

	if (len < MVAP_VERDICT_FIXED)
		return mvap_bad(why, "VERDICT: shorter than its fixed part (20 bytes)");
	m->verdict = (uint32_t)mvap_get(&r, 4);
	m->err = (int32_t)(uint32_t)mvap_get(&r, 4);
	m->taints = (uint32_t)mvap_get(&r, 4);
	m->load_id = (uint32_t)mvap_get(&r, 4);
	rl = (uint32_t)mvap_get(&r, 2);
	m->seal = (uint16_t)mvap_get(&r, 2);
	if (m->verdict != MV_VERDICT_ALLOW && m->verdict != MV_VERDICT_DENY)
		return mvap_bad(why, "VERDICT: verdict is neither allow (1) nor deny (2)");
	if (m->verdict == MV_VERDICT_ALLOW ? m->err != 0 : (m->err <= 0 || m->err > 4095))
		return mvap_bad(why, "VERDICT: errno is not 0 for allow, 1..4095 for deny");
	if (m->load_id == 0)
		return mvap_bad(why, "VERDICT: load_id is 0");
	if (m->seal > MVAP_SEAL_UNAVAILABLE)
		return mvap_bad(why, "VERDICT: seal outside MVAP_SEAL_*");
	if (rl > MVAP_REASON_MAX || MVAP_VERDICT_FIXED + rl != len)
		return mvap_bad(why, "VERDICT: reason_len disagrees with the frame's len (or > 127)");
	if (mvap_text(&r, rl, MVAP_REASON_MAX, m->reason) < 0)
		return mvap_bad(why, "VERDICT: reason is not printable ASCII");
	return 0;
}

/* ---- EVENT / ACK / VIOLATION / ERROR ---------------------------------------- */

int mvap_event_encode(const struct mvap_event *m, uint32_t seq, uint8_t *out, uint32_t cap)
{
	uint32_t nl = mvap_strnlen(m->name, MVAP_MODNAME_MAX + 1), off;
	uint32_t len = MVAP_EVENT_FIXED + nl;

	if (nl > MVAP_MODNAME_MAX)
		return -MVAP_EBADMSG;
	if (mvap_begin(out, cap, MVAP_HDR_LEN + len, MVAP_T_EVENT, len, seq, &off) < 0)
		return -MVAP_ENOBUFS;
	mvap_put(out, &off, m->load_id, 4);
	mvap_put(out, &off, m->event, 4);
	mvap_put(out, &off, (uint32_t)m->err, 4);
	mvap_put(out, &off, (uint32_t)m->init_ret, 4);
	mvap_put(out, &off, m->base, 8);
	mvap_put(out, &off, m->taints, 4);
	mvap_put(out, &off, m->fault_vector, 4);
	mvap_put(out, &off, m->fault_where, 4);
	mvap_put(out, &off, nl, 4);
	mvap_put(out, &off, m->fault_rip, 8);
	mvap_put(out, &off, m->fault_offset, 8);
	mvap_put(out, &off, m->fault_cr2, 8);
	mvap_put_bytes(out, &off, m->name, nl);
	return (int)off;
}

/*
 * The event's number and load id are not range-checked here: an event
 * that does not fit its load id's state is the daemon's to refuse and log
 * (as MV_HC_MODULE_EVENT's are), not a malformed frame.
 */
int mvap_event_decode(const uint8_t *p, uint32_t len, struct mvap_event *m, const char **why)
{
	struct mvap_rd r = { p, len, 0 };
	uint32_t nl;

	if (len < MVAP_EVENT_FIXED)
		return mvap_bad(why, "EVENT: shorter than its fixed part (64 bytes)");
	m->load_id = (uint32_t)mvap_get(&r, 4);
	m->event = (uint32_t)mvap_get(&r, 4);
	m->err = (int32_t)(uint32_t)mvap_get(&r, 4);
	m->init_ret = (int32_t)(uint32_t)mvap_get(&r, 4);
	m->base = mvap_get(&r, 8);
	m->taints = (uint32_t)mvap_get(&r, 4);
	m->fault_vector = (uint32_t)mvap_get(&r, 4);
	m->fault_where = (uint32_t)mvap_get(&r, 4);
	nl = (uint32_t)mvap_get(&r, 4);
	m->fault_rip = mvap_get(&r, 8);
	m->fault_offset = mvap_get(&r, 8);
	m->fault_cr2 = mvap_get(&r, 8);
	if (m->err < 0 || m->err > 4095)
		return mvap_bad(why, "EVENT: err is not a positive errno (0..4095)");
	if (m->fault_where > MV_FAULT_IN_INIT)
		return mvap_bad(why, "EVENT: fault_where outside enum mv_fault_where");
	if (m->fault_vector > 255)
		return mvap_bad(why, "EVENT: fault_vector is above 255");
	if (m->taints >> 18)
		return mvap_bad(why, "EVENT: taints outside Linux's 18 taint bits");
	if (nl > MVAP_MODNAME_MAX || MVAP_EVENT_FIXED + nl != len)
		return mvap_bad(why, "EVENT: name_len disagrees with the frame's len (or > 55)");
	for (uint32_t i = 0; i < nl; i++)
		if (p[r.off + i] == 0)
			return mvap_bad(why, "EVENT: name holds a NUL byte");
	mvap_copy_str(m->name, p + r.off, nl);
	return 0;
}

/*
 * The rules of a SEAL or UNSEAL record beyond its lengths (the header's
 * comment): NULL when m keeps them, else the rule it breaks.
 */
static const char *mvap_seal_rules(const struct mvap_seal *m)
{
	int digest = m->flags & MVAP_SEALF_DIGEST, zero = 1;

	for (unsigned i = 0; i < 16; i++)
		zero &= m->text_xxh3[i] == 0;
	for (unsigned i = 0; i < 32; i++)
		zero &= m->text_sha256[i] == 0;
	if (m->load_id == 0)
		return "SEAL: load_id 0 names no load";
	if (m->flags & ~MVAP_SEALF_DIGEST)
		return "SEAL: flags outside MVAP_SEALF_DIGEST";
	if (m->err < 0 || m->err > 4095)
		return "SEAL: err is not 0 or a positive errno (1..4095)";
	if (m->type == MVAP_T_UNSEAL ? m->part != MVAP_SEAL_PART_ALL || m->err :
	    m->part != MVAP_SEAL_PART_TEXT && m->part != MVAP_SEAL_PART_RAI)
		return "SEAL: part is not text+rodata or ro_after_init (UNSEAL: all, err 0)";
	if (m->err && m->part != MVAP_SEAL_PART_TEXT)
		return "SEAL: only a seal of text+rodata can be refused";
	if (m->err && (m->gpa || m->len))
		return "SEAL: a refused seal changed no pages: gpa and len must be 0";
	if (m->gpa + m->len < m->gpa)
		return "SEAL: gpa + len overflows";
	if (!!digest != (m->type == MVAP_T_SEAL && m->part == MVAP_SEAL_PART_TEXT && !m->err))
		return "SEAL: the digest comes with a done seal of text+rodata, and only with it";
	if (digest ? !m->text_size || m->text_size > m->len || zero :
	    m->text_size || !zero)
		return "SEAL: text_size and the digest disagree with DIGEST (0 < text_size <= len)";
	return NULL;
}

int mvap_seal_encode(const struct mvap_seal *m, uint32_t seq, uint8_t *out, uint32_t cap)
{
	uint32_t wl = mvap_strnlen(m->why, MVAP_TEXT_MAX + 1), off;
	uint32_t len = MVAP_SEAL_FIXED + wl;

	if ((m->type != MVAP_T_SEAL && m->type != MVAP_T_UNSEAL) || mvap_seal_rules(m) ||
	    wl > MVAP_TEXT_MAX || !mvap_printable((const uint8_t *)m->why, wl))
		return -MVAP_EBADMSG;
	if (mvap_begin(out, cap, MVAP_HDR_LEN + len, m->type, len, seq, &off) < 0)
		return -MVAP_ENOBUFS;
	mvap_put(out, &off, m->load_id, 4);
	mvap_put(out, &off, m->part, 2);
	mvap_put(out, &off, m->flags, 2);
	mvap_put(out, &off, (uint32_t)m->err, 4);
	mvap_put(out, &off, wl, 2);
	mvap_put(out, &off, 0, 2);
	mvap_put(out, &off, m->gpa, 8);
	mvap_put(out, &off, m->len, 8);
	mvap_put(out, &off, m->text_size, 8);
	mvap_put_bytes(out, &off, m->text_xxh3, 16);
	mvap_put_bytes(out, &off, m->text_sha256, 32);
	mvap_put(out, &off, 0, 8);
	mvap_put_bytes(out, &off, m->why, wl);
	return (int)off;
}

int mvap_seal_decode(uint32_t type, const uint8_t *p, uint32_t len, struct mvap_seal *m,
		     const char **why)
{
	struct mvap_rd r = { p, len, 0 };
	const char *rule;
	uint32_t wl;

	if (type != MVAP_T_SEAL && type != MVAP_T_UNSEAL)
		return mvap_bad(why, "SEAL: not a SEAL or UNSEAL frame");
	if (len < MVAP_SEAL_FIXED)
		return mvap_bad(why, "SEAL: shorter than its fixed part (96 bytes)");
	m->type = type;
	m->load_id = (uint32_t)mvap_get(&r, 4);
	m->part = (uint16_t)mvap_get(&r, 2);
	m->flags = (uint16_t)mvap_get(&r, 2);
	m->err = (int32_t)(uint32_t)mvap_get(&r, 4);
	wl = (uint32_t)mvap_get(&r, 2);
	if (mvap_get(&r, 2) != 0)
		return mvap_bad(why, "SEAL: reserved (offset 14) is not 0");
	m->gpa = mvap_get(&r, 8);
	m->len = mvap_get(&r, 8);
	m->text_size = mvap_get(&r, 8);
	for (unsigned i = 0; i < 16; i++)
		m->text_xxh3[i] = p[r.off + i];
	r.off += 16;
	for (unsigned i = 0; i < 32; i++)
		m->text_sha256[i] = p[r.off + i];
	r.off += 32;
	if (mvap_get(&r, 8) != 0)
		return mvap_bad(why, "SEAL: reserved (offset 88) is not 0");
	if ((rule = mvap_seal_rules(m)) != NULL)
		return mvap_bad(why, rule);
	if (wl > MVAP_TEXT_MAX || MVAP_SEAL_FIXED + wl != len)
		return mvap_bad(why, "SEAL: why_len disagrees with the frame's len (or > 255)");
	if (mvap_text(&r, wl, MVAP_TEXT_MAX, m->why) < 0)
		return mvap_bad(why, "SEAL: why is not printable ASCII");
	return 0;
}

int mvap_ack_encode(const struct mvap_ack *m, uint32_t seq, uint8_t *out, uint32_t cap)
{
	uint32_t wl = mvap_strnlen(m->why, MVAP_TEXT_MAX + 1), off;
	uint32_t len = MVAP_ACK_FIXED + wl;

	if (wl > MVAP_TEXT_MAX || !mvap_printable((const uint8_t *)m->why, wl) || m->status > 0)
		return -MVAP_EBADMSG;
	if (mvap_begin(out, cap, MVAP_HDR_LEN + len, MVAP_T_ACK, len, seq, &off) < 0)
		return -MVAP_ENOBUFS;
	mvap_put(out, &off, (uint32_t)m->status, 4);
	mvap_put(out, &off, wl, 2);
	mvap_put(out, &off, 0, 2);
	mvap_put_bytes(out, &off, m->why, wl);
	return (int)off;
}

int mvap_ack_decode(const uint8_t *p, uint32_t len, struct mvap_ack *m, const char **why)
{
	struct mvap_rd r = { p, len, 0 };
	uint32_t wl;

	if (len < MVAP_ACK_FIXED)
		return mvap_bad(why, "ACK: shorter than its fixed part (8 bytes)");
	m->status = (int32_t)(uint32_t)mvap_get(&r, 4);
	wl = (uint32_t)mvap_get(&r, 2);
	if (m->status > 0 || m->status < -4095)
		return mvap_bad(why, "ACK: status is not 0 or -errno");
	if (mvap_get(&r, 2) != 0)
		return mvap_bad(why, "ACK: reserved is not 0");
	if (wl > MVAP_TEXT_MAX || MVAP_ACK_FIXED + wl != len)
		return mvap_bad(why, "ACK: why_len disagrees with the frame's len (or > 255)");
	if (mvap_text(&r, wl, MVAP_TEXT_MAX, m->why) < 0)
		return mvap_bad(why, "ACK: why is not printable ASCII");
	return 0;
}

int mvap_violation_encode(const struct mvap_violation *m, uint32_t seq, uint8_t *out,
			  uint32_t cap)
{
	uint32_t tl = mvap_strnlen(m->target, MVAP_TEXT_MAX + 1);
	uint32_t wl = mvap_strnlen(m->where, MVAP_TEXT_MAX + 1);
	uint32_t al = mvap_strnlen(m->action, MVAP_TEXT_MAX + 1);
	uint32_t len = MVAP_VIOLATION_FIXED + tl + wl + al, off;

	if (tl > MVAP_TEXT_MAX || wl > MVAP_TEXT_MAX || al > MVAP_TEXT_MAX ||
	    !mvap_printable((const uint8_t *)m->target, tl) ||
	    !mvap_printable((const uint8_t *)m->where, wl) ||
	    !mvap_printable((const uint8_t *)m->action, al))
		return -MVAP_EBADMSG;
	if (mvap_begin(out, cap, MVAP_HDR_LEN + len, MVAP_T_VIOLATION, len, seq, &off) < 0)
		return -MVAP_ENOBUFS;
	mvap_put(out, &off, m->gpa, 8);
	mvap_put(out, &off, m->value, 8);
	mvap_put(out, &off, m->rip, 8);
	mvap_put(out, &off, m->len, 4);
	mvap_put(out, &off, tl, 2);
	mvap_put(out, &off, wl, 2);
	mvap_put(out, &off, al, 2);
	mvap_put(out, &off, 0, 6);
	mvap_put_bytes(out, &off, m->target, tl);
	mvap_put_bytes(out, &off, m->where, wl);
	mvap_put_bytes(out, &off, m->action, al);
	return (int)off;
}

int mvap_violation_decode(const uint8_t *p, uint32_t len, struct mvap_violation *m,
			  const char **why)
{
	struct mvap_rd r = { p, len, 0 };
	uint32_t tl, wl, al;

	if (len < MVAP_VIOLATION_FIXED)
		return mvap_bad(why, "VIOLATION: shorter than its fixed part (40 bytes)");
	m->gpa = mvap_get(&r, 8);
	m->value = mvap_get(&r, 8);
	m->rip = mvap_get(&r, 8);
	m->len = (uint32_t)mvap_get(&r, 4);
	tl = (uint32_t)mvap_get(&r, 2);
	wl = (uint32_t)mvap_get(&r, 2);
	al = (uint32_t)mvap_get(&r, 2);
	if (mvap_get(&r, 6) != 0)
		return mvap_bad(why, "VIOLATION: reserved is not 0");
	if (m->len == 0 || m->len > 8)
		return mvap_bad(why, "VIOLATION: len is not 1..8");
	if (tl > MVAP_TEXT_MAX || wl > MVAP_TEXT_MAX || al > MVAP_TEXT_MAX ||
	    (uint64_t)MVAP_VIOLATION_FIXED + tl + wl + al != len)
		return mvap_bad(why, "VIOLATION: string lengths disagree with the frame's len");
	if (mvap_text(&r, tl, MVAP_TEXT_MAX, m->target) < 0 ||
	    mvap_text(&r, wl, MVAP_TEXT_MAX, m->where) < 0 ||
	    mvap_text(&r, al, MVAP_TEXT_MAX, m->action) < 0)
		return mvap_bad(why, "VIOLATION: a string is not printable ASCII");
	return 0;
}

int mvap_error_encode(const struct mvap_error *m, uint32_t seq, uint8_t *out, uint32_t cap)
{
	uint32_t ml = mvap_strnlen(m->msg, MVAP_TEXT_MAX + 1), off;
	uint32_t len = MVAP_ERROR_FIXED + ml;

	if (ml > MVAP_TEXT_MAX || !mvap_printable((const uint8_t *)m->msg, ml) || m->err <= 0)
		return -MVAP_EBADMSG;
	if (mvap_begin(out, cap, MVAP_HDR_LEN + len, MVAP_T_ERROR, len, seq, &off) < 0)
		return -MVAP_ENOBUFS;
	mvap_put(out, &off, (uint32_t)m->err, 4);
	mvap_put(out, &off, ml, 2);
	mvap_put(out, &off, m->fatal ? 1 : 0, 2);
	mvap_put_bytes(out, &off, m->msg, ml);
	return (int)off;
}

int mvap_error_decode(const uint8_t *p, uint32_t len, struct mvap_error *m, const char **why)
{
	struct mvap_rd r = { p, len, 0 };
	uint32_t ml;

	if (len < MVAP_ERROR_FIXED)
		return mvap_bad(why, "ERROR: shorter than its fixed part (8 bytes)");
	m->err = (int32_t)(uint32_t)mvap_get(&r, 4);
	ml = (uint32_t)mvap_get(&r, 2);
	m->fatal = (uint16_t)mvap_get(&r, 2);
	if (m->err <= 0 || m->err > 4095)
		return mvap_bad(why, "ERROR: errno is not 1..4095");
	if (m->fatal > 1)
		return mvap_bad(why, "ERROR: fatal is not 0 or 1");
	if (ml > MVAP_TEXT_MAX || MVAP_ERROR_FIXED + ml != len)
		return mvap_bad(why, "ERROR: msg_len disagrees with the frame's len (or > 255)");
	if (mvap_text(&r, ml, MVAP_TEXT_MAX, m->msg) < 0)
		return mvap_bad(why, "ERROR: msg is not printable ASCII");
	return 0;
}

/* ---- payload-less frames and text ------------------------------------------ */

int mvap_empty_encode(uint32_t type, uint32_t seq, uint8_t *out, uint32_t cap)
{
	uint32_t off;

	if (type != MVAP_T_STATUS && type != MVAP_T_BYE)
		return -MVAP_EBADMSG;
	if (mvap_begin(out, cap, MVAP_HDR_LEN, type, 0, seq, &off) < 0)
		return -MVAP_ENOBUFS;
	return (int)off;
}

int mvap_text_check(const uint8_t *p, uint32_t len, const char **why)
{
	for (uint32_t i = 0; i < len; i++)
		if ((p[i] < 0x20 || p[i] > 0x7e) && p[i] != '\n')
			return mvap_bad(why, "STATUS_TEXT: not printable ASCII and newlines");
	return 0;
}

int mvap_text_encode(uint32_t type, const char *text, uint32_t n, uint32_t seq, uint8_t *out,
		     uint32_t cap)
{
	uint32_t off;
	const char *why;

	if (type != MVAP_T_STATUS_TEXT || n > MVAP_STATUS_MAX ||
	    mvap_text_check((const uint8_t *)text, n, &why) < 0)
		return -MVAP_EBADMSG;
	if (mvap_begin(out, cap, MVAP_HDR_LEN + n, type, n, seq, &off) < 0)
		return -MVAP_ENOBUFS;
	mvap_put_bytes(out, &off, text, n);
	return (int)off;
}
