/* sys_path.c: path syscalls: stat family, getdents64, readlink, access, cwd, mkdir, unlink, rename, links. */
#include "fs_env.h"
#include "fs_sys.h"
#include "syscalls.h"
#include "uaccess.h"

void vfs_fill_stat(const struct inode *inode, struct linux_stat *st)
{
	*st = (struct linux_stat){ 0 };
	st->st_dev = 0x15 + inode->dev;     /* distinct per tree, for df and find -xdev */
	st->st_ino = inode->ino;
	st->st_nlink = inode->nlink;
	st->st_mode = inode->mode;
	st->st_uid = inode->uid;
	st->st_gid = inode->gid;
	st->st_rdev = inode->rdev;
	st->st_size = (int64_t)(inode->pseudo ? 0 : inode->size);
	st->st_blksize = 4096;
	st->st_blocks = (st->st_size + 511) / 512;
	st->st_atime_sec = (uint64_t)inode->atime_ns / 1000000000;
	st->st_atime_nsec = (uint64_t)inode->atime_ns % 1000000000;
	st->st_mtime_sec = (uint64_t)inode->mtime_ns / 1000000000;
	st->st_mtime_nsec = (uint64_t)inode->mtime_ns % 1000000000;
	st->st_ctime_sec = (uint64_t)inode->ctime_ns / 1000000000;
	st->st_ctime_nsec = (uint64_t)inode->ctime_ns % 1000000000;
}

/* stat_lookup: the inode of an *at() path with AT_EMPTY_PATH / AT_SYMLINK_NOFOLLOW. */
static int stat_lookup(int dirfd, uaddr_t upath, unsigned int flags, struct inode **out)
{
	struct vfs_proc *p = vfs_current();
	char *path = NULL;
	int err;

	if (flags & ~(unsigned int)(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH | AT_NO_AUTOMOUNT |
				    AT_STATX_SYNC_TYPE))
		return -EINVAL;
	if ((err = fs_getname(upath, &path)) < 0)
		return err;
	if (path[0] == '\0' && (flags & AT_EMPTY_PATH)) {
		struct file *f;
		if (dirfd == AT_FDCWD) {
			*out = p->cwd;
			vfs_inode_get(*out);
		} else if ((err = fs_fd(dirfd, &f)) == 0) {
			*out = f->inode;
			vfs_inode_get(*out);
		}
	} else {
		err = vfs_lookup(p, dirfd, path, (flags & AT_SYMLINK_NOFOLLOW) ? 0 : VFS_LOOKUP_FOLLOW, out);
	}
	kfree(path);
	return err;
}

static long put_stat(struct inode *inode, uaddr_t ubuf)
{
	struct linux_stat st;

	vfs_fill_stat(inode, &st);
	vfs_inode_put(inode);
	return copy_to_user(ubuf, &st, sizeof(st));
}

static long sys_newfstatat(uint64_t dirfd, uint64_t path, uint64_t buf, uint64_t flags)
{
	struct inode *inode;
	int err = stat_lookup((int)dirfd, path, (unsigned int)flags, &inode);
	return err < 0 ? err : put_stat(inode, buf);
}
SYSCALL_REGISTER(262, newfstatat, sys_newfstatat);

static long sys_stat(uint64_t path, uint64_t buf)
{
	return sys_newfstatat((uint64_t)AT_FDCWD, path, buf, 0);
}
SYSCALL_REGISTER(4, stat, sys_stat);

static long sys_lstat(uint64_t path, uint64_t buf)
{
	return sys_newfstatat((uint64_t)AT_FDCWD, path, buf, AT_SYMLINK_NOFOLLOW);
}
SYSCALL_REGISTER(6, lstat, sys_lstat);

static long sys_fstat(uint64_t fd, uint64_t buf)
{
	struct file *f;
	int err = fs_fd((int)fd, &f);

	if (err < 0)
		return err;
	vfs_inode_get(f->inode);
	return put_stat(f->inode, buf);
}
SYSCALL_REGISTER(5, fstat, sys_fstat);

