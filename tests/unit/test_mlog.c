/* test_mlog.c: Check tests of the measurement log (vmm/authority/mlog*.c): chain, tampering, failures. */
#include <check.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <pthread.h>

#include <modvisor/abi/hypercall.h>
#include <modvisor/abi/module.h>
#include "../../vmm/authority/mlog.h"
#include "check_main.h"

static char path[128];

static void setup(void)
{
	snprintf(path, sizeof(path), "/tmp/mv-test-mlog-%d.log", (int)getpid());
	unlink(path);
}

static void teardown(void)
{
	unlink(path);
}

/* A run: start, two loads (one with a hostile name), an event, end. */
static void write_run(enum policy_log_format fmt)
{
	struct mlog *l;
	struct measurement m;
	struct sig_result s = { .status = SIG_GOOD };
	char err[256];

	snprintf(s.signer, sizeof(s.signer), "test key");
	ck_assert_int_eq(measure_buf("module", 6, 1u << MEASURE_SHA256, &m), 0);
	ck_assert_int_eq(mlog_open(path, fmt, POLICY_FSYNC_ENTRY, &l, err, sizeof(err)), 0);
	ck_assert_int_eq(mlog_start(l, &(struct mlog_start){ .kernel = "build/kernel" },
				    err, sizeof(err)), 0);
	struct mlog_load ld = { .load_id = 1, .name = "hello", .source = MV_MODSRC_FINIT_MODULE,
				.path = "/lib/modules/hello.ko", .size = 6, .m = &m, .sig = &s,
				.content = &m, .content_size = 6, .allow = true, .why = "signature good" };
	ck_assert_int_eq(mlog_load(l, &ld, err, sizeof(err)), 0);
	ld.load_id = 2;
	ld.name = "evil\n{\"seq\":3,\"type\":\"load\"}\r\x1b[2J\"\\";
	ld.path = NULL;
	ld.source = MV_MODSRC_INIT_MODULE;
	ld.allow = false;
	ld.err = ENOKEY;
	ld.sig = NULL;
	ck_assert_int_eq(mlog_load(l, &ld, err, sizeof(err)), 0);
	ck_assert_int_eq(mlog_event(l, &(struct mlog_event){ .load_id = 1, .event = MV_MODEV_LOADED,
				    .name = "hello", .taints = 1u << MV_TAINT_UNSIGNED_MODULE },
				    err, sizeof(err)), 0);
	ck_assert_int_eq(mlog_close(l, err, sizeof(err)), 0);
}

static char *slurp(size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = malloc(1 << 16);
	ck_assert_ptr_nonnull(f);
	*len = fread(buf, 1, (1 << 16) - 1, f);
	buf[*len] = '\0';
	fclose(f);
	return buf;
}

static void spit(const char *buf, size_t len)
{
	FILE *f = fopen(path, "wb");
	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fwrite(buf, 1, len, f), len);
	fclose(f);
}

/* The n-th line (0-based) of buf: its offset and length including '\n'. */
static void line_span(const char *buf, int n, size_t *off, size_t *len)
{
	const char *p = buf;
	for (int i = 0; i < n; i++)
		p = strchr(p, '\n') + 1;
	*off = (size_t)(p - buf);
	*len = (size_t)(strchr(p, '\n') + 1 - p);
}

START_TEST(test_chain_verifies)
{
	struct mlog_verify v;
	size_t len;

	write_run(POLICY_LOG_JSONL);
	ck_assert_int_eq(mlog_verify_file(path, &v), 0);
	ck_assert_uint_eq(v.entries, 5);
	ck_assert(v.ended);
	char *buf = slurp(&len);
	int lines = 0;
	for (size_t i = 0; i < len; i++)
		lines += buf[i] == '\n';
	/* The hostile name added no line, and no raw control character. */
	ck_assert_int_eq(lines, 5);
	for (size_t i = 0; i < len; i++)
		ck_assert(buf[i] == '\n' || (buf[i] >= 0x20 && buf[i] < 0x7f));
	ck_assert_ptr_nonnull(strstr(buf, "\"name\":\"evil\\u000a{\\\"seq\\\":3"));
	ck_assert_ptr_nonnull(strstr(buf, "\"errno_name\":\"ENOKEY\""));
	ck_assert_ptr_nonnull(strstr(buf, "\"taints\":\"E\""));
	free(buf);
}
END_TEST

START_TEST(test_edit_detected)
{
	struct mlog_verify v;
	size_t len, off, n;
	char *buf;

	write_run(POLICY_LOG_JSONL);
	buf = slurp(&len);
	line_span(buf, 1, &off, &n);
	char *verdict = strstr(buf + off, "\"verdict\":\"allow\"");
	memcpy(verdict, "\"verdict\":\"alloW\"", 17);
	spit(buf, len);
	ck_assert_int_eq(mlog_verify_file(path, &v), -EBADMSG);
	ck_assert_uint_eq(v.bad_entry, 1);
	ck_assert_msg(strstr(v.why, "entry 1 (line 2) was altered") != NULL, "%s", v.why);
	free(buf);
}
END_TEST

