/* test_vmm_seal.c: the checks of a seal request and the sealing of its pages (vmm/seal.c). */
#include <check.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "../../vmm/seal.h"
#include "check_main.h"

#define MB (1ull << 20)
#define RAM (64 * MB)
#define REGION (4 * MB)         /* the module region: [4 MiB, 8 MiB) */
#define VA 0xffffffffa0000000ull

static uint8_t *host;
static int sets;
static struct memslots ms;
static struct seals s;
static char why[320];

/* KVM as far as these tests need it: every slot change succeeds. */
static int fake_set(int vm_fd, const struct kvm_userspace_memory_region *r)
{
	(void)vm_fd;
	(void)r;
	sets++;
	return 0;
}

static void setup(void)
{
	host = calloc(1, 4096);
	ck_assert_int_eq(memslots_init(&ms, -1, host, RAM, 64), 0);
	ms.set = fake_set;
	memset(&s, 0, sizeof(s));
	s.region_gpa = REGION;
	s.region_len = 4 * MB;
	why[0] = '\0';
}

static void teardown(void)
{
	seals_free(&s);
	memslots_free(&ms);
	free(host);
}

/* A module at GPA 5 MiB: core 4 pages (text 1, rodata 1, ro_after_init 1, data 1), init 2. */
static struct mv_hc_module_seal request(void)
{
	struct mv_hc_module_seal a = { .load_id = 3, .nsections = 4 };

	a.core = (struct mv_seal_region){ .gpa = 5 * MB, .va = VA, .size = 0x4000,
					  .text_end = 0x1000, .ro_end = 0x2000,
					  .ro_after_init_end = 0x3000 };
	a.init = (struct mv_seal_region){ .gpa = 6 * MB, .va = VA + 0x10000, .size = 0x2000,
					  .text_end = 0x1000, .ro_end = 0x1000,
					  .ro_after_init_end = 0x1000 };
	return a;
}

static const struct mv_seal_section secs[4] = {
	{ .gpa = 5 * MB, .va = VA, .size = 0x80, .shndx = 2, .perms = MV_SEAL_R | MV_SEAL_X },
	{ .gpa = 5 * MB + 0x1000, .va = VA + 0x1000, .size = 0x10, .shndx = 4, .perms = MV_SEAL_R },
	{ .gpa = 0, .va = VA + 0x1010, .size = 0, .shndx = 5, .perms = MV_SEAL_R },
	{ .gpa = 6 * MB, .va = VA + 0x10000, .size = 0x20, .shndx = 7,
	  .perms = MV_SEAL_R | MV_SEAL_X },
};

START_TEST(regions_accepted_and_refused)
{
	struct mv_hc_module_seal a = request();

	ck_assert_int_eq(seal_check_regions(&s, &a, why, sizeof(why)), 0);
	a.init = (struct mv_seal_region){ 0 };          /* no init region */
	ck_assert_int_eq(seal_check_regions(&s, &a, why, sizeof(why)), 0);
	a = request();
	a.core.gpa += 8;
	ck_assert_int_eq(seal_check_regions(&s, &a, why, sizeof(why)), -EINVAL);
	ck_assert_ptr_nonnull(strstr(why, "core region: an address or size is not page-aligned"));
	a = request();
	a.core.ro_end = 0x4000 + 0x1000;
	ck_assert_int_eq(seal_check_regions(&s, &a, why, sizeof(why)), -EINVAL);
	ck_assert_ptr_nonnull(strstr(why, "out of order"));
	a = request();
	a.core.gpa = 2 * MB;                            /* the kernel's, not the module region */
	ck_assert_int_eq(seal_check_regions(&s, &a, why, sizeof(why)), -EINVAL);
	ck_assert_ptr_nonnull(strstr(why, "core region: GPA [0x200000, +0x4000) is outside the "
				     "module region [0x400000, 0x800000)"));
	a = request();
	a.init.gpa = 8 * MB - 0x1000;                   /* runs past the region's end */
	ck_assert_int_eq(seal_check_regions(&s, &a, why, sizeof(why)), -EINVAL);
	ck_assert_ptr_nonnull(strstr(why, "init region: GPA"));
	a = request();
	a.core.gpa = UINT64_MAX - 0xfff;                /* wraps */
	ck_assert_int_eq(seal_check_regions(&s, &a, why, sizeof(why)), -EINVAL);
	a = request();
	a.init.gpa = a.core.gpa + 0x1000;
	ck_assert_int_eq(seal_check_regions(&s, &a, why, sizeof(why)), -EINVAL);
	ck_assert_ptr_nonnull(strstr(why, "the core and init regions overlap"));
	a = request();
	a.core.size = 0;
	ck_assert_int_eq(seal_check_regions(&s, &a, why, sizeof(why)), -EINVAL);
}
END_TEST

