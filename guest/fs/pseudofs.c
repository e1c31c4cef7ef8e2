/* pseudofs.c: pseudo directories and files for /proc and /sys: show/store callbacks. */
#include "fs_env.h"
#include "pseudofs.h"

#define PSEUDO_WRITE_MAX 4095u

struct pseudo_node {
	pseudo_show_fn show;
	pseudo_store_fn store;
	void *priv;
	struct inode *parent;       /* the directory naming this file */
};

/* The per-open snapshot of a pseudo file. */
struct pseudo_open {
	struct pseudo_buf buf;
	bool filled;
};

int pbuf_write(struct pseudo_buf *b, const void *data, size_t n)
{
	if (b->err)
		return b->err;
	if (b->len + n > b->cap) {
		size_t cap = b->cap ? b->cap : 256;
		while (cap < b->len + n)
			cap *= 2;
		char *d = kmalloc(cap);
		if (!d)
			return b->err = -ENOMEM;
		if (b->len)
			memcpy(d, b->data, b->len);
		kfree(b->data);
		b->data = d;
		b->cap = cap;
	}
	memcpy(b->data + b->len, data, n);
	b->len += n;
	return 0;
}

int pbuf_printf(struct pseudo_buf *b, const char *fmt, ...)
{
	char small[256];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(small, sizeof(small), fmt, ap);
	va_end(ap);
	if (n < 0)
		return b->err = -EINVAL;
	if ((size_t)n < sizeof(small))
		return pbuf_write(b, small, (size_t)n);
	char *big = kmalloc((size_t)n + 1);
	if (!big)
		return b->err = -ENOMEM;
	va_start(ap, fmt);
	vsnprintf(big, (size_t)n + 1, fmt, ap);
	va_end(ap);
	int err = pbuf_write(b, big, (size_t)n);
	kfree(big);
	return err;
}

/* pseudo_add: a new pseudo inode of mode under dir/name. */
static struct inode *pseudo_add(struct inode *dir, const char *name, uint32_t mode,
				pseudo_show_fn show, pseudo_store_fn store, void *priv, int *err)
{
	size_t len = strlen(name);
	struct inode *inode;

	*err = -EINVAL;
	if (!dir || !S_ISDIR(dir->mode) || len == 0 || len > VFS_NAME_MAX || strchr(name, '/'))
		return NULL;
	*err = -EEXIST;
	if (ramfs_dir_find(dir, name, len))
		return NULL;
	*err = -ENOMEM;
	if (!(inode = ramfs_new_inode(mode)))
		return NULL;
	inode->flags |= VFS_I_PSEUDO;
	inode->dev = dir->dev;
	if (!S_ISDIR(mode)) {
		inode->pseudo = kzalloc(sizeof(*inode->pseudo));
		if (!inode->pseudo) {
			kfree(inode);
			return NULL;
		}
		*inode->pseudo = (struct pseudo_node){ show, store, priv, dir };
		if (S_ISREG(mode))
			inode->fops = &pseudo_file_ops;
	}
	if ((*err = ramfs_dir_add(dir, name, len, inode)) < 0) {
		kfree(inode->pseudo);
		kfree(inode);
		return NULL;
	}
	return inode;
}

struct inode *pseudo_mkdir(struct inode *parent, const char *name, uint32_t mode)
{
	struct vfs_dirent *de;
	int err;

	if (parent && S_ISDIR(parent->mode) &&
	    (de = ramfs_dir_find(parent, name, strlen(name))) != NULL)
		return S_ISDIR(de->inode->mode) && (de->inode->flags & VFS_I_PSEUDO) ? de->inode : NULL;
	return pseudo_add(parent, name, S_IFDIR | (mode & 07777), NULL, NULL, NULL, &err);
}

struct inode *sysfs_create_dir(const char *path)
{
	struct inode *dir = sysfs_root();
	char name[VFS_NAME_MAX + 1];

	while (dir && *path) {
		size_t n = 0;
		while (path[n] && path[n] != '/')
			n++;
		if (n == 0 || n > VFS_NAME_MAX)
			return NULL;
		memcpy(name, path, n);
		name[n] = '\0';
		dir = pseudo_mkdir(dir, name, 0755);
		path += n;
		while (*path == '/')
			path++;
	}
	return dir;
}

int pseudo_create_file(struct inode *dir, const char *name, uint32_t mode,
		       pseudo_show_fn show, pseudo_store_fn store, void *priv)
{
	int err;
	pseudo_add(dir, name, S_IFREG | (mode & 07777), show, store, priv, &err);
	return err;
}

struct inode *pseudo_create_ops(struct inode *dir, const char *name, uint32_t mode,
				const struct file_ops *fops, void *priv, int *err)
{
	struct inode *inode = pseudo_add(dir, name, S_IFREG | (mode & 07777), NULL, NULL, priv, err);

	if (inode)
		inode->fops = fops;
	return inode;
}

void *pseudo_priv(const struct inode *inode)
{
	return inode->pseudo && !(inode->flags & VFS_I_DEAD) ? inode->pseudo->priv : NULL;
}

