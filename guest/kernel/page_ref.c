/* page_ref.c: share counts of user pages for copy-on-write fork. */
#include "boot.h"
#include "mm.h"

/*
 * One 16-bit count per page of RAM holds the owners beyond the first, so
 * a page nobody shares needs no entry and page_alloc() stays unaware of
 * counts.  The table is allocated at the first fork (2 bytes per page).
 */
static uint16_t *page_extra;
static size_t page_extra_n;

static int page_ref_table(void)
{
	size_t n = MIN(boot_info.mem_size, MV_DIRECT_MAP_MAX) / PAGE_SIZE;
	phys_addr_t pa;

	if (page_extra)
		return 0;
	pa = page_alloc(ALIGN_UP(n * sizeof(uint16_t), PAGE_SIZE) / PAGE_SIZE);
	if (!pa)
		return -ENOMEM;
	page_extra = phys_to_virt(pa);
	page_extra_n = n;
	return 0;
}

int page_ref_get(phys_addr_t pa)
{
	size_t i = pa / PAGE_SIZE;

	if (page_ref_table())
		return -ENOMEM;
	BUG_ON(i >= page_extra_n || page_extra[i] == UINT16_MAX);
	page_extra[i]++;
	return 0;
}

void page_ref_put(phys_addr_t pa)
{
	size_t i = pa / PAGE_SIZE;

	if (page_extra && i < page_extra_n && page_extra[i]) {
		page_extra[i]--;
		return;
	}
	page_free(pa, 1);
}

bool page_ref_shared(phys_addr_t pa)
{
	size_t i = pa / PAGE_SIZE;

	return page_extra && i < page_extra_n && page_extra[i];
}
