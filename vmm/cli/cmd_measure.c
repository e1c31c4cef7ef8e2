/* cmd_measure.c: `modvisor measure FILE...`: the digests the host would log. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "authority/measure.h"

/* measure_print_line(path, m): "xxh3:HEX sha256:HEX  path", like sha256sum. */
static void measure_print_line(const char *path, const struct measurement *m)
{
	char hex[2 * MEASURE_MAX_DIGEST + 1];

	measure_hex(m->xxh3, MEASURE_XXH3_LEN, hex);
	printf("xxh3:%s", hex);
	for (int a = 0; a < MEASURE_NALGOS; a++) {
		if (!(m->set & (1u << a)))
			continue;
		measure_hex(m->digest[a], measure_algo_len((enum measure_algo)a), hex);
		printf(" %s:%s", measure_algo_name((enum measure_algo)a), hex);
	}
	printf("  %s\n", path);
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
	for (int i = optind; i < argc; i++) {
		struct measurement m;
		void *buf;
		size_t len;
		int ret = measure_map_file(argv[i], &buf, &len);
		if (ret == 0) {
			ret = measure_buf(buf, len, set, &m);
			measure_unmap_file(buf, len);
		}
		if (ret < 0) {
			fprintf(stderr, "modvisor measure: %s: %s\n", argv[i], strerror(-ret));
			status = 1;
			continue;
		}
		measure_print_line(argv[i], &m);
	}
	return status;
}

COMMAND(measure, "measure", "measure [--digests LIST] FILE...",
	"Print each file's XXH3-128 and cryptographic digests (default sha256),\n"
	"exactly as the measurement log would record them.\n"
	"  --digests LIST   sha256, sha384, sha512 (comma-separated), or none\n",
	cmd_measure);
