/* elf_exec.c: validate a static x86-64 ELF executable's headers for execve (both sides). */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <modvisor/elf_exec.h>

/* The ELF64 on-disk headers (System V gABI), by their standard layout. */
struct ee_ehdr {
	uint8_t  ident[16];
	uint16_t type, machine;
	uint32_t version;
	uint64_t entry, phoff, shoff;
	uint32_t flags;
	uint16_t ehsize, phentsize, phnum, shentsize, shnum, shstrndx;
};
_Static_assert(sizeof(struct ee_ehdr) == 64, "Elf64_Ehdr size");

struct ee_phdr {
	uint32_t type, flags;
	uint64_t offset, vaddr, paddr, filesz, memsz, align;
};
_Static_assert(sizeof(struct ee_phdr) == 56, "Elf64_Phdr size");

#define EE_PAGE       4096ULL
#define EE_ET_EXEC    2
#define EE_ET_DYN     3
#define EE_EM_X86_64  62
#define EE_PT_LOAD    1
#define EE_PT_INTERP  3
#define EE_PT_PHDR    6

static int ee_fail(struct elf_exec_info *out, const char *why)
{
	out->why = why;
	return -ENOEXEC;
}

/* The ELF header: identity, type, machine, and the program header table. */
static int ee_check_ehdr(const struct ee_ehdr *eh, uint64_t size, uint64_t hdr_len,
			 struct elf_exec_info *out)
{
	uint64_t tab_len, tab_end;

	if (eh->ident[0] != 0x7f || eh->ident[1] != 'E' || eh->ident[2] != 'L' ||
	    eh->ident[3] != 'F')
		return ee_fail(out, "e_ident: not an ELF file (bad magic)");
	if (eh->ident[4] != 2)
		return ee_fail(out, "e_ident[EI_CLASS]: not a 64-bit ELF");
	if (eh->ident[5] != 1)
		return ee_fail(out, "e_ident[EI_DATA]: not little-endian");
	if (eh->ident[6] != 1 || eh->version != 1)
		return ee_fail(out, "e_version: not ELF version 1");
	if (eh->type != EE_ET_EXEC && eh->type != EE_ET_DYN)
		return ee_fail(out, "e_type: not an executable (ET_EXEC or ET_DYN)");
	if (eh->machine != EE_EM_X86_64)
		return ee_fail(out, "e_machine: not x86-64");
	if (eh->phentsize != sizeof(struct ee_phdr))
		return ee_fail(out, "e_phentsize: not 56");
	if (eh->phnum == 0 || eh->phnum > ELF_EXEC_MAX_PHNUM)
		return ee_fail(out, "e_phnum: no program headers, or more than 64");
	tab_len = (uint64_t)eh->phnum * sizeof(struct ee_phdr);
	if (__builtin_add_overflow(eh->phoff, tab_len, &tab_end) || tab_end > size)
		return ee_fail(out, "e_phoff: program headers extend past the end of the file");
	if (tab_end > hdr_len)
		return ee_fail(out, "e_phoff: program headers are not within the first 64 KiB");
	if (eh->phoff % 8)
		return ee_fail(out, "e_phoff: program headers are not 8-byte aligned");
	return 0;
}

/* One PT_LOAD: inside the file, sizes consistent, page congruence, no wrap. */
static int ee_check_load(const struct ee_phdr *ph, uint64_t size,
			 struct elf_exec_info *out)
{
	uint64_t fend, vend;

	if (ph->filesz > ph->memsz)
		return ee_fail(out, "PT_LOAD: p_filesz is larger than p_memsz");
	if (__builtin_add_overflow(ph->offset, ph->filesz, &fend) || fend > size)
		return ee_fail(out, "PT_LOAD: p_offset + p_filesz is past the end of the file");
	if (__builtin_add_overflow(ph->vaddr, ph->memsz, &vend) ||
	    vend > UINT64_MAX - EE_PAGE)
		return ee_fail(out, "PT_LOAD: p_vaddr + p_memsz overflows");
	if ((ph->vaddr - ph->offset) % EE_PAGE)
		return ee_fail(out, "PT_LOAD: p_vaddr and p_offset differ modulo the page size");
	if (ph->memsz == 0)
		return ee_fail(out, "PT_LOAD: p_memsz is 0");
	return 0;
}

