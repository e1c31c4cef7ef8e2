/* test_mvap.c: Check tests of the authority protocol's codec (shared/lib/mvap.c): round trips and every malformed frame. */
#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <modvisor/abi/hypercall.h>
#include <modvisor/abi/module.h>
#include <modvisor/mvap.h>
#include "check_main.h"

static uint8_t buf[8192];
static const char *why;

static void put16(uint8_t *p, uint16_t v) { p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8); }
static void put32(uint8_t *p, uint32_t v) { put16(p, (uint16_t)v); put16(p + 2, (uint16_t)(v >> 16)); }
static void put64(uint8_t *p, uint64_t v) { put32(p, (uint32_t)v); put32(p + 4, (uint32_t)(v >> 32)); }

static struct mvap_hello hello(void)
{
	struct mvap_hello h = { .transport = MVAP_TRANSPORT_MODVISOR, .flags = MVAP_HELLO_PROTECT };

	memset(h.uuid, 0xab, sizeof(h.uuid));
	memset(h.kernel_sha256, 0x11, sizeof(h.kernel_sha256));
	strcpy(h.name, "g1");
	strcpy(h.vermagic, "6.1.0-modvisor SMP mod_unload modversions ");
	return h;
}

/* Encode a HELLO into buf; returns its payload length. */
static uint32_t hello_frame(void)
{
	struct mvap_hello h = hello();
	int n = mvap_hello_encode(&h, 7, buf, sizeof(buf));

	ck_assert_int_gt(n, MVAP_HDR_LEN);
	return (uint32_t)n - MVAP_HDR_LEN;
}

/* ---- header ---------------------------------------------------------------- */

START_TEST(hdr_round_trip)
{
	struct mvap_hdr h;

	mvap_hdr_encode(buf, MVAP_T_EVENT, 70, 0xdeadbeef);
	ck_assert_mem_eq(buf, "MVAP", 4);
	ck_assert_int_eq(mvap_hdr_decode(buf, &h, &why), 0);
	ck_assert_uint_eq(h.type, MVAP_T_EVENT);
	ck_assert_uint_eq(h.len, 70);
	ck_assert_uint_eq(h.seq, 0xdeadbeef);
}
END_TEST

START_TEST(hdr_bad_magic)
{
	struct mvap_hdr h;

	mvap_hdr_encode(buf, MVAP_T_HELLO, 64, 1);
	buf[0] = 'X';
	ck_assert_int_eq(mvap_hdr_decode(buf, &h, &why), -MVAP_EPROTO);
	ck_assert_ptr_nonnull(strstr(why, "magic"));
}
END_TEST

START_TEST(hdr_wrong_version)
{
	struct mvap_hdr h;

	mvap_hdr_encode(buf, MVAP_T_HELLO, 64, 1);
	put16(buf + 4, 2);
	ck_assert_int_eq(mvap_hdr_decode(buf, &h, &why), -MVAP_EPROTONOSUPPORT);
	put16(buf + 4, 0);
	ck_assert_int_eq(mvap_hdr_decode(buf, &h, &why), -MVAP_EPROTONOSUPPORT);
	ck_assert_ptr_nonnull(strstr(why, "version"));
}
END_TEST

START_TEST(hdr_unknown_type)
{
	struct mvap_hdr h;
	uint16_t types[] = { 0, MVAP_T_COUNT, 0xffff };

	for (size_t i = 0; i < 3; i++) {
		mvap_hdr_encode(buf, 1, 0, 1);
		put16(buf + 6, types[i]);
		ck_assert_int_eq(mvap_hdr_decode(buf, &h, &why), -MVAP_ENOMSG);
	}
	ck_assert_str_eq(mvap_type_name(0), "unknown");
	ck_assert_str_eq(mvap_type_name(MVAP_T_LOAD), "LOAD");
}
END_TEST