/* Another module's sealed pages cannot be claimed. */
START_TEST(regions_of_sealed_modules_are_taken)
{
	struct mv_hc_module_seal a = request();
	struct seal_mod m = { .load_id = 2, .name = "other", .core = a.core };

	ck_assert_int_eq(seal_add(&s, &m), 0);
	ck_assert_int_eq(seal_check_regions(&s, &a, why, sizeof(why)), -EINVAL);
	ck_assert_ptr_nonnull(strstr(why, "core region GPA [0x500000, +0x4000) overlaps the core "
				     "region GPA [0x500000, +0x4000) of sealed module other "
				     "(load_id 2)"));
	a.core.gpa = 7 * MB;
	a.core.va = VA + 0x100000;
	ck_assert_int_eq(seal_check_regions(&s, &a, why, sizeof(why)), 0);
	a.init.gpa = 5 * MB + 0x2000;                   /* init on the other's core */
	ck_assert_int_eq(seal_check_regions(&s, &a, why, sizeof(why)), -EINVAL);
	ck_assert_ptr_nonnull(strstr(why, "init region GPA [0x502000, +0x2000) overlaps the core "
				     "region GPA"));
}
END_TEST

/* Apart in guest-physical memory is not enough: the virtual ranges must be apart too. */
START_TEST(virtual_ranges_of_sealed_modules_are_taken)
{
	struct mv_hc_module_seal a = request();
	struct seal_mod m = { .load_id = 2, .name = "other", .core = a.core, .init = a.init,
			      .init_sealed = true };

	ck_assert_int_eq(seal_add(&s, &m), 0);
	a.core.gpa = 7 * MB;                            /* the same VAs, other pages */
	a.init.gpa = 7 * MB + 0x8000;
	ck_assert_int_eq(seal_check_regions(&s, &a, why, sizeof(why)), -EINVAL);
	ck_assert_str_eq(why, "core region VA [0xffffffffa0000000, +0x4000) overlaps the core "
			 "region VA [0xffffffffa0000000, +0x4000) of sealed module other (load_id 2)");
	a.core.va = VA + 0x3000;                        /* one page in common */
	ck_assert_int_eq(seal_check_regions(&s, &a, why, sizeof(why)), -EINVAL);
	a.core.va = VA + 0x4000;                        /* core apart, init still on its init */
	ck_assert_int_eq(seal_check_regions(&s, &a, why, sizeof(why)), -EINVAL);
	ck_assert_ptr_nonnull(strstr(why, "init region VA [0xffffffffa0010000, +0x2000) overlaps "
				     "the init region VA [0xffffffffa0010000, +0x2000) of sealed "
				     "module other"));
	a.init.va = VA + 0x11000;                       /* core on the other's sealed init */
	a.core.va = VA + 0x10000 - 0x3000;
	ck_assert_int_eq(seal_check_regions(&s, &a, why, sizeof(why)), -EINVAL);
	ck_assert_ptr_nonnull(strstr(why, "core region VA [0xffffffffa000d000, +0x4000) overlaps "
				     "the init region VA"));
	s.mods[0].init_sealed = false;                  /* its init was given back */
	a.init.va = VA + 0x20000;
	ck_assert_int_eq(seal_check_regions(&s, &a, why, sizeof(why)), 0);
	a.init.va = VA + 0x10000;
	a.core.va = VA + 0x20000;
	ck_assert_int_eq(seal_check_regions(&s, &a, why, sizeof(why)), 0);
}
END_TEST

/* No region may lie in the kernel image's virtual range. */
START_TEST(virtual_range_of_the_kernel_is_taken)
{
	struct mv_hc_module_seal a = request();

	s.kernel_end = 0x400000;                        /* the image ends at GPA 4 MiB */
	ck_assert_int_eq(seal_check_regions(&s, &a, why, sizeof(why)), 0);
	a.core.va = 0xffffffff80200000ull;              /* the kernel's text */
	ck_assert_int_eq(seal_check_regions(&s, &a, why, sizeof(why)), -EINVAL);
	ck_assert_str_eq(why, "core region VA [0xffffffff80200000, +0x4000) overlaps the kernel "
			 "image VA [0xffffffff80000000, +0x400000)");
	a = request();
	a.init.va = 0xffffffff803ff000ull;              /* its last page */
	ck_assert_int_eq(seal_check_regions(&s, &a, why, sizeof(why)), -EINVAL);
	ck_assert_ptr_nonnull(strstr(why, "init region VA [0xffffffff803ff000, +0x2000) overlaps "
				     "the kernel image"));
	a.init.va = 0xffffffff80400000ull;              /* just past it */
	ck_assert_int_eq(seal_check_regions(&s, &a, why, sizeof(why)), 0);
	s.kernel_end = UINT64_MAX;                      /* would wrap: covers the rest */
	ck_assert_int_eq(seal_check_regions(&s, &a, why, sizeof(why)), -EINVAL);
}
END_TEST