START_TEST(test_reorder_detected)
{
	struct mlog_verify v;
	size_t len, o1, n1, o2, n2;
	char *buf, *out;

	write_run(POLICY_LOG_JSONL);
	buf = slurp(&len);
	line_span(buf, 1, &o1, &n1);
	line_span(buf, 2, &o2, &n2);
	out = malloc(len);
	memcpy(out, buf, o1);
	memcpy(out + o1, buf + o2, n2);
	memcpy(out + o1 + n2, buf + o1, n1);
	memcpy(out + o1 + n1 + n2, buf + o2 + n2, len - o2 - n2);
	spit(out, len);
	ck_assert_int_eq(mlog_verify_file(path, &v), -EBADMSG);
	ck_assert_uint_eq(v.bad_entry, 1);
	ck_assert_msg(strstr(v.why, "reordered") != NULL, "%s", v.why);
	free(buf);
	free(out);
}
END_TEST

START_TEST(test_removal_detected)
{
	struct mlog_verify v;
	size_t len, off, n;
	char *buf;

	write_run(POLICY_LOG_JSONL);
	buf = slurp(&len);
	line_span(buf, 2, &off, &n);
	memmove(buf + off, buf + off + n, len - off - n);
	spit(buf, len - n);
	ck_assert_int_eq(mlog_verify_file(path, &v), -EBADMSG);
	ck_assert_uint_eq(v.bad_entry, 2);
	free(buf);
}
END_TEST

START_TEST(test_truncation_detected)
{
	struct mlog_verify v;
	size_t len, off, n;
	char *buf;

	write_run(POLICY_LOG_JSONL);
	buf = slurp(&len);
	/* Cut in the middle of the last line. */
	spit(buf, len - 10);
	ck_assert_int_eq(mlog_verify_file(path, &v), -EBADMSG);
	ck_assert_uint_eq(v.bad_entry, 4);
	ck_assert_msg(strstr(v.why, "cut") != NULL, "%s", v.why);
	/* Cut whole entries: the end entry is missing. */
	line_span(buf, 3, &off, &n);
	spit(buf, off + n);
	ck_assert_int_eq(mlog_verify_file(path, &v), -EBADMSG);
	ck_assert_msg(strstr(v.why, "without an end entry") != NULL, "%s", v.why);
	free(buf);
}
END_TEST

/* A crash leaves a valid prefix: a final entry cut anywhere is "torn"; garbage is not. */
START_TEST(test_torn_final_entry_is_prefix)
{
	struct mlog_verify v;
	size_t len, off, n;
	char *buf, *out;

	write_run(POLICY_LOG_JSONL);
	buf = slurp(&len);
	line_span(buf, 4, &off, &n);
	for (size_t cut = 1; cut < n; cut++) {
		spit(buf, off + cut);
		ck_assert_int_eq(mlog_verify_file(path, &v), -EBADMSG);
		ck_assert_msg(v.torn, "cut at %zu: %s", cut, v.why);
		ck_assert_uint_eq(v.entries, 4);
		ck_assert_ptr_nonnull(strstr(v.why, "truncated final entry (crash?)"));
	}
	/* A fragment that is not the next entry, or a cut inside an earlier line. */
	out = malloc(len + 9);
	memcpy(out, buf, len);
	memcpy(out + len, "{\"seq\":9,", 9);
	spit(out, len + 9);
	ck_assert_int_eq(mlog_verify_file(path, &v), -EBADMSG);
	ck_assert(!v.torn && !v.unended);
	line_span(buf, 2, &off, &n);
	memcpy(out, buf, off + 20);
	memcpy(out + off + 20, buf + off + n, len - off - n);
	spit(out, len - n + 20);
	ck_assert_int_eq(mlog_verify_file(path, &v), -EBADMSG);
	ck_assert(!v.torn && !v.unended);
	free(out);
	free(buf);
}
END_TEST

START_TEST(test_appended_forgery_detected)
{
	struct mlog_verify v, good;
	size_t len, off, n;
	char *buf, *out;

	write_run(POLICY_LOG_JSONL);
	ck_assert_int_eq(mlog_verify_file(path, &good), 0);
	buf = slurp(&len);
	/* A copy of a load entry appended after the end: its prev is stale. */
	line_span(buf, 1, &off, &n);
	out = malloc(len + n);
	memcpy(out, buf, len);
	memcpy(out + len, buf + off, n);
	spit(out, len + n);
	ck_assert_int_eq(mlog_verify_file(path, &v), -EBADMSG);
	ck_assert_uint_eq(v.bad_entry, 5);
	/* A correctly chained entry appended after the end is still refused. */
	spit(buf, len);
	struct mlog *l;
	struct measurement m;
	char err[256];
	measure_buf("x", 1, 1u << MEASURE_SHA256, &m);
	ck_assert_int_eq(mlog_open(path, POLICY_LOG_JSONL, POLICY_FSYNC_NONE, &l, err, sizeof(err)), 0);
	ck_assert_int_eq(mlog_load(l, &(struct mlog_load){ .name = "forged", .m = &m, .allow = true },
				   err, sizeof(err)), 0);
	mlog_abandon(l);    /* leave without an end entry, as a forger would */
	ck_assert_int_eq(mlog_verify_file(path, &v), -EBADMSG);
	ck_assert_uint_eq(v.bad_entry, 5);
	ck_assert_msg(strstr(v.why, "appended") != NULL, "%s", v.why);
	free(buf);
	free(out);
}
END_TEST

