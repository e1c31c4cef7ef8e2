/* file.c: opening files (openat semantics), open file descriptions, data copies, kernel reads, writer counts. */
#include "fs_env.h"

/* iobuf_copy_out(b, at, src, n): copy n bytes to b at offset at; 0 or -EFAULT. */
int iobuf_copy_out(struct vfs_iobuf *b, size_t at, const void *src, size_t n)
{
	if (n == 0)
		return 0;
	if (b->user)
		return fs_env_copy_out(b->addr + at, src, n);
	memcpy((char *)b->addr + at, src, n);
	return 0;
}

/* iobuf_copy_in(dst, b, at, n): copy n bytes from b at offset at; 0 or -EFAULT. */
int iobuf_copy_in(void *dst, struct vfs_iobuf *b, size_t at, size_t n)
{
	if (n == 0)
		return 0;
	if (b->user)
		return fs_env_copy_in(dst, b->addr + at, n);
	memcpy(dst, (const char *)b->addr + at, n);
	return 0;
}

/* The state of open's final-component loop (Linux's trailing-symlink loop). */
struct open_walk {
	struct nameidata nd;
	char *link_text;            /* target text being walked, if generated */
	int depth;
};

/* vfs_file_open_inode(p, inode, flags, path, out): a file description on inode. */
/*
 * may_open(p, inode, flags, mask): Linux's may_open(): may p open inode with
 * flags?  *mask gets the access it needs (R_OK/W_OK; 0 for O_PATH).  0,
 * -EINVAL (O_ACCMODE), -EISDIR, -EACCES, -ENXIO (a device node without a
 * driver) or -ETXTBSY (written while it runs).
 */
static int may_open(struct vfs_proc *p, const struct inode *inode, uint32_t flags, int *mask)
{
	uint32_t acc = flags & O_ACCMODE;
	int err;

	*mask = 0;
	if (flags & O_PATH)
		return 0;
	if (acc == O_ACCMODE)
		return -EINVAL;
	*mask = (acc == O_RDONLY ? R_OK : acc == O_WRONLY ? W_OK : R_OK | W_OK);
	if (flags & O_TRUNC)
		*mask |= W_OK;
	if (S_ISDIR(inode->mode) && (*mask & W_OK))
		return -EISDIR;
	err = vfs_permission(p, inode, *mask);
	if (err < 0)
		return err;
	if (!inode->fops)
		return -ENXIO;
	if ((*mask & W_OK) && inode->writers < 0)
		return -ETXTBSY;
	return 0;
}

int vfs_file_open_inode(struct vfs_proc *p, struct inode *inode, uint32_t flags,
			const char *path, struct file **out)
{
	uint32_t acc = flags & O_PATH ? 0 : flags & O_ACCMODE;
	struct file *f;
	int mask, err;

	err = may_open(p, inode, flags, &mask);
	if (err)
		return err;
	f = kzalloc(sizeof(*f));
	if (!f)
		return -ENOMEM;
	f->path = kmalloc(strlen(path) + 1);
	if (!f->path) {
		kfree(f);
		return -ENOMEM;
	}
	memcpy(f->path, path, strlen(path) + 1);
	f->inode = inode;
	f->ops = inode->fops;
	f->flags = flags & ~(O_CREAT | O_EXCL | O_NOCTTY | O_TRUNC | O_CLOEXEC);
	f->refs = 1;
	f->readable = !(flags & O_PATH) && (mask & R_OK);
	f->writable = !(flags & O_PATH) && (acc == O_WRONLY || acc == O_RDWR);
	if (f->ops && f->ops->open && !(flags & O_PATH)) {
		err = f->ops->open(f);
		if (err < 0) {
			if (f->ops->release)
				f->ops->release(f);
			kfree(f->path);
			kfree(f);
			return err;
		}
	}
	vfs_inode_get(inode);
	if (f->writable)
		inode->writers++;
	if ((flags & O_TRUNC) && f->writable && S_ISREG(inode->mode) && !inode->pseudo)
		vfs_truncate(inode, 0);
	*out = f;
	return 0;
}

void vfs_file_get(struct file *f)
{
	f->refs++;
}

void vfs_file_put(struct file *f)
{
	if (!f || --f->refs)
		return;
	if (f->ops && f->ops->release)
		f->ops->release(f);
	if (f->writable)
		f->inode->writers--;
	if (f->denies_write)
		vfs_allow_write(f->inode);
	vfs_inode_put(f->inode);
	kfree(f->path);
	kfree(f);
}

/* create_regular: O_CREAT of a missing name in nd->dir. */
static int create_regular(struct vfs_proc *p, struct nameidata *nd, uint32_t mode,
			  struct inode **out)
{
	struct inode *inode;
	int err;

	if (nd->dir->flags & VFS_I_PSEUDO)
		return -EACCES;
	if (nd->dir->nlink == 0)
		return -ENOENT;     /* the directory was removed */
	if ((err = vfs_permission(p, nd->dir, W_OK | X_OK)) < 0)
		return err;
	inode = ramfs_new_inode(S_IFREG | (mode & ~(p ? p->umask : 022) & 07777));
	if (!inode)
		return -ENOMEM;
	inode->uid = p ? p->uid : 0;
	inode->gid = p ? p->gid : 0;
	if ((err = ramfs_dir_add(nd->dir, nd->last, nd->last_len, inode)) < 0) {
		kfree(inode);
		return err;
	}
	vfs_inode_get(inode);
	*out = inode;
	return 0;
}

