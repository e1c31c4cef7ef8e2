/* decompress.c: gzip, xz and zstd module files decoded with zlib, liblzma and libzstd (guest kernel and host tests). */
#include "decompress.h"

#ifndef MDC_HAVE_GZIP
#define MDC_HAVE_GZIP 1
#endif
#ifndef MDC_HAVE_XZ
#define MDC_HAVE_XZ 1
#endif
#ifndef MDC_HAVE_ZSTD
#define MDC_HAVE_ZSTD 1
#endif

#if MDC_HAVE_GZIP
#include <zlib.h>
#endif
#if MDC_HAVE_XZ
#include <lzma.h>
#endif
#if MDC_HAVE_ZSTD
#define ZSTD_STATIC_LINKING_ONLY        /* ZSTD_createDCtx_advanced */
#include <zstd.h>
#include <zstd_errors.h>
#endif

#define MDC_PAGE        4096u
#define MDC_MIN_ALLOC   (64u * 1024u)
#define MDC_XZ_SLACK    (16ull << 20)   /* xz memlimit = cap + this */
#define MDC_SCRATCH     (64u * 1024u)   /* counting pass; xz_only_check_fails() */

#include <errno.h>
#include <stdio.h>
#include <string.h>

static char last_error[160];
static enum mdc_fault last_fault;

/* Record why the input was refused: the kind, and one line that says it. */
#define set_fault(f, ...)  (last_fault = (f), \
			    snprintf(last_error, sizeof(last_error), __VA_ARGS__))
#define set_error(...)     set_fault(MDC_FAULT_CORRUPT, __VA_ARGS__)

const char *mdc_last_error(void)
{
	return last_error;
}

enum mdc_fault mdc_last_fault(void)
{
	return last_fault;
}

const char *mdc_fault_name(enum mdc_fault f)
{
	switch (f) {
	case MDC_FAULT_NONE:        return "none";
	case MDC_FAULT_FORMAT:      return "unreadable format";
	case MDC_FAULT_TRUNCATED:   return "truncated input";
	case MDC_FAULT_CHECK:       return "check (CRC) mismatch";
	case MDC_FAULT_CORRUPT:     return "corrupt data";
	case MDC_FAULT_TRAILING:    return "trailing data";
	case MDC_FAULT_LIMIT:       return "too large";
	case MDC_FAULT_NOMEM:       return "out of memory";
	case MDC_FAULT_UNSUPPORTED: return "method not built in";
	}
	return "?";
}


enum mdc_method mdc_detect(const void *in, size_t len)
{
	static const uint8_t gz[] = { 0x1f, 0x8b, 0x08 };
	static const uint8_t xz[] = { 0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00 };
	static const uint8_t zs[] = { 0x28, 0xb5, 0x2f, 0xfd };

	if (len >= sizeof(gz) && !memcmp(in, gz, sizeof(gz)))
		return MDC_GZIP;
	if (len >= sizeof(xz) && !memcmp(in, xz, sizeof(xz)))
		return MDC_XZ;
	if (len >= sizeof(zs) && !memcmp(in, zs, sizeof(zs)))
		return MDC_ZSTD;
	return MDC_UNKNOWN;
}

const char *mdc_method_name(enum mdc_method m)
{
	switch (m) {
	case MDC_GZIP: return "gzip";
	case MDC_XZ:   return "xz";
	case MDC_ZSTD: return "zstd";
	default:       return "unknown";
	}
}

bool mdc_built_in(enum mdc_method m)
{
	switch (m) {
	case MDC_GZIP: return MDC_HAVE_GZIP;
	case MDC_XZ:   return MDC_HAVE_XZ;
	case MDC_ZSTD: return MDC_HAVE_ZSTD;
	default:       return false;
	}
}

const char *mdc_methods(void)
{
	static char list[sizeof("gzip xz zstd")];
	size_t n = 0;

	for (enum mdc_method m = MDC_GZIP; m <= MDC_ZSTD; m++) {
		const char *name = mdc_method_name(m);
		size_t k = strlen(name);

		if (!mdc_built_in(m))
			continue;
		if (n)
			list[n++] = ' ';
		memcpy(list + n, name, k);
		n += k;
	}
	list[n] = '\0';
	return list;
}

