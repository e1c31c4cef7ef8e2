/* transport_virtio.c: the QEMU transport: the guest speaks the authority protocol (MVAP) itself over the virtio-serial port org.modvisor.authority. */
#include <boot.h>
#include <console.h>
#include <mm.h>
#include <platform.h>
#include <random.h>
#include <virtio.h>
#include <modvisor/mvap.h>
#include <modvisor/version.h>
#include "transport.h"

#define AUTHLINK_PORT   "org.modvisor.authority"
#define EXIT_REFUSED    115     /* the VMM's status for an event the authority refused */
#define EXIT_LOG_LOST   124     /* the VMM's status when an event cannot be logged */

/*
 * How long an answer may take.  The daemon answers a HELLO at once and a
 * LOAD once its log entry is durable; past these the link is given up for
 * good (a late answer would be taken for the next request's): every later
 * load fails with EAGAIN, and a pending event stops the machine.
 */
#define HELLO_TIMEOUT_NS        (30ull * 1000000000ull)
/*
 * How long a HELLO waits for QEMU's chardev to connect: its first connect
 * may come after the guest boots, and after a daemon restart it retries
 * every 2 s (domain-xml's <reconnect timeout='2'/>).
 */
#define LINK_CONNECT_NS         (3ull * 1000000000ull)
#define REPLY_TIMEOUT_NS        (120ull * 1000000000ull)

/*
 * Load ids are the daemon's, per connection: a daemon restarted (QEMU
 * reconnected) knows nothing of the loads the old one allowed.  The
 * loader's load id carries the connection's generation in its top byte,
 * so an event for an older connection's load is known for what it is.
 */
#define LOAD_ID_BITS            24
#define LOAD_ID_MASK            ((1u << LOAD_ID_BITS) - 1)

static bool link_up;            /* HELLO answered by WELCOME on this connection */
static uint32_t link_gen;       /* 1-255: which connection (0: none yet) */
static bool link_dead;          /* an answer came too late or garbled: never again */
static uint32_t link_seq;
static uint8_t frame[MVAP_HDR_LEN + MVAP_SMALL_MAX];
static uint8_t reply[MVAP_SMALL_MAX];

/* The value of "key=" on the kernel command line, copied into out (n bytes); false if absent. */
static bool cmdline_value(const char *key, char *out, size_t n)
{
	size_t k = strlen(key);

	for (const char *p = boot_cmdline; *p; p++) {
		size_t i = 0;

		if ((p != boot_cmdline && p[-1] != ' ') || strncmp(p, key, k))
			continue;
		for (p += k; p[i] && p[i] != ' ' && i + 1 < n; i++)
			out[i] = p[i];
		out[i] = '\0';
		return i > 0;
	}
	return false;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c |= 0x20;
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* An RFC 4122 UUID string (8-4-4-4-12 hex digits) into 16 bytes in its byte order. */
static bool uuid_parse(const char *s, uint8_t out[16])
{
	int n = 0;

	for (int i = 0; i < 36; i++) {
		int hi, lo;

		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (s[i] != '-')
				return false;
			continue;
		}
		hi = hexval(s[i]);
		lo = hexval(s[++i]);
		if (hi < 0 || lo < 0)
			return false;
		out[n++] = (uint8_t)(hi << 4 | lo);
	}
	return s[36] == '\0';
}

/* Read one frame of the wanted type (or ERROR) with our seq into reply; its payload length or -errno. */
static long link_reply(uint32_t want, struct mvap_hdr *h, uint64_t timeout_ns)
{
	const char *why;
	int err;

	if ((err = vcon_read(frame, MVAP_HDR_LEN, timeout_ns)) ||
	    (err = mvap_hdr_decode(frame, h, &why)) || h->len > sizeof(reply) ||
	    (err = vcon_read(reply, h->len, timeout_ns)) ||
	    h->seq != link_seq || (h->type != want && h->type != MVAP_T_ERROR)) {
		if (err != -EPIPE)
			link_dead = true;       /* out of step with the stream */
		return err ? err : -MVAP_EPROTO;
	}
	return h->len;
}

