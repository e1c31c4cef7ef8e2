/* fs_env.h: what guest/fs needs from its surroundings: the guest kernel, or libc in host unit tests. */
#ifndef MODVISOR_GUEST_FS_ENV_H
#define MODVISOR_GUEST_FS_ENV_H

/*
 * The file system core (ramfs, path walk, open files, fd tables, pseudo
 * files, initrd unpacking) is ordinary C that also compiles for the host,
 * so tests/unit/test_vfs.c drives the real code.  Only the sys_*.c files,
 * the console device and env_kernel.c need the guest kernel.  As with the
 * module loader (guest/module/loader_env.h), the few things that differ
 * are functions, implemented once in guest/fs/env_kernel.c (the kernel
 * heap, panic) and once in tests/hosted/fs_env_hosted.c (malloc, abort).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* kmalloc(n), kzalloc(n), kfree(p): the kernel heap's calls (mm.h). */
void *kmalloc(size_t n);
void *kzalloc(size_t n);
void kfree(void *p);

/*
 * fs_env_copy_out(uaddr, src, n) / fs_env_copy_in(dst, uaddr, n): copy to
 * or from user memory; 0 or -EFAULT (the host models a bad pointer as one
 * below 4096).
 */
int fs_env_copy_out(uint64_t uaddr, const void *src, size_t n);
int fs_env_copy_in(void *dst, uint64_t uaddr, size_t n);

/*
 * fs_env_console_write(stream, addr, len, user): write to the host's stdout
 * (stream 1) or stderr (2) from a kernel or (user) a user buffer; bytes
 * written or -EFAULT.
 */
long fs_env_console_write(unsigned int stream, uint64_t addr, size_t len, bool user);

/*
 * fs_env_console_read(addr, len, user, nonblock): read the console (the
 * host's stdin, through the terminal when it is one) into a kernel or user
 * buffer; bytes, 0 at its end, -EAGAIN, -ERESTARTSYS, -EFAULT.  The host
 * build reads end of file.
 */
long fs_env_console_read(uint64_t addr, size_t len, bool user, bool nonblock);
/* fs_env_console_readable(): would a console read return at once? */
bool fs_env_console_readable(void);

/*
 * fs_env_fifo_ops(): the open-file operations of a FIFO (named pipe): the
 * kernel's pipes (sys_pipe.c); NULL on the host, where opening one is -ENXIO.
 */
const struct file_ops *fs_env_fifo_ops(void);

/* The page size of the storage vfs_map_page lends. */
#define FS_PAGE_SIZE 4096u

/*
 * fs_env_data_alloc(cap) / fs_env_data_free(p, cap): the storage of a
 * regular file's bytes.  A *cap of a page or more is rounded up to whole
 * pages and the storage is page-aligned, so its pages can be lent to
 * mappings (vfs_map_page); less is heap memory.  fs_env_data_free() drops
 * the file's own reference to each page: a page still lent stays with its
 * mapping (the kernel's page_ref.c counts them).  Alloc: NULL if out of
 * memory.
 */
void *fs_env_data_alloc(size_t *cap);
void fs_env_data_free(void *p, size_t cap);
/* fs_env_page_get(kaddr): one more reference to the storage page at kaddr; 0 or -ENOMEM. */
int fs_env_page_get(const void *kaddr);

/* fs_env_free_kib(): free RAM for /proc/meminfo (0 on the host). */
uint64_t fs_env_free_kib(void);

/* fs_bug(what, file, line): an invariant of the file system broke; does not return. */
__attribute__((noreturn)) void fs_bug(const char *what, const char *file, int line);

