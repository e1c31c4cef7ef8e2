/* test_elf_exec.c: elf_exec_parse() on valid executables (static, PIE, with PT_INTERP) and on each malformed header; elf_exec_check() with the kernel profile. */
#include <check.h>
#include <modvisor/elf64.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <modvisor/elf_exec.h>
#include "check_main.h"
#include "../hosted/elf_ehdr.h"

#define USER_END 0x7ff000000000ULL
#define FILE_SIZE 0x3000

/* A small valid ET_EXEC: PT_PHDR, text (R X) and data (R W, bss) segments. */
struct image {
	Elf64_Ehdr eh;
	Elf64_Phdr ph[4];
	unsigned char rest[FILE_SIZE - sizeof(Elf64_Ehdr) - 4 * sizeof(Elf64_Phdr)];
};

static struct image img;
static struct elf_exec_info info;

static void make_image(void)
{
	memset(&img, 0, sizeof(img));
	elf_ehdr_init(&img.eh, ET_EXEC);
	img.eh.e_entry = 0x401000;
	img.eh.e_phoff = sizeof(Elf64_Ehdr);
	img.eh.e_phentsize = sizeof(Elf64_Phdr);
	img.eh.e_phnum = 4;
	img.ph[0] = (Elf64_Phdr){ .p_type = PT_PHDR, .p_flags = PF_R, .p_offset = 64,
				  .p_vaddr = 0x400040, .p_filesz = 4 * 56, .p_memsz = 4 * 56 };
	img.ph[1] = (Elf64_Phdr){ .p_type = PT_LOAD, .p_flags = PF_R, .p_offset = 0,
				  .p_vaddr = 0x400000, .p_filesz = 0x1000, .p_memsz = 0x1000 };
	img.ph[2] = (Elf64_Phdr){ .p_type = PT_LOAD, .p_flags = PF_R | PF_X, .p_offset = 0x1000,
				  .p_vaddr = 0x401000, .p_filesz = 0x800, .p_memsz = 0x800 };
	img.ph[3] = (Elf64_Phdr){ .p_type = PT_LOAD, .p_flags = PF_R | PF_W, .p_offset = 0x2010,
				  .p_vaddr = 0x402010, .p_filesz = 0x100, .p_memsz = 0x5000 };
}

/* Parse img (size bytes of it) and expect -ENOEXEC with why containing needle. */
static void expect_bad(uint64_t size, const char *needle)
{
	int err = elf_exec_parse(&img, size, size, USER_END, &info);

	ck_assert_int_eq(err, -ENOEXEC);
	ck_assert_ptr_nonnull(info.why);
	ck_assert_msg(strstr(info.why, needle), "why '%s' lacks '%s'", info.why, needle);
}

START_TEST(valid_exec)
{
	make_image();
	ck_assert_int_eq(elf_exec_parse(&img, sizeof(img), sizeof(img), USER_END, &info), 0);
	ck_assert_int_eq(info.nseg, 3);
	ck_assert_int_eq(info.pie, 0);
	ck_assert_uint_eq(info.entry, 0x401000);
	ck_assert_uint_eq(info.lo, 0x400000);
	ck_assert_uint_eq(info.hi, 0x408000);
	ck_assert_uint_eq(info.phdr_vaddr, 0x400040);
	ck_assert_uint_eq(info.phnum, 4);
	ck_assert_uint_eq(info.seg[1].flags, ELF_EXEC_R | ELF_EXEC_X);
	ck_assert_uint_eq(info.seg[2].memsz, 0x5000);
}
END_TEST

START_TEST(valid_pie_without_pt_phdr)
{
	make_image();
	img.eh.e_type = ET_DYN;
	img.ph[0].p_type = PT_NOTE;     /* AT_PHDR is found in the first PT_LOAD */
	for (int i = 1; i < 4; i++)
		img.ph[i].p_vaddr -= 0x400000;
	ck_assert_int_eq(elf_exec_parse(&img, sizeof(img), sizeof(img), USER_END, &info), 0);
	ck_assert_int_eq(info.pie, 1);
	ck_assert_uint_eq(info.lo, 0);
	ck_assert_uint_eq(info.phdr_vaddr, 64);
}
END_TEST

