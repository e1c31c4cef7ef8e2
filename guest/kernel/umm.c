/* umm.c: user address spaces: page mappings, protections, stack growth, copy-on-write fork. */
#include "paging.h"
#include "umm.h"

/* PTE bits for a user page with prot; no access at all is PROT_NONE. */
static uint64_t umm_pte_bits(unsigned prot)
{
	uint64_t shared = prot & VM_SHARED ? PTE_SHARED : 0;

	if (!(prot & (VM_READ | VM_WRITE | VM_EXEC)))
		return pt_prot(0) | shared;
	return pt_prot(prot | VM_USER) | shared;
}

/*
 * The leaf entry for frame pa with protection bits: a private page that
 * another address space still shares is not made writable but marked
 * copy-on-write, so the first write copies it.
 */
static uint64_t umm_leaf(uint64_t pa, uint64_t bits)
{
	if ((bits & PTE_W) && !(bits & PTE_SHARED) && page_ref_shared(pa))
		bits = (bits & ~PTE_W) | PTE_COW;
	return pa | bits;
}

struct mm *umm_create(void)
{
	struct mm *mm = kzalloc(sizeof(*mm));

	if (!mm)
		return NULL;
	mm->pml4_pa = pt_user_create();
	if (!mm->pml4_pa) {
		kfree(mm);
		return NULL;
	}
	mm->mmap_top = UMM_MMAP_TOP;
	mm->stack_top = UMM_STACK_TOP;
	mm->stack_prot = VM_READ | VM_WRITE;
	mm->users = 1;
	return mm;
}

void umm_destroy(struct mm *mm)
{
	if (!mm || --mm->users > 0)
		return;
	pt_user_destroy(mm->pml4_pa, true);
	kfree(mm);
}

/*
 * Give the page at *pte (mapped at va) a frame of its own if another
 * owner shares its frame (a fork, or a file exec lent it); its rights stay.
 */
static int umm_own_frame(uint64_t *pte, uint64_t va)
{
	phys_addr_t old = *pte & PTE_ADDR, copy;

	if (!page_ref_shared(old))
		return 0;
	copy = page_alloc(1);
	if (!copy)
		return -ENOMEM;
	memcpy(phys_to_virt(copy), phys_to_virt(old), PAGE_SIZE);
	page_ref_put(old);
	*pte = copy | (*pte & ~PTE_ADDR);
	tlb_flush_page(va);
	return 0;
}

/* Unmap one page if mapped, freeing its frame. */
static void umm_drop_page(struct mm *mm, uint64_t va)
{
	uint64_t *pte = pt_walk(mm->pml4_pa, va, false);

	if (!pte || !(*pte & PTE_P))
		return;
	page_ref_put(*pte & PTE_ADDR);
	*pte = 0;
	mm->pages--;
	tlb_flush_page(va);
}

static bool umm_range_ok(uint64_t va, uint64_t len)
{
	uint64_t end;

	return !(va % PAGE_SIZE) && !(len % PAGE_SIZE) &&
	       !__builtin_add_overflow(va, len, &end) && end <= UMM_STACK_TOP;
}

int umm_map_anon(struct mm *mm, uint64_t va, uint64_t len, unsigned prot)
{
	uint64_t bits = umm_pte_bits(prot);

	if (!umm_range_ok(va, len))
		return -EINVAL;
	/* Refuse up front what cannot fit, rather than unwind halfway. */
	if (len / PAGE_SIZE + 64 > page_free_count())
		return -ENOMEM;
	for (uint64_t off = 0; off < len; off += PAGE_SIZE) {
		uint64_t *pte = pt_walk(mm->pml4_pa, va + off, true);
		phys_addr_t pa = pte ? page_alloc(1) : 0;

		if (!pa) {
			umm_unmap(mm, va, off);
			return -ENOMEM;
		}
		umm_drop_page(mm, va + off);
		*pte = pa | bits;
		mm->pages++;
	}
	return 0;
}

int umm_map_frame(struct mm *mm, uint64_t va, phys_addr_t pa, unsigned prot)
{
	uint64_t *pte;

	if (!umm_range_ok(va, PAGE_SIZE) || (pa & ~PTE_ADDR))
		return -EINVAL;
	pte = pt_walk(mm->pml4_pa, va, true);
	if (!pte)
		return -ENOMEM;
	umm_drop_page(mm, va);
	*pte = umm_leaf(pa, umm_pte_bits(prot & ~VM_SHARED));
	mm->pages++;
	return 0;
}

