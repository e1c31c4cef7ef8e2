/* kernel_load.c: check every field of the guest kernel ELF (the shared validator's kernel profile, then the physical placement), then copy its segments. */
#include <modvisor/elf64.h>
#include <modvisor/elf_exec.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include "kernel_load.h"
#include "modvisor/abi/bootinfo.h"

/* State of one load: the file, guest RAM, where to report. */
struct kload {
	const char *name;
	const uint8_t *buf;
	size_t len;
	const struct guest_mem *mem;
	const Elf64_Ehdr *eh;
	Elf64_Phdr ph[KERNEL_MAX_PHDRS];   /* aligned copies */
	char *err;
	size_t errlen;
};

static int kl_fail(struct kload *k, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

_Static_assert(KERNEL_MAX_PHDRS >= ELF_EXEC_MAX_PHNUM, "kernel program headers");

/* kl_fail(k, fmt, ...): "name: <reason>" into k->err; returns -ENOEXEC. */
static int kl_fail(struct kload *k, const char *fmt, ...)
{
	va_list ap;
	int n = snprintf(k->err, k->errlen, "%s: ", k->name);

	if (n < 0 || (size_t)n >= k->errlen)
		return -ENOEXEC;
	va_start(ap, fmt);
	vsnprintf(k->err + n, k->errlen - n, fmt, ap);
	va_end(ap);
	return -ENOEXEC;
}

/*
 * kl_check_elf(k): the checks every executable passes, by the one validator
 * (shared/lib/elf_exec.c) with its kernel profile: identity, ET_EXEC,
 * x86-64, the program header table and each PT_LOAD inside the file with
 * p_filesz <= p_memsz and no wrap.  What is the kernel's own (physical
 * placement, the boot map, the entry) is checked below.
 */
static int kl_check_elf(struct kload *k)
{
	struct elf_exec_info *info = malloc(sizeof(*info));
	int rc;

	if (!info)
		return kl_fail(k, "out of memory");
	rc = elf_exec_check(k->buf, k->len, k->len, &elf_exec_kernel, info);
	if (rc)
		kl_fail(k, "%s", info->why);
	else
		memcpy(k->ph, k->buf + k->eh->e_phoff, (size_t)k->eh->e_phnum * sizeof(Elf64_Phdr));
	free(info);
	return rc ? -ENOEXEC : 0;
}

/* kl_check_vaddr(k, i): p_vaddr must reach p_paddr through the boot map. */
static int kl_check_vaddr(struct kload *k, int i)
{
	const Elf64_Phdr *p = &k->ph[i];

	if (p->p_vaddr == p->p_paddr || p->p_vaddr - MV_KERNEL_VBASE == p->p_paddr)
		return 0;
	return kl_fail(k, "program header %d: p_vaddr 0x%llx maps to neither p_paddr "
		       "0x%llx nor MV_KERNEL_VBASE + p_paddr", i,
		       (unsigned long long)p->p_vaddr, (unsigned long long)p->p_paddr);
}

/* kl_check_phdr(k, i): one PT_LOAD (checked against the file already) against guest RAM. */
static int kl_check_phdr(struct kload *k, int i)
{
	const Elf64_Phdr *p = &k->ph[i];
	uint64_t pend;

	if (__builtin_add_overflow(p->p_paddr, p->p_memsz, &pend))
		return kl_fail(k, "program header %d: p_paddr+p_memsz (0x%llx + 0x%llx) "
			       "overflows", i, (unsigned long long)p->p_paddr,
			       (unsigned long long)p->p_memsz);
	if (p->p_paddr < MV_KERNEL_PHYS)
		return kl_fail(k, "program header %d: p_paddr 0x%llx overlaps the boot area "
			       "below 0x%llx", i, (unsigned long long)p->p_paddr,
			       MV_KERNEL_PHYS);
	if (!mem_gpa(k->mem, p->p_paddr, p->p_memsz))
		return kl_fail(k, "program header %d: p_paddr+p_memsz (0x%llx) is outside "
			       "guest RAM (0x%llx bytes; try a larger --mem)", i,
			       (unsigned long long)pend, (unsigned long long)k->mem->size);
	return kl_check_vaddr(k, i);
}

/* kl_check_overlap(k, i): segment i shares no guest-physical byte with j < i. */
static int kl_check_overlap(struct kload *k, int i)
{
	const Elf64_Phdr *a = &k->ph[i], *b;
	int j;

	for (j = 0; j < i; j++) {
		b = &k->ph[j];
		if (b->p_type != PT_LOAD || !a->p_memsz || !b->p_memsz)
			continue;
		if (a->p_paddr < b->p_paddr + b->p_memsz && b->p_paddr < a->p_paddr + a->p_memsz)
			return kl_fail(k, "program header %d: [0x%llx, 0x%llx) overlaps program "
				       "header %d", i, (unsigned long long)a->p_paddr,
				       (unsigned long long)(a->p_paddr + a->p_memsz), j);
	}
	return 0;
}

/* kl_check_entry(k, ki): e_entry must lie in an executable PT_LOAD. */
static int kl_check_entry(struct kload *k)
{
	uint64_t e = k->eh->e_entry;
	int i;

	for (i = 0; i < k->eh->e_phnum; i++) {
		const Elf64_Phdr *p = &k->ph[i];

		if (p->p_type == PT_LOAD && (p->p_flags & PF_X) &&
		    e >= p->p_vaddr && e - p->p_vaddr < p->p_memsz)
			return 0;
	}
	return kl_fail(k, "e_entry 0x%llx is not inside an executable PT_LOAD segment",
		       (unsigned long long)e);
}

/* kl_ro_clip(k, a, b): shrink [*a, *b) so it shares no page with a writable PT_LOAD. */
static void kl_ro_clip(const struct kload *k, uint64_t *a, uint64_t *b)
{
	for (int j = 0; j < k->eh->e_phnum; j++) {
		const Elf64_Phdr *w = &k->ph[j];
		uint64_t ws, we;

		if (w->p_type != PT_LOAD || !(w->p_flags & PF_W) || !w->p_memsz)
			continue;
		ws = w->p_paddr & ~0xfffull;
		we = (w->p_paddr + w->p_memsz + 0xfff) & ~0xfffull;
		if (ws <= *a && *a < we)
			*a = we;
		if (ws < *b && *b <= we)
			*b = ws;
	}
}

/* kl_ro_ranges(k, ki): the pages of every read-only PT_LOAD (after kl_check). */
static void kl_ro_ranges(const struct kload *k, struct kernel_info *ki)
{
	ki->nro = 0;
	for (int i = 0; i < k->eh->e_phnum; i++) {
		const Elf64_Phdr *p = &k->ph[i];
		uint64_t a, b;

		if (p->p_type != PT_LOAD || (p->p_flags & PF_W) || !p->p_memsz)
			continue;
		a = p->p_paddr & ~0xfffull;
		b = (p->p_paddr + p->p_memsz + 0xfff) & ~0xfffull;
		kl_ro_clip(k, &a, &b);
		if (a < b)
			ki->ro[ki->nro++] = (struct kernel_ro){ a, b - a };
	}
}

/* kl_check(k, ki): every check, filling ki; nothing is copied yet. */
static int kl_check(struct kload *k, struct kernel_info *ki)
{
	int i, rc, nload = 0;

	rc = kl_check_elf(k);
	if (rc)
		return rc;
	ki->phys_start = UINT64_MAX;
	ki->phys_end = 0;
	for (i = 0; i < k->eh->e_phnum; i++) {
		if (k->ph[i].p_type != PT_LOAD)
			continue;
		rc = kl_check_phdr(k, i);
		if (!rc)
			rc = kl_check_overlap(k, i);
		if (rc)
			return rc;
		nload++;
		if (k->ph[i].p_paddr < ki->phys_start)
			ki->phys_start = k->ph[i].p_paddr;
		if (k->ph[i].p_paddr + k->ph[i].p_memsz > ki->phys_end)
			ki->phys_end = k->ph[i].p_paddr + k->ph[i].p_memsz;
	}
	if (nload == 0)
		return kl_fail(k, "no PT_LOAD program header");
	ki->entry = k->eh->e_entry;
	kl_ro_ranges(k, ki);
	return kl_check_entry(k);
}

int kernel_load(const char *name, const uint8_t *buf, size_t len,
		struct guest_mem *m, struct kernel_info *ki, char *err, size_t errlen)
{
	struct kload k = { .name = name, .buf = buf, .len = len, .mem = m,
			   .err = err, .errlen = errlen };
	Elf64_Ehdr eh;
	int i, rc;

	/* Read the header through an aligned copy; buf may be unaligned. */
	memset(&eh, 0, sizeof(eh));
	memcpy(&eh, buf, len < sizeof(eh) ? len : sizeof(eh));
	k.eh = &eh;
	rc = kl_check(&k, ki);
	if (rc)
		return rc;
	for (i = 0; i < eh.e_phnum; i++) {
		const Elf64_Phdr *p = &k.ph[i];
		uint8_t *dst = mem_gpa(m, p->p_paddr, p->p_memsz);

		if (p->p_type != PT_LOAD)
			continue;
		memcpy(dst, buf + p->p_offset, p->p_filesz);
		memset(dst + p->p_filesz, 0, p->p_memsz - p->p_filesz);
	}
	return 0;
}

int read_whole_file(const char *path, uint8_t **out, size_t *len)
{
	struct stat st;
	uint8_t *buf;
	size_t got = 0;
	ssize_t n;
	int fd, rc = 0;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) < 0) {
		rc = -errno;
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		rc = S_ISDIR(st.st_mode) ? -EISDIR : -EINVAL;
		goto out;
	}
	buf = malloc(st.st_size ? st.st_size : 1);
	if (!buf) {
		rc = -ENOMEM;
		goto out;
	}
	while (got < (size_t)st.st_size) {
		n = read(fd, buf + got, st.st_size - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			rc = n < 0 ? -errno : -EIO;
			free(buf);
			goto out;
		}
		got += n;
	}
	*out = buf;
	*len = got;
out:
	close(fd);
	return rc;
}

int kernel_load_file(const char *path, struct guest_mem *m, struct kernel_info *ki,
		     char *err, size_t errlen)
{
	uint8_t *buf;
	size_t len;
	int rc;

	rc = read_whole_file(path, &buf, &len);
	if (rc) {
		snprintf(err, errlen, "%s: %s", path, strerror(-rc));
		return rc;
	}
	rc = kernel_load(path, buf, len, m, ki, err, errlen);
	free(buf);
	return rc;
}
