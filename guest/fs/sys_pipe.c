/* sys_pipe.c: pipes (pipe, pipe2) and FIFOs (mknod, mkfifo) with blocking reads, writes and opens, EPIPE, SIGPIPE. */
#include "fs_env.h"
#include "fs_sys.h"
#include "pipe_buf.h"
#include "sched.h"
#include "signal.h"
#include "sigdeliver.h"
#include "syscalls.h"
#include "uaccess.h"

/*
 * One pipe: the ring and how many open files read and write it.  A FIFO's
 * pipe lives while the FIFO is open (inode->fifo.pipe), as Linux's
 * i_pipe: the data goes with the last close.  The counters count opens
 * ever, so an open that waits for a partner sees one that came and went.
 */
struct pipe {
	struct pipe_buf buf;
	int readers, writers;
	unsigned int r_counter, w_counter;
	struct inode *fifo;             /* the FIFO's inode, or NULL */
};

/* A pipe changed: wake its sleepers and every poll. */
static void pipe_wake(struct pipe *p)
{
	sched_wakeup(p);
	vfs_poll_wake();
}

/* Sleep until the pipe changes; -EINTR if a signal came. */
static int pipe_wait(struct pipe *p)
{
	return sched_sleep(p, 0) == -EINTR ? -ERESTARTSYS : 0;
}

static long pipe_read(struct file *f, struct vfs_iobuf *buf, uint64_t off)
{
	struct pipe *p = f->priv;
	long n;
	(void)off;

	if (buf->len == 0)
		return 0;
	while (p->buf.len == 0) {
		if (p->writers == 0)
			return 0;
		if (f->flags & O_NONBLOCK)
			return -EAGAIN;
		if (pipe_wait(p))
			return -ERESTARTSYS;
	}
	n = pipe_buf_get(&p->buf, buf, 0, buf->len);
	if (n > 0)
		pipe_wake(p);
	return n;
}

static long pipe_write(struct file *f, struct vfs_iobuf *buf, uint64_t off)
{
	struct pipe *p = f->priv;
	size_t done = 0;
	(void)off;

	while (done < buf->len) {
		size_t want = buf->len - done, n;
		long w;

		if (p->readers == 0) {
			signal_send(current, SIGPIPE);
			return done ? (long)done : -EPIPE;
		}
		/* A small write is atomic as a whole, also when retried. */
		n = pipe_buf_write_size(&p->buf, done ? MIN(want, pipe_buf_space(&p->buf)) : want);
		if (n == 0) {
			if (f->flags & O_NONBLOCK)
				return done ? (long)done : -EAGAIN;
			if (pipe_wait(p))
				return done ? (long)done : -ERESTARTSYS;
			continue;
		}
		w = pipe_buf_put(&p->buf, buf, done, n);
		if (w < 0)
			return done ? (long)done : w;
		done += (size_t)w;
		pipe_wake(p);
	}
	return (long)done;
}

static unsigned int pipe_poll(struct file *f)
{
	struct pipe *p = f->priv;
	unsigned int ev = 0;

	if (f->readable) {
		if (p->buf.len)
			ev |= VFS_POLLIN;
		if (!p->writers)
			ev |= VFS_POLLHUP;
	}
	if (f->writable) {
		if (pipe_buf_space(&p->buf) >= PIPE_BUF)
			ev |= VFS_POLLOUT;
		if (!p->readers)
			ev |= VFS_POLLERR;
	}
	return ev;
}

static void pipe_release(struct file *f)
{
	struct pipe *p = f->priv;

	if (!p)
		return;                 /* a FIFO open that found no memory */
	if (f->readable)
		p->readers--;
	if (f->writable)
		p->writers--;
	pipe_wake(p);
	if (!p->readers && !p->writers) {
		if (p->fifo)
			p->fifo->fifo.pipe = NULL;
		pipe_buf_free(&p->buf);
		kfree(p);
	}
}

/* fifo_get(inode): the FIFO's pipe, made at its first open; NULL if out of memory. */
static struct pipe *fifo_get(struct inode *inode)
{
	struct pipe *p = inode->fifo.pipe;

	if (p)
		return p;
	if (!(p = kzalloc(sizeof(*p))) || pipe_buf_init(&p->buf, PIPE_DEF_SIZE)) {
		kfree(p);
		return NULL;
	}
	p->fifo = inode;
	inode->fifo.pipe = p;
	return p;
}

/* fifo_wait_partner(p, counter): sleep until *counter moves (an open from the other side). */
static int fifo_wait_partner(struct pipe *p, const unsigned int *counter)
{
	unsigned int seen = *counter;

	while (*counter == seen)
		if (pipe_wait(p))
			return -ERESTARTSYS;
	return 0;
}

