/* test_params.c: Check tests of module parameters (guest/module/params.c) against Linux's rules. */
#include <check.h>
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <modvisor/kstrtox.h>

#include "params.h"
#include "check_main.h"

/* ---- the loader environment params.c needs: malloc, free, log ----------- */

static char logbuf[1 << 16];
static size_t loglen;
static long live_allocs;

void *modenv_malloc(size_t n)
{
	void *p = calloc(1, n);

	if (p)
		live_allocs++;
	return p;
}

void modenv_free(void *p)
{
	if (p)
		live_allocs--;
	free(p);
}

void modenv_log(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(logbuf + loglen, sizeof(logbuf) - loglen, fmt, ap);
	va_end(ap);
	if (n > 0 && loglen + (size_t)n + 1 < sizeof(logbuf)) {
		loglen += (size_t)n;
		logbuf[loglen++] = '\n';
		logbuf[loglen] = '\0';
	}
}

static bool logged(const char *text)
{
	return strstr(logbuf, text) != NULL;
}

/* ---- a module's parameters ------------------------------------------------ */

static bool verbose, quiet, flags[3];
static unsigned char bytev;
static short shortv;
static unsigned short ushortv;
static int count, max_count, ids[4];
static unsigned int uintv, hexv, nids, nflags, nnames;
static long longv;
static unsigned long ulongv;
static unsigned long long ullongv;
static char *who, *names[2];
static char namebuf[8];
static const char module_default[] = "default";

static struct mv_kparam_string name_str = { .maxlen = sizeof(namebuf), .string = (uintptr_t)namebuf };
static struct mv_kparam_array ids_arr = {
	.max = 4, .elemsize = sizeof(int), .num = (uintptr_t)&nids,
	.ops = (uintptr_t)&param_ops_int, .elem = (uintptr_t)ids,
};
static struct mv_kparam_array flags_arr = {
	.max = 3, .elemsize = sizeof(bool), .num = (uintptr_t)&nflags,
	.ops = (uintptr_t)&param_ops_bool, .elem = (uintptr_t)flags,
};
static struct mv_kparam_array names_arr = {
	.max = 2, .elemsize = sizeof(char *), .num = (uintptr_t)&nnames,
	.ops = (uintptr_t)&param_ops_charp, .elem = (uintptr_t)names,
};
static int nonum[2];
static struct mv_kparam_array nonum_arr = {
	.max = 2, .elemsize = sizeof(int), .num = 0,
	.ops = (uintptr_t)&param_ops_int, .elem = (uintptr_t)nonum,
};
static const struct kernel_param_ops no_get_ops = { .set = param_set_int };

#define PARAM(nm, o, a, pm) { .name = (uintptr_t)(nm), .ops = (uintptr_t)&(o), \
			      .perm = (pm), .level = -1, .arg = (uintptr_t)(a) }

static struct mv_kernel_param params[] = {
	PARAM("verbose", param_ops_bool, &verbose, 0644),
	PARAM("quiet", param_ops_invbool, &quiet, 0644),
	PARAM("byte", param_ops_byte, &bytev, 0644),
	PARAM("short", param_ops_short, &shortv, 0644),
	PARAM("ushort", param_ops_ushort, &ushortv, 0644),
	PARAM("count", param_ops_int, &count, 0644),
	PARAM("max_count", param_ops_int, &max_count, 0444),
	PARAM("uint", param_ops_uint, &uintv, 0644),
	PARAM("hex", param_ops_hexint, &hexv, 0644),
	PARAM("long", param_ops_long, &longv, 0644),
	PARAM("ulong", param_ops_ulong, &ulongv, 0644),
	PARAM("ullong", param_ops_ullong, &ullongv, 0644),
	PARAM("who", param_ops_charp, &who, 0644),
	PARAM("name", param_ops_string, &name_str, 0644),
	PARAM("ids", param_array_ops, &ids_arr, 0644),
	PARAM("flags", param_array_ops, &flags_arr, 0644),
	PARAM("names", param_array_ops, &names_arr, 0644),
	PARAM("nonum", param_array_ops, &nonum_arr, 0644),
	PARAM("dash-name", param_ops_int, &count, 0644),
	PARAM("noget", no_get_ops, &count, 0644),
};
#define NPARAMS (sizeof(params) / sizeof(params[0]))

