/* ksyms.h: the guest kernel's symbols and sections, from its ELF file, for diagnostics. */
#ifndef MODVISOR_VMM_KSYMS_H
#define MODVISOR_VMM_KSYMS_H

#include <stddef.h>
#include <stdint.h>

struct ksym {
	uint64_t va;
	char *name;
};

struct ksec {
	uint64_t va, size;
	char name[32];
};

/* What the host knows about the kernel's addresses (never read from the guest). */
struct ksyms {
	struct ksym *sym;       /* sorted by va */
	size_t nsym;
	struct ksec *sec;       /* SHF_ALLOC sections */
	size_t nsec;
};

/*
 * ksyms_read(buf, len, ks): the function and object symbols of .symtab and
 * the allocated sections of the ELF file buf[0..len).  Every offset is
 * checked against len; a file without a symbol table gives none.  Returns
 * 0, -ENOEXEC for a malformed file, or -ENOMEM.
 */
int ksyms_read(const uint8_t *buf, size_t len, struct ksyms *ks);

/*
 * ksyms_describe(ks, va, out, n): "printk+0x10 (.text)", "(.rodata+0x40)"
 * when no symbol precedes va in its section, or "" when va lies in no
 * section.  Returns out.
 */
const char *ksyms_describe(const struct ksyms *ks, uint64_t va, char *out, size_t n);

/* ksyms_free(ks): release what ksyms_read() allocated. */
void ksyms_free(struct ksyms *ks);

#endif
