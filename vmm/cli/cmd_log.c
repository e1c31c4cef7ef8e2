/* cmd_log.c: `modvisor log verify|show FILE`: replay or print a measurement log. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "authority/measure.h"
#include "authority/mlog.h"

#define LOG_USAGE "log verify [--aggregate HEX] [--entries N] FILE | log show [--vm NAME] FILE"

/*
 * log_verify_failed(path, ret, v): the verdict on a log that did not verify:
 * 3 for a valid prefix (what a crash leaves; only anchors tell it from a
 * cut), 1 for a broken one, 2 when it could not be read.
 */
static int log_verify_failed(const char *path, int ret, const struct mlog_verify *v)
{
	char hex[2 * MLOG_AGG_LEN + 1];

	if (ret == -EBADMSG && (v->unended || v->torn)) {
		measure_hex(v->agg, MLOG_AGG_LEN, hex);
		printf("%s: PREFIX: %llu entries verify, aggregate %s; then %s\n", path,
		       (unsigned long long)v->entries, hex, v->why);
		return 3;
	}
	if (ret == -EBADMSG) {
		printf("%s: FAILED: %s\n", path, v->why);
		return 1;
	}
	/* Not a verdict on the log: it could not be read (2, as a usage error). */
	fprintf(stderr, "modvisor log verify: %s: %s\n", path, strerror(-ret));
	return 2;
}

/*
 * log_verify_anchors(path, v, want_agg, want_n): the verdict on a log whose
 * chain verified, held to the expected aggregate and entry count (NULL:
 * not given); 0 or 1.
 */
static int log_verify_anchors(const char *path, const struct mlog_verify *v,
			      const char *want_agg, const char *want_n)
{
	char hex[2 * MLOG_AGG_LEN + 1];

	measure_hex(v->agg, MLOG_AGG_LEN, hex);
	if (want_agg && strcasecmp(want_agg, hex) != 0) {
		printf("%s: FAILED: %llu entries verify, but their aggregate %s is not the expected "
		       "%s: entries were altered, added or cut\n", path,
		       (unsigned long long)v->entries, hex, want_agg);
		return 1;
	}
	if (want_n && strtoull(want_n, NULL, 10) != v->entries) {
		printf("%s: FAILED: %llu entries, expected %s: entries were added or cut\n",
		       path, (unsigned long long)v->entries, want_n);
		return 1;
	}
	printf("ok, %llu entries, aggregate %s\n", (unsigned long long)v->entries, hex);
	if (v->killed)
		printf("note: %llu run(s) stopped without their end entry (killed or crashed)\n",
		       (unsigned long long)v->killed);
	return 0;
}

/* log_verify(argc, argv): replay the chain; 0 when it verifies (and matches the anchors). */
static int log_verify(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "aggregate", required_argument, NULL, 'a' },
		{ "entries", required_argument, NULL, 'n' },
		{ 0 },
	};
	const char *want_agg = NULL, *want_n = NULL;
	struct mlog_verify v;
	int c, ret;

	optind = 1;
	while ((c = getopt_long(argc, argv, "a:n:", opts, NULL)) != -1) {
		if (c == 'a')
			want_agg = optarg;
		else if (c == 'n')
			want_n = optarg;
		else
			return 2;
	}
	if (optind + 1 != argc) {
		fprintf(stderr, "usage: modvisor " LOG_USAGE "\n");
		return 2;
	}
	ret = mlog_verify_file(argv[optind], &v);
	if (ret < 0)
		return log_verify_failed(argv[optind], ret, &v);
	return log_verify_anchors(argv[optind], &v, want_agg, want_n);
}

static int log_show(int argc, char **argv)
{
	const char *vm = NULL, *path;
	int ret;

	if (argc == 4 && strcmp(argv[1], "--vm") == 0)
		vm = argv[2];
	else if (argc == 3 && strncmp(argv[1], "--vm=", 5) == 0)
		vm = argv[1] + 5;
	else if (argc != 2) {
		fprintf(stderr, "usage: modvisor " LOG_USAGE "\n");
		return 2;
	}
	path = argv[argc - 1];
	ret = mlog_show_file_vm(path, stdout, vm);
	if (ret < 0) {
		fprintf(stderr, "modvisor log show: %s: %s\n", path, strerror(-ret));
		return ret == -EBADMSG ? 1 : 2;
	}
	return 0;
}

static int cmd_log(int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "verify") == 0)
		return log_verify(argc - 1, argv + 1);
	if (argc >= 2 && strcmp(argv[1], "show") == 0)
		return log_show(argc - 1, argv + 1);
	if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0))
		return printf("usage: modvisor " LOG_USAGE "\n"), 0;
	fprintf(stderr, "usage: modvisor " LOG_USAGE "\n");
	return 2;
}

COMMAND(log, "log", LOG_USAGE,
	"verify: replay the hash chain of a measurement log (JSON Lines, IMA ascii or\n"
	"        binary) and print `ok, N entries, aggregate HEX`, or name the first\n"
	"        entry that was altered, reordered, removed or cut (exit status 1).\n"
	"        A log that a crash or kill left behind (no end entry, or a final\n"
	"        entry without its newline) prints `PREFIX: N entries verify,\n"
	"        aggregate HEX; then ...` and exits 3: the N entries are sound.\n"
	"        --aggregate HEX  also require this final aggregate (as modvisor run\n"
	"                         printed it): catches cut or re-chained tails\n"
	"        --entries N      also require N entries\n"
	"show:   print one line per entry; names stay escaped.\n"
	"Exit status: 0 ok; 1 the log was tampered with (verify) or is not a log;\n"
	"        3 a crash's valid prefix (verify); 2 usage error or FILE unreadable.\n",
	cmd_log);
