/* test_vmm_cli.c: `modvisor run` option parsing: -c splitting, --add, --mem, --accel. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "../../vmm/run.h"
#include "check_main.h"

static char err[512];

/* parse(argv...): run_parse over a NULL-terminated list; its return value. */
#define parse(o, ...) parse_v(o, (char *[]){ "run", __VA_ARGS__, NULL })
static int parse_v(struct run_opts *o, char **argv)
{
	int argc = 0;

	while (argv[argc])
		argc++;
	memset(o, 0, sizeof(*o));
	err[0] = '\0';
	return run_parse(argc, argv, o, err, sizeof(err));
}

/* split(s, cmd): run_split_words into cmd. */
static int split(const char *s, struct boot_cmd *cmd)
{
	return run_split_words(s, cmd, err, sizeof(err));
}

START_TEST(defaults)
{
	struct run_opts o;

	ck_assert_int_eq(parse_v(&o, (char *[]){ "run", NULL }), 0);
	ck_assert_uint_eq(o.mem_mib, RUN_DEFAULT_MEM_MIB);
	ck_assert_int_eq(o.accel, ACCEL_AUTO);
	ck_assert_ptr_null(o.kernel);
	ck_assert_int_eq(o.ncmds, 0);
	run_opts_free(&o);
}
END_TEST

START_TEST(split_plain_and_quotes)
{
	struct boot_cmd c;

	ck_assert_int_eq(split("  ls   -l\t/lib/modules ", &c), 0);
	ck_assert_int_eq(c.argc, 3);
	ck_assert_str_eq(c.argv[0], "ls");
	ck_assert_str_eq(c.argv[2], "/lib/modules");
	ck_assert_ptr_null(c.argv[3]);
	run_words_free(&c);
	ck_assert_int_eq(split("echo 'a  b' \"c \\\"d\\\" \\\\\" e\\ f '' x'y'z", &c), 0);
	ck_assert_int_eq(c.argc, 6);
	ck_assert_str_eq(c.argv[1], "a  b");
	ck_assert_str_eq(c.argv[2], "c \"d\" \\");
	ck_assert_str_eq(c.argv[3], "e f");
	ck_assert_str_eq(c.argv[4], "");
	ck_assert_str_eq(c.argv[5], "xyz");
	run_words_free(&c);
	ck_assert_int_eq(split("echo '$HOME \\n'", &c), 0);
	ck_assert_str_eq(c.argv[1], "$HOME \\n");
	run_words_free(&c);
}
END_TEST

START_TEST(split_errors)
{
	struct boot_cmd c;

	ck_assert_int_eq(split("echo 'oops", &c), -1);
	ck_assert_str_eq(err, "-c: unterminated ' quote");
	ck_assert_int_eq(split("echo \"oops", &c), -1);
	ck_assert_str_eq(err, "-c: unterminated \" quote");
	ck_assert_int_eq(split("   ", &c), -1);
	ck_assert_str_eq(err, "-c: empty command");
}
END_TEST

START_TEST(commands_in_order)
{
	struct run_opts o;

	ck_assert_int_eq(parse(&o, "-c", "cat /proc/sys/kernel/tainted", "-c", "ls /lib",
			       "--mem", "64", "--", "echo", "-c", "hello world"), 0);
	ck_assert_int_eq(o.ncmds, 3);
	ck_assert_int_eq(o.cmds[0].argc, 2);
	ck_assert_str_eq(o.cmds[0].argv[1], "/proc/sys/kernel/tainted");
	ck_assert_str_eq(o.cmds[1].argv[0], "ls");
	ck_assert_int_eq(o.cmds[2].argc, 3);
	ck_assert_str_eq(o.cmds[2].argv[1], "-c");
	ck_assert_str_eq(o.cmds[2].argv[2], "hello world");   /* not split */
	ck_assert_uint_eq(o.mem_mib, 64);
	run_opts_free(&o);
}
END_TEST

START_TEST(command_without_dashdash)
{
	struct run_opts o;

	ck_assert_int_eq(parse(&o, "--mem=32", "echo", "--mem", "x"), 0);
	ck_assert_int_eq(o.ncmds, 1);
	ck_assert_int_eq(o.cmds[0].argc, 3);
	ck_assert_str_eq(o.cmds[0].argv[1], "--mem");
	run_opts_free(&o);
}
END_TEST

