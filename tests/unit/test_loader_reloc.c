/* test_loader_reloc.c: x86-64 relocations: each type's value, each overflow, nonzero targets, bounds. */
#include <stdlib.h>
#include <string.h>
#include "../hosted/loadtest.h"
#include "check_main.h"

/* What one relocation did: the load's result, and the 8 bytes at the target. */
struct one {
	int      err;
	uint64_t got;       /* little-endian bytes at the target after loading */
	uint64_t P;         /* the target's module address */
};

/*
 * Build the default module plus a 32-byte .rodata holding `preset` at offset
 * 8, one symbol "s" (SHN_ABS, value S) and one relocation of `type` at r_off
 * against symbol index `sym` (0 = use "s"), then load it (not a dry run).
 */
static struct one reloc_one(uint32_t type, uint64_t S, int64_t A, uint64_t preset,
			    uint64_t r_off, int sym)
{
	struct eg *g = eg_module("test", NULL, 0, NULL);
	uint8_t ro[32] = { 0 };
	struct module *mod = NULL;
	struct one r = { 0 };
	int sec, s;

	memcpy(ro + 8, &preset, 8);
	sec = eg_section(g, ".rodata", SHT_PROGBITS, SHF_ALLOC, ro, sizeof(ro), 8);
	s = eg_symbol(g, "s", SHN_ABS, S, STB_GLOBAL, STT_NOTYPE);
	eg_rela(g, sec, r_off, type, sym ? sym : s, A);
	r.err = lt_load_eg(g, &mod);
	if (mod) {
		/* .rodata is alone in the rodata group, right after the text pages. */
		memcpy(&r.got, mod->core.mem.buf + mod->core.text_end + 8, 8);
		r.P = mod->core.mem.va + mod->core.text_end + 8;
	}
	return r;
}

#define KADDR 0xffffffff81234560ull     /* a kernel address, like a made-up export */

START_TEST(r_none)
{
	struct one r = reloc_one(R_X86_64_NONE, KADDR, 0, 0, 8, 0);

	ck_assert_int_eq(r.err, 0);
	ck_assert_uint_eq(r.got, 0);
}
END_TEST

START_TEST(r_64)
{
	struct one r = reloc_one(R_X86_64_64, KADDR, 0x10, 0, 8, 0);

	ck_assert_int_eq(r.err, 0);
	ck_assert_uint_eq(r.got, KADDR + 0x10);
}
END_TEST

START_TEST(r_32)
{
	struct one r = reloc_one(R_X86_64_32, 0x12345678, 8, 0, 8, 0);

	ck_assert_int_eq(r.err, 0);
	ck_assert_uint_eq(r.got, 0x12345680);
}
END_TEST

START_TEST(r_32_overflow_high)
{
	ck_assert_int_eq(reloc_one(R_X86_64_32, 0x100000000ull, 0, 0, 8, 0).err, -ENOEXEC);
	ck_assert(hosted_log_has("overflow in relocation type 10"));
}
END_TEST

/* A kernel address does not zero-extend from 32 bits: 32 must refuse it. */
START_TEST(r_32_overflow_negative)
{
	ck_assert_int_eq(reloc_one(R_X86_64_32, KADDR, 0, 0, 8, 0).err, -ENOEXEC);
	ck_assert(hosted_log_has("-mcmodel=kernel"));
}
END_TEST

START_TEST(r_32s)
{
	struct one r = reloc_one(R_X86_64_32S, KADDR, 0, 0, 8, 0);

	ck_assert_int_eq(r.err, 0);
	ck_assert_uint_eq(r.got, (uint32_t)KADDR);   /* upper 4 bytes stay zero */
}
END_TEST

START_TEST(r_32s_overflow)
{
	/* 0x80000000 would sign-extend to 0xffffffff80000000: refused. */
	ck_assert_int_eq(reloc_one(R_X86_64_32S, 0x80000000ull, 0, 0, 8, 0).err, -ENOEXEC);
	ck_assert(hosted_log_has("overflow in relocation type 11"));
}
END_TEST

START_TEST(r_32s_overflow_low)
{
	ck_assert_int_eq(reloc_one(R_X86_64_32S, 0xffffffff7fffffffull, 0, 0, 8, 0).err, -ENOEXEC);
}
END_TEST

START_TEST(r_pc32)
{
	struct one r = reloc_one(R_X86_64_PC32, KADDR, -4, 0, 8, 0);

	ck_assert_int_eq(r.err, 0);
	ck_assert_uint_eq(r.got, (uint32_t)(KADDR - 4 - r.P));
}
END_TEST

START_TEST(r_plt32)
{
	struct one r = reloc_one(R_X86_64_PLT32, KADDR, -4, 0, 8, 0);

	ck_assert_int_eq(r.err, 0);
	ck_assert_uint_eq(r.got, (uint32_t)(KADDR - 4 - r.P));
}
END_TEST

/* A target more than 2 GiB away (a user address) cannot be reached. */
START_TEST(r_pc32_overflow)
{
	ck_assert_int_eq(reloc_one(R_X86_64_PC32, 0x100000000000ull, 0, 0, 8, 0).err, -ENOEXEC);
	ck_assert(hosted_log_has("overflow in relocation type 2"));
}
END_TEST

START_TEST(r_plt32_overflow)
{
	ck_assert_int_eq(reloc_one(R_X86_64_PLT32, 0x100000000000ull, 0, 0, 8, 0).err, -ENOEXEC);
	ck_assert(hosted_log_has("overflow in relocation type 4"));
}
END_TEST

