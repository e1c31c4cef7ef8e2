/* modname.c: a module's name read best-effort from the host's copy, for the log of any load. */
#include <stdlib.h>
#include <string.h>

#include <modvisor/abi/hypercall.h>
#include <modvisor/abi/module.h>
#include <modvisor/modinfo.h>
#include <modvisor/modsig.h>
#include "modname.h"
#include "unpack.h"

/* The name in .gnu.linkonce.this_module (the one the module runs under), or NULL. */
static const char *modname_this_module(const uint8_t *image, const struct modinfo_elf *e,
				       size_t *len)
{
	const char *name;

	if (!e->this_module_index || e->this_module_size != sizeof(struct mv_this_module))
		return NULL;
	name = (const char *)image + e->this_module_off;
	*len = strnlen(name, MV_MODULE_NAME_LEN);
	return *len && *len < MV_MODULE_NAME_LEN ? name : NULL;
}

/* The running name, else .modinfo's name=, of an ELF image; 0 or -1. */
static int modname_elf(const uint8_t *image, uint64_t len, char *out, size_t outlen)
{
	struct modinfo_elf e;
	struct modinfo mi;
	struct modversions mv;
	struct modsig ms;
	const char *why = NULL, *name;
	size_t n = 0;

	if (modsig_parse(image, len, &ms) == 0)
		len = ms.content_len;
	if (modinfo_elf_find(image, len, &e, &why) < 0)
		return -1;
	name = modname_this_module(image, &e, &n);
	if (!name && modinfo_from_elf(image, len, &mi, &mv, &why) == 0 &&
	    (name = modinfo_name(&mi)) != NULL)
		n = strlen(name);
	if (!name || !n)
		return -1;
	if (n >= outlen)
		n = outlen - 1;
	memcpy(out, name, n);
	out[n] = '\0';
	return 0;
}

int modname_read(const uint8_t *image, uint64_t len, char *out, size_t outlen,
		 const char **packed)
{
	uint8_t *raw = NULL;
	size_t rawlen = 0;
	char err[128];
	int ret;

	*packed = NULL;
	out[0] = '\0';
	if (!image || outlen == 0)
		return -1;
	if (modname_elf(image, len, out, outlen) == 0)
		return 0;
	*packed = unpack_method(image, len);
	if (!*packed || unpack(image, len, MV_MODLOAD_IMAGE_MAX, &raw, &rawlen, err,
			       sizeof(err)) < 0) {
		free(raw);
		return -1;
	}
	ret = modname_elf(raw, rawlen, out, outlen);
	free(raw);
	return ret;
}
