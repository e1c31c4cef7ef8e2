/* test_modinfo.c: Check tests of the .modinfo / __versions reader and ELF section finder (shared/lib/modinfo.c). */
#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <modvisor/modinfo.h>
#include "check_main.h"

/* A struct modinfo over a string literal of known size (embedded NULs kept). */
#define MI(lit) ((struct modinfo){ (lit), sizeof(lit) - 1 })

/* ---- .modinfo lookups ---------------------------------------------------- */

START_TEST(get_well_formed)
{
	struct modinfo mi = MI("license=GPL\0vermagic=6.1.0-modvisor SMP mod_unload modversions \0"
			       "name=hello\0intree=Y\0");

	ck_assert_int_eq(modinfo_check(&mi, NULL), 0);
	ck_assert_str_eq(modinfo_license(&mi), "GPL");
	ck_assert_str_eq(modinfo_vermagic(&mi), "6.1.0-modvisor SMP mod_unload modversions ");
	ck_assert_str_eq(modinfo_name(&mi), "hello");
	ck_assert_int_eq(modinfo_intree(&mi), 1);
	ck_assert_ptr_null(modinfo_get(&mi, "author"));
}
END_TEST

START_TEST(get_next_iterates_duplicates)
{
	struct modinfo mi = MI("parm=count:int\0parmtype=count:int\0depends=\0parm=who:charp\0"
			       "xparm=no\0parm=ids:array\0");
	const char *want[] = { "count:int", "who:charp", "ids:array" };
	const char *v;
	int n = 0;

	for (v = modinfo_get_next(&mi, "parm", NULL); v; v = modinfo_get_next(&mi, "parm", v)) {
		ck_assert_int_lt(n, 3);
		ck_assert_str_eq(v, want[n]);
		n++;
	}
	ck_assert_int_eq(n, 3);
	/* "parmtype=" does not match "parm"; an empty value is a value. */
	ck_assert_str_eq(modinfo_get(&mi, "parmtype"), "count:int");
	ck_assert_str_eq(modinfo_get(&mi, "depends"), "");
}
END_TEST

START_TEST(get_needs_equals_after_key)
{
	struct modinfo mi = MI("license\0licenseX=no\0lic=no\0license=Dual BSD/GPL\0");

	ck_assert_str_eq(modinfo_license(&mi), "Dual BSD/GPL");
	ck_assert_ptr_null(modinfo_get(&mi, "lice"));
	ck_assert_ptr_null(modinfo_intree(&mi) ? "" : NULL);
}
END_TEST

START_TEST(get_skips_padding)
{
	struct modinfo mi = MI("\0\0\0license=GPL\0\0\0\0\0\0\0name=pad\0\0\0\0parm=a:int\0\0\0parm=b:int\0\0");
	const char *v;

	ck_assert_int_eq(modinfo_check(&mi, NULL), 0);
	ck_assert_str_eq(modinfo_license(&mi), "GPL");
	ck_assert_str_eq(modinfo_name(&mi), "pad");
	v = modinfo_get(&mi, "parm");
	ck_assert_str_eq(v, "a:int");
	v = modinfo_get_next(&mi, "parm", v);
	ck_assert_str_eq(v, "b:int");
	ck_assert_ptr_null(modinfo_get_next(&mi, "parm", v));
}
END_TEST

START_TEST(get_empty_and_absent)
{
	struct modinfo absent = { NULL, 0 }, empty = { "", 0 }, nuls = MI("\0\0\0\0");

	ck_assert_int_eq(modinfo_check(&absent, NULL), 0);
	ck_assert_int_eq(modinfo_check(&empty, NULL), 0);
	ck_assert_int_eq(modinfo_check(&nuls, NULL), 0);
	ck_assert_ptr_null(modinfo_get(&absent, "license"));
	ck_assert_ptr_null(modinfo_get(&empty, "license"));
	ck_assert_ptr_null(modinfo_get(&nuls, "license"));
	ck_assert_ptr_null(modinfo_vermagic(&absent));
	ck_assert_int_eq(modinfo_intree(&absent), 0);
}
END_TEST

