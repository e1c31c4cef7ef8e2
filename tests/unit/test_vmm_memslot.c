/* test_vmm_memslot.c: splitting and merging KVM memory slots (vmm/memslot.c) against a model of KVM. */
#include <check.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "../../vmm/memslot.h"
#include "check_main.h"

#define MB (1ull << 20)
#define RAM (64 * MB)
#define NSLOTS 64

/* A model of KVM's slot table: refuses overlaps, as KVM does (EEXIST). */
static struct kvm_userspace_memory_region kvm[NSLOTS];
static int fail_after = -1;     /* fail the n-th add from now (ENOMEM), -1: never */
static uint8_t *host;

static int fake_set(int vm_fd, const struct kvm_userspace_memory_region *r)
{
	(void)vm_fd;
	ck_assert_uint_lt(r->slot, NSLOTS);
	if (r->memory_size == 0) {
		ck_assert_uint_ne(kvm[r->slot].memory_size, 0);     /* deletes an existing slot */
		kvm[r->slot].memory_size = 0;
		return 0;
	}
	if (fail_after == 0)
		return fail_after = -1, -ENOMEM;
	if (fail_after > 0)
		fail_after--;
	ck_assert_uint_eq(kvm[r->slot].memory_size, 0);
	for (int i = 0; i < NSLOTS; i++)
		if (kvm[i].memory_size && r->guest_phys_addr < kvm[i].guest_phys_addr + kvm[i].memory_size &&
		    kvm[i].guest_phys_addr < r->guest_phys_addr + r->memory_size)
			return -EEXIST;
	ck_assert_uint_eq(r->userspace_addr, (uintptr_t)(host + r->guest_phys_addr));
	kvm[r->slot] = *r;
	return 0;
}

/* The model's slots tile RAM and agree with ms, page by page (sampled per 4 KiB). */
static void check_model(const struct memslots *ms)
{
	uint64_t covered = 0;

	for (int i = 0; i < NSLOTS; i++)
		covered += kvm[i].memory_size;
	ck_assert_uint_eq(covered, RAM);
	for (uint32_t i = 0; i < ms->n; i++) {
		const struct kvm_userspace_memory_region *k = &kvm[ms->r[i].slot];
		ck_assert_uint_eq(k->guest_phys_addr, ms->r[i].gpa);
		ck_assert_uint_eq(k->memory_size, ms->r[i].len);
		ck_assert_uint_eq(!!(k->flags & KVM_MEM_READONLY), ms->r[i].ro);
		if (i)  /* sorted, adjacent, and never two alike side by side */
			ck_assert(ms->r[i - 1].gpa + ms->r[i - 1].len == ms->r[i].gpa &&
				  ms->r[i - 1].ro != ms->r[i].ro);
	}
}

static struct memslots ms;

static void setup(void)
{
	memset(kvm, 0, sizeof(kvm));
	host = (uint8_t *)(uintptr_t)0x7f0000000000ull;     /* never dereferenced */
	kvm[0] = (struct kvm_userspace_memory_region){ .slot = 0, .memory_size = RAM,
						       .userspace_addr = (uintptr_t)host };
	ck_assert_int_eq(memslots_init(&ms, -1, host, RAM, NSLOTS), 0);
	ms.set = fake_set;
	fail_after = -1;
}

static void teardown(void)
{
	memslots_free(&ms);
}