START_TEST(test_resume_continues_chain)
{
	struct mlog_verify v;

	write_run(POLICY_LOG_JSONL);
	write_run(POLICY_LOG_JSONL);
	ck_assert_int_eq(mlog_verify_file(path, &v), 0);
	ck_assert_uint_eq(v.entries, 10);
}
END_TEST

/* A log written by log_version 1 (before content digests) verifies and is continued. */
START_TEST(test_resume_version1_log)
{
	FILE *f = fopen("tests/host/data/mlog-v1.jsonl", "rb");
	char buf[8192], *log;
	struct mlog_verify v;
	size_t n, len;

	ck_assert_ptr_nonnull(f);
	n = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	ck_assert_ptr_null(strstr(buf, "log_version"));
	spit(buf, n);
	write_run(POLICY_LOG_JSONL);
	ck_assert_int_eq(mlog_verify_file(path, &v), 0);
	ck_assert_uint_eq(v.entries, 10);
	log = slurp(&len);
	ck_assert_ptr_nonnull(strstr(log + n, "\"seq\":5,"));
	ck_assert_ptr_nonnull(strstr(log + n, "\"log_version\":4,"));
	free(log);
}
END_TEST

START_TEST(test_resume_after_killed_run)
{
	struct mlog *l;
	struct mlog_verify v;
	char err[256];

	pid_t pid = fork();
	if (pid == 0) {
		/* A run killed after its start entry: no end entry. */
		if (mlog_open(path, POLICY_LOG_JSONL, POLICY_FSYNC_ENTRY, &l, err, sizeof(err)) == 0)
			mlog_start(l, &(struct mlog_start){ .kernel = "k" }, err, sizeof(err));
		_exit(0);
	}
	ck_assert_int_eq(waitpid(pid, NULL, 0), pid);
	ck_assert_int_eq(mlog_verify_file(path, &v), -EBADMSG);
	ck_assert(v.unended);
	write_run(POLICY_LOG_JSONL);
	ck_assert_int_eq(mlog_verify_file(path, &v), 0);
	ck_assert_uint_eq(v.entries, 6);
	ck_assert_uint_eq(v.killed, 1);
}
END_TEST

/* Two runs sharing one log at the same time: their entries interleave in one chain. */
START_TEST(test_overlapping_runs_share_a_log)
{
	struct mlog *a, *b;
	struct measurement m;
	struct mlog_verify v;
	char err[256];

	measure_buf("m", 1, 1u << MEASURE_SHA256, &m);
	ck_assert_int_eq(mlog_open(path, POLICY_LOG_JSONL, POLICY_FSYNC_NONE, &a, err, sizeof(err)), 0);
	ck_assert_int_eq(mlog_start(a, &(struct mlog_start){ .kernel = "k" }, err, sizeof(err)), 0);
	ck_assert_int_eq(mlog_open(path, POLICY_LOG_JSONL, POLICY_FSYNC_NONE, &b, err, sizeof(err)), 0);
	ck_assert_int_eq(mlog_start(b, &(struct mlog_start){ .kernel = "k" }, err, sizeof(err)), 0);
	ck_assert_int_eq(mlog_load(a, &(struct mlog_load){ .name = "a", .m = &m, .allow = true },
				   err, sizeof(err)), 0);
	ck_assert_int_eq(mlog_load(b, &(struct mlog_load){ .name = "b", .m = &m, .allow = true },
				   err, sizeof(err)), 0);
	/* While b is still running its entries are sound; b has no end yet. */
	ck_assert_int_eq(mlog_close(a, err, sizeof(err)), 0);
	ck_assert_int_eq(mlog_verify_file(path, &v), 0);
	ck_assert_uint_eq(v.killed, 1);
	ck_assert_int_eq(mlog_close(b, err, sizeof(err)), 0);
	ck_assert_int_eq(mlog_verify_file(path, &v), 0);
	ck_assert_uint_eq(v.entries, 6);
	ck_assert_uint_eq(v.killed, 0);
}
END_TEST

START_TEST(test_resume_refuses_tampered_log)
{
	struct mlog *l;
	char err[512];

	spit("{\"seq\":0}\n", 10);
	ck_assert_int_lt(mlog_open(path, POLICY_LOG_JSONL, POLICY_FSYNC_ENTRY, &l, err, sizeof(err)), 0);
	ck_assert_msg(strstr(err, "does not verify") != NULL, "%s", err);
}
END_TEST

