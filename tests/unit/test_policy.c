/* test_policy.c: Check tests of the policy parser (vmm/authority/policy.c) and digests (vmm/authority/measure.c). */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../vmm/authority/measure.h"
#include "../../vmm/authority/policy.h"
#include "check_main.h"

/* Write text to a fresh file named like a user's policy file; returns its path. */
static const char *ini(const char *text)
{
	static char path[64];
	FILE *f;

	snprintf(path, sizeof(path), "/tmp/mv-test-policy-%d.ini", (int)getpid());
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	fclose(f);
	return path;
}

/* Load text; return the error message, or "" on success. */
static const char *load(struct policy *p, const char *text, int *ret)
{
	static char err[512];
	const char *path = ini(text);

	err[0] = '\0';
	*ret = policy_load(p, path, err, sizeof(err));
	unlink(path);
	/* Messages start with the path; drop the directory so tests read plainly. */
	const char *base = strrchr(err, '/');
	return base ? base + 1 : err;
}

static const char *sha256_hex = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

START_TEST(test_defaults)
{
	struct policy p;

	policy_init(&p);
	ck_assert(!p.sig_enforce);
	ck_assert(!p.force_load);
	ck_assert(!p.xxh3_match);
	ck_assert(!p.modules_disabled);
	ck_assert_uint_eq(p.digests, 1u << MEASURE_SHA256);
	ck_assert_int_eq(p.enforce_errno, ENOKEY);
	ck_assert_int_eq(p.log_format, POLICY_LOG_JSONL);
	ck_assert_int_eq(p.fsync, POLICY_FSYNC_ENTRY);
	ck_assert_str_eq(p.log, "modvisor.log");
	policy_free(&p);
}
END_TEST

START_TEST(test_full_file)
{
	struct policy p;
	int ret;
	char text[1024];

	snprintf(text, sizeof(text),
		 "# a policy\n"
		 "sig_enforce = yes\n"
		 "keyring = /etc/modvisor/certs\n"
		 "[policy]\n"
		 "force_load = true\n"
		 "digests = sha384, sha512\n"
		 "xxh3_match = on\n"
		 "log = /var/log/mv.log\n"
		 "log_format = ima-binary\n"
		 "fsync = close\n"
		 "allow = sha256:%s\n"
		 "allow = xxh3:00112233445566778899aabbccddeeff\n"
		 "deny = %s\n"
		 "modules_disabled = 0\n"
		 "enforce_errno = EKEYREJECTED\n", sha256_hex, sha256_hex);
	policy_init(&p);
	ck_assert_str_eq(load(&p, text, &ret), "");
	ck_assert_int_eq(ret, 0);
	ck_assert(p.sig_enforce && p.force_load && p.xxh3_match && !p.modules_disabled);
	ck_assert_str_eq(p.keyring, "/etc/modvisor/certs");
	ck_assert_uint_eq(p.digests, (1u << MEASURE_SHA384) | (1u << MEASURE_SHA512));
	ck_assert_str_eq(p.log, "/var/log/mv.log");
	ck_assert_int_eq(p.log_format, POLICY_LOG_IMA_BINARY);
	ck_assert_int_eq(p.fsync, POLICY_FSYNC_CLOSE);
	ck_assert_uint_eq(p.allow.n, 2);
	ck_assert_uint_eq(p.deny.n, 1);
	ck_assert_int_eq(p.enforce_errno, 129);
	/* The lists need SHA-256 even though digests does not name it. */
	ck_assert_uint_eq(policy_measure_set(&p), (1u << MEASURE_SHA256) | (1u << MEASURE_SHA384) |
			  (1u << MEASURE_SHA512));
	policy_free(&p);
}
END_TEST

START_TEST(test_unknown_key_names_file_and_line)
{
	struct policy p;
	int ret;

	policy_init(&p);
	const char *msg = load(&p, "sig_enforce = 1\n\n; comment\nforce_load = 0\n"
			       "log = x.log\n\nsig_enforcment = 1\n", &ret);
	ck_assert_int_eq(ret, -EINVAL);
	ck_assert_msg(strstr(msg, ".ini:7: unknown key 'sig_enforcment'") != NULL, "got '%s'", msg);
	policy_free(&p);
}
END_TEST

