/* test_vmm_hc.c: the hypercall dispatcher and handlers against a VM without KVM. */
#include <check.h>
#include <stdlib.h>
#include <string.h>
#include "../../vmm/hypercall.h"
#include "check_main.h"

#define RAM (1u << 20)
static struct vm vm;

static void setup(void)
{
	memset(&vm, 0, sizeof(vm));
	vm.mem.host = calloc(1, RAM);
	vm.mem.size = RAM;
	ck_assert_int_eq(hc_init(), 0);
}

static void teardown(void)
{
	free(vm.mem.host);
}

/* put(gpa, p, n): copy a struct into guest RAM. */
static void put(uint64_t gpa, const void *p, size_t n)
{
	memcpy(vm.mem.host + gpa, p, n);
}

#define HDR(type) { MV_ABI_VERSION, sizeof(type), 7, 0 }

START_TEST(registered)
{
	ck_assert_ptr_nonnull(hc_lookup(MV_HC_CONSOLE));
	ck_assert_str_eq(hc_lookup(MV_HC_EXIT)->name, "MV_HC_EXIT");
	ck_assert_uint_eq(hc_lookup(MV_HC_FAULT)->size, sizeof(struct mv_hc_fault));
	ck_assert_ptr_nonnull(hc_lookup(MV_HC_NOP));
	ck_assert_ptr_null(hc_lookup(31));
	ck_assert_ptr_null(hc_lookup(1000));
	ck_assert_int_eq(hc_init(), 0);     /* idempotent */
}
END_TEST

START_TEST(nop_writes_out_fields)
{
	struct mv_hc_nop a = { HDR(struct mv_hc_nop) };

	put(0x1000, &a, sizeof(a));
	ck_assert_int_eq(hc_dispatch(&vm, MV_HC_NOP, 0x1000), HC_CONTINUE);
	memcpy(&a, vm.mem.host + 0x1000, sizeof(a));
	ck_assert_int_eq(a.hdr.ret, 0);
	ck_assert_uint_eq(vm.hypercalls[MV_HC_NOP], 1);
	ck_assert(!vm.stopped);
}
END_TEST

START_TEST(exit_status)
{
	struct mv_hc_exit a = { HDR(struct mv_hc_exit), 300, 0 };

	put(0x2000, &a, sizeof(a));
	ck_assert_int_eq(hc_dispatch(&vm, MV_HC_EXIT, 0x2000), HC_STOP);
	ck_assert(vm.stopped);
	ck_assert_int_eq(vm.status, 300 & 0xff);
	ck_assert_str_eq(vm.why, "");
}
END_TEST

START_TEST(unknown_number)
{
	ck_assert_int_eq(hc_dispatch(&vm, 17, 0x1000), HC_STOP);
	ck_assert_int_eq(vm.status, MV_EXIT_HC_UNKNOWN);
	ck_assert_ptr_nonnull(strstr(vm.why, "unknown hypercall 17 (port 0x511)"));
}
END_TEST

START_TEST(struct_outside_ram)
{
	ck_assert_int_eq(hc_dispatch(&vm, MV_HC_NOP, RAM - 8), HC_STOP);
	ck_assert_int_eq(vm.status, MV_EXIT_HC_BAD_GPA);
	ck_assert_ptr_nonnull(strstr(vm.why, "MV_HC_NOP: bad GPA 0xffff8 len 0x10"));
}
END_TEST

START_TEST(bad_version_and_size)
{
	struct mv_hc_nop a = { { 99, sizeof(a), 0, 0 } };

	put(0x1000, &a, sizeof(a));
	ck_assert_int_eq(hc_dispatch(&vm, MV_HC_NOP, 0x1000), HC_STOP);
	ck_assert_int_eq(vm.status, MV_EXIT_HC_BAD_HDR);
	ck_assert_ptr_nonnull(strstr(vm.why, "abi_version 99"));
	memset(&vm.stopped, 0, sizeof(vm.stopped));
	vm.why[0] = '\0';
	a.hdr.abi_version = MV_ABI_VERSION;
	a.hdr.size = 17;
	put(0x1000, &a, sizeof(a));
	ck_assert_int_eq(hc_dispatch(&vm, MV_HC_NOP, 0x1000), HC_STOP);
	ck_assert_ptr_nonnull(strstr(vm.why, "header size 17 at GPA 0x1000, expected 16"));
}
END_TEST

