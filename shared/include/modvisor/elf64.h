/* elf64.h: the ELF64 types and constants the module loader reads (System V gABI, x86-64 psABI). */
#ifndef MOD_ELF64_H
#define MOD_ELF64_H

#include <stdint.h>

/*
 * On the host (tests, corpus tool) these come from glibc's <elf.h>.  The
 * guest kernel has no libc, so it gets the same names from this subset,
 * written from the gABI tables; a kernel-wide <elf.h> wins when it exists.
 */
#if !defined(__MODVISOR_GUEST__) || __has_include(<elf.h>)
#include <elf.h>
#else
typedef struct {
	unsigned char e_ident[16];
	uint16_t e_type, e_machine;
	uint32_t e_version;
	uint64_t e_entry, e_phoff, e_shoff;
	uint32_t e_flags;
	uint16_t e_ehsize, e_phentsize, e_phnum, e_shentsize, e_shnum, e_shstrndx;
} Elf64_Ehdr;

typedef struct {
	uint32_t sh_name, sh_type;
	uint64_t sh_flags, sh_addr, sh_offset, sh_size;
	uint32_t sh_link, sh_info;
	uint64_t sh_addralign, sh_entsize;
} Elf64_Shdr;

typedef struct {
	uint32_t st_name;
	unsigned char st_info, st_other;
	uint16_t st_shndx;
	uint64_t st_value, st_size;
} Elf64_Sym;

typedef struct {
	uint64_t r_offset, r_info;
	int64_t  r_addend;
} Elf64_Rela;

#define ELFMAG          "\177ELF"
#define SELFMAG         4
#define EI_CLASS        4
#define EI_DATA         5
#define ELFCLASS64      2
#define ELFDATA2LSB     1
#define ET_REL          1
#define EM_X86_64       62

#define SHN_UNDEF       0
#define SHN_LORESERVE   0xff00
#define SHN_ABS         0xfff1
#define SHN_COMMON      0xfff2
#define SHN_XINDEX      0xffff

#define SHT_NULL        0
#define SHT_PROGBITS    1
#define SHT_SYMTAB      2
#define SHT_STRTAB      3
#define SHT_RELA        4
#define SHT_NOBITS      8
#define SHT_REL         9

#define SHF_WRITE       0x1
#define SHF_ALLOC       0x2
#define SHF_EXECINSTR   0x4

#define STB_WEAK        2
#define ELF64_ST_BIND(i)   ((i) >> 4)
#define ELF64_R_SYM(i)     ((i) >> 32)
#define ELF64_R_TYPE(i)    ((i) & 0xffffffff)

#define R_X86_64_NONE   0
#define R_X86_64_64     1
#define R_X86_64_PC32   2
#define R_X86_64_PLT32  4
#define R_X86_64_32     10
#define R_X86_64_32S    11
#define R_X86_64_PC64   24
#endif

#endif
