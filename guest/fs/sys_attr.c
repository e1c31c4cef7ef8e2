/* sys_attr.c: inode attributes and no-op syncs: utimensat, chown family, statfs, fsync, flock, xattrs (none). */
#include "fs_env.h"
#include "fs_sys.h"
#include "syscalls.h"
#include "uaccess.h"

#define UTIME_NOW   ((1l << 30) - 1l)
#define UTIME_OMIT  ((1l << 30) - 2l)

struct linux_timespec {
	int64_t tv_sec;
	int64_t tv_nsec;
};

/* attr_inode: the inode named by (dirfd, upath), or by dirfd itself when upath is 0/"" + AT_EMPTY_PATH. */
static int attr_inode(uint64_t dirfd, uint64_t upath, uint64_t flags, bool null_is_fd,
		      struct inode **out)
{
	char *path = NULL;
	int err;

	if (flags & ~(uint64_t)(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	if (upath == 0 && null_is_fd) {
		struct file *f;
		if ((err = fs_fd((int)dirfd, &f)) < 0)
			return err;
		vfs_inode_get(f->inode);
		*out = f->inode;
		return 0;
	}
	if ((err = fs_getname(upath, &path)) < 0)
		return err;
	if (path[0] == '\0' && (flags & AT_EMPTY_PATH)) {
		kfree(path);
		return attr_inode(dirfd, 0, 0, true, out);
	}
	err = vfs_lookup(vfs_current(), (int)dirfd, path,
			 (flags & AT_SYMLINK_NOFOLLOW) ? 0 : VFS_LOOKUP_FOLLOW, out);
	kfree(path);
	return err;
}

/* set_time: apply one utimensat timespec to *t. */
static int set_time(int64_t *t, const struct linux_timespec *ts, int64_t now)
{
	if (ts->tv_nsec == UTIME_OMIT)
		return 0;
	if (ts->tv_nsec == UTIME_NOW) {
		*t = now;
		return 0;
	}
	if (ts->tv_nsec < 0 || ts->tv_nsec >= 1000000000)
		return -EINVAL;
	*t = ts->tv_sec * 1000000000 + ts->tv_nsec;
	return 0;
}

static long sys_utimensat(uint64_t dirfd, uint64_t upath, uint64_t utimes, uint64_t flags)
{
	struct linux_timespec ts[2] = { { 0, UTIME_NOW }, { 0, UTIME_NOW } };
	struct inode *inode;
	int64_t now = vfs_now_ns(), a, m;
	int err;

	if (utimes && copy_from_user(ts, utimes, sizeof(ts)) < 0)
		return -EFAULT;
	if ((err = attr_inode(dirfd, upath, flags, true, &inode)) < 0)
		return err;
	a = inode->atime_ns;
	m = inode->mtime_ns;
	if ((err = set_time(&a, &ts[0], now)) == 0 && (err = set_time(&m, &ts[1], now)) == 0) {
		inode->atime_ns = a;
		inode->mtime_ns = m;
		inode->ctime_ns = now;
	}
	vfs_inode_put(inode);
	return err;
}
SYSCALL_REGISTER(280, utimensat, sys_utimensat);

static long do_chown(struct inode *inode, uint64_t uid, uint64_t gid)
{
	if ((uint32_t)uid != (uint32_t)-1)
		inode->uid = (uint32_t)uid;
	if ((uint32_t)gid != (uint32_t)-1)
		inode->gid = (uint32_t)gid;
	ramfs_touch(inode, false);
	vfs_inode_put(inode);
	return 0;
}

static long sys_fchownat(uint64_t dirfd, uint64_t upath, uint64_t uid, uint64_t gid, uint64_t flags)
{
	struct inode *inode;
	int err = attr_inode(dirfd, upath, flags, false, &inode);

	if (err < 0)
		return err;
	if (vfs_current()->uid != 0) {
		vfs_inode_put(inode);
		return -EPERM;
	}
	return do_chown(inode, uid, gid);
}
SYSCALL_REGISTER(260, fchownat, sys_fchownat);

static long sys_chown(uint64_t path, uint64_t uid, uint64_t gid)
{
	return sys_fchownat((uint64_t)AT_FDCWD, path, uid, gid, 0);
}
SYSCALL_REGISTER(92, chown, sys_chown);

static long sys_lchown(uint64_t path, uint64_t uid, uint64_t gid)
{
	return sys_fchownat((uint64_t)AT_FDCWD, path, uid, gid, AT_SYMLINK_NOFOLLOW);
}
SYSCALL_REGISTER(94, lchown, sys_lchown);

static long sys_fchown(uint64_t fd, uint64_t uid, uint64_t gid)
{
	struct inode *inode;
	int err = attr_inode(fd, 0, 0, true, &inode);

	if (err < 0)
		return err;
	if (vfs_current()->uid != 0) {
		vfs_inode_put(inode);
		return -EPERM;
	}
	return do_chown(inode, uid, gid);
}
SYSCALL_REGISTER(93, fchown, sys_fchown);

/* struct statfs of x86-64; the ramfs reports itself as ramfs (0x858458f6). */
struct linux_statfs {
	int64_t f_type, f_bsize;
	uint64_t f_blocks, f_bfree, f_bavail, f_files, f_ffree;
	int32_t f_fsid[2];
	int64_t f_namelen, f_frsize, f_flags, f_spare[4];
};

static long put_statfs(uaddr_t ubuf)
{
	struct linux_statfs st = {
		.f_type = 0x858458f6, .f_bsize = 4096, .f_namelen = VFS_NAME_MAX, .f_frsize = 4096,
	};
	return copy_to_user(ubuf, &st, sizeof(st));
}

static long sys_statfs(uint64_t upath, uint64_t ubuf)
{
	struct inode *inode;
	int err = attr_inode((uint64_t)AT_FDCWD, upath, 0, false, &inode);

	if (err < 0)
		return err;
	vfs_inode_put(inode);
	return put_statfs(ubuf);
}
SYSCALL_REGISTER(137, statfs, sys_statfs);

static long sys_fstatfs(uint64_t fd, uint64_t ubuf)
{
	struct file *f;
	int err = fs_fd((int)fd, &f);
	return err < 0 ? err : put_statfs(ubuf);
}
SYSCALL_REGISTER(138, fstatfs, sys_fstatfs);

/* fsync, fdatasync, flock, fadvise64, syncfs: nothing to do in RAM but check the fd. */
static long sys_fd_noop(uint64_t fd)
{
	struct file *f;
	return fs_fd((int)fd, &f);
}
SYSCALL_REGISTER(74, fsync, sys_fd_noop);
SYSCALL_REGISTER(75, fdatasync, sys_fd_noop);
SYSCALL_REGISTER(73, flock, sys_fd_noop);
SYSCALL_REGISTER(221, fadvise64, sys_fd_noop);
SYSCALL_REGISTER(306, syncfs, sys_fd_noop);

static long sys_sync(void)
{
	return 0;
}
SYSCALL_REGISTER(162, sync, sys_sync);

/*
 * Extended attributes.  The ramfs has none, as Linux's ramfs: once the file
 * is found and the name checked, reading, setting or removing one is
 * EOPNOTSUPP and the list is empty (Linux's vfs_listxattr without an LSM
 * label).  coreutils' ls asks for ACLs and SELinux labels this way.
 */
#define XATTR_NAME_MAX  255
#define XATTR_CREATE    1
#define XATTR_REPLACE   2

/* xattr_name(uname): check the user's attribute name: 0, -ERANGE (empty or too long) or -EFAULT. */
static long xattr_name(uaddr_t uname)
{
	char name[XATTR_NAME_MAX + 1];
	long n = strncpy_from_user(name, uname, sizeof(name));

	if (n == -EFAULT)
		return -EFAULT;
	return n <= 0 ? -ERANGE : 0;
}

/* xattr_target(fd_or_path, by_fd, follow): 0 if the file exists (its lookup errno if not). */
static long xattr_target(uint64_t arg, bool by_fd, bool follow)
{
	struct inode *inode;
	int err = by_fd ? attr_inode(arg, 0, 0, true, &inode) :
		  attr_inode((uint64_t)AT_FDCWD, arg, follow ? 0 : AT_SYMLINK_NOFOLLOW, false, &inode);

	if (err < 0)
		return err;
	vfs_inode_put(inode);
	return 0;
}

/* xattr_get(arg, uname, by_fd, follow): getxattr, lgetxattr, fgetxattr, removexattr and co. */
static long xattr_get(uint64_t arg, uint64_t uname, bool by_fd, bool follow)
{
	long err = xattr_target(arg, by_fd, follow);

	if (!err)
		err = xattr_name(uname);
	return err ? err : -EOPNOTSUPP;
}

static long sys_getxattr(uint64_t path, uint64_t name)  { return xattr_get(path, name, false, true); }
static long sys_lgetxattr(uint64_t path, uint64_t name) { return xattr_get(path, name, false, false); }
static long sys_fgetxattr(uint64_t fd, uint64_t name)   { return xattr_get(fd, name, true, false); }
SYSCALL_REGISTER(191, getxattr, sys_getxattr);
SYSCALL_REGISTER(192, lgetxattr, sys_lgetxattr);
SYSCALL_REGISTER(193, fgetxattr, sys_fgetxattr);
SYSCALL_REGISTER(197, removexattr, sys_getxattr);
SYSCALL_REGISTER(198, lremovexattr, sys_lgetxattr);
SYSCALL_REGISTER(199, fremovexattr, sys_fgetxattr);

/* setxattr and co.: flags checked first, as Linux's setxattr(). */
static long xattr_set(uint64_t arg, uint64_t name, uint64_t flags, bool by_fd, bool follow)
{
	if (flags & ~(uint64_t)(XATTR_CREATE | XATTR_REPLACE))
		return -EINVAL;
	return xattr_get(arg, name, by_fd, follow);
}

static long sys_setxattr(uint64_t path, uint64_t name, uint64_t value, uint64_t size, uint64_t flags)
{
	(void)value, (void)size;
	return xattr_set(path, name, flags, false, true);
}
static long sys_lsetxattr(uint64_t path, uint64_t name, uint64_t value, uint64_t size, uint64_t flags)
{
	(void)value, (void)size;
	return xattr_set(path, name, flags, false, false);
}
static long sys_fsetxattr(uint64_t fd, uint64_t name, uint64_t value, uint64_t size, uint64_t flags)
{
	(void)value, (void)size;
	return xattr_set(fd, name, flags, true, false);
}
SYSCALL_REGISTER(188, setxattr, sys_setxattr);
SYSCALL_REGISTER(189, lsetxattr, sys_lsetxattr);
SYSCALL_REGISTER(190, fsetxattr, sys_fsetxattr);

static long sys_listxattr(uint64_t path)  { return xattr_target(path, false, true); }
static long sys_llistxattr(uint64_t path) { return xattr_target(path, false, false); }
static long sys_flistxattr(uint64_t fd)   { return xattr_target(fd, true, false); }
SYSCALL_REGISTER(194, listxattr, sys_listxattr);
SYSCALL_REGISTER(195, llistxattr, sys_llistxattr);
SYSCALL_REGISTER(196, flistxattr, sys_flistxattr);
