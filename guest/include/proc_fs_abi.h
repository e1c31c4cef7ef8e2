/* proc_fs_abi.h: the SDK's struct file, seq_file, seq_operations and proc_ops as the guest kernel sees them (guest/kernel/proc_fs.c, seq_file.c). */
#ifndef MODVISOR_GUEST_PROC_FS_ABI_H
#define MODVISOR_GUEST_PROC_FS_ABI_H

#include "kernel.h"
#include "uaccess.h"

/*
 * The structures a module sees, with the layout of the SDK's headers
 * (images/sdk/include/linux/fs.h, seq_file.h, proc_fs.h): a module's
 * "struct file" is a struct mod_file, its "struct inode" is the entry's
 * struct proc_dir_entry (opaque to it; pde_data() reads it).
 */
struct mod_file {                   /* <linux/fs.h> struct file */
	void *private_data;
	struct proc_dir_entry *f_inode;
	unsigned int f_flags;
	unsigned int f_mode;
	int64_t f_pos;
};

struct seq_file;
struct seq_operations {             /* <linux/seq_file.h> */
	void *(*start)(struct seq_file *m, int64_t *pos);
	void (*stop)(struct seq_file *m, void *v);
	void *(*next)(struct seq_file *m, void *v, int64_t *pos);
	int (*show)(struct seq_file *m, void *v);
};

struct seq_file {                   /* <linux/seq_file.h> */
	char *buf;
	size_t size;
	size_t count;
	int64_t index;
	int filled;
	const struct seq_operations *op;
	struct mod_file *file;
	void *private;
};

struct proc_ops {                   /* <linux/proc_fs.h> */
	unsigned int proc_flags;
	int (*proc_open)(struct proc_dir_entry *inode, struct mod_file *file);
	long (*proc_read)(struct mod_file *file, uaddr_t buf, size_t size, int64_t *ppos);
	long (*proc_write)(struct mod_file *file, uaddr_t buf, size_t size, int64_t *ppos);
	int64_t (*proc_lseek)(struct mod_file *file, int64_t offset, int whence);
	int (*proc_release)(struct proc_dir_entry *inode, struct mod_file *file);
};

#define FMODE_READ   0x1u
#define FMODE_WRITE  0x2u
#define SEQ_SKIP     1            /* show(): drop this record's output */

/* proc_fs.c and seq_file.c: the exports, with the SDK's signatures. */
int single_open(struct mod_file *file, int (*show)(struct seq_file *, void *), void *data);
int single_release(struct proc_dir_entry *inode, struct mod_file *file);
long seq_read(struct mod_file *file, uaddr_t buf, size_t size, int64_t *ppos);
int64_t seq_lseek(struct mod_file *file, int64_t offset, int whence);

#endif
