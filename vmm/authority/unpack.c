/* unpack.c: gzip (zlib), xz (liblzma) and zstd (libzstd) module files, for offline checks. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <lzma.h>
#include <zlib.h>
#include <zstd.h>

#include "unpack.h"

#define UNPACK_STEP  (1u << 20)

const char *unpack_method(const uint8_t *p, size_t len)
{
	if (len >= 3 && p[0] == 0x1f && p[1] == 0x8b && p[2] == 0x08)
		return "gzip";
	if (len >= 6 && memcmp(p, "\xfd" "7zXZ\0", 6) == 0)
		return "xz";
	if (len >= 4 && memcmp(p, "\x28\xb5\x2f\xfd", 4) == 0)
		return "zstd";
	return NULL;
}

/* Grow the output buffer by a step, up to max; false when max is reached or malloc fails. */
static int unpack_grow(uint8_t **buf, size_t *cap, size_t max)
{
	size_t ncap = *cap + UNPACK_STEP > max ? max : *cap + UNPACK_STEP;
	uint8_t *n;

	if (ncap <= *cap)
		return -EFBIG;
	n = realloc(*buf, ncap);
	if (!n)
		return -ENOMEM;
	*buf = n;
	*cap = ncap;
	return 0;
}

static int unpack_gzip(const uint8_t *p, size_t len, size_t max, uint8_t **out, size_t *n)
{
	z_stream z = { .next_in = (Bytef *)p, .avail_in = (uInt)len };
	size_t cap = 0;
	int zr = Z_OK, ret = 0;

	if (len > UINT32_MAX || inflateInit2(&z, 16 + MAX_WBITS) != Z_OK)
		return -EINVAL;
	while (zr == Z_OK) {
		if (z.total_out == cap && (ret = unpack_grow(out, &cap, max)) < 0)
			break;
		z.next_out = *out + z.total_out;
		z.avail_out = (uInt)(cap - z.total_out);
		zr = inflate(&z, Z_NO_FLUSH);
	}
	*n = z.total_out;
	inflateEnd(&z);
	if (ret == 0 && (zr != Z_STREAM_END || z.avail_in != 0))
		ret = -EINVAL;
	return ret;
}

static int unpack_xz(const uint8_t *p, size_t len, size_t max, uint8_t **out, size_t *n)
{
	lzma_stream s = LZMA_STREAM_INIT;
	lzma_ret lr = LZMA_OK;
	size_t cap = 0;
	int ret = 0;

	if (lzma_stream_decoder(&s, UINT64_MAX, 0) != LZMA_OK)
		return -ENOMEM;
	s.next_in = p;
	s.avail_in = len;
	while (lr == LZMA_OK) {
		if (s.total_out == cap && (ret = unpack_grow(out, &cap, max)) < 0)
			break;
		s.next_out = *out + s.total_out;
		s.avail_out = cap - s.total_out;
		lr = lzma_code(&s, LZMA_FINISH);
	}
	*n = s.total_out;
	lzma_end(&s);
	if (ret == 0 && (lr != LZMA_STREAM_END || s.avail_in != 0))
		ret = -EINVAL;
	return ret;
}

static int unpack_zstd(const uint8_t *p, size_t len, size_t max, uint8_t **out, size_t *n)
{
	ZSTD_DStream *d = ZSTD_createDStream();
	ZSTD_inBuffer in = { p, len, 0 };
	ZSTD_outBuffer o = { NULL, 0, 0 };
	size_t zr = 1;
	int ret = 0;

	if (!d)
		return -ENOMEM;
	ZSTD_initDStream(d);
	while (zr != 0) {
		if (o.pos == o.size && (ret = unpack_grow(out, &o.size, max)) < 0)
			break;
		o.dst = *out;
		zr = ZSTD_decompressStream(d, &o, &in);
		if (ZSTD_isError(zr) || (zr != 0 && in.pos == in.size && o.pos < o.size)) {
			ret = -EINVAL;
			break;
		}
	}
	*n = o.pos;
	ZSTD_freeDStream(d);
	if (ret == 0 && in.pos != in.size)
		ret = -EINVAL;
	return ret;
}

int unpack(const uint8_t *p, size_t len, size_t max, uint8_t **out, size_t *outlen,
	   char *err, size_t errlen)
{
	const char *m = unpack_method(p, len);
	int ret;

	*out = NULL;
	*outlen = 0;
	if (!m)
		return snprintf(err, errlen, "not gzip, xz or zstd"), -EINVAL;
	ret = m[0] == 'g' ? unpack_gzip(p, len, max, out, outlen) :
	      m[0] == 'x' ? unpack_xz(p, len, max, out, outlen) :
			    unpack_zstd(p, len, max, out, outlen);
	if (ret < 0) {
		snprintf(err, errlen, "%s: %s", m, ret == -EFBIG ? "decompresses to more than the "
			 "host copies (MV_MODLOAD_IMAGE_MAX)" : ret == -ENOMEM ? "out of memory" :
			 "corrupt stream, or data after it");
		free(*out);
		*out = NULL;
	}
	return ret;
}