START_TEST(test_unwritable_log)
{
	struct mlog *l;
	char err[512];

	ck_assert_int_eq(mlog_open("/nonexistent-dir/run.log", POLICY_LOG_JSONL, POLICY_FSYNC_ENTRY,
				   &l, err, sizeof(err)), -ENOENT);
	ck_assert_msg(strstr(err, "/nonexistent-dir/run.log: cannot open the measurement log") != NULL,
		      "%s", err);
	ck_assert_int_eq(mlog_open("/tmp", POLICY_LOG_JSONL, POLICY_FSYNC_ENTRY, &l, err, sizeof(err)),
			 -EISDIR);
	/* A device that takes no bytes: the first append fails, loudly. */
	ck_assert_int_eq(mlog_open("/dev/full", POLICY_LOG_JSONL, POLICY_FSYNC_ENTRY, &l, err,
				   sizeof(err)), 0);
	ck_assert_int_eq(mlog_start(l, &(struct mlog_start){ .kernel = "k" }, err, sizeof(err)), -ENOSPC);
	ck_assert_msg(strstr(err, "/dev/full: entry 0: write failed") != NULL, "%s", err);
	mlog_close(l, err, sizeof(err));
}
END_TEST

START_TEST(test_ima_formats_verify)
{
	struct mlog_verify v;
	size_t len;
	char *buf;

	write_run(POLICY_LOG_IMA_ASCII);
	ck_assert_int_eq(mlog_verify_file(path, &v), 0);
	ck_assert_uint_eq(v.entries, 4);
	buf = slurp(&len);
	ck_assert_ptr_nonnull(strstr(buf, "10 "));
	ck_assert_ptr_nonnull(strstr(buf, " ima-ng sha256:"));
	ck_assert_ptr_nonnull(strstr(buf, "finit_module:/lib/modules/hello.ko|id=1,verdict=allow"));
	/* The signed content's SHA-256 (here of "module") rides in the name (finding 1). */
	ck_assert_ptr_nonnull(strstr(buf, ",taints=-,content_sha256=120970d812836f19888625587"
				     "a4606a5ad23cef31c8684e601771552548fc6b9\n"));
	ck_assert_ptr_nonnull(strstr(buf, "init_module:evil\\x0a{\"seq\":3,"));
	/* An edited name no longer matches its template hash. */
	char *h = strstr(buf, "hello.ko");
	h[0] = 'j';
	spit(buf, len);
	ck_assert_int_eq(mlog_verify_file(path, &v), -EBADMSG);
	ck_assert_uint_eq(v.bad_entry, 1);
	free(buf);
	unlink(path);
	write_run(POLICY_LOG_IMA_BINARY);
	ck_assert_int_eq(mlog_verify_file(path, &v), 0);
	ck_assert_uint_eq(v.entries, 4);
	buf = slurp(&len);
	spit(buf, len - 1);
	ck_assert_int_eq(mlog_verify_file(path, &v), -EBADMSG);
	ck_assert_uint_eq(v.bad_entry, 3);
	free(buf);
}
END_TEST

/* write_integrity_run(fmt): start, a refused event and a violation (hostile strings), end. */
static void write_integrity_run(enum policy_log_format fmt)
{
	struct mlog *l;
	char err[256];

	ck_assert_int_eq(mlog_open(path, fmt, POLICY_FSYNC_NONE, &l, err, sizeof(err)), 0);
	ck_assert_int_eq(mlog_start(l, &(struct mlog_start){ .kernel = "k" }, err, sizeof(err)), 0);
	ck_assert_int_eq(mlog_refused(l, &(struct mlog_refusal){ .load_id = 3,
			 .event = MV_MODEV_LOADED, .name = "x\n{\"seq\":9}|y", .state = "live",
			 .why = "loaded does not fit load_id 3, which is live" }, err, sizeof(err)), 0);
	ck_assert_int_eq(mlog_violation(l, &(struct mlog_violation){ .gpa = 0x2019c0, .len = 1,
			 .value = 0x5a, .target = "kernel printk+0x0 (.text)", .rip = 0xffffffffa0006088,
			 .where = "module w\x1b's init (load_id 3)", .action = "stopped" },
			 err, sizeof(err)), 0);
	ck_assert_int_eq(mlog_close(l, err, sizeof(err)), 0);
}

