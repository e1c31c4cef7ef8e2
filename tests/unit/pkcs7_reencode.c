/* pkcs7_reencode.c: test helper: change a signed module's PKCS#7 without its key, as issue 12's review did. */
#include <check.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/cms.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>

#include <modvisor/modsig.h>
#include "pkcs7_reencode.h"

/* A CRL issued by (pkey, cert): any CRL will do, nothing may be added. */
static X509_CRL *make_crl(EVP_PKEY *pkey, X509 *cert)
{
	X509_CRL *crl = X509_CRL_new();
	ASN1_TIME *t = ASN1_TIME_set(NULL, 0);

	X509_CRL_set_version(crl, 1);
	X509_CRL_set_issuer_name(crl, X509_get_subject_name(cert));
	X509_CRL_set1_lastUpdate(crl, t);
	ck_assert_int_gt(X509_CRL_sign(crl, pkey, EVP_sha256()), 0);
	ASN1_TIME_free(t);
	return crl;
}

/* ECDSA's malleability: (r, s) and (r, n - s) are both valid signatures. */
static void negate_s(CMS_SignerInfo *si, EVP_PKEY *pkey)
{
	ASN1_OCTET_STRING *os = CMS_SignerInfo_get0_signature(si);
	const unsigned char *p = ASN1_STRING_get0_data(os);
	ECDSA_SIG *sig = d2i_ECDSA_SIG(NULL, &p, ASN1_STRING_length(os));
	BIGNUM *order = NULL, *s2 = BN_new();
	unsigned char *der = NULL;
	int n;

	ck_assert_ptr_nonnull(sig);
	ck_assert_int_eq(EVP_PKEY_get_bn_param(pkey, OSSL_PKEY_PARAM_EC_ORDER, &order), 1);
	ck_assert_int_eq(BN_sub(s2, order, ECDSA_SIG_get0_s(sig)), 1);
	ck_assert_int_eq(ECDSA_SIG_set0(sig, BN_dup(ECDSA_SIG_get0_r(sig)), s2), 1);
	n = i2d_ECDSA_SIG(sig, &der);
	ck_assert_int_gt(n, 0);
	ck_assert_int_eq(ASN1_STRING_set(os, der, n), 1);
	OPENSSL_free(der);
	BN_free(order);
	ECDSA_SIG_free(sig);
}

static void change(CMS_ContentInfo *cms, enum pkcs7_reencode how, EVP_PKEY *pkey, X509 *cert)
{
	CMS_SignerInfo *si = sk_CMS_SignerInfo_value(CMS_get0_SignerInfos(cms), 0);
	X509_CRL *crl;

	switch (how) {
	case RE_CERT:
		ck_assert_int_eq(CMS_add1_cert(cms, cert), 1);
		break;
	case RE_CRL:
		crl = make_crl(pkey, cert);
		ck_assert_int_eq(CMS_add1_crl(cms, crl), 1);
		X509_CRL_free(crl);
		break;
	case RE_UNSIGNED_ATTR:
		ck_assert_int_eq(CMS_unsigned_add1_attr_by_txt(si, "1.2.3.4", V_ASN1_UTF8STRING,
							       "padding", 7), 1);
		break;
	default:
		negate_s(si, pkey);
		break;
	}
}

uint8_t *pkcs7_reencode(const uint8_t *im, size_t len, enum pkcs7_reencode how,
			EVP_PKEY *pkey, X509 *cert, size_t *outlen)
{
	const size_t tail = 12 + MV_MODSIG_MARKER_LEN;
	unsigned char *der = NULL;
	struct modsig ms;
	uint8_t *out;
	int n;

	ck_assert_int_eq(modsig_parse(im, len, &ms), 0);
	const unsigned char *p = im + ms.sig_off;
	CMS_ContentInfo *cms = d2i_CMS_ContentInfo(NULL, &p, (long)ms.sig_len);
	ck_assert_ptr_nonnull(cms);
	change(cms, how, pkey, cert);
	n = i2d_CMS_ContentInfo(cms, &der);
	ck_assert_int_gt(n, 0);
	*outlen = ms.content_len + (size_t)n + tail;
	out = malloc(*outlen + 4096);
	memcpy(out, im, ms.content_len);
	memcpy(out + ms.content_len, der, (size_t)n);
	memcpy(out + ms.content_len + n, im + len - tail, tail);
	uint8_t *be = out + *outlen - MV_MODSIG_MARKER_LEN - 4;
	be[0] = (uint8_t)(n >> 24);
	be[1] = (uint8_t)(n >> 16);
	be[2] = (uint8_t)(n >> 8);
	be[3] = (uint8_t)n;
	ck_assert(*outlen != len || memcmp(out, im, len) != 0);
	OPENSSL_free(der);
	CMS_ContentInfo_free(cms);
	return out;
}
