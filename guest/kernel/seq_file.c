/* seq_file.c: seq_file for modules' /proc files (the SDK's <linux/seq_file.h>): the whole text is produced at the first read, then served from a buffer. */
#include <stdarg.h>
#include "mm.h"
#include "proc_fs_abi.h"

#define SEQ_MAX_SIZE    (8u << 20)      /* a runaway show stops here with -ENOMEM */
#define IS_ERR_PTR(p)   ((uintptr_t)(p) >= (uintptr_t)-4095)

/* seq_grow(m, need): room for need more bytes; false (m->size poisoned) when out of memory. */
static bool seq_grow(struct seq_file *m, size_t need)
{
	size_t size = m->size ? m->size : 4096;
	char *buf;

	if (m->count + need <= m->size)
		return true;
	while (size < m->count + need && size <= SEQ_MAX_SIZE)
		size *= 2;
	if (size > SEQ_MAX_SIZE || !(buf = kmalloc(size))) {
		m->filled = -ENOMEM;
		return false;
	}
	if (m->count)
		memcpy(buf, m->buf, m->count);
	kfree(m->buf);
	m->buf = buf;
	m->size = size;
	return true;
}

int seq_write(struct seq_file *m, const void *data, size_t len)
{
	if (!seq_grow(m, len))
		return -1;
	memcpy(m->buf + m->count, data, len);
	m->count += len;
	return 0;
}

void seq_puts(struct seq_file *m, const char *s)
{
	seq_write(m, s, strlen(s));
}

void seq_putc(struct seq_file *m, char c)
{
	seq_write(m, &c, 1);
}

void seq_vprintf(struct seq_file *m, const char *fmt, va_list ap)
{
	va_list again;
	int n;

	va_copy(again, ap);
	n = vsnprintf(NULL, 0, fmt, ap);
	if (n >= 0 && seq_grow(m, (size_t)n + 1)) {
		vsnprintf(m->buf + m->count, (size_t)n + 1, fmt, again);
		m->count += (size_t)n;
	}
	va_end(again);
}

void seq_printf(struct seq_file *m, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	seq_vprintf(m, fmt, ap);
	va_end(ap);
}

/* seq_fill(m): run the iterator over every record into m->buf; 0 or -errno. */
static int seq_fill(struct seq_file *m)
{
	int err = 0;
	void *p;

	m->filled = 1;
	m->index = 0;
	p = m->op->start(m, &m->index);
	while (p && !IS_ERR_PTR(p)) {
		size_t mark = m->count;

		err = m->op->show(m, p);
		if (err < 0)
			break;
		if (err == SEQ_SKIP)
			m->count = mark;
		err = 0;
		p = m->op->next(m, p, &m->index);
	}
	m->op->stop(m, p);
	if (!err && IS_ERR_PTR(p))
		err = (int)(intptr_t)p;
	if (!err && m->filled < 0)
		err = m->filled;
	return err;
}

int seq_open(struct mod_file *file, const struct seq_operations *op)
{
	struct seq_file *m = kzalloc(sizeof(*m));

	if (!m)
		return -ENOMEM;
	m->op = op;
	m->file = file;
	file->private_data = m;
	return 0;
}

int seq_release(struct proc_dir_entry *inode, struct mod_file *file)
{
	struct seq_file *m = file->private_data;

	(void)inode;
	if (m) {
		kfree(m->buf);
		kfree(m);
	}
	file->private_data = NULL;
	return 0;
}

long seq_read(struct mod_file *file, uaddr_t buf, size_t size, int64_t *ppos)
{
	struct seq_file *m = file->private_data;
	size_t n;

	if (!m->filled) {
		int err = seq_fill(m);
		if (err < 0) {
			m->filled = 0;          /* the next read tries again, as Linux's */
			m->count = 0;
			return err;
		}
	}
	if (*ppos < 0 || (uint64_t)*ppos >= m->count)
		return 0;
	n = MIN(size, m->count - (size_t)*ppos);
	if (copy_to_user(buf, m->buf + *ppos, n) < 0)
		return -EFAULT;
	*ppos += (int64_t)n;
	return (long)n;
}

int64_t seq_lseek(struct mod_file *file, int64_t offset, int whence)
{
	switch (whence) {
	case 1:                         /* SEEK_CUR */
		offset += file->f_pos;
		/* fall through */
	case 0:                         /* SEEK_SET */
		if (offset < 0)
			return -EINVAL;
		file->f_pos = offset;
		return offset;
	default:
		return -EINVAL;
	}
}

/* single_open's iterator: one record, the token 1, at position 0. */
static void *single_start(struct seq_file *m, int64_t *pos)
{
	(void)m;
	return *pos ? NULL : (void *)1;
}

static void *single_next(struct seq_file *m, void *v, int64_t *pos)
{
	(void)m, (void)v;
	++*pos;
	return NULL;
}

static void single_stop(struct seq_file *m, void *v)
{
	(void)m, (void)v;
}

int single_open(struct mod_file *file, int (*show)(struct seq_file *, void *), void *data)
{
	struct seq_operations *op = kzalloc(sizeof(*op));
	int err;

	if (!op)
		return -ENOMEM;
	*op = (struct seq_operations){ single_start, single_stop, single_next, show };
	if ((err = seq_open(file, op)) < 0) {
		kfree(op);
		return err;
	}
	((struct seq_file *)file->private_data)->private = data;
	return 0;
}

int single_release(struct proc_dir_entry *inode, struct mod_file *file)
{
	struct seq_file *m = file->private_data;
	const struct seq_operations *op = m ? m->op : NULL;

	seq_release(inode, file);
	kfree((void *)op);
	return 0;
}