/* Every type refuses a len one above its cap, from the header alone. */
START_TEST(hdr_oversized)
{
	struct mvap_hdr h;

	for (uint32_t t = 1; t < MVAP_T_COUNT; t++) {
		uint64_t cap = mvap_type_cap(t);
		if (cap >= UINT32_MAX)
			continue;
		mvap_hdr_encode(buf, t, (uint32_t)cap, 1);
		ck_assert_int_eq(mvap_hdr_decode(buf, &h, &why), 0);
		mvap_hdr_encode(buf, t, (uint32_t)cap + 1, 1);
		ck_assert_int_eq(mvap_hdr_decode(buf, &h, &why), -MVAP_EMSGSIZE);
	}
	mvap_hdr_encode(buf, MVAP_T_LOAD, UINT32_MAX, 1);
	ck_assert_int_eq(mvap_hdr_decode(buf, &h, &why), -MVAP_EMSGSIZE);
	ck_assert_uint_eq(mvap_type_cap(MVAP_T_STATUS), 0);
	ck_assert_uint_eq(mvap_type_cap(MVAP_T_HELLO), MVAP_SMALL_MAX);
}
END_TEST

/* ---- HELLO ----------------------------------------------------------------- */

START_TEST(hello_round_trip)
{
	struct mvap_hello in = hello(), out;
	uint32_t len = hello_frame();

	ck_assert_uint_eq(len, 64 + 2 + strlen(in.vermagic));
	ck_assert_int_eq(mvap_hello_decode(buf + MVAP_HDR_LEN, len, &out, &why), 0);
	ck_assert_str_eq(out.name, "g1");
	ck_assert_str_eq(out.vermagic, in.vermagic);
	ck_assert_mem_eq(out.uuid, in.uuid, 16);
	ck_assert_mem_eq(out.kernel_sha256, in.kernel_sha256, 32);
	ck_assert_uint_eq(out.transport, MVAP_TRANSPORT_MODVISOR);
	ck_assert_uint_eq(out.flags, MVAP_HELLO_PROTECT);
}
END_TEST

/* Every truncation of a valid HELLO is refused. */
START_TEST(hello_truncated)
{
	struct mvap_hello out;
	uint32_t len = hello_frame();

	for (uint32_t n = 0; n < len; n++)
		ck_assert_int_eq(mvap_hello_decode(buf + MVAP_HDR_LEN, n, &out, &why),
				 -MVAP_EBADMSG);
}
END_TEST

/* Each field out of range, one at a time, names its field. */
START_TEST(hello_fields)
{
	struct { size_t off; unsigned width; uint64_t v; const char *field; } cases[] = {
		{ 0, 4, 0, "transport" }, { 0, 4, 3, "transport" }, { 4, 4, 2, "flags" },
		{ 60, 4, 1, "reserved" }, { 56, 2, 0, "name_len" }, { 56, 2, 65, "name_len" },
		{ 58, 2, 256, "vermagic_len" }, { 56, 2, 3, "disagree" },
	};
	struct mvap_hello out;
	uint8_t *p = buf + MVAP_HDR_LEN;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		uint32_t len = hello_frame();
		if (cases[i].width == 2)
			put16(p + cases[i].off, (uint16_t)cases[i].v);
		else
			put32(p + cases[i].off, (uint32_t)cases[i].v);
		ck_assert_int_eq(mvap_hello_decode(p, len, &out, &why), -MVAP_EBADMSG);
		ck_assert_msg(strstr(why, cases[i].field), "case %zu: %s", i, why);
	}
	/* An all-zero UUID, a name outside the charset, a control byte in vermagic. */
	uint32_t len = hello_frame();
	memset(p + 8, 0, 16);
	ck_assert_int_eq(mvap_hello_decode(p, len, &out, &why), -MVAP_EBADMSG);
	ck_assert_ptr_nonnull(strstr(why, "uuid"));
	len = hello_frame();
	p[64] = '/';
	ck_assert_int_eq(mvap_hello_decode(p, len, &out, &why), -MVAP_EBADMSG);
	ck_assert_ptr_nonnull(strstr(why, "name"));
	len = hello_frame();
	p[len - 1] = '\n';
	ck_assert_int_eq(mvap_hello_decode(p, len, &out, &why), -MVAP_EBADMSG);
	ck_assert_ptr_nonnull(strstr(why, "vermagic"));
}
END_TEST

