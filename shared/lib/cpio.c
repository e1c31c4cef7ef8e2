/* cpio.c: a freestanding, overflow-safe reader of newc cpio archives (see cpio.h). */
#include <modvisor/cpio.h>
#include <modvisor/kstrtox.h>

static const char cpio_trailer[] = "TRAILER!!!";

/* The 13 header fields after the 6-byte magic, in order. */
static const char *const cpio_fields[13] = {
	"c_ino", "c_mode", "c_uid", "c_gid", "c_nlink", "c_mtime",
	"c_filesize", "c_devmajor", "c_devminor", "c_rdevmajor",
	"c_rdevminor", "c_namesize", "c_check",
};

/* fail: record why the archive is malformed; the reader stays failed. */
static int fail(struct cpio_reader *r, size_t off, const char *field, const char *why)
{
	r->error = why;
	r->field = field;
	r->error_offset = off;
	r->pos = r->len;
	return -CPIO_EINVAL;
}

/* align4: round an absolute buffer offset up to 4; 0 on overflow. */
static int align4(size_t off, size_t *out)
{
	if (__builtin_add_overflow(off, (size_t)3, out))
		return -1;
	*out &= ~(size_t)3;
	return 0;
}

/* magic_ok: the first min(n, 6) bytes are "070701" or "070702". */
static int magic_ok(const uint8_t *h, size_t n)
{
	for (size_t i = 0; i < 6 && i < n; i++)
		if (h[i] != "070701"[i] && !(i == 5 && h[i] == '2'))
			return 0;
	return 1;
}

/* parse_header: check the magic and decode the 13 hex fields at r->pos. */
static int parse_header(struct cpio_reader *r, uint32_t v[13])
{
	const uint8_t *h = r->buf + r->pos;

	if (!magic_ok(h, 6))
		return fail(r, r->pos, "c_magic", "bad magic (want 070701 or 070702)");
	for (int f = 0; f < 13; f++) {
		uint32_t x = 0;
		for (int i = 0; i < 8; i++) {
			int d = kstrtox_hex_digit((char)h[6 + f * 8 + i]);
			if (d < 0)
				return fail(r, r->pos + 6 + f * 8 + i, cpio_fields[f],
					    "not a hex digit");
			x = x << 4 | (uint32_t)d;
		}
		v[f] = x;
	}
	return 0;
}

/* parse_name: check the name that follows the header; sets e->name. */
static int parse_name(struct cpio_reader *r, uint32_t namesize, struct cpio_entry *e)
{
	size_t start = r->pos + CPIO_HEADER_LEN;
	size_t avail = r->len - start;

	if (namesize == 0)
		return fail(r, start, "c_namesize", "name size is 0");
	if (namesize > CPIO_NAME_MAX)
		return fail(r, start, "c_namesize", "name longer than 4096 bytes");
	if (namesize > avail)
		return fail(r, start, "c_namesize", "name runs past the end of the archive");
	const char *name = (const char *)r->buf + start;
	if (name[namesize - 1] != '\0')
		return fail(r, start + namesize - 1, "c_namesize", "name is not NUL-terminated");
	for (uint32_t i = 0; i + 1 < namesize; i++)
		if (name[i] == '\0')
			return fail(r, start + i, "c_namesize", "NUL inside the name");
	if (namesize == 1)
		return fail(r, start, "c_namesize", "empty name");
	e->name = name;
	e->name_len = namesize - 1;
	return 0;
}

/* skip_padding: between archives, skip NUL bytes; 1 if a header follows. */
static int skip_padding(struct cpio_reader *r)
{
	while (r->pos < r->len && r->buf[r->pos] == 0)
		r->pos++;
	return r->pos < r->len;
}

static int is_trailer(const struct cpio_entry *e)
{
	if (e->name_len != sizeof(cpio_trailer) - 1)
		return 0;
	for (size_t i = 0; i < e->name_len; i++)
		if (e->name[i] != cpio_trailer[i])
			return 0;
	return 1;
}

