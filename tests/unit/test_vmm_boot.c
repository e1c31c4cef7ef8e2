/* test_vmm_boot.c: the --add cpio writer (read back two ways) and command packing. */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include "../../vmm/boot.h"
#include "../../vmm/cpio_write.h"
#include "modvisor/cpio.h"
#include "modvisor/abi/bootinfo.h"
#include "check_main.h"

static char dir[64], err[512];

/* The host tree the --add tests read: dir/{a, link -> a, sub/b}. */
static void setup(void)
{
	char p[128];
	FILE *f;

	strcpy(dir, "/tmp/mv-cpio-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(p, sizeof(p), "%s/a", dir);
	f = fopen(p, "w");
	fputs("hello", f);
	fclose(f);
	chmod(p, 0640);
	snprintf(p, sizeof(p), "%s/sub", dir);
	mkdir(p, 0750);
	snprintf(p, sizeof(p), "%s/sub/b", dir);
	fclose(fopen(p, "w"));
	chmod(p, 0755);
	snprintf(p, sizeof(p), "%s/link", dir);
	ck_assert_int_eq(symlink("a", p), 0);
}

static void teardown(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	ck_assert_int_eq(system(cmd), 0);
}

START_TEST(tree_reads_back)
{
	static const struct { const char *name; unsigned mode; const char *data; } want[] = {
		{ "lib", 040755, "" }, { "lib/x", 040700, "" },
		{ "lib/x/a", 0100640, "hello" }, { "lib/x/link", 0120777, "a" },
		{ "lib/x/sub", 040750, "" }, { "lib/x/sub/b", 0100755, "" },
	};
	struct cpio_out o = { 0 };
	struct cpio_reader r;
	struct cpio_entry e;
	size_t i;

	ck_assert_int_eq(cpio_add_host(&o, dir, "/lib/x", err, sizeof(err)), 0);
	ck_assert_int_eq(cpio_finish(&o), 0);
	ck_assert_uint_eq(o.len % 4, 0);
	cpio_init(&r, o.data, o.len);
	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		ck_assert_int_eq(cpio_next(&r, &e), 1);
		ck_assert_str_eq(e.name, want[i].name);
		ck_assert_uint_eq(e.mode, want[i].mode);
		ck_assert_uint_eq(e.size, strlen(want[i].data));
		ck_assert(memcmp(e.data, want[i].data, e.size) == 0);
		ck_assert_uint_eq(e.uid, 0);
	}
	ck_assert_int_eq(cpio_next(&r, &e), 0);
	cpio_free(&o);
}
END_TEST

START_TEST(cpio_tool_agrees)
{
	struct cpio_out o = { 0 };
	char path[128], cmd[256], line[256], all[1024] = "";
	FILE *f, *p;

	ck_assert_int_eq(cpio_add_host(&o, dir, "/m", err, sizeof(err)), 0);
	ck_assert_int_eq(cpio_finish(&o), 0);
	snprintf(path, sizeof(path), "%s.cpio", dir);
	f = fopen(path, "w");
	ck_assert_uint_eq(fwrite(o.data, 1, o.len, f), o.len);
	fclose(f);
	snprintf(cmd, sizeof(cmd), "cpio -it --quiet < %s 2>&1", path);
	p = popen(cmd, "r");
	while (fgets(line, sizeof(line), p))
		strncat(all, line, sizeof(all) - strlen(all) - 1);
	ck_assert_int_eq(pclose(p), 0);
	unlink(path);
	ck_assert_str_eq(all, "m\nm/a\nm/link\nm/sub\nm/sub/b\n");
	cpio_free(&o);
}
END_TEST

START_TEST(single_file_gets_parents)
{
	struct cpio_out o = { 0 };
	struct cpio_reader r;
	struct cpio_entry e;
	char host[128];

	snprintf(host, sizeof(host), "%s/a", dir);
	ck_assert_int_eq(cpio_add_host(&o, host, "/lib/modules/mymod.ko", err, sizeof(err)), 0);
	ck_assert_int_eq(cpio_finish(&o), 0);
	cpio_init(&r, o.data, o.len);
	ck_assert_int_eq(cpio_next(&r, &e), 1);
	ck_assert_str_eq(e.name, "lib");
	ck_assert_int_eq(cpio_next(&r, &e), 1);
	ck_assert_str_eq(e.name, "lib/modules");
	ck_assert_int_eq(cpio_next(&r, &e), 1);
	ck_assert_str_eq(e.name, "lib/modules/mymod.ko");
	ck_assert_uint_eq(e.size, 5);
	cpio_free(&o);
}
END_TEST

