/* namei.c: the path walk: absolute/relative paths, ".", "..", symlinks (ELOOP), trailing slashes. */
#include "fs_env.h"

static int resolve(struct vfs_proc *p, struct inode *start, const char *path,
		   bool follow, int *depth, struct inode **out);

/*
 * vfs_permission(p, inode, mask): may p access inode for mask (R_OK, W_OK,
 * X_OK bits)?  Root bypasses the permission bits as with CAP_DAC_OVERRIDE,
 * except that executing a non-directory needs at least one x bit.
 */
int vfs_permission(struct vfs_proc *p, const struct inode *inode, int mask)
{
	uint32_t uid = p ? p->uid : 0, gid = p ? p->gid : 0, bits;

	if (uid == 0) {
		if ((mask & X_OK) && !S_ISDIR(inode->mode) && !(inode->mode & 0111))
			return -EACCES;
		return 0;
	}
	if (uid == inode->uid)
		bits = (inode->mode >> 6) & 7;
	else if (gid == inode->gid)
		bits = (inode->mode >> 3) & 7;
	else
		bits = inode->mode & 7;
	return ((uint32_t)mask & ~bits) ? -EACCES : 0;
}

/* namei_start(p, dirfd, path, out): the directory a path starts from (referenced). */
int namei_start(struct vfs_proc *p, int dirfd, const char *path, struct inode **out)
{
	struct inode *dir;

	if (path[0] == '/' || !p) {
		dir = path[0] == '/' || !p ? vfs_root() : p->cwd;
	} else if (dirfd == AT_FDCWD) {
		dir = p->cwd;
	} else {
		struct file *f = fdt_get(p, dirfd);
		if (!f)
			return -EBADF;
		dir = f->inode;
		if (!S_ISDIR(dir->mode))
			return -ENOTDIR;
	}
	vfs_inode_get(dir);
	*out = dir;
	return 0;
}

/* symlink_target: a symlink's text; pseudo links (/proc/self/exe) are generated. */
int namei_symlink_target(struct inode *link, char **target, bool *allocated)
{
	*allocated = false;
	if (!link->pseudo) {
		*target = link->lnk.target;
		return 0;
	}
	char *buf = kmalloc(VFS_PATH_MAX);
	if (!buf)
		return -ENOMEM;
	long n = pseudo_readlink(link, buf, VFS_PATH_MAX - 1);
	if (n < 0) {
		kfree(buf);
		return (int)n;
	}
	buf[n] = '\0';
	*target = buf;
	*allocated = true;
	return 0;
}

/* namei_follow(p, dir, link, out, depth): resolve symlink link found in dir. */
int namei_follow(struct vfs_proc *p, struct inode *dir, struct inode *link,
		 struct inode **out, int *depth)
{
	char *target = NULL;
	bool allocated;
	int err;

	if (++*depth > VFS_SYMLOOP_MAX)
		return -ELOOP;
	if ((err = namei_symlink_target(link, &target, &allocated)) < 0)
		return err;
	err = resolve(p, dir, target, true, depth, out);
	if (allocated)
		kfree(target);
	return err;
}

/* step: look name up in dir; follow a symlink result if asked. */
int namei_step(struct vfs_proc *p, struct inode *dir, const char *name, size_t len,
		bool follow, int *depth, struct inode **out)
{
	struct inode *child;
	int err;

	if (!S_ISDIR(dir->mode))
		return -ENOTDIR;
	if ((err = vfs_permission(p, dir, X_OK)) < 0)
		return err;
	if (len > VFS_NAME_MAX)
		return -ENAMETOOLONG;
	if (len == 1 && name[0] == '.') {
		child = dir;
	} else if (len == 2 && name[0] == '.' && name[1] == '.') {
		child = dir->dir.parent;
	} else {
		struct vfs_dirent *de = ramfs_dir_find(dir, name, len);
		if (!de)
			return -ENOENT;
		child = de->inode;
	}
	if (follow && S_ISLNK(child->mode))
		return namei_follow(p, dir, child, out, depth);
	vfs_inode_get(child);
	*out = child;
	return 0;
}

/* walk_parent: resolve every component but the last, starting at start. */
static int walk_parent(struct vfs_proc *p, struct inode *start, const char *path,
		       int *depth, struct nameidata *nd)
{
	struct inode *cur = path[0] == '/' ? vfs_root() : start;
	const char *s = path;

	if (path[0] == '\0')
		return -ENOENT;
	vfs_inode_get(cur);
	for (;;) {
		while (*s == '/')
			s++;
		const char *e = s;
		while (*e && *e != '/')
			e++;
		const char *next = e;
		while (*next == '/')
			next++;
		if (*next == '\0') {
			nd->dir = cur;
			nd->last = s;
			nd->last_len = (size_t)(e - s);
			nd->trailing_slash = e != next;
			nd->last_dot = (e - s == 1 && s[0] == '.') ||
				       (e - s == 2 && s[0] == '.' && s[1] == '.');
			if (nd->last_len > VFS_NAME_MAX) {
				vfs_inode_put(cur);
				return -ENAMETOOLONG;
			}
			return 0;
		}
		struct inode *child;
		int err = namei_step(p, cur, s, (size_t)(e - s), true, depth, &child);
		vfs_inode_put(cur);
		if (err < 0)
			return err;
		if (!S_ISDIR(child->mode)) {
			vfs_inode_put(child);
			return -ENOTDIR;
		}
		cur = child;
		s = next;
	}
}