/* Record a checked PT_LOAD; segments must come in ascending, disjoint order. */
static int ee_add_load(const struct ee_phdr *ph, struct elf_exec_info *out)
{
	struct elf_exec_seg *s;

	if (out->nseg == ELF_EXEC_MAX_SEGS)
		return ee_fail(out, "PT_LOAD: more than 16 loadable segments");
	if (out->nseg) {
		const struct elf_exec_seg *prev = &out->seg[out->nseg - 1];

		if (ph->vaddr < prev->vaddr + prev->memsz)
			return ee_fail(out, "PT_LOAD: segments overlap or are not in ascending order");
	}
	s = &out->seg[out->nseg++];
	s->vaddr = ph->vaddr;
	s->memsz = ph->memsz;
	s->offset = ph->offset;
	s->filesz = ph->filesz;
	s->flags = ph->flags & (ELF_EXEC_R | ELF_EXEC_W | ELF_EXEC_X);
	return 0;
}

/* Where the loaded image holds the program headers (for AT_PHDR). */
static uint64_t ee_phdr_vaddr(const struct ee_ehdr *eh, struct elf_exec_info *out)
{
	uint64_t tab_len = (uint64_t)eh->phnum * sizeof(struct ee_phdr);

	for (uint32_t i = 0; i < out->nseg; i++) {
		const struct elf_exec_seg *s = &out->seg[i];

		if (eh->phoff >= s->offset && eh->phoff + tab_len <= s->offset + s->filesz)
			return s->vaddr + (eh->phoff - s->offset);
	}
	return 0;
}

/* The span of all segments must fit in the user half. */
static int ee_check_span(struct elf_exec_info *out, uint64_t user_end)
{
	const struct elf_exec_seg *last = &out->seg[out->nseg - 1];

	out->lo = out->seg[0].vaddr & ~(EE_PAGE - 1);
	out->hi = (last->vaddr + last->memsz + EE_PAGE - 1) & ~(EE_PAGE - 1);
	if (out->pie) {
		if (out->hi - out->lo > user_end / 4)
			return ee_fail(out, "PT_LOAD: the image is too large for the address space");
		return 0;
	}
	if (out->lo < ELF_EXEC_MIN_VADDR)
		return ee_fail(out, "PT_LOAD: p_vaddr is below the lowest mappable address (0x10000)");
	if (out->hi > user_end)
		return ee_fail(out, "PT_LOAD: segment lies outside the user address space");
	return 0;
}

int elf_exec_parse(const void *hdr, uint64_t hdr_len, uint64_t size,
		   uint64_t user_end, struct elf_exec_info *out)
{
	const struct ee_ehdr *eh = hdr;
	const struct ee_phdr *ph;
	int err;

	*out = (struct elf_exec_info){ 0 };
	if (hdr_len > size)
		hdr_len = size;
	if (hdr_len < sizeof(*eh))
		return ee_fail(out, "file is shorter than an ELF header");
	err = ee_check_ehdr(eh, size, hdr_len, out);
	if (err)
		return err;
	out->pie = eh->type == EE_ET_DYN;
	out->entry = eh->entry;
	out->phnum = eh->phnum;
	out->phentsize = eh->phentsize;
	ph = (const struct ee_phdr *)((const uint8_t *)hdr + eh->phoff);
	for (uint16_t i = 0; i < eh->phnum; i++) {
		if (ph[i].type == EE_PT_INTERP)
			out->has_interp = 1;
		if (ph[i].type == EE_PT_PHDR)
			out->phdr_vaddr = ph[i].vaddr;
		if (ph[i].type != EE_PT_LOAD)
			continue;
		if ((err = ee_check_load(&ph[i], size, out)) ||
		    (err = ee_add_load(&ph[i], out)))
			return err;
	}
	if (out->has_interp)
		return ee_fail(out, "PT_INTERP: dynamically linked executables are not supported");
	if (out->nseg == 0)
		return ee_fail(out, "no PT_LOAD segment");
	if (!out->phdr_vaddr)
		out->phdr_vaddr = ee_phdr_vaddr(eh, out);
	return ee_check_span(out, user_end);
}