/*
 * fifo_open: Linux's fifo_open().  O_RDONLY waits for a writer unless
 * O_NONBLOCK; O_WRONLY waits for a reader, or is -ENXIO with O_NONBLOCK
 * when there is none; O_RDWR never waits.  On an error the release undoes
 * the counts (vfs_file_open_inode calls it).
 */
static int fifo_open(struct file *f)
{
	struct pipe *p = fifo_get(f->inode);
	bool nonblock = f->flags & O_NONBLOCK;

	if (!p)
		return -ENOMEM;
	f->priv = p;
	if (f->readable) {
		p->readers++;
		p->r_counter++;
	}
	if (f->writable) {
		p->writers++;
		p->w_counter++;
	}
	pipe_wake(p);
	if (f->readable && f->writable)
		return 0;
	if (f->readable)
		return p->writers || nonblock ? 0 : fifo_wait_partner(p, &p->w_counter);
	if (!p->readers)
		return nonblock ? -ENXIO : fifo_wait_partner(p, &p->r_counter);
	return 0;
}

static const struct file_ops pipe_ops = {
	.open = fifo_open,
	.read = pipe_read,
	.write = pipe_write,
	.release = pipe_release,
	.poll = pipe_poll,
	.seekable = false,
};

const struct file_ops *fs_env_fifo_ops(void)
{
	return &pipe_ops;
}

/* One end of pipe p on inode as a new open file description. */
static int pipe_end(struct inode *inode, struct pipe *p, uint32_t flags, struct file **out)
{
	struct file *f = kzalloc(sizeof(*f));

	if (!f || !(f->path = kmalloc(16))) {
		kfree(f);
		return -ENOMEM;
	}
	snprintf(f->path, 16, "pipe:[%lu]", (unsigned long)inode->ino);
	f->inode = inode;
	f->ops = &pipe_ops;
	f->flags = flags;
	f->refs = 1;
	f->priv = p;
	f->readable = (flags & O_ACCMODE) == O_RDONLY;
	f->writable = !f->readable;
	vfs_inode_get(inode);
	if (f->readable) {
		p->readers++;
	} else {
		p->writers++;
		inode->writers++;       /* vfs_file_put drops it */
	}
	*out = f;
	return 0;
}

/* A new pipe: its two open files, ends[0] reading and ends[1] writing. */
static int pipe_create(uint32_t flags, struct file *ends[2])
{
	struct inode *inode = ramfs_new_inode(S_IFIFO | 0600);
	struct pipe *p = kzalloc(sizeof(*p));
	int err = -ENOMEM;

	if (!inode || !p || pipe_buf_init(&p->buf, PIPE_DEF_SIZE))
		goto fail;
	inode->fops = &pipe_ops;
	vfs_inode_get(inode);           /* held until both ends exist */
	err = pipe_end(inode, p, O_RDONLY | flags, &ends[0]);
	if (!err && (err = pipe_end(inode, p, O_WRONLY | flags, &ends[1])))
		vfs_file_put(ends[0]);
	vfs_inode_put(inode);
	return err;
fail:
	if (p)
		pipe_buf_free(&p->buf);
	kfree(p);
	kfree(inode);
	return err;
}

static long sys_pipe2(uaddr_t fds, uint64_t flags)
{
	struct vfs_proc *vp = vfs_current();
	struct file *ends[2];
	int32_t fd[2];
	int err;

	if (flags & ~(uint64_t)(O_CLOEXEC | O_NONBLOCK | O_DIRECT))
		return -EINVAL;
	if ((err = pipe_create((uint32_t)flags & (O_NONBLOCK | O_DIRECT), ends)))
		return err;
	fd[0] = fdt_install(vp, ends[0], 0, flags & O_CLOEXEC);
	if (fd[0] < 0) {
		vfs_file_put(ends[0]);
		vfs_file_put(ends[1]);
		return fd[0];
	}
	fd[1] = fdt_install(vp, ends[1], 0, flags & O_CLOEXEC);
	if (fd[1] < 0) {
		fdt_close(vp, fd[0]);
		vfs_file_put(ends[1]);
		return fd[1];
	}
	if (copy_to_user(fds, fd, sizeof(fd))) {
		fdt_close(vp, fd[0]);
		fdt_close(vp, fd[1]);
		return -EFAULT;
	}
	return 0;
}
SYSCALL_REGISTER(293, pipe2, sys_pipe2);

static long sys_pipe(uaddr_t fds)
{
	return sys_pipe2(fds, 0);
}
SYSCALL_REGISTER(22, pipe, sys_pipe);
