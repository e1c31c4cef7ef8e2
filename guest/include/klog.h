/* klog.h: the kernel log buffer that dmesg reads through syslog(2). */
#ifndef MV_GUEST_KLOG_H
#define MV_GUEST_KLOG_H

#include <stddef.h>
#include <stdint.h>

#define KLOG_LINE_MAX      1024  /* longer lines are split, as the console does */
#define KLOG_LEVEL_DEFAULT 4     /* Linux's default_message_loglevel (KERN_WARNING) */

/*
 * A ring of whole records in the text form syslog(2) returns them in:
 * "<6>[    0.012345] hello: init\n", one line each (Linux's format with
 * printk.time=1; the facility of kernel messages is 0).  Offsets count
 * bytes ever written, so they only grow; byte o lives at buf[o % size].
 * The oldest records are dropped to make room.  Plain C: klog.c also builds
 * for the host (tests/unit/test_klog.c).
 */
struct klog {
	char *buf;               /* the ring, size bytes */
	size_t size;
	uint64_t head;           /* first byte of the oldest record */
	uint64_t tail;           /* one past the newest record */
	uint64_t clear;          /* SYSLOG_ACTION_READ_ALL starts here (CLEAR moves it) */
	uint64_t read;           /* SYSLOG_ACTION_READ goes on from here */
	char line[KLOG_LINE_MAX];/* the line being assembled (no newline yet) */
	size_t line_len;
	int line_level;          /* its level, 0-7 */
	uint64_t line_ns;        /* its timestamp: when its first byte came */
};

/* klog_init(k, buf, size): an empty log in buf[size]. */
void klog_init(struct klog *k, char *buf, size_t size);

/*
 * klog_write(k, s, n, now_ns): the text of one printk() call.  KERN_SOH
 * level prefixes at its start ("\0016") give the level of the lines it
 * starts; a line without one is KLOG_LEVEL_DEFAULT.  Text without a newline
 * stays pending, and the next call continues it, as on the console.  Every
 * newline ends a record.
 */
void klog_write(struct klog *k, const char *s, size_t n, uint64_t now_ns);

/*
 * klog_read_all(k, out, len): copy the newest whole records that fit in len
 * bytes, from the last klog_clear() on (SYSLOG_ACTION_READ_ALL).  Returns
 * the bytes copied.
 */
size_t klog_read_all(const struct klog *k, char *out, size_t len);

/* klog_read(k, out, len): up to len unread bytes, which become read (SYSLOG_ACTION_READ). */
size_t klog_read(struct klog *k, char *out, size_t len);

/* klog_unread(k): bytes klog_read() has not returned yet (SYSLOG_ACTION_SIZE_UNREAD). */
size_t klog_unread(const struct klog *k);

/* klog_clear(k): klog_read_all() returns only later records (SYSLOG_ACTION_CLEAR). */
void klog_clear(struct klog *k);

/*
 * klog_printk(s, n): printk()'s hook (console.c): add one call's text to
 * the kernel's own log, timestamped with the monotonic clock.
 */
void klog_printk(const char *s, size_t n);

#endif
