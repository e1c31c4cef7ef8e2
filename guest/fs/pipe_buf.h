/* pipe_buf.h: the byte ring of a pipe, pure and unit-tested on the host. */
#ifndef MODVISOR_GUEST_PIPE_BUF_H
#define MODVISOR_GUEST_PIPE_BUF_H

#include "vfs.h"

#define PIPE_BUF        4096            /* writes up to this size are atomic */
#define PIPE_DEF_SIZE   65536           /* Linux's default pipe capacity */

struct pipe_buf {
	uint8_t *data;
	size_t cap;             /* bytes the ring holds */
	size_t head;            /* offset of the oldest byte */
	size_t len;             /* bytes in the ring */
};

/* (b, cap): an empty ring of cap bytes; 0 or -ENOMEM. */
int pipe_buf_init(struct pipe_buf *b, size_t cap);
/* (b): free the ring's memory. */
void pipe_buf_free(struct pipe_buf *b);
/* (b): free bytes. */
size_t pipe_buf_space(const struct pipe_buf *b);
/*
 * (b, n): how many of n bytes a write may put in now: a write of at most
 * PIPE_BUF bytes goes in whole or not at all (0), a larger one takes what
 * fits.
 */
size_t pipe_buf_write_size(const struct pipe_buf *b, size_t n);
/* (b, src, at, n): append n bytes from src at offset at (n <= space); n or -EFAULT. */
long pipe_buf_put(struct pipe_buf *b, struct vfs_iobuf *src, size_t at, size_t n);
/* (b, dst, at, n): take up to n bytes into dst at offset at; bytes or -EFAULT. */
long pipe_buf_get(struct pipe_buf *b, struct vfs_iobuf *dst, size_t at, size_t n);

#endif