START_TEST(console_checks)
{
	struct mv_hc_console a = { HDR(struct mv_hc_console), 0x3000, 0, 1 };

	put(0x1000, &a, sizeof(a));
	ck_assert_int_eq(hc_dispatch(&vm, MV_HC_CONSOLE, 0x1000), HC_CONTINUE);
	ck_assert_int_eq(((struct mv_hc_console *)(vm.mem.host + 0x1000))->hdr.ret, 0);

	a.stream = 3;
	put(0x1000, &a, sizeof(a));
	ck_assert_int_eq(hc_dispatch(&vm, MV_HC_CONSOLE, 0x1000), HC_STOP);
	ck_assert_int_eq(vm.status, MV_EXIT_HC_BAD_ARG);
}
END_TEST

START_TEST(console_buf_overflow)
{
	struct mv_hc_console a = { HDR(struct mv_hc_console), UINT64_MAX - 3, 16, 1 };

	put(0x1000, &a, sizeof(a));
	ck_assert_int_eq(hc_dispatch(&vm, MV_HC_CONSOLE, 0x1000), HC_STOP);
	ck_assert_int_eq(vm.status, MV_EXIT_HC_BAD_GPA);
	ck_assert_ptr_nonnull(strstr(vm.why, "GPA + len overflows"));
}
END_TEST

START_TEST(console_len_limit)
{
	struct mv_hc_console a = { HDR(struct mv_hc_console), 0, MV_CONSOLE_MAX + 1, 2 };

	put(0x1000, &a, sizeof(a));
	ck_assert_int_eq(hc_dispatch(&vm, MV_HC_CONSOLE, 0x1000), HC_STOP);
	ck_assert_int_eq(vm.status, MV_EXIT_HC_BAD_ARG);
}
END_TEST

START_TEST(first_stop_wins)
{
	vm_fail(&vm, MV_EXIT_BAD_IO, "first");
	vm_fail(&vm, MV_EXIT_BAD_MMIO, "second");
	vm_stop(&vm, 0);
	ck_assert_int_eq(vm.status, MV_EXIT_BAD_IO);
	ck_assert_str_eq(vm.why, "first");
}
END_TEST

/* Without an authority nothing was allowed, so every event is refused (no log to write). */
START_TEST(module_event_init_start)
{
	struct mv_hc_module_event a = { .hdr = HDR(struct mv_hc_module_event), .load_id = 1,
					.event = MV_MODEV_INIT_START };
	static uint8_t page[4096];

	vm.vcpu[0].run = (struct kvm_run *)page;
	put(0x1000, &a, sizeof(a));
	ck_assert_int_eq(hc_dispatch(&vm, MV_HC_MODULE_EVENT, 0x1000), HC_STOP);
	ck_assert_int_eq(vm.status, MV_EXIT_HC_BAD_ARG);
	ck_assert_ptr_nonnull(strstr(vm.why, "load_id 1: this VM has no module authority"));
}
END_TEST

/* Without an authority every load is denied EPERM, and the guest is told why (issue 16). */
START_TEST(module_load_no_authority_reason)
{
	struct mv_hc_module_load a = { .hdr = HDR(struct mv_hc_module_load),
				       .source = MV_MODSRC_INIT_MODULE };

	put(0x1000, &a, sizeof(a));
	ck_assert_int_eq(hc_dispatch(&vm, MV_HC_MODULE_LOAD, 0x1000), HC_CONTINUE);
	memcpy(&a, vm.mem.host + 0x1000, sizeof(a));
	ck_assert_uint_eq(a.verdict, MV_VERDICT_DENY);
	ck_assert_int_eq(a.verdict_errno, 1);   /* EPERM */
	ck_assert_str_eq(a.reason, "this VM has no module authority");
}
END_TEST

START_TEST(exit_names)
{
	ck_assert_str_eq(vm_exit_name(KVM_EXIT_IO), "KVM_EXIT_IO");
	ck_assert_str_eq(vm_exit_name(KVM_EXIT_INTERNAL_ERROR), "KVM_EXIT_INTERNAL_ERROR");
	ck_assert_str_eq(vm_exit_name(999), "KVM_EXIT_999");
}
END_TEST

/* run_page(reason): a zeroed kvm_run (plus data page) with exit_reason set. */
static struct kvm_run *run_page(uint32_t reason)
{
	static _Alignas(4096) uint8_t page[8192];

	memset(page, 0, sizeof(page));
	memset(&vm.stopped, 0, sizeof(vm.stopped));
	vm.status = 0;
	vm.why[0] = '\0';
	((struct kvm_run *)page)->exit_reason = reason;
	return (struct kvm_run *)page;
}

