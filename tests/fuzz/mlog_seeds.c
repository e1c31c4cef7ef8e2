/* mlog_seeds.c: mv-mlog-seeds, writes small measurement logs in every format as fuzzing seeds. */
#include <err.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <modvisor/abi/hypercall.h>
#include <modvisor/abi/module.h>
#include "../../vmm/authority/mlog.h"

/*
 * usage: mv-mlog-seeds DIR
 *
 * Writes DIR/run.jsonl, DIR/run.ascii and DIR/run.bin through the real
 * writer (vmm/authority/mlog.c): a start entry, a good signed load, a denied load
 * with a hostile name, a load event and the end entry, as the unit tests
 * do; plus DIR/empty.jsonl with only start and end.
 */

static void write_log(const char *path, enum policy_log_format fmt, int loads)
{
	struct sig_result s = { .status = SIG_GOOD };
	struct measurement m;
	struct mlog *l;
	char e[256];

	snprintf(s.signer, sizeof(s.signer), "fuzz seed key");
	snprintf(s.hash, sizeof(s.hash), "sha256");
	unlink(path);
	if (measure_buf("module", 6, (1u << MEASURE_SHA256) | (1u << MEASURE_SHA512), &m) ||
	    mlog_open(path, fmt, POLICY_FSYNC_NONE, &l, e, sizeof(e)) ||
	    mlog_start(l, &(struct mlog_start){ .kernel = "build/images/kernel.elf",
					       .policy = "sig_enforce=0" }, e, sizeof(e)))
		errx(1, "%s: %s", path, e);
	if (loads) {
		struct mlog_load ld = {
			.load_id = 1, .name = "hello", .source = MV_MODSRC_FINIT_MODULE,
			.path = "/lib/modules/hello.ko", .size = 6, .m = &m, .sig = &s,
			.allow = true, .why = "signature good",
		};
		if (mlog_load(l, &ld, e, sizeof(e)))
			errx(1, "%s: %s", path, e);
		ld.load_id = 2;
		ld.name = "evil\n{\"seq\":3}\r\x1b[2J\"\\";
		ld.path = NULL;
		ld.source = MV_MODSRC_INIT_MODULE;
		ld.allow = false;
		ld.err = ENOKEY;
		ld.sig = NULL;
		ld.taints = 1u << MV_TAINT_UNSIGNED_MODULE;
		if (mlog_load(l, &ld, e, sizeof(e)) ||
		    mlog_event(l, &(struct mlog_event){ .load_id = 1, .event = MV_MODEV_LOADED,
			       .name = "hello", .base = 0xffffffffa0000000ull }, e, sizeof(e)))
			errx(1, "%s: %s", path, e);
	}
	if (mlog_close(l, e, sizeof(e)))
		errx(1, "%s: %s", path, e);
}

int main(int argc, char **argv)
{
	char path[4096];

	if (argc != 2) {
		fprintf(stderr, "usage: %s DIR\n", argv[0]);
		return 2;
	}
	snprintf(path, sizeof(path), "%s/run.jsonl", argv[1]);
	write_log(path, POLICY_LOG_JSONL, 1);
	snprintf(path, sizeof(path), "%s/empty.jsonl", argv[1]);
	write_log(path, POLICY_LOG_JSONL, 0);
	snprintf(path, sizeof(path), "%s/run.ascii", argv[1]);
	write_log(path, POLICY_LOG_IMA_ASCII, 1);
	snprintf(path, sizeof(path), "%s/run.bin", argv[1]);
	write_log(path, POLICY_LOG_IMA_BINARY, 1);
	return 0;
}