struct inode *pseudo_child(struct inode *dir, const char *name, size_t len)
{
	struct vfs_dirent *de = S_ISDIR(dir->mode) ? ramfs_dir_find(dir, name, len) : NULL;

	return de ? de->inode : NULL;
}

int pseudo_create_link(struct inode *dir, const char *name, pseudo_show_fn target, void *priv)
{
	int err;
	pseudo_add(dir, name, S_IFLNK | 0777, target, NULL, priv, &err);
	return err;
}

/* pseudo_kill: cut an inode off its callbacks; open files see ENODEV. */
static void pseudo_kill(struct inode *inode)
{
	inode->flags |= VFS_I_DEAD;
	if (inode->pseudo)
		*inode->pseudo = (struct pseudo_node){ .parent = inode->pseudo->parent };
}

void pseudo_remove(struct inode *node)
{
	struct inode *parent;
	struct vfs_dirent *de;

	if (!node || !(node->flags & VFS_I_PSEUDO) || (node->flags & VFS_I_DEAD))
		return;
	if (S_ISDIR(node->mode)) {
		while (node->dir.head) {
			struct inode *child = node->dir.head->inode;
			if (child->flags & VFS_I_PSEUDO)
				pseudo_remove(child);
			else
				ramfs_dir_remove(node, node->dir.head);
		}
		parent = node->dir.parent;
	} else {
		parent = node->pseudo->parent;
	}
	pseudo_kill(node);
	for (de = parent->dir.head; de && de->inode != node; de = de->next)
		;
	if (de)
		ramfs_dir_remove(parent, de);
}

void pseudo_remove_name(struct inode *dir, const char *name)
{
	struct vfs_dirent *de = dir ? ramfs_dir_find(dir, name, strlen(name)) : NULL;

	if (de)
		pseudo_remove(de->inode);
}

/* pseudo_fill: run show into the open's snapshot. */
static int pseudo_fill(struct file *f, struct pseudo_open *po)
{
	struct pseudo_node *pn = f->inode->pseudo;

	if (po->filled)
		return 0;
	po->filled = true;
	if (f->inode->flags & VFS_I_DEAD)
		return -ENODEV;
	int err = pn->show ? pn->show(&po->buf, pn->priv) : 0;
	return err < 0 ? err : po->buf.err;
}

static int pseudo_open(struct file *f)
{
	struct pseudo_node *pn = f->inode->pseudo;
	struct pseudo_open *po;

	if ((f->readable && !pn->show) || (f->writable && !pn->store))
		return -EACCES;
	if (!(po = kzalloc(sizeof(*po))))
		return -ENOMEM;
	f->priv = po;
	if (f->readable)
		return pseudo_fill(f, po);
	return 0;
}

static void pseudo_release(struct file *f)
{
	struct pseudo_open *po = f->priv;

	if (po)
		kfree(po->buf.data);
	kfree(po);
}

static long pseudo_read(struct file *f, struct vfs_iobuf *buf, uint64_t off)
{
	struct pseudo_open *po = f->priv;
	size_t n;
	int err;

	if ((err = pseudo_fill(f, po)) < 0)
		return err;
	if (off >= po->buf.len)
		return 0;
	n = po->buf.len - off < buf->len ? po->buf.len - off : buf->len;
	if ((err = iobuf_copy_out(buf, 0, po->buf.data + off, n)) < 0)
		return err;
	return (long)n;
}

static long pseudo_write(struct file *f, struct vfs_iobuf *buf, uint64_t off)
{
	struct pseudo_node *pn = f->inode->pseudo;
	char *kbuf;
	long r;

	(void)off;
	if (f->inode->flags & VFS_I_DEAD)
		return -ENODEV;
	if (buf->len > PSEUDO_WRITE_MAX)
		return -EINVAL;
	if (!(kbuf = kmalloc(buf->len + 1)))
		return -ENOMEM;
	r = iobuf_copy_in(kbuf, buf, 0, buf->len);
	if (r == 0) {
		kbuf[buf->len] = '\0';
		r = pn->store(kbuf, buf->len, pn->priv);
	}
	kfree(kbuf);
	return r;
}

const struct file_ops pseudo_file_ops = {
	.open = pseudo_open,
	.read = pseudo_read,
	.write = pseudo_write,
	.release = pseudo_release,
	.seekable = true,
};

/* pseudo_readlink(inode, buf, size): a pseudo symlink's generated target. */
long pseudo_readlink(struct inode *inode, char *buf, size_t size)
{
	struct pseudo_node *pn = inode->pseudo;
	struct pseudo_buf b = { 0 };
	long n;

	if ((inode->flags & VFS_I_DEAD) || !pn->show)
		return -ENOENT;
	int err = pn->show(&b, pn->priv);
	if (err == 0)
		err = b.err;
	if (err < 0) {
		kfree(b.data);
		return err;
	}
	n = b.len < size ? (long)b.len : (long)size;
	memcpy(buf, b.data, (size_t)n);
	kfree(b.data);
	return n;
}
