/* test_vmm_boot.c: the --add cpio writer (read back two ways) and command packing. */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include "../../vmm/boot.h"
#include "../../vmm/cpio_write.h"
#include "modvisor/cpio.h"

static char dir[64], err[512];

/* The host tree the --add tests read: dir/{a, link -> a, sub/b}. */
static void setup(void)
{
	char p[128];
	FILE *f;

	strcpy(dir, "/tmp/mv-cpio-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(p, sizeof(p), "%s/a", dir);
	f = fopen(p, "w");
	fputs("hello", f);
	fclose(f);
	chmod(p, 0640);
	snprintf(p, sizeof(p), "%s/sub", dir);
	mkdir(p, 0750);
	snprintf(p, sizeof(p), "%s/sub/b", dir);
	fclose(fopen(p, "w"));
	chmod(p, 0755);
	snprintf(p, sizeof(p), "%s/link", dir);
	ck_assert_int_eq(symlink("a", p), 0);
}

static void teardown(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	ck_assert_int_eq(system(cmd), 0);
}

START_TEST(tree_reads_back)
{
	static const struct { const char *name; unsigned mode; const char *data; } want[] = {
		{ "lib", 040755, "" }, { "lib/x", 040700, "" },
		{ "lib/x/a", 0100640, "hello" }, { "lib/x/link", 0120777, "a" },
		{ "lib/x/sub", 040750, "" }, { "lib/x/sub/b", 0100755, "" },
	};
	struct cpio_out o = { 0 };
	struct cpio_reader r;
	struct cpio_entry e;
	size_t i;

	ck_assert_int_eq(cpio_add_host(&o, dir, "/lib/x", err, sizeof(err)), 0);
	ck_assert_int_eq(cpio_finish(&o), 0);
	ck_assert_uint_eq(o.len % 4, 0);
	cpio_init(&r, o.data, o.len);
	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		ck_assert_int_eq(cpio_next(&r, &e), 1);
		ck_assert_str_eq(e.name, want[i].name);
		ck_assert_uint_eq(e.mode, want[i].mode);
		ck_assert_uint_eq(e.size, strlen(want[i].data));
		ck_assert(memcmp(e.data, want[i].data, e.size) == 0);
		ck_assert_uint_eq(e.uid, 0);
	}
	ck_assert_int_eq(cpio_next(&r, &e), 0);
	cpio_free(&o);
}
END_TEST

START_TEST(cpio_tool_agrees)
{
	struct cpio_out o = { 0 };
	char path[128], cmd[256], line[256], all[1024] = "";
	FILE *f, *p;

	ck_assert_int_eq(cpio_add_host(&o, dir, "/m", err, sizeof(err)), 0);
	ck_assert_int_eq(cpio_finish(&o), 0);
	snprintf(path, sizeof(path), "%s.cpio", dir);
	f = fopen(path, "w");
	ck_assert_uint_eq(fwrite(o.data, 1, o.len, f), o.len);
	fclose(f);
	snprintf(cmd, sizeof(cmd), "cpio -it --quiet < %s 2>&1", path);
	p = popen(cmd, "r");
	while (fgets(line, sizeof(line), p))
		strncat(all, line, sizeof(all) - strlen(all) - 1);
	ck_assert_int_eq(pclose(p), 0);
	unlink(path);
	ck_assert_str_eq(all, "m\nm/a\nm/link\nm/sub\nm/sub/b\n");
	cpio_free(&o);
}
END_TEST

START_TEST(single_file_gets_parents)
{
	struct cpio_out o = { 0 };
	struct cpio_reader r;
	struct cpio_entry e;
	char host[128];

	snprintf(host, sizeof(host), "%s/a", dir);
	ck_assert_int_eq(cpio_add_host(&o, host, "/lib/modules/mymod.ko", err, sizeof(err)), 0);
	ck_assert_int_eq(cpio_finish(&o), 0);
	cpio_init(&r, o.data, o.len);
	ck_assert_int_eq(cpio_next(&r, &e), 1);
	ck_assert_str_eq(e.name, "lib");
	ck_assert_int_eq(cpio_next(&r, &e), 1);
	ck_assert_str_eq(e.name, "lib/modules");
	ck_assert_int_eq(cpio_next(&r, &e), 1);
	ck_assert_str_eq(e.name, "lib/modules/mymod.ko");
	ck_assert_uint_eq(e.size, 5);
	cpio_free(&o);
}
END_TEST

START_TEST(missing_and_bad_paths)
{
	struct cpio_out o = { 0 };

	ck_assert_int_eq(cpio_add_host(&o, "/nonexistent/x.ko", "/x.ko", err, sizeof(err)),
			 -ENOENT);
	ck_assert_str_eq(err, "--add: /nonexistent/x.ko: No such file or directory");
	ck_assert_int_eq(cpio_add_host(&o, dir, "/lib/../etc", err, sizeof(err)), -EINVAL);
	ck_assert_ptr_nonnull(strstr(err, "contains '..'"));
	ck_assert_int_eq(cpio_add_host(&o, dir, "relative", err, sizeof(err)), -EINVAL);
	ck_assert_int_eq(cpio_add_host(&o, dir, "/", err, sizeof(err)), -EINVAL);
	ck_assert_int_eq(cpio_add_host(&o, dir, "/a//b", err, sizeof(err)), -EINVAL);
	ck_assert_int_eq(cpio_add_host(&o, dir, "/a/", err, sizeof(err)), -EINVAL);
	ck_assert_ptr_nonnull(strstr(err, "empty component"));
	ck_assert_uint_eq(o.len, 0);
	cpio_free(&o);
}
END_TEST

START_TEST(pack_commands)
{
	char *a[] = { "echo", "hi", NULL }, *b[] = { "true", NULL };
	struct boot_cmd cmds[] = { { 2, a }, { 1, b } };
	uint8_t out[64];
	static const uint8_t want[] = { 2, 0, 0, 0, 'e', 'c', 'h', 'o', 0, 'h', 'i', 0,
					1, 0, 0, 0, 't', 'r', 'u', 'e', 0 };

	ck_assert_int_eq(boot_pack_cmds(cmds, 2, out, sizeof(out)), sizeof(want));
	ck_assert(memcmp(out, want, sizeof(want)) == 0);
	ck_assert_int_eq(boot_pack_cmds(cmds, 2, out, sizeof(want) - 1), -E2BIG);
	ck_assert_int_eq(boot_pack_cmds(cmds, 2, out, 3), -E2BIG);
	ck_assert_int_eq(boot_pack_cmds(cmds, 0, out, 0), 0);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("vmm_boot");
	TCase *tc = tcase_create("cpio_write");
	SRunner *sr;
	int failed;

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, tree_reads_back);
	tcase_add_test(tc, cpio_tool_agrees);
	tcase_add_test(tc, single_file_gets_parents);
	tcase_add_test(tc, missing_and_bad_paths);
	tcase_add_test(tc, pack_commands);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
