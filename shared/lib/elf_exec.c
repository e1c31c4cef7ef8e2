/* elf_exec.c: validate an x86-64 ELF executable's (or its interpreter's) headers for execve (both sides). */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <modvisor/elf64.h>
#include <modvisor/elf_exec.h>

#define EE_PAGE       4096ULL

static int ee_fail(struct elf_exec_info *out, const char *why)
{
	out->why = why;
	return -ENOEXEC;
}

const struct elf_exec_profile elf_exec_kernel = {
	.allow_dyn = 0, .mapped = 0, .kernel = 1, .end = UINT64_MAX - EE_PAGE + 1,
};

/* The ELF header: identity, type, machine, and the program header table. */
static int ee_check_ehdr(const Elf64_Ehdr *eh, uint64_t size, uint64_t hdr_len,
			 const struct elf_exec_profile *p, struct elf_exec_info *out)
{
	uint64_t tab_len, tab_end;

	if (eh->e_ident[0] != 0x7f || eh->e_ident[1] != 'E' || eh->e_ident[2] != 'L' ||
	    eh->e_ident[3] != 'F')
		return ee_fail(out, "e_ident: not an ELF file (bad magic)");
	if (eh->e_ident[EI_CLASS] != ELFCLASS64)
		return ee_fail(out, "e_ident[EI_CLASS]: not a 64-bit ELF");
	if (eh->e_ident[EI_DATA] != ELFDATA2LSB)
		return ee_fail(out, "e_ident[EI_DATA]: not little-endian");
	if (eh->e_ident[EI_VERSION] != EV_CURRENT || eh->e_version != EV_CURRENT)
		return ee_fail(out, "e_version: not ELF version 1");
	if (!p->allow_dyn && eh->e_type != ET_EXEC)
		return ee_fail(out, "e_type: not ET_EXEC (a kernel is not relocatable)");
	if (eh->e_type != ET_EXEC && eh->e_type != ET_DYN)
		return ee_fail(out, "e_type: not an executable (ET_EXEC or ET_DYN)");
	if (eh->e_machine != EM_X86_64)
		return ee_fail(out, "e_machine: not x86-64");
	if (eh->e_phentsize != sizeof(Elf64_Phdr))
		return ee_fail(out, "e_phentsize: not 56");
	if (eh->e_phnum == 0 || eh->e_phnum > ELF_EXEC_MAX_PHNUM)
		return ee_fail(out, "e_phnum: no program headers, or more than 64");
	tab_len = (uint64_t)eh->e_phnum * sizeof(Elf64_Phdr);
	if (__builtin_add_overflow(eh->e_phoff, tab_len, &tab_end) || tab_end > size)
		return ee_fail(out, "e_phoff: program headers extend past the end of the file");
	if (tab_end > hdr_len)
		return ee_fail(out, "e_phoff: program headers are not within the first 64 KiB");
	if (eh->e_phoff % 8)
		return ee_fail(out, "e_phoff: program headers are not 8-byte aligned");
	return 0;
}

/* One PT_LOAD: inside the file, sizes consistent, page congruence (if mapped), no wrap. */
static int ee_check_load(const Elf64_Phdr *ph, uint64_t size, const struct elf_exec_profile *p,
			 struct elf_exec_info *out)
{
	uint64_t fend, vend;

	if (ph->p_filesz > ph->p_memsz)
		return ee_fail(out, "PT_LOAD: p_filesz is larger than p_memsz");
	if (__builtin_add_overflow(ph->p_offset, ph->p_filesz, &fend) || fend > size)
		return ee_fail(out, "PT_LOAD: p_offset + p_filesz is past the end of the file");
	if (__builtin_add_overflow(ph->p_vaddr, ph->p_memsz, &vend) ||
	    vend > UINT64_MAX - EE_PAGE)
		return ee_fail(out, "PT_LOAD: p_vaddr + p_memsz overflows");
	if (p->mapped && (ph->p_vaddr - ph->p_offset) % EE_PAGE)
		return ee_fail(out, "PT_LOAD: p_vaddr and p_offset differ modulo the page size");
	if (ph->p_memsz == 0)
		return ee_fail(out, "PT_LOAD: p_memsz is 0");
	return 0;
}

/* Record a checked PT_LOAD; mapped segments must come in ascending, disjoint order. */
static int ee_add_load(const Elf64_Phdr *ph, const struct elf_exec_profile *p,
		       struct elf_exec_info *out)
{
	struct elf_exec_seg *s;

	if (out->nseg == ELF_EXEC_MAX_SEGS)
		return ee_fail(out, "PT_LOAD: more than 16 loadable segments");
	if (p->mapped && out->nseg) {
		const struct elf_exec_seg *prev = &out->seg[out->nseg - 1];

		if (ph->p_vaddr < prev->vaddr + prev->memsz)
			return ee_fail(out, "PT_LOAD: segments overlap or are not in ascending order");
	}
	s = &out->seg[out->nseg++];
	s->vaddr = ph->p_vaddr;
	s->memsz = ph->p_memsz;
	s->offset = ph->p_offset;
	s->filesz = ph->p_filesz;
	s->flags = ph->p_flags & (ELF_EXEC_R | ELF_EXEC_W | ELF_EXEC_X);
	return 0;
}

/*
 * PT_INTERP names the dynamic linker: as Linux's load_elf_binary(), its
 * p_filesz is 2 to 4096 bytes (PATH_MAX, with the NUL), it lies inside the
 * file, here within the bytes read, and its last byte is the NUL.
 */
