/* fuzz_mvap.c: libFuzzer harness: the authority protocol's codec (shared/lib/mvap.c) on hostile frames. */
#include <stdlib.h>
#include <string.h>
#include <modvisor/mvap.h>
#include "fuzz.h"

/*
 * The input is a stream of frames, as a daemon reads it: each header is
 * checked with mvap_hdr_decode(), then its payload (what is left, up to
 * len) is decoded as the header's type says, and also as every other type
 * (a decoder must refuse or accept any bytes without reading past len).
 * A frame that decodes is encoded again and must decode to the same
 * message (the encoder never writes what the decoder refuses).  Every
 * refusal must name its field (why set, NUL-terminated).
 */

static uint8_t out[MVAP_HDR_LEN + MVAP_SMALL_MAX + 64];

static void fuzz_why(int ret, const char *why)
{
	if (ret < 0 && (!why || !why[0]))
		abort();
	if (ret < 0)
		fuzz_check_str(why, 256, "why");
}

/* Decode as type t; when it decodes, the round trip must give the same message. */
static void fuzz_type(uint32_t t, const uint8_t *p, uint32_t len)
{
	const char *why = NULL;
	int ret, n;

	switch (t) {
	case MVAP_T_HELLO: {
		struct mvap_hello a = { 0 }, b = { 0 };
		ret = mvap_hello_decode(p, len, &a, &why);
		fuzz_why(ret, why);
		if (ret == 0) {
			n = mvap_hello_encode(&a, 1, out, sizeof(out));
			if (n < 0 || mvap_hello_decode(out + MVAP_HDR_LEN, (uint32_t)n - MVAP_HDR_LEN,
						       &b, &why) < 0 || memcmp(&a, &b, sizeof(a)) != 0)
				abort();
			fuzz_check_str(a.name, sizeof(a.name), "name");
			fuzz_check_str(a.vermagic, sizeof(a.vermagic), "vermagic");
		}
		break;
	}
	case MVAP_T_LOAD: {
		struct mvap_load a;
		ret = mvap_load_decode(p, len, &a, &why);
		fuzz_why(ret, why);
		if (ret == 0) {
			fuzz_check_str(a.path, sizeof(a.path), "path");
			if (a.image + a.image_len > p + len || a.params + a.params_len > p + len ||
			    (a.file && a.file + a.file_len != p + len))
				abort();
			if (mvap_load_encode(&a, 1, out, sizeof(out)) < 0)
				abort();
		}
		break;
	}
	case MVAP_T_VERDICT: {
		struct mvap_verdict a, b;
		ret = mvap_verdict_decode(p, len, &a, &why);
		fuzz_why(ret, why);
		if (ret == 0 && ((n = mvap_verdict_encode(&a, 1, out, sizeof(out))) < 0 ||
				 mvap_verdict_decode(out + MVAP_HDR_LEN, (uint32_t)n - MVAP_HDR_LEN,
						     &b, &why) < 0 || strcmp(a.reason, b.reason)))
			abort();
		break;
	}
	case MVAP_T_EVENT: {
		struct mvap_event a = { 0 }, b = { 0 };
		ret = mvap_event_decode(p, len, &a, &why);
		fuzz_why(ret, why);
		if (ret == 0 && ((n = mvap_event_encode(&a, 1, out, sizeof(out))) < 0 ||
				 mvap_event_decode(out + MVAP_HDR_LEN, (uint32_t)n - MVAP_HDR_LEN,
						   &b, &why) < 0 || memcmp(&a, &b, sizeof(a)) != 0))
			abort();
		break;
	}
	case MVAP_T_SEAL:
	case MVAP_T_UNSEAL: {
		struct mvap_seal a = { 0 }, b = { 0 };
		ret = mvap_seal_decode(t, p, len, &a, &why);
		fuzz_why(ret, why);
		if (ret == 0) {
			fuzz_check_str(a.why, sizeof(a.why), "why");
			n = mvap_seal_encode(&a, 1, out, sizeof(out));
			if (n < 0 || mvap_seal_decode(t, out + MVAP_HDR_LEN, (uint32_t)n - MVAP_HDR_LEN,
						      &b, &why) < 0 || memcmp(&a, &b, sizeof(a)) != 0)
				abort();
		}
		break;
	}
	case MVAP_T_ACK: {
		struct mvap_ack a;
		fuzz_why(mvap_ack_decode(p, len, &a, &why), why);
		break;
	}
	case MVAP_T_VIOLATION: {
		struct mvap_violation a;
		ret = mvap_violation_decode(p, len, &a, &why);
		fuzz_why(ret, why);
		if (ret == 0 && mvap_violation_encode(&a, 1, out, sizeof(out)) < 0)
			abort();
		break;
	}
	case MVAP_T_ERROR: {
		struct mvap_error a;
		fuzz_why(mvap_error_decode(p, len, &a, &why), why);
		break;
	}
	case MVAP_T_WELCOME: {
		struct mvap_welcome a;
		fuzz_why(mvap_welcome_decode(p, len, &a, &why), why);
		break;
	}
	case MVAP_T_STATUS_TEXT:
		fuzz_why(mvap_text_check(p, len, &why), why);
		break;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t off = 0;

	while (size - off >= MVAP_HDR_LEN) {
		struct mvap_hdr h;
		const char *why = NULL;
		int ret = mvap_hdr_decode(data + off, &h, &why);
		uint32_t len;

		fuzz_why(ret, why);
		off += MVAP_HDR_LEN;
		len = size - off < h.len ? (uint32_t)(size - off) : h.len;
		/* The rest of the input as the payload of each type, refused or not. */
		for (uint32_t t = 1; t < MVAP_T_COUNT; t++)
			fuzz_type(t, data + off, len);
		if (ret < 0)
			break;
		off += len;
	}
	return 0;
}
