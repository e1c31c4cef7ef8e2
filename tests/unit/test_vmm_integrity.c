/* test_vmm_integrity.c: writes to read-only guest memory as violations (vmm/integrity.c), without KVM. */
#include <check.h>
#include <stdlib.h>
#include <string.h>
#include "../../vmm/authority/authority.h"
#include "../../vmm/integrity.h"
#include "../../vmm/vm.h"
#include "check_main.h"

#define RAM (16u << 20)
static struct vm vm;
static struct kvm_run run;

static int fake_set(int vm_fd, const struct kvm_userspace_memory_region *r)
{
	(void)vm_fd;
	(void)r;
	return 0;
}

/* A VM whose kernel text [2 MiB, 2 MiB + 64 KiB) the host made read-only. */
static void setup(void)
{
	memset(&vm, 0, sizeof(vm));
	vm.kvm_fd = vm.vm_fd = -1;
	vm.vcpu[0].fd = -1;
	ck_assert_int_eq(memslots_init(&vm.slots, -1, (uint8_t *)0x10000000, RAM, 100), 0);
	vm.slots.set = fake_set;
	ck_assert_int_eq(memslots_set_ro(&vm.slots, 2u << 20, 0x10000, true), 0);
	vm.integ = calloc(1, sizeof(*vm.integ));
	vm.integ->kro[0] = (struct kernel_ro){ 2u << 20, 0x10000 };
	vm.integ->nkro = 1;
	vm.integ->kernel_end = (2u << 20) + 0x20000;
}

static void teardown(void)
{
	integrity_free(&vm);
	memslots_free(&vm.slots);
}

static void mmio(uint64_t gpa, int write, uint32_t len)
{
	memset(&run, 0, sizeof(run));
	run.exit_reason = KVM_EXIT_MMIO;
	run.mmio.phys_addr = gpa;
	run.mmio.is_write = (uint8_t)write;
	run.mmio.len = len;
	memset(run.mmio.data, 0xcc, sizeof(run.mmio.data));
}

START_TEST(write_to_kernel_text_stops)
{
	mmio((2u << 20) + 0x10, 1, 4);
	vm_handle_exit(&vm, &run);
	ck_assert(vm.stopped);
	ck_assert_int_eq(vm.status, MV_EXIT_INTEGRITY);
	ck_assert_ptr_nonnull(strstr(vm.why, "integrity violation: write of 4 byte(s) to GPA 0x200010 "
				     "(kernel image)"));
	ck_assert_uint_eq(vm.integ->violations, 1);
}
END_TEST

/* Outside the protected pages an MMIO exit stays what it was: no RAM there. */
START_TEST(other_mmio_unchanged)
{
	mmio((2u << 20) + 0x10000, 1, 4);      /* the first writable byte after */
	ck_assert(!integrity_mmio(&vm, &run));
	mmio((2u << 20) + 0x10, 0, 4);         /* a read cannot exit for RAM; not ours */
	ck_assert(!integrity_mmio(&vm, &run));
	mmio(RAM, 1, 8);
	vm_handle_exit(&vm, &run);
	ck_assert_int_eq(vm.status, MV_EXIT_BAD_MMIO);
}
END_TEST

/* on_violation = log: the write is discarded and the vCPU resumes. */
START_TEST(log_only_resumes)
{
	vm.integ->log_only = true;
	mmio((2u << 20) + 0xfff8, 1, 8);
	vm_handle_exit(&vm, &run);
	ck_assert(!vm.stopped);
	ck_assert_uint_eq(vm.integ->violations, 1);
}
END_TEST

/* The module whose init runs is named; it is forgotten once it failed. */
START_TEST(names_the_module)
{
	integrity_note_event(&vm, 3, MV_MODEV_INIT_START, "wtext", 0);
	mmio(2u << 20, 1, 1);
	ck_assert(integrity_mmio(&vm, &run));
	ck_assert_ptr_nonnull(strstr(vm.why, "(module wtext's init (load_id 3))"));
	integrity_note_event(&vm, 3, MV_MODEV_INIT_FAULT, "wtext", 0);
	ck_assert_uint_eq(vm.integ->nmods, 0);
}
END_TEST

/* protect = on where KVM lacks KVM_CAP_READONLY_MEM: refused, naming the flag. */
START_TEST(protect_needs_readonly_mem)
{
	struct authority a;
	struct kernel_info ki = { 0 };
	struct vm v;

	memset(&a, 0, sizeof(a));
	policy_init(&a.policy);
	memset(&v, 0, sizeof(v));
	v.kvm_fd = -1;                  /* KVM_CHECK_EXTENSION fails: no capability */
	v.auth = &a;
	ck_assert_int_eq(integrity_run_open(&v, &ki, "/nonexistent"), -1);
	ck_assert_ptr_null(v.integ);
	a.policy.protect = false;
	ck_assert_int_eq(integrity_run_open(&v, &ki, "/nonexistent"), 0);
	ck_assert_ptr_null(v.integ);
	policy_free(&a.policy);
}
END_TEST

/* Symbols from the real kernel ELF; a cut file is refused, not read past. */
START_TEST(kernel_symbols)
{
	struct ksyms ks;
	uint8_t *buf;
	size_t len;
	char d[160];
	uint64_t printk = 0;

	ck_assert_int_eq(read_whole_file("build/images/kernel.elf", &buf, &len), 0);
	ck_assert_int_eq(ksyms_read(buf, len, &ks), 0);
	for (size_t i = 0; i < ks.nsym; i++)
		if (strcmp(ks.sym[i].name, "printk") == 0)
			printk = ks.sym[i].va;
	ck_assert_uint_ne(printk, 0);
	ck_assert_str_eq(ksyms_describe(&ks, printk, d, sizeof(d)), "printk+0x0 (.text)");
	ck_assert_ptr_nonnull(strstr(ksyms_describe(&ks, printk + 3, d, sizeof(d)), "+0x3 (.text)"));
	ck_assert_str_eq(ksyms_describe(&ks, 0x1000, d, sizeof(d)), "");
	ksyms_free(&ks);
	for (size_t cut = 0; cut < len; cut += len / 64 + 1) {
		if (ksyms_read(buf, cut, &ks) == 0)
			ksyms_free(&ks);
	}
	free(buf);
}
END_TEST

static Suite *unit_suite(void)
{
	Suite *s = suite_create("vmm_integrity");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, write_to_kernel_text_stops);
	tcase_add_test(tc, other_mmio_unchanged);
	tcase_add_test(tc, log_only_resumes);
	tcase_add_test(tc, names_the_module);
	tcase_add_test(tc, protect_needs_readonly_mem);
	tcase_add_test(tc, kernel_symbols);
	suite_add_tcase(s, tc);
	return s;
}

const struct unit_main unit_main = { .suite = unit_suite };
