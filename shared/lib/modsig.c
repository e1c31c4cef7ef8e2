/* modsig.c: parse the appended module-signature trailer (Linux's mod_check_sig). */
#include <stddef.h>
#include <stdint.h>
#include <modvisor/modsig.h>

/* A freestanding memcmp: the guest side has no libc. */
static int modsig_memeq(const uint8_t *a, const char *b, uint64_t n)
{
	for (uint64_t i = 0; i < n; i++)
		if (a[i] != (uint8_t)b[i])
			return 0;
	return 1;
}

static uint32_t modsig_be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

static int modsig_bad(struct modsig *out, const char *why)
{
	out->why = why;
	return -MODSIG_EBADMSG;
}

int modsig_parse(const void *image, uint64_t len, struct modsig *out)
{
	const uint8_t *p = image;
	const uint64_t tail = MV_MODSIG_MARKER_LEN + sizeof(struct mv_module_signature);
	uint64_t sig_len, rest;

	out->content_len = len;
	out->sig_off = 0;
	out->sig_len = 0;
	out->why = NULL;
	if (len < MV_MODSIG_MARKER_LEN ||
	    !modsig_memeq(p + len - MV_MODSIG_MARKER_LEN, MV_MODSIG_MARKER,
			  MV_MODSIG_MARKER_LEN))
		return -MODSIG_ENODATA;
	if (len < tail)
		return modsig_bad(out, "signature marker without a module_signature");

	/* Field by field, so the struct's alignment never matters. */
	const uint8_t *ms = p + len - tail;
	uint8_t algo = ms[0], hash = ms[1], id_type = ms[2];
	uint8_t signer_len = ms[3], key_id_len = ms[4];
	sig_len = modsig_be32(ms + offsetof(struct mv_module_signature, sig_len_be));

	rest = len - tail;
	if (sig_len >= rest)
		return modsig_bad(out, "sig_len is not smaller than the module");
	if (id_type != MV_MODSIG_PKEY_PKCS7) {
		out->why = "not signed with a PKCS#7 message (id_type != 2)";
		return -MODSIG_ENOPKG;
	}
	if (algo != 0 || hash != 0 || signer_len != 0 || key_id_len != 0 ||
	    ms[5] != 0 || ms[6] != 0 || ms[7] != 0)
		return modsig_bad(out, "PKCS#7 trailer has non-zero algo/hash/signer/key_id fields");
	if (sig_len == 0)
		return modsig_bad(out, "sig_len is 0");

	out->content_len = rest - sig_len;
	out->sig_off = out->content_len;
	out->sig_len = sig_len;
	return 0;
}
