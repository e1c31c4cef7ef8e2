/* mlog_fmt.h: building blocks of log entries shared by the writer and the reader. */
#ifndef MODVISOR_VMM_MLOG_FMT_H
#define MODVISOR_VMM_MLOG_FMT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A growing byte buffer; oom sticks once an allocation failed. */
struct mlog_buf {
	char *p;
	size_t len, cap;
	bool oom;
};

/* mlog_buf_put(b, p, n) and mlog_buf_printf(b, fmt, ...): append bytes. */
void mlog_buf_put(struct mlog_buf *b, const void *p, size_t n);
void mlog_buf_printf(struct mlog_buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/*
 * mlog_buf_json_str(b, key, s): append ,"key":"s" with s escaped so the
 * result is pure printable ASCII: '"' and '\' get a backslash, every other
 * byte outside 0x20-0x7e is written \u00XX.  A newline can never appear.
 */
void mlog_buf_json_str(struct mlog_buf *b, const char *key, const char *s);

/*
 * mlog_buf_ima_escape(b, s): append s for an IMA name: bytes outside
 * 0x21-0x7e, '\' and '|' become \xHH, so the name is one space-free word.
 */
void mlog_buf_ima_escape(struct mlog_buf *b, const char *s);

/* mlog_chain_extend(agg, p, n, out): out = SHA-256(agg || SHA-256(p, n)). */
void mlog_chain_extend(const uint8_t agg[32], const void *p, size_t n, uint8_t out[32]);

/* mlog_ima_template(td, sha256, name): ima-ng template data (d-ng, n-ng). */
void mlog_ima_template(struct mlog_buf *td, const uint8_t sha256[32], const char *name);

/*
 * mlog_ima_record(rec, td, binary, sha256, name): one entry of
 * binary_runtime_measurements (PCR 10, SHA-1 template hash, "ima-ng", td)
 * or one line of ascii_runtime_measurements.
 */
void mlog_ima_record(struct mlog_buf *rec, const struct mlog_buf *td, bool binary,
		     const uint8_t sha256[32], const char *name);

/* mlog_ima_extend(agg, td, out): PCR-10 SHA-256 bank: SHA-256(agg || SHA-256(td)). */
void mlog_ima_extend(const uint8_t agg[32], const struct mlog_buf *td, uint8_t out[32]);

#define MLOG_IMA_PCR  10u

/*
 * mlog_json_field(line, len, key, out, outlen): the raw text of a
 * top-level field's value in a flat JSON object (a string without its
 * quotes, escapes kept).  Returns 1 if found, 0 if not, -1 when the line
 * is not such an object.
 */
int mlog_json_field(const char *p, size_t len, const char *key, char *out, size_t outlen);

#endif
