/* bootinfo.h: what the VMM hands the guest kernel at entry (GPA in %rdi). */
#ifndef MODVISOR_ABI_BOOTINFO_H
#define MODVISOR_ABI_BOOTINFO_H

#include <stdint.h>

/*
 * The guest kernel is entered in 64-bit long mode at its ELF e_entry with
 * %rdi = the GPA of struct mv_bootinfo (also reachable at the kernel's
 * direct map, MV_KERNEL_VBASE + GPA).  The VMM's boot page tables map
 * guest-physical [0, min(RAM, 4 GiB)) both 1:1 and at MV_KERNEL_VBASE,
 * with 2 MiB pages; the guest replaces them with its own.
 * Same versioning rules as hypercall.h: fields are only appended.
 */

#define MV_BOOTINFO_MAGIC   0x746f6f42766d4d4dULL  /* "MMmvBoot" */
#define MV_KERNEL_VBASE     0xffffffff80000000ULL  /* top 2 GiB -> GPA 0 */
#define MV_KERNEL_PHYS      0x200000ULL            /* kernel load GPA */

/* Guest-physical layout the VMM uses below the kernel. */
#define MV_GPA_BOOTINFO     0x1000ULL
#define MV_GPA_PAGETABLES   0x2000ULL   /* 0x2000-0x7fff: boot page tables */
#define MV_GPA_CMDLINE      0x8000ULL   /* kernel command line */
#define MV_CMDLINE_MAX      0x1000ULL
#define MV_GPA_CMDS         0x10000ULL  /* packed command vectors */
#define MV_CMDS_MAX         0xf0000ULL  /* up to MV_KERNEL_PHYS */

#define MV_MEMMAP_MAX       8
enum mv_mem_type {
	MV_MEM_USABLE   = 1,
	MV_MEM_RESERVED = 2,    /* boot structures, kernel image */
	MV_MEM_INITRD   = 3,
	MV_MEM_MODULES  = 4,    /* set aside for module memory (MV_HC_MODULE_SEAL) */
};

struct mv_memmap_entry {
	uint64_t base;          /* GPA */
	uint64_t len;
	uint32_t type;          /* enum mv_mem_type */
	uint32_t _pad;
};
_Static_assert(sizeof(struct mv_memmap_entry) == 24, "memmap entry size");

/*
 * Commands to run (modvisor run -- CMD, -c 'CMD'): at GPA cmds, cmds_len
 * bytes holding cmd_count records.  Each record is a uint32_t argc followed
 * by argc NUL-terminated strings; the VMM has already split -c strings into
 * words.  Records are not aligned.
 */
struct mv_bootinfo {
	uint64_t magic;             /* MV_BOOTINFO_MAGIC */
	uint32_t abi_version;       /* MV_ABI_VERSION of the VMM */
	uint32_t size;              /* sizeof(struct mv_bootinfo) */
	uint64_t mem_size;          /* bytes of guest RAM, from GPA 0 */
	uint64_t cmdline;           /* GPA of NUL-terminated kernel cmdline */
	uint64_t cmdline_len;       /* without the NUL */
	uint64_t initrd;            /* GPA of the newc cpio (may be 0) */
	uint64_t initrd_len;
	uint64_t cmds;              /* GPA of the command records */
	uint64_t cmds_len;
	uint32_t cmd_count;
	uint32_t memmap_count;
	struct mv_memmap_entry memmap[MV_MEMMAP_MAX];
	uint64_t tsc_khz;           /* TSC frequency; 0 if unknown */
	uint64_t boot_tsc;          /* host TSC read just before entry */
	uint64_t epoch_ns;          /* host CLOCK_REALTIME at boot_tsc */
	uint8_t  seed[32];          /* host randomness for getrandom/AT_RANDOM */
	uint32_t flags;             /* MV_BOOT_F_* */
	uint32_t _pad;
	uint16_t tty_rows;          /* MV_BOOT_F_TTY: the host terminal's size */
	uint16_t tty_cols;
	uint32_t _pad2;
};

#define MV_BOOT_F_MODULES_DISABLED  (1u << 0)  /* policy: modules_disabled=1 */
#define MV_BOOT_F_BENCH             (1u << 1)  /* report stage timings */
#define MV_BOOT_F_TTY               (1u << 2)  /* stdin is a terminal: the console is a tty */
#define MV_BOOT_F_SEAL              (1u << 3)  /* protect = on: seal each module (MV_HC_MODULE_SEAL) */

#endif