/*
 * What follows the first member/stream/frame of method m: Linux ignores it;
 * we refuse it, telling another member apart from garbage.  0 when nothing
 * follows.
 */
static int trailing(enum mdc_method m, const uint8_t *rest, size_t n)
{
	const char *name = mdc_method_name(m);
	const char *unit = m == MDC_GZIP ? "member" : m == MDC_XZ ? "stream" : "frame";

	if (n == 0)
		return 0;
	if (mdc_detect(rest, n) == m)
		set_fault(MDC_FAULT_TRAILING, "%s: trailing data: another %s after the first "
			  "(%zu bytes); Linux would load only the first, so the file is refused",
			  name, unit, n);
	else
		set_fault(MDC_FAULT_TRAILING, "%s: trailing garbage: %zu bytes after the %s",
			  name, n, unit);
	return -EINVAL;
}

/* ---- the output buffer ------------------------------------------------- */

/*
 * The output goes into one buffer of the exact size, allocated once: the
 * size comes from the stream (gzip ISIZE, the xz index, the zstd frame
 * header) when it gives one no larger than the cap.  Otherwise, or when
 * the stream turns out larger than it said, a counting pass decodes into a
 * small scratch buffer first, so a bomb ends in EFBIG after using 64 KiB,
 * and memory never holds more than one output buffer of at most cap bytes.
 */
#define SINK_FULL       1               /* decoder return: exact buffer too small */

struct mdc_sink {
	uint8_t *buf;
	size_t alloc;           /* bytes at buf */
	size_t pos;             /* next write at buf + pos */
	size_t total;           /* bytes produced so far */
	size_t limit;           /* cap + 1: producing this many is over the cap */
	bool counting;          /* buf is scratch: output is counted, then dropped */
};

static size_t round_page(size_t n)
{
	return (n + MDC_PAGE - 1) & ~(size_t)(MDC_PAGE - 1);
}

/* An exact-size output buffer for size bytes (+1: room to see the end). */
static int sink_exact(struct mdc_sink *s, size_t cap, size_t size)
{
	size_t want = round_page(size + 1);

	*s = (struct mdc_sink){ .limit = cap + 1 };
	s->buf = mdc_env_out_alloc(want);
	if (!s->buf) {
		set_fault(MDC_FAULT_NOMEM, "no memory for a %zu-byte output buffer", want);
		return -ENOMEM;
	}
	s->alloc = want;
	return 0;
}

/* A scratch buffer for the counting pass. */
static int sink_counting(struct mdc_sink *s, size_t cap)
{
	*s = (struct mdc_sink){ .limit = cap + 1, .counting = true };
	s->buf = mdc_env_heap_alloc(MDC_SCRATCH);
	if (!s->buf) {
		set_fault(MDC_FAULT_NOMEM, "no memory for the scratch buffer");
		return -ENOMEM;
	}
	s->alloc = MDC_SCRATCH;
	return 0;
}

static void sink_free(struct mdc_sink *s)
{
	if (s->buf && s->counting)
		mdc_env_heap_free(s->buf);
	else if (s->buf)
		mdc_env_out_free(s->buf, s->alloc);
	s->buf = NULL;
}

/* Where the decoder writes next, and how much room it has. */
static inline uint8_t *sink_pos(const struct mdc_sink *s)
{
	return s->buf + s->pos;
}

static inline size_t sink_room(const struct mdc_sink *s)
{
	size_t room = s->alloc - s->pos, left = s->limit - s->total;

	return room < left ? room : left;
}

/* The decoder wrote n bytes at sink_pos(). */
static inline void sink_advance(struct mdc_sink *s, size_t n)
{
	s->pos += n;
	s->total += n;
}

/*
 * Before each decoder call: make room.  Over the cap -> -EFBIG; an exact
 * buffer that is full -> SINK_FULL (count, then retry); scratch is reused.
 */
