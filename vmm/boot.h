/* boot.h: laying out guest memory for entry: boot info, cmdline, commands, initrd. */
#ifndef MODVISOR_VMM_BOOT_H
#define MODVISOR_VMM_BOOT_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include "kernel_load.h"
#include "vm.h"

/* One command for the guest to run: argv[0..argc). */
struct boot_cmd {
	int argc;
	char **argv;
};

/* What the user asked the guest to get, besides the kernel. */
struct boot_spec {
	const char *cmdline;            /* kernel command line ("" if none) */
	const uint8_t *initrd;          /* default initrd (newc cpio), or NULL */
	size_t initrd_len;
	const uint8_t *extra;           /* --add archive (newc cpio), or NULL */
	size_t extra_len;
	const struct boot_cmd *cmds;    /* -c / -- commands, in order */
	int ncmds;
	uint16_t tty_rows, tty_cols;    /* a terminal's size (MV_BOOT_F_TTY), else 0 */
};

/*
 * boot_pack_cmds(cmds, n, out, cap): write the command records of
 * bootinfo.h (u32 argc, then argc NUL-terminated strings; unaligned) into
 * out.  Returns the bytes written, or -E2BIG when cap is too small.
 */
ssize_t boot_pack_cmds(const struct boot_cmd *cmds, int n, uint8_t *out, size_t cap);

/*
 * The module region (MV_MEM_MODULES): guest RAM set aside for module
 * memory, right after the kernel image: RAM / BOOT_MODREGION_SHARE, whole
 * MiB, from BOOT_MODREGION_MIN to BOOT_MODREGION_MAX.
 */
#define BOOT_MODREGION_SHARE  16u
#define BOOT_MODREGION_MIN    (1ull << 20)
#define BOOT_MODREGION_MAX    (64ull << 20)

/*
 * boot_module_region(ram, ki, gpa, len): where the module region of a VM
 * with ram bytes booting ki lies; *len is 0 when RAM has no room for it.
 * boot_layout() puts it in the memory map; the seal checks against it.
 */
void boot_module_region(uint64_t ram, const struct kernel_info *ki, uint64_t *gpa,
			uint64_t *len);

/*
 * boot_layout(m, ki, bs, flags, err, errlen): the arch-independent part of
 * boot_prepare(): fill struct mv_bootinfo at MV_GPA_BOOTINFO in m (memory
 * map, flags, seed) and place the command line, the command records and the
 * initrd(s), the initrd page-aligned at the top of RAM below 2 GiB.  Returns
 * 0 or -errno with a message in err.
 */
int boot_layout(struct guest_mem *m, const struct kernel_info *ki,
		const struct boot_spec *bs, uint32_t flags, char *err, size_t errlen);

/*
 * boot_prepare(vm, ki, bs, err, errlen): after the kernel is loaded, place
 * the command line, commands, initrd(s) and struct mv_bootinfo in guest RAM
 * and set up vCPU 0 to enter the kernel.  Returns 0, or -errno with a
 * message in err (e.g. the initrd does not fit in --mem).
 */
int boot_prepare(struct vm *vm, const struct kernel_info *ki,
		 const struct boot_spec *bs, char *err, size_t errlen);

/*
 * boot_arch_setup(vm, entry, bootinfo_gpa, err, errlen): arch hook (in
 * boot_x86_64.c): boot page tables, GDT and registers so vCPU 0 starts at
 * entry in long mode with the boot info's GPA as first argument.
 */
int boot_arch_setup(struct vm *vm, uint64_t entry, uint64_t bootinfo_gpa,
		    char *err, size_t errlen);

#endif
