/* mvap.h: encode and check authority-protocol frames (freestanding; the VMM, the daemon and the guest). */
#ifndef MODVISOR_MVAP_H
#define MODVISOR_MVAP_H

#include <stdint.h>
#include <modvisor/abi/authority_proto.h>

/*
 * Return values are Linux errno numbers, spelled here because the guest
 * has no <errno.h>.  Every decoder checks every field as hostile input and
 * on failure sets *why to a constant string naming the field and the rule.
 */
#define MVAP_ENOMSG          42   /* unknown message type */
#define MVAP_EPROTO          71   /* bad magic: not an MVAP stream */
#define MVAP_EBADMSG         74   /* a field out of range, or lengths that disagree */
#define MVAP_EMSGSIZE        90   /* a frame above its type's cap */
#define MVAP_EPROTONOSUPPORT 93   /* another protocol version */
#define MVAP_ENOBUFS        105   /* (encoders) the output buffer is too small */

struct mvap_hdr {
	uint32_t magic;
	uint16_t version;
	uint16_t type;
	uint32_t len;
	uint32_t seq;
};

struct mvap_hello {
	uint32_t transport;             /* MVAP_TRANSPORT_* */
	uint32_t flags;                 /* MVAP_HELLO_* */
	uint8_t uuid[16];
	uint8_t kernel_sha256[32];      /* all zero: unknown */
	char name[MVAP_NAME_MAX + 1];
	char vermagic[MVAP_VERMAGIC_MAX + 1];
};

struct mvap_welcome {
	uint32_t policy;                /* MVAP_POLICY_* */
	uint32_t vm_id;
	uint64_t image_max;
};

/*
 * A LOAD.  Decoded, params/image/file point into the payload (the one copy
 * the receiver holds).  Encoded, only their lengths are written: the sender
 * writes the params, image and file bytes after the encoded head.
 */
struct mvap_load {
	uint32_t source;                /* MV_MODSRC_* */
	uint32_t flags;                 /* MV_MODULE_INIT_* */
	uint32_t params_flags;          /* MV_MODPARAMS_* | MVAP_PARAMS_NONE */
	char path[MVAP_PATH_MAX + 1];   /* "" for init_module */
	const uint8_t *params;
	uint32_t params_len;
	uint64_t image_size;
	const uint8_t *image;
	uint64_t image_len;             /* image_size, or 0 when it is too large */
	uint64_t file_size;
	const uint8_t *file;
	uint64_t file_len;              /* file_size, or 0 when too large */
};

struct mvap_verdict {
	uint32_t verdict;               /* MV_VERDICT_* */
	int32_t err;
	uint32_t taints;
	uint32_t load_id;
	uint16_t seal;                  /* MVAP_SEAL_* */
	char reason[MVAP_REASON_MAX + 1];
};

struct mvap_event {
	uint32_t load_id, event;
	int32_t err, init_ret;
	uint64_t base;
	uint32_t taints, fault_vector, fault_where;
	uint64_t fault_rip, fault_offset, fault_cr2;
	char name[MVAP_MODNAME_MAX + 1];
};

/* SEAL or UNSEAL (type says which). */
struct mvap_seal {
	uint32_t type;                  /* MVAP_T_SEAL or MVAP_T_UNSEAL */
	uint32_t load_id;
	uint16_t part;                  /* MVAP_SEAL_PART_* */
	uint16_t flags;                 /* MVAP_SEALF_* */
	int32_t err;
	uint64_t gpa, len, text_size;
	uint8_t text_xxh3[16], text_sha256[32];
	char why[MVAP_TEXT_MAX + 1];
};

struct mvap_ack {
	int32_t status;                 /* 0, or -errno */
	char why[MVAP_TEXT_MAX + 1];
};

struct mvap_violation {
	uint64_t gpa, value, rip;
	uint32_t len;
	char target[MVAP_TEXT_MAX + 1], where[MVAP_TEXT_MAX + 1], action[MVAP_TEXT_MAX + 1];
};

struct mvap_error {
	int32_t err;                    /* positive errno */
	uint16_t fatal;
	char msg[MVAP_TEXT_MAX + 1];
};

/* mvap_type_cap(type): the largest payload a frame of type may carry (0: unknown type). */
uint64_t mvap_type_cap(uint32_t type);