static inline int sink_need_room(struct mdc_sink *s, size_t cap)
{
	if (sink_room(s))
		return 0;
	if (s->total >= s->limit) {
		set_fault(MDC_FAULT_LIMIT, "decompressed image larger than the cap of %zu bytes", cap);
		return -EFBIG;
	}
	if (!s->counting)
		return SINK_FULL;
	s->pos = 0;
	return 0;
}

void module_decompress_free(struct mdc_image *img)
{
	if (img->data)
		mdc_env_out_free(img->data, img->alloc);
	img->data = NULL;
	img->len = img->alloc = 0;
}

/* ---- gzip (zlib) ------------------------------------------------------- */
#if MDC_HAVE_GZIP
static voidpf zl_alloc(voidpf opaque, uInt items, uInt size)
{
	(void)opaque;
	if (size && items > SIZE_MAX / size)
		return NULL;
	return mdc_env_heap_alloc((size_t)items * size);
}

static void zl_free(voidpf opaque, voidpf p)
{
	(void)opaque;
	mdc_env_heap_free(p);
}

/* zlib's return code as our errno, with the reason recorded. */
static int gz_error(int ret, const z_stream *z)
{
	if (ret == Z_MEM_ERROR) {
		set_fault(MDC_FAULT_NOMEM, "gzip: out of memory");
		return -ENOMEM;
	}
	if (ret == Z_BUF_ERROR)
		set_fault(MDC_FAULT_TRUNCATED, "gzip: truncated input: the file ends inside the member");
	else if (z->msg && (!strcmp(z->msg, "incorrect data check") ||
			    !strcmp(z->msg, "incorrect length check")))
		set_fault(MDC_FAULT_CHECK, "gzip: check mismatch: %s (CRC-32 or ISIZE)", z->msg);
	else
		set_error("gzip: corrupt data: %s", z->msg ? z->msg : "?");
	return -EINVAL;
}

/*
 * Linux's module_gzip_header_len() reads the 10-byte header and skips a
 * file name (FNAME), nothing else: FEXTRA, FCOMMENT or FHCRC would feed
 * header bytes to its inflate.  Such a header is refused here.
 */
static int gz_header_check(const uint8_t *in, size_t len)
{
	if (len >= 4 && (in[3] & 0x16)) {
		set_fault(MDC_FAULT_FORMAT, "gzip: header flags 0x%02x: FEXTRA, FCOMMENT or "
			  "FHCRC, which Linux does not read", in[3]);
		return -EINVAL;
	}
	return 0;
}

/*
 * The first gzip member, as Linux decodes it; zlib also checks its CRC-32
 * and length, which Linux does not.  Anything after it is refused.
 */
static int gz_decode(const uint8_t *in, size_t len, size_t cap, struct mdc_sink *s)
{
	z_stream z = { .zalloc = zl_alloc, .zfree = zl_free };
	size_t used = 0;
	int ret, err = gz_header_check(in, len);

	if (err)
		return err;
	if (inflateInit2(&z, 16 + MAX_WBITS) != Z_OK) {
		set_fault(MDC_FAULT_NOMEM, "gzip: out of memory");
		return -ENOMEM;
	}
	for (;;) {
		size_t room, chunk = len - used;

		err = sink_need_room(s, cap);
		if (err)
			break;
		room = sink_room(s);
		z.next_in = (Bytef *)(uintptr_t)(in + used);
		z.avail_in = chunk > UINT32_MAX ? UINT32_MAX : (uInt)chunk;
		z.next_out = sink_pos(s);
		z.avail_out = room > UINT32_MAX ? UINT32_MAX : (uInt)room;
		chunk = z.avail_in;
		room = z.avail_out;
		ret = inflate(&z, Z_NO_FLUSH);
		used += chunk - z.avail_in;
		sink_advance(s, room - z.avail_out);
		if (ret == Z_STREAM_END) {
			err = trailing(MDC_GZIP, in + used, len - used);
			break;
		}
		if (ret == Z_BUF_ERROR && !z.avail_out)
			continue;               /* output full: the sink makes room */
		if (ret != Z_OK) {
			err = gz_error(ret, &z);  /* Z_BUF_ERROR here: no input left */
			break;
		}
	}
	inflateEnd(&z);
	return err;
}