static struct mv_kernel_param *param(const char *name)
{
	for (size_t i = 0; i < NPARAMS; i++)
		if (strcmp((const char *)(uintptr_t)params[i].name, name) == 0)
			return &params[i];
	ck_abort_msg("no parameter %s", name);
	return NULL;
}

/* Back to the module's initial values, dropping any charp copies first. */
static void reset(void)
{
	params_free(params, NPARAMS);
	verbose = quiet = false;
	memset(flags, 0, sizeof(flags));
	bytev = 0; shortv = 0; ushortv = 0; count = 0; max_count = 0;
	uintv = hexv = nids = nflags = nnames = 0;
	longv = 0; ulongv = 0; ullongv = 0;
	memset(ids, 0, sizeof(ids));
	memset(nonum, 0, sizeof(nonum));
	memset(namebuf, 0, sizeof(namebuf));
	who = (char *)module_default;
	names[0] = names[1] = NULL;
	loglen = 0;
	logbuf[0] = '\0';
}

static void setup(void)
{
	reset();
	live_allocs = 0;
}

/* Unloading frees every copy: nothing may be left allocated. */
static void teardown(void)
{
	params_free(params, NPARAMS);
	ck_assert_int_eq(live_allocs, 0);
}

/* Parse (s) as insmod's argument string would be (a writable kernel copy). */
static int parse(const char *s)
{
	static char buf[8192];

	ck_assert_uint_lt(strlen(s), sizeof(buf));
	strcpy(buf, s);
	return params_parse_module("test", buf, params, NPARAMS);
}

static const char *show(const char *name)
{
	static char buf[PARAMS_BUF_SIZE];
	int n = params_sysfs_show(param(name), buf);

	ck_assert_int_ge(n, 0);
	ck_assert_uint_eq(strlen(buf), (size_t)n);
	return buf;
}

/* ---- the grammar ---------------------------------------------------------- */

START_TEST(happy_path)
{
	ck_assert_int_eq(parse("who=world count=3 ids=1,2,3 verbose"), 0);
	ck_assert_str_eq(who, "world");
	ck_assert_int_eq(count, 3);
	ck_assert_uint_eq(nids, 3);
	ck_assert_int_eq(ids[0], 1);
	ck_assert_int_eq(ids[2], 3);
	ck_assert(verbose);
	ck_assert_uint_eq(loglen, 0);
}
END_TEST

START_TEST(empty_and_whitespace)
{
	ck_assert_int_eq(parse(""), 0);
	ck_assert_int_eq(parse("   \t\n "), 0);
	ck_assert_int_eq(parse("  count=1\tbyte=2\n\vshort=3\f\rushort=4   "), 0);
	ck_assert_int_eq(count, 1);
	ck_assert_int_eq(bytev, 2);
	ck_assert_int_eq(shortv, 3);
	ck_assert_int_eq(ushortv, 4);
	/* The kernel's isspace() also counts 0xA0. */
	ck_assert_int_eq(parse("count=7\xa0" "byte=8"), 0);
	ck_assert_int_eq(count, 7);
	ck_assert_int_eq(bytev, 8);
}
END_TEST

START_TEST(quotes_group_and_are_stripped)
{
	ck_assert_int_eq(parse("who=\"hello world\" count=4"), 0);
	ck_assert_str_eq(who, "hello world");
	ck_assert_int_eq(count, 4);
	ck_assert_int_eq(parse("\"who=a b\" count=5"), 0);
	ck_assert_str_eq(who, "a b");
	ck_assert_int_eq(count, 5);
	/* No escapes, and quotes inside a value are kept as Linux keeps them. */
	ck_assert_int_eq(parse("who=\"a\"b"), 0);
	ck_assert_str_eq(who, "a\"b");
	ck_assert_int_eq(parse("who=a\"b c\""), 0);
	ck_assert_str_eq(who, "a\"b c\"");
	ck_assert_int_eq(parse("who=\"\""), 0);
	ck_assert_str_eq(who, "");
	/* An unterminated quote runs to the end. */
	ck_assert_int_eq(parse("who=\"abc count=9"), 0);
	ck_assert_str_eq(who, "abc count=9");
	ck_assert_int_eq(count, 5);
}
END_TEST

