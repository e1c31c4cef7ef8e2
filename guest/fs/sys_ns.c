/* sys_ns.c: namespace syscalls: mkdir, mknod, unlink, rmdir, rename, symlink, link, chmod, truncate. */
#include "fs_env.h"
#include "fs_sys.h"
#include "proc.h"
#include "syscalls.h"
#include "uaccess.h"

/* getname2: copy two user paths; both freed on error. */
static int getname2(uaddr_t a, uaddr_t b, char **pa, char **pb)
{
	int err = fs_getname(a, pa);

	if (err < 0)
		return err;
	if ((err = fs_getname(b, pb)) < 0)
		kfree(*pa);
	return err;
}

static long sys_mkdirat(uint64_t dirfd, uint64_t upath, uint64_t mode)
{
	char *path = NULL;
	int err = fs_getname(upath, &path);

	if (err < 0)
		return err;
	err = vfs_mkdir(vfs_current(), (int)dirfd, path, (uint32_t)mode);
	kfree(path);
	return err;
}
SYSCALL_REGISTER(258, mkdirat, sys_mkdirat);

static long sys_mkdir(uint64_t path, uint64_t mode)
{
	return sys_mkdirat((uint64_t)AT_FDCWD, path, mode);
}
SYSCALL_REGISTER(83, mkdir, sys_mkdir);

/* mknodat: the device number is Linux's 32-bit dev_t, kept as is (st_rdev). */
static long sys_mknodat(uint64_t dirfd, uint64_t upath, uint64_t mode, uint64_t dev)
{
	char *path = NULL;
	int err = fs_getname(upath, &path);

	if (err < 0)
		return err;
	err = vfs_mknod(vfs_current(), (int)dirfd, path, (uint16_t)mode, (uint32_t)dev,
			capable(CAP_MKNOD));
	kfree(path);
	return err;
}
SYSCALL_REGISTER(259, mknodat, sys_mknodat);

static long sys_mknod(uint64_t path, uint64_t mode, uint64_t dev)
{
	return sys_mknodat((uint64_t)AT_FDCWD, path, mode, dev);
}
SYSCALL_REGISTER(133, mknod, sys_mknod);

static long sys_unlinkat(uint64_t dirfd, uint64_t upath, uint64_t flags)
{
	char *path = NULL;
	int err;

	if (flags & ~(uint64_t)AT_REMOVEDIR)
		return -EINVAL;
	if ((err = fs_getname(upath, &path)) < 0)
		return err;
	err = vfs_unlink(vfs_current(), (int)dirfd, path, (unsigned int)flags);
	kfree(path);
	return err;
}
SYSCALL_REGISTER(263, unlinkat, sys_unlinkat);

static long sys_unlink(uint64_t path)
{
	return sys_unlinkat((uint64_t)AT_FDCWD, path, 0);
}
SYSCALL_REGISTER(87, unlink, sys_unlink);

static long sys_rmdir(uint64_t path)
{
	return sys_unlinkat((uint64_t)AT_FDCWD, path, AT_REMOVEDIR);
}
SYSCALL_REGISTER(84, rmdir, sys_rmdir);

static long sys_renameat2(uint64_t odfd, uint64_t uold, uint64_t ndfd, uint64_t unew, uint64_t flags)
{
	char *o = NULL, *n = NULL;
	int err = getname2(uold, unew, &o, &n);

	if (err < 0)
		return err;
	err = vfs_rename(vfs_current(), (int)odfd, o, (int)ndfd, n, (unsigned int)flags);
	kfree(o);
	kfree(n);
	return err;
}
SYSCALL_REGISTER(316, renameat2, sys_renameat2);

static long sys_renameat(uint64_t odfd, uint64_t uold, uint64_t ndfd, uint64_t unew)
{
	return sys_renameat2(odfd, uold, ndfd, unew, 0);
}
SYSCALL_REGISTER(264, renameat, sys_renameat);