START_TEST(hello_encoder_refuses_bad_names)
{
	struct mvap_hello h = hello();

	strcpy(h.name, "..");
	ck_assert_int_eq(mvap_hello_encode(&h, 1, buf, sizeof(buf)), -MVAP_EBADMSG);
	strcpy(h.name, "a b");
	ck_assert_int_eq(mvap_hello_encode(&h, 1, buf, sizeof(buf)), -MVAP_EBADMSG);
	h = hello();
	ck_assert_int_eq(mvap_hello_encode(&h, 1, buf, 20), -MVAP_ENOBUFS);
	ck_assert_int_eq(mvap_name_ok("g-1.a_B", 7), 1);
	ck_assert_int_eq(mvap_name_ok(".", 1), 0);
}
END_TEST

/* ---- LOAD ------------------------------------------------------------------ */

/* A whole LOAD frame in buf: head + params "a=1" + a 100-byte image (+ a 10-byte file). */
static uint32_t load_frame(uint32_t source, int with_file)
{
	struct mvap_load m = { .source = source, .params_len = 3, .image_size = 100,
			       .image_len = 100 };
	int n;

	if (source == MV_MODSRC_FINIT_MODULE)
		strcpy(m.path, "/lib/modules/hello.ko");
	if (with_file) {
		m.flags = MV_MODULE_INIT_COMPRESSED_FILE;
		m.file_size = m.file_len = 10;
	}
	n = mvap_load_encode(&m, 3, buf, sizeof(buf));
	ck_assert_int_gt(n, 0);
	memcpy(buf + n, "a=1", 3);
	memset(buf + n + 3, 0x7f, 100);
	memset(buf + n + 103, 0x1f, with_file ? 10 : 0);
	return (uint32_t)n - MVAP_HDR_LEN + 103 + (with_file ? 10 : 0);
}

START_TEST(load_round_trip)
{
	struct mvap_load out;
	struct mvap_hdr h;
	uint32_t len = load_frame(MV_MODSRC_FINIT_MODULE, 1);

	ck_assert_int_eq(mvap_hdr_decode(buf, &h, &why), 0);
	ck_assert_uint_eq(h.len, len);
	ck_assert_int_eq(mvap_load_decode(buf + MVAP_HDR_LEN, len, &out, &why), 0);
	ck_assert_str_eq(out.path, "/lib/modules/hello.ko");
	ck_assert_uint_eq(out.params_len, 3);
	ck_assert_mem_eq(out.params, "a=1", 3);
	ck_assert_uint_eq(out.image_len, 100);
	ck_assert_uint_eq(out.image[0], 0x7f);
	ck_assert_uint_eq(out.image[99], 0x7f);
	ck_assert_uint_eq(out.file_len, 10);
	ck_assert_uint_eq(out.file[0], 0x1f);
	/* The image points into the payload: the receiver's one copy. */
	ck_assert_ptr_eq(out.image, buf + MVAP_HDR_LEN + 48 + 21 + 3);
}
END_TEST

START_TEST(load_truncated)
{
	struct mvap_load out;
	uint32_t len = load_frame(MV_MODSRC_FINIT_MODULE, 1);

	for (uint32_t n = 0; n < len; n++)
		ck_assert_int_eq(mvap_load_decode(buf + MVAP_HDR_LEN, n, &out, &why),
				 -MVAP_EBADMSG);
	/* One byte too many is as bad. */
	ck_assert_int_eq(mvap_load_decode(buf + MVAP_HDR_LEN, len + 1, &out, &why), -MVAP_EBADMSG);
}
END_TEST