START_TEST(exits_stop_with_distinct_status)
{
	struct kvm_run *r;
	uint32_t gpa = 0x1000;
	struct mv_hc_nop a = { HDR(struct mv_hc_nop) };

	r = run_page(KVM_EXIT_IO);
	r->io = (typeof(r->io)){ KVM_EXIT_IO_OUT, 1, 0x3f8, 1, 4096 };
	vm_handle_exit(&vm, r);
	ck_assert_int_eq(vm.status, MV_EXIT_BAD_IO);
	ck_assert_ptr_nonnull(strstr(vm.why, "port 0x3f8"));

	r = run_page(KVM_EXIT_IO);
	r->io = (typeof(r->io)){ KVM_EXIT_IO_IN, 4, MV_HC_PIO_BASE, 1, 4096 };
	vm_handle_exit(&vm, r);
	ck_assert_int_eq(vm.status, MV_EXIT_BAD_IO);
	ck_assert_ptr_nonnull(strstr(vm.why, "in of 4 byte(s) x1 on hypercall port 0x500"));

	put(0x1000, &a, sizeof(a));
	r = run_page(KVM_EXIT_IO);
	r->io = (typeof(r->io)){ KVM_EXIT_IO_OUT, 4, MV_HC_PIO_BASE + MV_HC_NOP, 1, 4096 };
	memcpy((uint8_t *)r + 4096, &gpa, 4);
	vm_handle_exit(&vm, r);
	ck_assert(!vm.stopped);
	ck_assert_uint_eq(vm.hypercalls[MV_HC_NOP], 1);

	r = run_page(KVM_EXIT_MMIO);
	r->mmio.phys_addr = 0xfee00000;
	r->mmio.len = 4;
	vm_handle_exit(&vm, r);
	ck_assert_int_eq(vm.status, MV_EXIT_BAD_MMIO);
	ck_assert_ptr_nonnull(strstr(vm.why, "MMIO read of 4 byte(s) at GPA 0xfee00000"));

	vm_handle_exit(&vm, run_page(KVM_EXIT_HLT));
	ck_assert_int_eq(vm.status, MV_EXIT_HLT);
	vm_handle_exit(&vm, run_page(KVM_EXIT_SHUTDOWN));
	ck_assert_int_eq(vm.status, MV_EXIT_SHUTDOWN);

	r = run_page(KVM_EXIT_INTERNAL_ERROR);
	r->internal.suberror = KVM_INTERNAL_ERROR_EMULATION;
	vm_handle_exit(&vm, r);
	ck_assert_int_eq(vm.status, MV_EXIT_INTERNAL);
	ck_assert_ptr_nonnull(strstr(vm.why, "suberror 1 (instruction emulation failed)"));

	r = run_page(KVM_EXIT_FAIL_ENTRY);
	r->fail_entry.hardware_entry_failure_reason = 0x21;
	vm_handle_exit(&vm, r);
	ck_assert_int_eq(vm.status, MV_EXIT_FAIL_ENTRY);
	ck_assert_ptr_nonnull(strstr(vm.why, "hardware reason 0x21"));

	vm_handle_exit(&vm, run_page(KVM_EXIT_DEBUG));
	ck_assert_int_eq(vm.status, MV_EXIT_KVM_OTHER);
	ck_assert_str_eq(vm.why, "unexpected exit KVM_EXIT_DEBUG");
}
END_TEST

static Suite *unit_suite(void)
{
	Suite *s = suite_create("vmm_hc");
	TCase *tc = tcase_create("dispatch");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, registered);
	tcase_add_test(tc, nop_writes_out_fields);
	tcase_add_test(tc, exit_status);
	tcase_add_test(tc, unknown_number);
	tcase_add_test(tc, struct_outside_ram);
	tcase_add_test(tc, bad_version_and_size);
	tcase_add_test(tc, console_checks);
	tcase_add_test(tc, console_buf_overflow);
	tcase_add_test(tc, console_len_limit);
	tcase_add_test(tc, first_stop_wins);
	tcase_add_test(tc, module_event_init_start);
	tcase_add_test(tc, module_load_no_authority_reason);
	tcase_add_test(tc, exit_names);
	tcase_add_test(tc, exits_stop_with_distinct_status);
	suite_add_tcase(s, tc);
	return s;
}

const struct unit_main unit_main = { .suite = unit_suite };
