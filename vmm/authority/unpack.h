/* unpack.h: decompress a module file (gzip, xz, zstd) on the host, as finit_module does. */
#ifndef MODVISOR_VMM_UNPACK_H
#define MODVISOR_VMM_UNPACK_H

#include <stddef.h>
#include <stdint.h>

/* unpack_method(p, len): "gzip", "xz" or "zstd" by magic, or NULL when not compressed. */
const char *unpack_method(const uint8_t *p, size_t len);

/*
 * unpack(p, len, max, out, outlen, err, errlen): decompress the file (p, len)
 * exactly as the guest's finit_module with MODULE_INIT_COMPRESSED_FILE does
 * (the same code: guest/module/decompress.c), into a malloc'd *out of at
 * most max bytes.  Returns 0, or the guest's errno (-EINVAL: not compressed,
 * truncated, check mismatch, corrupt, trailing data; -EFBIG: more than max;
 * -EOPNOTSUPP, -ENOMEM) with the guest's reason in err, which names the
 * kind: "truncated input", "check mismatch", "corrupt data", "trailing
 * data" (another member/stream/frame) or "trailing garbage".
 */
int unpack(const uint8_t *p, size_t len, size_t max, uint8_t **out, size_t *outlen,
	   char *err, size_t errlen);

#endif