START_TEST(load_fields)
{
	struct { size_t off; unsigned width; uint64_t v; const char *field; } cases[] = {
		{ 0, 4, 0, "source" }, { 0, 4, 3, "source" }, { 4, 4, 8, "flags" },
		{ 8, 4, 4, "params_flags" }, { 8, 4, MVAP_PARAMS_NONE, "MVAP_PARAMS_NONE" },
		{ 14, 2, 1025, "params_len" }, { 12, 2, 256, "path_len" },
		{ 24, 8, 99, "image_len" }, { 16, 8, MVAP_IMAGE_MAX + 1, "image_len" },
		{ 40, 8, 9, "file_len" }, { 12, 2, 0, "without a path" },
		{ 24, 8, UINT64_MAX, "image_len" },
	};
	struct mvap_load out;
	uint8_t *p = buf + MVAP_HDR_LEN;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		uint32_t len = load_frame(MV_MODSRC_FINIT_MODULE, 1);
		if (cases[i].width == 2)
			put16(p + cases[i].off, (uint16_t)cases[i].v);
		else if (cases[i].width == 4)
			put32(p + cases[i].off, (uint32_t)cases[i].v);
		else
			put64(p + cases[i].off, cases[i].v);
		ck_assert_int_eq(mvap_load_decode(p, len, &out, &why), -MVAP_EBADMSG);
		ck_assert_msg(strstr(why, cases[i].field), "case %zu: %s", i, why);
	}
	/* init_module with a path; a NUL inside the path. */
	uint32_t len = load_frame(MV_MODSRC_FINIT_MODULE, 0);
	put32(p, MV_MODSRC_INIT_MODULE);
	ck_assert_int_eq(mvap_load_decode(p, len, &out, &why), -MVAP_EBADMSG);
	ck_assert_ptr_nonnull(strstr(why, "init_module has no path"));
	len = load_frame(MV_MODSRC_FINIT_MODULE, 0);
	p[48 + 3] = 0;
	ck_assert_int_eq(mvap_load_decode(p, len, &out, &why), -MVAP_EBADMSG);
	ck_assert_ptr_nonnull(strstr(why, "NUL"));
}
END_TEST

/* An image above the cap is announced by size and not sent. */
START_TEST(load_too_large_image)
{
	struct mvap_load m = { .source = MV_MODSRC_INIT_MODULE,
			       .params_flags = MVAP_PARAMS_NONE,
			       .image_size = MVAP_IMAGE_MAX + 1 }, out;
	int n = mvap_load_encode(&m, 1, buf, sizeof(buf));

	ck_assert_int_eq(n, MVAP_HDR_LEN + MVAP_LOAD_FIXED);
	ck_assert_int_eq(mvap_load_decode(buf + MVAP_HDR_LEN, MVAP_LOAD_FIXED, &out, &why), 0);
	ck_assert_uint_eq(out.image_size, MVAP_IMAGE_MAX + 1);
	ck_assert_uint_eq(out.image_len, 0);
	m.image_len = m.image_size;
	ck_assert_int_eq(mvap_load_encode(&m, 1, buf, sizeof(buf)), -MVAP_EBADMSG);
}
END_TEST

/* ---- VERDICT, EVENT, ACK, VIOLATION, ERROR ----------------------------------- */

START_TEST(verdict_round_trip_and_fields)
{
	struct mvap_verdict v = { .verdict = MV_VERDICT_DENY, .err = 126, .load_id = 4,
				  .seal = MVAP_SEAL_UNAVAILABLE }, out;
	uint8_t *p = buf + MVAP_HDR_LEN;
	int n;

	strcpy(v.reason, "Loading of unsigned module is rejected");
	n = mvap_verdict_encode(&v, 9, buf, sizeof(buf));
	ck_assert_int_gt(n, 0);
	ck_assert_int_eq(mvap_verdict_decode(p, n - MVAP_HDR_LEN, &out, &why), 0);
	ck_assert_str_eq(out.reason, v.reason);
	ck_assert_int_eq(out.err, 126);
	ck_assert_uint_eq(out.seal, MVAP_SEAL_UNAVAILABLE);
	for (int i = 0; i < n - (int)MVAP_HDR_LEN; i++)
		ck_assert_int_eq(mvap_verdict_decode(p, i, &out, &why), -MVAP_EBADMSG);
	put32(p, 3);
	ck_assert_int_eq(mvap_verdict_decode(p, n - MVAP_HDR_LEN, &out, &why), -MVAP_EBADMSG);
	ck_assert_ptr_nonnull(strstr(why, "verdict"));
	put32(p, MV_VERDICT_ALLOW);     /* allow with an errno */
	ck_assert_int_eq(mvap_verdict_decode(p, n - MVAP_HDR_LEN, &out, &why), -MVAP_EBADMSG);
	ck_assert_ptr_nonnull(strstr(why, "errno"));
	put32(p, MV_VERDICT_DENY);
	put32(p + 12, 0);
	ck_assert_int_eq(mvap_verdict_decode(p, n - MVAP_HDR_LEN, &out, &why), -MVAP_EBADMSG);
	ck_assert_ptr_nonnull(strstr(why, "load_id"));
	put32(p + 12, 4);
	put16(p + 18, 2);
	ck_assert_int_eq(mvap_verdict_decode(p, n - MVAP_HDR_LEN, &out, &why), -MVAP_EBADMSG);
	ck_assert_ptr_nonnull(strstr(why, "seal"));
}
END_TEST