START_TEST(missing_final_nul)
{
	struct modinfo mi = MI("license=GPL\0name=unterminated");
	const char *why = NULL;

	ck_assert_int_eq(modinfo_check(&mi, &why), -MODINFO_ENOEXEC);
	ck_assert_ptr_nonnull(why);
	ck_assert_ptr_nonnull(strstr(why, "NUL"));
	/* Lookups stay inside the section and never hand out the unterminated string. */
	ck_assert_str_eq(modinfo_license(&mi), "GPL");
	ck_assert_ptr_null(modinfo_name(&mi));
}
END_TEST

START_TEST(hostile_sizes)
{
	char *big = malloc(100000);
	struct modinfo mi = { big, 100000 };

	ck_assert_ptr_nonnull(big);
	/* No NUL anywhere: nothing found, nothing read past the end. */
	memset(big, 'A', 100000);
	ck_assert_int_eq(modinfo_check(&mi, NULL), -MODINFO_ENOEXEC);
	ck_assert_ptr_null(modinfo_get(&mi, "A"));
	/* A key that runs to the very end. */
	memcpy(big + 100000 - 8, "license=", 8);
	big[100000 - 9] = '\0';
	ck_assert_ptr_null(modinfo_license(&mi));
	/* Size 1. */
	mi.size = 1;
	big[0] = '\0';
	ck_assert_int_eq(modinfo_check(&mi, NULL), 0);
	ck_assert_ptr_null(modinfo_license(&mi));
	free(big);
}
END_TEST

START_TEST(prev_outside_section)
{
	struct modinfo mi = MI("parm=a\0parm=b\0");
	const char other[] = "parm=x";

	ck_assert_ptr_null(modinfo_get_next(&mi, "parm", other + 5));
	ck_assert_ptr_null(modinfo_get_next(&mi, "parm", mi.data + mi.size));
	/* The last value: no further match. */
	ck_assert_ptr_null(modinfo_get_next(&mi, "parm", mi.data + 12));
}
END_TEST

/* ---- licences and vermagic ---------------------------------------------- */

START_TEST(license_table)
{
	static const char *ok[] = { "GPL", "GPL v2", "GPL and additional rights",
				    "Dual BSD/GPL", "Dual MIT/GPL", "Dual MPL/GPL" };
	static const char *bad[] = { "Proprietary", "gpl", "GPL ", " GPL", "GPL v3",
				     "GPLv2", "Dual BSD/GPL ", "Dual GPL/BSD", "",
				     "unspecified", "MIT", "BSD", "GPL v2\n" };

	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++)
		ck_assert_msg(modinfo_license_gpl_compatible(ok[i]) == 1, "%s", ok[i]);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(modinfo_license_gpl_compatible(bad[i]) == 0, "%s", bad[i]);
	ck_assert_int_eq(modinfo_license_gpl_compatible(NULL), 0);
}
END_TEST

START_TEST(same_magic_rules)
{
	const char *ours = "6.1.0-modvisor SMP mod_unload modversions ";

	ck_assert_int_eq(modinfo_same_magic(ours, ours, 0), 1);
	ck_assert_int_eq(modinfo_same_magic(ours, "6.1.0-other SMP mod_unload modversions ", 0), 0);
	/* With CRCs the release (first word) is ignored, the rest still counts. */
	ck_assert_int_eq(modinfo_same_magic(ours, "6.1.0-other SMP mod_unload modversions ", 1), 1);
	ck_assert_int_eq(modinfo_same_magic(ours, "6.1.0-modvisor SMP preempt mod_unload modversions ", 1), 0);
	ck_assert_int_eq(modinfo_same_magic(ours, "6.1.0-modvisor SMP mod_unload modversions", 1), 0);
	/* Linux's quirk: two one-word strings compare equal when CRCs are present. */
	ck_assert_int_eq(modinfo_same_magic("abc", "def", 1), 1);
	ck_assert_int_eq(modinfo_same_magic("abc", "def", 0), 0);
}
END_TEST