/*
 * The next address at or after va in [va, end) that may hold a page: skips
 * whole unmapped 2 MiB / 1 GiB / 512 GiB blocks, so that a huge munmap or
 * range check costs what is mapped, not what is asked for.  Returns end
 * when nothing is left; *pte is the entry at the returned address.
 */
static uint64_t umm_next(struct mm *mm, uint64_t va, uint64_t end, uint64_t **pte)
{
	while (va < end) {
		uint64_t span, next;

		*pte = pt_lookup(mm->pml4_pa, va, &span);
		if (*pte)
			return va;
		next = ALIGN_DOWN(va, span) + span;
		if (next <= va)
			break;          /* wrapped at the top of the address space */
		va = next;
	}
	return end;
}

void umm_unmap(struct mm *mm, uint64_t va, uint64_t len)
{
	uint64_t end = va + len, *pte;

	for (va = umm_next(mm, va, end, &pte); va < end;
	     va = umm_next(mm, va + PAGE_SIZE, end, &pte)) {
		if (!(*pte & PTE_P))
			continue;
		page_ref_put(*pte & PTE_ADDR);
		*pte = 0;
		mm->pages--;
		tlb_flush_page(va);
	}
}

int umm_protect(struct mm *mm, uint64_t va, uint64_t len, unsigned prot)
{
	uint64_t bits = umm_pte_bits(prot);

	if (!umm_range_ok(va, len))
		return -EINVAL;
	for (uint64_t off = 0; off < len; off += PAGE_SIZE) {
		uint64_t *pte = pt_walk(mm->pml4_pa, va + off, false);

		if (!pte || !(*pte & PTE_P))
			return -ENOMEM;
	}
	for (uint64_t off = 0; off < len; off += PAGE_SIZE) {
		uint64_t *pte = pt_walk(mm->pml4_pa, va + off, false);

		*pte = umm_leaf(*pte & PTE_ADDR, bits | (*pte & PTE_SHARED));
		tlb_flush_page(va + off);
	}
	return 0;
}

bool umm_range_free(struct mm *mm, uint64_t va, uint64_t len)
{
	uint64_t end = va + len, *pte;

	for (va = umm_next(mm, va, end, &pte); va < end;
	     va = umm_next(mm, va + PAGE_SIZE, end, &pte))
		if (*pte & PTE_P)
			return false;
	return true;
}

uint64_t umm_find_free(struct mm *mm, uint64_t len)
{
	uint64_t va = mm->mmap_top;

	/* Top-down from the last mapping; skip what is in the way. */
	while (va >= len + mm->brk + (1ULL << 30)) {
		va -= len;
		if (umm_range_free(mm, va, len)) {
			mm->mmap_top = va;
			return va;
		}
		va = ALIGN_DOWN(va, PAGE_SIZE);
	}
	return 0;
}

int umm_write(struct mm *mm, uint64_t va, const void *src, size_t n)
{
	const char *s = src;

	while (n) {
		size_t k = MIN(n, PAGE_SIZE - (va & (PAGE_SIZE - 1)));
		uint64_t *pte = pt_walk(mm->pml4_pa, va, false);

		if (!pte || !(*pte & PTE_P))
			return -EFAULT;
		/* Not through to a frame another owner shares, unless MAP_SHARED. */
		if ((*pte & PTE_COW) ? umm_cow_break(mm, va) :
		    !(*pte & PTE_SHARED) && umm_own_frame(pte, ALIGN_DOWN(va, PAGE_SIZE)))
			return -ENOMEM;
		memcpy((char *)phys_to_virt(*pte & PTE_ADDR) + (va & (PAGE_SIZE - 1)), s, k);
		s += k;
		va += k;
		n -= k;
	}
	return 0;
}

int umm_read(struct mm *mm, uint64_t va, void *dst, size_t n)
{
	char *d = dst;

	while (n) {
		size_t k = MIN(n, PAGE_SIZE - (va & (PAGE_SIZE - 1)));
		uint64_t span, *pte = pt_lookup(mm->pml4_pa, va, &span);

		if (!pte || !(*pte & PTE_P) || !(*pte & PTE_U))
			return -EFAULT;
		memcpy(d, (char *)phys_to_virt(*pte & PTE_ADDR) + (va & (PAGE_SIZE - 1)), k);
		d += k;
		va += k;
		n -= k;
	}
	return 0;
}

