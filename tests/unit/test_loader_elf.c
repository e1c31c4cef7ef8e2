/* test_loader_elf.c: the loader's ELF validation, one test per malformed field (all ENOEXEC). */
#include <stdlib.h>
#include <string.h>
#include "../hosted/loadtest.h"
#include "check_main.h"

static uint8_t *img;
static size_t len;

/* Load the default module after `mutate`, expect `want` and a log line containing `msg`. */
#define MUTATION_TEST(tname, mutate, want, msg)                                   \
	START_TEST(tname)                                                         \
	{                                                                         \
		img = lt_default(&len);                                           \
		mutate;                                                           \
		ck_assert_int_eq(lt_load(img, len, 0, NULL, NULL), want);         \
		ck_assert_msg(hosted_log_has(msg), "log lacks '%s':\n%s", msg, henv.log); \
		ck_assert_ptr_null(mod_find("test"));                             \
		free(img);                                                        \
	}                                                                         \
	END_TEST

#define EH (eg_ehdr(img))
#define SH(name) (eg_shdr(img, eg_find(img, name)))

START_TEST(loads_and_unloads)
{
	struct module *mod;

	img = lt_default(&len);
	ck_assert_int_eq(lt_load(img, len, 0, NULL, &mod), 0);
	ck_assert_ptr_eq(mod_find("test"), mod);
	ck_assert_int_eq(mod->state, MOD_STATE_LIVE);
	ck_assert_int_eq(henv.init_calls, 1);
	ck_assert_int_eq(henv.verdict_calls, 1);
	ck_assert_int_eq(henv.last_event.event, MV_MODEV_LOADED);
	ck_assert_str_eq(henv.last_event.name, "test");
	/* init and exit were relocated into this_module: .text + 0 and + 8. */
	ck_assert_uint_eq(mod->init_fn, mod->core.mem.va);
	ck_assert_uint_eq(mod->exit_fn, mod->core.mem.va + 8);
	ck_assert_uint_eq(mod->taints, 1u << MV_TAINT_OOT_MODULE);
	ck_assert_int_eq(mod_delete("test", 0), 0);
	ck_assert_int_eq(henv.exit_calls, 1);
	ck_assert_int_eq(henv.last_event.event, MV_MODEV_UNLOADED);
	ck_assert_ptr_null(mod_find("test"));
	free(img);
}
END_TEST

MUTATION_TEST(short_image, len = sizeof(Elf64_Ehdr) - 1, -ENOEXEC, "shorter than an ELF header")
MUTATION_TEST(bad_magic, EH->e_ident[1] = 'X', -ENOEXEC, "bad magic")
MUTATION_TEST(class32, EH->e_ident[EI_CLASS] = ELFCLASS32, -ENOEXEC, "not a 64-bit")
MUTATION_TEST(big_endian, EH->e_ident[EI_DATA] = ELFDATA2MSB, -ENOEXEC, "little-endian")
MUTATION_TEST(not_rel, EH->e_type = ET_EXEC, -ENOEXEC, "ET_REL")
MUTATION_TEST(not_x86_64, EH->e_machine = EM_386, -ENOEXEC, "e_machine")
MUTATION_TEST(bad_shentsize, EH->e_shentsize = 40, -ENOEXEC, "e_shentsize")
MUTATION_TEST(shoff_outside, EH->e_shoff = len, -ENOEXEC, "section header table outside")
MUTATION_TEST(shoff_overflow, EH->e_shoff = UINT64_MAX - 7, -ENOEXEC, "section header table outside")
MUTATION_TEST(shnum_too_big, EH->e_shnum = 1000, -ENOEXEC, "section header table outside")
MUTATION_TEST(shstrndx_range, EH->e_shstrndx = EH->e_shnum, -ENOEXEC, "e_shstrndx")
MUTATION_TEST(section0_not_null, eg_shdr(img, 0)->sh_size = 1, -ENOEXEC, "section 0")
MUTATION_TEST(shstrtab_unterminated,
	      img[SH(".shstrtab")->sh_offset + SH(".shstrtab")->sh_size - 1] = 'x',
	      -ENOEXEC, "not NUL-terminated")
MUTATION_TEST(section_name_outside, SH(".text")->sh_name = 100000, -ENOEXEC,
	      "name outside the section name table")
MUTATION_TEST(section_outside_file, SH(".text")->sh_size = len, -ENOEXEC, "contents outside the file")
MUTATION_TEST(section_offset_overflow, SH(".text")->sh_offset = UINT64_MAX - 2, -ENOEXEC,
	      "contents outside the file")