START_TEST(short_file)
{
	make_image();
	expect_bad(0, "shorter than an ELF header");
	expect_bad(63, "shorter than an ELF header");
}
END_TEST

START_TEST(bad_ident)
{
	make_image();
	img.eh.e_ident[1] = 'X';
	expect_bad(sizeof(img), "bad magic");
	make_image();
	img.eh.e_ident[EI_CLASS] = ELFCLASS32;
	expect_bad(sizeof(img), "EI_CLASS");
	make_image();
	img.eh.e_ident[EI_DATA] = ELFDATA2MSB;
	expect_bad(sizeof(img), "EI_DATA");
	make_image();
	img.eh.e_version = 2;
	expect_bad(sizeof(img), "e_version");
}
END_TEST

START_TEST(bad_type_machine)
{
	make_image();
	img.eh.e_type = ET_REL;
	expect_bad(sizeof(img), "e_type");
	make_image();
	img.eh.e_type = ET_CORE;
	expect_bad(sizeof(img), "e_type");
	make_image();
	img.eh.e_machine = EM_386;
	expect_bad(sizeof(img), "e_machine");
}
END_TEST

START_TEST(bad_phdr_table)
{
	make_image();
	img.eh.e_phentsize = 32;
	expect_bad(sizeof(img), "e_phentsize");
	make_image();
	img.eh.e_phnum = 0;
	expect_bad(sizeof(img), "e_phnum");
	make_image();
	img.eh.e_phnum = 65;
	expect_bad(sizeof(img), "e_phnum");
	make_image();
	img.eh.e_phoff = FILE_SIZE - 100;
	expect_bad(sizeof(img), "e_phoff");
	make_image();
	img.eh.e_phoff = UINT64_MAX - 8;     /* phoff + table wraps around */
	expect_bad(sizeof(img), "e_phoff");
	make_image();
	expect_bad(64 + 3 * 56, "e_phoff");  /* file cut inside the table */
	make_image();
	img.eh.e_phoff = 65;
	expect_bad(sizeof(img), "aligned");
}
END_TEST

START_TEST(phdrs_beyond_header_buffer)
{
	make_image();
	/* The whole file is valid, but the loader read only 200 bytes of it. */
	ck_assert_int_eq(elf_exec_parse(&img, 200, sizeof(img), USER_END, &info), -ENOEXEC);
	ck_assert_ptr_nonnull(strstr(info.why, "not within the first 64 KiB"));
	ck_assert_int_eq(elf_exec_parse(&img, 64 + 4 * 56, sizeof(img), USER_END, &info), 0);
}
END_TEST

START_TEST(bad_load_sizes)
{
	make_image();
	img.ph[3].p_filesz = 0x6000;
	expect_bad(sizeof(img), "p_filesz is larger than p_memsz");
	make_image();
	img.ph[2].p_filesz = img.ph[2].p_memsz = 0x3000;
	expect_bad(sizeof(img), "past the end of the file");
	make_image();
	img.ph[2].p_offset = UINT64_MAX - 0x10;
	expect_bad(sizeof(img), "past the end of the file");
	make_image();
	img.ph[3].p_memsz = UINT64_MAX - 0x402000;
	expect_bad(sizeof(img), "overflows");
	make_image();
	img.ph[3].p_memsz = 0;
	img.ph[3].p_filesz = 0;
	expect_bad(sizeof(img), "p_memsz is 0");
}
END_TEST

START_TEST(bad_load_layout)
{
	make_image();
	img.ph[3].p_vaddr = 0x402020;   /* vaddr and offset not congruent */
	expect_bad(sizeof(img), "modulo the page size");
	make_image();
	img.ph[3].p_vaddr = 0x400010;   /* overlaps the first segment */
	img.ph[3].p_offset = 0x10;
	expect_bad(sizeof(img), "overlap");
	make_image();
	for (int i = 1; i < 4; i++)
		img.ph[i].p_vaddr -= 0x400000;   /* at address 0 */
	expect_bad(sizeof(img), "below the lowest mappable address");
	make_image();
	img.ph[3].p_vaddr = USER_END - 0x1ff0;
	img.ph[3].p_offset = 0x10;
	expect_bad(sizeof(img), "outside the user address space");
}
END_TEST