/* FS_BUG_ON(c): fs_bug() when c holds. */
#define FS_BUG_ON(c) \
	do { if (__builtin_expect(!!(c), 0)) fs_bug(#c, __FILE__, __LINE__); } while (0)

#include "vfs.h"

/* ---- internal interfaces between guest/fs files --------------------- */

/* ramfs.c */
/* (mode): a fresh inode with no name and no reference; NULL if out of memory. */
struct inode *ramfs_new_inode(uint32_t mode);
/* (dir, name, len, inode): add a name (the caller checked it is free); Linux link counts. */
int ramfs_dir_add(struct inode *dir, const char *name, size_t len, struct inode *inode);
/* (dir, name, len): the entry called name, or NULL. */
struct vfs_dirent *ramfs_dir_find(struct inode *dir, const char *name, size_t len);
/* (dir, de): remove an entry; frees its inode when nothing else holds it. */
void ramfs_dir_remove(struct inode *dir, struct vfs_dirent *de);
/* (dir): no entries besides "." and ".."? */
bool ramfs_dir_empty(const struct inode *dir);
/* (olddir, de, newdir, name, len): rename's move of one entry. */
int ramfs_dir_move(struct inode *olddir, struct vfs_dirent *de, struct inode *newdir,
		   const char *name, size_t len);
/* (inode, size): room for size bytes of data; -EFBIG, -ENOSPC. */
int ramfs_reserve(struct inode *inode, uint64_t size);
/* (inode, target, len): store a symlink's target. */
int ramfs_set_symlink(struct inode *inode, const char *target, size_t len);
/* (inode, data): update ctime, and mtime too when data changed. */
void ramfs_touch(struct inode *inode, bool data);
extern const struct file_ops ramfs_reg_ops, ramfs_dir_ops;

/* file.c: (b, at, src/dst, n): copy to or from a kernel or user buffer; 0 or -EFAULT. */
int iobuf_copy_out(struct vfs_iobuf *b, size_t at, const void *src, size_t n);
int iobuf_copy_in(void *dst, struct vfs_iobuf *b, size_t at, size_t n);

/* namei.c: the path walk. */
struct nameidata {
	struct inode *dir;          /* parent directory (referenced) */
	const char *last;           /* final component (points into path) */
	size_t last_len;            /* 0 for "/" */
	bool trailing_slash;
	bool last_dot;              /* final component is "." or ".." */
};
/* (p, dirfd, path, nd): the parent directory and final component of path. */
int namei_parent(struct vfs_proc *p, int dirfd, const char *path, struct nameidata *nd);
/* (p, start, path, depth, nd): namei_parent from a given directory, sharing a symlink count. */
int namei_parent_at(struct vfs_proc *p, struct inode *start, const char *path, int *depth,
		    struct nameidata *nd);
/* (p, dir, name, len, follow, depth, out): look one name up in dir (referenced result). */
int namei_step(struct vfs_proc *p, struct inode *dir, const char *name, size_t len,
	       bool follow, int *depth, struct inode **out);
/* (link, target, allocated): a symlink's text; *allocated if the caller must kfree it. */
int namei_symlink_target(struct inode *link, char **target, bool *allocated);
/* (p, dir, link, out, depth): resolve symlink link found in dir; ELOOP past 40. */
int namei_follow(struct vfs_proc *p, struct inode *dir, struct inode *link,
		 struct inode **out, int *depth);
/* (p, dirfd, path, out): the directory a walk starts from (referenced). */
int namei_start(struct vfs_proc *p, int dirfd, const char *path, struct inode **out);
/* (p, inode, mask): may p access inode for R_OK/W_OK/X_OK?  0 or -EACCES. */
int vfs_permission(struct vfs_proc *p, const struct inode *inode, int mask);
/* (dir, name, len, buf, size): "<path of dir>/name"; length or -errno. */
long vfs_inode_path(struct inode *dir, const char *name, size_t len, char *buf, size_t size);

/* file.c: (p, inode, flags, path, out): a new open file description on inode. */
int vfs_file_open_inode(struct vfs_proc *p, struct inode *inode, uint32_t flags,
			const char *path, struct file **out);

/* fdtable.c */
/* (p, f, min, cloexec): install f at the lowest free fd >= min; the fd or -EMFILE/-EINVAL. */
int fdt_install(struct vfs_proc *p, struct file *f, int min, bool cloexec);
/* (p, fd): the file at fd (no new reference), or NULL. */
struct file *fdt_get(struct vfs_proc *p, int fd);
/* (p, fd): close fd; -EBADF if it is not open. */
int fdt_close(struct vfs_proc *p, int fd);
/* (p, f, fd, cloexec): dup2/dup3: install f at exactly fd, closing what was there. */
int fdt_dup_to(struct vfs_proc *p, struct file *f, int fd, bool cloexec);

/* pseudofs.c, procfs.c */
extern const struct file_ops pseudo_file_ops;
/* (inode, buf, size): a pseudo symlink's generated target; bytes or -errno. */
long pseudo_readlink(struct inode *inode, char *buf, size_t size);
/* (boot_flags): create /proc and /sys under the root. */
void procfs_init(uint32_t boot_flags);
/* (s, len): the kernel command line shown by /proc/cmdline. */
void procfs_set_cmdline(const char *s, size_t len);
/* procfs_set_config(gz, len): make /proc/config.gz serve these bytes (IKCONFIG; kept, not copied). */
void procfs_set_config(const void *gz, size_t len);
/* (bytes): guest RAM for /proc/meminfo. */
void procfs_set_mem_total(uint64_t bytes);

/* devices.c: the console (fds 0-2), /dev/null, /dev/zero. */
extern const struct file_ops console_ops;
/* (rdev): the driver of a character device number, or NULL. */
const struct file_ops *devices_ops(uint32_t rdev);
/* (f): make a console file write to the host's stderr. */
void devices_console_stderr(struct file *f);

#endif