/* ---- __versions ----------------------------------------------------------- */

/* Write one 64-byte entry (little endian crc, then the name bytes). */
static void put_version(uint8_t *at, uint64_t crc, const char *name, size_t name_bytes)
{
	for (int i = 0; i < 8; i++)
		at[i] = (uint8_t)(crc >> (8 * i));
	memset(at + 8, 0, 56);
	memcpy(at + 8, name, name_bytes);
}

START_TEST(versions_good)
{
	uint8_t buf[1 + 3 * 64];
	uint8_t *tab = buf + 1;         /* deliberately misaligned */
	struct modversions mv;
	uint64_t crc = 0;
	uint32_t c;

	put_version(tab, 0x12345678, "module_layout", 14);
	put_version(tab + 64, 0xdeadbeef, "printk", 7);
	put_version(tab + 128, 0x1111, "printk", 7);    /* duplicate: the first wins */
	ck_assert_int_eq(modversions_init(&mv, tab, 3 * 64, NULL), 0);
	ck_assert_uint_eq(mv.count, 3);
	ck_assert_int_eq(modversions_find(&mv, "printk", &crc), 0);
	ck_assert_uint_eq(crc, 0xdeadbeef);
	ck_assert_int_eq(modversions_find(&mv, "module_layout", NULL), 0);
	ck_assert_int_eq(modversions_find(&mv, "print", &crc), -MODINFO_ENOENT);
	ck_assert_int_eq(modversions_find(&mv, "printkk", &crc), -MODINFO_ENOENT);

	c = 0xdeadbeef;
	ck_assert_int_eq(modversions_check(&mv, "printk", &c), MODVERSION_OK);
	c = 0xdeadbeee;
	ck_assert_int_eq(modversions_check(&mv, "printk", &c), MODVERSION_MISMATCH);
	ck_assert_int_eq(modversions_check(&mv, "kmalloc", &c), MODVERSION_NO_SYMBOL);
	ck_assert_int_eq(modversions_check(&mv, "kmalloc", NULL), MODVERSION_OK);
}
END_TEST

START_TEST(versions_high_bits_never_match)
{
	uint8_t tab[64];
	struct modversions mv;
	uint32_t c = 0x12345678;

	put_version(tab, 0x100000000ull | 0x12345678, "sym", 4);
	ck_assert_int_eq(modversions_init(&mv, tab, 64, NULL), 0);
	ck_assert_int_eq(modversions_check(&mv, "sym", &c), MODVERSION_MISMATCH);
}
END_TEST

START_TEST(versions_absent_and_empty)
{
	uint8_t tab[1];
	struct modversions mv;
	uint32_t c = 1;

	ck_assert_int_eq(modversions_init(&mv, NULL, 0, NULL), 0);
	ck_assert_uint_eq(mv.count, 0);
	ck_assert_int_eq(modversions_check(&mv, "printk", &c), MODVERSION_NO_VERSIONS);
	ck_assert_int_eq(modversions_check(&mv, "printk", NULL), MODVERSION_OK);
	/* Present but empty: Linux finds no entry and lets it go. */
	ck_assert_int_eq(modversions_init(&mv, tab, 0, NULL), 0);
	ck_assert_uint_eq(mv.count, 0);
	ck_assert_int_eq(modversions_check(&mv, "printk", &c), MODVERSION_NO_SYMBOL);
}
END_TEST

START_TEST(versions_bad_sizes)
{
	static const uint64_t sizes[] = { 1, 8, 56, 63, 65, 127, 129, UINT64_MAX };
	uint8_t tab[256] = { 0 };
	struct modversions mv;
	const char *why = NULL;

	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		why = NULL;
		ck_assert_int_eq(modversions_init(&mv, tab, sizes[i], &why), -MODINFO_ENOEXEC);
		ck_assert_ptr_nonnull(why);
		ck_assert_ptr_null(mv.data);
		ck_assert_uint_eq(mv.count, 0);
	}
}
END_TEST