MUTATION_TEST(bad_alignment, SH(".text")->sh_addralign = 24, -ENOEXEC, "power of two")
MUTATION_TEST(this_module_nobits, SH(".gnu.linkonce.this_module")->sh_type = SHT_NOBITS,
	      -ENOEXEC, "not loaded file data")
MUTATION_TEST(this_module_not_alloc, SH(".gnu.linkonce.this_module")->sh_flags = SHF_WRITE,
	      -ENOEXEC, "not loaded file data")
MUTATION_TEST(this_module_size, SH(".gnu.linkonce.this_module")->sh_size = 896, -ENOEXEC,
	      "wrong size")
MUTATION_TEST(this_module_no_name,
	      img[SH(".gnu.linkonce.this_module")->sh_offset] = 0, -ENOEXEC, "name is empty")
MUTATION_TEST(this_module_name_unterminated,
	      memset(img + SH(".gnu.linkonce.this_module")->sh_offset, 'a', MV_MODULE_NAME_LEN),
	      -ENOEXEC, "not NUL-terminated")
MUTATION_TEST(no_symtab, SH(".symtab")->sh_type = SHT_PROGBITS, -ENOEXEC, "no symbol table")
MUTATION_TEST(two_symtabs, SH(".shstrtab")->sh_type = SHT_SYMTAB, -ENOEXEC,
	      "more than one symbol table")
MUTATION_TEST(symtab_entsize, SH(".symtab")->sh_entsize = 16, -ENOEXEC, "bad entry size")
MUTATION_TEST(symtab_empty, SH(".symtab")->sh_size = 0, -ENOEXEC, "bad entry size")
MUTATION_TEST(symtab_link_range, SH(".symtab")->sh_link = 200, -ENOEXEC, "not a string table")
MUTATION_TEST(symtab_link_not_strtab, SH(".symtab")->sh_link = 1, -ENOEXEC, "not a string table")
MUTATION_TEST(strtab_first_not_nul, img[SH(".strtab")->sh_offset] = 'x', -ENOEXEC,
	      "start and end with NUL")
MUTATION_TEST(strtab_last_not_nul,
	      img[SH(".strtab")->sh_offset + SH(".strtab")->sh_size - 1] = 'x', -ENOEXEC,
	      "start and end with NUL")
MUTATION_TEST(symbol_name_outside, eg_sym(img, 1)->st_name = 60000, -ENOEXEC,
	      "name is outside the string table")
MUTATION_TEST(symbol_shndx_outside, eg_sym(img, 1)->st_shndx = 200, -ENOEXEC,
	      "section index is out of range")
MUTATION_TEST(rela_entsize, SH(".rela.gnu.linkonce.this_module")->sh_entsize = 16, -ENOEXEC,
	      "RELA section with a bad entry size")
MUTATION_TEST(rela_size_partial, SH(".rela.gnu.linkonce.this_module")->sh_size -= 8, -ENOEXEC,
	      "RELA section with a bad entry size")
MUTATION_TEST(rela_info_range, SH(".rela.gnu.linkonce.this_module")->sh_info = 200, -ENOEXEC,
	      "sh_info")
MUTATION_TEST(rela_info_zero, SH(".rela.gnu.linkonce.this_module")->sh_info = 0, -ENOEXEC,
	      "sh_info")
MUTATION_TEST(rela_link_not_symtab, SH(".rela.gnu.linkonce.this_module")->sh_link = 1, -ENOEXEC,
	      "sh_link is not the symbol table")
MUTATION_TEST(rel_not_rela, SH(".rela.gnu.linkonce.this_module")->sh_type = SHT_REL, -ENOEXEC,
	      "REL relocations")
MUTATION_TEST(modinfo_unterminated,
	      img[SH(".modinfo")->sh_offset + SH(".modinfo")->sh_size - 1] = 'x', -ENOEXEC,
	      ".modinfo is not NUL-terminated")
MUTATION_TEST(versions_partial, SH("__versions")->sh_size = 60, -ENOEXEC, "__versions")
MUTATION_TEST(write_exec, SH(".text")->sh_flags |= SHF_WRITE, -ENOEXEC, "invalid WRITE|EXEC")
MUTATION_TEST(write_exec_unloaded, SH(".modinfo")->sh_flags = SHF_WRITE | SHF_EXECINSTR, -ENOEXEC,
	      "invalid WRITE|EXEC")