START_TEST(mem_bounds)
{
	struct run_opts o;

	ck_assert_int_eq(parse(&o, "--mem", "16"), 0);
	ck_assert_uint_eq(o.mem_mib, 16);
	ck_assert_int_eq(parse(&o, "--mem", "65536"), 0);
	ck_assert_int_eq(parse(&o, "--mem", "33"), 0);
	ck_assert_uint_eq(o.mem_mib, 34);                     /* 2 MiB pages */
	ck_assert_int_eq(parse(&o, "--mem", "15"), -1);
	ck_assert_ptr_nonnull(strstr(err, "--mem '15': want a number of MiB from 16 to 65536"));
	ck_assert_int_eq(parse(&o, "--mem", "65537"), -1);
	ck_assert_int_eq(parse(&o, "--mem", "-128"), -1);
	ck_assert_int_eq(parse(&o, "--mem", "12abc"), -1);
	ck_assert_int_eq(parse(&o, "--mem", ""), -1);
	ck_assert_int_eq(parse(&o, "--mem", "99999999999999999999999"), -1);
	ck_assert_int_eq(parse(&o, "--mem"), -1);
	ck_assert_str_eq(err, "--mem needs a value (MiB)");
}
END_TEST

START_TEST(timeout_bounds)
{
	struct run_opts o;

	ck_assert_int_eq(parse(&o, "--timeout", "30"), 0);
	ck_assert_uint_eq(o.timeout_s, 30);
	ck_assert_int_eq(parse(&o, "--timeout=0"), 0);
	ck_assert_uint_eq(o.timeout_s, 0);
	ck_assert_int_eq(parse(&o, "--timeout", "1.5"), -1);
	ck_assert_ptr_nonnull(strstr(err, "--timeout '1.5': want whole seconds"));
	ck_assert_int_eq(parse(&o, "--timeout", "-1"), -1);
	ck_assert_int_eq(parse(&o, "--timeout", ""), -1);
	ck_assert_int_eq(parse(&o, "--timeout", "604801"), -1);    /* over a week */
	ck_assert_int_eq(parse(&o, "--init-timeout", "2"), 0);
	ck_assert_uint_eq(o.init_timeout_s, 2);
	ck_assert_int_eq(o.init_timeout_set, 1);
	ck_assert_int_eq(parse(&o, "--init-timeout", "x"), -1);
	ck_assert_ptr_nonnull(strstr(err, "--init-timeout 'x': want whole seconds"));
	ck_assert_int_eq(parse(&o, "--timeout", "99999999999999999999999"), -1);
}
END_TEST

START_TEST(accel_values)
{
	struct run_opts o;
	enum accel_mode m;

	ck_assert_int_eq(parse(&o, "--accel", "kvm"), 0);
	ck_assert_int_eq(o.accel, ACCEL_KVM);
	ck_assert_int_eq(parse(&o, "--accel=emulated"), 0);
	ck_assert_int_eq(o.accel, ACCEL_EMULATED);
	ck_assert_int_eq(parse(&o, "--accel=auto"), 0);
	ck_assert_int_eq(o.accel, ACCEL_AUTO);
	ck_assert_int_eq(parse(&o, "--accel=KVM"), -1);
	ck_assert_str_eq(err, "--accel 'KVM': want auto, kvm or emulated");
	ck_assert_int_eq(accel_parse("", &m), -1);
}
END_TEST

START_TEST(add_parsing)
{
	struct run_opts o;
	struct run_add a;

	ck_assert_int_eq(parse(&o, "--add", "./my:mod.ko:/lib/modules/mymod.ko",
			       "--add=dir:/x"), 0);
	ck_assert_int_eq(o.nadds, 2);
	ck_assert_str_eq(o.adds[0].host, "./my:mod.ko");
	ck_assert_str_eq(o.adds[0].guest, "/lib/modules/mymod.ko");
	ck_assert_str_eq(o.adds[1].host, "dir");
	run_opts_free(&o);
	ck_assert_int_eq(run_parse_add("nocolon", &a, err, sizeof(err)), -1);
	ck_assert_int_eq(run_parse_add("host:relative/path", &a, err, sizeof(err)), -1);
	ck_assert_int_eq(run_parse_add(":/guest", &a, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "want HOSTPATH:GUESTPATH"));
}
END_TEST

