/* sys_mm.c: brk, mmap (anonymous and private file mappings), munmap, mprotect, madvise. */
#include "proc.h"
#include "syscalls.h"
#include "umm.h"
#include "vfs.h"

#pragma weak vfs_fd_get
#pragma weak vfs_kernel_read
#pragma weak vfs_file_put
#pragma weak vfs_map_page

#define PROT_READ   0x1
#define PROT_WRITE  0x2
#define PROT_EXEC   0x4
#define PROT_MASK   0x7

#define MAP_SHARED          0x01
#define MAP_PRIVATE         0x02
#define MAP_SHARED_VALIDATE 0x03
#define MAP_TYPE            0x0f
#define MAP_FIXED           0x10
#define MAP_ANONYMOUS       0x20
#define MAP_FIXED_NOREPLACE 0x100000

#define BRK_MAX_GAP  (1ULL << 40)   /* the heap may not grow into mmap space */

static unsigned prot_to_vm(uint64_t prot)
{
	return (prot & PROT_READ ? VM_READ : 0) | (prot & PROT_WRITE ? VM_WRITE : 0) |
	       (prot & PROT_EXEC ? VM_EXEC : 0);
}

/*
 * brk(addr): move the program break; returns the new break, or the old one
 * when addr is 0, below the start, or cannot be satisfied (as Linux does).
 */
static long sys_brk(uint64_t addr)
{
	struct mm *mm = current->mm;
	uint64_t old_end = ALIGN_UP(mm->brk, PAGE_SIZE), new_end;

	if (addr < mm->brk_start || addr > mm->brk_start + BRK_MAX_GAP)
		return (long)mm->brk;
	new_end = ALIGN_UP(addr, PAGE_SIZE);
	if (new_end > old_end) {
		if (!umm_range_free(mm, old_end, new_end - old_end) ||
		    umm_map_anon(mm, old_end, new_end - old_end, VM_READ | VM_WRITE))
			return (long)mm->brk;
	} else if (new_end < old_end) {
		umm_unmap(mm, new_end, old_end - new_end);
	}
	mm->brk = addr;
	return (long)addr;
}
SYSCALL_REGISTER(12, brk, sys_brk);

/* Fill [va, va+len) from the file behind fd at off (the rest stays zero). */
static long mmap_fill_file(struct file *f, uint64_t va, uint64_t len, uint64_t off)
{
	char *buf = kmalloc(MIN(len, PAGE_SIZE * 16));
	long ret = 0;

	if (!buf)
		return -ENOMEM;
	for (uint64_t done = 0; done < len; ) {
		long n = vfs_kernel_read(f, buf, MIN(len - done, PAGE_SIZE * 16), off + done);

		if (n <= 0) {
			ret = n;
			break;
		}
		/*
		 * umm_write() stores through the kernel's map of the page
		 * frames, not through the user address, so PTE_U and PTE_W do
		 * not apply: these are pages the kernel mapped for this mmap a
		 * moment ago (umm_protect() applies PROT_* after the fill), as
		 * the exec loader fills a read-only segment.  It fails only on
		 * a page that is not present, a bug in that mapping; the
		 * caller then undoes the mmap.
		 */
		ret = umm_write(current->mm, va + done, buf, (size_t)n);
		if (ret)
			break;
		done += (uint64_t)n;
	}
	kfree(buf);
	return ret;
}

/*
 * A private mapping of f at [va, va+len) from off: each whole page the
 * file holds is the file's own page, shared read-only (copy-on-write if
 * writable: umm_map_frame), as exec maps a program; the rest (the file's
 * last partial page, pages past its end, files kept in heap memory) are
 * fresh pages with the file's bytes.
 */
static long mmap_private_file(struct file *f, uint64_t va, uint64_t len, uint64_t off)
{
	long err = 0;

	for (uint64_t done = 0; !err && done < len; done += PAGE_SIZE) {
		const void *kaddr;

		if (vfs_map_page && vfs_map_page(f, off + done, &kaddr) == 0) {
			err = umm_map_frame(current->mm, va + done, virt_to_phys(kaddr), VM_READ);
			if (err)
				page_ref_put(virt_to_phys(kaddr));
			continue;
		}
		err = umm_map_anon(current->mm, va + done, PAGE_SIZE, VM_READ | VM_WRITE);
		if (!err)
			err = mmap_fill_file(f, va + done, PAGE_SIZE, off + done);
	}
	return err;
}

