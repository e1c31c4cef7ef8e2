/* seq_file.h: seq_file, the kernel's helper for text files generated on read (single_open, seq_printf, seq_read). */
#ifndef _MV_SDK_LINUX_SEQ_FILE_H
#define _MV_SDK_LINUX_SEQ_FILE_H

#include <linux/compiler.h>
#include <linux/fs.h>
#include <linux/types.h>

/*
 * The guest's seq_file (guest/kernel/proc_fs.c) produces the whole text at
 * the first read (start/show/next/stop over every record, or the one show
 * of single_open) into buf, then serves reads and seeks from it, until the
 * file is closed.  private is the module's (single_open's data).
 */
struct seq_file {
	char *buf;
	size_t size;                /* bytes allocated at buf */
	size_t count;               /* bytes produced */
	loff_t index;               /* the iterator's record index */
	int filled;                 /* the text is produced */
	const struct seq_operations *op;
	struct file *file;
	void *private;
};

struct seq_operations {
	void *(*start)(struct seq_file *m, loff_t *pos);
	void (*stop)(struct seq_file *m, void *v);
	void *(*next)(struct seq_file *m, void *v, loff_t *pos);
	int (*show)(struct seq_file *m, void *v);
};

/* seq_printf(m, fmt, ...), seq_vprintf: append formatted text (the kernel's vsnprintf). */
__printf(2, 3) void seq_printf(struct seq_file *m, const char *fmt, ...);
void seq_vprintf(struct seq_file *m, const char *fmt, va_list ap);
/* seq_puts(m, s), seq_putc(m, c), seq_write(m, data, len): append (seq_write: 0 or -1). */
void seq_puts(struct seq_file *m, const char *s);
void seq_putc(struct seq_file *m, char c);
int seq_write(struct seq_file *m, const void *data, size_t len);

/* seq_open(file, op): a seq_file over op's records in file->private_data; 0 or -ENOMEM. */
int seq_open(struct file *file, const struct seq_operations *op);
/* seq_release(inode, file): free what seq_open made. */
int seq_release(struct inode *inode, struct file *file);
/* seq_read(file, buf, size, ppos): proc_read for a seq_file; bytes, 0 at the end, -EFAULT. */
ssize_t seq_read(struct file *file, char __user *buf, size_t size, loff_t *ppos);
/* seq_lseek(file, offset, whence): proc_lseek for a seq_file (SEEK_SET, SEEK_CUR); -EINVAL. */
loff_t seq_lseek(struct file *file, loff_t offset, int whence);

/* single_open(file, show, data): a seq_file of one record, show(m, NULL), with m->private = data. */
int single_open(struct file *file, int (*show)(struct seq_file *m, void *v), void *data);
/* single_release(inode, file): free what single_open made. */
int single_release(struct inode *inode, struct file *file);

/*
 * DEFINE_PROC_SHOW_ATTRIBUTE(name): name_open() (single_open with
 * pde_data) and name_proc_ops for a name_show(struct seq_file *, void *).
 */
#define DEFINE_PROC_SHOW_ATTRIBUTE(__name)                                      \
static int __name ## _open(struct inode *inode, struct file *file)              \
{                                                                               \
	return single_open(file, __name ## _show, pde_data(inode));             \
}                                                                               \
static const struct proc_ops __name ## _proc_ops = {                           \
	.proc_open    = __name ## _open,                                        \
	.proc_read    = seq_read,                                               \
	.proc_lseek   = seq_lseek,                                              \
	.proc_release = single_release,                                         \
}

#endif
