/* namespace.c: mkdir, mknod, symlink, link, unlink/rmdir, rename and readlink with Linux's errnos. */
#include "fs_env.h"

/* may_create: can a new name be added to nd->dir?  -EEXIST is checked by callers. */
static int may_create(struct vfs_proc *p, struct nameidata *nd)
{
	if (nd->dir->flags & VFS_I_PSEUDO)
		return -EPERM;
	if (nd->dir->nlink == 0)
		return -ENOENT;
	return vfs_permission(p, nd->dir, W_OK | X_OK);
}

/* What create_node makes besides its mode: a symlink's target, a device's number. */
struct node_spec {
	uint32_t mode;
	const char *target;         /* S_IFLNK */
	uint32_t rdev;              /* S_IFCHR, S_IFBLK */
	bool allow_slash;           /* "name/" names it (mkdir) */
	bool may_dev;               /* the caller has CAP_MKNOD */
};

/* create_node: the common part of mkdir, mknod and symlink. */
static int create_node(struct vfs_proc *p, int dirfd, const char *path, const struct node_spec *ns)
{
	struct nameidata nd;
	struct inode *inode;
	int err;

	if ((err = namei_parent(p, dirfd, path, &nd)) < 0)
		return err;
	err = -EEXIST;
	if (nd.last_len == 0 || nd.last_dot || ramfs_dir_find(nd.dir, nd.last, nd.last_len))
		goto out;
	err = -ENOENT;
	if (nd.trailing_slash && !ns->allow_slash)
		goto out;
	if ((err = may_create(p, &nd)) < 0)
		goto out;
	err = -EPERM;
	if ((S_ISCHR(ns->mode) || S_ISBLK(ns->mode)) && !ns->may_dev)
		goto out;
	err = -ENOMEM;
	if (!(inode = ramfs_new_inode(ns->mode)))
		goto out;
	inode->uid = p ? p->uid : 0;
	inode->gid = p ? p->gid : 0;
	inode->rdev = ns->rdev;
	if (S_ISCHR(ns->mode))
		inode->fops = devices_ops(ns->rdev);
	if ((ns->target && (err = ramfs_set_symlink(inode, ns->target, strlen(ns->target))) < 0) ||
	    (err = ramfs_dir_add(nd.dir, nd.last, nd.last_len, inode)) < 0) {
		kfree(inode->lnk.target);
		kfree(inode);
	}
out:
	vfs_inode_put(nd.dir);
	return err;
}

int vfs_mkdir(struct vfs_proc *p, int dirfd, const char *path, uint32_t mode)
{
	uint32_t mask = p ? p->umask : 022;
	struct node_spec ns = { .mode = S_IFDIR | (mode & ~mask & 01777), .allow_slash = true };

	return create_node(p, dirfd, path, &ns);
}

int vfs_mknod(struct vfs_proc *p, int dirfd, const char *path, uint32_t mode, uint32_t rdev,
	      bool may_dev)
{
	uint32_t mask = p ? p->umask : 022;
	struct node_spec ns = { .rdev = rdev, .may_dev = may_dev };

	switch (mode & S_IFMT) {
	case 0:
		mode |= S_IFREG;
		break;
	case S_IFREG: case S_IFCHR: case S_IFBLK: case S_IFIFO: case S_IFSOCK:
		break;
	case S_IFDIR:
		return -EPERM;
	default:
		return -EINVAL;
	}
	ns.mode = (mode & S_IFMT) | (mode & ~mask & 07777);
	if (!S_ISCHR(mode) && !S_ISBLK(mode))
		ns.rdev = 0;
	return create_node(p, dirfd, path, &ns);
}

int vfs_symlink(struct vfs_proc *p, const char *target, int dirfd, const char *path)
{
	struct node_spec ns = { .mode = S_IFLNK | 0777, .target = target };

	if (target[0] == '\0')
		return -ENOENT;
	return create_node(p, dirfd, path, &ns);
}

int vfs_link(struct vfs_proc *p, int olddirfd, const char *oldpath, int newdirfd,
	     const char *newpath, unsigned int at_flags)
{
	struct nameidata nd;
	struct inode *old;
	unsigned int lf = (at_flags & AT_SYMLINK_FOLLOW) ? VFS_LOOKUP_FOLLOW : 0;
	int err;

	if ((err = vfs_lookup(p, olddirfd, oldpath, lf, &old)) < 0)
		return err;
	if ((err = namei_parent(p, newdirfd, newpath, &nd)) < 0)
		goto out_old;
	err = -EPERM;
	if (S_ISDIR(old->mode) || (old->flags & VFS_I_PSEUDO))
		goto out;
	err = -EEXIST;
	if (nd.last_len == 0 || nd.last_dot || ramfs_dir_find(nd.dir, nd.last, nd.last_len))
		goto out;
	err = -ENOENT;
	if (nd.trailing_slash || old->nlink == 0)
		goto out;
	if ((err = may_create(p, &nd)) == 0)
		err = ramfs_dir_add(nd.dir, nd.last, nd.last_len, old);
out:
	vfs_inode_put(nd.dir);
out_old:
	vfs_inode_put(old);
	return err;
}

