/* loader_env.c: the guest loader's environment in the VMM, where only the host's re-derivation (rederive.c) runs loader code. */
#include <stdarg.h>
#include "../../guest/module/loader_env.h"
#include "rederive.h"

/*
 * rederive.c gives every section its place itself (mod_place_sections), so
 * the VMM hands out no module memory: the loader's allocator is never
 * reached from the host, and says so if it were.
 */
int modenv_region_alloc(uint64_t size, struct mod_region *r)
{
	(void)size;
	(void)r;
	return -ENOMEM;
}

void modenv_region_free(struct mod_region *r)
{
	(void)r;
}

/* Page protections are the guest's; the host enforces its own (memslots). */
void modenv_region_protect(const struct mod_region *r, uint64_t off, uint64_t len,
			   unsigned prot)
{
	(void)r;
	(void)off;
	(void)len;
	(void)prot;
}

/* The loader's reasons go into the re-derivation's why, for the log. */
void modenv_log(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	rederive_loader_log(fmt, ap);
	va_end(ap);
}
