/* ramfs.c: in-memory inodes: directories, growable regular files, symlinks, references. */
#include "fs_env.h"

static uint64_t ramfs_next_ino = 1;

/* The kernel core may provide a clock; without one, timestamps stay 0. */
__attribute__((weak)) int64_t vfs_now_ns(void)
{
	return 0;
}

/* ramfs_new_inode(mode): a fresh inode with no name and no reference. */
struct inode *ramfs_new_inode(uint32_t mode)
{
	struct inode *inode = kzalloc(sizeof(*inode));

	if (!inode)
		return NULL;
	inode->ino = ramfs_next_ino++;
	inode->mode = mode;
	inode->atime_ns = inode->mtime_ns = inode->ctime_ns = vfs_now_ns();
	if (S_ISREG(mode))
		inode->fops = &ramfs_reg_ops;
	else if (S_ISDIR(mode)) {
		inode->fops = &ramfs_dir_ops;
		inode->dir.parent = inode;
		inode->dir.next_cookie = 3;     /* 1 = ".", 2 = ".." */
	} else if (S_ISFIFO(mode)) {
		inode->fops = fs_env_fifo_ops();
	}
	return inode;
}

/* ramfs_free: release an inode nobody names or holds. */
static void ramfs_free(struct inode *inode)
{
	if (S_ISREG(inode->mode))
		fs_env_data_free(inode->reg.data, inode->reg.cap);
	else if (S_ISLNK(inode->mode))
		kfree(inode->lnk.target);
	kfree(inode->pseudo);
	kfree(inode);
}

void vfs_inode_get(struct inode *inode)
{
	inode->refs++;
}

void vfs_inode_put(struct inode *inode)
{
	if (!inode)
		return;
	FS_BUG_ON(inode->refs == 0);
	if (--inode->refs == 0 && inode->nlink == 0)
		ramfs_free(inode);
}

/* ramfs_touch(inode, data): update ctime, and mtime when data changed. */
void ramfs_touch(struct inode *inode, bool data)
{
	int64_t now = vfs_now_ns();

	inode->ctime_ns = now;
	if (data)
		inode->mtime_ns = now;
}

/* ramfs_dir_find(dir, name, len): the entry called name, or NULL. */
struct vfs_dirent *ramfs_dir_find(struct inode *dir, const char *name, size_t len)
{
	for (struct vfs_dirent *de = dir->dir.head; de; de = de->next)
		if (de->name_len == len && !memcmp(de->name, name, len))
			return de;
	return NULL;
}

/*
 * ramfs_dir_add(dir, name, len, inode): link inode into dir under name.
 * The caller has checked that the name is free.  A directory gets its
 * parent pointer and Linux's link counts (2 for itself, +1 in the parent).
 */
int ramfs_dir_add(struct inode *dir, const char *name, size_t len, struct inode *inode)
{
	struct vfs_dirent *de = kmalloc(sizeof(*de) + len + 1);

	if (!de)
		return -ENOMEM;
	memcpy(de->name, name, len);
	de->name[len] = '\0';
	de->name_len = (uint16_t)len;
	de->inode = inode;
	de->cookie = dir->dir.next_cookie++;
	de->next = NULL;
	if (dir->dir.tail)
		dir->dir.tail->next = de;
	else
		dir->dir.head = de;
	dir->dir.tail = de;
	if (S_ISDIR(inode->mode)) {
		inode->dir.parent = dir;
		inode->nlink = 2;
		dir->nlink++;
	} else {
		inode->nlink++;
	}
	ramfs_touch(dir, true);
	ramfs_touch(inode, false);
	return 0;
}

/* ramfs_dir_remove(dir, de): unlink one entry; frees the inode if unused. */
void ramfs_dir_remove(struct inode *dir, struct vfs_dirent *de)
{
	struct vfs_dirent **pp = &dir->dir.head, *prev = NULL;
	struct inode *inode = de->inode;

	while (*pp != de) {
		prev = *pp;
		pp = &(*pp)->next;
	}
	*pp = de->next;
	if (dir->dir.tail == de)
		dir->dir.tail = prev;
	kfree(de);
	if (S_ISDIR(inode->mode)) {
		inode->nlink = 0;
		dir->nlink--;
	} else {
		inode->nlink--;
	}
	ramfs_touch(dir, true);
	ramfs_touch(inode, false);
	if (inode->nlink == 0 && inode->refs == 0)
		ramfs_free(inode);
}

bool ramfs_dir_empty(const struct inode *dir)
{
	return dir->dir.head == NULL;
}

/* ramfs_reserve(inode, size): make room for size bytes of a regular file. */
int ramfs_reserve(struct inode *inode, uint64_t size)
{
	size_t cap = inode->reg.cap ? inode->reg.cap : 64;
	uint8_t *data;

	if (size <= inode->reg.cap)
		return 0;
	if (size > (1ull << 40))
		return -EFBIG;
	/*
	 * The first reservation of an empty file is exact: the initrd unpacks
	 * each file in one write, and a rounded-up capacity would cost up to
	 * half of every big binary (boot_ram.c's minimum counts the bytes).
	 */
	if (!inode->reg.cap && size > cap)
		cap = size;
	while (cap < size)
		cap = cap < (1u << 20) ? cap * 2 : cap + (cap >> 1);
	data = fs_env_data_alloc(&cap);
	if (!data)
		return -ENOSPC;
	if (inode->size)
		memcpy(data, inode->reg.data, inode->size);
	fs_env_data_free(inode->reg.data, inode->reg.cap);
	inode->reg.data = data;
	inode->reg.cap = cap;
	inode->reg.mapped = false;
	return 0;
}