START_TEST(dash_and_underscore)
{
	ck_assert_int_eq(parse("max-count=5"), 0);
	ck_assert_int_eq(max_count, 5);
	ck_assert_int_eq(parse("max_count=6"), 0);
	ck_assert_int_eq(max_count, 6);
	ck_assert_int_eq(parse("dash_name=7"), 0);
	ck_assert_int_eq(count, 7);
	ck_assert_int_eq(parse("dash-name=8"), 0);
	ck_assert_int_eq(count, 8);
	ck_assert_uint_eq(loglen, 0);
}
END_TEST

START_TEST(double_dash_stops)
{
	ck_assert_int_eq(parse("count=1 -- count=2 bogus"), 0);
	ck_assert_int_eq(count, 1);
	ck_assert(logged("test: parameters 'count=2 bogus' after `--' ignored"));
	reset();
	ck_assert_int_eq(parse("count=1 --"), 0);
	ck_assert(logged("parameters '' after `--' ignored"));
	reset();
	/* An error before "--" is still the result. */
	ck_assert_int_eq(parse("count=x -- count=2"), -EINVAL);
	ck_assert(!logged("after `--'"));
	reset();
	/* "--" with a value is just an unknown name. */
	ck_assert_int_eq(parse("--=3 count=4"), 0);
	ck_assert_int_eq(count, 4);
	ck_assert(logged("unknown parameter '--' ignored"));
}
END_TEST

START_TEST(unknown_names_only_warn)
{
	ck_assert_int_eq(parse("nosuch=1 count=2 other"), 0);
	ck_assert_int_eq(count, 2);
	ck_assert(logged("test: unknown parameter 'nosuch' ignored"));
	ck_assert(logged("test: unknown parameter 'other' ignored"));
	reset();
	ck_assert_int_eq(parse("async_probe"), 0);
	ck_assert_uint_eq(loglen, 0);
	ck_assert_int_eq(parse("foo.dyndbg=+p"), 0);
	ck_assert(logged("dyndbg param is supported only in CONFIG_DYNAMIC_DEBUG builds"));
	ck_assert(!logged("unknown parameter"));
	reset();
	/* A word starting with '=' has no value: its name is "=5". */
	ck_assert_int_eq(parse("=5"), 0);
	ck_assert(logged("unknown parameter '=5' ignored"));
}
END_TEST

START_TEST(unknown_without_handler_is_enoent)
{
	char buf[] = "count=1 nosuch=2 byte=3";

	ck_assert_int_eq(params_parse_args("boot", buf, params, NPARAMS, INT16_MIN, INT16_MAX,
					   NULL, NULL, NULL), -ENOENT);
	ck_assert(logged("boot: Unknown parameter `nosuch'"));
	ck_assert_int_eq(count, 1);
	ck_assert_int_eq(bytev, 3);
}
END_TEST

START_TEST(levels_outside_range_are_skipped)
{
	char buf[] = "count=9";
	char *rest = (char *)1;

	ck_assert_int_eq(params_parse_args("x", buf, params, NPARAMS, 0, 5, NULL, NULL, &rest), 0);
	ck_assert_int_eq(count, 0);
	ck_assert_ptr_null(rest);
}
END_TEST