/* An export list for a test module. */
static void exports(struct seal_mod *m, const char *a, const char *b)
{
	m->exports = calloc(2, sizeof(*m->exports));
	m->exports[0] = (struct seal_export){ .name = strdup(a), .value = VA + 0x40 };
	m->nexports = 1;
	if (b)
		m->exports[m->nexports++] = (struct seal_export){ .name = strdup(b), .value = VA + 0x80 };
}

static bool kernel_exports_printk(void *ctx, const char *name)
{
	(*(int *)ctx)++;
	return strcmp(name, "printk") == 0;
}

/* A name the kernel or a sealed module exports already is ENOEXEC, as in Linux. */
START_TEST(duplicate_exports_refused)
{
	struct seal_mod first = { .load_id = 2, .name = "exporter" };
	struct seal_mod next = { .load_id = 3, .name = "again" };
	uint64_t v = 0;
	int asked = 0;

	exports(&first, "exp_fn", "exp_data");
	ck_assert_int_eq(seal_check_exports(&s, &first, kernel_exports_printk, &asked, why,
					    sizeof(why)), 0);
	ck_assert_int_eq(asked, 2);
	ck_assert_int_eq(seal_add(&s, &first), 0);
	exports(&next, "next_fn", "exp_data");
	ck_assert_int_eq(seal_check_exports(&s, &next, kernel_exports_printk, &asked, why,
					    sizeof(why)), -ENOEXEC);
	ck_assert_str_eq(why, "exports duplicate symbol exp_data (owned by exporter, load_id 2)");
	ck_assert_int_eq(seal_check_exports(&s, &next, NULL, NULL, why, sizeof(why)), -ENOEXEC);
	free(next.exports[1].name);
	next.exports[1].name = strdup("printk");
	ck_assert_int_eq(seal_check_exports(&s, &next, kernel_exports_printk, &asked, why,
					    sizeof(why)), -ENOEXEC);
	ck_assert_str_eq(why, "exports duplicate symbol printk (owned by kernel)");
	ck_assert_int_eq(seal_check_exports(&s, &next, NULL, NULL, why, sizeof(why)), 0);
	ck_assert_int_eq(seal_export_value(&s, "exp_data", &v), 0);
	ck_assert_uint_eq(v, VA + 0x80);
	seal_mod_free(&next);
}
END_TEST

START_TEST(sections_checked)
{
	struct mv_hc_module_seal a = request();
	struct mv_seal_section x[4];

	memcpy(x, secs, sizeof(x));
	ck_assert_int_eq(seal_check_sections(&a, x, why, sizeof(why)), 0);
	x[1].gpa += 0x1000;                             /* GPA and VA disagree */
	ck_assert_int_eq(seal_check_sections(&a, x, why, sizeof(why)), -EINVAL);
	ck_assert_ptr_nonnull(strstr(why, "section 1 (index 4): GPA 0x502000 does not match"));
	memcpy(x, secs, sizeof(x));
	x[0].va = VA + 0x3ff0;                          /* runs out of the core region */
	x[0].gpa = 5 * MB + 0x3ff0;
	ck_assert_int_eq(seal_check_sections(&a, x, why, sizeof(why)), -EINVAL);
	ck_assert_ptr_nonnull(strstr(why, "lies in neither region"));
	memcpy(x, secs, sizeof(x));
	x[3].va = VA + 0x20000;                         /* nowhere */
	ck_assert_int_eq(seal_check_sections(&a, x, why, sizeof(why)), -EINVAL);
}
END_TEST

/* Seal, ro_after_init after init, unseal: exactly the module's pages change. */
START_TEST(lock_after_init_unlock)
{
	struct mv_hc_module_seal a = request();
	struct seal_mod m = { .load_id = 3, .core = a.core, .init = a.init };

	ck_assert_int_eq(seal_lock(&ms, &m, why, sizeof(why)), 0);
	ck_assert(memslots_ro_at(&ms, 5 * MB));
	ck_assert(memslots_ro_at(&ms, 5 * MB + 0x1fff));
	ck_assert(!memslots_ro_at(&ms, 5 * MB + 0x2000));       /* ro_after_init: not yet */
	ck_assert(!memslots_ro_at(&ms, 5 * MB - 1));
	ck_assert(memslots_ro_at(&ms, 6 * MB));                 /* init text */
	ck_assert(!memslots_ro_at(&ms, 6 * MB + 0x1000));       /* init data */
	ck_assert_int_eq(seal_after_init(&ms, &m, why, sizeof(why)), 0);
	ck_assert(memslots_ro_at(&ms, 5 * MB + 0x2fff));
	ck_assert(!memslots_ro_at(&ms, 5 * MB + 0x3000));       /* data stays writable */
	ck_assert(!memslots_ro_at(&ms, 6 * MB));                /* init given back */
	ck_assert_uint_eq(memslots_count(&ms, true), 1);        /* one merged read-only slot */
	ck_assert_int_eq(seal_unlock(&ms, &m, why, sizeof(why)), 0);
	ck_assert_uint_eq(memslots_count(&ms, true), 0);
	ck_assert_uint_eq(ms.n, 1);
}
END_TEST

