/* kernel_load.h: loading the guest kernel ELF into guest RAM. */
#ifndef MODVISOR_VMM_KERNEL_LOAD_H
#define MODVISOR_VMM_KERNEL_LOAD_H

#include <stddef.h>
#include <stdint.h>
#include "mem.h"

/* Most program headers a kernel may have. */
#define KERNEL_MAX_PHDRS  64

struct kernel_info {
	uint64_t entry;         /* e_entry: where the vCPU starts */
	uint64_t phys_start;    /* lowest GPA of a PT_LOAD segment */
	uint64_t phys_end;      /* one past the highest byte of the image */
	/*
	 * The segments without PF_W (text, rodata) as whole pages, minus any
	 * page a writable segment shares: what the host makes read-only.
	 */
	struct kernel_ro { uint64_t gpa, len; } ro[KERNEL_MAX_PHDRS];
	int nro;
};

/*
 * kernel_load(name, buf, len, m, ki, err, errlen): check the ELF in
 * buf[0..len) (ET_EXEC, x86-64, little endian, PT_LOAD segments at p_paddr
 * >= MV_KERNEL_PHYS inside guest RAM, p_vaddr == p_paddr or MV_KERNEL_VBASE
 * + p_paddr, no overlaps, entry inside an executable segment) and copy its
 * segments into m.  Nothing is written to m unless every check passed.
 * Returns 0, or -ENOEXEC with a message naming name and the field in err,
 * e.g. "kernel.elf: program header 2: p_offset+p_filesz (0x...) is past
 * the end of the file (0x...)".
 */
int kernel_load(const char *name, const uint8_t *buf, size_t len,
		struct guest_mem *m, struct kernel_info *ki, char *err, size_t errlen);

/*
 * kernel_load_file(path, m, ki, err, errlen): read path and kernel_load()
 * it; 0, or -errno / -ENOEXEC with a message in err.
 */
int kernel_load_file(const char *path, struct guest_mem *m, struct kernel_info *ki,
		     char *err, size_t errlen);

/*
 * read_whole_file(path, out, len): read a regular file into a malloc'd
 * buffer (*out, *len).  Returns 0 or -errno.
 */
int read_whole_file(const char *path, uint8_t **out, size_t *len);

#endif
