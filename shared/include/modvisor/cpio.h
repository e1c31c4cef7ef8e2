/* cpio.h: a freestanding, overflow-safe reader of newc cpio archives (initrd). */
#ifndef MODVISOR_CPIO_H
#define MODVISOR_CPIO_H

#include <stddef.h>
#include <stdint.h>

/*
 * The format is the "new ASCII" (newc) cpio of `cpio -H newc`, as Linux's
 * initramfs reads it (Documentation/driver-api/early-userspace/
 * buffer-format.rst): a 110-byte header of "070701" (or "070702", whose
 * checksum is not verified, as in Linux) and 13 fields of 8 hex digits,
 * then the NUL-terminated name, padded to a multiple of 4, then the data,
 * padded to a multiple of 4.  Padding is counted from the start of the
 * buffer, as Linux does.  An entry named "TRAILER!!!" ends an archive;
 * archives may be concatenated, with any number of NUL bytes between them.
 * A buffer must end after a trailer (and optional padding).
 *
 * The reader never reads outside [buf, buf + len), never allocates and
 * never writes to the buffer.  Names and data are returned as pointers into
 * the buffer.
 */

#define CPIO_HEADER_LEN   110u
#define CPIO_NAME_MAX     4096u     /* longest name, with its NUL (PATH_MAX) */
#define CPIO_EINVAL       22        /* returned negated: Linux's EINVAL */

/* One archive member. */
struct cpio_entry {
	const char *name;        /* NUL-terminated, inside the buffer */
	size_t name_len;         /* strlen(name) */
	const uint8_t *data;     /* file contents or symlink target */
	uint32_t size;           /* c_filesize */
	uint32_t ino, mode, uid, gid, nlink, mtime;
	uint32_t devmajor, devminor, rdevmajor, rdevminor;
	size_t offset;           /* offset of the header in the buffer */
};

/* Reader state; zero it with cpio_init. */
struct cpio_reader {
	const uint8_t *buf;
	size_t len;
	size_t pos;              /* next header (or padding) */
	unsigned int archives;   /* trailers seen so far */
	int in_archive;          /* 1 between a header and its trailer */
	/* Set when cpio_next fails: */
	const char *error;       /* static string: what is wrong */
	const char *field;       /* header field concerned, or NULL */
	size_t error_offset;     /* where in the buffer */
	size_t entry_offset;     /* header of the entry concerned */
};

/* (r, buf, len): start reading the archive(s) in buf. */
void cpio_init(struct cpio_reader *r, const void *buf, size_t len);

/*
 * (r, e): read the next member into e, skipping trailers and the padding
 * between archives.  Returns 1 with e filled, 0 at the clean end of the
 * buffer, or -CPIO_EINVAL with r->error, r->field and r->error_offset set
 * (the reader then stays failed).
 */
int cpio_next(struct cpio_reader *r, struct cpio_entry *e);

/*
 * (r, out, size): describe the last error as one line, e.g.
 * "offset 0x1f4 (entry at 0x190): field c_namesize: not a hex digit",
 * NUL-terminated and truncated to size.  Returns out.
 */
char *cpio_strerror(const struct cpio_reader *r, char *out, size_t size);

#endif
