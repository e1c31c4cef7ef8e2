/* paging_x86_64.c: the kernel's own page tables (W^X image, direct map) and table walks. */
#include "arch.h"
#include "paging.h"
#include <modvisor/abi/bootinfo.h>

/*
 * Before paging_init() switches CR3, physical memory is reached through
 * the VMM's boot mapping at MV_KERNEL_VBASE (the low 2 GiB are visible
 * there); afterwards through the direct map, which covers all of RAM.
 */
static uint64_t direct_base = MV_KERNEL_VBASE;
static uint64_t kernel_pml4_pa;
static uint64_t ram_end;

void *phys_to_virt(phys_addr_t pa)
{
	return (void *)(direct_base + pa);
}

phys_addr_t virt_to_phys(const void *va)
{
	uint64_t v = (uint64_t)va;

	if (v >= MV_KERNEL_VBASE)
		return v - MV_KERNEL_VBASE;
	return v - MV_DIRECT_MAP;
}

uint64_t pt_prot(unsigned prot)
{
	uint64_t pte = PTE_P;

	if (prot & VM_WRITE)
		pte |= PTE_W;
	if (prot & VM_USER)
		pte |= PTE_U;
	if (!(prot & VM_EXEC))
		pte |= PTE_NX;
	if (prot & VM_UNCACHED)
		pte |= PTE_PCD | PTE_PWT;       /* PAT entry 3: UC at reset, never reprogrammed */
	return pte;
}

static uint64_t *table_of(uint64_t entry)
{
	return phys_to_virt(entry & PTE_ADDR);
}

/* Next-level table for index i of table t, created if alloc. */
static uint64_t *pt_next(uint64_t *t, unsigned i, bool alloc, bool user)
{
	if (!(t[i] & PTE_P)) {
		phys_addr_t pa;

		if (!alloc || !(pa = page_alloc(1)))
			return NULL;
		/* Intermediate entries are permissive; the leaf decides. */
		t[i] = pa | PTE_P | PTE_W | (user ? PTE_U : 0);
	}
	if (t[i] & PTE_PS)
		return NULL;
	return table_of(t[i]);
}

uint64_t *pt_walk(uint64_t pml4_pa, uint64_t va, bool alloc)
{
	uint64_t *t = phys_to_virt(pml4_pa);
	bool user = va < MV_USER_END;

	for (int shift = 39; shift > 12; shift -= 9) {
		t = pt_next(t, (va >> shift) & 511, alloc, user);
		if (!t)
			return NULL;
	}
	return &t[(va >> 12) & 511];
}

uint64_t *pt_lookup(uint64_t pml4_pa, uint64_t va, uint64_t *span)
{
	uint64_t *t = phys_to_virt(pml4_pa);

	for (int shift = 39; shift > 12; shift -= 9) {
		uint64_t e = t[(va >> shift) & 511];

		if (!(e & PTE_P) || (e & PTE_PS)) {
			*span = 1ULL << shift;
			return NULL;
		}
		t = table_of(e);
	}
	*span = PAGE_SIZE;
	return &t[(va >> 12) & 511];
}

void tlb_flush_page(uint64_t va)
{
	__asm__ volatile("invlpg (%0)" : : "r"(va) : "memory");
}

void tlb_flush_all(void)
{
	uint64_t cr3;

	__asm__ volatile("mov %%cr3, %0\n\tmov %0, %%cr3" : "=r"(cr3) : : "memory");
}

int kmap_range(uint64_t va, phys_addr_t pa, size_t npages, unsigned prot)
{
	if ((prot & VM_WRITE) && (prot & VM_EXEC))
		return -EINVAL;
	if ((va | pa) & ~PAGE_MASK || va < MV_DIRECT_MAP)
		return -EINVAL;
	for (size_t i = 0; i < npages; i++) {
		uint64_t *pte = pt_walk(kernel_pml4_pa, va + i * PAGE_SIZE, true);

		if (!pte)
			return -ENOMEM;
		*pte = (pa + i * PAGE_SIZE) | pt_prot(prot & ~VM_USER) | PTE_G;
		tlb_flush_page(va + i * PAGE_SIZE);
	}
	return 0;
}

int kprotect_range(uint64_t va, size_t npages, unsigned prot)
{
	if ((prot & VM_WRITE) && (prot & VM_EXEC))
		return -EINVAL;
	for (size_t i = 0; i < npages; i++) {
		uint64_t *pte = pt_walk(kernel_pml4_pa, va + i * PAGE_SIZE, false);

		if (!pte || !(*pte & PTE_P))
			return -EINVAL;
		*pte = (*pte & PTE_ADDR) | pt_prot(prot & ~VM_USER) | PTE_G;
		tlb_flush_page(va + i * PAGE_SIZE);
	}
	return 0;
}

