/* sig.c: module signatures: keyring loading and PKCS#7 verification with OpenSSL CMS. */
#include <dirent.h>
#include <stdbool.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <openssl/bio.h>
#include <openssl/cms.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <modvisor/modsig.h>
#include "sig.h"

struct sig_keyring {
	STACK_OF(X509) *certs;
};

struct sig_keyring *sig_keyring_empty(void)
{
	struct sig_keyring *kr = calloc(1, sizeof(*kr));

	if (kr && !(kr->certs = sk_X509_new_null())) {
		free(kr);
		return NULL;
	}
	return kr;
}

int sig_keyring_count(const struct sig_keyring *kr)
{
	return kr ? sk_X509_num(kr->certs) : 0;
}

void sig_keyring_free(struct sig_keyring *kr)
{
	if (!kr)
		return;
	sk_X509_pop_free(kr->certs, X509_free);
	free(kr);
}

/*
 * Add the certificates of one file: all PEM ones, or the single DER one.
 * Returns how many, or -EBADMSG with why when a PEM certificate cannot be
 * read (a keyring is never taken in part: the certificates after it would
 * go missing without a word).
 */
static int sig_keyring_add_file(struct sig_keyring *kr, const char *path, char *why,
				size_t whylen)
{
	BIO *bio = BIO_new_file(path, "rb");
	unsigned long e;
	X509 *x;
	int n = 0;

	if (!bio)
		return -errno ? -errno : -EIO;
	ERR_clear_error();
	while ((x = PEM_read_bio_X509(bio, NULL, NULL, NULL)) != NULL) {
		if (!sk_X509_push(kr->certs, x)) {
			X509_free(x);
			BIO_free(bio);
			return -ENOMEM;
		}
		n++;
	}
	/* The loop ends at the end of the PEM blocks, or at one it cannot read. */
	e = ERR_peek_last_error();
	if (e && !(ERR_GET_LIB(e) == ERR_LIB_PEM && ERR_GET_REASON(e) == PEM_R_NO_START_LINE)) {
		snprintf(why, whylen, "PEM certificate %d: %s", n + 1, ERR_reason_error_string(e) ?
			 ERR_reason_error_string(e) : "cannot be read");
		ERR_clear_error();
		BIO_free(bio);
		return -EBADMSG;
	}
	if (n == 0 && BIO_reset(bio) == 0 && (x = d2i_X509_bio(bio, NULL)) != NULL) {
		if (sk_X509_push(kr->certs, x))
			n++;
		else
			X509_free(x);
	}
	ERR_clear_error();
	BIO_free(bio);
	return n;
}

/*
 * Add every regular file's certificates; a file that cannot be read is an
 * error (named in bad), never skipped.
 */
