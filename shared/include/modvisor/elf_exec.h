/* elf_exec.h: validate an x86-64 ELF executable or its interpreter for execve (both sides). */
#ifndef MODVISOR_ELF_EXEC_H
#define MODVISOR_ELF_EXEC_H

#include <stdint.h>

/*
 * elf_exec_parse() is pure and freestanding: the guest kernel's execve uses
 * it on the file it read, and tests/unit/test_elf_exec.c feeds it malformed
 * headers on the host.  It reads only the ELF header and program headers,
 * with overflow-safe bounds checks against the file size, and describes the
 * PT_LOAD segments the loader must map.
 */

#define ELF_EXEC_MAX_SEGS   16      /* PT_LOAD segments accepted */
#define ELF_EXEC_MAX_PHNUM  64      /* program headers accepted */
#define ELF_EXEC_MIN_VADDR  0x10000ULL  /* like Linux's mmap_min_addr */
#define ELF_EXEC_INTERP_MAX 4096u       /* PT_INTERP p_filesz, as Linux's PATH_MAX */

/* Segment permissions, as PF_R/PF_W/PF_X. */
#define ELF_EXEC_R  4u
#define ELF_EXEC_W  2u
#define ELF_EXEC_X  1u

struct elf_exec_seg {
	uint64_t vaddr;         /* before the load bias */
	uint64_t memsz;
	uint64_t offset;        /* in the file */
	uint64_t filesz;        /* <= memsz; offset + filesz <= file size */
	uint32_t flags;         /* ELF_EXEC_R/W/X */
	uint32_t _pad;
};

struct elf_exec_info {
	uint64_t entry;         /* e_entry, before the load bias */
	uint64_t lo;            /* lowest PT_LOAD vaddr, page-aligned down */
	uint64_t hi;            /* end of the highest PT_LOAD, page-aligned up */
	uint64_t phdr_vaddr;    /* where the program headers are in memory
	                         * (PT_PHDR, or found in a PT_LOAD), before the
	                         * bias; 0 if they are not loaded */
	uint16_t phnum;
	uint16_t phentsize;
	uint32_t nseg;
	int      pie;           /* ET_DYN: PIE or a shared object, needs a load bias */
	int      has_interp;    /* PT_INTERP seen: interp_off/len name the path */
	int      exec_stack;    /* PT_GNU_STACK with PF_X (else the stack is NX) */
	uint64_t interp_off;    /* the interpreter's path: file offset, within */
	uint64_t interp_len;    /* the header bytes; length without its NUL */
	uint64_t relro_vaddr;   /* PT_GNU_RELRO before the bias (the dynamic */
	uint64_t relro_memsz;   /* linker mprotects it; 0: none) */
	struct elf_exec_seg seg[ELF_EXEC_MAX_SEGS];
	const char *why;        /* on failure: which field, and why */
};

/*
 * elf_exec_parse(hdr, hdr_len, file_size, user_end, out): check the ELF
 * header and program headers of an executable of file_size bytes whose
 * first hdr_len bytes are at hdr (the loader reads the first
 * ELF_EXEC_HDR_MAX bytes, not the whole file; the program header table
 * must lie within them), and fill out.  user_end is the first address above
 * the user half: every segment of an ET_EXEC, and the span of an ET_DYN,
 * must fit below it.  Returns 0, or -ENOEXEC (not an ELF x86-64 executable
 * we can run: bad magic, class, machine, type, headers outside the file,
 * overlapping or unaligned segments, a PT_INTERP path that is not a
 * NUL-terminated string of 1-4095 bytes within the header bytes, ...),
 * with out->why set to a one-line reason.  The same checks apply to the
 * program and to the interpreter PT_INTERP names (whose own PT_INTERP the
 * loader ignores, as Linux does).
 */
#define ELF_EXEC_HDR_MAX    (64u << 10)
int elf_exec_parse(const void *hdr, uint64_t hdr_len, uint64_t file_size,
		   uint64_t user_end, struct elf_exec_info *out);

/*
 * What a loader accepts beyond the checks every executable passes: the
 * one validator serves the guest's execve (elf_exec_parse: ET_EXEC or
 * ET_DYN, the user half) and the VMM's guest kernel (elf_exec_kernel:
 * ET_EXEC only, linked anywhere up to the top of the address space; the
 * VMM then checks the physical placement itself, vmm/kernel_load.c).
 */
struct elf_exec_profile {
	int      allow_dyn;     /* ET_DYN (PIE, shared objects) besides ET_EXEC */
	int      mapped;        /* segments are mapped from the file's pages: p_vaddr
	                         * and p_offset congruent modulo the page size, in
	                         * ascending disjoint order, from ELF_EXEC_MIN_VADDR
	                         * (the kernel's are copied by p_paddr instead) */
	int      kernel;        /* say "address space", not "user address space" */
	uint64_t end;           /* first address above the segments' range */
};

/* The guest kernel's profile (vmm/kernel_load.c). */
extern const struct elf_exec_profile elf_exec_kernel;

/*
 * elf_exec_check(hdr, hdr_len, file_size, profile, out): elf_exec_parse()
 * with profile's rules; the same results and reasons.
 */
int elf_exec_check(const void *hdr, uint64_t hdr_len, uint64_t file_size,
		   const struct elf_exec_profile *profile, struct elf_exec_info *out);

#endif