/* follow_trailing: move w->nd to the target of symlink link (found in w->nd.dir). */
static int follow_trailing(struct vfs_proc *p, struct open_walk *w, struct inode *link)
{
	char *target;
	bool allocated;
	struct nameidata nd;
	int err;

	if (++w->depth > VFS_SYMLOOP_MAX)
		return -ELOOP;
	if ((err = namei_symlink_target(link, &target, &allocated)) < 0)
		return err;
	err = namei_parent_at(p, w->nd.dir, target, &w->depth, &nd);
	if (err < 0) {
		if (allocated)
			kfree(target);
		return err;
	}
	vfs_inode_put(w->nd.dir);
	kfree(w->link_text);
	w->link_text = allocated ? target : NULL;
	w->nd = nd;
	return 0;
}

/* open_last: find (or create) the final inode of an open, following symlinks. */
static int open_last(struct vfs_proc *p, struct open_walk *w, uint32_t flags, uint32_t mode,
		     struct inode **out)
{
	for (;;) {
		struct nameidata *nd = &w->nd;
		struct inode *inode;
		int err;

		if (nd->last_len == 0 || nd->last_dot || ((flags & O_CREAT) && nd->trailing_slash)) {
			if (flags & O_CREAT)
				return -EISDIR;
			return namei_step(p, nd->dir, nd->last_len ? nd->last : ".",
					  nd->last_len ? nd->last_len : 1, true, &w->depth, out);
		}
		err = namei_step(p, nd->dir, nd->last, nd->last_len, false, &w->depth, &inode);
		if (err == -ENOENT && (flags & O_CREAT))
			return create_regular(p, nd, mode, out);
		if (err < 0)
			return err;
		if ((flags & (O_CREAT | O_EXCL)) == (O_CREAT | O_EXCL)) {
			vfs_inode_put(inode);
			return -EEXIST;
		}
		if (!S_ISLNK(inode->mode) || (flags & O_PATH && flags & O_NOFOLLOW)) {
			if ((flags & O_CREAT) && S_ISDIR(inode->mode)) {
				vfs_inode_put(inode);
				return -EISDIR;
			}
			*out = inode;
			return 0;
		}
		if ((flags & O_NOFOLLOW) && !nd->trailing_slash) {
			vfs_inode_put(inode);
			return -ELOOP;
		}
		err = follow_trailing(p, w, inode);
		vfs_inode_put(inode);
		if (err < 0)
			return err;
	}
}

int vfs_open(struct vfs_proc *p, int dirfd, const char *path, uint32_t flags,
	     uint32_t mode, struct file **out)
{
	struct open_walk w = { 0 };
	struct inode *inode = NULL;
	char *abs = NULL;
	int err;

	if ((err = namei_parent(p, dirfd, path, &w.nd)) < 0)
		return err;
	if ((err = open_last(p, &w, flags, mode, &inode)) < 0)
		goto out;
	err = -ENOTDIR;
	if (((flags & O_DIRECTORY) || w.nd.trailing_slash) && !S_ISDIR(inode->mode))
		goto out;
	err = -ENOMEM;
	if (!(abs = kmalloc(VFS_PATH_MAX)))
		goto out;
	if (S_ISDIR(inode->mode))
		err = (int)vfs_dir_path(inode, abs, VFS_PATH_MAX);
	else
		err = (int)vfs_inode_path(w.nd.dir, w.nd.last, w.nd.last_len, abs, VFS_PATH_MAX);
	if (err >= 0)
		err = vfs_file_open_inode(p, inode, flags, abs, out);
out:
	kfree(abs);
	vfs_inode_put(inode);
	vfs_inode_put(w.nd.dir);
	kfree(w.link_text);
	return err;
}

int vfs_open_exec(struct vfs_proc *p, const char *path, struct file **out)
{
	struct file *f;
	int err = vfs_open(p, AT_FDCWD, path, O_RDONLY, 0, &f);

	if (err < 0)
		return err == -EISDIR ? -EACCES : err;
	if (!S_ISREG(f->inode->mode) || vfs_permission(p, f->inode, X_OK) < 0) {
		vfs_file_put(f);
		return -EACCES;
	}
	if ((err = vfs_deny_write(f->inode)) < 0) {
		vfs_file_put(f);
		return err;
	}
	f->denies_write = true;
	*out = f;
	return 0;
}

long vfs_kernel_read(struct file *f, void *buf, size_t len, uint64_t off)
{
	struct vfs_iobuf b = { .addr = (uintptr_t)buf, .len = len, .user = false };

	if (!f->ops || !f->ops->read)
		return -EINVAL;
	return f->ops->read(f, &b, off);
}

int vfs_read_whole(struct file *f, size_t max, void **out, size_t *outlen)
{
	struct inode *inode = f->inode;
	uint64_t size = inode->size;
	uint8_t *buf;
	size_t done = 0;

	if (!S_ISREG(inode->mode) || inode->pseudo || size == 0)
		return -EINVAL;
	if (size > max)
		return -EFBIG;
	if (!(buf = kmalloc(size)))
		return -ENOMEM;
	while (done < size) {
		long n = vfs_kernel_read(f, buf + done, size - done, done);
		if (n <= 0) {
			kfree(buf);
			return n < 0 ? (int)n : -EIO;
		}
		done += (size_t)n;
	}
	*out = buf;
	*outlen = done;
	return 0;
}

int vfs_deny_write(struct inode *inode)
{
	if (inode->writers > 0)
		return -ETXTBSY;
	inode->writers--;
	return 0;
}

void vfs_allow_write(struct inode *inode)
{
	inode->writers++;
}