START_TEST(versions_unterminated_name)
{
	uint8_t tab[128];
	char name[56];
	struct modversions mv;
	const char *why = NULL;

	memset(name, 'x', sizeof(name));
	put_version(tab, 1, "ok", 3);
	put_version(tab + 64, 2, name, 56);
	ck_assert_int_eq(modversions_init(&mv, tab, 128, &why), -MODINFO_ENOEXEC);
	ck_assert_ptr_nonnull(strstr(why, "NUL"));
	/* 55 characters and the NUL in the last byte is fine. */
	name[55] = '\0';
	put_version(tab + 64, 2, name, 56);
	ck_assert_int_eq(modversions_init(&mv, tab, 128, NULL), 0);
	ck_assert_int_eq(modversions_find(&mv, name, NULL), 0);
}
END_TEST

/* ---- crafted ELF images ----------------------------------------------------- */

enum { S_NULL, S_SHSTRTAB, S_MODINFO, S_VERSIONS, S_THIS, S_TEXT, S_COUNT };

struct elf {
	uint8_t *buf;
	size_t len;
	size_t shoff;
};

static const char shstr[] = "\0.shstrtab\0.modinfo\0__versions\0.gnu.linkonce.this_module\0.text\0";
static const uint32_t shname[S_COUNT] = { 0, 1, 11, 20, 31, 57 };
static const char modinfo_text[] = "license=GPL\0vermagic=6.1.0-modvisor SMP \0name=hello\0";

