/* umm.h: user address spaces: mapping, unmapping and protecting pages of a struct mm. */
#ifndef MV_GUEST_UMM_H
#define MV_GUEST_UMM_H

#include "mm.h"
#include "proc.h"

/*
 * User memory layout (per process; docs/guest-kernel.md):
 *   0x10000 ...           a non-PIE image at its link address
 *   UMM_PIE_BASE          a static-PIE image (like Linux's ELF_ET_DYN_BASE)
 *   after the image       the brk heap, growing up
 *   below UMM_MMAP_TOP    mmap without an address hint, growing down
 *   UMM_STACK_TOP         the initial stack, growing down up to UMM_STACK_MAX;
 *                         its pages are allocated on first touch
 *   the top page of the user half is never mapped (sysretq needs a
 *   canonical return address).
 * All other pages are allocated (zeroed) when they are mapped.
 */
#define UMM_PIE_BASE     0x555555554000ULL
#define UMM_MMAP_TOP     0x7ff000000000ULL
#define UMM_STACK_TOP    0x7ffffffff000ULL
#define UMM_STACK_MAX    (8ULL << 20)
#define UMM_STACK_INIT   (256ULL << 10)   /* room for exec's arguments: E2BIG */

/* A mapping flag besides VM_READ/WRITE/EXEC: MAP_SHARED (stays shared across fork). */
#define VM_SHARED        0x10u

/* umm_create(): an empty address space (kernel half shared); NULL if OOM. */
struct mm *umm_create(void);
/*
 * umm_destroy(mm): drop one user of mm (vfork shares it); the last frees
 * every user page (or its share of it) and table, and mm.
 */
void umm_destroy(struct mm *mm);
/*
 * umm_fork(mm): a copy-on-write copy of mm for fork: the child's tables
 * point at the same frames; private writable pages become read-only with
 * PTE_COW in both, MAP_SHARED pages stay writable and shared.  Costs page
 * table work only.  NULL if out of memory (mm is unchanged then).
 */
struct mm *umm_fork(struct mm *mm);
/*
 * umm_cow_break(mm, va): give mm its own writable copy of the COW page at
 * va (or make it writable if no one else shares it).  0, -EFAULT (not a
 * COW page) or -ENOMEM.
 */
int umm_cow_break(struct mm *mm, uint64_t va);
/* umm_read(mm, va, dst, n): copy mm's user bytes (any process's, for /proc); -EFAULT if unmapped. */
int umm_read(struct mm *mm, uint64_t va, void *dst, size_t n);
/*
 * umm_next_mapped(mm, va, prot): the first mapped page at or after va and
 * its VM_* protection, or UMM_STACK_TOP (for /proc/PID/maps).
 */
uint64_t umm_next_mapped(struct mm *mm, uint64_t va, int *prot);
/* umm_write_fault(mm, va): a user write hit a COW page: copy it; false if not one. */
bool umm_write_fault(struct mm *mm, uint64_t va);

/*
 * umm_map_anon(mm, va, len, prot): map zeroed pages over the page-aligned
 * range; prot is VM_READ|VM_WRITE|VM_EXEC (none: PROT_NONE).  Pages
 * already there are replaced (MAP_FIXED semantics).  0 or -ENOMEM.
 */
int umm_map_anon(struct mm *mm, uint64_t va, uint64_t len, unsigned prot);
/*
 * umm_map_frame(mm, va, pa, prot): map frame pa, which another owner keeps
 * too (exec: a page of the program's file, vfs_map_page), privately at the
 * page va with prot (VM_READ|VM_WRITE|VM_EXEC): writable means
 * copy-on-write, so mm never writes the frame itself.  mm takes over a
 * reference to pa the caller holds.  A page already at va is replaced.  0,
 * -EINVAL (va or pa not a page of the user half) or -ENOMEM (the caller
 * keeps its reference then).
 */
int umm_map_frame(struct mm *mm, uint64_t va, phys_addr_t pa, unsigned prot);
/* umm_unmap(mm, va, len): drop the pages in the range (holes are fine). */
void umm_unmap(struct mm *mm, uint64_t va, uint64_t len);
/* umm_protect(mm, va, len, prot): -ENOMEM if a page in the range is unmapped. */
int umm_protect(struct mm *mm, uint64_t va, uint64_t len, unsigned prot);
/* umm_prot_at(mm, va): the VM_* protection of the page at va, or -1 if unmapped. */
int umm_prot_at(struct mm *mm, uint64_t va);
/*
 * umm_move(mm, from, to, len): move the pages of [from, from+len) to the
 * free range at to, keeping their frames and protections (mremap).
 * -ENOMEM if a page table cannot be allocated (nothing moved then).
 */
int umm_move(struct mm *mm, uint64_t from, uint64_t to, uint64_t len);
/* umm_range_free(mm, va, len): is no page of the range mapped? */
bool umm_range_free(struct mm *mm, uint64_t va, uint64_t len);
/* umm_find_free(mm, len): a free range of len bytes for mmap, or 0. */
uint64_t umm_find_free(struct mm *mm, uint64_t len);
/*
 * umm_write(mm, va, src, n): store kernel bytes into mm's pages whatever
 * their protection (the exec loader fills read-only segments this way).
 * A private page whose frame another owner shares (fork, a file's page)
 * gets its own copy first; MAP_SHARED pages are written in place.
 * -EFAULT if a page is not mapped, -ENOMEM.
 */
int umm_write(struct mm *mm, uint64_t va, const void *src, size_t n);
/*
 * umm_fault_in(mm, va): va is an untouched page of the stack region: map it
 * (read/write) and return true; false for any other address.
 */
bool umm_fault_in(struct mm *mm, uint64_t va);

#endif
