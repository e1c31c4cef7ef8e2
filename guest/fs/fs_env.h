/* fs_env.h: what guest/fs needs from its surroundings: the guest kernel, or libc in host unit tests. */
#ifndef MODVISOR_GUEST_FS_ENV_H
#define MODVISOR_GUEST_FS_ENV_H

/*
 * The file system core (ramfs, path walk, open files, fd tables, pseudo
 * files, initrd unpacking) is ordinary C that also compiles for the host,
 * so tests/unit/test_vfs.c drives the real code.  Only the sys_*.c files
 * and the console device need the guest kernel.
 */
#ifdef __MODVISOR_GUEST__
#include "kernel.h"
#include "mm.h"
#define fs_warn(...)  printk(__VA_ARGS__)
#else
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
static inline void *kmalloc(size_t n) { return malloc(n ? n : 1); }
static inline void *kzalloc(size_t n) { return calloc(1, n ? n : 1); }
static inline void kfree(void *p) { free(p); }
#define fs_warn(...)  fprintf(stderr, __VA_ARGS__)
#define BUG_ON(c)     do { if (c) abort(); } while (0)
#endif

#include "vfs.h"

/* ---- internal interfaces between guest/fs files --------------------- */

/* ramfs.c */
struct inode *ramfs_new_inode(uint32_t mode);
int ramfs_dir_add(struct inode *dir, const char *name, size_t len, struct inode *inode);
struct vfs_dirent *ramfs_dir_find(struct inode *dir, const char *name, size_t len);
void ramfs_dir_remove(struct inode *dir, struct vfs_dirent *de);
bool ramfs_dir_empty(const struct inode *dir);
int ramfs_dir_move(struct inode *olddir, struct vfs_dirent *de, struct inode *newdir,
		   const char *name, size_t len);
int ramfs_reserve(struct inode *inode, uint64_t size);
int ramfs_set_symlink(struct inode *inode, const char *target, size_t len);
void ramfs_touch(struct inode *inode, bool data);
extern const struct file_ops ramfs_reg_ops, ramfs_dir_ops;

/* iobuf.c: copies between file data and a struct vfs_iobuf. */
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
int namei_parent(struct vfs_proc *p, int dirfd, const char *path, struct nameidata *nd);
int namei_parent_at(struct vfs_proc *p, struct inode *start, const char *path, int *depth,
		    struct nameidata *nd);
int namei_step(struct vfs_proc *p, struct inode *dir, const char *name, size_t len,
	       bool follow, int *depth, struct inode **out);
int namei_symlink_target(struct inode *link, char **target, bool *allocated);
int namei_follow(struct vfs_proc *p, struct inode *dir, struct inode *inode,
		 struct inode **out, int *depth);
int namei_start(struct vfs_proc *p, int dirfd, const char *path, struct inode **out);
int vfs_permission(struct vfs_proc *p, const struct inode *inode, int mask);
long vfs_inode_path(struct inode *dir, const char *name, size_t len, char *buf, size_t size);

/* file.c */
int vfs_file_open_inode(struct vfs_proc *p, struct inode *inode, uint32_t flags,
			const char *path, struct file **out);

/* fdtable.c */
int fdt_install(struct vfs_proc *p, struct file *f, int min, bool cloexec);
struct file *fdt_get(struct vfs_proc *p, int fd);
int fdt_close(struct vfs_proc *p, int fd);
int fdt_dup_to(struct vfs_proc *p, struct file *f, int fd, bool cloexec);

/* pseudofs.c: ops for pseudo files, and the /proc/self/exe link. */
extern const struct file_ops pseudo_file_ops;
long pseudo_readlink(struct inode *inode, char *buf, size_t size);
void procfs_init(uint32_t boot_flags);
void procfs_set_cmdline(const char *s, size_t len);
void procfs_set_mem_total(uint64_t bytes);

/* console.c: the character device behind fds 0, 1, 2. */
extern const struct file_ops console_ops;
const struct file_ops *devices_ops(uint32_t rdev);
void devices_console_stderr(struct file *f);

#endif