static int ee_check_interp(const Elf64_Phdr *ph, const uint8_t *hdr, uint64_t hdr_len,
			   struct elf_exec_info *out)
{
	uint64_t end;

	if (ph->p_filesz < 2 || ph->p_filesz > ELF_EXEC_INTERP_MAX)
		return ee_fail(out, "PT_INTERP: p_filesz is not 2 to 4096 bytes");
	if (__builtin_add_overflow(ph->p_offset, ph->p_filesz, &end) || end > hdr_len)
		return ee_fail(out, "PT_INTERP: the path is not within the first 64 KiB of the file");
	if (hdr[end - 1] != '\0')
		return ee_fail(out, "PT_INTERP: the path does not end with a NUL byte");
	out->interp_off = ph->p_offset;
	out->interp_len = ph->p_filesz - 1;
	return 0;
}

/* Where the loaded image holds the program headers (for AT_PHDR). */
static uint64_t ee_phdr_vaddr(const Elf64_Ehdr *eh, struct elf_exec_info *out)
{
	uint64_t tab_len = (uint64_t)eh->e_phnum * sizeof(Elf64_Phdr);

	for (uint32_t i = 0; i < out->nseg; i++) {
		const struct elf_exec_seg *s = &out->seg[i];

		if (eh->e_phoff >= s->offset && eh->e_phoff + tab_len <= s->offset + s->filesz)
			return s->vaddr + (eh->e_phoff - s->offset);
	}
	return 0;
}

/* The span of all segments must fit below the profile's end (the user half for programs). */
static int ee_check_span(struct elf_exec_info *out, const struct elf_exec_profile *p)
{
	uint64_t user_end = p->end;

	out->lo = UINT64_MAX;
	out->hi = 0;
	for (uint32_t i = 0; i < out->nseg; i++) {      /* in any order: the kernel's */
		const struct elf_exec_seg *s = &out->seg[i];
		uint64_t lo = s->vaddr & ~(EE_PAGE - 1);
		uint64_t hi = (s->vaddr + s->memsz + EE_PAGE - 1) & ~(EE_PAGE - 1);

		out->lo = lo < out->lo ? lo : out->lo;
		out->hi = hi > out->hi ? hi : out->hi;
	}
	if (out->pie) {
		if (out->hi - out->lo > user_end / 4)
			return ee_fail(out, "PT_LOAD: the image is too large for the address space");
		return 0;
	}
	if (p->mapped && out->lo < ELF_EXEC_MIN_VADDR)
		return ee_fail(out, "PT_LOAD: p_vaddr is below the lowest mappable address (0x10000)");
	if (out->hi > user_end)
		return ee_fail(out, p->kernel ? "PT_LOAD: segment lies outside the address space" :
			       "PT_LOAD: segment lies outside the user address space");
	return 0;
}

int elf_exec_parse(const void *hdr, uint64_t hdr_len, uint64_t size,
		   uint64_t user_end, struct elf_exec_info *out)
{
	const struct elf_exec_profile user = { .allow_dyn = 1, .mapped = 1, .end = user_end };

	return elf_exec_check(hdr, hdr_len, size, &user, out);
}

int elf_exec_check(const void *hdr, uint64_t hdr_len, uint64_t size,
		   const struct elf_exec_profile *p, struct elf_exec_info *out)
{
	const Elf64_Ehdr *eh = hdr;
	const Elf64_Phdr *ph;
	int err;

	*out = (struct elf_exec_info){ 0 };
	if (hdr_len > size)
		hdr_len = size;
	if (hdr_len < sizeof(*eh))
		return ee_fail(out, "file is shorter than an ELF header");
	err = ee_check_ehdr(eh, size, hdr_len, p, out);
	if (err)
		return err;
	out->pie = eh->e_type == ET_DYN;
	out->entry = eh->e_entry;
	out->phnum = eh->e_phnum;
	out->phentsize = eh->e_phentsize;
	ph = (const Elf64_Phdr *)((const uint8_t *)hdr + eh->e_phoff);
	for (uint16_t i = 0; i < eh->e_phnum; i++) {
		/* The first PT_INTERP counts, as on Linux. */
		if (ph[i].p_type == PT_INTERP && !out->has_interp) {
			if ((err = ee_check_interp(&ph[i], hdr, hdr_len, out)))
				return err;
			out->has_interp = 1;
		}
		if (ph[i].p_type == PT_PHDR)
			out->phdr_vaddr = ph[i].p_vaddr;
		/* The last PT_GNU_STACK counts, as on Linux; none: not executable. */
		if (ph[i].p_type == PT_GNU_STACK)
			out->exec_stack = !!(ph[i].p_flags & PF_X);
		if (ph[i].p_type == PT_GNU_RELRO && !out->relro_memsz) {
			out->relro_vaddr = ph[i].p_vaddr;
			out->relro_memsz = ph[i].p_memsz;
		}
		if (ph[i].p_type != PT_LOAD)
			continue;
		if ((err = ee_check_load(&ph[i], size, p, out)) ||
		    (err = ee_add_load(&ph[i], p, out)))
			return err;
	}
	if (out->nseg == 0)
		return ee_fail(out, "no PT_LOAD segment");
	if (!out->phdr_vaddr)
		out->phdr_vaddr = ee_phdr_vaddr(eh, out);
	return ee_check_span(out, p);
}