/* read_entry: decode one member at r->pos and advance past its data. */
static int read_entry(struct cpio_reader *r, struct cpio_entry *e)
{
	uint32_t v[13];
	size_t data, end, next;
	int err;

	r->entry_offset = r->pos;
	if (r->len - r->pos < CPIO_HEADER_LEN) {
		if (!magic_ok(r->buf + r->pos, r->len - r->pos))
			return fail(r, r->pos, "c_magic", "bad magic (want 070701 or 070702)");
		return fail(r, r->pos, NULL, "truncated header (110 bytes needed)");
	}
	if ((err = parse_header(r, v)) < 0 || (err = parse_name(r, v[11], e)) < 0)
		return err;
	/* parse_name checked pos + 110 + namesize <= len, so this cannot overflow. */
	(void)align4(r->pos + CPIO_HEADER_LEN + v[11], &data);
	if (data > r->len && v[6] == 0)
		data = r->len;      /* an empty member's padding may be cut off */
	if (data > r->len || v[6] > r->len - data)
		return fail(r, data < r->len ? data : r->len, "c_filesize",
			    "data runs past the end of the archive");
	end = data + v[6];
	if (align4(end, &next) < 0)
		return fail(r, end, "c_filesize", "size overflows");
	e->offset = r->pos;
	e->data = r->buf + data;
	e->size = v[6];
	e->ino = v[0], e->mode = v[1], e->uid = v[2], e->gid = v[3];
	e->nlink = v[4], e->mtime = v[5];
	e->devmajor = v[7], e->devminor = v[8];
	e->rdevmajor = v[9], e->rdevminor = v[10];
	/* The last member's data padding may be cut off by the end of the buffer. */
	r->pos = next < r->len ? next : r->len;
	return 0;
}

void cpio_init(struct cpio_reader *r, const void *buf, size_t len)
{
	*r = (struct cpio_reader){ .buf = buf, .len = len };
}

int cpio_next(struct cpio_reader *r, struct cpio_entry *e)
{
	for (;;) {
		if (r->error)
			return -CPIO_EINVAL;
		if (!r->in_archive) {
			if (!skip_padding(r))
				return 0;
			r->in_archive = 1;
		} else if (r->pos >= r->len) {
			return fail(r, r->len, NULL, "archive ends without TRAILER!!!");
		}
		int err = read_entry(r, e);
		if (err < 0)
			return err;
		if (!is_trailer(e))
			return 1;
		r->in_archive = 0;
		r->archives++;
	}
}

/* Small freestanding formatting helpers for cpio_strerror. */
static size_t put_str(char *out, size_t size, size_t at, const char *s)
{
	while (*s) {
		if (at + 1 < size)
			out[at] = *s;
		at++, s++;
	}
	return at;
}

static size_t put_hex(char *out, size_t size, size_t at, size_t v)
{
	char tmp[2 + 2 * sizeof(size_t) + 1];
	int n = (int)sizeof(tmp) - 1;

	tmp[n] = '\0';
	do {
		tmp[--n] = "0123456789abcdef"[v & 15];
		v >>= 4;
	} while (v);
	tmp[--n] = 'x';
	tmp[--n] = '0';
	return put_str(out, size, at, tmp + n);
}

char *cpio_strerror(const struct cpio_reader *r, char *out, size_t size)
{
	size_t at = 0;

	if (!size)
		return out;
	at = put_str(out, size, at, "offset ");
	at = put_hex(out, size, at, r->error_offset);
	at = put_str(out, size, at, " (entry at ");
	at = put_hex(out, size, at, r->entry_offset);
	at = put_str(out, size, at, "): ");
	if (r->field) {
		at = put_str(out, size, at, "field ");
		at = put_str(out, size, at, r->field);
		at = put_str(out, size, at, ": ");
	}
	at = put_str(out, size, at, r->error ? r->error : "no error");
	out[at < size ? at : size - 1] = '\0';
	return out;
}