static void le(uint8_t *p, uint64_t v, int n)
{
	for (int i = 0; i < n; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static uint8_t *shdr(struct elf *e, int i)
{
	return e->buf + e->shoff + 64 * (size_t)i;
}

static void set_shdr(struct elf *e, int i, uint32_t type, uint64_t flags,
		     uint64_t off, uint64_t size)
{
	uint8_t *s = shdr(e, i);

	le(s, shname[i], 4);
	le(s + 4, type, 4);
	le(s + 8, flags, 8);
	le(s + 24, off, 8);
	le(s + 32, size, 8);
	le(s + 48, 1, 8);
}

/* A small valid module-like image: header, contents, section headers. */
static struct elf elf_build(void)
{
	struct elf e;
	size_t off = 64, str_off, mi_off, v_off, t_off;

	e.len = 64 + sizeof(shstr) + sizeof(modinfo_text) + 128 + 112 + 7 + 64 * S_COUNT;
	e.buf = calloc(1, e.len);
	ck_assert_ptr_nonnull(e.buf);
	memcpy(e.buf, "\x7f" "ELF\x02\x01\x01", 7);
	le(e.buf + 16, 1, 2);           /* ET_REL */
	le(e.buf + 18, 62, 2);          /* EM_X86_64 */
	le(e.buf + 20, 1, 4);
	le(e.buf + 52, 64, 2);
	le(e.buf + 58, 64, 2);
	le(e.buf + 60, S_COUNT, 2);
	le(e.buf + 62, S_SHSTRTAB, 2);
	str_off = off;
	memcpy(e.buf + off, shstr, sizeof(shstr));
	off += sizeof(shstr);
	mi_off = off;
	memcpy(e.buf + off, modinfo_text, sizeof(modinfo_text));
	off += sizeof(modinfo_text);
	v_off = off;
	put_version(e.buf + off, 0xabcd, "printk", 7);
	put_version(e.buf + off + 64, 0x1234, "module_layout", 14);
	off += 128;
	t_off = off;
	memcpy(e.buf + off, "hello", 6);
	off += 112 + 7;                 /* 7: the header table ends misaligned */
	e.shoff = off;
	le(e.buf + 40, e.shoff, 8);
	set_shdr(&e, S_NULL, 0, 0, 0, 0);
	le(shdr(&e, S_NULL), 0, 4);
	set_shdr(&e, S_SHSTRTAB, 3, 0, str_off, sizeof(shstr));
	set_shdr(&e, S_MODINFO, 1, 2, mi_off, sizeof(modinfo_text));
	set_shdr(&e, S_VERSIONS, 1, 2, v_off, 128);
	set_shdr(&e, S_THIS, 1, 3, t_off, 112);
	set_shdr(&e, S_TEXT, 1, 6, t_off, 0);
	return e;
}

/* The finder refuses the image with -ENOEXEC and a reason. */
static void expect_bad(struct elf *e, const char *what)
{
	struct modinfo_elf f;
	const char *why = NULL;

	ck_assert_msg(modinfo_elf_find(e->buf, e->len, &f, &why) == -MODINFO_ENOEXEC, "%s", what);
	ck_assert_msg(why != NULL, "%s: no reason", what);
	ck_assert_uint_eq(f.modinfo_index, 0);
}

START_TEST(elf_finds_sections)
{
	struct elf e = elf_build();
	struct modinfo_elf f;
	struct modinfo mi;
	struct modversions mv;
	uint32_t crc = 0xabcd;

	ck_assert_int_eq(modinfo_elf_find(e.buf, e.len, &f, NULL), 0);
	ck_assert_uint_eq(f.modinfo_index, S_MODINFO);
	ck_assert_uint_eq(f.modinfo_size, sizeof(modinfo_text));
	ck_assert_uint_eq(f.versions_index, S_VERSIONS);
	ck_assert_uint_eq(f.versions_size, 128);
	ck_assert_uint_eq(f.this_module_index, S_THIS);
	ck_assert_str_eq((char *)e.buf + f.this_module_off, "hello");

	ck_assert_int_eq(modinfo_from_elf(e.buf, e.len, &mi, &mv, NULL), 0);
	ck_assert_str_eq(modinfo_vermagic(&mi), "6.1.0-modvisor SMP ");
	ck_assert_str_eq(modinfo_name(&mi), "hello");
	ck_assert_uint_eq(mv.count, 2);
	ck_assert_int_eq(modversions_check(&mv, "printk", &crc), MODVERSION_OK);
	free(e.buf);
}
END_TEST

START_TEST(elf_absent_sections)
{
	struct elf e = elf_build();
	struct modinfo_elf f;
	struct modinfo mi;
	struct modversions mv;
	uint32_t crc = 1;

	/* Without SHF_ALLOC a section does not count (Linux's find_sec). */
	le(shdr(&e, S_MODINFO) + 8, 0, 8);
	le(shdr(&e, S_VERSIONS) + 8, 0, 8);
	ck_assert_int_eq(modinfo_elf_find(e.buf, e.len, &f, NULL), 0);
	ck_assert_uint_eq(f.modinfo_index, 0);
	ck_assert_uint_eq(f.versions_index, 0);
	ck_assert_int_eq(modinfo_from_elf(e.buf, e.len, &mi, &mv, NULL), 0);
	ck_assert_ptr_null(modinfo_vermagic(&mi));
	ck_assert_int_eq(modversions_check(&mv, "printk", &crc), MODVERSION_NO_VERSIONS);
	free(e.buf);
}
END_TEST

START_TEST(elf_bad_headers)
{
	struct elf e = elf_build();
	struct modinfo_elf f;
	const char *why = NULL;
	uint8_t save[64];

	memcpy(save, e.buf, 64);
	ck_assert_int_eq(modinfo_elf_find(e.buf, 63, &f, &why), -MODINFO_ENOEXEC);
	ck_assert_int_eq(modinfo_elf_find(e.buf, 0, &f, &why), -MODINFO_ENOEXEC);
#define BAD_HDR(off, val, n, what) do { le(e.buf + (off), (val), (n)); expect_bad(&e, what); \
		memcpy(e.buf, save, 64); } while (0)
	BAD_HDR(0, 0x7e, 1, "magic");
	BAD_HDR(3, 'G', 1, "magic[3]");
	BAD_HDR(4, 1, 1, "ELFCLASS32");
	BAD_HDR(5, 2, 1, "big endian");
	BAD_HDR(16, 2, 2, "ET_EXEC");
	BAD_HDR(18, 3, 2, "EM_386");
	BAD_HDR(58, 40, 2, "e_shentsize");
	BAD_HDR(60, 0, 2, "e_shnum 0");
	BAD_HDR(60, 0xffff, 2, "e_shnum beyond the file");
	BAD_HDR(40, e.len, 8, "e_shoff at the end");
	BAD_HDR(40, UINT64_MAX - 100, 8, "e_shoff overflow");
	BAD_HDR(62, 0, 2, "e_shstrndx 0");
	BAD_HDR(62, S_COUNT, 2, "e_shstrndx out of range");
#undef BAD_HDR
	ck_assert_int_eq(modinfo_elf_find(e.buf, e.len, &f, NULL), 0);
	free(e.buf);
}
END_TEST

START_TEST(elf_bad_sections)
{
	struct elf e = elf_build();
	uint8_t save[64 * S_COUNT];

	memcpy(save, shdr(&e, 0), sizeof(save));
#define BAD_SEC(sec, off, val, n, what) do { le(shdr(&e, sec) + (off), (val), (n)); \
		expect_bad(&e, what); memcpy(shdr(&e, 0), save, sizeof(save)); } while (0)
	BAD_SEC(S_SHSTRTAB, 24, e.len, 8, "shstrtab offset past the end");
	BAD_SEC(S_SHSTRTAB, 32, e.len, 8, "shstrtab size past the end");
	BAD_SEC(S_SHSTRTAB, 32, UINT64_MAX, 8, "shstrtab size overflow");
	BAD_SEC(S_SHSTRTAB, 4, 8, 4, "shstrtab NOBITS");
	BAD_SEC(S_TEXT, 0, sizeof(shstr), 4, "name offset past the table");
	BAD_SEC(S_TEXT, 0, 0xffffffffu, 4, "name offset huge");
	BAD_SEC(S_MODINFO, 24, e.len - 10, 8, ".modinfo past the end");
	BAD_SEC(S_MODINFO, 32, UINT64_MAX - 8, 8, ".modinfo size overflow");
	BAD_SEC(S_MODINFO, 4, 8, 4, ".modinfo NOBITS");
	BAD_SEC(S_VERSIONS, 24, UINT64_MAX, 8, "__versions offset overflow");
	BAD_SEC(S_THIS, 32, e.len, 8, "this_module past the end");
	/* A second .modinfo. */
	BAD_SEC(S_TEXT, 0, shname[S_MODINFO], 4, "two .modinfo");
#undef BAD_SEC
	free(e.buf);
}
END_TEST