START_TEST(test_bad_values)
{
	static const struct { const char *text; const char *want; } cases[] = {
		{ "sig_enforce = maybe\n", ":1: sig_enforce: 'maybe' is not a boolean" },
		{ "\nenforce_errno = EPERM\n", ":2: enforce_errno: 'EPERM' is not ENOKEY or EKEYREJECTED" },
		{ "digests = md5\n", ":1: digests: 'md5'" },
		{ "digests = sha256, sha1\n", ":1: digests:" },
		{ "log_format = xml\n", ":1: log_format: 'xml' is not jsonl, ima-ascii or ima-binary" },
		{ "fsync = sometimes\n", ":1: fsync: 'sometimes'" },
		{ "allow = sha256:1234\n", ":1: allow: 'sha256:1234': not a digest" },
		{ "deny = md5:00\n", ":1: deny: 'md5:00': not a digest" },
		{ "allow = xxh3:00112233445566778899aabbccddeeff\n", ":1: allow: 'xxh3:" },
		{ "[module]\nsig_enforce = 1\n", ":2: unknown section [module]" },
		{ "a\n", ":1: syntax error" },
		{ "log = \n", ":1: log: '' is not a file path" },
		{ "kmod = maybe\n", ":1: kmod: 'maybe' is not a boolean (on or off)" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct policy p;
		int ret;
		policy_init(&p);
		const char *msg = load(&p, cases[i].text, &ret);
		ck_assert_int_eq(ret, -EINVAL);
		ck_assert_msg(strstr(msg, cases[i].want) != NULL, "case %zu: got '%s'", i, msg);
		policy_free(&p);
	}
}
END_TEST

START_TEST(test_relative_paths_follow_the_file)
{
	struct policy p;
	int ret;

	policy_init(&p);
	load(&p, "keyring = certs\nlog = logs/run.log\n", &ret);
	ck_assert_int_eq(ret, 0);
	ck_assert_str_eq(p.keyring, "/tmp/certs");
	ck_assert_str_eq(p.log, "/tmp/logs/run.log");
	load(&p, "keyring = /etc/certs\n", &ret);
	ck_assert_str_eq(p.keyring, "/etc/certs");
	policy_free(&p);
}
END_TEST

START_TEST(test_xxh3_needs_opt_in)
{
	struct policy p;
	char err[256];

	policy_init(&p);
	ck_assert_int_eq(policy_set(&p, "allow", "xxh3:00112233445566778899aabbccddeeff",
				    err, sizeof(err)), -EINVAL);
	ck_assert_ptr_nonnull(strstr(err, "not collision resistant"));
	ck_assert_int_eq(policy_set(&p, "xxh3_match", "true", err, sizeof(err)), 0);
	ck_assert_int_eq(policy_set(&p, "allow", "xxh3:00112233445566778899aabbccddeeff",
				    err, sizeof(err)), 0);
	ck_assert_uint_eq(p.allow.n, 1);
	policy_free(&p);
}
END_TEST

START_TEST(test_missing_file)
{
	struct policy p;
	char err[256];

	policy_init(&p);
	ck_assert_int_eq(policy_load(&p, "/nonexistent/enforce.ini", err, sizeof(err)), -ENOENT);
	ck_assert_str_eq(err, "/nonexistent/enforce.ini: No such file or directory");
	policy_free(&p);
}
END_TEST

START_TEST(test_cli_flags)
{
	struct policy p;
	char err[256];
	int used;
	char *a1[] = { "--sig-enforce" };
	char *a2[] = { "--enforce-errno=EKEYREJECTED" };
	char *a3[] = { "--keyring", "certs/" };
	char *a4[] = { "--mem=64" };
	char *a5[] = { "--log-format=csv" };
	char *a6[] = { "--keyring" };
	char *a7[] = { "--no-such-flag=1" };

	policy_init(&p);
	ck_assert_int_eq(policy_cli_option(&p, 1, a1, &used, err, sizeof(err)), 1);
	ck_assert(p.sig_enforce);
	ck_assert_int_eq(used, 1);
	ck_assert_int_eq(policy_cli_option(&p, 1, a2, &used, err, sizeof(err)), 1);
	ck_assert_int_eq(p.enforce_errno, 129);
	ck_assert_int_eq(policy_cli_option(&p, 2, a3, &used, err, sizeof(err)), 1);
	ck_assert_int_eq(used, 2);
	ck_assert_str_eq(p.keyring, "certs/");
	ck_assert_int_eq(policy_cli_option(&p, 1, a4, &used, err, sizeof(err)), 0);
	ck_assert_int_eq(policy_cli_option(&p, 1, a7, &used, err, sizeof(err)), 0);
	ck_assert_int_eq(policy_cli_option(&p, 1, a5, &used, err, sizeof(err)), -EINVAL);
	ck_assert_str_eq(err, "--log-format=csv: log_format: 'csv' is not jsonl, ima-ascii or ima-binary");
	ck_assert_int_eq(policy_cli_option(&p, 1, a6, &used, err, sizeof(err)), -EINVAL);
	ck_assert_str_eq(err, "--keyring needs a value");
	policy_free(&p);
}
END_TEST

/* Issue 14: protect (default on) and on_violation (default stop), as flags and keys. */
START_TEST(test_protect_settings)
{
	struct policy p;
	char err[256];
	int used;
	char *off[] = { "--protect=off" };
	char *on[] = { "--protect" };
	char *log[] = { "--on-violation", "log" };
	char *bad[] = { "--on-violation=ignore" };

	policy_init(&p);
	ck_assert(p.protect);
	ck_assert_int_eq(p.on_violation, POLICY_VIOLATION_STOP);
	ck_assert_int_eq(policy_cli_option(&p, 1, off, &used, err, sizeof(err)), 1);
	ck_assert(!p.protect);
	ck_assert_int_eq(policy_cli_option(&p, 1, on, &used, err, sizeof(err)), 1);
	ck_assert(p.protect);
	ck_assert_int_eq(policy_cli_option(&p, 2, log, &used, err, sizeof(err)), 1);
	ck_assert_int_eq(used, 2);
	ck_assert_int_eq(p.on_violation, POLICY_VIOLATION_LOG);
	ck_assert_int_eq(policy_cli_option(&p, 1, bad, &used, err, sizeof(err)), -EINVAL);
	ck_assert_str_eq(err, "--on-violation=ignore: on_violation: 'ignore' is not stop or log");
	ck_assert_int_eq(policy_set(&p, "protect", "off", err, sizeof(err)), 0);
	ck_assert(!p.protect);
	ck_assert_int_eq(policy_set(&p, "on_violation", "stop", err, sizeof(err)), 0);
	ck_assert_int_eq(p.on_violation, POLICY_VIOLATION_STOP);
	policy_free(&p);
}
END_TEST

/* Issue 17: kmod (default off), a file key for run --kmod; not a policy flag (run's own --kmod is). */
START_TEST(test_kmod_setting)
{
	struct policy p;
	char err[256];
	int used;
	char *flag[] = { "--kmod" };
	int ret;

	policy_init(&p);
	ck_assert(!p.kmod);
	ck_assert_int_eq(policy_cli_option(&p, 1, flag, &used, err, sizeof(err)), 0);
	ck_assert_int_eq(used, 0);
	load(&p, "[policy]\nkmod = on\n", &ret);
	ck_assert_int_eq(ret, 0);
	ck_assert(p.kmod);
	ck_assert_int_eq(policy_set(&p, "kmod", "off", err, sizeof(err)), 0);
	ck_assert(!p.kmod);
	policy_free(&p);
}
END_TEST

START_TEST(test_cli_policy_file_then_flag_overrides)
{
	struct policy p;
	char err[256], arg[128];
	int used;
	const char *path = ini("sig_enforce = 1\nforce_load = 1\n");
	char *a2[] = { "--force-load=false" };

	snprintf(arg, sizeof(arg), "--policy=%s", path);
	char *a1[] = { arg };
	policy_init(&p);
	ck_assert_int_eq(policy_cli_option(&p, 1, a1, &used, err, sizeof(err)), 1);
	ck_assert(p.sig_enforce && p.force_load);
	ck_assert_int_eq(policy_cli_option(&p, 1, a2, &used, err, sizeof(err)), 1);
	ck_assert(!p.force_load);
	unlink(path);
	policy_free(&p);
}
END_TEST

START_TEST(test_lookup)
{
	struct policy p;
	struct measurement m;
	char err[256], entry[128];

	ck_assert_int_eq(measure_buf("hello", 5, (1u << MEASURE_SHA256), &m), 0);
	policy_init(&p);
	ck_assert(!policy_lookup(&p.deny, &m, NULL));
	snprintf(entry, sizeof(entry), "sha256:2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824");
	ck_assert_int_eq(policy_set(&p, "deny", entry, err, sizeof(err)), 0);
	ck_assert_int_eq(policy_lookup(&p.deny, &m, NULL), POLICY_MATCH_IMAGE);
	ck_assert(!policy_lookup(&p.allow, &m, NULL));
	policy_free(&p);
}
END_TEST

/* refuse_sha1 (issue 12, finding 11): off by default, an INI key and a flag. */
START_TEST(test_refuse_sha1)
{
	struct policy p;
	char err[256], *argv[] = { "--refuse-sha1", "--refuse-sha1=no", NULL };
	int used;

	policy_init(&p);
	ck_assert(!p.refuse_sha1);
	ck_assert_int_eq(policy_set(&p, "refuse_sha1", "yes", err, sizeof(err)), 0);
	ck_assert(p.refuse_sha1);
	ck_assert_int_eq(policy_set(&p, "refuse_sha1", "maybe", err, sizeof(err)), -EINVAL);
	ck_assert_str_eq(err, "refuse_sha1: 'maybe' is not a boolean");
	ck_assert_int_eq(policy_cli_option(&p, 1, argv + 1, &used, err, sizeof(err)), 1);
	ck_assert(!p.refuse_sha1);
	ck_assert_int_eq(policy_cli_option(&p, 2, argv, &used, err, sizeof(err)), 1);
	ck_assert_int_eq(used, 1);
	ck_assert(p.refuse_sha1);
	ck_assert_ptr_nonnull(strstr(policy_cli_help, "--refuse-sha1"));
	policy_free(&p);
}
END_TEST

/* An entry may name the image or its signed content (issue 12, finding 1). */
START_TEST(test_lookup_signed_content)
{
	struct policy p;
	struct measurement whole, content, other;
	char err[256];

	/* "hello" + a pretend trailer: the content is "hello". */
	ck_assert_int_eq(measure_buf_prefix("hello~trailer", 13, 5, 1u << MEASURE_SHA256,
					    &whole, &content), 0);
	ck_assert_int_eq(measure_buf("hello", 5, 1u << MEASURE_SHA256, &other), 0);
	ck_assert_mem_eq(content.digest[MEASURE_SHA256], other.digest[MEASURE_SHA256], 32);
	ck_assert_mem_eq(content.xxh3, other.xxh3, 16);
	ck_assert_int_eq(measure_buf("hello~trailer", 13, 1u << MEASURE_SHA256, &other), 0);
	ck_assert_mem_eq(whole.digest[MEASURE_SHA256], other.digest[MEASURE_SHA256], 32);
	ck_assert_mem_eq(whole.xxh3, other.xxh3, 16);
	ck_assert_int_eq(measure_buf_prefix("x", 1, 2, 0, &whole, &content), -EINVAL);

	ck_assert_int_eq(measure_buf_prefix("hello~trailer", 13, 5, 1u << MEASURE_SHA256,
					    &whole, &content), 0);
	policy_init(&p);
	ck_assert_int_eq(policy_set(&p, "deny", "sha256:2cf24dba5fb0a30e26e83b2ac5b9e29e"
				    "1b161e5c1fa7425e73043362938b9824", err, sizeof(err)), 0);
	ck_assert_int_eq(policy_lookup(&p.deny, &whole, &content), POLICY_MATCH_CONTENT);
	ck_assert_int_eq(policy_lookup(&p.deny, &whole, NULL), POLICY_MATCH_NONE);
	ck_assert_int_eq(policy_lookup(&p.deny, &content, &whole), POLICY_MATCH_IMAGE);
	policy_free(&p);
}
END_TEST

START_TEST(test_measure_known_answers)
{
	struct measurement m;
	char hex[129];
	static uint8_t big[200000];

	ck_assert_int_eq(measure_buf("abc", 3, (1u << MEASURE_SHA256) | (1u << MEASURE_SHA512), &m), 0);
	measure_hex(m.digest[MEASURE_SHA256], 32, hex);
	ck_assert_str_eq(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	measure_hex(m.digest[MEASURE_SHA512], 64, hex);
	ck_assert_str_eq(hex, "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"
			      "2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f");
	/* Chunked streaming gives the same XXH3 as one call, across chunk edges. */
	for (size_t i = 0; i < sizeof(big); i++)
		big[i] = (uint8_t)(i * 7);
	struct measurement a, b;
	ck_assert_int_eq(measure_buf(big, sizeof(big), 0, &a), 0);
	ck_assert_int_eq(measure_buf(big, sizeof(big), 1u << MEASURE_SHA384, &b), 0);
	ck_assert_mem_eq(a.xxh3, b.xxh3, 16);
	ck_assert_uint_eq(a.set, 0);
}
END_TEST

static Suite *policy_suite(void)
{
	Suite *s = suite_create("policy");
	TCase *tc = tcase_create("policy");

	tcase_add_test(tc, test_defaults);
	tcase_add_test(tc, test_full_file);
	tcase_add_test(tc, test_unknown_key_names_file_and_line);
	tcase_add_test(tc, test_bad_values);
	tcase_add_test(tc, test_relative_paths_follow_the_file);
	tcase_add_test(tc, test_xxh3_needs_opt_in);
	tcase_add_test(tc, test_lookup_signed_content);
	tcase_add_test(tc, test_refuse_sha1);
	tcase_add_test(tc, test_missing_file);
	tcase_add_test(tc, test_cli_flags);
	tcase_add_test(tc, test_protect_settings);
	tcase_add_test(tc, test_kmod_setting);
	tcase_add_test(tc, test_cli_policy_file_then_flag_overrides);
	tcase_add_test(tc, test_lookup);
	tcase_add_test(tc, test_measure_known_answers);
	suite_add_tcase(s, tc);
	return s;
}

const struct unit_main unit_main = { .suite = policy_suite };
