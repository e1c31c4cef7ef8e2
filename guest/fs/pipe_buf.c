/* pipe_buf.c: the byte ring of a pipe (Linux's 64 KiB default, PIPE_BUF atomicity). */
#include "fs_env.h"
#include "pipe_buf.h"

int pipe_buf_init(struct pipe_buf *b, size_t cap)
{
	b->data = kmalloc(cap);
	b->cap = cap;
	b->head = b->len = 0;
	return b->data ? 0 : -ENOMEM;
}

void pipe_buf_free(struct pipe_buf *b)
{
	kfree(b->data);
	b->data = NULL;
}

size_t pipe_buf_space(const struct pipe_buf *b)
{
	return b->cap - b->len;
}

size_t pipe_buf_write_size(const struct pipe_buf *b, size_t n)
{
	size_t space = pipe_buf_space(b);

	if (n <= PIPE_BUF)
		return space >= n ? n : 0;      /* all or nothing */
	return n < space ? n : space;
}

long pipe_buf_put(struct pipe_buf *b, struct vfs_iobuf *src, size_t at, size_t n)
{
	size_t tail = (b->head + b->len) % b->cap;
	size_t first = n < b->cap - tail ? n : b->cap - tail;

	if (n > pipe_buf_space(b))
		return -EINVAL;
	if (iobuf_copy_in(b->data + tail, src, at, first) < 0 ||
	    iobuf_copy_in(b->data, src, at + first, n - first) < 0)
		return -EFAULT;
	b->len += n;
	return (long)n;
}

long pipe_buf_get(struct pipe_buf *b, struct vfs_iobuf *dst, size_t at, size_t n)
{
	size_t first;

	if (n > b->len)
		n = b->len;
	first = n < b->cap - b->head ? n : b->cap - b->head;
	if (iobuf_copy_out(dst, at, b->data + b->head, first) < 0 ||
	    iobuf_copy_out(dst, at + first, b->data, n - first) < 0)
		return -EFAULT;
	b->head = (b->head + n) % b->cap;
	b->len -= n;
	if (b->len == 0)
		b->head = 0;
	return (long)n;
}