START_TEST(errors_go_on_and_last_wins)
{
	ck_assert_int_eq(parse("count=x who=ok byte=256 short=1"), -ERANGE);
	ck_assert_str_eq(who, "ok");
	ck_assert_int_eq(shortv, 1);
	ck_assert(logged("test: `x' invalid for parameter `count'"));
	ck_assert(logged("test: `256' invalid for parameter `byte'"));
	reset();
	ck_assert_int_eq(parse("byte=256 count=x"), -EINVAL);
	reset();
	ck_assert_int_eq(parse("name=waytoolong count=3"), -ENOSPC);
	ck_assert_int_eq(count, 3);
	ck_assert(logged("test: `waytoolong' too large for parameter `name'"));
}
END_TEST

START_TEST(value_required_except_bool)
{
	static const char *need[] = { "count", "byte", "who", "name", "ids", "hex", "quiet" };

	for (size_t i = 0; i < sizeof(need) / sizeof(need[0]); i++) {
		reset();
		ck_assert_msg(parse(need[i]) == -EINVAL, "%s", need[i]);
		ck_assert(logged("`' invalid for parameter"));
	}
	ck_assert_int_eq(parse("verbose"), 0);
	ck_assert(verbose);
}
END_TEST

START_TEST(unsafe_flag_logs)
{
	struct mv_kernel_param kp = PARAM("danger", param_ops_int, &count, 0644);
	char buf[] = "danger=1";

	kp.flags = KERNEL_PARAM_FL_UNSAFE;
	ck_assert_int_eq(params_parse_module("test", buf, &kp, 1), 0);
	ck_assert_int_eq(count, 1);
	ck_assert(logged("Setting dangerous option danger - tainting kernel"));
}
END_TEST

/* ---- the value types ------------------------------------------------------- */

START_TEST(bool_variants)
{
	static const char *yes[] = { "y", "Y", "1", "t", "T", "on", "ON", "oN", "true", "yes", "1junk" };
	static const char *no[] = { "n", "N", "0", "f", "F", "off", "OFF", "false", "no", "nonsense" };
	static const char *bad[] = { "", "2", "o", "e", "enable", "d", "x", "-1", " y" };
	char buf[32];

	for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
		verbose = false;
		snprintf(buf, sizeof(buf), "verbose=%s", yes[i]);
		ck_assert_msg(parse(buf) == 0 && verbose, "%s", yes[i]);
	}
	for (size_t i = 0; i < sizeof(no) / sizeof(no[0]); i++) {
		verbose = true;
		snprintf(buf, sizeof(buf), "verbose=%s", no[i]);
		ck_assert_msg(parse(buf) == 0 && !verbose, "%s", no[i]);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		verbose = true;
		snprintf(buf, sizeof(buf), "\"verbose=%s\"", bad[i]);
		ck_assert_msg(parse(buf) == -EINVAL && verbose, "'%s'", bad[i]);
	}
	verbose = false;
	ck_assert_int_eq(parse("verbose"), 0);
	ck_assert(verbose);
	ck_assert_str_eq(show("verbose"), "Y\n");
	verbose = false;
	ck_assert_str_eq(show("verbose"), "N\n");
}
END_TEST

START_TEST(invbool_stores_negation)
{
	ck_assert_int_eq(parse("quiet=y"), 0);
	ck_assert(!quiet);
	ck_assert_str_eq(show("quiet"), "Y\n");
	ck_assert_int_eq(parse("quiet=n"), 0);
	ck_assert(quiet);
	ck_assert_str_eq(show("quiet"), "N\n");
	/* Linux's param_ops_invbool has no NOARG flag. */
	ck_assert_int_eq(parse("quiet"), -EINVAL);
	ck_assert(quiet);
	ck_assert_int_eq(parse("quiet=maybe"), -EINVAL);
}
END_TEST

START_TEST(integers_base_0)
{
	ck_assert_int_eq(parse("count=0x10"), 0);
	ck_assert_int_eq(count, 16);
	ck_assert_int_eq(parse("count=0X1f"), 0);
	ck_assert_int_eq(count, 31);
	ck_assert_int_eq(parse("count=010"), 0);
	ck_assert_int_eq(count, 8);
	ck_assert_int_eq(parse("count=-5"), 0);
	ck_assert_int_eq(count, -5);
	ck_assert_int_eq(parse("count=+7"), 0);
	ck_assert_int_eq(count, 7);
	ck_assert_int_eq(parse("count=0"), 0);
	ck_assert_int_eq(count, 0);
	ck_assert_int_eq(parse("count=-0x10"), 0);
	ck_assert_int_eq(count, -16);
}
END_TEST