bool umm_fault_in(struct mm *mm, uint64_t va)
{
	uint64_t page = ALIGN_DOWN(va, PAGE_SIZE);
	uint64_t *pte;

	if (!mm || va >= mm->stack_top || va < mm->stack_top - UMM_STACK_MAX)
		return false;
	pte = pt_walk(mm->pml4_pa, page, false);
	if (pte && (*pte & PTE_P))
		return false;           /* present: a protection fault */
	return umm_map_anon(mm, page, PAGE_SIZE, mm->stack_prot) == 0;
}

uint64_t umm_next_mapped(struct mm *mm, uint64_t va, int *prot)
{
	uint64_t *pte;

	for (va = umm_next(mm, va, UMM_STACK_TOP, &pte); va < UMM_STACK_TOP;
	     va = umm_next(mm, va + PAGE_SIZE, UMM_STACK_TOP, &pte)) {
		if (*pte & PTE_P) {
			*prot = umm_prot_at(mm, va);
			return va;
		}
	}
	return UMM_STACK_TOP;
}

int umm_prot_at(struct mm *mm, uint64_t va)
{
	uint64_t span, *pte = pt_lookup(mm->pml4_pa, va, &span);

	if (!pte || !(*pte & PTE_P))
		return -1;
	if (!(*pte & PTE_U))
		return 0;               /* PROT_NONE */
	return VM_READ | (*pte & (PTE_W | PTE_COW) ? VM_WRITE : 0) |
	       (*pte & PTE_NX ? 0 : VM_EXEC);
}

int umm_move(struct mm *mm, uint64_t from, uint64_t to, uint64_t len)
{
	/* Create every destination table first so the move cannot fail halfway. */
	for (uint64_t off = 0; off < len; off += PAGE_SIZE)
		if (!pt_walk(mm->pml4_pa, to + off, true))
			return -ENOMEM;
	for (uint64_t off = 0; off < len; off += PAGE_SIZE) {
		uint64_t *src = pt_walk(mm->pml4_pa, from + off, false);
		uint64_t *dst = pt_walk(mm->pml4_pa, to + off, false);

		if (!src || !(*src & PTE_P))
			continue;
		*dst = *src;
		*src = 0;
		tlb_flush_page(from + off);
	}
	return 0;
}

int umm_cow_break(struct mm *mm, uint64_t va)
{
	uint64_t *pte = pt_walk(mm->pml4_pa, ALIGN_DOWN(va, PAGE_SIZE), false);

	if (!pte || !(*pte & PTE_P) || !(*pte & PTE_COW))
		return -EFAULT;
	if (umm_own_frame(pte, ALIGN_DOWN(va, PAGE_SIZE)))
		return -ENOMEM;
	*pte = (*pte & ~PTE_COW) | PTE_W;      /* the last owner writes in place */
	tlb_flush_page(ALIGN_DOWN(va, PAGE_SIZE));
	return 0;
}

/* Share the parent's page at *src with the child's entry *dst (fork). */
static int umm_fork_page(uint64_t *src, uint64_t *dst)
{
	uint64_t e = *src;

	if (page_ref_get(e & PTE_ADDR))
		return -ENOMEM;
	if ((e & PTE_W) && !(e & PTE_SHARED))
		e = (e & ~PTE_W) | PTE_COW;
	*src = *dst = e;
	return 0;
}

struct mm *umm_fork(struct mm *mm)
{
	struct mm *child = umm_create();
	uint64_t va, *pte;

	if (!child)
		return NULL;
	for (va = umm_next(mm, 0, UMM_STACK_TOP, &pte); va < UMM_STACK_TOP;
	     va = umm_next(mm, va + PAGE_SIZE, UMM_STACK_TOP, &pte)) {
		uint64_t *dst;

		if (!(*pte & PTE_P))
			continue;
		dst = pt_walk(child->pml4_pa, va, true);
		if (!dst || umm_fork_page(pte, dst)) {
			umm_destroy(child);
			tlb_flush_all();
			return NULL;
		}
		child->pages++;
	}
	tlb_flush_all();                /* the parent's pages became read-only */
	child->image_end = mm->image_end;
	child->brk_start = mm->brk_start;
	child->brk = mm->brk;
	child->mmap_top = mm->mmap_top;
	child->stack_top = mm->stack_top;
	child->stack_prot = mm->stack_prot;
	child->arg_start = mm->arg_start;
	child->arg_end = mm->arg_end;
	return child;
}

bool umm_write_fault(struct mm *mm, uint64_t va)
{
	uint64_t span, *pte = mm ? pt_lookup(mm->pml4_pa, va, &span) : NULL;

	return pte && (*pte & PTE_P) && (*pte & PTE_COW) && (*pte & PTE_U) &&
	       umm_cow_break(mm, va) == 0;
}