START_TEST(event_round_trip_and_fields)
{
	struct mvap_event e = { .load_id = 2, .event = MV_MODEV_INIT_FAULT, .err = 14,
				.init_ret = -14, .base = 0xffffffffa0000000ull, .taints = 1u << 13,
				.fault_vector = 14, .fault_where = MV_FAULT_IN_INIT,
				.fault_rip = 1, .fault_offset = 2, .fault_cr2 = 3 }, out;
	uint8_t *p = buf + MVAP_HDR_LEN;
	struct { size_t off; uint32_t v; const char *field; } cases[] = {
		{ 8, (uint32_t)-1, "err" }, { 8, 4096, "err" }, { 32, 3, "fault_where" },
		{ 28, 256, "fault_vector" }, { 24, 1u << 18, "taints" }, { 36, 56, "name_len" },
		{ 36, 4, "name_len" },
	};
	int n;

	strcpy(e.name, "hello");
	n = mvap_event_encode(&e, 1, buf, sizeof(buf));
	ck_assert_int_eq(n, MVAP_HDR_LEN + 64 + 5);
	ck_assert_int_eq(mvap_event_decode(p, n - MVAP_HDR_LEN, &out, &why), 0);
	ck_assert_int_eq(memcmp(&out.fault_rip, &e.fault_rip, 24), 0);
	ck_assert_str_eq(out.name, "hello");
	ck_assert_int_eq(out.init_ret, -14);
	for (int i = 0; i < n - (int)MVAP_HDR_LEN; i++)
		ck_assert_int_eq(mvap_event_decode(p, i, &out, &why), -MVAP_EBADMSG);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		mvap_event_encode(&e, 1, buf, sizeof(buf));
		put32(p + cases[i].off, cases[i].v);
		ck_assert_int_eq(mvap_event_decode(p, n - MVAP_HDR_LEN, &out, &why), -MVAP_EBADMSG);
		ck_assert_msg(strstr(why, cases[i].field), "case %zu: %s", i, why);
	}
	mvap_event_encode(&e, 1, buf, sizeof(buf));
	p[64 + 2] = 0;
	ck_assert_int_eq(mvap_event_decode(p, n - MVAP_HDR_LEN, &out, &why), -MVAP_EBADMSG);
	/* Unknown event numbers pass the codec: the daemon refuses and logs them. */
	mvap_event_encode(&e, 1, buf, sizeof(buf));
	put32(p + 4, 99);
	ck_assert_int_eq(mvap_event_decode(p, n - MVAP_HDR_LEN, &out, &why), 0);
}
END_TEST

/* ---- SEAL and UNSEAL ------------------------------------------------------------ */

static struct mvap_seal seal_done(void)
{
	struct mvap_seal m = { .type = MVAP_T_SEAL, .load_id = 3, .part = MVAP_SEAL_PART_TEXT,
			       .flags = MVAP_SEALF_DIGEST, .gpa = 0x1000000, .len = 0x3000,
			       .text_size = 0x3000 };

