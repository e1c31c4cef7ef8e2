/* uaccess.c: every user pointer is checked here, by walking the process's page tables. */
#include "paging.h"
#include "proc.h"
#include "uaccess.h"
#include "umm.h"

/*
 * The kernel address of user byte addr if the page holding it is present,
 * user-accessible and (for write) writable, after copying a copy-on-write
 * page; NULL otherwise.  Copies then go
 * through the direct map, so a bad pointer never faults the kernel.  An
 * untouched stack page is allocated here as the CPU's fault would.
 */
static void *user_byte(uaddr_t addr, bool write)
{
	uint64_t *pte, e;

	if (!current || !current->mm || addr >= MV_USER_END)
		return NULL;
	pte = pt_walk(current->mm->pml4_pa, addr, false);
	if ((!pte || !(*pte & PTE_P)) && umm_fault_in(current->mm, addr))
		pte = pt_walk(current->mm->pml4_pa, addr, false);
	if (!pte)
		return NULL;
	/* A copy-on-write page (fork) is copied before the kernel writes it. */
	if (write && (*pte & PTE_P) && (*pte & PTE_U) && (*pte & PTE_COW) &&
	    umm_cow_break(current->mm, addr))
		return NULL;
	e = *pte;
	if (!(e & PTE_P) || !(e & PTE_U) || (write && !(e & PTE_W)))
		return NULL;
	return (char *)phys_to_virt(e & PTE_ADDR) + (addr & (PAGE_SIZE - 1));
}

/* Bytes from addr to the end of its page, at most n. */
static size_t page_chunk(uaddr_t addr, size_t n)
{
	return MIN(n, PAGE_SIZE - (addr & (PAGE_SIZE - 1)));
}

bool access_ok_user(uaddr_t addr, size_t n, bool write)
{
	uaddr_t end;

	if (__builtin_add_overflow(addr, n, &end) || end > MV_USER_END)
		return false;
	while (n) {
		size_t k = page_chunk(addr, n);

		if (!user_byte(addr, write))
			return false;
		addr += k;
		n -= k;
	}
	return true;
}

int copy_from_user(void *dst, uaddr_t src, size_t n)
{
	char *d = dst;

	if (!access_ok_user(src, n, false))
		return -EFAULT;
	while (n) {
		size_t k = page_chunk(src, n);

		memcpy(d, user_byte(src, false), k);
		d += k;
		src += k;
		n -= k;
	}
	return 0;
}

int copy_to_user(uaddr_t dst, const void *src, size_t n)
{
	const char *s = src;

	if (!access_ok_user(dst, n, true))
		return -EFAULT;
	while (n) {
		size_t k = page_chunk(dst, n);

		memcpy(user_byte(dst, true), s, k);
		s += k;
		dst += k;
		n -= k;
	}
	return 0;
}

int clear_user(uaddr_t dst, size_t n)
{
	if (!access_ok_user(dst, n, true))
		return -EFAULT;
	while (n) {
		size_t k = page_chunk(dst, n);

		memset(user_byte(dst, true), 0, k);
		dst += k;
		n -= k;
	}
	return 0;
}

long strncpy_from_user(char *dst, uaddr_t src, size_t size)
{
	size_t done = 0;

	while (done < size) {
		const char *p = user_byte(src + done, false);
		size_t k, len;

		if (!p || src + done < src)
			return -EFAULT;
		k = page_chunk(src + done, size - done);
		len = strnlen(p, k);
		memcpy(dst + done, p, len);
		done += len;
		if (len < k) {
			dst[done] = '\0';
			return (long)done;
		}
	}
	return -ENAMETOOLONG;
}

long strnlen_user(uaddr_t src, size_t max)
{
	size_t done = 0;

	while (done < max) {
		const char *p = user_byte(src + done, false);
		size_t k, len;

		if (!p || src + done < src)
			return -EFAULT;
		k = page_chunk(src + done, max - done);
		len = strnlen(p, k);
		done += len;
		if (len < k)
			return (long)done;
	}
	return -ENAMETOOLONG;
}

int get_user_u64(uint64_t *v, uaddr_t src)
{
	return copy_from_user(v, src, sizeof(*v));
}

int put_user_u64(uaddr_t dst, uint64_t v)
{
	return copy_to_user(dst, &v, sizeof(v));
}

/*
 * _copy_from_user(to, from, n), _copy_to_user(to, from, n): the exports
 * behind the SDK's <linux/uaccess.h> copy_from_user()/copy_to_user(), with
 * Linux's result: the number of bytes not copied (0 on success).  The
 * copies are all or nothing here, so a failure reports n; a failed read
 * zero-fills the destination, as Linux does with the uncopied tail.
 */
unsigned long _copy_from_user(void *to, uaddr_t from, unsigned long n)
{
	if (copy_from_user(to, from, n) == 0)
		return 0;
	memset(to, 0, n);
	return n;
}

unsigned long _copy_to_user(uaddr_t to, const void *from, unsigned long n)
{
	return copy_to_user(to, from, n) == 0 ? 0 : n;
}