/* Pick the address: MAP_FIXED as given, else the hint if free, else search. */
static long mmap_place(uint64_t addr, uint64_t len, uint64_t flags)
{
	struct mm *mm = current->mm;
	uint64_t end;

	if (flags & (MAP_FIXED | MAP_FIXED_NOREPLACE)) {
		if (addr % PAGE_SIZE || __builtin_add_overflow(addr, len, &end) ||
		    end > UMM_STACK_TOP || addr < PAGE_SIZE)
			return -EINVAL;
		if ((flags & MAP_FIXED_NOREPLACE) && !umm_range_free(mm, addr, len))
			return -EEXIST;
		return (long)addr;
	}
	addr = ALIGN_DOWN(addr, PAGE_SIZE);
	if (addr >= 0x10000 && !__builtin_add_overflow(addr, len, &end) &&
	    end <= mm->stack_top - UMM_STACK_MAX && umm_range_free(mm, addr, len))
		return (long)addr;
	addr = umm_find_free(mm, len);
	return addr ? (long)addr : -ENOMEM;
}

/*
 * mmap: anonymous mappings, and private file mappings (the file's pages,
 * copy-on-write: mmap_private_file).  A shared mapping of a file is a
 * copy, shared with fork children: writes through it do not reach the
 * file.
 */
static long sys_mmap(uint64_t addr, uint64_t len, uint64_t prot, uint64_t flags,
		     int fd, uint64_t off)
{
	struct file *f = NULL;
	uint64_t end;
	long va, err;

	if (!len || off % PAGE_SIZE || (flags & MAP_TYPE) == 0 ||
	    (flags & MAP_TYPE) > MAP_SHARED_VALIDATE || (prot & ~(uint64_t)PROT_MASK))
		return -EINVAL;
	if (len > UMM_STACK_TOP)
		return -ENOMEM;
	len = ALIGN_UP(len, PAGE_SIZE);
	if (!(flags & MAP_ANONYMOUS) && __builtin_add_overflow(off, len, &end))
		return -EOVERFLOW;
	if (!(flags & MAP_ANONYMOUS)) {
		if (!vfs_fd_get || vfs_fd_get(current->fs, fd, &f))
			return -EBADF;
		if (!f->readable || (!S_ISREG(f->inode->mode))) {
			err = f->readable ? -ENODEV : -EACCES;
			goto out;
		}
	}
	va = mmap_place(addr, len, flags);
	err = va;
	if (va < 0)
		goto out;
	if (f && (flags & MAP_TYPE) == MAP_PRIVATE) {
		err = mmap_private_file(f, (uint64_t)va, len, off);
	} else {
		/* MAP_SHARED pages stay shared with fork children (PTE_SHARED). */
		err = umm_map_anon(current->mm, (uint64_t)va, len, VM_READ | VM_WRITE |
				   ((flags & MAP_TYPE) == MAP_PRIVATE ? 0 : VM_SHARED));
		if (!err && f)
			err = mmap_fill_file(f, (uint64_t)va, len, off);
	}
	if (!err)
		err = umm_protect(current->mm, (uint64_t)va, len, prot_to_vm(prot));
	if (err)
		umm_unmap(current->mm, (uint64_t)va, len);
	else
		err = va;
out:
	if (f)
		vfs_file_put(f);
	return err;
}
SYSCALL_REGISTER(9, mmap, sys_mmap);

static long sys_munmap(uint64_t addr, uint64_t len)
{
	uint64_t end;

	if (addr % PAGE_SIZE || !len)
		return -EINVAL;
	len = ALIGN_UP(len, PAGE_SIZE);
	if (__builtin_add_overflow(addr, len, &end) || end > MV_USER_END)
		return -EINVAL;
	umm_unmap(current->mm, addr, MIN(end, UMM_STACK_TOP) - MIN(addr, UMM_STACK_TOP));
	return 0;
}
SYSCALL_REGISTER(11, munmap, sys_munmap);