static void link_error_text(const uint8_t *p, uint32_t len, char *out, size_t n)
{
	struct mvap_error e;
	const char *why;

	if (mvap_error_decode(p, len, &e, &why))
		strscpy(out, "the module authority sent a malformed error", n);
	else
		strscpy(out, e.msg, n);
}

/* HELLO with the name and UUID libvirt's domain-xml put on the command line; 0 once WELCOMEd. */
static int link_hello(void)
{
	struct mvap_hello m = { .transport = MVAP_TRANSPORT_QEMU };
	struct mvap_welcome w;
	struct mvap_hdr h;
	char uuid[40], msg[MVAP_TEXT_MAX + 1];
	const char *why;
	long n;
	int len;

	if (!cmdline_value("mv.name=", m.name, sizeof(m.name)) ||
	    !mvap_name_ok(m.name, strlen(m.name)))
		strscpy(m.name, "pvh-guest", sizeof(m.name));
	if (!cmdline_value("mv.uuid=", uuid, sizeof(uuid)) || !uuid_parse(uuid, m.uuid)) {
		get_random_bytes(m.uuid, sizeof(m.uuid));
		m.uuid[6] = (m.uuid[6] & 0x0f) | 0x40;  /* version 4 */
		m.uuid[8] = (m.uuid[8] & 0x3f) | 0x80;
	}
	strscpy(m.vermagic, MODVISOR_VERMAGIC, sizeof(m.vermagic));
	len = mvap_hello_encode(&m, ++link_seq, frame, sizeof(frame));
	if (len < 0)
		return -EINVAL;
	if (vcon_write(frame, (size_t)len))
		return -EPIPE;
	n = link_reply(MVAP_T_WELCOME, &h, HELLO_TIMEOUT_NS);
	if (n < 0)
		return (int)n;
	if (h.type == MVAP_T_ERROR) {
		link_error_text(reply, (uint32_t)n, msg, sizeof(msg));
		printk("authority: HELLO refused: %s\n", msg);
		return -EACCES;
	}
	if (mvap_welcome_decode(reply, (uint32_t)n, &w, &why)) {
		link_dead = true;
		return -MVAP_EPROTO;
	}
	link_up = true;
	link_gen = link_gen % 255 + 1;
	return 0;
}

int virtio_authlink_open(void)
{
	int err = vcon_open(AUTHLINK_PORT);

	if (err)
		return err;
	return vcon_wait_connected(LINK_CONNECT_NS) ? link_hello() : -EPIPE;
}

/* A usable link: the current one, or a new HELLO after QEMU reconnected. */
static bool link_ready(void)
{
	if (link_up && vcon_connected())
		return true;
	link_up = false;
	return !link_dead && vcon_wait_connected(LINK_CONNECT_NS) && link_hello() == 0;
}

static int link_send_load(const struct mod_verdict_req *req)
{
	struct mvap_load m = {
		.source = req->source, .flags = req->flags,
		.params_flags = req->params ? req->params_flags : MVAP_PARAMS_NONE,
		.params = (const uint8_t *)req->params, .params_len = req->params ? req->params_len : 0,
		.image_size = req->len, .image_len = req->len <= MVAP_IMAGE_MAX ? req->len : 0,
		.file_size = req->file ? req->file_len : 0,
		.file_len = req->file && req->file_len <= MVAP_IMAGE_MAX ? req->file_len : 0,
	};
	int len;

	if (req->path)
		strscpy(m.path, req->path, sizeof(m.path));
	len = mvap_load_encode(&m, ++link_seq, frame, sizeof(frame));
	if (len < 0)
		return -EINVAL;
	if (vcon_write(frame, (size_t)len) || vcon_write(m.params, m.params_len) ||
	    vcon_write(req->image, m.image_len) || vcon_write(req->file, m.file_len))
		return -EPIPE;
	return 0;
}

