/* test_vmm_rederive.c: the re-derivation as the VMM links it (vmm/authority/loader_env.c): SDK modules, their exports, the loader's reasons in why. */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <modvisor/abi/module.h>
#include "../../vmm/authority/rederive.h"
#include "check_main.h"

/*
 * The SDK's modules from build/images/modules (MV_BUILD overrides build),
 * with the VMM's loader environment: the same rederive.o as build/modvisor.
 * The corpus comparison with the hosted loader is test_rederive.c.
 */
#define CORE_VA 0xffffffffa0200000ull
#define INIT_VA 0xffffffffa0400000ull

static uint8_t *img;
static size_t img_len;
static struct rederive *rd;

static void load_image(const char *name)
{
	const char *build = getenv("MV_BUILD") ? getenv("MV_BUILD") : "build";
	char path[512];
	struct stat st;
	FILE *f;

	snprintf(path, sizeof(path), "%s/images/modules/%s", build, name);
	f = fopen(path, "rb");
	ck_assert_msg(f && fstat(fileno(f), &st) == 0, "%s: missing (make images)", path);
	img_len = (size_t)st.st_size;
	img = malloc(img_len);
	ck_assert(img && fread(img, 1, img_len, f) == img_len);
	fclose(f);
}

static void teardown(void)
{
	rederive_close(rd);
	rd = NULL;
	free(img);
	img = NULL;
}

/* Any value below the module area, as a kernel export would be. */
static int vet_kernel(void *ctx, const char *name, uint64_t value, bool weak,
		      struct rederive_why *why)
{
	(void)ctx;
	(void)weak;
	if (value < 0xffffffff80000000ull || value >= 0xffffffffa0000000ull) {
		snprintf(why->msg, sizeof(why->msg), "%s: 0x%llx is not in the kernel", name,
			 (unsigned long long)value);
		return -EKEYREJECTED;
	}
	return 0;
}

/* Open name, derive it at CORE_VA/INIT_VA with every import at a kernel address. */
static int open_and_derive(const char *name, uint64_t value, struct rederive_why *why)
{
	struct rederive_layout l = { .va = { CORE_VA, 0 } };
	struct rederive_symval vals[64];
	uint32_t nu;
	const struct rederive_undef *u;
	int err;

	load_image(name);
	err = rederive_open(img, img_len, name, &rd, why);
	if (err)
		return err;
	l.size[REDERIVE_CORE] = rederive_shape(rd, REDERIVE_CORE).size;
	l.size[REDERIVE_INIT] = rederive_shape(rd, REDERIVE_INIT).size;
	if (l.size[REDERIVE_INIT])
		l.va[REDERIVE_INIT] = INIT_VA;
	u = rederive_undefs(rd, &nu);
	ck_assert_uint_le(nu, 64);
	for (uint32_t k = 0; k < nu; k++)
		vals[k] = (struct rederive_symval){ u[k].index, value + 0x40 * k };
	return rederive_derive(rd, &l, vals, nu, vet_kernel, NULL, why);
}

struct seen {
	int n, gpl;
	bool add, calls, greeting;
};

static int note_export(void *ctx, const struct rederive_export *e)
{
	struct seen *s = ctx;

	s->n++;
	s->gpl += e->gpl_only;
	ck_assert_uint_ge(e->value, CORE_VA);
	ck_assert_uint_lt(e->value, CORE_VA + rederive_shape(rd, REDERIVE_CORE).size);
	s->add |= strcmp(e->name, "exporter_add") == 0 && !e->gpl_only;
	s->calls |= strcmp(e->name, "exporter_calls") == 0 && !e->gpl_only;
	s->greeting |= strcmp(e->name, "exporter_greeting") == 0 && e->gpl_only;
	return 0;
}