	for (int i = 0; i < 16; i++)
		m.text_xxh3[i] = (uint8_t)(i + 1);
	for (int i = 0; i < 32; i++)
		m.text_sha256[i] = (uint8_t)(0x80 + i);
	strcpy(m.why, "7 sections re-derived and equal");
	return m;
}

START_TEST(seal_round_trip)
{
	struct mvap_seal m = seal_done(), out;
	uint8_t *p = buf + MVAP_HDR_LEN;
	struct mvap_hdr h;
	int n = mvap_seal_encode(&m, 5, buf, sizeof(buf));

	ck_assert_int_eq(n, MVAP_HDR_LEN + MVAP_SEAL_FIXED + strlen(m.why));
	ck_assert_int_eq(mvap_hdr_decode(buf, &h, &why), 0);
	ck_assert_uint_eq(h.type, MVAP_T_SEAL);
	ck_assert_int_eq(mvap_seal_decode(h.type, p, h.len, &out, &why), 0);
	ck_assert_uint_eq(out.load_id, 3);
	ck_assert_uint_eq(out.gpa, 0x1000000);
	ck_assert_uint_eq(out.text_size, 0x3000);
	ck_assert_mem_eq(out.text_xxh3, m.text_xxh3, 16);
	ck_assert_mem_eq(out.text_sha256, m.text_sha256, 32);
	ck_assert_str_eq(out.why, m.why);
	for (uint32_t i = 0; i < h.len; i++)
		ck_assert_int_eq(mvap_seal_decode(h.type, p, i, &out, &why), -MVAP_EBADMSG);
	/* A refused seal and an unseal travel too. */
	struct mvap_seal r = { .type = MVAP_T_SEAL, .load_id = 2, .part = MVAP_SEAL_PART_TEXT,
			       .err = 13 };
	strcpy(r.why, "bytes differ");
	n = mvap_seal_encode(&r, 6, buf, sizeof(buf));
	ck_assert_int_gt(n, 0);
	ck_assert_int_eq(mvap_seal_decode(MVAP_T_SEAL, p, (uint32_t)n - MVAP_HDR_LEN, &out, &why),
			 0);
	ck_assert_int_eq(out.err, 13);
	struct mvap_seal u = { .type = MVAP_T_UNSEAL, .load_id = 2, .part = MVAP_SEAL_PART_ALL,
			       .gpa = 0x2000, .len = 0x5000 };
	n = mvap_seal_encode(&u, 7, buf, sizeof(buf));
	ck_assert_int_gt(n, 0);
	ck_assert_int_eq(mvap_hdr_decode(buf, &h, &why), 0);
	ck_assert_uint_eq(h.type, MVAP_T_UNSEAL);
	ck_assert_int_eq(mvap_seal_decode(MVAP_T_UNSEAL, p, h.len, &out, &why), 0);
	ck_assert_uint_eq(out.part, MVAP_SEAL_PART_ALL);
	/* The same payload is not a SEAL (part all), and no other type decodes as one. */
	ck_assert_int_eq(mvap_seal_decode(MVAP_T_SEAL, p, h.len, &out, &why), -MVAP_EBADMSG);
	ck_assert_int_eq(mvap_seal_decode(MVAP_T_ACK, p, h.len, &out, &why), -MVAP_EBADMSG);
}
END_TEST