START_TEST(split_and_merge)
{
	ck_assert_int_eq(memslots_set_ro(&ms, 2 * MB, 0x6b000, true), 0);
	ck_assert_uint_eq(ms.n, 3);
	ck_assert(memslots_ro_at(&ms, 2 * MB));
	ck_assert(memslots_ro_at(&ms, 2 * MB + 0x6afff));
	ck_assert(!memslots_ro_at(&ms, 2 * MB + 0x6b000));
	ck_assert(!memslots_ro_at(&ms, 2 * MB - 1));
	check_model(&ms);
	/* Adjacent: merges into one read-only slot. */
	ck_assert_int_eq(memslots_set_ro(&ms, 2 * MB + 0x6b000, 0x1000, true), 0);
	ck_assert_uint_eq(ms.n, 3);
	check_model(&ms);
	/* A hole in the middle, then closed again. */
	ck_assert_int_eq(memslots_set_ro(&ms, 2 * MB + 0x10000, 0x1000, false), 0);
	ck_assert_uint_eq(ms.n, 5);
	ck_assert(!memslots_ro_at(&ms, 2 * MB + 0x10000));
	check_model(&ms);
	ck_assert_int_eq(memslots_set_ro(&ms, 2 * MB + 0x10000, 0x1000, true), 0);
	ck_assert_uint_eq(ms.n, 3);
	check_model(&ms);
	/* Everything writable again: back to one slot. */
	ck_assert_int_eq(memslots_set_ro(&ms, 0, RAM, false), 0);
	ck_assert_uint_eq(ms.n, 1);
	check_model(&ms);
	/* At the very start and the very end of RAM. */
	ck_assert_int_eq(memslots_set_ro(&ms, 0, 0x1000, true), 0);
	ck_assert_int_eq(memslots_set_ro(&ms, RAM - 0x1000, 0x1000, true), 0);
	ck_assert_uint_eq(ms.n, 3);
	ck_assert_uint_eq(memslots_count(&ms, true), 2);
	check_model(&ms);
	/* Spanning several ranges at once. */
	ck_assert_int_eq(memslots_set_ro(&ms, 0, RAM, true), 0);
	ck_assert_uint_eq(ms.n, 1);
	check_model(&ms);
}
END_TEST

START_TEST(bad_ranges)
{
	uint64_t before = ms.ioctls;

	ck_assert_int_eq(memslots_set_ro(&ms, 0x800, 0x1000, true), -EINVAL);
	ck_assert_int_eq(memslots_set_ro(&ms, 0x1000, 0x800, true), -EINVAL);
	ck_assert_int_eq(memslots_set_ro(&ms, 0x1000, 0, true), -EINVAL);
	ck_assert_int_eq(memslots_set_ro(&ms, RAM, 0x1000, true), -EINVAL);
	ck_assert_int_eq(memslots_set_ro(&ms, RAM - 0x1000, 0x2000, true), -EINVAL);
	ck_assert_int_eq(memslots_set_ro(&ms, UINT64_MAX - 0xfff, 0x1000, true), -EINVAL);
	ck_assert_uint_eq(ms.ioctls, before);
	ck_assert_uint_eq(ms.n, 1);
}
END_TEST

/* Past KVM's slot limit: ENOSPC and nothing touched. */
START_TEST(slot_limit)
{
	uint64_t gpa;
	int ret = 0;

	ms.max = 9;
	for (gpa = 0x10000; ret == 0; gpa += 0x10000)
		ret = memslots_set_ro(&ms, gpa, 0x1000, true);
	ck_assert_int_eq(ret, -ENOSPC);
	ck_assert_uint_eq(ms.n, 9);
	check_model(&ms);
}
END_TEST

/* A failed add puts the old slots back: the guest never sees a hole. */
START_TEST(rollback)
{
	ck_assert_int_eq(memslots_set_ro(&ms, 4 * MB, 0x4000, true), 0);
	fail_after = 1;                 /* the second add of the next change fails */
	ck_assert_int_eq(memslots_set_ro(&ms, 8 * MB, 0x4000, true), -ENOMEM);
	ck_assert_uint_eq(ms.n, 3);
	ck_assert(!memslots_ro_at(&ms, 8 * MB));
	check_model(&ms);
}
END_TEST

static Suite *unit_suite(void)
{
	Suite *s = suite_create("vmm_memslot");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, split_and_merge);
	tcase_add_test(tc, bad_ranges);
	tcase_add_test(tc, slot_limit);
	tcase_add_test(tc, rollback);
	suite_add_tcase(s, tc);
	return s;
}

const struct unit_main unit_main = { .suite = unit_suite };