START_TEST(exports_of_a_derived_module)
{
	struct rederive_why why;
	struct seen s = { 0 };

	ck_assert_msg(open_and_derive("exporter.ko", 0xffffffff81000000ull, &why) == 0, "%s",
		      why.msg);
	ck_assert_int_eq(rederive_exports(rd, note_export, &s), 0);
	ck_assert_int_eq(s.n, 3);
	ck_assert_int_eq(s.gpl, 1);
	ck_assert(s.add && s.calls && s.greeting);
	ck_assert_ptr_nonnull(rederive_bytes(rd, REDERIVE_CORE));
}
END_TEST

START_TEST(vet_refusal_is_returned)
{
	struct rederive_why why;

	ck_assert_int_eq(open_and_derive("hello.ko", 0xffffffffa0300000ull, &why), -EKEYREJECTED);
	ck_assert_msg(strstr(why.msg, "is not in the kernel"), "%s", why.msg);
}
END_TEST

/* The loader's own reason (modenv_log) lands in why through loader_env.c. */
START_TEST(loader_reason_in_why)
{
	struct rederive_why why;

	ck_assert_int_eq(open_and_derive("bad-machine.ko", 0xffffffff81000000ull, &why), -ENOEXEC);
	ck_assert_msg(strstr(why.msg, "bad-machine.ko: not an x86-64 object"), "%s", why.msg);
	ck_assert_ptr_null(rd);
}
END_TEST

START_TEST(loader_reason_of_relocation)
{
	struct rederive_why why;

	/* It parses and lays out; its R_X86_64_32S of printk + 4 GiB cannot be relocated. */
	ck_assert_int_eq(open_and_derive("bad-reloc-overflow.ko", 0xffffffff81000000ull, &why),
			 -ENOEXEC);
	ck_assert_msg(strstr(why.msg, "value does not fit") || strstr(why.msg, "overflow"), "%s",
		      why.msg);
}
END_TEST

/* The allocated sections of name when loaded with finit_module flags. */
static uint32_t nsecs_with(const char *name, uint32_t flags, bool *has_versions)
{
	struct rederive_why why;
	const struct rederive_section *sec;
	uint32_t n;

	load_image(name);
	ck_assert_int_eq(rederive_open_flags(img, img_len, flags, name, &rd, &why), 0);
	sec = rederive_sections(rd, &n);
	*has_versions = false;
	for (uint32_t k = 0; k < n; k++)
		*has_versions |= strcmp(sec[k].name, "__versions") == 0;
	teardown();
	return n;
}

START_TEST(forced_load_flags_change_the_layout)
{
	bool v0, vmv, vvm;
	uint32_t n0 = nsecs_with("hello.ko", 0, &v0);
	uint32_t nmv = nsecs_with("hello.ko", MV_MODULE_INIT_IGNORE_MODVERSIONS, &vmv);
	uint32_t nvm = nsecs_with("hello.ko", MV_MODULE_INIT_IGNORE_VERMAGIC, &vvm);

	/* IGNORE_MODVERSIONS: Linux pretends there is no __versions section, so
	 * it stays allocated, as in the guest's layout; IGNORE_VERMAGIC alone
	 * changes no section. */
	ck_assert(!v0 && vmv && !vvm);
	ck_assert_uint_eq(nmv, n0 + 1);
	ck_assert_uint_eq(nvm, n0);
}
END_TEST

static Suite *vmm_rederive_suite(void)
{
	Suite *s = suite_create("vmm_rederive");
	TCase *c = tcase_create("sdk");

	tcase_add_checked_fixture(c, NULL, teardown);
	tcase_add_test(c, exports_of_a_derived_module);
	tcase_add_test(c, vet_refusal_is_returned);
	tcase_add_test(c, loader_reason_in_why);
	tcase_add_test(c, loader_reason_of_relocation);
	tcase_add_test(c, forced_load_flags_change_the_layout);
	suite_add_tcase(s, c);
	return s;
}

const struct unit_main unit_main = { vmm_rederive_suite, NULL };