/* The entries of issue 12 finding 7 and issue 14: escaped, chained, shown. */
START_TEST(test_refused_and_violation_entries)
{
	struct mlog_verify v;
	size_t len;
	char *buf, show[4096];
	FILE *f;

	write_integrity_run(POLICY_LOG_JSONL);
	ck_assert_int_eq(mlog_verify_file(path, &v), 0);
	ck_assert_uint_eq(v.entries, 4);
	buf = slurp(&len);
	ck_assert_ptr_nonnull(strstr(buf, "\"type\":\"refused\""));
	ck_assert_ptr_nonnull(strstr(buf, "\"load_id\":3,\"event\":\"loaded\",\"name\":"
				     "\"x\\u000a{\\\"seq\\\":9}|y\",\"state\":\"live\""));
	ck_assert_ptr_nonnull(strstr(buf, "\"type\":\"violation\""));
	ck_assert_ptr_nonnull(strstr(buf, "\"gpa\":\"0x2019c0\",\"len\":1,\"value\":\"0x5a\","
				     "\"target\":\"kernel printk+0x0 (.text)\",\"rip\":\"0xffffffffa0006088\","
				     "\"where\":\"module w\\u001b's init (load_id 3)\",\"action\":\"stopped\""));
	free(buf);
	f = fmemopen(show, sizeof(show), "w");
	ck_assert_int_eq(mlog_show_file(path, f), 0);
	fclose(f);
	ck_assert_ptr_nonnull(strstr(show, "REFUSED #3"));
	ck_assert_ptr_nonnull(strstr(show, "VIOLATION gpa=0x2019c0 kernel printk+0x0 (.text) "
				     "rip=0xffffffffa0006088"));
	unlink(path);
	write_integrity_run(POLICY_LOG_IMA_ASCII);
	ck_assert_int_eq(mlog_verify_file(path, &v), 0);
	ck_assert_uint_eq(v.entries, 3);          /* no end entry in IMA */
	buf = slurp(&len);
	ck_assert_ptr_nonnull(strstr(buf, "refused:loaded:x\\x0a{\"seq\":9}\\x7cy|id=3,state=live"));
	ck_assert_ptr_nonnull(strstr(buf, "violation:kernel\\x20printk+0x0\\x20(.text)|gpa=0x2019c0,"
				     "len=1,rip=0xffffffffa0006088,action=stopped"));
	free(buf);
}
END_TEST

START_TEST(test_ima_log_must_be_new)
{
	struct mlog *l;
	char err[512];

	write_run(POLICY_LOG_IMA_ASCII);
	ck_assert_int_eq(mlog_open(path, POLICY_LOG_IMA_ASCII, POLICY_FSYNC_ENTRY, &l, err,
				   sizeof(err)), -EEXIST);
}
END_TEST

/* evmctl (ima-evm-utils) replays our binary list against a PCR-10 value in a file. */
START_TEST(test_ima_binary_evmctl)
{
	struct mlog *l;
	struct measurement m;
	char err[256], hex[65], pcrs[160], cmd[512];
	uint8_t agg[32];
	FILE *f;

	if (system("command -v evmctl >/dev/null 2>&1") != 0) {
		fprintf(stderr, "evmctl not installed: skipping the IMA cross-check\n");
		return;
	}
	measure_buf("module", 6, 1u << MEASURE_SHA256, &m);
	ck_assert_int_eq(mlog_open(path, POLICY_LOG_IMA_BINARY, POLICY_FSYNC_ENTRY, &l, err,
				   sizeof(err)), 0);
	ck_assert_int_eq(mlog_start(l, &(struct mlog_start){ .kernel = "k" }, err, sizeof(err)), 0);
	ck_assert_int_eq(mlog_load(l, &(struct mlog_load){ .name = "a b\n", .m = &m, .allow = true,
				   .source = MV_MODSRC_INIT_MODULE }, err, sizeof(err)), 0);
	mlog_aggregate(l, agg);
	ck_assert_int_eq(mlog_close(l, err, sizeof(err)), 0);
	/* The TPM 1.2 sysfs "pcrs" layout evmctl reads: PCR-00 .. PCR-23 in order. */
	for (int bad = 0; bad < 2; bad++) {
		snprintf(pcrs, sizeof(pcrs), "%s.pcrs", path);
		f = fopen(pcrs, "w");
		ck_assert_ptr_nonnull(f);
		agg[0] ^= (uint8_t)bad;
		measure_hex(agg, 32, hex);
		for (int i = 0; i < 24; i++)
			fprintf(f, "PCR-%02d: %s\n", i, i == 10 ? hex :
				"0000000000000000000000000000000000000000000000000000000000000000");
		fclose(f);
		snprintf(cmd, sizeof(cmd), "evmctl ima_measurement --pcrs sha256,%s %s >/dev/null 2>&1",
			 pcrs, path);
		ck_assert_int_eq(system(cmd) == 0, !bad);
		unlink(pcrs);
	}
}
END_TEST

/*
 * Issue 12 finding 3: a log path of 300 bytes (longer than the 256 bytes
 * the log once kept) works, also where a shared log's tail is read back.
 */
