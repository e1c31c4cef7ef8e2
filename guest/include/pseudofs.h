/* pseudofs.h: /proc and /sys: directories of files generated on read, and kernel settings. */
#ifndef MODVISOR_GUEST_PSEUDOFS_H
#define MODVISOR_GUEST_PSEUDOFS_H

#include <stdarg.h>
#include "vfs.h"

/*
 * Pseudo directories and files live in the ramfs tree (vfs.h) with the
 * inode flag VFS_I_PSEUDO, so users can read and write them but not create,
 * remove or rename names there (EACCES for open(O_CREAT), EPERM for the
 * rest, as in sysfs).  A file's content is produced by its show callback
 * when it is opened (a snapshot, like seq_file); each write(2) hands the
 * written bytes to its store callback.  A node removed while open stays
 * readable from its snapshot, and writes then fail with ENODEV, so a module
 * may free priv right after pseudo_remove().
 *
 * Example (the module loader):
 *     struct inode *d = sysfs_create_dir("module/hello");
 *     pseudo_create_file(d, "refcnt", 0444, show_refcnt, NULL, mod);
 *     ...
 *     pseudo_remove(d);        // on delete_module
 */

/* The output of a show callback: a growable buffer. */
struct pseudo_buf {
	char *data;
	size_t len, cap;
	int err;                    /* -ENOMEM after a failed growth */
};

/* (b, data, n): append bytes; 0 or -ENOMEM (also kept in b->err). */
int pbuf_write(struct pseudo_buf *b, const void *data, size_t n);
/* (b, fmt, ...): append printf-style text (the kernel's vsnprintf formats). */
__attribute__((format(printf, 2, 3))) int pbuf_printf(struct pseudo_buf *b, const char *fmt, ...);

/* (out, priv): produce the file's content; 0 or -errno (read then fails). */
typedef int (*pseudo_show_fn)(struct pseudo_buf *out, void *priv);
/*
 * (buf, len, priv): consume one write(2): buf holds len bytes plus a NUL
 * (at most 4095 bytes; longer writes fail with EINVAL before the call).
 * Returns len (or the bytes consumed) or -errno, which write(2) returns.
 */
typedef long (*pseudo_store_fn)(const char *buf, size_t len, void *priv);

/* The /proc and /sys directories. */
struct inode *procfs_root(void);
struct inode *sysfs_root(void);

/*
 * (parent, name, mode): a new pseudo directory parent/name; an existing
 * pseudo directory of that name is returned as is.  NULL on error.
 * The returned inode is owned by the tree (no reference to drop).
 */
struct inode *pseudo_mkdir(struct inode *parent, const char *name, uint32_t mode);

/*
 * (path): sysfs_create_dir("module/hello"): the directory /sys/<path>,
 * creating missing components.  NULL on error (bad name, no memory).
 */
struct inode *sysfs_create_dir(const char *path);

/*
 * (dir, name, mode, show, store, priv): a pseudo file dir/name with
 * permission bits mode (e.g. 0444, 0644).  show may be NULL for a
 * write-only file, store NULL for a read-only one (open for writing then
 * gives EACCES, even for root, as sysfs does).  0, -EEXIST or -ENOMEM.
 */
int pseudo_create_file(struct inode *dir, const char *name, uint32_t mode,
		       pseudo_show_fn show, pseudo_store_fn store, void *priv);

/*
 * (dir, name, mode, fops, priv, err): a pseudo file dir/name whose open
 * files are fops's (modules' /proc files, guest/kernel/proc_fs.c);
 * inode->pseudo->priv is priv until pseudo_remove().  NULL with *err
 * -EEXIST, -EINVAL or -ENOMEM.
 */
struct inode *pseudo_create_ops(struct inode *dir, const char *name, uint32_t mode,
				const struct file_ops *fops, void *priv, int *err);

/* (inode): a pseudo file's priv; NULL after pseudo_remove() or for a directory. */
void *pseudo_priv(const struct inode *inode);
/* (dir, name, len): the inode named name in directory dir, or NULL. */
struct inode *pseudo_child(struct inode *dir, const char *name, size_t len);

/* (dir, name, target, priv): a symlink whose target text show() produces. */
int pseudo_create_link(struct inode *dir, const char *name, pseudo_show_fn target, void *priv);

/* (node): remove a pseudo file or directory (recursively) from the tree. */
void pseudo_remove(struct inode *node);
/* (dir, name): pseudo_remove() of dir/name if it exists (a module's holders/NAME link). */
void pseudo_remove_name(struct inode *dir, const char *name);

/*
 * (show, priv): the content of /proc/modules (Linux's format, one line per
 * module).  Until the module loader registers it the file is empty.
 */
void procfs_set_modules(pseudo_show_fn show, void *priv);

/* ---- kernel settings shown under /proc/sys/kernel ----------------------- */

/* The taint mask, as /proc/sys/kernel/tainted prints it (decimal). */
unsigned long kernel_taint_mask(void);
/* (bit): set taint bit (e.g. 12 = TAINT_OOT_MODULE 'O', 13 = 'E', 0 = 'P', 1 = 'F'). */
void kernel_add_taint(unsigned int bit);
/*
 * modules_disabled: 0 at boot, or 1 if the VMM's boot flags say so
 * (MV_BOOT_F_MODULES_DISABLED).  Writing 1 sets it; writing anything else
 * fails with EINVAL (Linux's proc_dointvec_minmax with min = max = 1), so
 * it can never go back to 0.
 */
bool kernel_modules_disabled(void);

/* ---- /sys files of other subsystems, made at boot (kmain) ---------------- */

/* mdc_sysfs_init(): /sys/module/compression (guest/module/decompress_kernel.c). */
void mdc_sysfs_init(void);

#endif
