/* modname.h: a module's name read best-effort from the host's copy, for the log of any load. */
#ifndef MODVISOR_VMM_MODNAME_H
#define MODVISOR_VMM_MODNAME_H

#include <stddef.h>
#include <stdint.h>

/*
 * modname_read(image, len, out, outlen, packed): the name the module
 * would run under (.gnu.linkonce.this_module's, else .modinfo's name=),
 * from (image, len) with or without a signature trailer.  Only for the
 * log: nothing is decided on it.  When the image is a compressed file
 * (gzip, xz, zstd: finit_module without MODULE_INIT_COMPRESSED_FILE),
 * *packed names the method and the name is read from its decompressed
 * bytes (at most MV_MODLOAD_IMAGE_MAX).  0, or -1 with out "" when no name
 * can be read.
 */
int modname_read(const uint8_t *image, uint64_t len, char *out, size_t outlen,
		 const char **packed);

#endif
