/* test_loader_sdk.c: the SDK's real sample and broken modules through the hosted loader, each with its expected errno. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../hosted/loadtest.h"
#include "check_main.h"

/*
 * Reads build/images/Module.symvers (the kernel's exports and CRCs, as the
 * guest kernel has them) and build/images/modules/expected-errors.txt
 * (images/modules/, H6), then loads every module listed there, after the
 * modules it needs, and compares the result with the expected errno.  Init
 * is not run on the host, so rows whose error comes from init are only
 * checked to get that far.  MV_BUILD overrides the build directory.
 */
#define MAX_ROWS 64
#define MAX_EXPORTS 512

struct row {
	char module[64];
	int  err;
	char needs[128];
};

static struct row rows[MAX_ROWS];
static int nrows;
static struct hosted_export exports[MAX_EXPORTS];
static char export_names[MAX_EXPORTS][64];
static size_t nexports;
static char build[256] = "build";

static int errno_by_name(const char *s)
{
	static const struct { const char *n; int e; } t[] = {
		{ "0", 0 }, { "ENOEXEC", ENOEXEC }, { "ENOENT", ENOENT }, { "EINVAL", EINVAL },
		{ "EEXIST", EEXIST }, { "ENODEV", ENODEV }, { "EIO", EIO }, { "EPERM", EPERM },
		{ "EBADMSG", EBADMSG }, { "ENOKEY", ENOKEY }, { "EKEYREJECTED", EKEYREJECTED },
		{ "EFAULT", EFAULT }, { "ETIMEDOUT", ETIMEDOUT },
	};

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		if (strcmp(s, t[i].n) == 0)
			return t[i].e;
	return -1;
}

static void read_symvers(void)
{
	char path[512], line[512], name[64], kind[64];
	unsigned crc;
	FILE *f;

	snprintf(path, sizeof(path), "%s/images/Module.symvers", build);
	f = fopen(path, "r");
	if (!f)
		return;         /* rows_present then fails */
	while (fgets(line, sizeof(line), f) && nexports < MAX_EXPORTS) {
		if (sscanf(line, "%x %63s %*s %63s", &crc, name, kind) != 3)
			continue;
		strcpy(export_names[nexports], name);
		exports[nexports] = (struct hosted_export){ export_names[nexports],
			0xffffffff81000000ull + 0x40 * nexports, crc,
			strcmp(kind, "EXPORT_SYMBOL_GPL") == 0 };
		nexports++;
	}
	fclose(f);
}

static void read_rows(void)
{
	char path[512], line[512], err[32];
	FILE *f;

	snprintf(path, sizeof(path), "%s/images/modules/expected-errors.txt", build);
	f = fopen(path, "r");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f) && nrows < MAX_ROWS) {
		struct row *r = &rows[nrows];

		if (line[0] == '#' || sscanf(line, "%63s %31s %127s", r->module, err, r->needs) != 3)
			continue;
		r->err = errno_by_name(err);
		nrows++;
	}
	fclose(f);
}

static int load_file(const char *name)
{
	char path[512];
	size_t len;
	long n;
	uint8_t *img;
	FILE *f;
	int err;

	snprintf(path, sizeof(path), "%s/images/modules/%s", build, name);
	f = fopen(path, "rb");
	ck_assert_msg(f != NULL, "cannot open %s", path);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	len = (size_t)n;
	img = aligned_alloc(4096, (len + 4095) & ~(size_t)4095);
	ck_assert_uint_eq(fread(img, 1, len, f), len);
	fclose(f);
	err = lt_load(img, len, 0, "", NULL);
	free(img);
	return err;
}

START_TEST(sdk_module)
{
	const struct row *r = &rows[_i];
	char needs[128], *dep, *save;
	int err;

	mod_settings.force_load = false;        /* expected-errors.txt assumes it */
	henv.exports = exports;
	henv.nexports = nexports;
	strcpy(needs, r->needs);
	for (dep = strtok_r(needs, ",", &save); dep && strcmp(dep, "-") != 0;
	     dep = strtok_r(NULL, ",", &save)) {
		char file[80];

		snprintf(file, sizeof(file), "%s.ko", dep);
		ck_assert_int_eq(load_file(file), 0);
	}
	err = load_file(r->module);
	/* Parameter ops are made-up kernel addresses here: unloading must not call them. */
	for (struct module *m = mod_first(); m; m = m->next)
		m->num_kp = 0;
	if (r->err == ENODEV || r->err == EIO || /* from init, which the host does not run */
	    r->err == EFAULT || r->err == ETIMEDOUT)
		ck_assert_int_eq(err, 0);
	else
		ck_assert_msg(err == -r->err, "%s: got %d, want %d; log:\n%s", r->module,
			      err, -r->err, henv.log);
}
END_TEST

START_TEST(rows_present)
{
	ck_assert_msg(nrows >= 10, "%s/images/modules/expected-errors.txt has %d rows (make images)",
		      build, nrows);
	ck_assert_uint_gt(nexports, 10);
}
END_TEST

static Suite *unit_suite(void)
{
	Suite *s = suite_create("loader-sdk");
	TCase *tc;

	if (getenv("MV_BUILD"))
		snprintf(build, sizeof(build), "%s", getenv("MV_BUILD"));
	read_symvers();
	read_rows();
	tc = lt_tcase(s, "sdk");
	tcase_add_test(tc, rows_present);
	tcase_add_loop_test(tc, sdk_module, 0, nrows);
	return s;
}

const struct unit_main unit_main = { .suite = unit_suite };
