/* pvh.h: Xen's x86/HVM direct boot ABI (PVH), the start info QEMU's -kernel hands a PVH kernel. */
#ifndef MV_GUEST_PVH_H
#define MV_GUEST_PVH_H

#include <stdint.h>

/*
 * A loader that finds the XEN_ELFNOTE_PHYS32_ENTRY note in kernel.elf
 * (QEMU's -kernel, libvirt's <kernel>) enters its address in 32-bit
 * protected mode without paging, with %ebx = the physical address of
 * struct hvm_start_info (xen/include/public/arch-x86/hvm/start_info.h).
 * Every address in it is physical; version 1 adds the memory map.
 */
#define XEN_ELFNOTE_PHYS32_ENTRY  18
#define HVM_START_MAGIC           0x336ec578u

struct hvm_start_info {
	uint32_t magic;             /* HVM_START_MAGIC */
	uint32_t version;           /* 0 or 1 */
	uint32_t flags;
	uint32_t nr_modules;        /* entries at modlist_paddr; QEMU: the initrd */
	uint64_t modlist_paddr;     /* struct hvm_modlist_entry[nr_modules] */
	uint64_t cmdline_paddr;     /* NUL-terminated, or 0 */
	uint64_t rsdp_paddr;        /* ACPI RSDP, or 0 */
	/* version >= 1: */
	uint64_t memmap_paddr;      /* struct hvm_memmap_table_entry[memmap_entries] */
	uint32_t memmap_entries;
	uint32_t reserved;
};
_Static_assert(sizeof(struct hvm_start_info) == 56, "hvm_start_info size");

struct hvm_modlist_entry {
	uint64_t paddr;
	uint64_t size;
	uint64_t cmdline_paddr;
	uint64_t reserved;
};
_Static_assert(sizeof(struct hvm_modlist_entry) == 32, "hvm_modlist_entry size");

/* E820 types. */
#define HVM_MEMMAP_TYPE_RAM       1
struct hvm_memmap_table_entry {
	uint64_t addr;
	uint64_t size;
	uint32_t type;
	uint32_t reserved;
};
_Static_assert(sizeof(struct hvm_memmap_table_entry) == 24, "hvm_memmap_table_entry size");

#endif