START_TEST(test_long_path)
{
	char dir[PATH_MAX], lp[PATH_MAX], err[512];
	struct mlog *a, *b;
	struct mlog_verify v;
	size_t base, base2;

	base = (size_t)snprintf(dir, sizeof(dir), "/tmp/mv-test-mlog-long-%d", (int)getpid());
	ck_assert_int_eq(mkdir(dir, 0755), 0);
	while (strlen(dir) < 300 - 60 - 8) {
		size_t n = strlen(dir);
		snprintf(dir + n, sizeof(dir) - n, "/%.*s", 60, "012345678901234567890123456789"
			 "012345678901234567890123456789");
		ck_assert_int_eq(mkdir(dir, 0755), 0);
	}
	base2 = strlen(dir);
	memcpy(lp, dir, base2);
	lp[base2] = '/';
	memset(lp + base2 + 1, 'l', 300 - 4 - (base2 + 1));
	memcpy(lp + 296, ".log", 5);
	ck_assert_uint_eq(strlen(lp), 300);
	ck_assert_int_eq(mlog_open(lp, POLICY_LOG_JSONL, POLICY_FSYNC_NONE, &a, err, sizeof(err)), 0);
	ck_assert_int_eq(mlog_open(lp, POLICY_LOG_JSONL, POLICY_FSYNC_NONE, &b, err, sizeof(err)), 0);
	ck_assert_msg(mlog_start(a, &(struct mlog_start){ .kernel = "k" }, err, sizeof(err)) == 0,
		      "%s", err);
	ck_assert_msg(mlog_start(b, &(struct mlog_start){ .kernel = "k" }, err, sizeof(err)) == 0,
		      "%s", err);
	ck_assert_int_eq(mlog_close(a, err, sizeof(err)), 0);
	ck_assert_int_eq(mlog_close(b, err, sizeof(err)), 0);
	ck_assert_int_eq(mlog_verify_file(lp, &v), 0);
	ck_assert_uint_eq(v.entries, 4);
	unlink(lp);
	while (strlen(dir) >= base) {
		rmdir(dir);
		*strrchr(dir, '/') = '\0';
	}
}
END_TEST

/* Issue 16: errno_name is absent when errno is 0 (log_version 3), present otherwise. */
START_TEST(test_errno_name_only_for_errors)
{
	size_t len;
	char *buf, *allow, *deny, *event;

	write_run(POLICY_LOG_JSONL);
	buf = slurp(&len);
	allow = strstr(buf, "\"verdict\":\"allow\"");
	deny = strstr(buf, "\"verdict\":\"deny\"");
	event = strstr(buf, "\"type\":\"event\"");
	ck_assert(allow && deny && event);
	ck_assert(strncmp(allow, "\"verdict\":\"allow\",\"errno\":0,\"taints\"",
			  strlen("\"verdict\":\"allow\",\"errno\":0,\"taints\"")) == 0);
	ck_assert(strncmp(deny, "\"verdict\":\"deny\",\"errno\":126,\"errno_name\":\"ENOKEY\"",
			  strlen("\"verdict\":\"deny\",\"errno\":126,\"errno_name\":\"ENOKEY\"")) == 0);
	ck_assert_ptr_nonnull(strstr(event, "\"errno\":0,\"init_ret\":0"));
	ck_assert_ptr_null(strstr(buf, "\"errno_name\":\"0\""));
	free(buf);
}
END_TEST

/* Write one load entry with params (p, cut, unreadable) and return the log. */
static char *params_entry(enum policy_log_format fmt, const char *p, bool cut, bool unreadable,
			  size_t *len)
{
	struct mlog *l;
	char err[256];

	unlink(path);
	ck_assert_int_eq(mlog_open(path, fmt, POLICY_FSYNC_NONE, &l, err, sizeof(err)), 0);
	ck_assert_int_eq(mlog_start(l, &(struct mlog_start){ .kernel = "k" }, err, sizeof(err)), 0);
	struct mlog_load ld = { .load_id = 1, .name = "hello", .source = MV_MODSRC_INIT_MODULE,
				.params = p, .params_cut = cut, .params_unreadable = unreadable,
				.allow = true, .why = "w" };
	ck_assert_int_eq(mlog_load(l, &ld, err, sizeof(err)), 0);
	ck_assert_int_eq(mlog_close(l, err, sizeof(err)), 0);
	return slurp(len);
}

/* Issue 16: each load logs its parameter string, escaped, with markers when cut or unreadable. */
START_TEST(test_params_logged)
{
	struct mlog_verify v;
	size_t len;
	char *buf;

	buf = params_entry(POLICY_LOG_JSONL, "count=7 who=\"a b\"\n\x1b", false, false, &len);
	ck_assert_ptr_nonnull(strstr(buf, "\"source\":\"init_module\",\"params\":\"count=7 "
				     "who=\\\"a b\\\"\\u000a\\u001b\",\"flags\":"));
	ck_assert_ptr_null(strstr(buf, "params_cut"));
	ck_assert_ptr_null(strstr(buf, "params_unreadable"));
	free(buf);
	ck_assert_int_eq(mlog_verify_file(path, &v), 0);
	buf = params_entry(POLICY_LOG_JSONL, "x=1", true, false, &len);
	ck_assert_ptr_nonnull(strstr(buf, "\"params\":\"x=1\",\"params_cut\":true,\"flags\""));
	free(buf);
	buf = params_entry(POLICY_LOG_JSONL, "", false, true, &len);
	ck_assert_ptr_nonnull(strstr(buf, "\"params\":\"\",\"params_unreadable\":true,"));
	free(buf);
	/* IMA: the name ends with the parameters, escaped into one word. */
	buf = params_entry(POLICY_LOG_IMA_ASCII, "a=1,b=2 c", true, false, &len);
	ck_assert_ptr_nonnull(strstr(buf, ",params_cut=1,params=a=1,b=2\\x20c\n"));
	free(buf);
	ck_assert_int_eq(mlog_verify_file(path, &v), 0);
}
END_TEST