void kunmap_range(uint64_t va, size_t npages)
{
	for (size_t i = 0; i < npages; i++) {
		uint64_t *pte = pt_walk(kernel_pml4_pa, va + i * PAGE_SIZE, false);

		if (pte) {
			*pte = 0;
			tlb_flush_page(va + i * PAGE_SIZE);
		}
	}
}

/* Map one section of the kernel image, [start, end), with prot. */
static void map_image_part(const char *start, const char *end, unsigned prot)
{
	uint64_t va = ALIGN_DOWN((uint64_t)start, PAGE_SIZE);
	size_t n = (ALIGN_UP((uint64_t)end, PAGE_SIZE) - va) / PAGE_SIZE;

	if (kmap_range(va, va - MV_KERNEL_VBASE, n, prot))
		panic("paging: cannot map the kernel image at %#lx", va);
}

/* All of RAM at MV_DIRECT_MAP with 2 MiB pages: read/write, never executable. */
static void map_direct(void)
{
	uint64_t *pml4 = phys_to_virt(kernel_pml4_pa);

	for (uint64_t pa = 0; pa < ram_end; pa += 2ULL << 20) {
		uint64_t va = MV_DIRECT_MAP + pa;
		uint64_t *pdpt = pt_next(pml4, (va >> 39) & 511, true, false);
		uint64_t *pd = pdpt ? pt_next(pdpt, (va >> 30) & 511, true, false) : NULL;

		if (!pd)
			panic("paging: out of memory for the direct map");
		pd[(va >> 21) & 511] = pa | PTE_P | PTE_W | PTE_PS | PTE_G | PTE_NX;
	}
}

/*
 * Every kernel-half top-level entry that will ever exist is created here,
 * before the first user address space copies them: the kernel image and
 * module area (entry 511, with both of its 1 GiB tables), the kernel-stack
 * area and the direct map.
 */
void paging_init(uint64_t mem_size)
{
	uint64_t *pml4, *pdpt;

	ram_end = MIN(ALIGN_UP(mem_size, 2ULL << 20), MV_DIRECT_MAP_MAX);
	kernel_pml4_pa = page_alloc(1);
	if (!kernel_pml4_pa)
		panic("paging: out of memory");
	pml4 = phys_to_virt(kernel_pml4_pa);
	pdpt = pt_next(pml4, 511, true, false);
	if (!pdpt || !pt_next(pdpt, 510, true, false) || !pt_next(pdpt, 511, true, false) ||
	    !pt_next(pml4, (MV_KSTACK_AREA >> 39) & 511, true, false))
		panic("paging: out of memory");
	map_direct();
	map_image_part(__text_start, __text_end, VM_READ | VM_EXEC);
	map_image_part(__rodata_start, __rodata_end, VM_READ);
	map_image_part(__data_start, __kernel_end, VM_READ | VM_WRITE);
	paging_switch(kernel_pml4_pa);
	direct_base = MV_DIRECT_MAP;
}

uint64_t paging_kernel_pml4(void)
{
	return kernel_pml4_pa;
}

void paging_switch(uint64_t pml4_pa)
{
	__asm__ volatile("mov %0, %%cr3" : : "r"(pml4_pa) : "memory");
}

uint64_t pt_user_create(void)
{
	phys_addr_t pa = page_alloc(1);

	if (pa)
		memcpy((uint64_t *)phys_to_virt(pa) + 256,
		       (uint64_t *)phys_to_virt(kernel_pml4_pa) + 256, 256 * 8);
	return pa;
}

/* Free the tables below t (level 3 = PDPT ... 1 = PT) and maybe the pages. */
static void pt_free_level(uint64_t *t, int level, bool free_frames)
{
	for (unsigned i = 0; i < 512; i++) {
		if (!(t[i] & PTE_P))
			continue;
		if (level > 1)
			pt_free_level(table_of(t[i]), level - 1, free_frames);
		if (level > 1)
			page_free(t[i] & PTE_ADDR, 1);
		else if (free_frames)
			page_ref_put(t[i] & PTE_ADDR);  /* may be shared (fork) */
		t[i] = 0;
	}
}

void pt_user_destroy(uint64_t pml4_pa, bool free_frames)
{
	uint64_t *pml4 = phys_to_virt(pml4_pa);

	for (unsigned i = 0; i < 256; i++) {
		if (!(pml4[i] & PTE_P))
			continue;
		pt_free_level(table_of(pml4[i]), 3, free_frames);
		page_free(pml4[i] & PTE_ADDR, 1);
		pml4[i] = 0;
	}
	page_free(pml4_pa, 1);
}