START_TEST(missing_and_bad_paths)
{
	struct cpio_out o = { 0 };

	ck_assert_int_eq(cpio_add_host(&o, "/nonexistent/x.ko", "/x.ko", err, sizeof(err)),
			 -ENOENT);
	ck_assert_str_eq(err, "--add: /nonexistent/x.ko: No such file or directory");
	ck_assert_int_eq(cpio_add_host(&o, dir, "/lib/../etc", err, sizeof(err)), -EINVAL);
	ck_assert_ptr_nonnull(strstr(err, "contains '..'"));
	ck_assert_int_eq(cpio_add_host(&o, dir, "relative", err, sizeof(err)), -EINVAL);
	ck_assert_int_eq(cpio_add_host(&o, dir, "/", err, sizeof(err)), -EINVAL);
	ck_assert_int_eq(cpio_add_host(&o, dir, "/a//b", err, sizeof(err)), -EINVAL);
	ck_assert_int_eq(cpio_add_host(&o, dir, "/a/", err, sizeof(err)), -EINVAL);
	ck_assert_ptr_nonnull(strstr(err, "empty component"));
	ck_assert_uint_eq(o.len, 0);
	cpio_free(&o);
}
END_TEST

START_TEST(pack_commands)
{
	char *a[] = { "echo", "hi", NULL }, *b[] = { "true", NULL };
	struct boot_cmd cmds[] = { { 2, a }, { 1, b } };
	uint8_t out[64];
	static const uint8_t want[] = { 2, 0, 0, 0, 'e', 'c', 'h', 'o', 0, 'h', 'i', 0,
					1, 0, 0, 0, 't', 'r', 'u', 'e', 0 };

	ck_assert_int_eq(boot_pack_cmds(cmds, 2, out, sizeof(out)), sizeof(want));
	ck_assert(memcmp(out, want, sizeof(want)) == 0);
	ck_assert_int_eq(boot_pack_cmds(cmds, 2, out, sizeof(want) - 1), -E2BIG);
	ck_assert_int_eq(boot_pack_cmds(cmds, 2, out, 3), -E2BIG);
	ck_assert_int_eq(boot_pack_cmds(cmds, 0, out, 0), 0);
}
END_TEST

/* A 64 MiB guest with a kernel ending at 3 MiB + 5 bytes. */
static struct guest_mem lmem;
static const struct kernel_info lki = { .entry = MV_KERNEL_VBASE + MV_KERNEL_PHYS,
					.phys_start = MV_KERNEL_PHYS,
					.phys_end = (3u << 20) + 5 };

static struct mv_bootinfo *layout(const struct boot_spec *bs, int want_rc)
{
	lmem.size = 64u << 20;
	lmem.host = lmem.host ? lmem.host : calloc(1, lmem.size);
	ck_assert_int_eq(boot_layout(&lmem, &lki, bs, MV_BOOT_F_BENCH, err, sizeof(err)),
			 want_rc);
	return (struct mv_bootinfo *)(lmem.host + MV_GPA_BOOTINFO);
}

