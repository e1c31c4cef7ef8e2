/* test_sig.c: Check tests of the trailer parser (shared/lib/modsig.c) and PKCS#7 checks (vmm/authority/sig.c). */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <openssl/cms.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include <modvisor/modsig.h>
#include "../../vmm/authority/sig.h"
#include "pkcs7_reencode.h"
#include "check_main.h"

struct key {
	EVP_PKEY *pkey;
	X509 *cert;
};

/* A self-signed certificate the way certs/x509.genkey describes it (with an SKID). */
static struct key make_key(const char *type, const char *cn)
{
	struct key k = { 0 };
	X509V3_CTX ctx;

	k.pkey = strcmp(type, "RSA") == 0 ? EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)2048)
					  : EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-384");
	ck_assert_ptr_nonnull(k.pkey);
	k.cert = X509_new();
	X509_set_version(k.cert, 2);
	ASN1_INTEGER_set(X509_get_serialNumber(k.cert), 0x1234567);
	X509_gmtime_adj(X509_getm_notBefore(k.cert), 0);
	X509_gmtime_adj(X509_getm_notAfter(k.cert), 3600);
	X509_NAME_add_entry_by_txt(X509_get_subject_name(k.cert), "CN", MBSTRING_ASC,
				   (const unsigned char *)cn, -1, -1, 0);
	X509_set_issuer_name(k.cert, X509_get_subject_name(k.cert));
	X509_set_pubkey(k.cert, k.pkey);
	X509V3_set_ctx(&ctx, k.cert, k.cert, NULL, NULL, 0);
	X509_EXTENSION *ext = X509V3_EXT_conf_nid(NULL, &ctx, NID_subject_key_identifier, "hash");
	X509_add_ext(k.cert, ext, -1);
	X509_EXTENSION_free(ext);
	ck_assert_int_gt(X509_sign(k.cert, k.pkey, EVP_sha256()), 0);
	return k;
}

static struct key rsa, ec, other;

static void keys_setup(void)
{
	if (!rsa.pkey) {
		rsa = make_key("RSA", "unit RSA key");
		ec = make_key("EC", "unit EC key");
		other = make_key("EC", "unit EC key");  /* same name, different key */
	}
}

struct image {
	uint8_t *p;
	size_t len;
};

/* Sign (content) as sign-file does: detached, no certificates, no attributes. */
static struct image sign(const struct key *k, const char *md, int keyid, int with_cert)
{
	const char *content = "\177ELF pretend module contents";
	BIO *in = BIO_new_mem_buf(content, (int)strlen(content)), *out = BIO_new(BIO_s_mem());
	unsigned flags = CMS_NOCERTS | CMS_PARTIAL | CMS_BINARY | CMS_DETACHED | CMS_STREAM;
	CMS_ContentInfo *cms = CMS_sign(NULL, NULL, NULL, NULL, flags);
	struct image im;
	BUF_MEM *bm;

	ck_assert_ptr_nonnull(CMS_add1_signer(cms, k->cert, k->pkey, EVP_get_digestbyname(md),
			      CMS_NOCERTS | CMS_BINARY | CMS_NOSMIMECAP | CMS_NOATTR |
			      (keyid ? CMS_USE_KEYID : 0)));
	if (with_cert)
		CMS_add1_cert(cms, k->cert);
	ck_assert_int_eq(CMS_final(cms, in, NULL, CMS_NOCERTS | CMS_BINARY), 1);
	ck_assert_int_eq(i2d_CMS_bio(out, cms), 1);
	BIO_get_mem_ptr(out, &bm);
	im.len = strlen(content) + bm->length + 12 + MV_MODSIG_MARKER_LEN;
	im.p = malloc(im.len);
	memcpy(im.p, content, strlen(content));
	memcpy(im.p + strlen(content), bm->data, bm->length);
	uint8_t *ms = im.p + strlen(content) + bm->length;
	memset(ms, 0, 12);
	ms[2] = MV_MODSIG_PKEY_PKCS7;
	ms[8] = (uint8_t)(bm->length >> 24);
	ms[9] = (uint8_t)(bm->length >> 16);
	ms[10] = (uint8_t)(bm->length >> 8);
	ms[11] = (uint8_t)bm->length;
	memcpy(ms + 12, MV_MODSIG_MARKER, MV_MODSIG_MARKER_LEN);
	CMS_ContentInfo_free(cms);
	BIO_free(in);
	BIO_free(out);
	return im;
}

static struct sig_keyring *ring(const struct key *k)
{
	char dir[64], file[96];
	struct sig_keyring *kr;
	char err[256];
	FILE *f;

