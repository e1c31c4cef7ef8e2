/* pkcs7_reencode.h: test helper: change a signed module's PKCS#7 without its key, as issue 12's review did. */
#ifndef MODVISOR_TESTS_PKCS7_REENCODE_H
#define MODVISOR_TESTS_PKCS7_REENCODE_H

#include <stddef.h>
#include <stdint.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

enum pkcs7_reencode {
	RE_CERT,                /* a certificate added to SignedData */
	RE_CRL,                 /* a CRL added to SignedData */
	RE_UNSIGNED_ATTR,       /* an unsigned attribute added to the SignerInfo */
	RE_ECDSA_NEG_S,         /* ECDSA (r, s) replaced with (r, n - s) */
	RE_NCASES
};

/*
 * pkcs7_reencode(im, len, how, pkey, cert, outlen): a malloc'd copy of the
 * signed module (im, len) whose PKCS#7 was changed as how says, with the
 * trailer's sig_len rewritten; the content is unchanged.  pkey is the
 * signer's public key (its curve order for RE_ECDSA_NEG_S) and also signs
 * the CRL; cert is the certificate added.  Fails the Check test on error.
 */
uint8_t *pkcs7_reencode(const uint8_t *im, size_t len, enum pkcs7_reencode how,
			EVP_PKEY *pkey, X509 *cert, size_t *outlen);

#endif
