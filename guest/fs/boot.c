/* boot.c: the root directory, /dev, and unpacking the initrd (newc cpio) at boot. */
#include "fs_env.h"
#include <modvisor/cpio.h>
#include <modvisor/abi/bootinfo.h>

static struct inode *root_dir;

/* A regular file of the archive with nlink >= 2, for later hard links. */
struct initrd_link {
	struct initrd_link *next;
	uint32_t ino, devmajor, devminor;
	struct inode *inode;        /* referenced */
};

struct inode *vfs_root(void)
{
	return root_dir;
}

/* make_dev: a character device node in /dev. */
static void make_dev(struct inode *dev, const char *name, uint32_t rdev, uint32_t mode)
{
	struct inode *inode = ramfs_new_inode(S_IFCHR | mode);

	FS_BUG_ON(!inode);
	inode->rdev = rdev;
	inode->fops = devices_ops(rdev);
	FS_BUG_ON(ramfs_dir_add(dev, name, strlen(name), inode) < 0);
}

void vfs_init(uint32_t boot_flags)
{
	struct inode *dev;

	root_dir = ramfs_new_inode(S_IFDIR | 0755);
	FS_BUG_ON(!root_dir);
	root_dir->nlink = 2;
	root_dir->refs = 1;         /* never freed */
	FS_BUG_ON(vfs_mkdir(NULL, AT_FDCWD, "/dev", 0755) < 0);
	FS_BUG_ON(vfs_lookup(NULL, AT_FDCWD, "/dev", 0, &dev) < 0);
	make_dev(dev, "console", (5u << 8) | 1, 0600);
	make_dev(dev, "null", (1u << 8) | 3, 0666);
	make_dev(dev, "zero", (1u << 8) | 5, 0666);
	vfs_inode_put(dev);
	procfs_init(boot_flags);
}

/* unpack_error: format "initrd: entry 'NAME' at offset 0x..: WHY". */
static int unpack_error(char *err, size_t errlen, const struct cpio_entry *e, const char *why, int code)
{
	snprintf(err, errlen, "initrd: entry '%s' at offset 0x%zx: %s", e->name, e->offset, why);
	return code;
}

/* make_parents: mkdir -p of every directory above path (mode 0755). */
static int make_parents(const char *path)
{
	size_t n = strlen(path);
	char *buf = kmalloc(n + 1);

	if (!buf)
		return -ENOMEM;
	memcpy(buf, path, n + 1);
	for (size_t i = 1; i < n; i++) {
		if (buf[i] != '/')
			continue;
		buf[i] = '\0';
		vfs_mkdir(NULL, AT_FDCWD, buf, 0755);   /* EEXIST is fine */
		buf[i] = '/';
	}
	kfree(buf);
	return 0;
}

/* replace_existing: like Linux's clean_path: remove a name of another type. */
static void replace_existing(const char *path, uint32_t mode)
{
	struct inode *old;

	if (vfs_lookup(NULL, AT_FDCWD, path, 0, &old) < 0)
		return;
	uint32_t type = old->mode & S_IFMT;
	vfs_inode_put(old);
	if (type == (mode & S_IFMT) && !S_ISLNK(mode))
		return;
	vfs_unlink(NULL, AT_FDCWD, path, type == S_IFDIR ? AT_REMOVEDIR : 0);
}

/* set_attrs: owner, mode and mtime from the archive. */
static void set_attrs(struct inode *inode, const struct cpio_entry *e)
{
	inode->mode = (inode->mode & S_IFMT) | (e->mode & 07777);
	inode->uid = e->uid;
	inode->gid = e->gid;
	inode->mtime_ns = inode->ctime_ns = inode->atime_ns = (int64_t)e->mtime * 1000000000;
}

/* write_data: put an entry's bytes into inode (kernel copy, no user memory). */
static int write_data(struct inode *inode, const struct cpio_entry *e)
{
	int err;

	if (e->size == 0)
		return 0;
	if ((err = ramfs_reserve(inode, e->size)) < 0)
		return err;
	memcpy(inode->reg.data, e->data, e->size);
	inode->size = e->size;
	return 0;
}

/* find_link: an earlier member with the same (dev, ino), as Linux's find_link. */
static struct inode *find_link(struct initrd_link *links, const struct cpio_entry *e)
{
	for (; links; links = links->next)
		if (links->ino == e->ino && links->devmajor == e->devmajor &&
		    links->devminor == e->devminor && S_ISREG(links->inode->mode))
			return links->inode;
	return NULL;
}

/* unpack_regular: create (or hard-link) a regular file and fill it. */
static int unpack_regular(const char *path, const struct cpio_entry *e, struct initrd_link **links)
{
	struct inode *inode = e->nlink >= 2 ? find_link(*links, e) : NULL;
	struct nameidata nd;
	int err;

	replace_existing(path, e->mode);
	if (inode) {
		if ((err = namei_parent(NULL, AT_FDCWD, path, &nd)) < 0)
			return err;
		err = ramfs_dir_find(nd.dir, nd.last, nd.last_len) ? -EEXIST :
		      ramfs_dir_add(nd.dir, nd.last, nd.last_len, inode);
		vfs_inode_put(nd.dir);
		return err < 0 ? err : write_data(inode, e);
	}
	struct file *f;
	if ((err = vfs_open(NULL, AT_FDCWD, path, O_WRONLY | O_CREAT | O_TRUNC, e->mode, &f)) < 0)
		return err;
	inode = f->inode;
	set_attrs(inode, e);
	err = write_data(inode, e);
	if (err == 0 && e->nlink >= 2) {
		struct initrd_link *l = kmalloc(sizeof(*l));
		if (!l) {
			err = -ENOMEM;
		} else {
			*l = (struct initrd_link){ *links, e->ino, e->devmajor, e->devminor, inode };
			vfs_inode_get(inode);
			*links = l;
		}
	}
	vfs_file_put(f);
	return err;
}