	snprintf(dir, sizeof(dir), "/tmp/mv-test-kr-%d", (int)getpid());
	mkdir(dir, 0700);
	snprintf(file, sizeof(file), "%s/key.pem", dir);
	f = fopen(file, "w");
	PEM_write_X509(f, k->cert);
	fclose(f);
	ck_assert_int_eq(sig_keyring_load(dir, &kr, err, sizeof(err)), 0);
	unlink(file);
	rmdir(dir);
	return kr;
}

static enum sig_status check(const struct key *k, struct image im, struct sig_result *r)
{
	struct sig_keyring *kr = ring(k);
	ck_assert_int_eq(sig_verify(kr, im.p, im.len, r), 0);
	sig_keyring_free(kr);
	return r->status;
}

START_TEST(test_good_signatures)
{
	static const char *mds[] = { "sha1", "sha224", "sha256", "sha384", "sha512" };
	struct sig_result r;

	for (size_t i = 0; i < sizeof(mds) / sizeof(mds[0]); i++) {
		for (int keyid = 0; keyid < 2; keyid++) {
			struct image im = sign(i % 2 ? &rsa : &ec, mds[i], keyid, 0);
			ck_assert_int_eq(check(i % 2 ? &rsa : &ec, im, &r), SIG_GOOD);
			ck_assert_str_eq(r.hash, mds[i]);
			ck_assert_int_eq(r.err, 0);
			ck_assert_str_eq(r.signer, i % 2 ? "unit RSA key" : "unit EC key");
			ck_assert_str_eq(r.pkey, i % 2 ? "RSA-2048" : "ECDSA-384");
			if (!keyid)
				ck_assert_str_eq(r.key_id, "01234567");
			else
				ck_assert_uint_eq(strlen(r.key_id), 40);
			free(im.p);
		}
	}
}
END_TEST

START_TEST(test_flipped_bytes_rejected)
{
	for (int variant = 0; variant < 2; variant++) {
		const struct key *k = variant ? &rsa : &ec;
		struct image im = sign(k, variant ? "sha512" : "sha256", variant, 0);
		struct sig_keyring *kr = ring(k);
		struct sig_result r;
		size_t sig_end = im.len - 12 - MV_MODSIG_MARKER_LEN;

		/* Every byte of content and PKCS#7: never good. */
		for (size_t i = 0; i < sig_end; i++) {
			im.p[i] ^= 0x01;
			ck_assert_int_eq(sig_verify(kr, im.p, im.len, &r), 0);
			ck_assert_msg(r.status != SIG_GOOD, "variant %d: flip at %zu still verifies",
				      variant, i);
			im.p[i] ^= 0x01;
		}
		ck_assert_int_eq(sig_verify(kr, im.p, im.len, &r), 0);
		ck_assert_int_eq(r.status, SIG_GOOD);
		sig_keyring_free(kr);
		free(im.p);
	}
}
END_TEST

START_TEST(test_unknown_key)
{
	struct sig_result r;
	struct image im = sign(&ec, "sha256", 1, 0);

	ck_assert_int_eq(check(&other, im, &r), SIG_UNKNOWN_KEY);
	ck_assert_int_eq(r.err, ENOKEY);
	free(im.p);
	/* A certificate carried inside the PKCS#7 is never trusted: it is refused. */
	im = sign(&ec, "sha256", 0, 1);
	ck_assert_int_eq(check(&rsa, im, &r), SIG_MALFORMED);
	ck_assert_int_eq(r.err, EBADMSG);
	free(im.p);
}
END_TEST

/*
 * Finding 1 of issue 12: a PKCS#7 that gained a certificate, a CRL or an
 * unsigned attribute still verifies in OpenSSL, so it is refused as
 * malformed; ECDSA's (r, n - s) stays good (the lists match the content).
 */
