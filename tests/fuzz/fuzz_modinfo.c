/* fuzz_modinfo.c: libFuzzer harness: .modinfo and __versions, found in an ELF image or given raw. */
#include <stdlib.h>
#include <string.h>
#include <modvisor/modinfo.h>
#include "fuzz.h"

/*
 * The input is read three ways, each with the shared reader
 * (shared/lib/modinfo.c) that both the guest loader and the host use:
 *   1. as a module image: modinfo_from_elf() (the ELF section finder, then
 *      the checks), and on success every lookup the loader and `modvisor
 *      verify` make;
 *   2. as the bytes of a .modinfo section;
 *   3. as the bytes of a __versions section
 * (2 and 3 only for inputs up to 2 KiB).
 * Every value returned must lie inside the section and end inside it.
 */

static void check_value(const struct modinfo *mi, const char *v)
{
	const char *end;

	if (!v)
		return;
	end = mi->data + mi->size;
	if (v < mi->data || v >= end || memchr(v, '\0', (size_t)(end - v)) == NULL)
		abort();
}

static void modinfo_lookups(const struct modinfo *mi)
{
	static const char *const keys[] = { "parm", "depends" };
	const char *vm;

	for (size_t k = 0; k < sizeof(keys) / sizeof(keys[0]); k++)
		for (const char *v = modinfo_get_next(mi, keys[k], NULL); v;
		     v = modinfo_get_next(mi, keys[k], v))
			check_value(mi, v);
	vm = modinfo_vermagic(mi);
	check_value(mi, vm);
	check_value(mi, modinfo_name(mi));
	check_value(mi, modinfo_license(mi));
	(void)modinfo_license_gpl_compatible(modinfo_license(mi));
	(void)modinfo_intree(mi);
	if (vm) {
		(void)modinfo_same_magic(vm, "6.1.0-mv SMP mod_unload modversions ", 1);
		(void)modinfo_same_magic(vm, "6.1.0-mv SMP mod_unload modversions ", 0);
	}
}

static void versions_lookups(const struct modversions *mv)
{
	static const char *const syms[] = { "module_layout", "_printk", "kfree", "" };
	const uint32_t crc = 0x12345678;
	uint64_t found;

	for (size_t s = 0; s < sizeof(syms) / sizeof(syms[0]); s++) {
		(void)modversions_find(mv, syms[s], &found);
		(void)modversions_check(mv, syms[s], &crc);
		(void)modversions_check(mv, syms[s], NULL);
	}
	/* Every entry's own name must be found again. */
	for (uint64_t i = 0; mv->data && i < mv->count && i < 64; i++) {
		const char *name = (const char *)mv->data + i * 64 + 8;

		if (modversions_find(mv, name, &found) != 0)
			abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct modinfo mi;
	struct modversions mv;
	struct modinfo_elf where;
	const char *why = NULL;

	if (modinfo_elf_find(data, size, &where, &why) == 0)
		(void)why;
	if (modinfo_from_elf(data, size, &mi, &mv, &why) == 0) {
		modinfo_lookups(&mi);
		versions_lookups(&mv);
	}
	if (size > 2048)        /* real sections are small; keep large images fast */
		return 0;
	mi.data = (const char *)data;
	mi.size = size;
	(void)modinfo_check(&mi, &why);
	modinfo_lookups(&mi);
	if (modversions_init(&mv, data, size, &why) == 0)
		versions_lookups(&mv);
	return 0;
}