static long sys_statx(uint64_t dirfd, uint64_t path, uint64_t flags, uint64_t mask, uint64_t buf)
{
	struct linux_statx sx = { 0 };
	struct linux_stat st;
	struct inode *inode;
	int err = stat_lookup((int)dirfd, path, (unsigned int)flags, &inode);

	(void)mask;
	if (err < 0)
		return err;
	vfs_fill_stat(inode, &st);
	vfs_inode_put(inode);
	sx.stx_mask = STATX_BASIC_STATS;
	sx.stx_blksize = 4096;
	sx.stx_nlink = (uint32_t)st.st_nlink;
	sx.stx_uid = st.st_uid;
	sx.stx_gid = st.st_gid;
	sx.stx_mode = (uint16_t)st.st_mode;
	sx.stx_ino = st.st_ino;
	sx.stx_size = (uint64_t)st.st_size;
	sx.stx_blocks = (uint64_t)st.st_blocks;
	sx.stx_atime.tv_sec = (int64_t)st.st_atime_sec;
	sx.stx_atime.tv_nsec = (uint32_t)st.st_atime_nsec;
	sx.stx_mtime.tv_sec = (int64_t)st.st_mtime_sec;
	sx.stx_mtime.tv_nsec = (uint32_t)st.st_mtime_nsec;
	sx.stx_ctime.tv_sec = (int64_t)st.st_ctime_sec;
	sx.stx_ctime.tv_nsec = (uint32_t)st.st_ctime_nsec;
	sx.stx_rdev_major = (uint32_t)st.st_rdev >> 8;
	sx.stx_rdev_minor = (uint32_t)st.st_rdev & 0xff;
	sx.stx_dev_minor = 1;
	return copy_to_user(buf, &sx, sizeof(sx));
}
SYSCALL_REGISTER(332, statx, sys_statx);

/* dirent_put: append one getdents64 record to kbuf; false when it does not fit. */
static bool dirent_put(char *kbuf, size_t size, size_t *at, uint64_t ino, uint64_t next,
		       uint8_t type, const char *name, size_t len)
{
	size_t reclen = (offsetof(struct linux_dirent64, d_name) + len + 1 + 7) & ~(size_t)7;
	struct linux_dirent64 *d = (void *)(kbuf + *at);

	if (*at + reclen > size)
		return false;
	memset(d, 0, reclen);
	d->d_ino = ino;
	d->d_off = (int64_t)next;
	d->d_reclen = (uint16_t)reclen;
	d->d_type = type;
	memcpy(d->d_name, name, len);
	*at += reclen;
	return true;
}

static uint8_t dirent_type(uint32_t mode)
{
	return (uint8_t)((mode & S_IFMT) >> 12);    /* DT_* == S_IFMT >> 12 */
}

/*
 * getdents64: f->pos is a cookie: 0/1 ".", 2 "..", then each entry's own
 * cookie, so removing entries while reading never skips or repeats one.
 */
static long sys_getdents64(uint64_t fd, uint64_t ubuf, uint64_t count)
{
	struct file *f;
	struct inode *dir;
	size_t at = 0, size = count < 65536 ? count : 65536;
	char *kbuf;
	int err = fs_fd((int)fd, &f);

	if (err < 0)
		return err;
	dir = f->inode;
	if (!S_ISDIR(dir->mode))
		return -ENOTDIR;
	if (!(kbuf = kmalloc(size ? size : 1)))
		return -ENOMEM;
	bool fits = true;
	if (f->pos < 2 && (fits = dirent_put(kbuf, size, &at, dir->ino, 2, DT_DIR, ".", 1)))
		f->pos = 2;
	if (fits && f->pos == 2 &&
	    (fits = dirent_put(kbuf, size, &at, dir->dir.parent->ino, 3, DT_DIR, "..", 2)))
		f->pos = 3;
	for (struct vfs_dirent *de = dir->dir.head; fits && de; de = de->next) {
		if (de->cookie < f->pos)
			continue;
		if ((fits = dirent_put(kbuf, size, &at, de->inode->ino, de->cookie + 1,
				       dirent_type(de->inode->mode), de->name, de->name_len)))
			f->pos = de->cookie + 1;
	}
	long r = (!fits && at == 0) ? -EINVAL : (long)at;
	if (r > 0 && copy_to_user(ubuf, kbuf, at) < 0)
		r = -EFAULT;
	kfree(kbuf);
	return r;
}
SYSCALL_REGISTER(217, getdents64, sys_getdents64);