/* ISIZE, the last four bytes: the size of the (last) member mod 2^32. */
static uint64_t gz_hint(const uint8_t *in, size_t len)
{
	return len >= 18 ? (uint64_t)in[len - 4] | (uint64_t)in[len - 3] << 8 |
			   (uint64_t)in[len - 2] << 16 | (uint64_t)in[len - 1] << 24 : 0;
}
#else
/* gzip is not built in: module_decompress() stops at mdc_built_in() first. */
static inline int gz_decode(const uint8_t *in, size_t len, size_t cap, struct mdc_sink *s)
{
	(void)in, (void)len, (void)cap, (void)s;
	return -EOPNOTSUPP;
}

static inline uint64_t gz_hint(const uint8_t *in, size_t len)
{
	(void)in, (void)len;
	return 0;
}
#endif

/* ---- xz (liblzma) ------------------------------------------------------ */
#if MDC_HAVE_XZ
static void *xz_alloc(void *opaque, size_t nmemb, size_t size)
{
	(void)opaque;
	if (size && nmemb > SIZE_MAX / size)
		return NULL;
	return mdc_env_heap_alloc(nmemb * size);
}

static void xz_free(void *opaque, void *p)
{
	(void)opaque;
	mdc_env_heap_free(p);
}

/*
 * Does the first stream decode when its integrity check is ignored?  Then
 * an LZMA_DATA_ERROR was the check (CRC-32, CRC-64, SHA-256) failing, not
 * the data.  Decodes into scratch memory, at most cap + 1 bytes.
 */
static bool xz_only_check_fails(const uint8_t *in, size_t len, size_t cap)
{
	lzma_allocator al = { .alloc = xz_alloc, .free = xz_free };
	lzma_stream st = LZMA_STREAM_INIT;
	uint8_t *scratch = mdc_env_heap_alloc(MDC_SCRATCH);
	lzma_ret ret;
	uint64_t total = 0;

	st.allocator = &al;
	if (!scratch || lzma_stream_decoder(&st, (uint64_t)cap + MDC_XZ_SLACK,
					    LZMA_IGNORE_CHECK) != LZMA_OK) {
		mdc_env_heap_free(scratch);
		return false;
	}
	st.next_in = in;
	st.avail_in = len;
	do {
		st.next_out = scratch;
		st.avail_out = MDC_SCRATCH;
		ret = lzma_code(&st, LZMA_FINISH);
		total += MDC_SCRATCH - st.avail_out;
	} while (ret == LZMA_OK && total <= cap);
	lzma_end(&st);
	mdc_env_heap_free(scratch);
	return ret == LZMA_STREAM_END;
}

static int xz_error(lzma_ret ret, size_t cap, const uint8_t *in, size_t len)
{
	switch (ret) {
	case LZMA_MEM_ERROR:
		set_fault(MDC_FAULT_NOMEM, "xz: out of memory");
		return -ENOMEM;
	case LZMA_MEMLIMIT_ERROR:
		set_fault(MDC_FAULT_LIMIT, "xz: the stream needs more than %zu bytes of decoder "
			  "memory (cap %zu + 16 MiB)", (size_t)((uint64_t)cap + MDC_XZ_SLACK), cap);
		return -EFBIG;
	case LZMA_FORMAT_ERROR:
		set_fault(MDC_FAULT_FORMAT, "xz: not an xz stream");
		return -EINVAL;
	case LZMA_OPTIONS_ERROR:
		set_fault(MDC_FAULT_FORMAT, "xz: unsupported options (filter or header flags)");
		return -EINVAL;
	case LZMA_BUF_ERROR:
		set_fault(MDC_FAULT_TRUNCATED, "xz: truncated input: the file ends inside the stream");
		return -EINVAL;
	default:
		if (ret == LZMA_DATA_ERROR && xz_only_check_fails(in, len, cap))
			set_fault(MDC_FAULT_CHECK, "xz: check mismatch: the data decodes but its "
				  "integrity check (CRC-32, CRC-64 or SHA-256) does not match");
		else
			set_error("xz: corrupt data (lzma_ret %d)", (int)ret);
		return -EINVAL;
	}
}

