/* cmd_verify.c: `modvisor verify --keyring CERTS FILE...`: check modules offline. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <modvisor/abi/hypercall.h>
#include <modvisor/modinfo.h>
#include <modvisor/modsig.h>
#include "commands.h"
#include "authority/measure.h"
#include "authority/sig.h"
#include "authority/unpack.h"

#define VERIFY_USAGE "verify [--keyring PATH] [--digests LIST] FILE.ko..."

/* The digests, each on a line "  INDENTalgo: HEX". */
static void verify_print_digests(const char *indent, const struct measurement *m)
{
	char hex[2 * MEASURE_MAX_DIGEST + 1], label[16];

	measure_hex(m->xxh3, MEASURE_XXH3_LEN, hex);
	printf("  %sxxh3-128:  %s\n", indent, hex);
	for (int a = 0; a < MEASURE_NALGOS; a++) {
		if (!(m->set & (1u << a)))
			continue;
		measure_hex(m->digest[a], measure_algo_len((enum measure_algo)a), hex);
		snprintf(label, sizeof(label), "%s:", measure_algo_name((enum measure_algo)a));
		printf("  %s%-10s %s\n", indent, label, hex);
	}
}

static void verify_print_sig(const struct sig_result *s, size_t len)
{
	printf("  signature: %s", sig_status_name(s->status));
	if (s->status != SIG_UNSIGNED && s->status != SIG_MALFORMED)
		printf(" (%s %s, signer \"%s\", key id %s)", s->hash, s->pkey[0] ? s->pkey : "?",
		       s->signer, s->key_id);
	if (s->status != SIG_GOOD)
		printf(": %s", s->why);
	printf("\n");
	if (s->status != SIG_UNSIGNED && s->status != SIG_MALFORMED)
		printf("  signed:    %llu of %zu bytes\n", (unsigned long long)s->content_len, len);
}

/* Print one .modinfo string with anything unprintable escaped. */
static void verify_print_escaped(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c < 0x20 || c > 0x7e || c == '\\')
			printf("\\x%02x", c);
		else
			putchar(c);
	}
}

/* The module's .modinfo strings and how many __versions entries it has. */
static void verify_print_modinfo(const void *image, uint64_t len)
{
	struct modinfo mi;
	struct modversions mv;
	const char *why = NULL;

	if (modinfo_from_elf(image, len, &mi, &mv, &why) < 0) {
		printf("  modinfo:   unreadable: %s\n", why ? why : "?");
		return;
	}
	if (!mi.data) {
		printf("  modinfo:   none (no .modinfo section)\n");
	}
	for (uint64_t off = 0; mi.data && off < mi.size;) {
		const char *str = mi.data + off;
		size_t n = strnlen(str, mi.size - off);
		if (n > 0) {
			printf("  modinfo:   ");
			verify_print_escaped(str, n);
			printf("\n");
		}
		off += n + 1;
	}
	printf("  versions:  %llu __versions entries\n", (unsigned long long)mv.count);
}

/* verify_image(kr, set, img, len): the report for one (decompressed) image; 0 when good. */
static int verify_image(const struct sig_keyring *kr, measure_set set, const uint8_t *img,
			size_t len)
{
	struct measurement m, content;
	struct sig_result s;
	struct modsig ms;
	int ret;

	modsig_parse(img, len, &ms);
	ret = measure_buf_prefix(img, len, ms.content_len, set, &m, &content);
	if (ret == 0)
		ret = sig_verify(kr, img, len, &s);
	if (ret < 0) {
		printf("  error:     %s\n", strerror(-ret));
		return 1;
	}
	verify_print_digests("", &m);
	printf("  signed content (the image before its signature, %llu bytes; lists match it too):\n",
	       (unsigned long long)ms.content_len);
	verify_print_digests("  ", &content);
	verify_print_sig(&s, len);
	verify_print_modinfo(img, s.content_len);
	return s.status == SIG_GOOD ? 0 : 1;
}

/*
 * verify_one(kr, set, path): print one module's report; 0 when its signature
 * is good.  A .ko.gz/.xz/.zst is decompressed first, as finit_module(2)
 * with MODULE_INIT_COMPRESSED_FILE does: the signature is inside.
 */
static int verify_one(const struct sig_keyring *kr, measure_set set, const char *path)
{
	char err[256], hex[65];
	uint8_t *plain = NULL, sha[32];
	const char *method;
	size_t len, plen;
	void *buf;
	int ret = measure_map_file(path, &buf, &len);

	if (ret < 0) {
		fprintf(stderr, "modvisor verify: %s: %s\n", path, strerror(-ret));
		return 2;       /* unreadable input, as a usage error */
	}
	printf("%s:\n", path);
	method = unpack_method(buf, len);
	if (!method) {
		ret = verify_image(kr, set, buf, len);
	} else if (unpack(buf, len, MV_MODLOAD_IMAGE_MAX, &plain, &plen, err, sizeof(err)) < 0) {
		printf("  compressed: %s\n", err);
		ret = 1;
	} else {
		measure_sha256(buf, len, sha);
		measure_hex(sha, sizeof(sha), hex);
		printf("  file:      %s, %zu bytes, sha256 %s\n", method, len, hex);
		printf("  image:     %zu bytes decompressed\n", plen);
		ret = verify_image(kr, set, plain, plen);
		free(plain);
	}
	measure_unmap_file(buf, len);
	return ret;
}

static int cmd_verify(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "keyring", required_argument, NULL, 'k' },
		{ "digests", required_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	struct sig_keyring *kr = NULL;
	measure_set set = MEASURE_DEFAULT_SET;
	const char *keyring = NULL;
	char err[512];
	int c, status = 0;

	optind = 1;
	while ((c = getopt_long(argc, argv, "k:d:h", opts, NULL)) != -1) {
		if (c == 'k') {
			keyring = optarg;
		} else if (c == 'd' && measure_set_parse(optarg, &set) == 0) {
			continue;
		} else if (c == 'h') {
			return printf("usage: modvisor " VERIFY_USAGE "\n"), 0;
		} else {
			if (c == 'd')
				fprintf(stderr, "modvisor verify: --digests: bad list '%s'\n", optarg);
			return 2;
		}
	}
	if (optind >= argc) {
		fprintf(stderr, "usage: modvisor " VERIFY_USAGE "\n");
		return 2;
	}
	if (keyring && sig_keyring_load(keyring, &kr, err, sizeof(err)) < 0) {
		fprintf(stderr, "modvisor verify: keyring %s\n", err);
		return 2;
	}
	/* The worst status wins: 2 (an unreadable file) over 1 (a signature not good). */
	for (int i = optind; i < argc; i++) {
		int st = verify_one(kr, set, argv[i]);

		status = st > status ? st : status;
	}
	sig_keyring_free(kr);
	return status;
}

COMMAND(verify, "verify", VERIFY_USAGE,
	"Check modules as the host would, without a VM: print each one's digests,\n"
	"its appended signature (status, hash and key algorithm, signer CN, key id)\n"
	"and its .modinfo.  A .ko.gz, .ko.xz or .ko.zst is decompressed first, as\n"
	"finit_module(2) does.  Exit status 0 only when every signature is good.\n"
	"  --keyring PATH   X.509 certificates (DER or PEM): a file or a directory\n"
	"  --digests LIST   sha256 (default), sha384, sha512, or none\n",
	cmd_verify);