static long sys_readlinkat(uint64_t dirfd, uint64_t upath, uint64_t ubuf, uint64_t size)
{
	char *path = NULL, *kbuf;
	long n;
	int err;

	if ((int64_t)size <= 0)
		return -EINVAL;
	if ((err = fs_getname(upath, &path)) < 0)
		return err;
	if (size > VFS_PATH_MAX)
		size = VFS_PATH_MAX;
	if (!(kbuf = kmalloc(size))) {
		kfree(path);
		return -ENOMEM;
	}
	n = vfs_readlink(vfs_current(), (int)dirfd, path, kbuf, size);
	if (n > 0 && copy_to_user(ubuf, kbuf, (size_t)n) < 0)
		n = -EFAULT;
	kfree(kbuf);
	kfree(path);
	return n;
}
SYSCALL_REGISTER(267, readlinkat, sys_readlinkat);

static long sys_readlink(uint64_t path, uint64_t buf, uint64_t size)
{
	return sys_readlinkat((uint64_t)AT_FDCWD, path, buf, size);
}
SYSCALL_REGISTER(89, readlink, sys_readlink);

static long sys_faccessat2(uint64_t dirfd, uint64_t upath, uint64_t mode, uint64_t flags)
{
	struct inode *inode;
	int err;

	if (mode & ~(uint64_t)7)
		return -EINVAL;
	if ((err = stat_lookup((int)dirfd, upath, (unsigned int)(flags & ~(uint64_t)AT_EACCESS), &inode)) < 0)
		return err;
	err = vfs_permission(vfs_current(), inode, (int)mode);
	vfs_inode_put(inode);
	return err;
}
SYSCALL_REGISTER(439, faccessat2, sys_faccessat2);

static long sys_faccessat(uint64_t dirfd, uint64_t path, uint64_t mode)
{
	return sys_faccessat2(dirfd, path, mode, 0);
}
SYSCALL_REGISTER(269, faccessat, sys_faccessat);

static long sys_access(uint64_t path, uint64_t mode)
{
	return sys_faccessat2((uint64_t)AT_FDCWD, path, mode, 0);
}
SYSCALL_REGISTER(21, access, sys_access);

static long sys_getcwd(uint64_t ubuf, uint64_t size)
{
	char *kbuf = kmalloc(VFS_PATH_MAX);
	long n;

	if (!kbuf)
		return -ENOMEM;
	n = vfs_dir_path(vfs_current()->cwd, kbuf, VFS_PATH_MAX);
	if (n >= 0 && (uint64_t)n + 1 > size)
		n = -ERANGE;
	else if (n >= 0)
		n = copy_to_user(ubuf, kbuf, (size_t)n + 1) < 0 ? -EFAULT : n + 1;
	kfree(kbuf);
	return n;
}
SYSCALL_REGISTER(79, getcwd, sys_getcwd);

/* set_cwd: make a directory inode (referenced) the current directory. */
static long set_cwd(struct inode *dir)
{
	struct vfs_proc *p = vfs_current();
	int err = -ENOTDIR;

	if (S_ISDIR(dir->mode) && (err = vfs_permission(p, dir, X_OK)) == 0) {
		vfs_inode_put(p->cwd);
		p->cwd = dir;
		return 0;
	}
	vfs_inode_put(dir);
	return err;
}

static long sys_chdir(uint64_t upath)
{
	struct inode *dir;
	char *path = NULL;
	int err = fs_getname(upath, &path);

	if (err < 0)
		return err;
	err = vfs_lookup(vfs_current(), AT_FDCWD, path, VFS_LOOKUP_FOLLOW, &dir);
	kfree(path);
	return err < 0 ? err : set_cwd(dir);
}
SYSCALL_REGISTER(80, chdir, sys_chdir);

static long sys_fchdir(uint64_t fd)
{
	struct file *f;
	int err = fs_fd((int)fd, &f);

	if (err < 0)
		return err;
	vfs_inode_get(f->inode);
	return set_cwd(f->inode);
}
SYSCALL_REGISTER(81, fchdir, sys_fchdir);

static long sys_umask(uint64_t mask)
{
	struct vfs_proc *p = vfs_current();
	uint32_t old = p->umask;

	p->umask = (uint32_t)mask & 0777;
	return old;
}
SYSCALL_REGISTER(95, umask, sys_umask);
