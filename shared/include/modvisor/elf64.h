/* elf64.h: the ELF64 types and constants modvisor reads and writes (System V gABI, x86-64 psABI), for both sides. */
#ifndef MODVISOR_ELF64_H
#define MODVISOR_ELF64_H

#include <stdint.h>

/*
 * The one ELF header of the project: the module loader (guest and host),
 * the executable validator (shared/lib/elf_exec.c), the VMM's kernel
 * loader, the SDK's modpost and the tests all use these names, written from
 * the gABI tables with glibc's spelling.  Never include glibc's <elf.h>
 * beside it: the names would clash.
 */

typedef struct {
	unsigned char e_ident[16];
	uint16_t e_type, e_machine;
	uint32_t e_version;
	uint64_t e_entry, e_phoff, e_shoff;
	uint32_t e_flags;
	uint16_t e_ehsize, e_phentsize, e_phnum, e_shentsize, e_shnum, e_shstrndx;
} Elf64_Ehdr;
_Static_assert(sizeof(Elf64_Ehdr) == 64, "Elf64_Ehdr size");

typedef struct {
	uint32_t p_type, p_flags;
	uint64_t p_offset, p_vaddr, p_paddr, p_filesz, p_memsz, p_align;
} Elf64_Phdr;
_Static_assert(sizeof(Elf64_Phdr) == 56, "Elf64_Phdr size");

typedef struct {
	uint32_t sh_name, sh_type;
	uint64_t sh_flags, sh_addr, sh_offset, sh_size;
	uint32_t sh_link, sh_info;
	uint64_t sh_addralign, sh_entsize;
} Elf64_Shdr;
_Static_assert(sizeof(Elf64_Shdr) == 64, "Elf64_Shdr size");

typedef struct {
	uint32_t st_name;
	unsigned char st_info, st_other;
	uint16_t st_shndx;
	uint64_t st_value, st_size;
} Elf64_Sym;
_Static_assert(sizeof(Elf64_Sym) == 24, "Elf64_Sym size");

typedef struct {
	uint64_t r_offset, r_info;
} Elf64_Rel;

typedef struct {
	uint64_t r_offset, r_info;
	int64_t  r_addend;
} Elf64_Rela;
_Static_assert(sizeof(Elf64_Rela) == 24, "Elf64_Rela size");

/* e_ident */
#define ELFMAG          "\177ELF"
#define SELFMAG         4
#define EI_MAG1         1
#define EI_CLASS        4
#define EI_DATA         5
#define EI_VERSION      6
#define EI_OSABI        7
#define ELFCLASSNONE    0
#define ELFCLASS32      1
#define ELFCLASS64      2
#define ELFDATANONE     0
#define ELFDATA2LSB     1
#define ELFDATA2MSB     2
#define EV_CURRENT      1
#define ELFOSABI_FREEBSD 9

/* e_type, e_machine */
#define ET_REL          1
#define ET_EXEC         2
#define ET_DYN          3
#define ET_CORE         4
#define EM_386          3
#define EM_X86_64       62
#define EM_AARCH64      183

/* program headers */
#define PT_NULL         0
#define PT_LOAD         1
#define PT_INTERP       3
#define PT_NOTE         4
#define PT_PHDR         6
#define PT_GNU_STACK    0x6474e551
#define PT_GNU_RELRO    0x6474e552
#define PF_X            1
#define PF_W            2
#define PF_R            4

/* sections */
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
#define SHF_INFO_LINK   0x40

/* symbols */
#define STB_LOCAL       0
#define STB_GLOBAL      1
#define STB_WEAK        2
#define STT_NOTYPE      0
#define STT_OBJECT      1
#define STT_FUNC        2
#define STT_SECTION     3
#define ELF64_ST_BIND(i)        ((i) >> 4)
#define ELF64_ST_TYPE(i)        ((i) & 0xf)
#define ELF64_ST_INFO(b, t)     (((b) << 4) + ((t) & 0xf))

/* relocations (x86-64 psABI) */
#define ELF64_R_SYM(i)          ((i) >> 32)
#define ELF64_R_TYPE(i)         ((i) & 0xffffffff)
#define ELF64_R_INFO(s, t)      ((((uint64_t)(s)) << 32) + (t))

#define R_X86_64_NONE           0
#define R_X86_64_64             1
#define R_X86_64_PC32           2
#define R_X86_64_PLT32          4
#define R_X86_64_GOTPCREL       9
#define R_X86_64_RELATIVE       8
#define R_X86_64_32             10
#define R_X86_64_32S            11
#define R_X86_64_PC64           24

#endif
