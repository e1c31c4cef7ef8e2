/* proc_fs.h: /proc entries made by modules: proc_mkdir, proc_create, proc_remove, remove_proc_entry. */
#ifndef _MV_SDK_LINUX_PROC_FS_H
#define _MV_SDK_LINUX_PROC_FS_H

#include <linux/compiler.h>
#include <linux/fs.h>
#include <linux/types.h>

/* Opaque: a /proc file or directory (guest/kernel/proc_fs.c). */
struct proc_dir_entry;
struct seq_file;

/*
 * A /proc file's operations, as Linux 6.1's struct proc_ops (the fields
 * the guest calls; proc_lseek is not called: the kernel seeks as
 * default_llseek does).  Without proc_read or proc_write, reading or
 * writing fails with EIO, as on Linux.
 */
struct proc_ops {
	unsigned int proc_flags;
	int (*proc_open)(struct inode *inode, struct file *file);
	ssize_t (*proc_read)(struct file *file, char __user *buf, size_t size, loff_t *ppos);
	ssize_t (*proc_write)(struct file *file, const char __user *buf, size_t size, loff_t *ppos);
	loff_t (*proc_lseek)(struct file *file, loff_t offset, int whence);
	int (*proc_release)(struct inode *inode, struct file *file);
};

/* proc_mkdir(name, parent): a directory /proc/[parent/]name; NULL on error (exists, bad name). */
struct proc_dir_entry *proc_mkdir(const char *name, struct proc_dir_entry *parent);
/*
 * proc_create_data(name, mode, parent, ops, data), proc_create(name, mode,
 * parent, ops): a file /proc/[parent/]name (mode 0: 0444) whose open,
 * read, write and release call ops; pde_data() of its inode is data.
 * NULL on error.  name may hold '/' to name an existing subdirectory.
 */
struct proc_dir_entry *proc_create_data(const char *name, umode_t mode,
					struct proc_dir_entry *parent,
					const struct proc_ops *proc_ops, void *data);
struct proc_dir_entry *proc_create(const char *name, umode_t mode, struct proc_dir_entry *parent,
				   const struct proc_ops *proc_ops);
/* proc_create_single_data(name, mode, parent, show, data): a file that is single_open(show, data). */
struct proc_dir_entry *proc_create_single_data(const char *name, umode_t mode,
					       struct proc_dir_entry *parent,
					       int (*show)(struct seq_file *, void *), void *data);
#define proc_create_single(name, mode, parent, show) \
	proc_create_single_data(name, mode, parent, show, NULL)

/*
 * proc_remove(de): remove an entry and everything under it; remove_proc_entry(
 * name, parent): the same by name.  Files still open are released at once
 * (their proc_release runs) and further reads and writes fail with EIO, so
 * a module may free what its entries use right after, as on Linux.
 */
void proc_remove(struct proc_dir_entry *de);
void remove_proc_entry(const char *name, struct proc_dir_entry *parent);

/* pde_data(inode): the data given to proc_create_data() for this entry. */
void *pde_data(const struct inode *inode);

#endif