/* xz stream padding: zero bytes, a multiple of four (the .xz format's rule). */
static bool xz_is_padding(const uint8_t *p, size_t n)
{
	if (n % 4)
		return false;
	for (size_t i = 0; i < n; i++)
		if (p[i])
			return false;
	return true;
}

/*
 * The first .xz stream, as Linux decodes it, with liblzma: every check type
 * it knows (CRC32, CRC64, SHA-256) is verified, any dictionary size up to
 * the memory limit.  Stream padding after it is fine (Linux ignores it, and
 * it is part of the format); anything else after it is refused.
 */
static int xz_decode(const uint8_t *in, size_t len, size_t cap, struct mdc_sink *s)
{
	lzma_allocator al = { .alloc = xz_alloc, .free = xz_free };
	lzma_stream st = LZMA_STREAM_INIT;
	lzma_ret ret;
	int err = 0;

	st.allocator = &al;
	ret = lzma_stream_decoder(&st, (uint64_t)cap + MDC_XZ_SLACK, 0);
	if (ret != LZMA_OK)
		return xz_error(ret, cap, in, len);
	st.next_in = in;
	st.avail_in = len;
	for (;;) {
		size_t room;

		err = sink_need_room(s, cap);
		if (err)
			break;
		room = sink_room(s);
		st.next_out = sink_pos(s);
		st.avail_out = room;
		ret = lzma_code(&st, LZMA_FINISH);
		sink_advance(s, room - st.avail_out);
		if (ret == LZMA_STREAM_END) {
			if (!xz_is_padding(st.next_in, st.avail_in))
				err = trailing(MDC_XZ, st.next_in, st.avail_in);
			break;
		}
		if (ret != LZMA_OK) {
			err = xz_error(ret, cap, in, len);
			break;
		}
	}
	lzma_end(&st);
	return err;
}

/*
 * The uncompressed size the (last) stream's index records: footer, then
 * the index it points back to.  0 when there is no readable index; a bad
 * one is left for the decoder to report.
 */
static uint64_t xz_hint(const uint8_t *in, size_t len)
{
	static const uint8_t zero4[4];
	lzma_allocator al = { .alloc = xz_alloc, .free = xz_free };
	lzma_stream_flags footer;
	lzma_index *idx = NULL;
	uint64_t memlimit = 1u << 20, n = 0;
	size_t end = len, pos = 0;

	while (end >= 2 * LZMA_STREAM_HEADER_SIZE && !memcmp(in + end - 4, zero4, 4))
		end -= 4;               /* stream padding */
	if (end < 2 * LZMA_STREAM_HEADER_SIZE ||
	    lzma_stream_footer_decode(&footer, in + end - LZMA_STREAM_HEADER_SIZE) != LZMA_OK ||
	    footer.backward_size > end - 2 * LZMA_STREAM_HEADER_SIZE)
		return 0;
	end -= LZMA_STREAM_HEADER_SIZE;
	if (lzma_index_buffer_decode(&idx, &memlimit, &al, in + end - footer.backward_size,
				     &pos, (size_t)footer.backward_size) != LZMA_OK)
		return 0;
	n = lzma_index_uncompressed_size(idx);
	lzma_index_end(idx, &al);
	return n;
}
#else
/* xz is not built in: module_decompress() stops at mdc_built_in() first. */
static inline int xz_decode(const uint8_t *in, size_t len, size_t cap, struct mdc_sink *s)
{
	(void)in, (void)len, (void)cap, (void)s;
	return -EOPNOTSUPP;
}

static inline uint64_t xz_hint(const uint8_t *in, size_t len)
{
	(void)in, (void)len;
	return 0;
}
#endif

/* ---- zstd (libzstd) ---------------------------------------------------- */
#if MDC_HAVE_ZSTD
static void *zs_alloc(void *opaque, size_t size)
{
	(void)opaque;
	return mdc_env_heap_alloc(size);
}