START_TEST(no_load)
{
	make_image();
	for (int i = 1; i < 4; i++)
		img.ph[i].p_type = PT_NOTE;
	expect_bad(sizeof(img), "no PT_LOAD");
}
END_TEST

/* Put a PT_INTERP of n bytes (path + NUL) at file offset 0x300 in ph[0]. */
static void set_interp(const char *path, uint64_t n)
{
	img.ph[0] = (Elf64_Phdr){ .p_type = PT_INTERP, .p_flags = PF_R, .p_offset = 0x300,
				  .p_vaddr = 0x400300, .p_filesz = n, .p_memsz = n };
	memcpy((char *)&img + 0x300, path, strlen(path) + 1);
}

START_TEST(interp)
{
	static const char ld[] = "/lib64/ld-linux-x86-64.so.2";

	make_image();
	img.eh.e_type = ET_DYN;
	set_interp(ld, sizeof(ld));
	ck_assert_int_eq(elf_exec_parse(&img, sizeof(img), sizeof(img), USER_END, &info), 0);
	ck_assert_int_eq(info.has_interp, 1);
	ck_assert_uint_eq(info.interp_off, 0x300);
	ck_assert_uint_eq(info.interp_len, sizeof(ld) - 1);
	ck_assert_str_eq((char *)&img + info.interp_off, ld);
	/* the path must end with its NUL, and be 2 to 4096 bytes */
	make_image();
	set_interp(ld, sizeof(ld) - 1);
	expect_bad(sizeof(img), "PT_INTERP: the path does not end with a NUL byte");
	make_image();
	set_interp("", 1);
	expect_bad(sizeof(img), "PT_INTERP: p_filesz is not 2 to 4096 bytes");
	make_image();
	set_interp(ld, 4097);
	expect_bad(sizeof(img), "PT_INTERP: p_filesz is not 2 to 4096 bytes");
	/* it must lie within the bytes read (and so within the file) */
	make_image();
	set_interp(ld, sizeof(ld));
	img.ph[0].p_offset = FILE_SIZE - 4;
	expect_bad(sizeof(img), "PT_INTERP: the path is not within the first 64 KiB");
	make_image();
	set_interp(ld, sizeof(ld));
	img.ph[0].p_offset = UINT64_MAX - 4;
	expect_bad(sizeof(img), "PT_INTERP: the path is not within the first 64 KiB");
	/* only the first PT_INTERP counts, as on Linux */
	make_image();
	set_interp(ld, sizeof(ld));
	img.ph[1] = img.ph[0];
	img.ph[1].p_filesz = 1;
	img.eh.e_phnum = 2;
	img.ph[2] = (Elf64_Phdr){ .p_type = PT_LOAD, .p_flags = PF_R, .p_offset = 0,
				  .p_vaddr = 0x400000, .p_filesz = 0x1000, .p_memsz = 0x1000 };
	img.eh.e_phnum = 3;
	ck_assert_int_eq(elf_exec_parse(&img, sizeof(img), sizeof(img), USER_END, &info), 0);
	ck_assert_uint_eq(info.interp_len, sizeof(ld) - 1);
}
END_TEST

START_TEST(gnu_stack_and_relro)
{
	make_image();
	ck_assert_int_eq(elf_exec_parse(&img, sizeof(img), sizeof(img), USER_END, &info), 0);
	ck_assert_int_eq(info.exec_stack, 0);           /* none: not executable */
	ck_assert_uint_eq(info.relro_memsz, 0);
	img.ph[0] = (Elf64_Phdr){ .p_type = PT_GNU_STACK, .p_flags = PF_R | PF_W | PF_X };
	ck_assert_int_eq(elf_exec_parse(&img, sizeof(img), sizeof(img), USER_END, &info), 0);
	ck_assert_int_eq(info.exec_stack, 1);
	img.ph[0].p_flags = PF_R | PF_W;
	ck_assert_int_eq(elf_exec_parse(&img, sizeof(img), sizeof(img), USER_END, &info), 0);
	ck_assert_int_eq(info.exec_stack, 0);
	img.ph[0] = (Elf64_Phdr){ .p_type = PT_GNU_RELRO, .p_flags = PF_R, .p_offset = 0x2010,
				  .p_vaddr = 0x402010, .p_filesz = 0x80, .p_memsz = 0x80 };
	ck_assert_int_eq(elf_exec_parse(&img, sizeof(img), sizeof(img), USER_END, &info), 0);
	ck_assert_uint_eq(info.relro_vaddr, 0x402010);
	ck_assert_uint_eq(info.relro_memsz, 0x80);
}
END_TEST

