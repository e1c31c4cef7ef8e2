/* test_sdk_modules.c: the SDK-built sample and broken modules give the loader's expected errnos. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../hosted/loadtest.h"
#include "../../guest/module/params.h"

/*
 * Reads images/modules/expected-errors.txt and loads each module of
 * build/images/modules/ (after the ones it NEEDS) through the real loader
 * pipeline, with the kernel's exports and CRCs taken from
 * build/images/Module.symvers at made-up addresses.  Init is faked (these
 * modules run only in the guest), so rows whose errno comes from the
 * module's own init (initfail) are left to the boot tests, as are the
 * compressed files (finit_module decompresses before this pipeline).  Forced loading
 * is off, as the table assumes.
 */

#define MAX_ROWS     64
#define MAX_EXPORTS  256

struct row {
	char module[64];
	int  err;               /* positive errno, 0 = loads, -1 = not tested here */
	char needs[128];
};

static struct row rows[MAX_ROWS];
static int n_rows;
static struct hosted_export kexports[MAX_EXPORTS];
static size_t n_kexports;

static const char *build_dir(void)
{
	const char *b = getenv("BUILD");

	return b ? b : "build";
}

static int errno_of(const char *name)
{
	static const struct { const char *n; int e; } map[] = {
		{ "0", 0 }, { "ENOENT", ENOENT }, { "ENOEXEC", ENOEXEC },
		{ "EINVAL", EINVAL }, { "EEXIST", EEXIST },
	};

	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (!strcmp(name, map[i].n))
			return map[i].e;
	return -1;
}

static void read_table(void)
{
	FILE *f = fopen("images/modules/expected-errors.txt", "r");
	char line[512], err[32], how[32];

	if (!f) {
		perror("images/modules/expected-errors.txt (run from the tree's top)");
		exit(EXIT_FAILURE);
	}
	while (fgets(line, sizeof(line), f) && n_rows < MAX_ROWS) {
		struct row *r = &rows[n_rows];

		if (line[0] == '#' || sscanf(line, "%63s %31s %127s %31s", r->module, err,
					     r->needs, how) != 4)
			continue;
		/* Compressed files go through finit_module's decompression first. */
		r->err = strcmp(how, "compress") ? errno_of(err) : -1;
		n_rows++;
	}
	fclose(f);
}

/*
 * The param_* objects are stand-ins without callbacks: modules reference
 * them only from __param, no parameters are given here, and the loader
 * calls ops->free at unload, which must not touch module memory that
 * lives at made-up addresses.
 */
static const struct kernel_param_ops standin_ops;

/* The kernel's exports, at made-up addresses in the kernel's 2 GiB. */
static void read_symvers(void)
{
	char path[256], name[128], module[128], type[32];
	unsigned int crc;
	FILE *f;

	snprintf(path, sizeof(path), "%s/images/Module.symvers", build_dir());
	f = fopen(path, "r");
	if (!f) {
		perror(path);
		exit(EXIT_FAILURE);
	}
	while (n_kexports < MAX_EXPORTS &&
	       fscanf(f, "%x %127s %127s %31s", &crc, name, module, type) == 4) {
		struct hosted_export *e = &kexports[n_kexports];

		e->name = strdup(name);
		if (!strncmp(name, "param_", 6))
			e->value = (uint64_t)(uintptr_t)&standin_ops;
		else
			e->value = 0xffffffff81000000ull + 0x100 * n_kexports;
		e->crc = crc;
		e->gpl_only = !strcmp(type, "EXPORT_SYMBOL_GPL");
		n_kexports++;
	}
	fclose(f);
}

static uint8_t *read_module(const char *name, size_t *len)
{
	char path[256];
	uint8_t *buf;
	FILE *f;
	long n;

	snprintf(path, sizeof(path), "%s/images/modules/%s", build_dir(), name);
	f = fopen(path, "rb");
	ck_assert_msg(f != NULL, "%s missing: run make", path);
	ck_assert(fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) > 0 && fseek(f, 0, SEEK_SET) == 0);
	buf = malloc((size_t)n);
	ck_assert(buf && fread(buf, 1, (size_t)n, f) == (size_t)n);
	fclose(f);
	*len = (size_t)n;
	return buf;
}

static int load_file(const char *name)
{
	size_t len;
	uint8_t *img = read_module(name, &len);
	int err = lt_load(img, len, 0, NULL, NULL);

	free(img);
	return err;
}

static void sdk_setup(void)
{
	lt_setup();
	mod_settings.force_load = false;
	henv.exports = kexports;
	henv.nexports = n_kexports;
	henv.quiet = true;
}

START_TEST(table_row)
{
	const struct row *r = &rows[_i];
	char needs[128], *save = NULL;

	if (r->err < 0)
		return;     /* init's own errno: the boot tests check it */
	snprintf(needs, sizeof(needs), "%s", r->needs);
	for (char *n = strtok_r(needs, ",", &save); n && strcmp(n, "-");
	     n = strtok_r(NULL, ",", &save)) {
		char file[80];

		snprintf(file, sizeof(file), "%s.ko", n);
		ck_assert_msg(load_file(file) == 0, "%s: needed %s does not load: %s",
			      r->module, file, henv.log);
	}
	ck_assert_msg(load_file(r->module) == -r->err, "%s: want -%d, log: %s",
		      r->module, r->err, henv.log);
}
END_TEST

/* The table covers what the brief asks: every good module and one per error. */
START_TEST(table_complete)
{
	ck_assert_int_ge(n_rows, 28);
	ck_assert_int_ge(n_kexports, 20);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("sdk_modules");
	TCase *tc = tcase_create("expected-errors");

	read_table();
	read_symvers();
	tcase_add_checked_fixture(tc, sdk_setup, lt_teardown);
	tcase_add_loop_test(tc, table_row, 0, n_rows);
	tcase_add_test(tc, table_complete);
	suite_add_tcase(s, tc);
	return lt_run(s);
}