/* unpack_other: a directory, symlink or device node. */
static int unpack_other(const char *path, const struct cpio_entry *e)
{
	struct inode *inode;
	int err;

	replace_existing(path, e->mode);
	if (S_ISDIR(e->mode)) {
		err = path[0] ? vfs_mkdir(NULL, AT_FDCWD, path, e->mode) : 0;
		if (err == -EEXIST)
			err = 0;
	} else if (S_ISLNK(e->mode)) {
		char *target;
		if (e->size == 0 || e->size >= VFS_PATH_MAX || memchr(e->data, 0, e->size))
			return -ENAMETOOLONG;
		if (!(target = kmalloc(e->size + 1)))
			return -ENOMEM;
		memcpy(target, e->data, e->size);
		target[e->size] = '\0';
		err = vfs_symlink(NULL, target, AT_FDCWD, path);
		kfree(target);
	} else if (vfs_lookup(NULL, AT_FDCWD, path, 0, &inode) == 0) {
		vfs_inode_put(inode);   /* a node of the same type exists: keep it */
		err = 0;
	} else {
		struct nameidata nd;
		if ((err = namei_parent(NULL, AT_FDCWD, path, &nd)) < 0)
			return err;
		err = -ENOMEM;
		if ((inode = ramfs_new_inode(e->mode & (S_IFMT | 07777))) != NULL) {
			inode->rdev = (e->rdevmajor << 8) | (e->rdevminor & 0xff);
			if (S_ISCHR(e->mode))
				inode->fops = devices_ops(inode->rdev);
			if ((err = ramfs_dir_add(nd.dir, nd.last, nd.last_len, inode)) < 0)
				kfree(inode);
		}
		vfs_inode_put(nd.dir);
	}
	if (err < 0)
		return err;
	if ((err = vfs_lookup(NULL, AT_FDCWD, path[0] ? path : "/", 0, &inode)) < 0)
		return err;
	if (!S_ISLNK(e->mode) && !(inode->flags & VFS_I_PSEUDO))
		set_attrs(inode, e);
	vfs_inode_put(inode);
	return 0;
}

/* entry_path: "/"-relative path of a member: "./bin/x", "/bin/x", "bin/x" -> "bin/x". */
static const char *entry_path(const char *name)
{
	for (;;) {
		if (name[0] == '/')
			name++;
		else if (name[0] == '.' && name[1] == '/')
			name += 2;
		else if (name[0] == '.' && name[1] == '\0')
			name++;
		else
			return name;
	}
}

static const char *errno_text(int err)
{
	switch (-err) {
	case ENOENT:       return "a parent is missing (ENOENT)";
	case ENOTDIR:      return "a parent is not a directory (ENOTDIR)";
	case EEXIST:       return "the name exists with another type (EEXIST)";
	case EISDIR:       return "a directory of that name stays (EISDIR)";
	case ENOMEM:       return "out of memory (ENOMEM)";
	case ENOSPC:       return "out of memory (ENOSPC)";
	case ENAMETOOLONG: return "bad symlink target length (ENAMETOOLONG)";
	case ENOTEMPTY:    return "replaces a non-empty directory (ENOTEMPTY)";
	case EPERM:        return "replaces a /proc or /sys entry (EPERM)";
	default:           return "cannot create it";
	}
}

/*
 * set_dir_times: adding names updated the directories' mtimes, so set them
 * from the archive once everything is in, as Linux's dir_utime() does.
 */
static void set_dir_times(const void *initrd, size_t len)
{
	struct cpio_reader r;
	struct cpio_entry e;
	struct inode *dir;

	cpio_init(&r, initrd, len);
	while (cpio_next(&r, &e) == 1) {
		const char *path = entry_path(e.name);
		if (!S_ISDIR(e.mode) || vfs_lookup(NULL, AT_FDCWD, path[0] ? path : "/", 0, &dir) < 0)
			continue;
		if (S_ISDIR(dir->mode))
			dir->mtime_ns = (int64_t)e.mtime * 1000000000;
		vfs_inode_put(dir);
	}
}

int vfs_unpack_initrd(const void *initrd, size_t len, char *err, size_t errlen)
{
	struct initrd_link *links = NULL;
	struct cpio_reader r;
	struct cpio_entry e;
	int ret;

	cpio_init(&r, initrd, len);
	while ((ret = cpio_next(&r, &e)) == 1) {
		const char *path = entry_path(e.name);
		ret = path[0] ? make_parents(path) : 0;
		if (ret == 0 && S_ISREG(e.mode))
			ret = unpack_regular(path[0] ? path : "/", &e, &links);
		else if (ret == 0)
			ret = unpack_other(path, &e);
		if (ret == -ENOMEM || ret == -ENOSPC) {
			snprintf(err, errlen, "initrd: out of memory unpacking /%s", path);
			break;
		}
		if (ret < 0) {
			unpack_error(err, errlen, &e, errno_text(ret), ret);
			break;
		}
	}
	if (ret == 0)
		set_dir_times(initrd, len);
	if (ret < 0 && r.error) {
		char why[160];
		snprintf(err, errlen, "initrd: malformed cpio archive: %s",
			 cpio_strerror(&r, why, sizeof(why)));
	}
	while (links) {
		struct initrd_link *next = links->next;
		vfs_inode_put(links->inode);
		kfree(links);
		links = next;
	}
	return ret < 0 ? ret : 0;
}