/* check_remove: may de be removed from nd->dir (unlink, or rmdir when dir)? */
static int check_remove(struct vfs_proc *p, struct nameidata *nd, struct vfs_dirent *de, bool dir)
{
	struct inode *inode = de->inode;

	if (S_ISDIR(inode->mode) != dir)
		return dir ? -ENOTDIR : -EISDIR;
	if (!dir && nd->trailing_slash)
		return -ENOTDIR;
	if ((nd->dir->flags | inode->flags) & VFS_I_PSEUDO)
		return -EPERM;
	if (dir && !ramfs_dir_empty(inode))
		return -ENOTEMPTY;
	return vfs_permission(p, nd->dir, W_OK | X_OK);
}

int vfs_unlink(struct vfs_proc *p, int dirfd, const char *path, unsigned int at_flags)
{
	bool dir = at_flags & AT_REMOVEDIR;
	struct nameidata nd;
	struct vfs_dirent *de;
	int err;

	if ((err = namei_parent(p, dirfd, path, &nd)) < 0)
		return err;
	if (nd.last_len == 0)
		err = dir ? -EBUSY : -EISDIR;
	else if (nd.last_dot)
		err = !dir ? -EISDIR : nd.last_len == 1 ? -EINVAL : -ENOTEMPTY;
	else if (!(de = ramfs_dir_find(nd.dir, nd.last, nd.last_len)))
		err = S_ISDIR(nd.dir->mode) ? -ENOENT : -ENOTDIR;
	else if ((err = check_remove(p, &nd, de, dir)) == 0)
		ramfs_dir_remove(nd.dir, de);
	vfs_inode_put(nd.dir);
	return err;
}

/* is_ancestor(a, d): is directory a equal to d or above it? */
static bool is_ancestor(struct inode *a, struct inode *d)
{
	for (;;) {
		if (a == d)
			return true;
		if (d == d->dir.parent)
			return false;
		d = d->dir.parent;
	}
}

/* rename_check: Linux's rules for replacing an existing target. */
static int rename_check(struct vfs_dirent *from, struct vfs_dirent *to, unsigned int rflags)
{
	if (!to)
		return 0;
	if (rflags & RENAME_NOREPLACE)
		return -EEXIST;
	if (S_ISDIR(from->inode->mode) && !S_ISDIR(to->inode->mode))
		return -ENOTDIR;
	if (!S_ISDIR(from->inode->mode) && S_ISDIR(to->inode->mode))
		return -EISDIR;
	if (S_ISDIR(to->inode->mode) && !ramfs_dir_empty(to->inode))
		return -ENOTEMPTY;
	return 0;
}

int vfs_rename(struct vfs_proc *p, int olddirfd, const char *oldpath, int newdirfd,
	       const char *newpath, unsigned int rflags)
{
	struct nameidata o, n;
	struct vfs_dirent *from, *to;
	int err;

	if (rflags & ~(unsigned int)RENAME_NOREPLACE)
		return -EINVAL;
	if ((err = namei_parent(p, olddirfd, oldpath, &o)) < 0)
		return err;
	if ((err = namei_parent(p, newdirfd, newpath, &n)) < 0)
		goto out_old;
	err = -EBUSY;
	if (o.last_len == 0 || n.last_len == 0 || o.last_dot || n.last_dot)
		goto out;
	err = -ENOENT;
	if (!(from = ramfs_dir_find(o.dir, o.last, o.last_len)))
		goto out;
	to = ramfs_dir_find(n.dir, n.last, n.last_len);
	err = 0;
	if (to && to->inode == from->inode)
		goto out;           /* same file: nothing to do */
	err = -ENOTDIR;
	if ((o.trailing_slash || n.trailing_slash) && !S_ISDIR(from->inode->mode))
		goto out;
	err = -EPERM;
	if ((o.dir->flags | n.dir->flags | from->inode->flags) & VFS_I_PSEUDO)
		goto out;
	err = -EINVAL;
	if (S_ISDIR(from->inode->mode) && is_ancestor(from->inode, n.dir))
		goto out;
	if ((err = rename_check(from, to, rflags)) < 0 ||
	    (err = vfs_permission(p, o.dir, W_OK | X_OK)) < 0 ||
	    (err = vfs_permission(p, n.dir, W_OK | X_OK)) < 0)
		goto out;
	if (to)
		ramfs_dir_remove(n.dir, to);
	err = ramfs_dir_move(o.dir, from, n.dir, n.last, n.last_len);
out:
	vfs_inode_put(n.dir);
out_old:
	vfs_inode_put(o.dir);
	return err;
}

long vfs_readlink(struct vfs_proc *p, int dirfd, const char *path, char *buf, size_t size)
{
	struct inode *inode;
	long n;
	int err;

	if ((err = vfs_lookup(p, dirfd, path, 0, &inode)) < 0)
		return err;
	if (!S_ISLNK(inode->mode)) {
		n = -EINVAL;
	} else if (inode->pseudo) {
		n = pseudo_readlink(inode, buf, size);
	} else {
		n = inode->size < size ? (long)inode->size : (long)size;
		memcpy(buf, inode->lnk.target, (size_t)n);
	}
	vfs_inode_put(inode);
	return n;
}