START_TEST(integers_bad_are_einval)
{
	static const char *bad[] = { "count=", "count=x", "count=12abc", "count=08", "count=0x",
				     "count=0xg", "count=-", "count=+", "count=-+5", "count=+-5",
				     "count=--5", "count=1.5", "count=\" 1\"", "count=1e3",
				     "uint=-1", "ushort=-1", "byte=-1", "ulong=-0" };

	count = 42;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(parse(bad[i]) == -EINVAL, "%s", bad[i]);
	ck_assert_int_eq(count, 42);
}
END_TEST

START_TEST(integers_erange_per_type)
{
	static const char *range[] = {
		"byte=256", "byte=0x100", "short=32768", "short=-32769", "ushort=65536",
		"int=2147483648", "count=-2147483649", "uint=4294967296",
		"long=9223372036854775808", "long=-9223372036854775809",
		"ulong=18446744073709551616", "ullong=0x10000000000000000",
		"count=99999999999999999999x",  /* overflow is reported before junk */
	};
	static const struct { const char *s; } ok[] = {
		{ "byte=255" }, { "short=32767" }, { "short=-32768" }, { "ushort=65535" },
		{ "count=2147483647" }, { "count=-2147483648" }, { "uint=4294967295" },
		{ "long=-9223372036854775808" }, { "long=9223372036854775807" },
		{ "ulong=18446744073709551615" }, { "ullong=0xffffffffffffffff" },
	};

	for (size_t i = 0; i < sizeof(range) / sizeof(range[0]); i++) {
		char buf[64];

		/* "int" is not a parameter here: map it to count. */
		snprintf(buf, sizeof(buf), "%s", range[i]);
		if (strncmp(buf, "int=", 4) == 0)
			snprintf(buf, sizeof(buf), "count=%s", range[i] + 4);
		ck_assert_msg(parse(buf) == -ERANGE, "%s", buf);
	}
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++)
		ck_assert_msg(parse(ok[i].s) == 0, "%s", ok[i].s);
	ck_assert_int_eq(bytev, 255);
	ck_assert_int_eq(shortv, -32768);
	ck_assert_int_eq(ushortv, 65535);
	ck_assert_int_eq(count, -2147483648);
	ck_assert_uint_eq(uintv, 4294967295u);
	ck_assert(longv == 9223372036854775807L);
	ck_assert(ulongv == 18446744073709551615UL);
	ck_assert(ullongv == 0xffffffffffffffffULL);
}
END_TEST