/* lookup_last: resolve nd's final component. */
static int lookup_last(struct vfs_proc *p, struct nameidata *nd, bool follow, int *depth,
		       struct inode **out)
{
	int err;

	if (nd->last_len == 0) {        /* "/" */
		vfs_inode_get(nd->dir);
		*out = nd->dir;
		return 0;
	}
	err = namei_step(p, nd->dir, nd->last, nd->last_len, follow || nd->trailing_slash, depth, out);
	if (err == 0 && nd->trailing_slash && !S_ISDIR((*out)->mode)) {
		vfs_inode_put(*out);
		return -ENOTDIR;
	}
	return err;
}

static int resolve(struct vfs_proc *p, struct inode *start, const char *path,
		   bool follow, int *depth, struct inode **out)
{
	struct nameidata nd;
	int err = walk_parent(p, start, path, depth, &nd);

	if (err < 0)
		return err;
	err = lookup_last(p, &nd, follow, depth, out);
	vfs_inode_put(nd.dir);
	return err;
}

/* namei_parent_at(p, start, path, depth, nd): walk_parent for the open path loop. */
int namei_parent_at(struct vfs_proc *p, struct inode *start, const char *path, int *depth,
		    struct nameidata *nd)
{
	return walk_parent(p, start, path, depth, nd);
}

/* namei_parent(p, dirfd, path, nd): the parent directory and final name of path. */
int namei_parent(struct vfs_proc *p, int dirfd, const char *path, struct nameidata *nd)
{
	struct inode *start;
	int depth = 0, err;

	if (path[0] == '\0')
		return -ENOENT;
	if ((err = namei_start(p, dirfd, path, &start)) < 0)
		return err;
	err = walk_parent(p, start, path, &depth, nd);
	vfs_inode_put(start);
	return err;
}

int vfs_lookup(struct vfs_proc *p, int dirfd, const char *path, unsigned int lflags,
	       struct inode **out)
{
	struct inode *start;
	int depth = 0, err;

	if (path[0] == '\0')
		return -ENOENT;
	if ((err = namei_start(p, dirfd, path, &start)) < 0)
		return err;
	err = resolve(p, start, path, lflags & VFS_LOOKUP_FOLLOW, &depth, out);
	vfs_inode_put(start);
	if (err == 0 && (lflags & VFS_LOOKUP_DIR) && !S_ISDIR((*out)->mode)) {
		vfs_inode_put(*out);
		return -ENOTDIR;
	}
	return err;
}

/* name_in_parent: the entry of parent that names dir. */
static struct vfs_dirent *name_in_parent(struct inode *parent, struct inode *dir)
{
	for (struct vfs_dirent *de = parent->dir.head; de; de = de->next)
		if (de->inode == dir)
			return de;
	return NULL;
}

long vfs_dir_path(struct inode *dir, char *buf, size_t size)
{
	size_t at = size;

	if (size < 2)
		return -ERANGE;
	buf[--at] = '\0';
	if (dir->nlink == 0)
		return -ENOENT;     /* removed: Linux's getcwd says ENOENT */
	while (dir != vfs_root()) {
		struct inode *parent = dir->dir.parent;
		struct vfs_dirent *de = name_in_parent(parent, dir);
		if (!de)
			return -ENOENT;
		if (at < (size_t)de->name_len + 1)
			return -ERANGE;
		at -= de->name_len;
		memcpy(buf + at, de->name, de->name_len);
		buf[--at] = '/';
		dir = parent;
	}
	if (at == size - 1)
		buf[--at] = '/';
	memmove(buf, buf + at, size - at);
	return (long)(size - at - 1);
}

/* vfs_inode_path(dir, name, len, buf, size): "<path of dir>/name". */
long vfs_inode_path(struct inode *dir, const char *name, size_t len, char *buf, size_t size)
{
	long n = vfs_dir_path(dir, buf, size);

	if (n < 0)
		return n;
	if (len == 0)
		return n;
	if (n == 1)
		n = 0;              /* "/" + name, not "//name" */
	if ((size_t)n + 1 + len + 1 > size)
		return -ENAMETOOLONG;
	buf[n] = '/';
	memcpy(buf + n + 1, name, len);
	buf[n + 1 + len] = '\0';
	return n + 1 + (long)len;
}
