/* mm.h: physical pages, the kernel heap, kernel mappings and the guest memory map. */
#ifndef MV_GUEST_MM_H
#define MV_GUEST_MM_H

#include "kernel.h"

/*
 * Guest virtual memory map (docs/guest-kernel.md):
 *   0 .. 0x7fffffffffff                 user half, one per process
 *   0xffff888000000000 + pa             direct map of all RAM (2 MiB pages, NX)
 *   MV_KSTACK_AREA                      process kernel stacks, each below an
 *                                       unmapped guard page
 *   MV_IOREMAP_AREA                     device memory (PCI BARs), uncached
 *   0xffffffff80000000 + pa             the kernel image (4 KiB pages, W^X)
 *   MV_MODULES_VADDR .. MV_MODULES_END  module area (H5), mapped on demand
 */
#define MV_DIRECT_MAP     0xffff888000000000ULL
#define MV_DIRECT_MAP_MAX (64ULL << 30)        /* RAM beyond this is ignored */
#define MV_KSTACK_AREA    0xffffc90000000000ULL
#define MV_IOREMAP_AREA   0xffffc94000000000ULL /* in the kernel stacks' top-level entry */
#define MV_IOREMAP_SIZE   (1ULL << 30)
#define MV_MODULES_VADDR  0xffffffffa0000000ULL
#define MV_MODULES_END    0xffffffffff000000ULL
#define MV_USER_END       0x0000800000000000ULL /* first non-user address */

typedef uint64_t phys_addr_t;

/* phys_to_virt(pa): the kernel's address of physical address pa (direct map). */
void *phys_to_virt(phys_addr_t pa);
/*
 * virt_to_phys(va): the physical address behind a direct-map or kernel-image
 * address (only those are physically contiguous beyond a page).
 */
phys_addr_t virt_to_phys(const void *va);

/*
 * page_alloc(n): n physically contiguous, zeroed 4 KiB pages; returns the
 * physical address of the first, or 0 when no such run is free.  Big runs
 * (a 64 MiB module image) are fine: the allocator is a first-fit bitmap.
 */
phys_addr_t page_alloc(size_t n);
/*
 * page_alloc_uninit(n): page_alloc() without the zeroing, for memory its
 * user fills itself before reading (the kernel heap's big blocks, which
 * kmalloc does not clear either).  Never for memory a process may see.
 */
phys_addr_t page_alloc_uninit(size_t n);
/* page_free(pa, n): give back n pages from page_alloc (n must match). */
void page_free(phys_addr_t pa, size_t n);
/* page_free_count(): how many 4 KiB pages are free now. */
size_t page_free_count(void);

/*
 * Share counts of single user pages (page_ref.c), for copy-on-write fork
 * and the file pages exec maps: a page from page_alloc (alone or in a run)
 * has one owner; page_ref_get() adds one, page_ref_put() drops one and
 * frees the page with the last.  0 or -ENOMEM
 * (the count table is allocated at the first fork).
 */
int page_ref_get(phys_addr_t pa);
/* page_ref_put(pa): drop one owner of page pa; the last frees it. */
void page_ref_put(phys_addr_t pa);
/* page_ref_shared(pa): has page pa more than one owner? */
bool page_ref_shared(phys_addr_t pa);

/*
 * kmalloc(size): kernel heap memory, 16-byte aligned, in the direct map (so
 * physically contiguous; virt_to_phys() gives its GPA).  Sizes above 2 KiB
 * take whole pages.  NULL when out of memory.  kfree(NULL) is a no-op.
 */
void *kmalloc(size_t size);
/* kzalloc(size): kmalloc, zero-filled. */
void *kzalloc(size_t size);
/* kfree(p): free a kmalloc/kzalloc block. */
void kfree(void *p);

/* Page permissions for the mapping functions. */
#define VM_READ   0x1u
#define VM_WRITE  0x2u
#define VM_EXEC   0x4u
#define VM_USER   0x8u
#define VM_UNCACHED 0x10u   /* device memory: caching disabled (PCD|PWT, PAT's UC) */

/*
 * kmap_range(va, pa, npages, prot): map physical pages at kernel virtual
 * address va (kernel half, e.g. in the module area) with prot (VM_READ|VM_WRITE|VM_EXEC;
 * never both WRITE and EXEC).  Returns 0 or -ENOMEM/-EINVAL.  The mapping
 * is visible in every address space.
 */
int kmap_range(uint64_t va, phys_addr_t pa, size_t npages, unsigned prot);
/* kprotect_range(va, npages, prot): change the protection of mapped pages. */
int kprotect_range(uint64_t va, size_t npages, unsigned prot);
/* kunmap_range(va, npages): remove kernel mappings (frames are not freed). */
void kunmap_range(uint64_t va, size_t npages);

/*
 * ioremap(pa, len): map the device memory [pa, pa+len) (a PCI BAR's
 * registers, anywhere below the CPU's physical-address limit) read/write,
 * uncached and not executable in MV_IOREMAP_AREA; the kernel address of pa,
 * or NULL when the range wraps, lies beyond the CPU's physical addresses or
 * the area is full.  Mappings stay for the life of the kernel.
 */
void *ioremap(uint64_t pa, uint64_t len);

/* Linker symbols bounding the kernel image sections (kernel.ld). */
extern char __kernel_start[], __text_start[], __text_end[];
extern char __rodata_start[], __rodata_end[], __data_start[], __kernel_end[];

#endif
