/* boot_ram.h: is guest RAM large enough for the kernel and for unpacking the initrd? */
#ifndef MODVISOR_VMM_BOOT_RAM_H
#define MODVISOR_VMM_BOOT_RAM_H

#include <stddef.h>
#include <stdint.h>
#include "boot.h"

/*
 * Room beyond the kernel, the archive and its unpacked copy: the page
 * bitmap and tables, the heap, the file system's slack over the file sizes
 * and the first program.  Measured with the default initrd (7.4 MiB):
 * `true` runs in 24 MiB; 22 MiB unpacks but cannot exec busybox.
 */
#define BOOT_RAM_MARGIN  (5ull << 20)

/*
 * boot_ram_min(ki, bs): the least guest RAM, in bytes, the guest kernel
 * needs to boot with bs: the kernel image, the archives (placed at the top
 * of RAM and kept), what unpacking a newc cpio archive copies into the
 * in-memory file system (its size again), BOOT_RAM_MARGIN when there
 * is an archive to unpack, and the module region (boot_module_region()).  An initrd that is not a cpio archive (a test
 * kernel's blob) is only placed.
 */
uint64_t boot_ram_min(const struct kernel_info *ki, const struct boot_spec *bs);

/*
 * boot_ram_check(ram, ki, bs, err, errlen): 0 if ram bytes reach
 * boot_ram_min(), else -ENOMEM with a message naming the sizes and the
 * minimum ("... need at least 24 MiB of guest RAM, not 16 MiB: raise --mem").
 */
int boot_ram_check(uint64_t ram, const struct kernel_info *ki, const struct boot_spec *bs,
		   char *err, size_t errlen);

#endif
