/* elf_ehdr.h: the ELF64 x86-64 header identity the tests' hand-built images share (elfgen.c, test_elf_exec.c, test_vmm_kernel.c). */
#ifndef MODVISOR_TESTS_ELF_EHDR_H
#define MODVISOR_TESTS_ELF_EHDR_H

#include <string.h>
#include <modvisor/elf64.h>

/* elf_ehdr_init(eh, type): zero eh, then a valid little-endian ELF64 x86-64 header of type. */
static inline void elf_ehdr_init(Elf64_Ehdr *eh, uint16_t type)
{
	memset(eh, 0, sizeof(*eh));
	memcpy(eh->e_ident, ELFMAG, SELFMAG);
	eh->e_ident[EI_CLASS] = ELFCLASS64;
	eh->e_ident[EI_DATA] = ELFDATA2LSB;
	eh->e_ident[EI_VERSION] = EV_CURRENT;
	eh->e_type = type;
	eh->e_machine = EM_X86_64;
	eh->e_version = EV_CURRENT;
	eh->e_ehsize = sizeof(*eh);
}

#endif