/* mvap_type_name(type): "HELLO", "LOAD", ...; "unknown" for others. */
const char *mvap_type_name(uint32_t type);

/*
 * mvap_hdr_encode(out, type, len, seq): the 16-byte header.
 * mvap_hdr_decode(in, h, why): check magic, version, type and the type's
 * cap.  0, or -MVAP_EPROTO / -MVAP_EPROTONOSUPPORT / -MVAP_ENOMSG /
 * -MVAP_EMSGSIZE with why (h is filled in as far as it was read).
 */
void mvap_hdr_encode(uint8_t out[MVAP_HDR_LEN], uint32_t type, uint32_t len, uint32_t seq);
int mvap_hdr_decode(const uint8_t in[MVAP_HDR_LEN], struct mvap_hdr *h, const char **why);

/*
 * mvap_TYPE_encode(m, seq, out, cap): a whole frame (header + payload) into
 * (out, cap); returns its length, or -MVAP_ENOBUFS, or -MVAP_EBADMSG when m
 * itself breaks a rule (the encoder refuses to send what a decoder refuses).
 * For LOAD the frame's header counts the params, image and file bytes, but
 * only the head (header, fixed part, path) is written: the caller sends
 * params, image and file after it.
 *
 * mvap_TYPE_decode(payload, len, m, why): check and decode a payload of
 * len bytes.  0, or -MVAP_EBADMSG with why.
 */
int mvap_hello_encode(const struct mvap_hello *m, uint32_t seq, uint8_t *out, uint32_t cap);
int mvap_hello_decode(const uint8_t *p, uint32_t len, struct mvap_hello *m, const char **why);
int mvap_welcome_encode(const struct mvap_welcome *m, uint32_t seq, uint8_t *out, uint32_t cap);
int mvap_welcome_decode(const uint8_t *p, uint32_t len, struct mvap_welcome *m, const char **why);
int mvap_load_encode(const struct mvap_load *m, uint32_t seq, uint8_t *out, uint32_t cap);
int mvap_load_decode(const uint8_t *p, uint64_t len, struct mvap_load *m, const char **why);
int mvap_verdict_encode(const struct mvap_verdict *m, uint32_t seq, uint8_t *out, uint32_t cap);
int mvap_verdict_decode(const uint8_t *p, uint32_t len, struct mvap_verdict *m, const char **why);
int mvap_event_encode(const struct mvap_event *m, uint32_t seq, uint8_t *out, uint32_t cap);
int mvap_event_decode(const uint8_t *p, uint32_t len, struct mvap_event *m, const char **why);
int mvap_seal_encode(const struct mvap_seal *m, uint32_t seq, uint8_t *out, uint32_t cap);
int mvap_seal_decode(uint32_t type, const uint8_t *p, uint32_t len, struct mvap_seal *m,
		     const char **why);
int mvap_ack_encode(const struct mvap_ack *m, uint32_t seq, uint8_t *out, uint32_t cap);
int mvap_ack_decode(const uint8_t *p, uint32_t len, struct mvap_ack *m, const char **why);
int mvap_violation_encode(const struct mvap_violation *m, uint32_t seq, uint8_t *out,
			  uint32_t cap);
int mvap_violation_decode(const uint8_t *p, uint32_t len, struct mvap_violation *m,
			  const char **why);
int mvap_error_encode(const struct mvap_error *m, uint32_t seq, uint8_t *out, uint32_t cap);
int mvap_error_decode(const uint8_t *p, uint32_t len, struct mvap_error *m, const char **why);

/*
 * mvap_empty_encode(type, seq, out, cap): a frame without payload (STATUS,
 * BYE); mvap_text_encode(type, text, n, seq, out, cap): STATUS_TEXT.
 * mvap_text_check(p, len, why): the text is printable ASCII and newlines.
 */
int mvap_empty_encode(uint32_t type, uint32_t seq, uint8_t *out, uint32_t cap);
int mvap_text_encode(uint32_t type, const char *text, uint32_t n, uint32_t seq, uint8_t *out,
		     uint32_t cap);
int mvap_text_check(const uint8_t *p, uint32_t len, const char **why);

/* mvap_name_ok(s, n): a VM name: 1..MVAP_NAME_MAX of [A-Za-z0-9._-], not "." or "..". */
int mvap_name_ok(const char *s, uint32_t n);

#endif