/*
 * ramfs_unshare(inode): before the bytes change, move them to fresh
 * storage if vfs_map_page lent a page of the old: the mappings keep the
 * old pages (the file's references to them go), the file writes the copy.
 */
static int ramfs_unshare(struct inode *inode)
{
	size_t cap = inode->reg.cap;
	uint8_t *data;

	if (!inode->reg.mapped)
		return 0;
	data = fs_env_data_alloc(&cap);
	if (!data)
		return -ENOSPC;
	memcpy(data, inode->reg.data, inode->size);
	fs_env_data_free(inode->reg.data, inode->reg.cap);
	inode->reg.data = data;
	inode->reg.cap = cap;
	inode->reg.mapped = false;
	return 0;
}

int vfs_map_page(struct file *f, uint64_t off, const void **out)
{
	struct inode *inode = f->inode;

	if (inode->fops != &ramfs_reg_ops || inode->pseudo || inode->reg.cap < FS_PAGE_SIZE)
		return -EOPNOTSUPP;
	if (off % FS_PAGE_SIZE || off >= inode->size || inode->size - off < FS_PAGE_SIZE)
		return -EINVAL;
	if (fs_env_page_get(inode->reg.data + off))
		return -ENOMEM;
	inode->reg.mapped = true;
	*out = inode->reg.data + off;
	return 0;
}

int vfs_truncate(struct inode *inode, uint64_t len)
{
	int err;

	if (S_ISDIR(inode->mode))
		return -EISDIR;
	if (!S_ISREG(inode->mode) || inode->pseudo)
		return -EINVAL;
	if ((err = ramfs_reserve(inode, len)) < 0 || (err = ramfs_unshare(inode)) < 0)
		return err;
	if (len > inode->size)
		memset(inode->reg.data + inode->size, 0, len - inode->size);
	inode->size = len;
	ramfs_touch(inode, true);
	return 0;
}

/* ramfs_set_symlink(inode, target, len): store a symlink's target. */
int ramfs_set_symlink(struct inode *inode, const char *target, size_t len)
{
	char *t = kmalloc(len + 1);

	if (!t)
		return -ENOMEM;
	memcpy(t, target, len);
	t[len] = '\0';
	kfree(inode->lnk.target);
	inode->lnk.target = t;
	inode->size = len;
	return 0;
}

static long ramfs_reg_read(struct file *f, struct vfs_iobuf *buf, uint64_t off)
{
	struct inode *inode = f->inode;
	size_t n;
	int err;

	if (off >= inode->size)
		return 0;
	n = inode->size - off < buf->len ? inode->size - off : buf->len;
	if ((err = iobuf_copy_out(buf, 0, inode->reg.data + off, n)) < 0)
		return err;
	return (long)n;
}

static long ramfs_reg_write(struct file *f, struct vfs_iobuf *buf, uint64_t off)
{
	struct inode *inode = f->inode;
	uint64_t end;
	int err;

	if (buf->len == 0)
		return 0;
	if (__builtin_add_overflow(off, (uint64_t)buf->len, &end) || (int64_t)end < 0)
		return -EFBIG;
	if ((err = ramfs_reserve(inode, end)) < 0 || (err = ramfs_unshare(inode)) < 0)
		return err;
	if (off > inode->size)
		memset(inode->reg.data + inode->size, 0, off - inode->size);
	if ((err = iobuf_copy_in(inode->reg.data + off, buf, 0, buf->len)) < 0)
		return err;     /* Linux may keep a partial write; we keep none */
	if (end > inode->size)
		inode->size = end;
	ramfs_touch(inode, true);
	return (long)buf->len;
}

static long ramfs_dir_read(struct file *f, struct vfs_iobuf *buf, uint64_t off)
{
	(void)f, (void)buf, (void)off;
	return -EISDIR;
}

const struct file_ops ramfs_reg_ops = {
	.read = ramfs_reg_read,
	.write = ramfs_reg_write,
	.seekable = true,
};

const struct file_ops ramfs_dir_ops = {
	.read = ramfs_dir_read,
	.seekable = true,
};

/* ramfs_dir_move(olddir, de, newdir, name, len): rename: move entry de to newdir/name. */
int ramfs_dir_move(struct inode *olddir, struct vfs_dirent *de, struct inode *newdir,
		   const char *name, size_t len)
{
	struct inode *inode = de->inode;
	uint32_t nlink = inode->nlink;
	int err;

	/* A reference keeps a directory alive while remove zeroes its count. */
	if ((err = ramfs_dir_add(newdir, name, len, inode)) < 0)
		return err;
	vfs_inode_get(inode);
	ramfs_dir_remove(olddir, de);
	if (S_ISDIR(inode->mode)) {
		inode->nlink = nlink;
		inode->dir.parent = newdir;
	}
	vfs_inode_put(inode);
	return 0;
}
