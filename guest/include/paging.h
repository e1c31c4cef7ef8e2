/* paging.h: 4-level page-table operations shared by the kernel and user address spaces. */
#ifndef MV_GUEST_PAGING_H
#define MV_GUEST_PAGING_H

#include "mm.h"

#define PTE_P       (1ULL << 0)
#define PTE_W       (1ULL << 1)
#define PTE_U       (1ULL << 2)
#define PTE_PWT     (1ULL << 3)
#define PTE_PCD     (1ULL << 4)
#define PTE_PS      (1ULL << 7)
#define PTE_G       (1ULL << 8)
#define PTE_COW     (1ULL << 9)    /* user page: read-only until a write copies it */
#define PTE_SHARED  (1ULL << 10)   /* user page: MAP_SHARED, stays shared across fork */
#define PTE_NX      (1ULL << 63)
#define PTE_ADDR    0x000ffffffffff000ULL

/*
 * pt_walk(pml4_pa, va, alloc): the 4 KiB page-table entry for va in the
 * tables rooted at pml4_pa, creating missing intermediate tables when alloc
 * is true.  NULL if a table is missing (and !alloc), out of memory, or va
 * lies in a 2 MiB mapping (the direct map).
 */
uint64_t *pt_walk(uint64_t pml4_pa, uint64_t va, bool alloc);

/*
 * pt_lookup(pml4_pa, va, span): like pt_walk without allocating; when an
 * intermediate table is missing returns NULL and sets *span to the size of
 * the unmapped block around va (2 MiB, 1 GiB or 512 GiB), so range loops
 * can skip it.  *span is PAGE_SIZE when a PTE pointer is returned.
 */
uint64_t *pt_lookup(uint64_t pml4_pa, uint64_t va, uint64_t *span);

/*
 * pt_prot(prot): PTE bits for VM_READ/WRITE/EXEC/USER/UNCACHED (always present).  A
 * user page without VM_USER is PROT_NONE: present but only for the kernel
 * (and uaccess refuses it), so mprotect can make it accessible again.
 */
uint64_t pt_prot(unsigned prot);

/*
 * pt_user_create(): a new top-level table whose kernel half (entries
 * 256-511) is the kernel's; returns its physical address or 0.
 */
uint64_t pt_user_create(void);
/*
 * pt_user_destroy(pml4_pa, free_frames): free every user-half table and,
 * when free_frames, every mapped user page; then the top-level table.
 */
void pt_user_destroy(uint64_t pml4_pa, bool free_frames);

/* tlb_flush_page(va) / tlb_flush_all(): invalidate TLB entries. */
void tlb_flush_page(uint64_t va);
void tlb_flush_all(void);

#endif