START_TEST(layout_memmap_and_initrd)
{
	static const uint8_t initrd[6] = "INITRD", extra[8] = "EXTRA!!";
	char *argv[] = { "echo", "hi", NULL };
	struct boot_cmd cmd = { 2, argv };
	struct boot_spec bs = { "quiet", initrd, 6, extra, 8, &cmd, 1, 40, 132 };
	struct mv_bootinfo *bi = layout(&bs, 0);
	uint64_t end = 64u << 20;

	ck_assert_uint_eq(bi->tty_rows, 40);    /* the host terminal's size (MV_BOOT_F_TTY) */
	ck_assert_uint_eq(bi->tty_cols, 132);

	ck_assert_uint_eq(bi->magic, MV_BOOTINFO_MAGIC);
	ck_assert_uint_eq(bi->abi_version, MV_ABI_VERSION);
	ck_assert_uint_eq(bi->size, sizeof(*bi));
	ck_assert_uint_eq(bi->mem_size, end);
	ck_assert_uint_eq(bi->flags, MV_BOOT_F_BENCH);
	ck_assert_uint_eq(bi->cmdline_len, 5);
	ck_assert_str_eq((char *)lmem.host + bi->cmdline, "quiet");
	ck_assert_uint_eq(bi->cmd_count, 1);
	ck_assert_uint_eq(bi->cmds_len, 4 + 5 + 3);
	/* initrd, 2 bytes of padding, then the --add archive; page-aligned */
	ck_assert_uint_eq(bi->initrd_len, 16);
	ck_assert_uint_eq(bi->initrd % 4096, 0);
	ck_assert_uint_eq(bi->initrd, end - 4096);
	ck_assert(memcmp(lmem.host + bi->initrd, "INITRD\0\0EXTRA!!", 16) == 0);
	ck_assert_uint_eq(bi->memmap_count, 5);
	ck_assert_uint_eq(bi->memmap[0].type, MV_MEM_RESERVED);
	ck_assert_uint_eq(bi->memmap[0].len, MV_KERNEL_PHYS);
	ck_assert_uint_eq(bi->memmap[1].base, MV_KERNEL_PHYS);
	ck_assert_uint_eq(bi->memmap[1].len, (1u << 20) + 4096);     /* page-rounded */
	/* the module region right after the kernel: 64 MiB / 16 */
	ck_assert_uint_eq(bi->memmap[2].type, MV_MEM_MODULES);
	ck_assert_uint_eq(bi->memmap[2].base, bi->memmap[1].base + bi->memmap[1].len);
	ck_assert_uint_eq(bi->memmap[2].len, 4u << 20);
	ck_assert_uint_eq(bi->memmap[3].type, MV_MEM_USABLE);
	ck_assert_uint_eq(bi->memmap[3].base, bi->memmap[2].base + bi->memmap[2].len);
	ck_assert_uint_eq(bi->memmap[3].base + bi->memmap[3].len, bi->initrd);
	ck_assert_uint_eq(bi->memmap[4].type, MV_MEM_INITRD);
	ck_assert_uint_eq(bi->memmap[4].base + bi->memmap[4].len, end);
}
END_TEST

START_TEST(layout_no_initrd)
{
	struct boot_spec bs = { NULL, NULL, 0, NULL, 0, NULL, 0, 0, 0 };
	struct mv_bootinfo *bi = layout(&bs, 0);

	ck_assert_uint_eq(bi->initrd, 0);
	ck_assert_uint_eq(bi->initrd_len, 0);
	ck_assert_uint_eq(bi->cmdline_len, 0);
	ck_assert_uint_eq(bi->memmap_count, 4);
	ck_assert_uint_eq(bi->memmap[2].type, MV_MEM_MODULES);
	ck_assert_uint_eq(bi->memmap[3].type, MV_MEM_USABLE);
	ck_assert_uint_eq(bi->memmap[3].base + bi->memmap[3].len, 64u << 20);
}
END_TEST

START_TEST(layout_refusals)
{
	static uint8_t big[62u << 20];
	static char cmdline[MV_CMDLINE_MAX + 1];
	struct boot_spec bs = { NULL, big, sizeof(big), NULL, 0, NULL, 0, 0, 0 };

	layout(&bs, -ENOMEM);
	ck_assert_ptr_nonnull(strstr(err, "do not fit in 64 MiB of guest RAM: raise --mem"));
	memset(cmdline, 'x', MV_CMDLINE_MAX);
	bs = (struct boot_spec){ cmdline, NULL, 0, NULL, 0, NULL, 0, 0, 0 };
	layout(&bs, -E2BIG);
	ck_assert_ptr_nonnull(strstr(err, "--cmdline is 4096 bytes, the limit is 4095"));
}
END_TEST

static Suite *unit_suite(void)
{
	Suite *s = suite_create("vmm_boot");
	TCase *tc = tcase_create("cpio_write");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, tree_reads_back);
	tcase_add_test(tc, cpio_tool_agrees);
	tcase_add_test(tc, single_file_gets_parents);
	tcase_add_test(tc, missing_and_bad_paths);
	tcase_add_test(tc, pack_commands);
	tcase_add_test(tc, layout_memmap_and_initrd);
	tcase_add_test(tc, layout_no_initrd);
	tcase_add_test(tc, layout_refusals);
	suite_add_tcase(s, tc);
	return s;
}

const struct unit_main unit_main = { .suite = unit_suite };