START_TEST(unknown_and_flags)
{
	struct run_opts o;

	ck_assert_int_eq(parse(&o, "--kernal", "x"), -1);
	ck_assert_str_eq(err, "unknown option '--kernal'");
	ck_assert_int_eq(parse(&o, "--help=yes"), -1);
	ck_assert_str_eq(err, "--help takes no value");
	ck_assert_int_eq(parse(&o, "--help"), 0);
	ck_assert_int_eq(o.help, 1);
	ck_assert_int_eq(parse(&o, "--kernel", "k.elf", "--initrd=none", "--cmdline", "a b"), 0);
	ck_assert_str_eq(o.kernel, "k.elf");
	ck_assert_str_eq(o.initrd, "none");
	ck_assert_str_eq(o.cmdline, "a b");
}
END_TEST

START_TEST(rewrite_for_emuhost)
{
	char *argv[] = { "run", "--accel", "emulated", "--kernel", "k.elf", "--initrd=/abs/i",
			 "--add", "m.ko:/lib/m.ko", "-c", "ls -l", "--mem=64", "--help", "--",
			 "echo", "--kernel", NULL };
	const char *want[] = { "/bin/modvisor", "run", "--accel=kvm", "--kernel", "@/k.elf",
			       "--initrd", "/abs/i", "--add", "@/m.ko:/lib/m.ko", "-c", "ls -l",
			       "--mem", "64", "--help", "--", "echo", "--kernel", NULL };
	char cwd[4096], buf[8192], **v;
	int i;

	ck_assert_ptr_nonnull(getcwd(cwd, sizeof(cwd)));
	ck_assert_int_eq(run_rewrite_argv(15, argv, "/bin/modvisor", &v), 0);
	for (i = 0; want[i]; i++) {
		snprintf(buf, sizeof(buf), "%s%s", want[i][0] == '@' ? cwd : "",
			 want[i] + (want[i][0] == '@'));
		ck_assert_ptr_nonnull(v[i]);
		ck_assert_str_eq(v[i], buf);
	}
	ck_assert_ptr_null(v[i]);
	run_argv_free(v);
}
END_TEST

/* A stand-in for the authority's flags: --policy FILE and --no-log. */
static int policy_seen;
static int fake_extra(int argc, char **argv, int *used, char *e, size_t n)
{
	if (!strcmp(argv[0], "--no-log")) {
		*used = 1;
		policy_seen++;
		return 1;
	}
	if (strcmp(argv[0], "--policy"))
		return 0;
	if (argc < 2) {
		snprintf(e, n, "--policy needs a file");
		return -1;
	}
	*used = 2;
	policy_seen++;
	return 1;
}

START_TEST(extra_options)
{
	char *argv[] = { "run", "--policy", "p.ini", "--mem", "64", "--no-log", "--", "ls", NULL };
	const char *want[] = { "/m", "run", "--accel=kvm", "--policy", "p.ini", "--mem", "64",
			       "--no-log", "--", "ls", NULL };
	struct run_opts o;
	char **v;
	int i;

	run_extra = fake_extra;
	policy_seen = 0;
	ck_assert_int_eq(parse_v(&o, argv), 0);
	ck_assert_int_eq(policy_seen, 2);
	ck_assert_uint_eq(o.mem_mib, 64);
	ck_assert_int_eq(o.ncmds, 1);
	run_opts_free(&o);
	ck_assert_int_eq(run_rewrite_argv(8, argv, "/m", &v), 0);
	for (i = 0; want[i]; i++)
		ck_assert_str_eq(v[i], want[i]);
	ck_assert_ptr_null(v[i]);
	run_argv_free(v);
	ck_assert_int_eq(parse(&o, "--policy"), -1);
	ck_assert_str_eq(err, "--policy needs a file");
	ck_assert_int_eq(parse(&o, "--polcy"), -1);
	ck_assert_str_eq(err, "unknown option '--polcy'");
	run_extra = NULL;
}
END_TEST

static Suite *unit_suite(void)
{
	Suite *s = suite_create("vmm_cli");
	TCase *tc = tcase_create("run_parse");

	tcase_add_test(tc, defaults);
	tcase_add_test(tc, split_plain_and_quotes);
	tcase_add_test(tc, split_errors);
	tcase_add_test(tc, commands_in_order);
	tcase_add_test(tc, command_without_dashdash);
	tcase_add_test(tc, mem_bounds);
	tcase_add_test(tc, timeout_bounds);
	tcase_add_test(tc, accel_values);
	tcase_add_test(tc, add_parsing);
	tcase_add_test(tc, unknown_and_flags);
	tcase_add_test(tc, rewrite_for_emuhost);
	tcase_add_test(tc, extra_options);
	suite_add_tcase(s, tc);
	return s;
}

const struct unit_main unit_main = { .suite = unit_suite };