static long sys_mprotect(uint64_t addr, uint64_t len, uint64_t prot)
{
	uint64_t end;

	prot &= ~0x03000000ULL;         /* PROT_GROWSDOWN/UP: ignored */
	if (addr % PAGE_SIZE || (prot & ~(uint64_t)PROT_MASK))
		return -EINVAL;
	len = ALIGN_UP(len, PAGE_SIZE);
	if (__builtin_add_overflow(addr, len, &end) || end > UMM_STACK_TOP)
		return -ENOMEM;
	return umm_protect(current->mm, addr, len, prot_to_vm(prot));
}
SYSCALL_REGISTER(10, mprotect, sys_mprotect);

/* madvise: accepted and ignored (glibc only trims with it; nothing relies on zeroing). */
static long sys_madvise(uint64_t addr, uint64_t len, int advice)
{
	if (addr % PAGE_SIZE)
		return -EINVAL;
	(void)len;
	(void)advice;
	return 0;
}
SYSCALL_REGISTER(28, madvise, sys_madvise);

#define MS_ASYNC      1
#define MS_INVALIDATE 2
#define MS_SYNC       4

/*
 * msync: memory is the only backing store (shared file mappings are
 * copies, docs/guest-kernel.md), so there is nothing to write back; the
 * arguments are checked as Linux does.
 */
static long sys_msync(uint64_t addr, uint64_t len, uint64_t flags)
{
	uint64_t end;

	if (addr % PAGE_SIZE || (flags & ~(uint64_t)(MS_ASYNC | MS_INVALIDATE | MS_SYNC)) ||
	    ((flags & MS_ASYNC) && (flags & MS_SYNC)))
		return -EINVAL;
	len = ALIGN_UP(len, PAGE_SIZE);
	if (__builtin_add_overflow(addr, len, &end) || end > UMM_STACK_TOP)
		return -ENOMEM;
	for (uint64_t va = addr; va < end; va += PAGE_SIZE)
		if (umm_prot_at(current->mm, va) < 0)
			return -ENOMEM;
	return 0;
}
SYSCALL_REGISTER(26, msync, sys_msync);

#define MREMAP_MAYMOVE  1
#define MREMAP_FIXED    2

/*
 * mremap: shrink in place, grow in place when the pages after are free, or
 * (MREMAP_MAYMOVE) move the pages elsewhere; glibc's realloc of big blocks
 * uses it.  MREMAP_FIXED and MREMAP_DONTUNMAP are not offered (EINVAL).
 */
static long sys_mremap(uint64_t old, uint64_t old_len, uint64_t new_len, uint64_t flags)
{
	struct mm *mm = current->mm;
	uint64_t end, extra, to;
	int prot;

	if (old % PAGE_SIZE || !new_len || (flags & ~(uint64_t)MREMAP_MAYMOVE) ||
	    new_len > UMM_STACK_TOP)
		return -EINVAL;
	old_len = ALIGN_UP(old_len, PAGE_SIZE);
	new_len = ALIGN_UP(new_len, PAGE_SIZE);
	if (!old_len || __builtin_add_overflow(old, old_len, &end) || end > UMM_STACK_TOP)
		return -EINVAL;
	for (uint64_t va = old; va < end; va += PAGE_SIZE)
		if (umm_prot_at(mm, va) < 0)
			return -EFAULT;
	if (new_len <= old_len) {
		umm_unmap(mm, old + new_len, old_len - new_len);
		return (long)old;
	}
	extra = new_len - old_len;
	prot = umm_prot_at(mm, end - PAGE_SIZE);
	if (end + extra <= mm->stack_top - UMM_STACK_MAX && umm_range_free(mm, end, extra)) {
		int err = umm_map_anon(mm, end, extra, (unsigned)prot);

		return err ? err : (long)old;
	}
	if (!(flags & MREMAP_MAYMOVE))
		return -ENOMEM;
	to = umm_find_free(mm, new_len);
	if (!to || umm_map_anon(mm, to + old_len, extra, (unsigned)prot))
		return -ENOMEM;
	if (umm_move(mm, old, to, old_len)) {
		umm_unmap(mm, to + old_len, extra);
		return -ENOMEM;
	}
	return (long)to;
}
SYSCALL_REGISTER(25, mremap, sys_mremap);
