/* elfgen.h: build small ELF64 x86-64 relocatable module images in memory for loader tests. */
#ifndef ELFGEN_H
#define ELFGEN_H

#include <modvisor/elf64.h>
#include <stddef.h>
#include <stdint.h>

/*
 * A builder: add sections, symbols and relocations, then eg_finish() lays
 * out the file as a linker would: ELF header, section contents, .symtab,
 * .strtab, one .rela<name> per section with relocations, .shstrtab, then
 * the section header table.  Tests then poke single fields of the result to
 * make each malformed case.
 */
struct eg;

/* eg_new(): an empty object with the null section and null symbol. */
struct eg *eg_new(void);

/* eg_section(g, name, type, flags, data, size, align): add a section; returns its index. */
int eg_section(struct eg *g, const char *name, uint32_t type, uint64_t flags,
	       const void *data, uint64_t size, uint64_t align);

/* eg_symbol(g, name, shndx, value, bind, type): add a symbol; returns its index. */
int eg_symbol(struct eg *g, const char *name, int shndx, uint64_t value,
	      int bind, int type);

/* eg_rela(g, sec, off, type, sym, addend): a RELA entry against section sec. */
void eg_rela(struct eg *g, int sec, uint64_t off, uint32_t type, int sym, int64_t addend);

/* eg_finish(g, len): the image (malloc'd, 8-aligned) and its length; frees g. */
uint8_t *eg_finish(struct eg *g, size_t *len);

/* Accessors into a finished image. */
Elf64_Ehdr *eg_ehdr(uint8_t *img);
Elf64_Shdr *eg_shdr(uint8_t *img, int idx);
/* eg_find(img, name): index of the first section called name, or -1. */
int eg_find(uint8_t *img, const char *name);
/* eg_sym(img, idx): symbol idx of the image's .symtab. */
Elf64_Sym *eg_sym(uint8_t *img, int idx);

/*
 * A well-formed module for our kernel: .text (init_module, cleanup_module
 * as `xor eax,eax; ret`), .gnu.linkonce.this_module named name with init and
 * exit relocated by R_X86_64_64, .modinfo (license=GPL unless extra_modinfo
 * starts with its own license=, vermagic=ours, then extra_modinfo if not
 * NULL: "k=v\0k=v\0" of extra_len bytes), __versions with
 * one entry (printk, crc 0x1234).  Returns the builder so a test can add
 * more before eg_finish().  *text gets the index of .text.
 */
struct eg *eg_module(const char *name, const char *extra_modinfo, size_t extra_len, int *text);

/* The offsets of init and exit in .gnu.linkonce.this_module. */
#define EG_THIS_MODULE_INIT  56
#define EG_THIS_MODULE_EXIT  64

#endif
