/* ioremap_x86_64.c: device memory (PCI BARs, possibly above 4 GiB) mapped uncached into MV_IOREMAP_AREA. */
#include "mm.h"

static uint64_t ioremap_next = MV_IOREMAP_AREA;

/* The CPU's physical-address width (CPUID 0x80000008), 36 when it does not say. */
static unsigned phys_bits(void)
{
	uint32_t a = 0x80000000, b, c = 0, d;

	__asm__ volatile("cpuid" : "+a"(a), "=b"(b), "+c"(c), "=d"(d));
	if (a < 0x80000008)
		return 36;
	a = 0x80000008;
	__asm__ volatile("cpuid" : "+a"(a), "=b"(b), "+c"(c), "=d"(d));
	return MIN(a & 0xff, 52u);
}

void *ioremap(uint64_t pa, uint64_t len)
{
	uint64_t start = ALIGN_DOWN(pa, PAGE_SIZE), end, size;

	if (!len || __builtin_add_overflow(pa, len, &end) || end > 1ULL << phys_bits() ||
	    end > ALIGN_DOWN(UINT64_MAX, PAGE_SIZE))
		return NULL;
	size = ALIGN_UP(end, PAGE_SIZE) - start;
	if (size > MV_IOREMAP_AREA + MV_IOREMAP_SIZE - ioremap_next)
		return NULL;
	if (kmap_range(ioremap_next, start, size / PAGE_SIZE, VM_READ | VM_WRITE | VM_UNCACHED))
		return NULL;
	ioremap_next += size;
	return (void *)(ioremap_next - size + (pa - start));
}
