/* fuzz_sig.c: libFuzzer harness: the appended-signature trailer and the PKCS#7 path into OpenSSL. */
#include <dirent.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <modvisor/modsig.h>
#include "fuzz.h"
#include "../../vmm/authority/measure.h"
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

/*
 * The oracle (issue 12, finding 1): the SHA-256 of the signed content of
 * every seed that verifies as good, from $MV_FUZZ_SIG_SEEDS (default
 * build/fuzz/seeds/sig).  Only the key holder can make a new content
 * verify, so a mutant that verifies as good must carry one of these: a
 * good verdict on any other content is a finding.  Re-encodings that keep
 * the content (ECDSA's n - s) are fine, since the host's lists match the
 * content.
 */
#define MAX_GOOD_SEEDS 512
static uint8_t good_content[MAX_GOOD_SEEDS][32];
static size_t n_good_content;

static bool content_is_known(const uint8_t *p, uint64_t len)
{
	uint8_t d[32];

	measure_sha256(p, len, d);
	for (size_t i = 0; i < n_good_content; i++)
		if (memcmp(good_content[i], d, 32) == 0)
			return true;
	return false;
}

static void load_seed(const char *path)
{
	struct sig_result r;
	void *buf;
	size_t len;

	if (n_good_content == MAX_GOOD_SEEDS || measure_map_file(path, &buf, &len) < 0)
		return;
	if (sig_verify(keyring, buf, len, &r) == 0 && r.status == SIG_GOOD &&
	    !content_is_known(buf, r.content_len))
		measure_sha256(buf, r.content_len, good_content[n_good_content++]);
	measure_unmap_file(buf, len);
}

static void load_seeds(void)
{
	const char *dir = getenv("MV_FUZZ_SIG_SEEDS");
	char path[4096];
	struct dirent *e;
	DIR *d;

	d = opendir(dir ? dir : "build/fuzz/seeds/sig");
	if (!d)
		return;
	while ((e = readdir(d)) != NULL)
		if (e->d_name[0] != '.' && snprintf(path, sizeof(path), "%s/%s",
						    dir ? dir : "build/fuzz/seeds/sig",
						    e->d_name) < (int)sizeof(path))
			load_seed(path);
	closedir(d);
	fprintf(stderr, "fuzz_sig: %zu signed contents verify in the seeds (the oracle)\n",
		n_good_content);
}

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
	load_seeds();
	return 0;
}

static void check_result(const struct sig_result *r, uint64_t size)
{
	static const int want_err[] = {
		[SIG_UNSIGNED] = ENODATA, [SIG_GOOD] = 0, [SIG_BAD] = EKEYREJECTED,
		[SIG_UNKNOWN_KEY] = ENOKEY, [SIG_MALFORMED] = EBADMSG, [SIG_UNSUPPORTED] = ENOPKG,
	};

	fuzz_check_str(r->hash, sizeof(r->hash), "hash");
	fuzz_check_str(r->pkey, sizeof(r->pkey), "pkey");
	fuzz_check_str(r->signer, sizeof(r->signer), "signer");
	fuzz_check_str(r->key_id, sizeof(r->key_id), "key_id");
	fuzz_check_str(r->why, sizeof(r->why), "why");
	if (r->content_len > size)
		abort();
	if (r->status > SIG_UNSUPPORTED || r->err != want_err[r->status])
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
	if (sig_verify(keyring, data, size, &r) == 0) {
		check_result(&r, size);
		if (r.status == SIG_GOOD && n_good_content && !content_is_known(data, r.content_len)) {
			fprintf(stderr, "fuzz_sig: 'good' for a signed content no seed has\n");
			abort();
		}
	}
	return 0;
}