START_TEST(kstrtox_rules)
{
	unsigned long long u = 7;
	long long s = 7;
	bool b = false;

	ck_assert_int_eq(kstrtox_ull("5\n", 0, &u), 0);
	ck_assert_uint_eq(u, 5);
	ck_assert_int_eq(kstrtox_ull("5\n\n", 0, &u), -EINVAL);
	ck_assert_int_eq(kstrtox_ull("18446744073709551615", 0, &u), 0);
	ck_assert_int_eq(kstrtox_ull("0x", 0, &u), -EINVAL);
	ck_assert_uint_eq(u, 18446744073709551615ull);
	/* Explicit bases: 16 skips "0x", 10 reads "010" as ten, 8 refuses '8'. */
	ck_assert_int_eq(kstrtox_ull("0x1F", 16, &u), 0);
	ck_assert_uint_eq(u, 31);
	ck_assert_int_eq(kstrtox_ull("ff", 16, &u), 0);
	ck_assert_uint_eq(u, 255);
	ck_assert_int_eq(kstrtox_ull("010", 10, &u), 0);
	ck_assert_uint_eq(u, 10);
	ck_assert_int_eq(kstrtox_ull("18", 8, &u), -EINVAL);
	ck_assert_int_eq(kstrtox_ull("1", 1, &u), -EINVAL);
	ck_assert_int_eq(kstrtox_ull("1", 17, &u), -EINVAL);
	ck_assert_int_eq(kstrtox_ll("-9223372036854775808", 0, &s), 0);
	ck_assert(s == INT64_MIN);
	ck_assert_int_eq(kstrtox_ll("9223372036854775808", 0, &s), -ERANGE);
	ck_assert_int_eq(kstrtox_ll("-9223372036854775809", 0, &s), -ERANGE);
	ck_assert_int_eq(kstrtox_ll("-0", 0, &s), 0);
	ck_assert_int_eq(s, 0);
	ck_assert_int_eq(kstrtox_ll("-+1", 0, &s), -EINVAL);
	ck_assert_int_eq(kstrtox_bool(NULL, &b), -EINVAL);
	ck_assert_int_eq(kstrtox_bool("On", &b), 0);
	ck_assert(b);
	ck_assert_int_eq(kstrtox_bool("oFf", &b), 0);
	ck_assert(!b);
}
END_TEST

START_TEST(integer_text)
{
	bytev = 255; shortv = -5; ushortv = 65535; count = -2147483647 - 1;
	uintv = 4294967295u; longv = INT64_MIN; ulongv = UINT64_MAX; ullongv = 12;
	ck_assert_str_eq(show("byte"), "255\n");
	ck_assert_str_eq(show("short"), "-5\n");
	ck_assert_str_eq(show("ushort"), "65535\n");
	ck_assert_str_eq(show("count"), "-2147483648\n");
	ck_assert_str_eq(show("uint"), "4294967295\n");
	ck_assert_str_eq(show("long"), "-9223372036854775808\n");
	ck_assert_str_eq(show("ulong"), "18446744073709551615\n");
	ck_assert_str_eq(show("ullong"), "12\n");
	hexv = 0x1f;
	ck_assert_str_eq(show("hex"), "0x00001f\n");
	hexv = 0;
	ck_assert_str_eq(show("hex"), "0x000000\n");
	hexv = 0x12345678;
	ck_assert_str_eq(show("hex"), "0x12345678\n");
	ck_assert_int_eq(parse("hex=0x20"), 0);
	ck_assert_uint_eq(hexv, 0x20);
}
END_TEST

START_TEST(charp_is_a_kernel_copy)
{
	char buf[] = "who=world";

	ck_assert_str_eq(show("who"), "default\n");
	ck_assert_int_eq(params_parse_module("test", buf, params, NPARAMS), 0);
	ck_assert_str_eq(who, "world");
	ck_assert(who < buf || who >= buf + sizeof(buf));
	memset(buf, 'X', sizeof(buf) - 1);
	ck_assert_str_eq(who, "world");
	ck_assert_int_eq(live_allocs, 1);
	/* Setting again frees the old copy. */
	ck_assert_int_eq(parse("who=again who=third"), 0);
	ck_assert_str_eq(who, "third");
	ck_assert_int_eq(live_allocs, 1);
	ck_assert_str_eq(show("who"), "third\n");
	params_free(params, NPARAMS);
	ck_assert_int_eq(live_allocs, 0);
	who = NULL;
	ck_assert_str_eq(show("who"), "(null)\n");
	/* The module's own initial value is never freed. */
	who = (char *)module_default;
	params_free(params, NPARAMS);
	ck_assert_ptr_eq(who, module_default);
}
END_TEST

START_TEST(charp_length_limit)
{
	char buf[1100];

	memcpy(buf, "who=", 4);
	memset(buf + 4, 'a', 1024);
	buf[4 + 1024] = '\0';
	ck_assert_int_eq(parse(buf), 0);
	ck_assert_uint_eq(strlen(who), 1024);
	buf[4 + 1024] = 'a';
	buf[4 + 1025] = '\0';
	ck_assert_int_eq(parse(buf), -ENOSPC);
	ck_assert(logged("who: string parameter too long"));
	ck_assert_uint_eq(strlen(who), 1024);
}
END_TEST