START_TEST(too_many_loads)
{
	Elf64_Phdr *ph;
	unsigned char *buf = calloc(1, 0x20000);

	make_image();
	img.eh.e_phnum = 17;
	memcpy(buf, &img.eh, sizeof(img.eh));
	ph = (Elf64_Phdr *)(buf + 64);
	for (int i = 0; i < 17; i++)
		ph[i] = (Elf64_Phdr){ .p_type = PT_LOAD, .p_flags = PF_R, .p_offset = 0,
				      .p_vaddr = 0x400000 + 0x1000ULL * i, .p_filesz = 0x100,
				      .p_memsz = 0x100 };
	ck_assert_int_eq(elf_exec_parse(buf, 0x20000, 0x20000, USER_END, &info), -ENOEXEC);
	ck_assert_ptr_nonnull(strstr(info.why, "more than 16"));
	free(buf);
}
END_TEST

START_TEST(pie_too_big)
{
	make_image();
	img.eh.e_type = ET_DYN;
	img.ph[3].p_memsz = USER_END / 2;
	expect_bad(sizeof(img), "too large");
}
END_TEST

/* The kernel profile (vmm/kernel_load.c): ET_EXEC only, segments copied, not mapped. */
START_TEST(kernel_profile)
{
	make_image();
	/* Linked in the top 2 GiB, out of order, not page-congruent: a kernel may be. */
	img.ph[1].p_vaddr = 0xffffffff80202000ULL;
	img.ph[2].p_vaddr = 0xffffffff80200000ULL + 0x10;
	img.ph[3].p_vaddr = 0xffffffff80300000ULL;
	ck_assert_int_eq(elf_exec_check(&img, sizeof(img), sizeof(img), &elf_exec_kernel, &info), 0);
	ck_assert_uint_eq(info.lo, 0xffffffff80200000ULL);
	ck_assert_uint_eq(info.hi, 0xffffffff80305000ULL);
	/* ... which a program may not be. */
	expect_bad(sizeof(img), "modulo the page size");
	img.ph[2].p_vaddr = 0xffffffff80200000ULL;
	expect_bad(sizeof(img), "ascending order");
	/* The checks every executable passes still apply. */
	img.ph[3].p_filesz = 0x6000;
	ck_assert_int_eq(elf_exec_check(&img, sizeof(img), sizeof(img), &elf_exec_kernel, &info),
			 -ENOEXEC);
	ck_assert_ptr_nonnull(strstr(info.why, "p_filesz is larger than p_memsz"));
	make_image();
	img.eh.e_type = ET_DYN;
	ck_assert_int_eq(elf_exec_check(&img, sizeof(img), sizeof(img), &elf_exec_kernel, &info),
			 -ENOEXEC);
	ck_assert_ptr_nonnull(strstr(info.why, "e_type: not ET_EXEC"));
}
END_TEST

static Suite *unit_suite(void)
{
	Suite *s = suite_create("elf_exec");
	TCase *tc = tcase_create("parse");

	tcase_add_test(tc, valid_exec);
	tcase_add_test(tc, valid_pie_without_pt_phdr);
	tcase_add_test(tc, short_file);
	tcase_add_test(tc, bad_ident);
	tcase_add_test(tc, bad_type_machine);
	tcase_add_test(tc, bad_phdr_table);
	tcase_add_test(tc, phdrs_beyond_header_buffer);
	tcase_add_test(tc, bad_load_sizes);
	tcase_add_test(tc, bad_load_layout);
	tcase_add_test(tc, no_load);
	tcase_add_test(tc, interp);
	tcase_add_test(tc, gnu_stack_and_relro);
	tcase_add_test(tc, too_many_loads);
	tcase_add_test(tc, pie_too_big);
	tcase_add_test(tc, kernel_profile);
	suite_add_tcase(s, tc);
	return s;
}

const struct unit_main unit_main = { .suite = unit_suite };
