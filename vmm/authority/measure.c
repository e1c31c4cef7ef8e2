/* measure.c: XXH3-128 and SHA-2 digests of module images in one pass. */
#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <openssl/evp.h>
#include <openssl/sha.h>
#include <xxhash.h>

#include "measure.h"
#include <modvisor/kstrtox.h>

/*
 * A chunk small enough to stay in L1/L2 while every hash reads it, so the
 * image streams from memory once however many digests are configured.
 */
#define MEASURE_CHUNK  (32u * 1024u)

static const struct {
	const char *name;
	size_t len;
} measure_algos[MEASURE_NALGOS] = {
	[MEASURE_SHA256] = { "sha256", 32 },
	[MEASURE_SHA384] = { "sha384", 48 },
	[MEASURE_SHA512] = { "sha512", 64 },
};

const char *measure_algo_name(enum measure_algo a)
{
	return a < MEASURE_NALGOS ? measure_algos[a].name : "?";
}

size_t measure_algo_len(enum measure_algo a)
{
	return a < MEASURE_NALGOS ? measure_algos[a].len : 0;
}

int measure_algo_parse(const char *name, enum measure_algo *out)
{
	for (int a = 0; a < MEASURE_NALGOS; a++) {
		if (strcmp(name, measure_algos[a].name) == 0) {
			*out = (enum measure_algo)a;
			return 0;
		}
	}
	return -EINVAL;
}

int measure_set_parse(const char *list, measure_set *out)
{
	char buf[128], *save = NULL;
	measure_set set = 0;
	enum measure_algo a;

	if (strlen(list) >= sizeof(buf))
		return -EINVAL;
	strcpy(buf, list);
	if (strcmp(buf, "none") == 0) {
		*out = 0;
		return 0;
	}
	for (char *t = strtok_r(buf, ", ", &save); t; t = strtok_r(NULL, ", ", &save)) {
		if (measure_algo_parse(t, &a) < 0)
			return -EINVAL;
		set |= 1u << a;
	}
	if (set == 0)
		return -EINVAL;
	*out = set;
	return 0;
}

/*
 * The EVP_MD objects are fetched once: a fetch per call costs more than
 * hashing a small module.  Threads (the authority daemon's) may race to the
 * first fetch: one wins, the others free theirs.
 */
static const EVP_MD *measure_md(enum measure_algo a)
{
	static EVP_MD *md[MEASURE_NALGOS];
	EVP_MD *got = __atomic_load_n(&md[a], __ATOMIC_ACQUIRE), *none = NULL;

	if (got)
		return got;
	got = EVP_MD_fetch(NULL, measure_algos[a].name, NULL);
	if (got && !__atomic_compare_exchange_n(&md[a], &none, got, false, __ATOMIC_ACQ_REL,
						__ATOMIC_ACQUIRE)) {
		EVP_MD_free(got);
		got = none;
	}
	return got;
}

/*
 * Contexts are kept per thread and reused: allocating them per image costs
 * more than hashing a 4 KiB module.
 */
static __thread EVP_MD_CTX *measure_ctx[MEASURE_NALGOS];
static __thread XXH3_state_t *measure_xs;

static int measure_begin(measure_set set)
{
	if (!measure_xs && !(measure_xs = XXH3_createState()))
		return -ENOMEM;
	XXH3_128bits_reset(measure_xs);
	for (int a = 0; a < MEASURE_NALGOS; a++) {
		if (!(set & (1u << a)))
			continue;
		const EVP_MD *md = measure_md((enum measure_algo)a);
		if (!measure_ctx[a] && !(measure_ctx[a] = EVP_MD_CTX_new()))
			return -ENOMEM;
		if (!md || !EVP_DigestInit_ex(measure_ctx[a], md, NULL))
			return -EIO;
	}
	return 0;
}

/* Feed [p, p + len) to XXH3 and every digest in set, a cache-sized chunk at a time. */
static int measure_feed(const uint8_t *p, size_t len, measure_set set)
{
	for (size_t off = 0; off < len; off += MEASURE_CHUNK) {
		size_t n = len - off < MEASURE_CHUNK ? len - off : MEASURE_CHUNK;
		XXH3_128bits_update(measure_xs, p + off, n);
		for (int a = 0; a < MEASURE_NALGOS; a++)
			if ((set & (1u << a)) && !EVP_DigestUpdate(measure_ctx[a], p + off, n))
				return -EIO;
	}
	return 0;
}

