/* test_vmm_ldd.c: vmm/ldd.c finds what Debian's kmod and coreutils need, as ldd does, each file once. */
#include <check.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "../../vmm/ldd.h"
#include "check_main.h"

static struct ldd_list list;
static char err[2 * PATH_MAX];

/* host_of(guest): the host file the list puts at guest, or NULL. */
static const char *host_of(const char *guest)
{
	for (size_t i = 0; i < list.n; i++)
		if (!strcmp(list.v[i].guest, guest))
			return list.v[i].host;
	return NULL;
}

/* real(path): path with its symlinks resolved (static buffer). */
static const char *real(const char *path)
{
	static char buf[PATH_MAX];

	return realpath(path, buf) ? buf : "(none)";
}

START_TEST(kmod_as_ldd_finds_it)
{
	static const char *const libs[] = { "libzstd.so.1", "liblzma.so.5", "libcrypto.so.3",
					    "libc.so.6" };
	char g[PATH_MAX], h[PATH_MAX];
	struct stat st;

	ck_assert_int_eq(ldd_resolve("/usr/bin/kmod", "/bin/kmod", &list, err, sizeof(err)), 0);
	ck_assert_uint_eq(list.n, 6);           /* kmod, ld.so and 4 libraries: no duplicate */
	ck_assert_str_eq(host_of("/bin/kmod"), real("/usr/bin/kmod"));
	ck_assert_str_eq(host_of("/lib64/ld-linux-x86-64.so.2"),
			 real("/lib64/ld-linux-x86-64.so.2"));
	for (size_t i = 0; i < sizeof(libs) / sizeof(libs[0]); i++) {
		snprintf(g, sizeof(g), "%s/%s", LDD_GUEST_LIBDIR, libs[i]);
		snprintf(h, sizeof(h), "/lib/x86_64-linux-gnu/%s", libs[i]);
		ck_assert_msg(host_of(g), "%s missing", g);
		/* the file behind the symlink, so the guest gets a regular file */
		ck_assert_str_eq(host_of(g), real(h));
		ck_assert_int_eq(lstat(host_of(g), &st), 0);
		ck_assert(S_ISREG(st.st_mode));
	}
	/* libc's DT_NEEDED ld-linux-x86-64.so.2 is the linker itself: not copied again */
	ck_assert_ptr_null(host_of(LDD_GUEST_LIBDIR "/ld-linux-x86-64.so.2"));
	/* a second program adds only what is new: its own file */
	ck_assert_int_eq(ldd_resolve("/usr/bin/sha256sum", "/bin/sha256sum", &list, err,
				     sizeof(err)), 0);
	ck_assert_uint_eq(list.n, 7);
	ck_assert_str_eq(host_of("/bin/sha256sum"), real("/usr/bin/sha256sum"));
	ldd_list_free(&list);
}
END_TEST

START_TEST(static_program_is_alone)
{
	const char *bb = "/bin/busybox";

	ck_assert_int_eq(ldd_resolve(bb, "/bin/bb", &list, err, sizeof(err)), 0);
	ck_assert_uint_eq(list.n, 1);
	ck_assert_str_eq(list.v[0].guest, "/bin/bb");
	ldd_list_free(&list);
}
END_TEST

START_TEST(errors_name_the_file)
{
	ck_assert_int_eq(ldd_resolve("/nonexistent/prog", "/bin/p", &list, err, sizeof(err)),
			 -ENOENT);
	ck_assert_msg(strstr(err, "/nonexistent/prog: No such file"), "%s", err);
	ck_assert_int_eq(ldd_resolve("/etc/passwd", "/bin/p", &list, err, sizeof(err)), -ENOEXEC);
	ck_assert_msg(strstr(err, "/etc/passwd: not an ELF file"), "%s", err);
	ck_assert_uint_eq(list.n, 0);
	ldd_list_free(&list);
}
END_TEST

static Suite *unit_suite(void)
{
	Suite *s = suite_create("ldd");
	TCase *tc = tcase_create("resolve");

	tcase_add_test(tc, kmod_as_ldd_finds_it);
	tcase_add_test(tc, static_program_is_alone);
	tcase_add_test(tc, errors_name_the_file);
	suite_add_tcase(s, tc);
	return s;
}

const struct unit_main unit_main = { .suite = unit_suite };