START_TEST(elf_unterminated_last_name)
{
	struct elf e = elf_build();
	size_t str_off = 64;

	/* Cut the table so ".text" has no NUL inside it. */
	le(shdr(&e, S_SHSTRTAB) + 32, sizeof(shstr) - 2, 8);
	expect_bad(&e, ".text name runs off the table");
	ck_assert_uint_eq(e.buf[str_off], 0);
	free(e.buf);
}
END_TEST

START_TEST(elf_duplicate_versions_first_wins)
{
	struct elf e = elf_build();
	struct modinfo_elf f;

	le(shdr(&e, S_TEXT), shname[S_VERSIONS], 4);
	le(shdr(&e, S_TEXT) + 8, 2, 8);
	ck_assert_int_eq(modinfo_elf_find(e.buf, e.len, &f, NULL), 0);
	ck_assert_uint_eq(f.versions_index, S_VERSIONS);
	free(e.buf);
}
END_TEST

START_TEST(elf_from_elf_checks_contents)
{
	struct elf e = elf_build();
	struct modinfo mi;
	struct modversions mv;
	const char *why = NULL;

	/* .modinfo without its final NUL. */
	le(shdr(&e, S_MODINFO) + 32, sizeof(modinfo_text) - 2, 8);
	ck_assert_int_eq(modinfo_from_elf(e.buf, e.len, &mi, &mv, &why), -MODINFO_ENOEXEC);
	ck_assert_ptr_nonnull(strstr(why, ".modinfo"));
	le(shdr(&e, S_MODINFO) + 32, sizeof(modinfo_text), 8);
	/* __versions of 100 bytes. */
	le(shdr(&e, S_VERSIONS) + 32, 100, 8);
	ck_assert_int_eq(modinfo_from_elf(e.buf, e.len, &mi, &mv, &why), -MODINFO_ENOEXEC);
	ck_assert_ptr_nonnull(strstr(why, "__versions"));
	free(e.buf);
}
END_TEST

