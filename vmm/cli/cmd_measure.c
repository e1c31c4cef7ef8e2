/* cmd_measure.c: `modvisor measure FILE...`: the digests the host judges and logs. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <modvisor/abi/hypercall.h>
#include <modvisor/modsig.h>
#include "commands.h"
#include "authority/measure.h"
#include "authority/unpack.h"

/* measure_print_line(label, path, m): "LABEL  xxh3:HEX sha256:HEX  path", like sha256sum. */
static void measure_print_line(const char *label, const char *path, const struct measurement *m)
{
	char hex[2 * MEASURE_MAX_DIGEST + 1];

	measure_hex(m->xxh3, MEASURE_XXH3_LEN, hex);
	printf("%-15s xxh3:%s", label, hex);
	for (int a = 0; a < MEASURE_NALGOS; a++) {
		if (!(m->set & (1u << a)))
			continue;
		measure_hex(m->digest[a], measure_algo_len((enum measure_algo)a), hex);
		printf(" %s:%s", measure_algo_name((enum measure_algo)a), hex);
	}
	printf("  %s\n", path);
}

/* The image's and its signed content's lines: what the host's lists match. */
static int measure_image(const char *path, const uint8_t *img, size_t len, measure_set set)
{
	struct measurement whole, content;
	struct modsig ms;
	int ret;

	modsig_parse(img, len, &ms);
	ret = measure_buf_prefix(img, len, ms.content_len, set, &whole, &content);
	if (ret < 0)
		return ret;
	measure_print_line("image", path, &whole);
	measure_print_line("signed-content", path, &content);
	return 0;
}

/*
 * One file.  A compressed module is decompressed first, as finit_module
 * with MODULE_INIT_COMPRESSED_FILE does: the host judges the image, so the
 * file's own digest (which no list matches) gets its own "file" line.
 */
static int measure_one(const char *path, measure_set set)
{
	struct measurement m;
	uint8_t *plain = NULL;
	size_t len, plen;
	char err[256];
	void *buf;
	int ret = measure_map_file(path, &buf, &len);

	if (ret < 0) {
		fprintf(stderr, "modvisor measure: %s: %s\n", path, strerror(-ret));
		return 2;       /* unreadable input, as a usage error */
	}
	if (!unpack_method(buf, len)) {
		ret = measure_image(path, buf, len, set);
	} else if (unpack(buf, len, MV_MODLOAD_IMAGE_MAX, &plain, &plen, err, sizeof(err)) < 0) {
		fprintf(stderr, "modvisor measure: %s: %s\n", path, err);
		measure_unmap_file(buf, len);
		return 1;
	} else if ((ret = measure_image(path, plain, plen, set)) == 0 &&
		   (ret = measure_buf(buf, len, set, &m)) == 0) {
		measure_print_line("file", path, &m);
	}
	free(plain);
	measure_unmap_file(buf, len);
	if (ret < 0) {
		fprintf(stderr, "modvisor measure: %s: %s\n", path, strerror(-ret));
		return 1;
	}
	return 0;
}

static int cmd_measure(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "digests", required_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	measure_set set = MEASURE_DEFAULT_SET;
	int c, status = 0;

	optind = 1;
	while ((c = getopt_long(argc, argv, "d:h", opts, NULL)) != -1) {
		if (c == 'd' && measure_set_parse(optarg, &set) == 0)
			continue;
		if (c == 'd')
			fprintf(stderr, "modvisor measure: --digests: '%s' is not sha256, sha384, sha512 or none\n",
				optarg);
		else if (c == 'h')
			return printf("usage: modvisor measure [--digests LIST] FILE...\n"), 0;
		return 2;
	}
	if (optind >= argc) {
		fprintf(stderr, "usage: modvisor measure [--digests LIST] FILE...\n");
		return 2;
	}
	/* The worst status wins: 2 (an unreadable file) over 1 (one that cannot be measured). */
	for (int i = optind; i < argc; i++) {
		int st = measure_one(argv[i], set);

		status = st > status ? st : status;
	}
	return status;
}

COMMAND(measure, "measure", "measure [--digests LIST] FILE...",
	"Print the digests the host judges and logs, one line each:\n"
	"  image           the module image (decompressed first for a .ko.gz/.xz/.zst,\n"
	"                  as finit_module does), signature included: the log's digests\n"
	"  signed-content  the image before its signature: the log's content_digests;\n"
	"                  name this one in a deny list (it survives re-encoding)\n"
	"  file            a compressed file's own bytes: the log's file_sha256; no\n"
	"                  list ever matches it\n"
	"XXH3-128 always, and the cryptographic digests of --digests.\n"
	"  --digests LIST   sha256 (default), sha384, sha512 (comma-separated), or none\n",
	cmd_measure);