START_TEST(test_reencoded_pkcs7)
{
	static const char *const why[] = {
		[RE_CERT] = "PKCS#7 carries certificates",
		[RE_CRL] = "PKCS#7 carries CRLs",
		[RE_UNSIGNED_ATTR] = "SignerInfo has unsigned attributes",
	};
	for (int keyid = 0; keyid < 2; keyid++) {
		struct image im = sign(&ec, "sha384", keyid, 0);
		struct sig_result r;

		ck_assert_int_eq(check(&ec, im, &r), SIG_GOOD);
		for (int how = RE_CERT; how <= RE_UNSIGNED_ATTR; how++) {
			struct image re;
			re.p = pkcs7_reencode(im.p, im.len, how, ec.pkey, other.cert, &re.len);
			ck_assert_int_eq(check(&ec, re, &r), SIG_MALFORMED);
			ck_assert_int_eq(r.err, EBADMSG);
			ck_assert_msg(strstr(r.why, why[how]) != NULL, "%d: %s", how, r.why);
			free(re.p);
		}
		struct image re;
		re.p = pkcs7_reencode(im.p, im.len, RE_ECDSA_NEG_S, ec.pkey, NULL, &re.len);
		ck_assert_int_eq(check(&ec, re, &r), SIG_GOOD);
		ck_assert_uint_eq(r.content_len, strlen("\177ELF pretend module contents"));
		free(re.p);
		free(im.p);
	}
}
END_TEST

/* Signed attributes: OpenSSL's default, never sign-file's; Linux refuses them. */
START_TEST(test_signed_attributes_refused)
{
	const char *content = "\177ELF pretend module contents";
	BIO *in = BIO_new_mem_buf(content, (int)strlen(content)), *out = BIO_new(BIO_s_mem());
	CMS_ContentInfo *cms = CMS_sign(NULL, NULL, NULL, NULL, CMS_NOCERTS | CMS_PARTIAL |
					CMS_BINARY | CMS_DETACHED | CMS_STREAM);
	struct image plain = sign(&rsa, "sha256", 0, 0), im;
	struct sig_result r;
	struct modsig ms;
	BUF_MEM *bm;

	ck_assert_ptr_nonnull(CMS_add1_signer(cms, rsa.cert, rsa.pkey, EVP_sha256(),
					      CMS_NOCERTS | CMS_BINARY | CMS_NOSMIMECAP));
	ck_assert_int_eq(CMS_final(cms, in, NULL, CMS_NOCERTS | CMS_BINARY), 1);
	ck_assert_int_eq(i2d_CMS_bio(out, cms), 1);
	BIO_get_mem_ptr(out, &bm);
	ck_assert_int_eq(modsig_parse(plain.p, plain.len, &ms), 0);
	im.len = ms.content_len + bm->length + 12 + MV_MODSIG_MARKER_LEN;
	im.p = malloc(im.len);
	memcpy(im.p, plain.p, ms.content_len);
	memcpy(im.p + ms.content_len, bm->data, bm->length);
	memcpy(im.p + ms.content_len + bm->length, plain.p + plain.len - 12 - MV_MODSIG_MARKER_LEN,
	       12 + MV_MODSIG_MARKER_LEN);
	uint8_t *len_be = im.p + im.len - MV_MODSIG_MARKER_LEN - 4;
	len_be[0] = (uint8_t)(bm->length >> 24);
	len_be[1] = (uint8_t)(bm->length >> 16);
	len_be[2] = (uint8_t)(bm->length >> 8);
	len_be[3] = (uint8_t)bm->length;
	ck_assert_int_eq(check(&rsa, im, &r), SIG_MALFORMED);
	ck_assert_int_eq(r.err, EBADMSG);
	ck_assert_msg(strstr(r.why, "signed attributes") != NULL, "%s", r.why);
	CMS_ContentInfo_free(cms);
	BIO_free(in);
	BIO_free(out);
	free(im.p);
	free(plain.p);
}
END_TEST

START_TEST(test_same_issuer_serial_other_key_is_bad)
{
	/* other has ec's issuer and serial: the signer "matches" but the key does not. */
	struct sig_result r;
	struct image im = sign(&ec, "sha256", 0, 0);

	ck_assert_int_eq(check(&other, im, &r), SIG_BAD);
	ck_assert_int_eq(r.err, 129 /* EKEYREJECTED */);
	free(im.p);
}
END_TEST

START_TEST(test_unsigned)
{
	struct sig_result r;
	const char mod[] = "\177ELF no trailer";

	ck_assert_int_eq(sig_verify(NULL, mod, sizeof(mod), &r), 0);
	ck_assert_int_eq(r.status, SIG_UNSIGNED);
	ck_assert_uint_eq(r.content_len, sizeof(mod));
}
END_TEST

