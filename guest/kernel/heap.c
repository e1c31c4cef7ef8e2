/* heap.c: kmalloc/kzalloc/kfree: power-of-two size classes on pages, whole pages above. */
#include "mm.h"

/*
 * Every block starts with a 16-byte header naming its size class, so kfree
 * needs no lookup.  Classes 32..4096 bytes (header included) are carved
 * from single pages and kept on per-class free lists; bigger requests get
 * their own physically contiguous run of pages.  Memory is never handed
 * back from the class lists to the page allocator: the guest is short-lived.
 */
#define HEAP_MAGIC      0x6b6d616cu     /* "lamk" */
#define HEAP_MIN_SHIFT  5               /* 32 bytes */
#define HEAP_MAX_SHIFT  12              /* 4096 bytes: one page */
#define HEAP_CLASSES    (HEAP_MAX_SHIFT - HEAP_MIN_SHIFT + 1)
#define HEAP_BIG        0xffu

struct heap_hdr {
	uint32_t magic;
	uint8_t cls;            /* size class, or HEAP_BIG */
	uint8_t _pad[3];
	uint64_t pages;         /* HEAP_BIG: pages in the run */
};
_Static_assert(sizeof(struct heap_hdr) == 16, "heap header keeps 16-byte alignment");

struct heap_free {
	struct heap_free *next;
};

static struct heap_free *heap_lists[HEAP_CLASSES];

/* Split a fresh page into blocks of class cls. */
static bool heap_refill(unsigned cls)
{
	size_t bsize = (size_t)1 << (cls + HEAP_MIN_SHIFT);
	phys_addr_t pa = page_alloc(1);
	char *page;

	if (!pa)
		return false;
	page = phys_to_virt(pa);
	for (size_t off = 0; off + bsize <= PAGE_SIZE; off += bsize) {
		struct heap_free *f = (struct heap_free *)(page + off);

		f->next = heap_lists[cls];
		heap_lists[cls] = f;
	}
	return true;
}

static void *heap_big(size_t size)
{
	size_t pages = (size + sizeof(struct heap_hdr) + PAGE_SIZE - 1) / PAGE_SIZE;
	phys_addr_t pa = page_alloc_uninit(pages);      /* kmalloc does not clear */
	struct heap_hdr *h;

	if (!pa)
		return NULL;
	h = phys_to_virt(pa);
	*h = (struct heap_hdr){ .magic = HEAP_MAGIC, .cls = HEAP_BIG, .pages = pages };
	return h + 1;
}

void *kmalloc(size_t size)
{
	size_t need;
	unsigned cls = 0;
	struct heap_hdr *h;

	if (__builtin_add_overflow(size, sizeof(struct heap_hdr), &need) ||
	    need > (MV_DIRECT_MAP_MAX / 2))
		return NULL;
	if (need > ((size_t)1 << HEAP_MAX_SHIFT))
		return heap_big(size);
	while (((size_t)1 << (cls + HEAP_MIN_SHIFT)) < need)
		cls++;
	if (!heap_lists[cls] && !heap_refill(cls))
		return NULL;
	h = (struct heap_hdr *)heap_lists[cls];
	heap_lists[cls] = heap_lists[cls]->next;
	*h = (struct heap_hdr){ .magic = HEAP_MAGIC, .cls = (uint8_t)cls };
	return h + 1;
}

void *kzalloc(size_t size)
{
	void *p = kmalloc(size);

	if (p)
		memset(p, 0, size);
	return p;
}

void kfree(void *p)
{
	struct heap_hdr *h;
	struct heap_free *f;
	unsigned cls;

	if (!p)
		return;
	h = (struct heap_hdr *)p - 1;
	if (h->magic != HEAP_MAGIC)
		panic("kfree: %p was not allocated by kmalloc (or freed twice)", p);
	h->magic = 0;
	if (h->cls == HEAP_BIG) {
		page_free(virt_to_phys(h), h->pages);
		return;
	}
	cls = h->cls;
	if (cls >= HEAP_CLASSES)
		panic("kfree: corrupt header at %p", p);
	f = (struct heap_free *)h;
	f->next = heap_lists[cls];
	heap_lists[cls] = f;
}
