/* fuzz_sig.c: libFuzzer harness: the appended-signature trailer and the PKCS#7 path into OpenSSL. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <modvisor/modsig.h>
#include "fuzz.h"
#include "../../vmm/authority/sig.h"

/*
 * The input is a signed (or not) module image.  It goes through
 * modsig_parse() (shared/lib/modsig.c, the trailer both sides read) and the
 * host's sig_verify() (vmm/authority/sig.c: the strict DER walk, then OpenSSL's CMS
 * parser and CMS_verify) against a fixed keyring: the certificates in
 * $MV_FUZZ_KEYRING (default build/fuzz/keys, which tests/fuzz/seeds.sh
 * makes and signs the seeds with), so that inputs reach the verification
 * itself.  Every string in the result must be NUL-terminated and the status
 * must agree with the errno.
 */

static struct sig_keyring *keyring;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *path = getenv("MV_FUZZ_KEYRING");
	char err[256];

	(void)argc, (void)argv;
	if (!path)
		path = "build/fuzz/keys";
	if (sig_keyring_load(path, &keyring, err, sizeof(err)) != 0) {
		fprintf(stderr, "fuzz_sig: %s; using an empty keyring\n", err);
		keyring = sig_keyring_empty();
	}
	return 0;
}

static void check_result(const struct sig_result *r, uint64_t size)
{
	static const int want_err[] = {
		[SIG_UNSIGNED] = ENODATA, [SIG_GOOD] = 0, [SIG_BAD] = EKEYREJECTED,
		[SIG_UNKNOWN_KEY] = ENOKEY,
	};

	fuzz_check_str(r->hash, sizeof(r->hash), "hash");
	fuzz_check_str(r->pkey, sizeof(r->pkey), "pkey");
	fuzz_check_str(r->signer, sizeof(r->signer), "signer");
	fuzz_check_str(r->key_id, sizeof(r->key_id), "key_id");
	fuzz_check_str(r->why, sizeof(r->why), "why");
	if (r->content_len > size)
		abort();
	if (r->status == SIG_MALFORMED ? (r->err != EBADMSG && r->err != ENOPKG)
				       : r->err != want_err[r->status])
		abort();
	(void)sig_status_name(r->status);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct modsig ms;
	struct sig_result r;

	if (modsig_parse(data, size, &ms) == 0 &&
	    (ms.content_len > size || ms.sig_off > size || ms.sig_len > size - ms.sig_off))
		abort();
	if (sig_verify(keyring, data, size, &r) == 0)
		check_result(&r, size);
	return 0;
}