START_TEST(string_buffer_enospc)
{
	ck_assert_int_eq(parse("name=seven77"), 0);
	ck_assert_str_eq(namebuf, "seven77");
	ck_assert_str_eq(show("name"), "seven77\n");
	ck_assert_int_eq(parse("name=eight888"), -ENOSPC);
	ck_assert(logged("name: string doesn't fit in 7 chars."));
	ck_assert_str_eq(namebuf, "seven77");
	ck_assert_int_eq(parse("name="), 0);
	ck_assert_str_eq(namebuf, "");
}
END_TEST

START_TEST(arrays_count_and_limit)
{
	ck_assert_int_eq(parse("ids=5"), 0);
	ck_assert_uint_eq(nids, 1);
	ck_assert_str_eq(show("ids"), "5\n");
	ck_assert_int_eq(parse("ids=1,2,3,4"), 0);
	ck_assert_uint_eq(nids, 4);
	ck_assert_str_eq(show("ids"), "1,2,3,4\n");
	/* One more than the maximum: EINVAL, the first four are kept and counted. */
	ck_assert_int_eq(parse("ids=9,8,7,6,5"), -EINVAL);
	ck_assert(logged("ids: can only take 4 arguments"));
	ck_assert_uint_eq(nids, 4);
	ck_assert_int_eq(ids[0], 9);
	ck_assert_int_eq(ids[3], 6);
	/* A bad element stops the array; the count says how far it got. */
	ck_assert_int_eq(parse("ids=1,x,3"), -EINVAL);
	ck_assert_uint_eq(nids, 1);
	ck_assert_int_eq(parse("ids=1,99999999999,3"), -ERANGE);
	ck_assert_uint_eq(nids, 1);
	ck_assert_int_eq(parse("ids="), -EINVAL);
	ck_assert_uint_eq(nids, 0);
	ck_assert_str_eq(show("ids"), "");
	ck_assert_int_eq(parse("ids=1,,2"), -EINVAL);
	ck_assert_int_eq(parse("ids=1,2,"), -EINVAL);
	ck_assert_uint_eq(nids, 2);
	ck_assert_int_eq(parse("ids=\"1,2\""), 0);
	ck_assert_uint_eq(nids, 2);
}
END_TEST

START_TEST(arrays_of_other_types)
{
	ck_assert_int_eq(parse("flags=y,n,1"), 0);
	ck_assert_uint_eq(nflags, 3);
	ck_assert(flags[0] && !flags[1] && flags[2]);
	ck_assert_str_eq(show("flags"), "Y,N,Y\n");
	ck_assert_int_eq(parse("names=alpha,beta"), 0);
	ck_assert_str_eq(names[0], "alpha");
	ck_assert_str_eq(names[1], "beta");
	ck_assert_str_eq(show("names"), "alpha,beta\n");
	ck_assert_int_eq(live_allocs, 2);
	/* Without a count pointer every element is shown. */
	ck_assert_int_eq(parse("nonum=4"), 0);
	ck_assert_str_eq(show("nonum"), "4,0\n");
	ck_assert_int_eq(parse("nonum=1,2,3"), -EINVAL);
}
END_TEST

/* ---- sysfs ----------------------------------------------------------------- */

