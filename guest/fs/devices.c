/* devices.c: character devices: the console (fds 0-2), /dev/null and /dev/zero. */
#include "fs_env.h"

/*
 * A console open file writes to the host's stdout, except the one the
 * process core puts on fd 2, whose priv is CONSOLE_STDERR: guest stderr
 * goes to the host's stderr.  Reading the console reads the host's stdin
 * (console_in.c); the hosted build reads end of file.
 */
#define CONSOLE_STDERR ((void *)2)

static long eof_read(struct file *f, struct vfs_iobuf *buf, uint64_t off)
{
	(void)f, (void)buf, (void)off;
	return 0;
}

static long con_read(struct file *f, struct vfs_iobuf *buf, uint64_t off)
{
	(void)off;
	return fs_env_console_read(buf->addr, buf->len, buf->user, f->flags & O_NONBLOCK);
}

static unsigned int con_poll(struct file *f)
{
	(void)f;
	return VFS_POLLOUT | (fs_env_console_readable() ? VFS_POLLIN : 0);
}

static long con_write(struct file *f, struct vfs_iobuf *buf, uint64_t off)
{
	unsigned int stream = f->priv == CONSOLE_STDERR ? 2 : 1;
	(void)off;
	return fs_env_console_write(stream, buf->addr, buf->len, buf->user);
}

const struct file_ops console_ops = {
	.read = con_read,
	.write = con_write,
	.poll = con_poll,
	.seekable = false,
};

static long null_write(struct file *f, struct vfs_iobuf *buf, uint64_t off)
{
	(void)f, (void)off;
	return (long)buf->len;
}

static long zero_read(struct file *f, struct vfs_iobuf *buf, uint64_t off)
{
	static const uint8_t zeros[256];
	(void)f, (void)off;
	for (size_t at = 0; at < buf->len; at += sizeof(zeros)) {
		size_t n = buf->len - at < sizeof(zeros) ? buf->len - at : sizeof(zeros);
		int err = iobuf_copy_out(buf, at, zeros, n);
		if (err < 0)
			return err;
	}
	return (long)buf->len;
}

static const struct file_ops null_ops = {
	.read = eof_read,       /* end of file */
	.write = null_write,
	.seekable = true,
};

static const struct file_ops zero_ops = {
	.read = zero_read,
	.write = null_write,
	.seekable = true,
};

/* devices_ops(rdev): the driver of a character device number, or NULL. */
const struct file_ops *devices_ops(uint32_t rdev)
{
	switch (rdev) {
	case (5u << 8) | 1:  return &console_ops;   /* /dev/console */
	case (1u << 8) | 3:  return &null_ops;      /* /dev/null */
	case (1u << 8) | 5:  return &zero_ops;      /* /dev/zero */
	default:             return NULL;
	}
}

bool vfs_file_is_console(const struct file *f)
{
	return f->ops == &console_ops;
}

/* devices_console_stderr(f): make console file f write to the host's stderr. */
void devices_console_stderr(struct file *f)
{
	if (f->ops == &console_ops)
		f->priv = CONSOLE_STDERR;
}