/* Every truncation and many byte flips of a valid image: no crash, a clean verdict. */
START_TEST(elf_truncations_and_flips)
{
	struct elf e = elf_build();
	uint8_t *copy = malloc(e.len);
	uint32_t seed = 12345;
	struct modinfo mi;
	struct modversions mv;

	ck_assert_ptr_nonnull(copy);
	for (size_t n = 0; n < e.len; n++) {
		uint8_t *cut = malloc(n ? n : 1);

		memcpy(cut, e.buf, n);
		int r = modinfo_from_elf(cut, n, &mi, &mv, NULL);
		ck_assert(r == 0 || r == -MODINFO_ENOEXEC);
		free(cut);
	}
	for (int round = 0; round < 20000; round++) {
		memcpy(copy, e.buf, e.len);
		for (int k = 0; k < 4; k++) {
			seed = seed * 1103515245u + 12345u;
			copy[(seed >> 8) % e.len] ^= (uint8_t)(seed >> 24 | 1);
		}
		int r = modinfo_from_elf(copy, e.len, &mi, &mv, NULL);
		ck_assert(r == 0 || r == -MODINFO_ENOEXEC);
		if (r == 0) {
			(void)modinfo_vermagic(&mi);
			(void)modinfo_get_next(&mi, "parm", modinfo_get(&mi, "parm"));
			(void)modversions_find(&mv, "printk", NULL);
		}
	}
	free(copy);
	free(e.buf);
}
END_TEST

static Suite *modinfo_suite(void)
{
	Suite *s = suite_create("modinfo");
	TCase *t = tcase_create("modinfo");

	tcase_add_test(t, get_well_formed);
	tcase_add_test(t, get_next_iterates_duplicates);
	tcase_add_test(t, get_needs_equals_after_key);
	tcase_add_test(t, get_skips_padding);
	tcase_add_test(t, get_empty_and_absent);
	tcase_add_test(t, missing_final_nul);
	tcase_add_test(t, hostile_sizes);
	tcase_add_test(t, prev_outside_section);
	tcase_add_test(t, license_table);
	tcase_add_test(t, same_magic_rules);
	suite_add_tcase(s, t);

	t = tcase_create("versions");
	tcase_add_test(t, versions_good);
	tcase_add_test(t, versions_high_bits_never_match);
	tcase_add_test(t, versions_absent_and_empty);
	tcase_add_test(t, versions_bad_sizes);
	tcase_add_test(t, versions_unterminated_name);
	suite_add_tcase(s, t);

	t = tcase_create("elf");
	tcase_add_test(t, elf_finds_sections);
	tcase_add_test(t, elf_absent_sections);
	tcase_add_test(t, elf_bad_headers);
	tcase_add_test(t, elf_bad_sections);
	tcase_add_test(t, elf_unterminated_last_name);
	tcase_add_test(t, elf_duplicate_versions_first_wins);
	tcase_add_test(t, elf_from_elf_checks_contents);
	tcase_add_test(t, elf_truncations_and_flips);
	tcase_set_timeout(t, 60);
	suite_add_tcase(s, t);
	return s;
}

const struct unit_main unit_main = { .suite = modinfo_suite };
