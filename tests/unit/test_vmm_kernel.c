/* test_vmm_kernel.c: guest kernel ELF loading: a valid image and each malformed field. */
#include <check.h>
#include <modvisor/elf64.h>
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "../../vmm/kernel_load.h"
#include "modvisor/abi/bootinfo.h"
#include "check_main.h"
#include "../hosted/elf_ehdr.h"

#define RAM (16u << 20)

/* A small kernel: text at 2 MiB (linked high), data + bss after it. */
struct img {
	Elf64_Ehdr eh;
	Elf64_Phdr ph[3];
	uint8_t text[16];
	uint8_t data[16];
};

static struct img img;
static struct guest_mem mem;
static char err[512];

static void img_init(void)
{
	memset(&img, 0, sizeof(img));
	elf_ehdr_init(&img.eh, ET_EXEC);
	img.eh.e_entry = MV_KERNEL_VBASE + MV_KERNEL_PHYS + 4;
	img.eh.e_phoff = offsetof(struct img, ph);
	img.eh.e_phentsize = sizeof(Elf64_Phdr);
	img.eh.e_phnum = 3;
	img.ph[0] = (Elf64_Phdr){ PT_LOAD, PF_R | PF_X, offsetof(struct img, text),
		MV_KERNEL_VBASE + MV_KERNEL_PHYS, MV_KERNEL_PHYS, 16, 0x1000, 0x1000 };
	img.ph[1] = (Elf64_Phdr){ PT_LOAD, PF_R | PF_W, offsetof(struct img, data),
		MV_KERNEL_VBASE + MV_KERNEL_PHYS + 0x1000, MV_KERNEL_PHYS + 0x1000, 16,
		0x3000, 0x1000 };
	img.ph[2] = (Elf64_Phdr){ PT_NOTE, PF_R, 0, 0, 0, 0, 0, 4 };
	memset(img.text, 0x90, sizeof(img.text));
	memset(img.data, 0xab, sizeof(img.data));
}

static void setup(void)
{
	img_init();
	mem.host = calloc(1, RAM);
	mem.size = RAM;
	memset(err, 0, sizeof(err));
}

static void teardown(void)
{
	free(mem.host);
}

/* load(len): kernel_load of the first len bytes of img. */
static int load(size_t len, struct kernel_info *ki)
{
	return kernel_load("kernel.elf", (const uint8_t *)&img, len, &mem, ki, err,
			   sizeof(err));
}

/* refused(needle): the image is refused, nothing is written, err names it. */
static void refused(const char *needle)
{
	struct kernel_info ki;

	memset(mem.host + MV_KERNEL_PHYS, 0x5a, 16);
	ck_assert_int_eq(load(sizeof(img), &ki), -ENOEXEC);
	ck_assert_msg(strstr(err, needle) != NULL, "error '%s' lacks '%s'", err, needle);
	ck_assert_msg(strncmp(err, "kernel.elf: ", 12) == 0, "error '%s' lacks the name", err);
	ck_assert_uint_eq(mem.host[MV_KERNEL_PHYS], 0x5a);
}

START_TEST(valid)
{
	struct kernel_info ki;

	memset(mem.host + MV_KERNEL_PHYS + 0x1000 + 16, 0xff, 64);
	ck_assert_int_eq(load(sizeof(img), &ki), 0);
	ck_assert_uint_eq(ki.entry, MV_KERNEL_VBASE + MV_KERNEL_PHYS + 4);
	ck_assert_uint_eq(ki.phys_start, MV_KERNEL_PHYS);
	ck_assert_uint_eq(ki.phys_end, MV_KERNEL_PHYS + 0x4000);
	ck_assert_uint_eq(mem.host[MV_KERNEL_PHYS + 15], 0x90);
	ck_assert_uint_eq(mem.host[MV_KERNEL_PHYS + 16], 0);
	ck_assert_uint_eq(mem.host[MV_KERNEL_PHYS + 0x1000], 0xab);
	ck_assert_uint_eq(mem.host[MV_KERNEL_PHYS + 0x1000 + 16], 0);    /* bss zeroed */
}
END_TEST

/*
 * The read-only ranges the host protects: the text segment's whole page;
 * a read-only segment sharing a page with the writable one loses that page.
 */
