/* boot_ram.c: refuse a guest RAM size too small to unpack the initrd, before the guest runs out. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "boot_ram.h"

#define MIB (1ull << 20)

/*
 * boot_ram_is_cpio(p, len): does p hold a newc archive ("070701", or
 * "070702" with checksums), after the NUL padding the guest skips too?
 */
static int boot_ram_is_cpio(const uint8_t *p, size_t len)
{
	size_t i = 0;

	while (p && i < len && p[i] == 0)
		i++;
	return p && len - i >= 6 && (!memcmp(p + i, "070701", 6) || !memcmp(p + i, "070702", 6));
}

/* boot_ram_unpacked(bs): bytes of archive the guest copies into its file system. */
static uint64_t boot_ram_unpacked(const struct boot_spec *bs)
{
	uint64_t n = boot_ram_is_cpio(bs->initrd, bs->initrd_len) ? bs->initrd_len : 0;

	return n + (boot_ram_is_cpio(bs->extra, bs->extra_len) ? bs->extra_len : 0);
}

uint64_t boot_ram_min(const struct kernel_info *ki, const struct boot_spec *bs)
{
	uint64_t unpacked = boot_ram_unpacked(bs), need, gpa, len = 0;

	/* Sizes come from files already in memory: no sum here can wrap. */
	need = ki->phys_end + bs->initrd_len + bs->extra_len + unpacked +
	       (unpacked ? BOOT_RAM_MARGIN : 0);
	/* Plus the module region, which grows with RAM: settle on a size that holds it. */
	for (int i = 0; i < 3; i++)
		boot_module_region(need + len + (1ull << 20), ki, &gpa, &len);
	return need + len;
}

/* boot_ram_mib(n): n bytes in MiB with one decimal, for messages. */
static double boot_ram_mib(uint64_t n)
{
	return (double)n / (double)MIB;
}

int boot_ram_check(uint64_t ram, const struct kernel_info *ki, const struct boot_spec *bs,
		   char *err, size_t errlen)
{
	uint64_t need = boot_ram_min(ki, bs);
	/* --mem rounds up to an even number of MiB: name one that works as given. */
	uint64_t need_mib = ((need + MIB - 1) / MIB + 1) & ~1ull, gpa, mods;

	if (ram >= need || !boot_ram_unpacked(bs))
		return 0;
	boot_module_region(need, ki, &gpa, &mods);
	snprintf(err, errlen, "the kernel (up to %.1f MiB) and the initrd (%.1f MiB, unpacked into "
		 "RAM at boot, so twice that, plus %llu MiB to run and %llu MiB for modules) "
		 "need at least %llu MiB of guest RAM, not %llu MiB: raise --mem",
		 boot_ram_mib(ki->phys_end), boot_ram_mib(bs->initrd_len + bs->extra_len),
		 BOOT_RAM_MARGIN / MIB, (unsigned long long)(mods / MIB),
		 (unsigned long long)need_mib, (unsigned long long)(ram / MIB));
	return -ENOMEM;
}
