/* unpack.h: decompress a module file (gzip, xz, zstd) on the host, as finit_module does. */
#ifndef MODVISOR_VMM_UNPACK_H
#define MODVISOR_VMM_UNPACK_H

#include <stddef.h>
#include <stdint.h>

/* unpack_method(p, len): "gzip", "xz" or "zstd" by magic, or NULL when not compressed. */
const char *unpack_method(const uint8_t *p, size_t len);

/*
 * unpack(p, len, max, out, outlen, err, errlen): decompress the whole file
 * (p, len), as the kernel's module_decompress() does with
 * MODULE_INIT_COMPRESSED_FILE, into a malloc'd *out of at most max bytes.
 * Returns 0, -EINVAL (not compressed, corrupt stream, trailing data) or
 * -EFBIG (more than max bytes) with a reason in err.
 */
int unpack(const uint8_t *p, size_t len, size_t max, uint8_t **out, size_t *outlen,
	   char *err, size_t errlen);

#endif