START_TEST(read_only_ranges)
{
	struct kernel_info ki;

	ck_assert_int_eq(load(sizeof(img), &ki), 0);
	ck_assert_int_eq(ki.nro, 1);
	ck_assert_uint_eq(ki.ro[0].gpa, MV_KERNEL_PHYS);
	ck_assert_uint_eq(ki.ro[0].len, 0x1000);
	/* text now 0x1800 bytes: its second page holds the start of data. */
	img.ph[0].p_memsz = 0x1800;
	img.ph[1].p_paddr = img.ph[1].p_vaddr - MV_KERNEL_VBASE + 0x800;
	img.ph[1].p_vaddr += 0x800;
	ck_assert_int_eq(load(sizeof(img), &ki), 0);
	ck_assert_int_eq(ki.nro, 1);
	ck_assert_uint_eq(ki.ro[0].len, 0x1000);
	/* Writable text: nothing is read-only. */
	img.ph[0].p_flags |= PF_W;
	ck_assert_int_eq(load(sizeof(img), &ki), 0);
	ck_assert_int_eq(ki.nro, 0);
}
END_TEST

START_TEST(valid_identity_linked)
{
	struct kernel_info ki;

	img.ph[0].p_vaddr = img.ph[0].p_paddr;
	img.eh.e_entry = MV_KERNEL_PHYS;
	ck_assert_int_eq(load(sizeof(img), &ki), 0);
}
END_TEST

START_TEST(too_short)
{
	struct kernel_info ki;

	ck_assert_int_eq(load(20, &ki), -ENOEXEC);
	ck_assert_ptr_nonnull(strstr(err, "shorter than an ELF header"));
}
END_TEST

START_TEST(bad_magic)  { img.eh.e_ident[1] = 'X'; refused("e_ident: not an ELF file (bad magic)"); } END_TEST
START_TEST(bad_class)  { img.eh.e_ident[EI_CLASS] = ELFCLASS32; refused("EI_CLASS"); } END_TEST
START_TEST(bad_endian) { img.eh.e_ident[EI_DATA] = ELFDATA2MSB; refused("EI_DATA"); } END_TEST
START_TEST(bad_version) { img.eh.e_version = 7; refused("e_version: not ELF version 1"); } END_TEST
START_TEST(bad_type)   { img.eh.e_type = ET_DYN; refused("e_type: not ET_EXEC"); } END_TEST
START_TEST(bad_machine) { img.eh.e_machine = EM_386; refused("e_machine: not x86-64"); } END_TEST
START_TEST(bad_phentsize) { img.eh.e_phentsize = 32; refused("e_phentsize: not 56"); } END_TEST
START_TEST(zero_phnum) { img.eh.e_phnum = 0; refused("e_phnum: no program headers"); } END_TEST
START_TEST(huge_phnum) { img.eh.e_phnum = 0xffff; refused("or more than 64"); } END_TEST

START_TEST(phdrs_past_file)
{
	img.eh.e_phoff = sizeof(img) - 8;
	refused("e_phoff: program headers extend past the end of the file");
}
END_TEST

START_TEST(phoff_overflow)
{
	img.eh.e_phoff = UINT64_MAX - 8;
	refused("e_phoff: program headers extend past the end of the file");
}
END_TEST

START_TEST(filesz_past_file)
{
	img.ph[1].p_filesz = 0x100;
	refused("PT_LOAD: p_offset + p_filesz is past the end of the file");
}
END_TEST

START_TEST(offset_overflow)
{
	img.ph[0].p_offset = UINT64_MAX - 4;
	refused("PT_LOAD: p_offset + p_filesz is past the end of the file");
}
END_TEST

START_TEST(memsz_below_filesz)
{
	img.ph[1].p_memsz = 8;
	refused("PT_LOAD: p_filesz is larger than p_memsz");
}
END_TEST

START_TEST(paddr_overflow)
{
	img.ph[1].p_paddr = UINT64_MAX - 0x100;
	img.ph[1].p_vaddr = img.ph[1].p_paddr;
	refused("PT_LOAD: p_vaddr + p_memsz overflows");
}
END_TEST

START_TEST(outside_ram)
{
	img.ph[1].p_paddr = RAM - 0x1000;
	img.ph[1].p_vaddr = MV_KERNEL_VBASE + img.ph[1].p_paddr;
	refused("program header 1: p_paddr+p_memsz (0x");
	ck_assert_ptr_nonnull(strstr(err, "outside guest RAM"));
}
END_TEST