static int sig_keyring_add_dir(struct sig_keyring *kr, const char *path, char *bad, size_t badlen,
			       char *why, size_t whylen)
{
	DIR *d = opendir(path);
	struct dirent *e;
	char file[4096];
	struct stat st;
	int ret = 0;

	if (!d)
		return -errno;
	while (ret >= 0 && (errno = 0, e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		if (snprintf(file, sizeof(file), "%s/%s", path, e->d_name) >= (int)sizeof(file))
			continue;
		if (stat(file, &st) == 0 && S_ISREG(st.st_mode))
			ret = sig_keyring_add_file(kr, file, why, whylen);
		if (ret < 0)
			snprintf(bad, badlen, "%s", file);
	}
	if (ret >= 0 && errno)
		ret = -errno;   /* readdir failed: not the end of the directory */
	closedir(d);
	return ret < 0 ? ret : 0;
}

int sig_keyring_load(const char *path, struct sig_keyring **out, char *err, size_t errlen)
{
	struct sig_keyring *kr = sig_keyring_empty();
	struct stat st;
	int ret;

	*out = NULL;
	if (!kr)
		return snprintf(err, errlen, "%s: out of memory", path), -ENOMEM;
	if (stat(path, &st) < 0) {
		ret = -errno;
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		goto fail;
	}
	char bad[4096], why[256] = "";

	snprintf(bad, sizeof(bad), "%s", path);
	ret = S_ISDIR(st.st_mode) ? sig_keyring_add_dir(kr, path, bad, sizeof(bad), why,
							sizeof(why)) :
	      sig_keyring_add_file(kr, path, why, sizeof(why));
	if (ret < 0) {
		snprintf(err, errlen, "%s: %s", bad, why[0] ? why : strerror(-ret));
		goto fail;
	}
	if (sk_X509_num(kr->certs) == 0) {
		ret = -ENOKEY;
		snprintf(err, errlen, "%s: no X.509 certificate (DER or PEM) found", path);
		goto fail;
	}
	*out = kr;
	return 0;
fail:
	sig_keyring_free(kr);
	return ret;
}

const char *sig_status_name(enum sig_status s)
{
	static const char *const names[] = {
		[SIG_UNSIGNED] = "unsigned", [SIG_GOOD] = "good", [SIG_BAD] = "bad",
		[SIG_UNKNOWN_KEY] = "unknown-key", [SIG_MALFORMED] = "malformed",
		[SIG_UNSUPPORTED] = "unsupported",
	};
	return s <= SIG_UNSUPPORTED ? names[s] : "?";
}

static void sig_hexify(const unsigned char *p, int n, char *out, size_t outlen)
{
	static const char digits[] = "0123456789abcdef";
	size_t o = 0;

	for (int i = 0; i < n && o + 2 < outlen; i++) {
		out[o++] = digits[p[i] >> 4];
		out[o++] = digits[p[i] & 15];
	}
	out[o] = '\0';
}

static void sig_name_cn(const X509_NAME *name, char *out, size_t outlen)
{
	out[0] = '\0';
	if (!name || X509_NAME_get_text_by_NID((X509_NAME *)name, NID_commonName, out,
					       (int)outlen) < 0)
		snprintf(out, outlen, "?");
}

/* The signer as the PKCS#7 names it: key id (SKID) or issuer CN + serial. */
static void sig_describe_signer_id(CMS_SignerInfo *si, struct sig_result *out)
{
	ASN1_OCTET_STRING *keyid = NULL;
	X509_NAME *issuer = NULL;
	ASN1_INTEGER *sno = NULL;

	if (!CMS_SignerInfo_get0_signer_id(si, &keyid, &issuer, &sno))
		return;
	if (keyid) {
		sig_hexify(keyid->data, keyid->length, out->key_id, sizeof(out->key_id));
		snprintf(out->signer, sizeof(out->signer), "?");
	} else {
		sig_hexify(sno->data, sno->length, out->key_id, sizeof(out->key_id));
		sig_name_cn(issuer, out->signer, sizeof(out->signer));
	}
}

/* Algorithm names from the SignerInfo and the certificate's key. */
static void sig_describe_algs(CMS_SignerInfo *si, X509 *cert, struct sig_result *out)
{
	X509_ALGOR *dig = NULL, *sigalg = NULL;
	EVP_PKEY *pk = cert ? X509_get0_pubkey(cert) : NULL;

	CMS_SignerInfo_get0_algs(si, NULL, NULL, &dig, &sigalg);
	if (dig) {
		const char *sn = OBJ_nid2sn(OBJ_obj2nid(dig->algorithm));
		size_t i;
		for (i = 0; sn && sn[i] && i + 1 < sizeof(out->hash); i++)
			out->hash[i] = (char)(sn[i] >= 'A' && sn[i] <= 'Z' ? sn[i] + 32 : sn[i]);
		out->hash[i] = '\0';
	}
	if (pk) {
		int id = EVP_PKEY_get_base_id(pk);
		snprintf(out->pkey, sizeof(out->pkey), "%s-%d",
			 id == EVP_PKEY_RSA ? "RSA" : id == EVP_PKEY_EC ? "ECDSA" : OBJ_nid2sn(id),
			 EVP_PKEY_get_bits(pk));
	}
}

/* The keyring certificate that the SignerInfo names, or NULL. */
static X509 *sig_find_cert(const struct sig_keyring *kr, CMS_SignerInfo *si)
{
	for (int i = 0; i < sk_X509_num(kr->certs); i++) {
		X509 *x = sk_X509_value(kr->certs, i);
		if (CMS_SignerInfo_cert_cmp(si, x) == 0)
			return x;
	}
	return NULL;
}

static void sig_set(struct sig_result *out, enum sig_status s, int err, const char *why)
{
	out->status = s;
	out->err = err;
	if (why)
		snprintf(out->why, sizeof(out->why), "%s", why);
}

/*
 * A minimal strict DER reader, for what OpenSSL parses but does not check:
 * it accepts BER and any version number, where Linux's PKCS#7 parser does
 * not.  der_next() reads one TLV in [*p, end): definite, minimal lengths.
 */
static int der_next(const uint8_t **p, const uint8_t *end, uint8_t *tag,
		    const uint8_t **val, size_t *len)
{
	const uint8_t *q = *p;
	size_t n;

	if (end - q < 2 || (q[0] & 0x1f) == 0x1f)
		return -1;
	*tag = q[0];
	n = q[1];
	q += 2;
	if (n & 0x80) {
		int bytes = n & 0x7f;
		if (bytes < 1 || bytes > 4 || end - q < bytes || q[0] == 0)
			return -1;
		for (n = 0; bytes--; q++)
			n = n << 8 | *q;
		if (n < 0x80)
			return -1;
	}
	if ((size_t)(end - q) < n)
		return -1;
	*val = q;
	*len = n;
	*p = q + n;
	return 0;
}

/* Enter the constructed TLV of the given tag at *p: [*p, *end) becomes its contents. */
static int der_enter(const uint8_t **p, const uint8_t **end, uint8_t want)
{
	const uint8_t *val;
	size_t len;
	uint8_t tag;

	if (der_next(p, *end, &tag, &val, &len) < 0 || tag != want)
		return -1;
	*p = val;
	*end = val + len;
	return 0;
}

/* A one-byte INTEGER's value, or -1. */
static int der_small_int(const uint8_t **p, const uint8_t *end)
{
	const uint8_t *val;
	size_t len;
	uint8_t tag;

	if (der_next(p, end, &tag, &val, &len) < 0 || tag != 0x02 || len != 1)
		return -1;
	return val[0];
}

/* A TLV as read by der_next(). */
struct der_tlv {
	uint8_t tag;
	const uint8_t *start, *val;
	size_t len;
};

static int der_read(const uint8_t **p, const uint8_t *end, struct der_tlv *t)
{
	t->start = *p;
	return der_next(p, end, &t->tag, &t->val, &t->len);
}

/*
 * The SignerInfo after its version: sid, digestAlgorithm, signatureAlgorithm,
 * signature, and nothing else.  Signed attributes ([0]) are refused as
 * Linux's module verifier refuses them, unsigned ones ([1]) because nothing
 * checks them: either would let the PKCS#7 change while it still verifies.
 * *dig is the digestAlgorithm.
 */
static const char *sig_check_signer_fields(const uint8_t *sp, const uint8_t *send,
					   struct der_tlv *dig)
{
	struct der_tlv sid, t;

	if (der_read(&sp, send, &sid) < 0 || der_read(&sp, send, dig) < 0 || dig->tag != 0x30 ||
	    der_read(&sp, send, &t) < 0)
		return "SignerInfo is not DER";
	if (t.tag == 0xa0)
		return "SignerInfo has signed attributes (Linux refuses them in module signatures)";
	if (t.tag != 0x30 || der_read(&sp, send, &t) < 0 || t.tag != 0x04)
		return "SignerInfo is not DER";
	if (sp == send)
		return NULL;
	if (der_read(&sp, send, &t) == 0 && t.tag == 0xa1)
		return "SignerInfo has unsigned attributes (they are not signed: refused)";
	return "SignerInfo has fields after its signature";
}

/*
 * What Linux's pkcs7_parser checks and OpenSSL does not: SignedData version
 * 1 or 3; SignerInfo version 1 with issuer+serial, 3 with a key id; and
 * (our additions, so that no byte of the message goes unchecked and the
 * message cannot be re-encoded while it still verifies) the
 * digestAlgorithms set holds exactly the signer's digest algorithm, and
 * there are no certificates, CRLs or attributes.  sign-file writes none.
 */
static const char *sig_check_der(const uint8_t *der, uint64_t len, bool by_keyid)
{
	const uint8_t *p = der, *end = der + len, *sp, *send;
	struct der_tlv oid, algs, t, dig;
	const char *why;
	int v;

	if (der_enter(&p, &end, 0x30) < 0 || der_read(&p, end, &oid) < 0 ||
	    der_enter(&p, &end, 0xa0) < 0 || der_enter(&p, &end, 0x30) < 0)
		return "PKCS#7 is not DER-encoded SignedData";
	v = der_small_int(&p, end);
	if (v != 1 && v != 3)
		return "SignedData version is not 1 or 3";
	if (der_read(&p, end, &algs) < 0 || algs.tag != 0x31)
		return "PKCS#7 digestAlgorithms is not a SET";
	if (der_read(&p, end, &t) < 0 || t.tag != 0x30)
		return "PKCS#7 has no encapContentInfo";
	if (der_read(&p, end, &t) < 0)
		return "PKCS#7 has no signerInfos";
	if (t.tag == 0xa0)
		return "PKCS#7 carries certificates (sign-file adds none; the keyring decides)";
	if (t.tag == 0xa1)
		return "PKCS#7 carries CRLs (sign-file adds none)";
	if (t.tag != 0x31)
		return "PKCS#7 has no signerInfos";
	sp = t.val;
	send = t.val + t.len;
	if (der_enter(&sp, &send, 0x30) < 0)
		return "SignerInfo is not DER";
	v = der_small_int(&sp, send);
	if (v != (by_keyid ? 3 : 1))
		return by_keyid ? "SignerInfo names a key id but its version is not 3"
				: "SignerInfo names issuer+serial but its version is not 1";
	if ((why = sig_check_signer_fields(sp, send, &dig)) != NULL)
		return why;
	if (algs.len != dig.len + (size_t)(dig.val - dig.start) ||
	    memcmp(algs.val, dig.start, algs.len) != 0)
		return "digestAlgorithms does not list exactly the signer's digest";
	return NULL;
}

/* OpenSSL reads BER too; a message that does not re-encode to itself is not DER. */
static bool sig_is_canonical(CMS_ContentInfo *cms, const uint8_t *der, uint64_t len)
{
	unsigned char *out = NULL;
	int n = i2d_CMS_ContentInfo(cms, &out);
	bool same = n > 0 && (uint64_t)n == len && memcmp(out, der, len) == 0;

	OPENSSL_free(out);
	return same;
}

/*
 * The digest and signature algorithms must be ones Linux knows, and agree.
 * A digest or signature algorithm the kernel lacks (MD5, MD4, ...) is
 * ENOPKG, as Linux's pkcs7 parser and pkcs7_digest() return: sets
 * *enopkg; anything else wrong is malformed.
 */
static const char *sig_check_algs(CMS_ContentInfo *cms, CMS_SignerInfo *si, bool *enopkg)
{
	static const int digests[] = { NID_sha1, NID_sha224, NID_sha256, NID_sha384, NID_sha512 };
	X509_ALGOR *dig = NULL, *sa = NULL;
	int dnid, snid, hash = NID_undef, pkey = NID_undef, ptype;
	const void *pval;
	size_t i;

	if (OBJ_obj2nid(CMS_get0_eContentType(cms)) != NID_pkcs7_data)
		return "PKCS#7 content type is not data";
	CMS_SignerInfo_get0_algs(si, NULL, NULL, &dig, &sa);
	dnid = dig ? OBJ_obj2nid(dig->algorithm) : NID_undef;
	for (i = 0; i < sizeof(digests) / sizeof(digests[0]) && digests[i] != dnid; i++)
		;
	if (i == sizeof(digests) / sizeof(digests[0]))
		return *enopkg = true, "digest algorithm the kernel lacks (not SHA-1 or SHA-2)";
	X509_ALGOR_get0(NULL, &ptype, &pval, dig);
	if (ptype != V_ASN1_UNDEF && ptype != V_ASN1_NULL)
		return "digest algorithm has parameters";
	snid = sa ? OBJ_obj2nid(sa->algorithm) : NID_undef;
	if (snid == NID_rsaEncryption)
		hash = dnid, pkey = NID_rsaEncryption;
	else if (!OBJ_find_sigid_algs(snid, &hash, &pkey))
		return *enopkg = true, "signature algorithm the kernel lacks";
	if (hash != dnid)
		return "signature algorithm and digest algorithm disagree";
	X509_ALGOR_get0(NULL, &ptype, &pval, sa);
	if (ptype != V_ASN1_UNDEF && ptype != V_ASN1_NULL)
		return "signature algorithm has parameters";
	return NULL;
}

/* Parse the DER; only a detached SignedData with exactly one signer is accepted. */
static CMS_ContentInfo *sig_parse_cms(const uint8_t *der, uint64_t len, struct sig_result *out,
				      CMS_SignerInfo **si)
{
	const unsigned char *p = der;
	CMS_ContentInfo *cms = d2i_CMS_ContentInfo(NULL, &p, (long)len);
	STACK_OF(CMS_SignerInfo) *sis;

	if (!cms) {
		sig_set(out, SIG_MALFORMED, EBADMSG, "PKCS#7 is not valid DER");
		return NULL;
	}
	if ((uint64_t)(p - der) != len) {
		sig_set(out, SIG_MALFORMED, EBADMSG, "bytes after the PKCS#7 message");
	} else if (OBJ_obj2nid(CMS_get0_type(cms)) != NID_pkcs7_signed) {
		sig_set(out, SIG_MALFORMED, EBADMSG, "PKCS#7 is not SignedData");
	} else if (CMS_is_detached(cms) != 1) {
		sig_set(out, SIG_MALFORMED, EBADMSG, "PKCS#7 carries content (want detached)");
	} else if (!(sis = CMS_get0_SignerInfos(cms)) || sk_CMS_SignerInfo_num(sis) != 1) {
		sig_set(out, SIG_MALFORMED, EBADMSG, "PKCS#7 must have exactly one signer");
	} else {
		ASN1_OCTET_STRING *keyid = NULL;
		X509_NAME *issuer = NULL;
		ASN1_INTEGER *sno = NULL;
		bool enopkg = false;
		const char *why;

		*si = sk_CMS_SignerInfo_value(sis, 0);
		CMS_SignerInfo_get0_signer_id(*si, &keyid, &issuer, &sno);
		why = sig_check_der(der, len, keyid != NULL);
		if (!why && !sig_is_canonical(cms, der, len))
			why = "PKCS#7 is not in canonical DER";
		if (!why)
			why = sig_check_algs(cms, *si, &enopkg);
		if (!why)
			return cms;
		if (enopkg) {
			sig_describe_signer_id(*si, out);
			sig_describe_algs(*si, NULL, out);
			sig_set(out, SIG_UNSUPPORTED, ENOPKG, why);
		} else {
			sig_set(out, SIG_MALFORMED, EBADMSG, why);
		}
	}
	CMS_ContentInfo_free(cms);
	return NULL;
}

/*
 * The signature proper: OpenSSL checks the content digest and the signature
 * with cert alone (CMS_NOINTERN: certificates inside the message are not
 * considered; no chain: the keyring is trusted as Linux trusts its keys).
 */
static int sig_check_content(CMS_ContentInfo *cms, X509 *cert, const uint8_t *content,
			     uint64_t len, struct sig_result *out)
{
	STACK_OF(X509) *one;
	BIO *bio;

	if (len > INT32_MAX)
		return sig_set(out, SIG_MALFORMED, EBADMSG, "module larger than 2 GiB"), 0;
	bio = BIO_new_mem_buf(content, (int)len);
	one = sk_X509_new_null();
	if (!bio || !one || !sk_X509_push(one, cert)) {
		BIO_free(bio);
		sk_X509_free(one);
		return -ENOMEM;
	}
	if (CMS_verify(cms, one, NULL, bio, NULL,
		       CMS_BINARY | CMS_NOINTERN | CMS_NO_SIGNER_CERT_VERIFY) == 1)
		sig_set(out, SIG_GOOD, 0, NULL);
	else
		sig_set(out, SIG_BAD, EKEYREJECTED, "signature does not match the module");
	sk_X509_free(one);
	BIO_free(bio);
	return 0;
}

int sig_verify(const struct sig_keyring *kr, const void *image, uint64_t len,
	       struct sig_result *out)
{
	const uint8_t *img = image;
	CMS_ContentInfo *cms;
	CMS_SignerInfo *si = NULL;
	struct modsig ms;
	X509 *cert;
	int ret;

	memset(out, 0, sizeof(*out));
	ret = modsig_parse(image, len, &ms);
	out->content_len = ms.content_len;
	if (ret == -MODSIG_ENODATA)
		return sig_set(out, SIG_UNSIGNED, ENODATA, "module is unsigned"), 0;
	if (ret == -MODSIG_ENOPKG)
		return sig_set(out, SIG_UNSUPPORTED, ENOPKG, ms.why), 0;
	if (ret < 0)
		return sig_set(out, SIG_MALFORMED, EBADMSG, ms.why), 0;
	if (!(cms = sig_parse_cms(img + ms.sig_off, ms.sig_len, out, &si)))
		return ERR_clear_error(), 0;

	sig_describe_signer_id(si, out);
	cert = kr ? sig_find_cert(kr, si) : NULL;
	sig_describe_algs(si, cert, out);
	ret = 0;
	if (!cert) {
		sig_set(out, SIG_UNKNOWN_KEY, ENOKEY, "no certificate in the keyring matches the signer");
	} else {
		sig_name_cn(X509_get_subject_name(cert), out->signer, sizeof(out->signer));
		ret = sig_check_content(cms, cert, img, ms.content_len, out);
	}
	ERR_clear_error();
	CMS_ContentInfo_free(cms);
	return ret;
}

bool sig_refuse_sha1(struct sig_result *out)
{
	if (strcmp(out->hash, "sha1") != 0 || (out->status != SIG_GOOD && out->status != SIG_BAD &&
						out->status != SIG_UNKNOWN_KEY))
		return false;
	sig_set(out, SIG_UNSUPPORTED, ENOPKG, "SHA-1 signature, and the policy refuses SHA-1 "
		"(refuse_sha1)");
	return true;
}