static int virtio_verdict(const struct mod_verdict_req *req, struct mod_verdict *v)
{
	struct mvap_verdict mv;
	struct mvap_hdr h;
	const char *why;
	long n;

	if (!link_ready() || link_send_load(req) ||
	    (n = link_reply(MVAP_T_VERDICT, &h, REPLY_TIMEOUT_NS)) < 0) {
		link_up = false;
		transport_refuse(v, EAGAIN, "the module authority is unreachable");
		return 0;
	}
	if (h.type == MVAP_T_ERROR) {
		link_error_text(reply, (uint32_t)n, v->reason, sizeof(v->reason));
		transport_refuse(v, EAGAIN, v->reason);
		return 0;
	}
	if (mvap_verdict_decode(reply, (uint32_t)n, &mv, &why)) {
		link_up = false;
		link_dead = true;
		transport_refuse(v, EAGAIN, "the module authority sent a malformed verdict");
		return 0;
	}
	if (mv.verdict == MV_VERDICT_ALLOW && mv.load_id > LOAD_ID_MASK) {
		transport_refuse(v, EAGAIN, "the module authority's load ids ran out");
		return 0;       /* not loaded, so no event is owed */
	}
	v->allow = mv.verdict == MV_VERDICT_ALLOW;
	v->err = mv.err;
	v->taints = mv.taints;
	v->load_id = mv.load_id | link_gen << LOAD_ID_BITS;
	strscpy(v->reason, mv.reason, sizeof(v->reason));
	return 0;
}

/*
 * As under the VMM: an event the authority refuses stops the machine (115),
 * and so does one that cannot be logged (124): no measurement is dropped.
 */
static void virtio_event(const struct mod_event *ev)
{
	struct mvap_event m = {
		.load_id = ev->load_id & LOAD_ID_MASK, .event = ev->event, .err = ev->err,
		.init_ret = ev->init_ret, .base = ev->base, .taints = ev->taints,
		.fault_vector = ev->fault_vector, .fault_where = ev->fault_where,
		.fault_rip = ev->fault_rip, .fault_offset = ev->fault_offset,
		.fault_cr2 = ev->fault_cr2,
	};
	struct mvap_ack ack;
	struct mvap_hdr h;
	const char *why;
	long n = -EPIPE;
	int len;

	if (ev->event == MV_MODEV_INIT_START)
		return;         /* the init watchdog is the VMM's; the daemon does not log it */
	strscpy(m.name, ev->name ? ev->name : "", sizeof(m.name));
	if (ev->load_id >> LOAD_ID_BITS != link_gen) {
		printk("authority: %s (load %u) was allowed by an earlier authority connection: "
		       "its event cannot be logged: stopping\n", m.name, m.load_id);
		console_flush();
		platform->exit(EXIT_LOG_LOST);
	}
	len = mvap_event_encode(&m, ++link_seq, frame, sizeof(frame));
	if (len > 0 && link_up && !vcon_write(frame, (size_t)len))
		n = link_reply(MVAP_T_ACK, &h, REPLY_TIMEOUT_NS);
	if (n < 0 || h.type != MVAP_T_ACK || mvap_ack_decode(reply, (uint32_t)n, &ack, &why) ||
	    (ack.status && ack.status != -EINVAL)) {
		printk("authority: the event for load %u could not be logged: stopping\n",
		       ev->load_id);
		console_flush();
		platform->exit(EXIT_LOG_LOST);
	}
	if (ack.status == -EINVAL) {
		printk("authority: event for load %u refused: %s\n", ev->load_id, ack.why);
		console_flush();
		platform->exit(EXIT_REFUSED);
	}
}

const struct auth_transport transport_virtio = {
	.name = "virtio-serial",
	.verdict = virtio_verdict,
	.event = virtio_event,
};
