/* klog.c: the kernel log ring: printk lines as syslog(2) records, oldest dropped first. */
#include <string.h>
#include "klog.h"

void klog_init(struct klog *k, char *buf, size_t size)
{
	memset(k, 0, sizeof(*k));
	k->buf = buf;
	k->size = size;
}

/* klog_put(k, src, n): append n bytes at the tail (the caller made room). */
static void klog_put(struct klog *k, const char *src, size_t n)
{
	size_t at = (size_t)(k->tail % k->size);
	size_t first = n < k->size - at ? n : k->size - at;

	memcpy(k->buf + at, src, first);
	memcpy(k->buf, src + first, n - first);
	k->tail += n;
}

/* klog_copy(k, off, out, n): the n bytes from offset off, across the wrap. */
static void klog_copy(const struct klog *k, uint64_t off, char *out, size_t n)
{
	size_t at = (size_t)(off % k->size);
	size_t first = n < k->size - at ? n : k->size - at;

	memcpy(out, k->buf + at, first);
	memcpy(out + first, k->buf, n - first);
}

/* klog_next(k, off): the start of the record after the one holding off. */
static uint64_t klog_next(const struct klog *k, uint64_t off)
{
	while (off < k->tail && k->buf[off % k->size] != '\n')
		off++;
	return off < k->tail ? off + 1 : off;
}

/* klog_make_room(k, n): drop the oldest records until n more bytes fit. */
static void klog_make_room(struct klog *k, size_t n)
{
	while (k->tail - k->head + n > k->size)
		k->head = klog_next(k, k->head);
}

/* klog_put_dec(p, v, width, pad): v in decimal, left-padded to width; returns its length. */
static size_t klog_put_dec(char *p, uint64_t v, size_t width, char pad)
{
	char digits[20];
	size_t n = 0, len;

	do {
		digits[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	len = n > width ? n : width;
	for (size_t i = 0; i < len - n; i++)
		p[i] = pad;
	for (size_t i = 0; i < n; i++)
		p[len - 1 - i] = digits[i];
	return len;
}

/* klog_prefix(p, level, ns): "<6>[    1.000123] ", as Linux's syslog text; its length. */
static size_t klog_prefix(char *p, int level, uint64_t ns)
{
	size_t n = 0;

	p[n++] = '<';
	p[n++] = (char)('0' + level);
	p[n++] = '>';
	p[n++] = '[';
	n += klog_put_dec(p + n, ns / 1000000000, 5, ' ');
	p[n++] = '.';
	n += klog_put_dec(p + n, ns % 1000000000 / 1000, 6, '0');
	p[n++] = ']';
	p[n++] = ' ';
	return n;
}

/* klog_commit(k): the pending line becomes a record. */
static void klog_commit(struct klog *k)
{
	char pre[48];
	size_t plen = klog_prefix(pre, k->line_level, k->line_ns);
	size_t total = plen + k->line_len + 1;

	if (total <= k->size) {
		klog_make_room(k, total);
		klog_put(k, pre, plen);
		klog_put(k, k->line, k->line_len);
		klog_put(k, "\n", 1);
	}
	k->line_len = 0;
}

/*
 * klog_parse_level(s, n, level): skip the KERN_SOH prefixes at the start of
 * s as Linux's printk_get_level() reads them; a digit sets *level, 'c'
 * (KERN_CONT) and 'd' (KERN_DEFAULT) do not.  Returns the bytes skipped.
 */
static size_t klog_parse_level(const char *s, size_t n, int *level)
{
	size_t i = 0;

	for (; i + 1 < n && s[i] == '\001'; i += 2) {
		char c = s[i + 1];

		if (c >= '0' && c <= '7')
			*level = c - '0';
		else if (c != 'c' && c != 'd')
			break;
	}
	return i;
}

void klog_write(struct klog *k, const char *s, size_t n, uint64_t now_ns)
{
	int level = KLOG_LEVEL_DEFAULT;

	for (size_t i = klog_parse_level(s, n, &level); i < n; i++) {
		if (s[i] == '\n') {
			if (k->line_len)        /* no empty records */
				klog_commit(k);
			continue;
		}
		if (k->line_len == 0) {
			k->line_level = level;
			k->line_ns = now_ns;
		}
		k->line[k->line_len++] = s[i];
		if (k->line_len == sizeof(k->line))
			klog_commit(k);
	}
}

size_t klog_read_all(const struct klog *k, char *out, size_t len)
{
	uint64_t start = k->clear > k->head ? k->clear : k->head;

	while (k->tail - start > len)
		start = klog_next(k, start);
	klog_copy(k, start, out, (size_t)(k->tail - start));
	return (size_t)(k->tail - start);
}

size_t klog_read(struct klog *k, char *out, size_t len)
{
	uint64_t start = k->read > k->head ? k->read : k->head;
	size_t n = k->tail - start < len ? (size_t)(k->tail - start) : len;

	klog_copy(k, start, out, n);
	k->read = start + n;
	return n;
}

size_t klog_unread(const struct klog *k)
{
	uint64_t start = k->read > k->head ? k->read : k->head;

	return (size_t)(k->tail - start);
}

void klog_clear(struct klog *k)
{
	k->clear = k->tail;
}
