/* measure.h: the digests of a module image: XXH3-128 always, plus SHA-2. */
#ifndef MODVISOR_VMM_MEASURE_H
#define MODVISOR_VMM_MEASURE_H

#include <stddef.h>
#include <stdint.h>

enum measure_algo {
	MEASURE_SHA256,
	MEASURE_SHA384,
	MEASURE_SHA512,
	MEASURE_NALGOS
};

#define MEASURE_MAX_DIGEST  64      /* SHA-512 */
#define MEASURE_XXH3_LEN    16

/* Which cryptographic digests to compute: a bitmask of 1u << MEASURE_*. */
typedef uint32_t measure_set;
#define MEASURE_DEFAULT_SET  (1u << MEASURE_SHA256)

struct measurement {
	uint8_t xxh3[MEASURE_XXH3_LEN];                     /* big-endian, as XXH128_canonical */
	measure_set set;                                    /* which digest[] are valid */
	uint8_t digest[MEASURE_NALGOS][MEASURE_MAX_DIGEST];
};

/* measure_algo_name(a): "sha256", "sha384" or "sha512". */
const char *measure_algo_name(enum measure_algo a);

/* measure_algo_len(a): digest size in bytes. */
size_t measure_algo_len(enum measure_algo a);

/* measure_algo_parse(name, out): 0, or -EINVAL for an unknown name. */
int measure_algo_parse(const char *name, enum measure_algo *out);

/*
 * measure_set_parse(list, out): "sha256", "sha384,sha512", "none"...
 * Returns 0, or -EINVAL for an unknown or empty name.
 */
int measure_set_parse(const char *list, measure_set *out);

/*
 * measure_buf(buf, len, set, out): XXH3-128 of (buf, len) and every digest
 * in set, in one pass over the bytes (cache-sized chunks feed all hashes).
 * Returns 0, or -ENOMEM/-EIO when OpenSSL fails.
 */
int measure_buf(const void *buf, size_t len, measure_set set, struct measurement *out);

/*
 * measure_buf_prefix(buf, len, prefix, set, whole, first): measure_buf() of
 * (buf, len) into whole and of its first prefix bytes into first, in one
 * pass.  Used for a module's signed content (the image before its
 * signature).  Returns 0, -EINVAL when prefix > len, or as measure_buf().
 */
int measure_buf_prefix(const void *buf, size_t len, size_t prefix, measure_set set,
		       struct measurement *whole, struct measurement *first);

/*
 * measure_thread_done(): free the calling thread's hashing contexts, which
 * measure_buf() keeps per thread for reuse (a thread that ends calls it:
 * the authority daemon's, one per VM connection).
 */
void measure_thread_done(void);

/* measure_hex(bytes, n, out): lowercase hex of n bytes; out holds 2n+1. */
void measure_hex(const uint8_t *bytes, size_t n, char *out);

/* measure_unhex(hex, out, n): parse exactly 2n hex digits; 0 or -EINVAL. */
int measure_unhex(const char *hex, uint8_t *out, size_t n);

/* measure_sha256(buf, len, out): plain SHA-256, for the log's chain. */
void measure_sha256(const void *buf, size_t len, uint8_t out[32]);

/*
 * measure_map_file(path, buf, len): map a whole file read-only (an empty
 * file gives len 0 and a non-NULL buf).  Returns 0 or -errno.
 * measure_unmap_file(buf, len) releases it.
 */
int measure_map_file(const char *path, void **buf, size_t *len);
void measure_unmap_file(void *buf, size_t len);

#endif