/* Each rule of a SEAL record, broken in the wire bytes of a good one: refused, the rule named. */
START_TEST(seal_fields)
{
	static const struct { unsigned off, size; uint64_t v; const char *word; } bad[] = {
		{ 0, 4, 0, "load_id" },                 /* load_id 0 */
		{ 4, 2, 0, "part" }, { 4, 2, 3, "part" }, { 4, 2, 9, "part" },
		{ 6, 2, 2, "flags" }, { 6, 2, 0, "digest" },
		{ 8, 4, 4096, "errno" }, { 8, 4, 0xffffffffu, "errno" },
		{ 8, 4, 13, "refused" },                /* refused, yet pages changed */
		{ 14, 2, 1, "reserved" }, { 88, 8, 1, "reserved" },
		{ 16, 8, 0xfffffffffffff000ull, "overflows" },
		{ 32, 8, 0, "text_size" }, { 32, 8, 0x3001, "text_size" },
		{ 12, 2, 200, "why_len" },
	};
	struct mvap_seal m = seal_done(), out;
	uint8_t *p = buf + MVAP_HDR_LEN, good[MVAP_SEAL_FIXED + 64];
	int n = mvap_seal_encode(&m, 1, buf, sizeof(buf));
	uint32_t len = (uint32_t)n - MVAP_HDR_LEN;

	memcpy(good, p, len);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		memcpy(p, good, len);
		for (unsigned b = 0; b < bad[i].size; b++)
			p[bad[i].off + b] = (uint8_t)(bad[i].v >> (8 * b));
		ck_assert_msg(mvap_seal_decode(MVAP_T_SEAL, p, len, &out, &why) == -MVAP_EBADMSG,
			      "case %zu accepted", i);
		ck_assert_msg(strstr(why, bad[i].word), "case %zu: %s", i, why);
	}
	/* A digest of all zeros is no digest; a non-printable why is refused. */
	memcpy(p, good, len);
	memset(p + 40, 0, 48);
	ck_assert_int_eq(mvap_seal_decode(MVAP_T_SEAL, p, len, &out, &why), -MVAP_EBADMSG);
	memcpy(p, good, len);
	p[MVAP_SEAL_FIXED] = 0x07;
	ck_assert_int_eq(mvap_seal_decode(MVAP_T_SEAL, p, len, &out, &why), -MVAP_EBADMSG);
	ck_assert_ptr_nonnull(strstr(why, "printable"));
	/* The encoder refuses what the decoder refuses. */
	m.flags = 0;
	ck_assert_int_eq(mvap_seal_encode(&m, 1, buf, sizeof(buf)), -MVAP_EBADMSG);
	m = seal_done();
	m.type = MVAP_T_ACK;
	ck_assert_int_eq(mvap_seal_encode(&m, 1, buf, sizeof(buf)), -MVAP_EBADMSG);
	m = seal_done();
	ck_assert_int_eq(mvap_seal_encode(&m, 1, buf, MVAP_HDR_LEN + MVAP_SEAL_FIXED),
			 -MVAP_ENOBUFS);
}
END_TEST

START_TEST(ack_error_violation)
{
	struct mvap_ack a = { .status = -22 }, ao;
	struct mvap_error e = { .err = 13, .fatal = 1 }, eo;
	struct mvap_violation v = { .gpa = 0x1000, .value = 0x90, .rip = 5, .len = 1 }, vo;
	uint8_t *p = buf + MVAP_HDR_LEN;
	int n;

	strcpy(a.why, "loaded does not fit load_id 1, which is live");
	n = mvap_ack_encode(&a, 1, buf, sizeof(buf));
	ck_assert_int_eq(mvap_ack_decode(p, n - MVAP_HDR_LEN, &ao, &why), 0);
	ck_assert_int_eq(ao.status, -22);
	ck_assert_str_eq(ao.why, a.why);
	put32(p, 1);
	ck_assert_int_eq(mvap_ack_decode(p, n - MVAP_HDR_LEN, &ao, &why), -MVAP_EBADMSG);
	a.status = 1;
	ck_assert_int_eq(mvap_ack_encode(&a, 1, buf, sizeof(buf)), -MVAP_EBADMSG);

	strcpy(e.msg, "uid 1000 is not in allow_uids");
	n = mvap_error_encode(&e, 1, buf, sizeof(buf));
	ck_assert_int_eq(mvap_error_decode(p, n - MVAP_HDR_LEN, &eo, &why), 0);
	ck_assert_int_eq(eo.err, 13);
	ck_assert_uint_eq(eo.fatal, 1);
	put16(p + 6, 2);
	ck_assert_int_eq(mvap_error_decode(p, n - MVAP_HDR_LEN, &eo, &why), -MVAP_EBADMSG);
	ck_assert_ptr_nonnull(strstr(why, "fatal"));

	strcpy(v.target, "kernel printk+0x0 (.text)");
	strcpy(v.where, "no known code");
	strcpy(v.action, "stopped");
	n = mvap_violation_encode(&v, 1, buf, sizeof(buf));
	ck_assert_int_eq(mvap_violation_decode(p, n - MVAP_HDR_LEN, &vo, &why), 0);
	ck_assert_str_eq(vo.action, "stopped");
	ck_assert_str_eq(vo.target, v.target);
	put32(p + 24, 9);
	ck_assert_int_eq(mvap_violation_decode(p, n - MVAP_HDR_LEN, &vo, &why), -MVAP_EBADMSG);
	ck_assert_ptr_nonnull(strstr(why, "len"));
	for (int i = 0; i < n - (int)MVAP_HDR_LEN; i++)
		ck_assert_int_eq(mvap_violation_decode(p, i, &vo, &why), -MVAP_EBADMSG);
}
END_TEST