/*
 * The digests of what was fed so far into out; with keep, the contexts go
 * on (a copy is finalised), so a prefix's digests cost no second pass.
 */
static __thread EVP_MD_CTX *measure_copy;

void measure_thread_done(void)
{
	for (int a = 0; a < MEASURE_NALGOS; a++) {
		EVP_MD_CTX_free(measure_ctx[a]);
		measure_ctx[a] = NULL;
	}
	EVP_MD_CTX_free(measure_copy);
	measure_copy = NULL;
	XXH3_freeState(measure_xs);
	measure_xs = NULL;
}

static int measure_final(measure_set set, bool keep, struct measurement *out)
{
	EVP_MD_CTX *copy;

	memset(out, 0, sizeof(*out));
	out->set = set;
	XXH128_canonicalFromHash((XXH128_canonical_t *)out->xxh3, XXH3_128bits_digest(measure_xs));
	if (keep && !measure_copy && !(measure_copy = EVP_MD_CTX_new()))
		return -ENOMEM;
	copy = measure_copy;
	for (int a = 0; a < MEASURE_NALGOS; a++) {
		if (!(set & (1u << a)))
			continue;
		if (keep ? !EVP_MD_CTX_copy_ex(copy, measure_ctx[a]) ||
			   !EVP_DigestFinal_ex(copy, out->digest[a], NULL)
			 : !EVP_DigestFinal_ex(measure_ctx[a], out->digest[a], NULL))
			return -EIO;
	}
	return 0;
}

int measure_buf(const void *buf, size_t len, measure_set set, struct measurement *out)
{
	int ret = measure_begin(set);

	if (ret == 0)
		ret = measure_feed(buf, len, set);
	if (ret == 0)
		ret = measure_final(set, false, out);
	return ret;
}

int measure_buf_prefix(const void *buf, size_t len, size_t prefix, measure_set set,
		       struct measurement *whole, struct measurement *first)
{
	const uint8_t *p = buf;
	int ret;

	if (prefix > len)
		return -EINVAL;
	ret = measure_begin(set);
	if (ret == 0)
		ret = measure_feed(p, prefix, set);
	if (ret == 0)
		ret = measure_final(set, true, first);
	if (ret == 0)
		ret = measure_feed(p + prefix, len - prefix, set);
	if (ret == 0)
		ret = measure_final(set, false, whole);
	return ret;
}

void measure_hex(const uint8_t *bytes, size_t n, char *out)
{
	static const char digits[] = "0123456789abcdef";

	for (size_t i = 0; i < n; i++) {
		out[2 * i] = digits[bytes[i] >> 4];
		out[2 * i + 1] = digits[bytes[i] & 15];
	}
	out[2 * n] = '\0';
}

int measure_unhex(const char *hex, uint8_t *out, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		int hi = kstrtox_hex_digit(hex[2 * i]);
		int lo = hi < 0 ? -1 : kstrtox_hex_digit(hex[2 * i + 1]);
		if (hi < 0 || lo < 0)
			return -EINVAL;
		out[i] = (uint8_t)(hi << 4 | lo);
	}
	return hex[2 * n] == '\0' ? 0 : -EINVAL;
}

void measure_sha256(const void *buf, size_t len, uint8_t out[32])
{
	SHA256(buf, len, out);
}

int measure_map_file(const char *path, void **buf, size_t *len)
{
	static char empty[1];
	struct stat st;
	int fd = open(path, O_RDONLY | O_CLOEXEC), ret = 0;

	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) < 0) {
		ret = -errno;
	} else if (!S_ISREG(st.st_mode)) {
		ret = S_ISDIR(st.st_mode) ? -EISDIR : -EINVAL;
	} else if (st.st_size == 0) {
		*buf = empty;
		*len = 0;
	} else {
		*buf = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
		*len = (size_t)st.st_size;
		if (*buf == MAP_FAILED)
			ret = -errno;
	}
	close(fd);
	return ret;
}

void measure_unmap_file(void *buf, size_t len)
{
	if (len)
		munmap(buf, len);
}