static void zs_free(void *opaque, void *p)
{
	(void)opaque;
	mdc_env_heap_free(p);
}

static int zs_error(size_t r)
{
	switch (ZSTD_getErrorCode(r)) {
	case ZSTD_error_memory_allocation:
		set_fault(MDC_FAULT_NOMEM, "zstd: out of memory");
		return -ENOMEM;
	case ZSTD_error_frameParameter_windowTooLarge:
		set_fault(MDC_FAULT_LIMIT, "zstd: window larger than 2^%d bytes",
			  ZSTD_WINDOWLOG_LIMIT_DEFAULT);
		return -EFBIG;
	case ZSTD_error_checksum_wrong:
		set_fault(MDC_FAULT_CHECK, "zstd: check mismatch: %s", ZSTD_getErrorName(r));
		return -EINVAL;
	case ZSTD_error_prefix_unknown:
	case ZSTD_error_frameParameter_unsupported:
	case ZSTD_error_version_unsupported:
		set_fault(MDC_FAULT_FORMAT, "zstd: %s", ZSTD_getErrorName(r));
		return -EINVAL;
	default:
		set_error("zstd: corrupt data: %s", ZSTD_getErrorName(r));
		return -EINVAL;
	}
}

/* The first zstd frame, as Linux decodes it, checksum verified; anything after it is refused. */
static int zs_decode(const uint8_t *in, size_t len, size_t cap, struct mdc_sink *s)
{
	ZSTD_customMem cm = { .customAlloc = zs_alloc, .customFree = zs_free };
	ZSTD_inBuffer ib = { .src = in, .size = len, .pos = 0 };
	ZSTD_DCtx *d = ZSTD_createDCtx_advanced(cm);
	int err = 0;

	if (!d) {
		set_fault(MDC_FAULT_NOMEM, "zstd: out of memory");
		return -ENOMEM;
	}
	for (;;) {
		ZSTD_outBuffer ob;
		size_t r;

		err = sink_need_room(s, cap);
		if (err)
			break;
		ob = (ZSTD_outBuffer){ .dst = sink_pos(s), .size = sink_room(s), .pos = 0 };
		r = ZSTD_decompressStream(d, &ob, &ib);
		sink_advance(s, ob.pos);
		if (ZSTD_isError(r)) {
			err = zs_error(r);
			break;
		}
		if (r == 0) {                   /* the frame is done and flushed */
			err = trailing(MDC_ZSTD, in + ib.pos, ib.size - ib.pos);
			break;
		}
		if (ib.pos == ib.size && ob.pos < ob.size) {
			set_fault(MDC_FAULT_TRUNCATED, "zstd: truncated input: the file ends inside "
				  "the frame");
			err = -EINVAL;
			break;
		}
	}
	ZSTD_freeDCtx(d);
	return err;
}

static uint64_t zs_hint(const uint8_t *in, size_t len)
{
	unsigned long long n = ZSTD_getFrameContentSize(in, len);

	return n == ZSTD_CONTENTSIZE_UNKNOWN || n == ZSTD_CONTENTSIZE_ERROR ? 0 : n;
}
#else
/* zstd is not built in: module_decompress() stops at mdc_built_in() first. */
static inline int zs_decode(const uint8_t *in, size_t len, size_t cap, struct mdc_sink *s)
{
	(void)in, (void)len, (void)cap, (void)s;
	return -EOPNOTSUPP;
}

static inline uint64_t zs_hint(const uint8_t *in, size_t len)
{
	(void)in, (void)len;
	return 0;
}
#endif

/* ---- the entry point --------------------------------------------------- */

/* The size the stream declares (0: none). */
static uint64_t stream_hint(enum mdc_method m, const uint8_t *in, size_t len)
{
	switch (m) {
	case MDC_GZIP: return gz_hint(in, len);
	case MDC_XZ:   return xz_hint(in, len);
	case MDC_ZSTD: return zs_hint(in, len);
	default:       return 0;
	}
}