START_TEST(text_and_empty)
{
	const char *t = "vm 1 g1\nlog x\n";
	int n = mvap_text_encode(MVAP_T_STATUS_TEXT, t, (uint32_t)strlen(t), 2, buf, sizeof(buf));

	ck_assert_int_eq(n, MVAP_HDR_LEN + (int)strlen(t));
	ck_assert_int_eq(mvap_text_check(buf + MVAP_HDR_LEN, (uint32_t)strlen(t), &why), 0);
	ck_assert_int_eq(mvap_text_check((const uint8_t *)"a\x1b[2J", 5, &why), -MVAP_EBADMSG);
	ck_assert_int_eq(mvap_empty_encode(MVAP_T_BYE, 1, buf, sizeof(buf)), MVAP_HDR_LEN);
	ck_assert_int_eq(mvap_empty_encode(MVAP_T_LOAD, 1, buf, sizeof(buf)), -MVAP_EBADMSG);
}
END_TEST

/* A random stream never crashes a decoder and never decodes as a known frame by accident. */
START_TEST(random_bytes)
{
	struct mvap_hdr h;
	union { struct mvap_hello h; struct mvap_load l; struct mvap_event e; } u;
	unsigned seed = 1;

	for (int i = 0; i < 20000; i++) {
		uint32_t n = (uint32_t)(rand_r(&seed) % 200);
		for (uint32_t k = 0; k < n + MVAP_HDR_LEN; k++)
			buf[k] = (uint8_t)rand_r(&seed);
		ck_assert_int_ne(mvap_hdr_decode(buf, &h, &why), 0);
		mvap_hello_decode(buf, n, &u.h, &why);
		mvap_load_decode(buf, n, &u.l, &why);
		mvap_event_decode(buf, n, &u.e, &why);
	}
}
END_TEST

static Suite *mvap_suite(void)
{
	Suite *s = suite_create("mvap");
	TCase *t = tcase_create("codec");

	tcase_add_test(t, hdr_round_trip);
	tcase_add_test(t, hdr_bad_magic);
	tcase_add_test(t, hdr_wrong_version);
	tcase_add_test(t, hdr_unknown_type);
	tcase_add_test(t, hdr_oversized);
	tcase_add_test(t, hello_round_trip);
	tcase_add_test(t, hello_truncated);
	tcase_add_test(t, hello_fields);
	tcase_add_test(t, hello_encoder_refuses_bad_names);
	tcase_add_test(t, load_round_trip);
	tcase_add_test(t, load_truncated);
	tcase_add_test(t, load_fields);
	tcase_add_test(t, load_too_large_image);
	tcase_add_test(t, verdict_round_trip_and_fields);
	tcase_add_test(t, event_round_trip_and_fields);
	tcase_add_test(t, seal_round_trip);
	tcase_add_test(t, seal_fields);
	tcase_add_test(t, ack_error_violation);
	tcase_add_test(t, text_and_empty);
	tcase_add_test(t, random_bytes);
	suite_add_tcase(s, t);
	return s;
}

const struct unit_main unit_main = { mvap_suite, NULL };
