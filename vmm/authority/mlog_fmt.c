/* mlog_fmt.c: escaping, chaining and IMA encodings for the measurement log. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/sha.h>

#include "measure.h"
#include "mlog_fmt.h"

static bool mlog_buf_reserve(struct mlog_buf *b, size_t n)
{
	size_t need;
	char *p;

	if (b->oom)
		return false;
	if (__builtin_add_overflow(b->len, n + 1, &need)) {
		b->oom = true;
		return false;
	}
	if (need <= b->cap)
		return true;
	size_t cap = b->cap ? b->cap : 256;
	while (cap < need)
		cap *= 2;
	p = realloc(b->p, cap);
	if (!p) {
		b->oom = true;
		return false;
	}
	b->p = p;
	b->cap = cap;
	return true;
}

void mlog_buf_put(struct mlog_buf *b, const void *p, size_t n)
{
	if (!mlog_buf_reserve(b, n))
		return;
	memcpy(b->p + b->len, p, n);
	b->len += n;
	b->p[b->len] = '\0';
}

void mlog_buf_printf(struct mlog_buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || !mlog_buf_reserve(b, (size_t)n))
		return;
	va_start(ap, fmt);
	vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

void mlog_buf_json_str(struct mlog_buf *b, const char *key, const char *s)
{
	mlog_buf_printf(b, ",\"%s\":\"", key);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '"' || *p == '\\')
			mlog_buf_printf(b, "\\%c", *p);
		else if (*p < 0x20 || *p > 0x7e)
			mlog_buf_printf(b, "\\u%04x", *p);
		else
			mlog_buf_put(b, p, 1);
	}
	mlog_buf_put(b, "\"", 1);
}

void mlog_buf_ima_escape(struct mlog_buf *b, const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p <= 0x20 || *p > 0x7e || *p == '\\' || *p == '|')
			mlog_buf_printf(b, "\\x%02x", *p);
		else
			mlog_buf_put(b, p, 1);
	}
}

void mlog_chain_extend(const uint8_t agg[32], const void *p, size_t n, uint8_t out[32])
{
	uint8_t two[64];

	memcpy(two, agg, 32);
	SHA256(p, n, two + 32);
	SHA256(two, sizeof(two), out);
}

static void mlog_buf_u32(struct mlog_buf *b, uint32_t v)
{
	/* IMA lists are in the host's byte order; ours is x86_64 (little). */
	uint8_t le[4] = { (uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24) };

	mlog_buf_put(b, le, 4);
}

void mlog_ima_template(struct mlog_buf *td, const uint8_t sha256[32], const char *name)
{
	static const char algo[] = "sha256:";   /* written with its NUL, as IMA does */
	size_t nlen = strlen(name) + 1;

	mlog_buf_u32(td, (uint32_t)(sizeof(algo) + 32));
	mlog_buf_put(td, algo, sizeof(algo));
	mlog_buf_put(td, sha256, 32);
	mlog_buf_u32(td, (uint32_t)nlen);
	mlog_buf_put(td, name, nlen);
}

void mlog_ima_record(struct mlog_buf *rec, const struct mlog_buf *td, bool binary,
		     const uint8_t sha256[32], const char *name)
{
	uint8_t sha1[SHA_DIGEST_LENGTH];
	char hex[2 * 32 + 1];

	if (td->oom) {
		rec->oom = true;
		return;
	}
	SHA1((const uint8_t *)td->p, td->len, sha1);
	if (binary) {
		mlog_buf_u32(rec, MLOG_IMA_PCR);
		mlog_buf_put(rec, sha1, sizeof(sha1));
		mlog_buf_u32(rec, 6);
		mlog_buf_put(rec, "ima-ng", 6);
		mlog_buf_u32(rec, (uint32_t)td->len);
		mlog_buf_put(rec, td->p, td->len);
		return;
	}
	measure_hex(sha1, sizeof(sha1), hex);
	mlog_buf_printf(rec, "%u %s ima-ng ", MLOG_IMA_PCR, hex);
	measure_hex(sha256, 32, hex);
	mlog_buf_printf(rec, "sha256:%s %s\n", hex, name);
}

void mlog_ima_extend(const uint8_t agg[32], const struct mlog_buf *td, uint8_t out[32])
{
	mlog_chain_extend(agg, td->p, td->len, out);
}

int mlog_json_field(const char *p, size_t len, const char *key, char *out, size_t outlen)
{
	size_t i = 0, klen = strlen(key);
	int found = 0;

	if (len < 2 || p[0] != '{')
		return -1;
	for (i = 1; i < len && p[i] != '}';) {
		size_t ks, ke, vs, ve;
		if (p[i] != '"')
			return -1;
		ks = ++i;
		while (i < len && p[i] != '"')
			i++;
		ke = i++;
		if (i >= len || p[i++] != ':')
			return -1;
		vs = i;
		if (i < len && p[i] == '"') {
			for (i++; i < len && p[i] != '"'; i++)
				if (p[i] == '\\')
					i++;
			ve = ++i;
		} else {
			int depth = 0;
			for (; i < len && (depth > 0 || (p[i] != ',' && p[i] != '}')); i++) {
				if (p[i] == '"')
					for (i++; i < len && p[i] != '"'; i++)
						if (p[i] == '\\')
							i++;
				if (i >= len)
					break;
				depth += p[i] == '[' ? 1 : p[i] == ']' ? -1 : 0;
			}
			ve = i;
		}
		if (i > len || ve <= vs)
			return -1;
		if (!found && ke - ks == klen && memcmp(p + ks, key, klen) == 0) {
			size_t s = vs, e = ve;
			if (p[s] == '"')
				s++, e--;
			snprintf(out, outlen, "%.*s", (int)(e - s), p + s);
			found = 1;
		}
		if (i < len && p[i] == ',')
			i++;
	}
	if (i + 1 != len)
		return -1;
	return found;
}
