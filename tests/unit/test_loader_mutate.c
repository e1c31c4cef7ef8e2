/* test_loader_mutate.c: random byte flips and cuts of module images never crash or leak the loader. */
#include <stdlib.h>
#include <string.h>
#include "../hosted/loadtest.h"
#include "check_main.h"

/*
 * A deterministic stress test (seeded xorshift), no substitute for the
 * fuzzers of issue 8 but always run: every mutated image either loads (and
 * is then unloaded) or fails with an errno, and afterwards no module, block
 * or region is left.  Run it under ASan/UBSan to catch out-of-bounds reads.
 */
#define ROUNDS 4000     /* MV_MUTATE_ROUNDS overrides, for longer runs */

static uint64_t rng = 0x9e3779b97f4a7c15ull;

static uint64_t next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

/* A module with a bit of everything: exports, an import, params, rodata, relocations. */
static uint8_t *rich_module(size_t *len)
{
	static const struct hosted_export ex[] = { { "printk", 0xffffffff81000100ull, 0x1234, false } };
	struct eg *g = eg_module("test", "intree=Y", sizeof("intree=Y"), NULL);
	struct mv_kernel_symbol ks = { .crc = 1 };
	uint8_t ro[64] = { 0 };
	int ro_sec = eg_section(g, ".rodata", SHT_PROGBITS, SHF_ALLOC, ro, sizeof(ro), 8);
	int str = eg_section(g, ".rodata.str", SHT_PROGBITS, SHF_ALLOC, "fn", 3, 1);
	int k = eg_section(g, "__ksymtab", SHT_PROGBITS, SHF_ALLOC, &ks, sizeof(ks), 8);
	int u = eg_symbol(g, "printk", SHN_UNDEF, 0, STB_GLOBAL, STT_NOTYPE);
	int fn = eg_symbol(g, "fn", 1, 8, STB_GLOBAL, STT_FUNC);

	eg_section(g, ".bss", SHT_NOBITS, SHF_ALLOC | SHF_WRITE, NULL, 128, 32);
	eg_rela(g, k, 0, R_X86_64_64, fn, 0);
	eg_rela(g, k, 8, R_X86_64_64, eg_symbol(g, "", str, 0, STB_LOCAL, STT_SECTION), 0);
	eg_rela(g, ro_sec, 0, R_X86_64_64, u, 0);
	eg_rela(g, ro_sec, 8, R_X86_64_PC32, u, -4);
	eg_rela(g, ro_sec, 16, R_X86_64_32S, fn, 0);
	eg_rela(g, ro_sec, 24, R_X86_64_PLT32, fn, -4);
	eg_rela(g, ro_sec, 32, R_X86_64_PC64, u, 0);
	henv.exports = ex;
	henv.nexports = 1;
	return eg_finish(g, len);
}

static void check_clean(void)
{
	for (struct module *m = mod_first(), *n; m; m = n) {
		n = m->next;
		ck_assert_int_eq(mod_delete(m->name, MOD_DELETE_TRUNC), 0);
	}
	ck_assert_int_eq(henv.live_blocks, 0);
	ck_assert_int_eq(henv.live_regions, 0);
}

START_TEST(flips_and_cuts)
{
	size_t len;
	uint8_t *orig = rich_module(&len), *img = malloc(len);
	int loaded = 0, rounds = getenv("MV_MUTATE_ROUNDS") ? atoi(getenv("MV_MUTATE_ROUNDS")) : ROUNDS;

	henv.quiet = true;
	ck_assert_int_eq(lt_load(orig, len, 0, NULL, NULL), 0);
	check_clean();
	for (int r = 0; r < rounds; r++) {
		size_t n = len;
		int err;

		memcpy(img, orig, len);
		for (int f = 0, flips = 1 + (int)(next() % 8); f < flips; f++)
			img[next() % len] ^= (uint8_t)(1u << (next() % 8));
		if (next() % 8 == 0)
			n = next() % len;
		henv.log[0] = '\0';
		err = lt_load(img, n, 0, NULL, NULL);
		ck_assert_msg(err <= 0, "round %d: %d", r, err);
		loaded += err == 0;
		check_clean();
	}
	/* Many flips land in bytes no check depends on: some loads still succeed. */
	ck_assert_int_gt(loaded, 0);
	free(img);
	free(orig);
}
END_TEST

/* Every header field set to an extreme value, one at a time. */
START_TEST(extreme_fields)
{
	static const uint64_t values[] = { 0, 1, 0x7f, 0xff, 0xffff, 0x7fffffff, 0xffffffff,
					   0x8000000000000000ull, UINT64_MAX };
	size_t len;
	uint8_t *orig = rich_module(&len), *img = malloc(len);
	const Elf64_Ehdr *eh = (const Elf64_Ehdr *)orig;

	henv.quiet = true;
	/* Every 8-byte window of the header table and of the symbol table. */
	for (uint64_t off = eh->e_shoff; off + 8 <= len; off += 4) {
		for (size_t v = 0; v < sizeof(values) / sizeof(values[0]); v++) {
			memcpy(img, orig, len);
			memcpy(img + off, &values[v], 8);
			henv.log[0] = '\0';
			ck_assert_int_le(lt_load(img, len, 0, NULL, NULL), 0);
			check_clean();
		}
	}
	free(img);
	free(orig);
}
END_TEST

static Suite *unit_suite(void)
{
	Suite *s = suite_create("loader-mutate");
	TCase *tc = lt_tcase(s, "mutate");

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, flips_and_cuts);
	tcase_add_test(tc, extreme_fields);
	return s;
}

const struct unit_main unit_main = { .suite = unit_suite };
