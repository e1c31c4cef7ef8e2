/* sig.h: verify a module's appended PKCS#7 signature against a keyring. */
#ifndef MODVISOR_VMM_SIG_H
#define MODVISOR_VMM_SIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The certificates a host trusts (X.509, from DER or PEM files). */
struct sig_keyring;

/*
 * sig_keyring_load(path, out, err, errlen): read every certificate in path, a
 * file (DER, or PEM with any number of certificates) or a directory of such
 * files (files holding no certificate are skipped).  Returns 0, or -errno
 * with "path: reason" in err; a keyring with no certificate is -ENOKEY.
 */
int sig_keyring_load(const char *path, struct sig_keyring **out, char *err, size_t errlen);

/* sig_keyring_empty(): a keyring with no keys (every signer is unknown). */
struct sig_keyring *sig_keyring_empty(void);

/* sig_keyring_count(kr): how many certificates kr holds. */
int sig_keyring_count(const struct sig_keyring *kr);

/* sig_keyring_free(kr): release kr (NULL is fine). */
void sig_keyring_free(struct sig_keyring *kr);

enum sig_status {
	SIG_UNSIGNED,           /* no "~Module signature appended~" marker */
	SIG_GOOD,               /* verified by a key in the keyring */
	SIG_BAD,                /* signer known, signature does not verify */
	SIG_UNKNOWN_KEY,        /* no keyring certificate matches the signer */
	SIG_MALFORMED,          /* trailer or PKCS#7 cannot be parsed (EBADMSG) */
	SIG_UNSUPPORTED,        /* crypto the kernel lacks (ENOPKG): a digest
	                         * such as MD5, an unknown signature algorithm,
	                         * a trailer that is not PKCS#7, or SHA-1 under
	                         * refuse_sha1 */
};

struct sig_result {
	enum sig_status status;
	int err;                /* Linux's errno for this status: 0, ENODATA,
	                         * EKEYREJECTED (bad), ENOKEY, EBADMSG, ENOPKG */
	uint64_t content_len;   /* bytes covered by the signature */
	char hash[16];          /* "sha256" */
	char pkey[24];          /* "RSA-4096", "ECDSA-384" */
	char signer[128];       /* certificate subject CN (or issuer CN if unknown) */
	char key_id[132];       /* SKID hex (signer named by key id) or serial hex */
	char why[200];          /* one line for SIG_BAD/UNKNOWN_KEY/MALFORMED */
};

/*
 * sig_verify(kr, image, len, out): check the image's appended signature as
 * Linux's module_sig_check() would: the PKCS#7 must be a detached SignedData
 * over the bytes before it, signed by a keyring certificate named by
 * issuer+serial or subjectKeyIdentifier.  Certificates inside the PKCS#7 are
 * ignored.  Always fills out; returns 0, or -ENOMEM.
 */
int sig_verify(const struct sig_keyring *kr, const void *image, uint64_t len,
	       struct sig_result *out);

/*
 * sig_refuse_sha1(out): policy refuse_sha1: a SHA-1 signature (good, bad or
 * unknown key) becomes SIG_UNSUPPORTED, as crypto the kernel lacked would.
 * Returns true when it did.
 */
bool sig_refuse_sha1(struct sig_result *out);

/* sig_status_name(s): "unsigned", "good", "bad", "unknown-key", "malformed", "unsupported". */
const char *sig_status_name(enum sig_status s);

#endif
