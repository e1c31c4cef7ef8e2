/* kernel_info.h: what the host reads from the guest kernel it boots: vermagic and export CRCs. */
#ifndef MODVISOR_VMM_KERNEL_INFO_H
#define MODVISOR_VMM_KERNEL_INFO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct ksym_crc {
	char *name;
	uint32_t crc;
	uint64_t value;         /* the exported address, as linked */
};

/*
 * The facts forced-load checks compare a module against, taken from the
 * kernel ELF file itself (never from the guest): the .mv_vermagic string
 * and every struct mv_kernel_symbol in __ksymtab and __ksymtab_gpl.
 */
struct kernel_syms {
	char vermagic[256];     /* "" when the kernel has no .mv_vermagic */
	struct ksym_crc *syms;  /* sorted by name */
	size_t nsyms;
	bool has_crcs;          /* some export has a non-zero CRC (modversions) */
	uint8_t sha256[32];     /* of the whole kernel file, for the log */
};

/*
 * kernel_syms_read(path, ks, err, errlen): read path (an ELF64 x86-64
 * executable) into ks.  Every offset and name pointer is checked against
 * the file.  Returns 0, or -errno / -ENOEXEC with "path: reason" in err.
 */
int kernel_syms_read(const char *path, struct kernel_syms *ks, char *err, size_t errlen);

/* kernel_syms_crc(ks, name, crc): 0 with *crc set, or -ENOENT when not exported. */
int kernel_syms_crc(const struct kernel_syms *ks, const char *name, uint32_t *crc);

/*
 * kernel_syms_value(ks, name, value): 0 with *value the address the kernel
 * exports name at, or -ENOENT when it is not exported.
 */
int kernel_syms_value(const struct kernel_syms *ks, const char *name, uint64_t *value);

/* kernel_syms_free(ks): release what kernel_syms_read() allocated. */
void kernel_syms_free(struct kernel_syms *ks);

#endif
