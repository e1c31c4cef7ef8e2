/* decompress.h: finit_module's MODULE_INIT_COMPRESSED_FILE: gzip, xz and zstd files decoded with zlib, liblzma and libzstd. */
#ifndef MV_MODULE_DECOMPRESS_H
#define MV_MODULE_DECOMPRESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * decompress.c is the same file in the guest kernel (linked with Debian's
 * static libz.a, liblzma.a and libzstd.a, see docs/compression.md) and on
 * the host (linked with the shared libraries, for the unit tests).  Which
 * methods are built in is decided at compile time by MDC_HAVE_GZIP,
 * MDC_HAVE_XZ and MDC_HAVE_ZSTD (0 or 1, default 1), which the build sets
 * from `make MODVISOR_DECOMPRESS="gzip xz zstd"`.
 */

enum mdc_method {
	MDC_UNKNOWN = 0,
	MDC_GZIP,               /* 1f 8b 08 */
	MDC_XZ,                 /* fd 37 7a 58 5a 00 */
	MDC_ZSTD,               /* 28 b5 2f fd */
};

/* The default cap on a decompressed image: what the host accepts. */
#define MDC_DEFAULT_MAX  (64ull << 20)      /* = MV_MODLOAD_IMAGE_MAX */

/* A decompressed image: len bytes at data, physically contiguous in the guest. */
struct mdc_image {
	void  *data;
	size_t len;
	size_t alloc;           /* bytes allocated (module_decompress_free needs it) */
};

/* mdc_detect(in, len): the method named by the file's magic, or MDC_UNKNOWN. */
enum mdc_method mdc_detect(const void *in, size_t len);

/* mdc_method_name(m): "gzip", "xz", "zstd" or "unknown". */
const char *mdc_method_name(enum mdc_method m);

/* mdc_built_in(m): true when method m was compiled in. */
bool mdc_built_in(enum mdc_method m);

/* mdc_methods(): the built-in methods, space-separated ("gzip xz zstd"), maybe "". */
const char *mdc_methods(void);

/*
 * module_decompress(in, len, cap, out): decode the file in[0..len), which
 * must be exactly one gzip member, one xz stream (plus xz stream padding)
 * or one zstd frame: the image Linux's module_decompress() makes of it
 * (Linux decodes the first one and ignores what follows; we refuse what
 * follows, see docs/compression.md), into a new buffer of at most cap
 * bytes.  Returns 0 with *out filled in, or:
 *   -EINVAL      unknown magic, a gzip header Linux cannot read, truncated
 *                input, a failed check, corrupt data, trailing data
 *   -EOPNOTSUPP  the method is known but not built in
 *   -EFBIG       the output would exceed cap bytes (a decompression bomb), or
 *                the stream needs a window/dictionary larger than allowed
 *   -ENOMEM      out of memory
 * On error nothing stays allocated.  mdc_last_error() then says why, and
 * mdc_last_fault() which kind of failure it was.
 */
int module_decompress(const void *in, size_t len, size_t cap, struct mdc_image *out);

/* What was wrong with the last input module_decompress() refused. */
enum mdc_fault {
	MDC_FAULT_NONE,
	MDC_FAULT_FORMAT,       /* not gzip/xz/zstd, or a header or option we do not read */
	MDC_FAULT_TRUNCATED,    /* the input ends inside the stream */
	MDC_FAULT_CHECK,        /* the data decodes but its CRC/check does not match */
	MDC_FAULT_CORRUPT,      /* the compressed data itself is invalid */
	MDC_FAULT_TRAILING,     /* bytes after the first member/stream/frame */
	MDC_FAULT_LIMIT,        /* over the cap, or the decoder needs too much memory */
	MDC_FAULT_NOMEM,
	MDC_FAULT_UNSUPPORTED,  /* method not built in */
};

/* mdc_last_fault(): the kind of the last failure (MDC_FAULT_NONE after a success). */
enum mdc_fault mdc_last_fault(void);

/* mdc_fault_name(f): "truncated input", "check (CRC) mismatch", "corrupt data", ... */
const char *mdc_fault_name(enum mdc_fault f);

/* module_decompress_free(img): free what module_decompress returned (NULL data is fine). */
void module_decompress_free(struct mdc_image *img);

/* mdc_last_error(): text of the last module_decompress failure ("" if none). */
const char *mdc_last_error(void);

/*
 * What decompress.c needs from its surroundings.  Like the loader's
 * loader_env.h, decompress.c is the same file on both sides and these are
 * implemented once for the guest kernel (decompress_kernel.c: the page
 * allocator, the kernel heap, the FPU/stack-protector bracket) and once for
 * the host tests (vmm/authority/decompress_env.c: malloc, no-ops).
 */

/*
 * mdc_env_out_alloc(n) / mdc_env_out_free(p, n): the output buffer, n a
 * multiple of 4096; physically contiguous in the guest, because the host
 * reads the image by GPA.  NULL when out of memory.
 */
void *mdc_env_out_alloc(size_t n);
void mdc_env_out_free(void *p, size_t n);

/* mdc_env_heap_alloc(n) / mdc_env_heap_free(p): the libraries' own state. */
void *mdc_env_heap_alloc(size_t n);
void mdc_env_heap_free(void *p);

/*
 * mdc_lib_enter() / mdc_lib_exit(): bracket every call into the libraries.
 * In the guest, enter saves the user's FPU/SSE state, loads a clean one,
 * and points FS at the kernel's stack-protector block; exit undoes both.
 * Not nestable.  On the host they do nothing.
 */
void mdc_lib_enter(void);
void mdc_lib_exit(void);

/*
 * mdc_max(): the cap finit_module uses (guest only): kernel command line
 * module.decompress_max=BYTES (K/M/G suffixes), default MDC_DEFAULT_MAX,
 * never more than MDC_DEFAULT_MAX.
 */
size_t mdc_max(void);

#endif