/* Out of memslots: ENOMEM, a named reason, and nothing half-sealed. */
START_TEST(lock_exhausted_leaves_nothing)
{
	struct mv_hc_module_seal a = request();
	struct seal_mod m = { .load_id = 3, .core = a.core, .init = a.init };

	ms.max = 2;             /* not even the core's split (3 slots) fits */
	ck_assert_int_eq(seal_lock(&ms, &m, why, sizeof(why)), -ENOMEM);
	ck_assert_str_eq(why, "memslots exhausted: KVM_CAP_NR_MEMSLOTS (2) reached");
	ck_assert_uint_eq(ms.n, 1);
	ms.max = 4;             /* the core fits (3), the init (5) does not: the core is undone */
	ck_assert_int_eq(seal_lock(&ms, &m, why, sizeof(why)), -ENOMEM);
	ck_assert_uint_eq(ms.n, 1);
	ck_assert(!memslots_ro_at(&ms, 5 * MB));
	ck_assert(!m.init_sealed);
	ms.max = 5;
	ck_assert_int_eq(seal_lock(&ms, &m, why, sizeof(why)), 0);
	ck_assert_uint_eq(ms.n, 5);
}
END_TEST

/* A violation's target: module, section and offset. */
START_TEST(describe_names_section_and_offset)
{
	struct mv_hc_module_seal a = request();
	struct seal_mod m = { .load_id = 3, .name = "hello", .core = a.core, .init = a.init,
			      .init_sealed = true };
	char out[200];

	m.secs = calloc(2, sizeof(*m.secs));
	m.secs[0] = (struct seal_section){ .gpa = 5 * MB, .size = 0x80, .name = ".text" };
	m.secs[1] = (struct seal_section){ .gpa = 5 * MB + 0x1000, .size = 0x10, .name = ".rodata" };
	m.nsecs = 2;
	m.exports = calloc(1, sizeof(*m.exports));
	m.exports[0] = (struct seal_export){ .name = strdup("hello_fn"), .value = VA + 0x40 };
	m.nexports = 1;
	ck_assert_int_eq(seal_add(&s, &m), 0);
	ck_assert(seal_describe(&s, 5 * MB + 0x10, out, sizeof(out)));
	ck_assert_str_eq(out, "module hello .text+0x10 (load_id 3)");
	ck_assert(seal_describe(&s, 5 * MB + 0x100f, out, sizeof(out)));
	ck_assert_str_eq(out, "module hello .rodata+0xf (load_id 3)");
	ck_assert(seal_describe(&s, 5 * MB + 0x900, out, sizeof(out)));
	ck_assert_str_eq(out, "module hello core region+0x900, between sections (load_id 3)");
	ck_assert(seal_describe(&s, 6 * MB + 4, out, sizeof(out)));
	ck_assert(!seal_describe(&s, 7 * MB, out, sizeof(out)));
	uint64_t v = 0;
	ck_assert_int_eq(seal_export_value(&s, "hello_fn", &v), 0);
	ck_assert_uint_eq(v, VA + 0x40);
	ck_assert_int_eq(seal_export_value(&s, "other_fn", &v), -ENOENT);
	seal_remove(&s, 3);
	ck_assert(!seal_describe(&s, 5 * MB + 0x10, out, sizeof(out)));
	ck_assert_int_eq(seal_export_value(&s, "hello_fn", &v), -ENOENT);
}
END_TEST

static Suite *unit_suite(void)
{
	Suite *su = suite_create("vmm_seal");
	TCase *tc = tcase_create("seal");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, regions_accepted_and_refused);
	tcase_add_test(tc, regions_of_sealed_modules_are_taken);
	tcase_add_test(tc, virtual_ranges_of_sealed_modules_are_taken);
	tcase_add_test(tc, virtual_range_of_the_kernel_is_taken);
	tcase_add_test(tc, duplicate_exports_refused);
	tcase_add_test(tc, sections_checked);
	tcase_add_test(tc, lock_after_init_unlock);
	tcase_add_test(tc, lock_exhausted_leaves_nothing);
	tcase_add_test(tc, describe_names_section_and_offset);
	suite_add_tcase(su, tc);
	return su;
}

const struct unit_main unit_main = { .suite = unit_suite };