START_TEST(two_modinfo)
{
	struct eg *g = eg_module("test", NULL, 0, NULL);

	eg_section(g, ".modinfo", SHT_PROGBITS, SHF_ALLOC, "a=b", 4, 1);
	ck_assert_int_eq(lt_load_eg(g, NULL), -ENOEXEC);
	ck_assert(hosted_log_has("more than one .modinfo"));
}
END_TEST

START_TEST(two_this_module)
{
	struct eg *g = eg_module("test", NULL, 0, NULL);
	struct mv_this_module tm = { .name = "test" };

	eg_section(g, ".gnu.linkonce.this_module", SHT_PROGBITS, SHF_ALLOC | SHF_WRITE,
		   &tm, sizeof(tm), 8);
	ck_assert_int_eq(lt_load_eg(g, NULL), -ENOEXEC);
	ck_assert(hosted_log_has("more than one .gnu.linkonce.this_module"));
}
END_TEST

START_TEST(no_this_module)
{
	img = lt_default(&len);
	/* Rename the section: ".gnu.linkonce.this_module" -> ".gnu.linkonce.this_modulX". */
	char *name = (char *)img + SH(".shstrtab")->sh_offset + SH(".gnu.linkonce.this_module")->sh_name;
	name[strlen(name) - 1] = 'X';
	ck_assert_int_eq(lt_load(img, len, 0, NULL, NULL), -ENOEXEC);
	ck_assert(hosted_log_has("no .gnu.linkonce.this_module"));
	free(img);
}
END_TEST

/* Every malformed image above fails before the module is listed or memory kept. */
START_TEST(failure_reports_event)
{
	img = lt_default(&len);
	EH->e_machine = EM_386;
	ck_assert_int_eq(lt_load(img, len, 0, NULL, NULL), -ENOEXEC);
	ck_assert_int_eq(henv.last_event.event, MV_MODEV_LOAD_FAILED);
	ck_assert_int_eq(henv.last_event.err, ENOEXEC);
	free(img);
}
END_TEST

static Suite *unit_suite(void)
{
	Suite *s = suite_create("loader-elf");
	TCase *tc = lt_tcase(s, "elf");

	tcase_add_test(tc, loads_and_unloads);
	tcase_add_test(tc, short_image);
	tcase_add_test(tc, bad_magic);
	tcase_add_test(tc, class32);
	tcase_add_test(tc, big_endian);
	tcase_add_test(tc, not_rel);
	tcase_add_test(tc, not_x86_64);
	tcase_add_test(tc, bad_shentsize);
	tcase_add_test(tc, shoff_outside);
	tcase_add_test(tc, shoff_overflow);
	tcase_add_test(tc, shnum_too_big);
	tcase_add_test(tc, shstrndx_range);
	tcase_add_test(tc, section0_not_null);
	tcase_add_test(tc, shstrtab_unterminated);
	tcase_add_test(tc, section_name_outside);
	tcase_add_test(tc, section_outside_file);
	tcase_add_test(tc, section_offset_overflow);
	tcase_add_test(tc, bad_alignment);
	tcase_add_test(tc, this_module_nobits);
	tcase_add_test(tc, this_module_not_alloc);
	tcase_add_test(tc, this_module_size);
	tcase_add_test(tc, this_module_no_name);
	tcase_add_test(tc, this_module_name_unterminated);
	tcase_add_test(tc, no_symtab);
	tcase_add_test(tc, two_symtabs);
	tcase_add_test(tc, symtab_entsize);
	tcase_add_test(tc, symtab_empty);
	tcase_add_test(tc, symtab_link_range);
	tcase_add_test(tc, symtab_link_not_strtab);
	tcase_add_test(tc, strtab_first_not_nul);
	tcase_add_test(tc, strtab_last_not_nul);
	tcase_add_test(tc, symbol_name_outside);
	tcase_add_test(tc, symbol_shndx_outside);
	tcase_add_test(tc, rela_entsize);
	tcase_add_test(tc, rela_size_partial);
	tcase_add_test(tc, rela_info_range);
	tcase_add_test(tc, rela_info_zero);
	tcase_add_test(tc, rela_link_not_symtab);
	tcase_add_test(tc, rel_not_rela);
	tcase_add_test(tc, modinfo_unterminated);
	tcase_add_test(tc, versions_partial);
	tcase_add_test(tc, write_exec);
	tcase_add_test(tc, write_exec_unloaded);
	tcase_add_test(tc, two_modinfo);
	tcase_add_test(tc, two_this_module);
	tcase_add_test(tc, no_this_module);
	tcase_add_test(tc, failure_reports_event);
	return s;
}

const struct unit_main unit_main = { .suite = unit_suite };
