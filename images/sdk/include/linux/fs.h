/* fs.h: the part of struct file and struct inode a module's /proc handlers see. */
#ifndef _MV_SDK_LINUX_FS_H
#define _MV_SDK_LINUX_FS_H

#include <linux/compiler.h>
#include <linux/types.h>

typedef long long loff_t;
typedef unsigned short umode_t;

/* Opaque: a /proc entry's inode; pass it to pde_data(). */
struct inode;

/*
 * One open of a module's /proc file, as its proc_ops see it (Linux's
 * struct file has many more fields; these are the ones modules use).
 * private_data is the module's (single_open() puts its struct seq_file
 * there); f_pos is the offset of the call in progress.
 */
struct file {
	void *private_data;
	struct inode *f_inode;
	unsigned int f_flags;       /* open(2) flags */
	unsigned int f_mode;        /* FMODE_READ | FMODE_WRITE */
	loff_t f_pos;
};

#define FMODE_READ   0x1u
#define FMODE_WRITE  0x2u

#define SEEK_SET 0
#define SEEK_CUR 1
#define SEEK_END 2

/* file_inode(f): the inode f was opened on. */
static inline struct inode *file_inode(const struct file *f)
{
	return f->f_inode;
}

#endif