START_TEST(boot_area)
{
	img.ph[0].p_paddr = 0x1000;
	img.ph[0].p_vaddr = MV_KERNEL_VBASE + 0x1000;
	refused("program header 0: p_paddr 0x1000 overlaps the boot area");
}
END_TEST

START_TEST(overlap)
{
	img.ph[1].p_paddr = MV_KERNEL_PHYS + 0x800;
	img.ph[1].p_vaddr = MV_KERNEL_VBASE + img.ph[1].p_paddr;
	refused("program header 1: [0x200800, 0x203800) overlaps program header 0");
}
END_TEST

START_TEST(vaddr_mismatch)
{
	img.ph[0].p_vaddr = 0xffffffff90000000ull;
	refused("program header 0: p_vaddr 0xffffffff90000000 maps to neither");
}
END_TEST

START_TEST(entry_outside)
{
	img.eh.e_entry = MV_KERNEL_VBASE + 0x900000;
	refused("e_entry 0xffffffff80900000 is not inside an executable PT_LOAD");
}
END_TEST

START_TEST(entry_in_data)
{
	img.eh.e_entry = img.ph[1].p_vaddr;
	refused("is not inside an executable PT_LOAD");
}
END_TEST

START_TEST(no_load)
{
	img.ph[0].p_type = PT_NULL;
	img.ph[1].p_type = PT_NULL;
	refused("no PT_LOAD segment");
}
END_TEST

START_TEST(file_missing)
{
	struct kernel_info ki;

	ck_assert_int_eq(kernel_load_file("/nonexistent/kernel.elf", &mem, &ki, err,
					  sizeof(err)), -ENOENT);
	ck_assert_ptr_nonnull(strstr(err, "/nonexistent/kernel.elf: No such file"));
}
END_TEST

/* Random byte flips never crash the loader nor get past it half-checked. */
START_TEST(mutations)
{
	struct kernel_info ki;
	uint8_t *bytes = (uint8_t *)&img;
	unsigned seed = 1, i, k;
	int rc;

	for (i = 0; i < 20000; i++) {
		img_init();
		for (k = 0; k < 1 + i % 4; k++)
			bytes[rand_r(&seed) % sizeof(img)] = (uint8_t)rand_r(&seed);
		rc = load(sizeof(img) - (i % 7 == 0 ? rand_r(&seed) % sizeof(img) : 0), &ki);
		ck_assert(rc == 0 || rc == -ENOEXEC);
		if (rc == 0) {
			ck_assert_uint_ge(ki.phys_start, MV_KERNEL_PHYS);
			ck_assert_uint_le(ki.phys_end, RAM);
		}
	}
}
END_TEST

static Suite *unit_suite(void)
{
	Suite *s = suite_create("vmm_kernel");
	TCase *tc = tcase_create("kernel_load");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, valid);
	tcase_add_test(tc, valid_identity_linked);
	tcase_add_test(tc, too_short);
	tcase_add_test(tc, bad_magic);
	tcase_add_test(tc, bad_class);
	tcase_add_test(tc, bad_endian);
	tcase_add_test(tc, bad_version);
	tcase_add_test(tc, bad_type);
	tcase_add_test(tc, bad_machine);
	tcase_add_test(tc, bad_phentsize);
	tcase_add_test(tc, zero_phnum);
	tcase_add_test(tc, huge_phnum);
	tcase_add_test(tc, phdrs_past_file);
	tcase_add_test(tc, phoff_overflow);
	tcase_add_test(tc, filesz_past_file);
	tcase_add_test(tc, offset_overflow);
	tcase_add_test(tc, memsz_below_filesz);
	tcase_add_test(tc, paddr_overflow);
	tcase_add_test(tc, outside_ram);
	tcase_add_test(tc, boot_area);
	tcase_add_test(tc, overlap);
	tcase_add_test(tc, vaddr_mismatch);
	tcase_add_test(tc, entry_outside);
	tcase_add_test(tc, entry_in_data);
	tcase_add_test(tc, no_load);
	tcase_add_test(tc, file_missing);
	tcase_add_test(tc, mutations);
	tcase_add_test(tc, read_only_ranges);
	suite_add_tcase(s, tc);
	return s;
}

const struct unit_main unit_main = { .suite = unit_suite };