START_TEST(test_trailer_parsing)
{
	struct image im = sign(&ec, "sha256", 0, 0);
	uint8_t *ms = im.p + im.len - 12 - MV_MODSIG_MARKER_LEN;
	struct modsig s;
	size_t content = strlen("\177ELF pretend module contents");

	ck_assert_int_eq(modsig_parse(im.p, im.len, &s), 0);
	ck_assert_uint_eq(s.content_len, content);
	ck_assert_uint_eq(s.sig_off, content);
	ck_assert_uint_eq(s.sig_len, im.len - content - 12 - MV_MODSIG_MARKER_LEN);
	/* Marker only, with no room for the struct. */
	ck_assert_int_eq(modsig_parse(ms + 12 - 4, MV_MODSIG_MARKER_LEN + 4, &s), -MODSIG_EBADMSG);
	ck_assert_int_eq(modsig_parse(ms + 12, MV_MODSIG_MARKER_LEN, &s), -MODSIG_EBADMSG);
	/* sig_len covering everything, or more. */
	uint8_t save[12];
	memcpy(save, ms, 12);
	ms[8] = 0x7f;
	ck_assert_int_eq(modsig_parse(im.p, im.len, &s), -MODSIG_EBADMSG);
	ck_assert_str_eq(s.why, "sig_len is not smaller than the module");
	memcpy(ms, save, 12);
	ms[8] = ms[9] = ms[10] = ms[11] = 0;
	ck_assert_int_eq(modsig_parse(im.p, im.len, &s), -MODSIG_EBADMSG);
	memcpy(ms, save, 12);
	ms[3] = 1;      /* signer_len */
	ck_assert_int_eq(modsig_parse(im.p, im.len, &s), -MODSIG_EBADMSG);
	memcpy(ms, save, 12);
	ms[7] = 1;      /* padding */
	ck_assert_int_eq(modsig_parse(im.p, im.len, &s), -MODSIG_EBADMSG);
	memcpy(ms, save, 12);
	ms[2] = 1;      /* id_type: not PKCS#7, as Linux: ENOPKG */
	ck_assert_int_eq(modsig_parse(im.p, im.len, &s), -MODSIG_ENOPKG);
	memcpy(ms, save, 12);
	ck_assert_int_eq(modsig_parse(im.p, im.len - 1, &s), -MODSIG_ENODATA);
	ck_assert_uint_eq(s.content_len, im.len - 1);
	ck_assert_int_eq(modsig_parse(im.p, 0, &s), -MODSIG_ENODATA);
	free(im.p);
}
END_TEST

START_TEST(test_malformed_pkcs7)
{
	struct image im = sign(&ec, "sha256", 0, 0);
	struct sig_result r;
	uint8_t *der = im.p + strlen("\177ELF pretend module contents");

	der[0] = 0x31;  /* SET, not SEQUENCE */
	ck_assert_int_eq(sig_verify(NULL, im.p, im.len, &r), 0);
	ck_assert_int_eq(r.status, SIG_MALFORMED);
	ck_assert_int_eq(r.err, EBADMSG);
	ck_assert_str_eq(r.why, "PKCS#7 is not valid DER");
	der[0] = 0x30;
	im.p[im.len - MV_MODSIG_MARKER_LEN - 10] = 1;   /* id_type */
	ck_assert_int_eq(sig_verify(NULL, im.p, im.len, &r), 0);
	ck_assert_int_eq(r.status, SIG_UNSUPPORTED);
	ck_assert_int_eq(r.err, ENOPKG);
	free(im.p);
}
END_TEST

/* Issue 12, finding 11: a hash the kernel lacks is ENOPKG, as Linux; SHA-1 is good unless refused. */
START_TEST(test_md5_is_enopkg)
{
	struct sig_result r;
	struct image im = sign(&rsa, "md5", 0, 0);

	ck_assert_int_eq(check(&rsa, im, &r), SIG_UNSUPPORTED);
	ck_assert_int_eq(r.err, ENOPKG);
	ck_assert_str_eq(r.hash, "md5");
	ck_assert_str_eq(sig_status_name(r.status), "unsupported");
	ck_assert_msg(strstr(r.why, "digest algorithm the kernel lacks") != NULL, "%s", r.why);
	ck_assert(!sig_refuse_sha1(&r));
	free(im.p);

	im = sign(&ec, "sha1", 1, 0);
	ck_assert_int_eq(check(&ec, im, &r), SIG_GOOD);
	ck_assert(sig_refuse_sha1(&r));
	ck_assert_int_eq(r.status, SIG_UNSUPPORTED);
	ck_assert_int_eq(r.err, ENOPKG);
	ck_assert_int_eq(check(&other, im, &r), SIG_UNKNOWN_KEY);
	ck_assert(sig_refuse_sha1(&r));
	free(im.p);
	im = sign(&ec, "sha256", 1, 0);
	ck_assert_int_eq(check(&ec, im, &r), SIG_GOOD);
	ck_assert(!sig_refuse_sha1(&r));
	ck_assert_int_eq(r.status, SIG_GOOD);
	free(im.p);
}
END_TEST