static long sys_rename(uint64_t uold, uint64_t unew)
{
	return sys_renameat2((uint64_t)AT_FDCWD, uold, (uint64_t)AT_FDCWD, unew, 0);
}
SYSCALL_REGISTER(82, rename, sys_rename);

static long sys_symlinkat(uint64_t utarget, uint64_t dirfd, uint64_t upath)
{
	char *t = NULL, *p = NULL;
	int err = getname2(utarget, upath, &t, &p);

	if (err < 0)
		return err;
	err = vfs_symlink(vfs_current(), t, (int)dirfd, p);
	kfree(t);
	kfree(p);
	return err;
}
SYSCALL_REGISTER(266, symlinkat, sys_symlinkat);

static long sys_symlink(uint64_t target, uint64_t path)
{
	return sys_symlinkat(target, (uint64_t)AT_FDCWD, path);
}
SYSCALL_REGISTER(88, symlink, sys_symlink);

static long sys_linkat(uint64_t odfd, uint64_t uold, uint64_t ndfd, uint64_t unew, uint64_t flags)
{
	char *o = NULL, *n = NULL;
	int err;

	if (flags & ~(uint64_t)(AT_SYMLINK_FOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	if ((err = getname2(uold, unew, &o, &n)) < 0)
		return err;
	err = vfs_link(vfs_current(), (int)odfd, o, (int)ndfd, n, (unsigned int)flags);
	kfree(o);
	kfree(n);
	return err;
}
SYSCALL_REGISTER(265, linkat, sys_linkat);

static long sys_link(uint64_t uold, uint64_t unew)
{
	return sys_linkat((uint64_t)AT_FDCWD, uold, (uint64_t)AT_FDCWD, unew, 0);
}
SYSCALL_REGISTER(86, link, sys_link);

static void set_mode(struct inode *inode, uint64_t mode)
{
	inode->mode = (inode->mode & S_IFMT) | ((uint32_t)mode & 07777);
	ramfs_touch(inode, false);
}

static long sys_fchmodat(uint64_t dirfd, uint64_t upath, uint64_t mode)
{
	struct inode *inode;
	char *path = NULL;
	int err = fs_getname(upath, &path);

	if (err < 0)
		return err;
	err = vfs_lookup(vfs_current(), (int)dirfd, path, VFS_LOOKUP_FOLLOW, &inode);
	kfree(path);
	if (err < 0)
		return err;
	set_mode(inode, mode);
	vfs_inode_put(inode);
	return 0;
}
SYSCALL_REGISTER(268, fchmodat, sys_fchmodat);

static long sys_chmod(uint64_t path, uint64_t mode)
{
	return sys_fchmodat((uint64_t)AT_FDCWD, path, mode);
}
SYSCALL_REGISTER(90, chmod, sys_chmod);

static long sys_fchmod(uint64_t fd, uint64_t mode)
{
	struct file *f;
	int err = fs_fd((int)fd, &f);

	if (err < 0)
		return err;
	set_mode(f->inode, mode);
	return 0;
}
SYSCALL_REGISTER(91, fchmod, sys_fchmod);

static long sys_truncate(uint64_t upath, uint64_t length)
{
	struct vfs_proc *p = vfs_current();
	struct inode *inode;
	char *path = NULL;
	int err = fs_getname(upath, &path);

	if (err < 0)
		return err;
	err = vfs_lookup(p, AT_FDCWD, path, VFS_LOOKUP_FOLLOW, &inode);
	kfree(path);
	if (err < 0)
		return err;
	if ((int64_t)length < 0)
		err = -EINVAL;
	else if (S_ISDIR(inode->mode))
		err = -EISDIR;
	else if ((err = vfs_permission(p, inode, W_OK)) == 0)
		err = inode->writers < 0 ? -ETXTBSY : vfs_truncate(inode, length);
	vfs_inode_put(inode);
	return err;
}
SYSCALL_REGISTER(76, truncate, sys_truncate);