START_TEST(sysfs_store)
{
	ck_assert(params_sysfs_visible(param("count")));
	ck_assert_int_eq(params_sysfs_store(param("count"), "7\n", 2), 2);
	ck_assert_int_eq(count, 7);
	ck_assert_int_eq(params_sysfs_store(param("count"), "0x1", 3), 3);
	ck_assert_int_eq(count, 1);
	ck_assert_int_eq(params_sysfs_store(param("count"), "seven\n", 6), -EINVAL);
	ck_assert_int_eq(params_sysfs_store(param("byte"), "300\n", 4), -ERANGE);
	/* Read-only (0444): no store method. */
	ck_assert_int_eq(params_sysfs_store(param("max_count"), "1", 1), -EIO);
	ck_assert_int_eq(max_count, 0);
	/* Not NUL-terminated input is fine; a charp keeps the newline, as in Linux. */
	ck_assert_int_eq(params_sysfs_store(param("who"), "abc\nXYZ", 4), 4);
	ck_assert_str_eq(who, "abc\n");
	ck_assert_int_eq(params_sysfs_store(param("verbose"), "Y\n", 2), 2);
	ck_assert(verbose);
	ck_assert_int_eq(params_sysfs_store(param("ids"), "4,5\n", 4), 4);
	ck_assert_uint_eq(nids, 2);
	ck_assert_int_eq(ids[1], 5);
	ck_assert_int_eq(params_sysfs_store(param("name"), "12345678", 8), -ENOSPC);
	ck_assert_int_eq(params_sysfs_store(param("count"), "1", PARAMS_BUF_SIZE + 1), -E2BIG);
}
END_TEST

START_TEST(sysfs_show_without_get)
{
	static char buf[PARAMS_BUF_SIZE];
	struct mv_kernel_param hidden = PARAM("hidden", param_ops_int, &count, 0);

	ck_assert_int_eq(params_sysfs_show(param("noget"), buf), -EPERM);
	ck_assert(!params_sysfs_visible(&hidden));
}
END_TEST

START_TEST(show_is_bounded)
{
	char big[2048];

	memset(big, 'z', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	/* An array of two 1024-byte strings and more: the text stays inside the page. */
	ck_assert_int_eq(params_sysfs_store(param("who"), big, 1024), 1024);
	ck_assert_uint_eq(strlen(show("who")), 1025);
	names[0] = big;
	names[1] = big;
	nnames = 2;
	ck_assert_uint_eq(strlen(show("names")), PARAMS_BUF_SIZE - 1);
	nnames = 0;
	names[0] = names[1] = NULL;
}
END_TEST

static Suite *params_suite(void)
{
	Suite *s = suite_create("params");
	TCase *t = tcase_create("grammar");

	tcase_add_checked_fixture(t, setup, teardown);
	tcase_add_test(t, happy_path);
	tcase_add_test(t, empty_and_whitespace);
	tcase_add_test(t, quotes_group_and_are_stripped);
	tcase_add_test(t, dash_and_underscore);
	tcase_add_test(t, double_dash_stops);
	tcase_add_test(t, unknown_names_only_warn);
	tcase_add_test(t, unknown_without_handler_is_enoent);
	tcase_add_test(t, levels_outside_range_are_skipped);
	tcase_add_test(t, errors_go_on_and_last_wins);
	tcase_add_test(t, value_required_except_bool);
	tcase_add_test(t, unsafe_flag_logs);
	suite_add_tcase(s, t);

	t = tcase_create("types");
	tcase_add_checked_fixture(t, setup, teardown);
	tcase_add_test(t, bool_variants);
	tcase_add_test(t, invbool_stores_negation);
	tcase_add_test(t, integers_base_0);
	tcase_add_test(t, integers_bad_are_einval);
	tcase_add_test(t, integers_erange_per_type);
	tcase_add_test(t, kstrtox_rules);
	tcase_add_test(t, integer_text);
	tcase_add_test(t, charp_is_a_kernel_copy);
	tcase_add_test(t, charp_length_limit);
	tcase_add_test(t, string_buffer_enospc);
	tcase_add_test(t, arrays_count_and_limit);
	tcase_add_test(t, arrays_of_other_types);
	suite_add_tcase(s, t);

	t = tcase_create("sysfs");
	tcase_add_checked_fixture(t, setup, teardown);
	tcase_add_test(t, sysfs_store);
	tcase_add_test(t, sysfs_show_without_get);
	tcase_add_test(t, show_is_bounded);
	suite_add_tcase(s, t);
	return s;
}

const struct unit_main unit_main = { .suite = params_suite };