START_TEST(test_keyring_loading)
{
	char dir[64], file[128], err[256];
	struct sig_keyring *kr;
	FILE *f;

	snprintf(dir, sizeof(dir), "/tmp/mv-test-kr2-%d", (int)getpid());
	mkdir(dir, 0700);
	ck_assert_int_eq(sig_keyring_load(dir, &kr, err, sizeof(err)), -ENOKEY);
	ck_assert_ptr_nonnull(strstr(err, "no X.509 certificate"));
	/* A DER file, a PEM file with two certificates, and a file that is neither. */
	snprintf(file, sizeof(file), "%s/a.der", dir);
	f = fopen(file, "wb");
	i2d_X509_fp(f, rsa.cert);
	fclose(f);
	snprintf(file, sizeof(file), "%s/b.pem", dir);
	f = fopen(file, "w");
	PEM_write_PrivateKey(f, ec.pkey, NULL, NULL, 0, NULL, NULL);
	PEM_write_X509(f, ec.cert);
	PEM_write_X509(f, other.cert);
	fclose(f);
	snprintf(file, sizeof(file), "%s/README", dir);
	f = fopen(file, "w");
	fputs("not a certificate\n", f);
	fclose(f);
	ck_assert_int_eq(sig_keyring_load(dir, &kr, err, sizeof(err)), 0);
	ck_assert_int_eq(sig_keyring_count(kr), 3);
	sig_keyring_free(kr);
	ck_assert_int_eq(sig_keyring_load(file, &kr, err, sizeof(err)), -ENOKEY);
	/*
	 * A PEM file whose second certificate is damaged is refused, naming
	 * the file and the certificate, never taken in part.
	 */
	snprintf(file, sizeof(file), "%s/c.pem", dir);
	f = fopen(file, "w");
	PEM_write_X509(f, rsa.cert);
	fputs("-----BEGIN CERTIFICATE-----\nMIIB!!!!not*base64\n-----END CERTIFICATE-----\n", f);
	PEM_write_X509(f, other.cert);
	fclose(f);
	ck_assert_int_eq(sig_keyring_load(file, &kr, err, sizeof(err)), -EBADMSG);
	ck_assert_msg(strstr(err, "c.pem: PEM certificate 2: "), "%s", err);
	ck_assert_int_eq(sig_keyring_load(dir, &kr, err, sizeof(err)), -EBADMSG);
	ck_assert_msg(strstr(err, "c.pem: PEM certificate 2: "), "%s", err);
	/* So is one whose base64 is fine but whose DER is not a certificate. */
	f = fopen(file, "w");
	fputs("-----BEGIN CERTIFICATE-----\nAAECAwQFBgcICQ==\n-----END CERTIFICATE-----\n", f);
	fclose(f);
	ck_assert_int_eq(sig_keyring_load(file, &kr, err, sizeof(err)), -EBADMSG);
	ck_assert_msg(strstr(err, "c.pem: PEM certificate 1: "), "%s", err);
	unlink(file);
	ck_assert_int_eq(sig_keyring_load("/nonexistent/certs", &kr, err, sizeof(err)), -ENOENT);
	ck_assert_str_eq(err, "/nonexistent/certs: No such file or directory");
	ck_assert_int_eq(system("rm -rf /tmp/mv-test-kr2-*"), 0);
}
END_TEST

static Suite *sig_suite(void)
{
	Suite *s = suite_create("sig");
	TCase *tc = tcase_create("sig");

	tcase_set_timeout(tc, 120);
	tcase_add_unchecked_fixture(tc, keys_setup, NULL);
	tcase_add_test(tc, test_good_signatures);
	tcase_add_test(tc, test_flipped_bytes_rejected);
	tcase_add_test(tc, test_unknown_key);
	tcase_add_test(tc, test_same_issuer_serial_other_key_is_bad);
	tcase_add_test(tc, test_unsigned);
	tcase_add_test(tc, test_trailer_parsing);
	tcase_add_test(tc, test_malformed_pkcs7);
	tcase_add_test(tc, test_keyring_loading);
	tcase_add_test(tc, test_md5_is_enopkg);
	tcase_add_test(tc, test_reencoded_pkcs7);
	tcase_add_test(tc, test_signed_attributes_refused);
	suite_add_tcase(s, tc);
	return s;
}

const struct unit_main unit_main = { .suite = sig_suite };
