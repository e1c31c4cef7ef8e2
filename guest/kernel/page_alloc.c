/* page_alloc.c: the physical page allocator, a first-fit bitmap over guest RAM. */
#include "boot.h"
#include "mm.h"

#define WORD_BITS   64
#define EARLY_LIMIT (2ULL << 30)        /* reachable before paging_init */

/*
 * One bit per 4 KiB page of RAM: 1 = in use (or not RAM).  The bitmap
 * lives in the first free RAM after the kernel, sized for the RAM there is
 * (32 KiB per GiB), and is itself marked in use.
 */
static uint64_t *page_bitmap;
static phys_addr_t bitmap_pa;
static size_t bitmap_bytes;
static size_t page_count;      /* pages covered by RAM */
static size_t pages_free;
static size_t single_hint;      /* where a one-page search starts */

static bool page_used(size_t i)
{
	return page_bitmap[i / WORD_BITS] >> (i % WORD_BITS) & 1;
}

static void page_mark(size_t first, size_t n, bool used)
{
	for (size_t i = first; i < first + n; i++) {
		uint64_t bit = 1ULL << (i % WORD_BITS);

		if (used == page_used(i))
			continue;
		if (used) {
			page_bitmap[i / WORD_BITS] |= bit;
			pages_free--;
		} else {
			page_bitmap[i / WORD_BITS] &= ~bit;
			pages_free++;
		}
	}
}

/* Mark [base, base+len) used or free, clipped to what the bitmap covers. */
static void page_mark_range(uint64_t base, uint64_t len, bool used)
{
	uint64_t first = used ? base / PAGE_SIZE : ALIGN_UP(base, PAGE_SIZE) / PAGE_SIZE;
	uint64_t end = used ? ALIGN_UP(base + len, PAGE_SIZE) / PAGE_SIZE
			    : (base + len) / PAGE_SIZE;

	end = MIN(end, (uint64_t)page_count);
	if (first < end)
		page_mark(first, end - first, used);
}

/* Does [a, a+len) overlap [b, b+blen)? */
static bool ranges_overlap(uint64_t a, uint64_t len, uint64_t b, uint64_t blen)
{
	return a < b + blen && b < a + len;
}

/* Where the bitmap goes: usable, after the kernel, clear of the initrd. */
static phys_addr_t bitmap_place(const struct mv_bootinfo *bi, uint64_t kernel_end_pa)
{
	for (uint32_t i = 0; i < bi->memmap_count && i < MV_MEMMAP_MAX; i++) {
		const struct mv_memmap_entry *e = &bi->memmap[i];
		uint64_t at = ALIGN_UP(MAX(e->base, kernel_end_pa), PAGE_SIZE);

		if (e->type != MV_MEM_USABLE || e->base + e->len < e->base)
			continue;
		if (bi->initrd_len && ranges_overlap(at, bitmap_bytes, bi->initrd, bi->initrd_len))
			at = ALIGN_UP(bi->initrd + bi->initrd_len, PAGE_SIZE);
		if (at >= e->base && at + bitmap_bytes <= e->base + e->len &&
		    at + bitmap_bytes <= EARLY_LIMIT)
			return at;
	}
	panic("mm: no room for the page bitmap (%zu bytes) after the kernel", bitmap_bytes);
}

void page_alloc_init(const struct mv_bootinfo *bi, uint64_t kernel_end_pa)
{
	page_count = MIN(bi->mem_size, MV_DIRECT_MAP_MAX) / PAGE_SIZE;
	if (bi->mem_size > MV_DIRECT_MAP_MAX)
		printk("mm: only the first %llu MiB of RAM are used\n",
		       (unsigned long long)(MV_DIRECT_MAP_MAX >> 20));
	bitmap_bytes = ALIGN_UP(ALIGN_UP(page_count, WORD_BITS) / 8, PAGE_SIZE);
	bitmap_pa = bitmap_place(bi, kernel_end_pa);
	page_bitmap = (uint64_t *)(MV_KERNEL_VBASE + bitmap_pa);
	memset(page_bitmap, 0xff, bitmap_bytes);
	for (uint32_t i = 0; i < bi->memmap_count && i < MV_MEMMAP_MAX; i++) {
		const struct mv_memmap_entry *e = &bi->memmap[i];

		if (e->type == MV_MEM_USABLE && e->base + e->len >= e->base)
			page_mark_range(e->base, e->len, false);
	}
	/* Whatever the map says: the boot area, the image, the initrd, the bitmap. */
	page_mark_range(0, kernel_end_pa, true);
	if (bi->initrd_len)
		page_mark_range(bi->initrd, bi->initrd_len, true);
	page_mark_range(bitmap_pa, bitmap_bytes, true);
	single_hint = 0;
}

void page_alloc_remap(void)
{
	page_bitmap = phys_to_virt(bitmap_pa);
}

/* First index >= from that starts n free pages; page_count if none. */
static size_t page_find(size_t from, size_t n)
{
	size_t run = 0;

	for (size_t i = from; i < page_count; i++) {
		if (run == 0 && i % WORD_BITS == 0 && i + WORD_BITS <= page_count &&
		    page_bitmap[i / WORD_BITS] == ~0ULL) {
			i += WORD_BITS - 1;
			continue;
		}
		run = page_used(i) ? 0 : run + 1;
		if (run == n)
			return i + 1 - n;
	}
	return page_count;
}

phys_addr_t page_alloc(size_t n)
{
	phys_addr_t pa = page_alloc_uninit(n);

	if (pa)
		memset(phys_to_virt(pa), 0, n * PAGE_SIZE);
	return pa;
}

phys_addr_t page_alloc_uninit(size_t n)
{
	size_t first;

	if (n == 0 || n > pages_free)
		return 0;
	first = page_find(n == 1 ? single_hint : 0, n);
	if (first == page_count && n == 1 && single_hint)
		first = page_find(0, 1);
	if (first == page_count)
		return 0;
	page_mark(first, n, true);
	if (n == 1)
		single_hint = first + 1;
	return first * PAGE_SIZE;
}

void page_free(phys_addr_t pa, size_t n)
{
	size_t first = pa / PAGE_SIZE;

	if (pa % PAGE_SIZE || first + n > page_count || first + n < first)
		panic("page_free: bad range %#llx + %zu pages", (unsigned long long)pa, n);
	for (size_t i = first; i < first + n; i++)
		if (!page_used(i))
			panic("page_free: page %#llx is already free",
			      (unsigned long long)i * PAGE_SIZE);
	page_mark(first, n, false);
	if (first < single_hint)
		single_hint = first;
}

size_t page_free_count(void)
{
	return pages_free;
}
