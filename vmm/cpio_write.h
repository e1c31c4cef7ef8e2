/* cpio_write.h: a newc cpio writer for --add HOSTPATH:GUESTPATH. */
#ifndef MODVISOR_VMM_CPIO_WRITE_H
#define MODVISOR_VMM_CPIO_WRITE_H

#include <stddef.h>
#include <stdint.h>

/* A growing archive in host memory. */
struct cpio_out {
	uint8_t *data;
	size_t len, cap;
	uint32_t next_ino;
};

/*
 * cpio_add(o, name, mode, mtime, data, len): append one newc entry: name
 * without a leading '/', mode with its S_IF* type, owner root, data[0..len)
 * (a symlink's data is its target).  Returns 0 or -ENOMEM / -E2BIG.
 */
int cpio_add(struct cpio_out *o, const char *name, uint32_t mode, uint32_t mtime,
	     const void *data, size_t len);

/*
 * cpio_add_host(o, host, guest, err, errlen): add host path `host` as guest
 * path `guest` (absolute): a file, a symlink (kept as a symlink) or a
 * directory (recursively, with its modes), preceded by the guest path's
 * parent directories (mode 0755).  Returns 0 or -errno with a message
 * naming the host file in err.
 */
int cpio_add_host(struct cpio_out *o, const char *host, const char *guest,
		  char *err, size_t errlen);

/* cpio_finish(o): append the TRAILER!!! entry; 0 or -ENOMEM. */
int cpio_finish(struct cpio_out *o);

/* cpio_free(o): release the archive. */
void cpio_free(struct cpio_out *o);

#endif