/* One pass of method m's decoder over the whole input into s. */
static int decode(enum mdc_method m, const uint8_t *in, size_t len, size_t cap,
		  struct mdc_sink *s)
{
	int err;

	switch (m) {
	case MDC_GZIP: err = gz_decode(in, len, cap, s); break;
	case MDC_XZ:   err = xz_decode(in, len, cap, s); break;
	case MDC_ZSTD: err = zs_decode(in, len, cap, s); break;
	default:       err = -EOPNOTSUPP; break;
	}
	if (!err && s->total > cap) {   /* ended right at cap + 1 */
		set_fault(MDC_FAULT_LIMIT, "decompressed image larger than the cap of %zu bytes", cap);
		err = -EFBIG;
	}
	return err;
}

/* Decode into an exact buffer of size bytes; SINK_FULL if the stream is longer. */
static int decode_exact(enum mdc_method m, const uint8_t *in, size_t len, size_t cap,
			size_t size, struct mdc_sink *s)
{
	int err = sink_exact(s, cap, size);

	if (!err)
		err = decode(m, in, len, cap, s);
	if (err)
		sink_free(s);
	return err;
}

/* Count the output in scratch memory (EFBIG past the cap), then decode exactly. */
static int decode_counted(enum mdc_method m, const uint8_t *in, size_t len, size_t cap,
			  struct mdc_sink *s)
{
	size_t size;
	int err;

	err = sink_counting(s, cap);
	if (!err)
		err = decode(m, in, len, cap, s);
	size = s->total;
	sink_free(s);
	if (!err)
		err = decode_exact(m, in, len, cap, size, s);
	if (err == SINK_FULL) {         /* cannot happen: decoding is deterministic */
		set_error("%s: the second pass produced more than the first", mdc_method_name(m));
		err = -EIO;
	}
	return err;
}

/*
 * Decode into an exact buffer: sized from the stream's own size when it
 * has a usable one, else (or when it lied) from a counting pass.
 */
static int run_decoder(enum mdc_method m, const uint8_t *in, size_t len, size_t cap,
		       struct mdc_sink *s)
{
	uint64_t hint;
	int err = SINK_FULL;

	mdc_lib_enter();
	hint = stream_hint(m, in, len);
	if (hint > cap && m != MDC_GZIP) {
		/*
		 * The stream says so in a checked header (zstd) or index (xz):
		 * refuse before allocating anything.  gzip's ISIZE is only a
		 * hint: any truncation makes it garbage.
		 */
		set_fault(MDC_FAULT_LIMIT, "%s: the stream declares %llu bytes, more than the cap of %zu",
			  mdc_method_name(m), (unsigned long long)hint, cap);
		err = -EFBIG;
	} else if (hint && hint <= cap) {
		err = decode_exact(m, in, len, cap, (size_t)hint, s);
	}
	if (err == SINK_FULL)
		err = decode_counted(m, in, len, cap, s);
	mdc_lib_exit();
	return err;
}

int module_decompress(const void *in, size_t len, size_t cap, struct mdc_image *out)
{
	enum mdc_method m = mdc_detect(in, len);
	struct mdc_sink s = { .buf = NULL };
	int err;

	last_error[0] = '\0';
	last_fault = MDC_FAULT_NONE;
	*out = (struct mdc_image){ NULL, 0, 0 };
	if (m == MDC_UNKNOWN) {
		set_fault(MDC_FAULT_FORMAT, "no gzip, xz or zstd magic at the start of the file");
		return -EINVAL;
	}
	if (!mdc_built_in(m)) {
		set_fault(MDC_FAULT_UNSUPPORTED, "%s decompression is not built into this kernel",
			  mdc_method_name(m));
		return -EOPNOTSUPP;
	}
	if (cap > (1ull << 40))
		cap = 1ull << 40;       /* keeps every size computation far from overflow */
	err = run_decoder(m, in, len, cap, &s);
	if (err)
		return err;
	*out = (struct mdc_image){ .data = s.buf, .len = s.total, .alloc = s.alloc };
	return 0;
}