/*
 * The longest load entry (parameters at MV_MODLOAD_PARAMS_MAX, name, path
 * and why all at their caps, every byte escaped six-fold) is still a tail
 * a shared log reads back: a second run appends after it and it verifies.
 */
START_TEST(test_longest_entry_continues)
{
	char params[MV_MODLOAD_PARAMS_MAX + 1], name[64], lpath[256], why[320], err[256];
	struct measurement m;
	struct sig_result s = { .status = SIG_GOOD };
	struct mlog *a, *b;
	struct mlog_verify v;

	memset(params, 1, sizeof(params) - 1);
	params[sizeof(params) - 1] = '\0';
	memset(name, 2, sizeof(name) - 1);
	name[sizeof(name) - 1] = '\0';
	memset(lpath, 3, sizeof(lpath) - 1);
	lpath[sizeof(lpath) - 1] = '\0';
	memset(why, 4, sizeof(why) - 1);
	why[sizeof(why) - 1] = '\0';
	memset(s.signer, 5, sizeof(s.signer) - 1);
	memset(s.key_id, 'f', sizeof(s.key_id) - 1);
	ck_assert_int_eq(measure_buf("m", 1, (1u << MEASURE_NALGOS) - 1, &m), 0);
	ck_assert_int_eq(mlog_open(path, POLICY_LOG_JSONL, POLICY_FSYNC_NONE, &a, err, sizeof(err)), 0);
	ck_assert_int_eq(mlog_open(path, POLICY_LOG_JSONL, POLICY_FSYNC_NONE, &b, err, sizeof(err)), 0);
	ck_assert_int_eq(mlog_start(a, &(struct mlog_start){ .kernel = "k" }, err, sizeof(err)), 0);
	ck_assert_int_eq(mlog_start(b, &(struct mlog_start){ .kernel = "k" }, err, sizeof(err)), 0);
	struct mlog_load ld = { .load_id = 1, .name = name, .source = MV_MODSRC_FINIT_MODULE,
				.path = lpath, .params = params, .params_cut = true, .m = &m,
				.content = &m, .file_size = 1, .sig = &s, .err = ENOKEY,
				.why = why };
	ck_assert_int_eq(mlog_load(a, &ld, err, sizeof(err)), 0);
	ck_assert_msg(mlog_close(b, err, sizeof(err)) == 0, "%s", err);
	ck_assert_int_eq(mlog_close(a, err, sizeof(err)), 0);
	ck_assert_int_eq(mlog_verify_file(path, &v), 0);
	ck_assert_uint_eq(v.entries, 5);
}
END_TEST

/* ---- the authority daemon's log: many writers, group commit, a torn tail sealed ---- */

struct gc_writer {
	struct mlog *l;
	struct mlog_vm vm;
	int n, err;
};

static void *gc_write(void *arg)
{
	struct gc_writer *w = arg;
	char err[256];

	for (int i = 0; i < w->n && !w->err; i++)
		w->err = mlog_event(w->l, &(struct mlog_event){ .load_id = (uint32_t)i + 1,
				    .event = MV_MODEV_LOADED, .name = "hello", .vm = &w->vm },
				    err, sizeof(err));
	return NULL;
}