START_TEST(r_pc64)
{
	struct one r = reloc_one(R_X86_64_PC64, 0x1000, 0, 0, 8, 0);

	ck_assert_int_eq(r.err, 0);
	ck_assert_uint_eq(r.got, 0x1000 - r.P);
}
END_TEST

START_TEST(nonzero_target_32)
{
	ck_assert_int_eq(reloc_one(R_X86_64_PC32, KADDR, 0, 0x01000000, 8, 0).err, -ENOEXEC);
	ck_assert(hosted_log_has("existing value is nonzero"));
}
END_TEST

START_TEST(nonzero_target_64)
{
	ck_assert_int_eq(reloc_one(R_X86_64_64, KADDR, 0, 1ull << 63, 8, 0).err, -ENOEXEC);
	ck_assert(hosted_log_has("existing value is nonzero"));
}
END_TEST

/* A 4-byte relocation only looks at its own 4 bytes. */
START_TEST(nonzero_beyond_32_ok)
{
	struct one r = reloc_one(R_X86_64_32, 0x1234, 0, 0xff00000000ull, 8, 0);

	ck_assert_int_eq(r.err, 0);
	ck_assert_uint_eq(r.got, 0xff00001234ull);
}
END_TEST

START_TEST(unknown_type)
{
	ck_assert_int_eq(reloc_one(R_X86_64_GOTPCREL, KADDR, 0, 0, 8, 0).err, -ENOEXEC);
	ck_assert(hosted_log_has("unknown relocation type"));
}
END_TEST

START_TEST(unknown_type_64_relative)
{
	ck_assert_int_eq(reloc_one(R_X86_64_RELATIVE, KADDR, 0, 0, 8, 0).err, -ENOEXEC);
}
END_TEST

START_TEST(offset_past_end)
{
	/* 8 bytes at offset 28 of a 32-byte section. */
	ck_assert_int_eq(reloc_one(R_X86_64_64, KADDR, 0, 0, 28, 0).err, -ENOEXEC);
	ck_assert(hosted_log_has("target outside its section"));
}
END_TEST

START_TEST(offset_overflow)
{
	ck_assert_int_eq(reloc_one(R_X86_64_32S, 0, 0, 0, UINT64_MAX - 1, 0).err, -ENOEXEC);
	ck_assert(hosted_log_has("target outside its section"));
}
END_TEST

START_TEST(symbol_index_range)
{
	ck_assert_int_eq(reloc_one(R_X86_64_64, KADDR, 0, 0, 8, 200).err, -ENOEXEC);
	ck_assert(hosted_log_has("symbol index out of range"));
}
END_TEST

/* Relocations against a section that is not loaded are ignored, as in Linux. */
START_TEST(unloaded_target_ignored)
{
	struct eg *g = eg_module("test", NULL, 0, NULL);
	int c = eg_section(g, ".comment", SHT_PROGBITS, 0, "xxxxxxxx", 8, 1);

	eg_rela(g, c, 0, R_X86_64_GOTPCREL, 1, 0);
	ck_assert_int_eq(lt_load_eg(g, NULL), 0);
}
END_TEST

/* A symbol defined in a section resolves to that section's module address. */
START_TEST(section_symbol)
{
	struct eg *g = eg_module("test", NULL, 0, NULL);
	uint8_t ro[16] = { 0 };
	struct module *mod;
	uint64_t got;
	int sec = eg_section(g, ".rodata", SHT_PROGBITS, SHF_ALLOC, ro, sizeof(ro), 8);
	int s = eg_symbol(g, "here", sec, 4, STB_LOCAL, STT_OBJECT);

	eg_rela(g, sec, 8, R_X86_64_64, s, 1);
	ck_assert_int_eq(lt_load_eg(g, &mod), 0);
	memcpy(&got, mod->core.mem.buf + mod->core.text_end + 8, 8);
	ck_assert_uint_eq(got, mod->core.mem.va + mod->core.text_end + 5);
}
END_TEST

static Suite *unit_suite(void)
{
	Suite *s = suite_create("loader-reloc");
	TCase *tc = lt_tcase(s, "reloc");

	tcase_add_test(tc, r_none);
	tcase_add_test(tc, r_64);
	tcase_add_test(tc, r_32);
	tcase_add_test(tc, r_32_overflow_high);
	tcase_add_test(tc, r_32_overflow_negative);
	tcase_add_test(tc, r_32s);
	tcase_add_test(tc, r_32s_overflow);
	tcase_add_test(tc, r_32s_overflow_low);
	tcase_add_test(tc, r_pc32);
	tcase_add_test(tc, r_plt32);
	tcase_add_test(tc, r_pc32_overflow);
	tcase_add_test(tc, r_plt32_overflow);
	tcase_add_test(tc, r_pc64);
	tcase_add_test(tc, nonzero_target_32);
	tcase_add_test(tc, nonzero_target_64);
	tcase_add_test(tc, nonzero_beyond_32_ok);
	tcase_add_test(tc, unknown_type);
	tcase_add_test(tc, unknown_type_64_relative);
	tcase_add_test(tc, offset_past_end);
	tcase_add_test(tc, offset_overflow);
	tcase_add_test(tc, symbol_index_range);
	tcase_add_test(tc, unloaded_target_ignored);
	tcase_add_test(tc, section_symbol);
	return s;
}

const struct unit_main unit_main = { .suite = unit_suite };