START_TEST(test_group_commit_many_writers)
{
	struct gc_writer w[6];
	pthread_t th[6];
	struct mlog *l;
	struct mlog_verify v;
	uint64_t entries, fsyncs;
	char err[256], torn[512], names[6][16], want[64];
	size_t len;
	char *buf;
	FILE *f;

	ck_assert_int_eq(mlog_open_shared_writer(path, POLICY_FSYNC_ENTRY, &l, torn, sizeof(torn),
						 err, sizeof(err)), 0);
	ck_assert_str_eq(torn, "");
	ck_assert_int_eq(mlog_start(l, &(struct mlog_start){ .kernel = "k" }, err, sizeof(err)), 0);
	for (int i = 0; i < 6; i++) {
		snprintf(names[i], sizeof(names[i]), "vm%d", i);
		w[i] = (struct gc_writer){ .l = l, .vm = { names[i], "00000000-0000-4000-8000-00000000000a" },
					   .n = 50 };
		ck_assert_int_eq(pthread_create(&th[i], NULL, gc_write, &w[i]), 0);
	}
	for (int i = 0; i < 6; i++) {
		pthread_join(th[i], NULL);
		ck_assert_int_eq(w[i].err, 0);
	}
	mlog_stats(l, &entries, &fsyncs);
	ck_assert_uint_eq(entries, 1 + 6 * 50);
	/* Each append returned only after an fsync; one fsync may cover several. */
	ck_assert_uint_ge(fsyncs, 1);
	ck_assert_uint_le(fsyncs, entries);
	ck_assert_int_eq(mlog_close(l, err, sizeof(err)), 0);
	ck_assert_int_eq(mlog_verify_file(path, &v), 0);
	ck_assert_uint_eq(v.entries, 2 + 6 * 50);
	f = fopen(path, "rb");
	ck_assert_ptr_nonnull(f);
	buf = malloc(1 << 20);
	len = fread(buf, 1, (1 << 20) - 1, f);
	buf[len] = '\0';
	fclose(f);
	for (int i = 0; i < 6; i++) {
		int n = 0;
		snprintf(want, sizeof(want), "\"vm\":\"vm%d\",\"vm_uuid\":", i);
		for (const char *p = buf; (p = strstr(p, want)); p++)
			n++;
		ck_assert_int_eq(n, 50);
	}
	free(buf);
}
END_TEST

START_TEST(test_shared_writer_seals_torn_tail)
{
	struct mlog *l;
	struct mlog_verify v;
	char err[256], torn[512], saved[160];
	const char frag[] = "{\"seq\":5,\"time\":\"2026";
	struct stat st;
	size_t len;
	char *buf;

	write_run(POLICY_LOG_JSONL);
	buf = slurp(&len);
	free(buf);
	FILE *f = fopen(path, "ab");
	fputs(frag, f);
	fclose(f);
	/* A run refuses it; the daemon seals it. */
	ck_assert_int_lt(mlog_open(path, POLICY_LOG_JSONL, POLICY_FSYNC_ENTRY, &l, err, sizeof(err)), 0);
	ck_assert_int_eq(mlog_open_shared_writer(path, POLICY_FSYNC_ENTRY, &l, torn, sizeof(torn),
						 err, sizeof(err)), 0);
	snprintf(saved, sizeof(saved), "%s.torn-5", path);
	char want[96];
	snprintf(want, sizeof(want), "entry 5 was torn by a crash: its %zu bytes (sha256 ",
		 strlen(frag));
	ck_assert_ptr_nonnull(strstr(torn, want));
	ck_assert_ptr_nonnull(strstr(torn, saved));
	ck_assert_int_eq(stat(saved, &st), 0);
	ck_assert_int_eq(st.st_size, (off_t)strlen(frag));
	ck_assert_int_eq(mlog_start(l, &(struct mlog_start){ .kernel = "k" }, err, sizeof(err)), 0);
	ck_assert_int_eq(mlog_torn(l, torn, err, sizeof(err)), 0);
	ck_assert_int_eq(mlog_close(l, err, sizeof(err)), 0);
	ck_assert_int_eq(mlog_verify_file(path, &v), 0);
	ck_assert_uint_eq(v.entries, 5 + 3);
	buf = slurp(&len);
	ck_assert_ptr_nonnull(strstr(buf, "\"type\":\"torn\""));
	free(buf);
	unlink(saved);
}
END_TEST

static Suite *mlog_suite(void)
{
	Suite *s = suite_create("mlog");
	TCase *tc = tcase_create("mlog");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_chain_verifies);
	tcase_add_test(tc, test_edit_detected);
	tcase_add_test(tc, test_reorder_detected);
	tcase_add_test(tc, test_removal_detected);
	tcase_add_test(tc, test_truncation_detected);
	tcase_add_test(tc, test_torn_final_entry_is_prefix);
	tcase_add_test(tc, test_appended_forgery_detected);
	tcase_add_test(tc, test_resume_continues_chain);
	tcase_add_test(tc, test_resume_after_killed_run);
	tcase_add_test(tc, test_resume_version1_log);
	tcase_add_test(tc, test_overlapping_runs_share_a_log);
	tcase_add_test(tc, test_resume_refuses_tampered_log);
	tcase_add_test(tc, test_unwritable_log);
	tcase_add_test(tc, test_ima_formats_verify);
	tcase_add_test(tc, test_ima_log_must_be_new);
	tcase_add_test(tc, test_ima_binary_evmctl);
	tcase_add_test(tc, test_long_path);
	tcase_add_test(tc, test_refused_and_violation_entries);
	tcase_add_test(tc, test_errno_name_only_for_errors);
	tcase_add_test(tc, test_params_logged);
	tcase_add_test(tc, test_longest_entry_continues);
	tcase_add_test(tc, test_group_commit_many_writers);
	tcase_add_test(tc, test_shared_writer_seals_torn_tail);
	suite_add_tcase(s, tc);
	return s;
}

const struct unit_main unit_main = { .suite = mlog_suite };
