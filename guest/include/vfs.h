/* vfs.h: the guest's file system: ramfs inodes, path walk, open files and fd tables. */
#ifndef MODVISOR_GUEST_VFS_H
#define MODVISOR_GUEST_VFS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "fs_abi.h"

/*
 * One in-memory file system (ramfs) holds everything: the initrd is
 * unpacked into it at boot, /proc and /sys are directories in it whose
 * files are generated on read (pseudofs.h).  There is no mount table.
 *
 * Object lifetimes:
 *   struct inode   lives while a directory entry names it (nlink > 0) or
 *                  someone holds a reference (refs > 0: open files, cwds).
 *   struct file    one open file description; shared by dup()ed fds
 *                  (refs); holds one inode reference.
 *   struct vfs_proc  per process: fd table, cwd, umask, credentials, the
 *                  executable (for /proc/self/exe).  The process core
 *                  (proc.h) owns one per process.
 *
 * Functions return 0 / a count, or -errno with Linux's numbers.
 * "kernel" buffers below are kernel pointers; user pointers are only
 * touched by the sys_* handlers (guest/fs/sys_*.c) through uaccess.h.
 */

#define VFS_PATH_MAX     4096   /* PATH_MAX, including the NUL */
#define VFS_NAME_MAX     255    /* NAME_MAX */
#define VFS_SYMLOOP_MAX  40     /* symlinks followed in one walk: ELOOP */
#define VFS_FD_MAX       1024   /* RLIMIT_NOFILE: EMFILE beyond */

struct file;
struct inode;
struct pseudo_node;

/* One name in a directory. */
struct vfs_dirent {
	struct vfs_dirent *next;
	struct inode *inode;
	uint64_t cookie;            /* getdents64 position; grows per dir */
	uint16_t name_len;
	char name[];                /* NUL-terminated */
};

/* Inode flags. */
#define VFS_I_PSEUDO   0x1u     /* /proc or /sys: users cannot create/unlink */
#define VFS_I_DEAD     0x2u     /* pseudo node removed while still open */

/*
 * An inode.  Other components read mode, size, writers and the times;
 * only guest/fs changes them.
 */
struct inode {
	uint64_t ino;
	uint32_t mode;              /* S_IF* | permission bits */
	uint32_t uid, gid;
	uint32_t nlink;
	uint64_t size;              /* bytes (regular files, symlinks) */
	int32_t  writers;           /* >0: open for writing that many times;
	                             * <0: writes denied (vfs_deny_write) */
	uint32_t refs;              /* references besides directory entries */
	uint32_t flags;             /* VFS_I_* */
	uint32_t rdev;              /* character devices: major << 8 | minor */
	uint32_t dev;               /* st_dev: 0 ramfs, else the pseudo tree's */
	int64_t  atime_ns, mtime_ns, ctime_ns;
	const struct file_ops *fops;
	struct pseudo_node *pseudo; /* /proc, /sys callbacks; else NULL */
	union {
		struct {                    /* S_IFREG */
			uint8_t *data;      /* page-aligned when cap >= a page */
			size_t cap;
			bool mapped;        /* vfs_map_page gave out a page of data:
			                     * the next change copies it first */
		} reg;
		struct {                    /* S_IFDIR */
			struct vfs_dirent *head, *tail;
			struct inode *parent;   /* "/" is its own parent */
			uint64_t next_cookie;
		} dir;
		struct {                    /* S_IFLNK; target is size bytes */
			char *target;
		} lnk;
		struct {                    /* S_IFIFO: its pipe while open, else NULL */
			struct pipe *pipe;
		} fifo;
	};
};

/* A buffer the file ops copy into or out of: kernel memory or user memory. */
struct vfs_iobuf {
	uintptr_t addr;
	size_t len;
	bool user;                  /* addr is a user address (uaccess) */
};

/* What an open file can do; one table per kind of inode. */
struct file_ops {
	/* (f): set up f->priv at open; may be NULL.  0 or -errno. */
	int (*open)(struct file *f);
	/* (f, buf, off): read up to buf->len bytes at off; bytes or -errno. */
	long (*read)(struct file *f, struct vfs_iobuf *buf, uint64_t off);
	/* (f, buf, off): write buf at off; bytes written or -errno. */
	long (*write)(struct file *f, struct vfs_iobuf *buf, uint64_t off);
	/* (f): called when the last reference to f goes away; may be NULL. */
	void (*release)(struct file *f);
	/*
	 * (f): the VFS_POLL* events ready now, for poll/select; NULL means
	 * always ready for reading and writing (regular files, devices).
	 */
	unsigned int (*poll)(struct file *f);
	bool seekable;              /* false: lseek gives ESPIPE */
};

/* poll(2) event bits (Linux's values). */
#define VFS_POLLIN    0x001
#define VFS_POLLPRI   0x002
#define VFS_POLLOUT   0x004
#define VFS_POLLERR   0x008
#define VFS_POLLHUP   0x010
#define VFS_POLLNVAL  0x020

/* One open file description. */
struct file {
	struct inode *inode;
	const struct file_ops *ops;
	uint64_t pos;
	uint32_t flags;             /* O_* status flags and access mode */
	uint32_t refs;              /* fds and kernel users sharing it */
	bool readable, writable;    /* from the access mode; O_PATH: neither */
	bool denies_write;          /* an executable: vfs_allow_write at release */
	char *path;                 /* absolute path it was opened by */
	void *priv;                 /* per-open state of the ops */
};

/* Per-process file state.  The process core creates and destroys it. */
struct vfs_proc {
	struct file **fds;          /* fd -> file, NULL = free */
	uint8_t *fd_cloexec;        /* fd -> FD_CLOEXEC */
	unsigned int nfds;          /* size of both arrays */
	struct inode *cwd;
	uint32_t umask;             /* 022 at boot */
	uint32_t uid, gid;          /* fs credentials; 0 = root bypasses DAC */
	struct file *exe;           /* the running executable, or NULL */
};

/* ---- set-up --------------------------------------------------------- */

/* Create the empty root with /proc and /sys.  Call once at boot. */
void vfs_init(uint32_t boot_flags);

/*
 * (initrd, len, err, errlen): unpack concatenated newc cpio archives into
 * "/".  On a malformed archive returns -EINVAL and writes a reason naming
 * the entry and offset into (err, errlen); fs_boot() panics with it.
 */
int vfs_unpack_initrd(const void *initrd, size_t len, char *err, size_t errlen);

struct mv_bootinfo;
/*
 * (bi): everything at boot: vfs_init(bi->flags), /proc/cmdline from
 * bi->cmdline, then the initrd at bi->initrd; panics with the reason on a
 * malformed archive.  Call after the heap and the direct map are up.
 */
void fs_boot(const struct mv_bootinfo *bi);

/* The root directory. */
struct inode *vfs_root(void);

/* ---- processes (called by the process core) ------------------------- */

/* A new process: fds 0, 1, 2 on the console, cwd "/", umask 022. NULL if OOM. */
struct vfs_proc *vfs_proc_create(void);
/*
 * (p): fork: a copy of p's state; the fds share their open file
 * descriptions (offsets, status flags) as after fork(2).  NULL if OOM.
 */
struct vfs_proc *vfs_proc_dup(const struct vfs_proc *p);
/* (p): execve succeeded: close the O_CLOEXEC fds. */
void vfs_proc_exec(struct vfs_proc *p);
/* (p, exe): remember the executable for /proc/self/exe (takes a reference). */
void vfs_proc_set_exe(struct vfs_proc *p, struct file *exe);
/* (p): process exit: close every fd, drop cwd and exe, free p. */
void vfs_proc_destroy(struct vfs_proc *p);
/* The current process's state.  Implemented by the process core. */
struct vfs_proc *vfs_current(void);

/* ---- opening and reading files from the kernel ---------------------- */

/*
 * (p, dirfd, path, flags, mode, out): open a kernel-string path like
 * openat(2) for process p (cwd, umask, credentials); *out holds one
 * reference.  Errors as openat(2): ENOENT, ENOTDIR, EISDIR, ELOOP,
 * EEXIST, EACCES, ENAMETOOLONG, ETXTBSY, ...
 */
int vfs_open(struct vfs_proc *p, int dirfd, const char *path, uint32_t flags,
	     uint32_t mode, struct file **out);

/*
 * (p, path, out): open an executable for execve: follows symlinks; EACCES
 * unless it is a regular file with at least one x bit (even for root);
 * ETXTBSY while it is open for writing.  Like Linux, the file then denies
 * writers (their open gets ETXTBSY) until its last reference is dropped.
 */
int vfs_open_exec(struct vfs_proc *p, const char *path, struct file **out);

/*
 * (p, fd, out): the file behind fd with a new reference (release with
 * vfs_file_put); -EBADF for a closed or out-of-range fd.  finit_module
 * uses it: check (*out)->readable (else EBADF), S_ISREG((*out)->inode->mode)
 * (else EINVAL), then vfs_deny_write() for ETXTBSY.
 */
int vfs_fd_get(struct vfs_proc *p, int fd, struct file **out);

/* (f): is f the console (/dev/console, fds 0-2), the terminal of tty.c? */
bool vfs_file_is_console(const struct file *f);

/* (f): take another reference. */
void vfs_file_get(struct file *f);
/* (f): drop a reference; the last one releases the file. */
void vfs_file_put(struct file *f);

/* (f, buf, len, off): read into a kernel buffer at off (not f->pos). */
long vfs_kernel_read(struct file *f, void *buf, size_t len, uint64_t off);

/*
 * (f, off, out): lend the page of f's bytes at page-aligned off, which must
 * lie wholly within the file, to a private mapping (exec shares a
 * program's pages instead of copying them): *out is the page's kernel
 * address and the caller owns one more reference to it (fs_env_page_get;
 * the kernel drops it with page_ref_put when the mapping goes).  The file
 * then never writes that storage in place again: its next change copies
 * the bytes first, so a mapping keeps the bytes it was given, as with any
 * private copy.  -EOPNOTSUPP when the bytes are not in page-aligned storage
 * (files under a page, pseudo files), -EINVAL for an offset not wholly
 * inside the file, -ENOMEM.
 */
int vfs_map_page(struct file *f, uint64_t off, const void **out);

/*
 * (f, max, out, outlen): kernel_read_file: read the whole regular file into
 * a new kmalloc'd buffer (free with kfree).  -EFBIG if size > max, -EINVAL
 * if not a regular file or empty, -EIO on a short read, -ENOMEM.
 */
int vfs_read_whole(struct file *f, size_t max, void **out, size_t *outlen);

/*
 * Writers (Linux's i_writecount): every open for writing counts in
 * inode->writers until close.  vfs_deny_write(inode) fails with -ETXTBSY
 * while a writer exists, else blocks new writers (their open gets ETXTBSY)
 * until the matching vfs_allow_write(inode).
 */
int vfs_deny_write(struct inode *inode);
/* (inode): undo one vfs_deny_write. */
void vfs_allow_write(struct inode *inode);

/* ---- paths and inodes ---------------------------------------------- */

#define VFS_LOOKUP_FOLLOW   0x1u    /* follow a final symlink */
#define VFS_LOOKUP_DIR      0x2u    /* final component must be a directory */

/*
 * (p, dirfd, path, lflags, out): resolve path to an inode with one new
 * reference (vfs_inode_put).  "" gives -ENOENT.
 */
int vfs_lookup(struct vfs_proc *p, int dirfd, const char *path, unsigned int lflags,
	       struct inode **out);
/* (inode): take / drop a reference. */
void vfs_inode_get(struct inode *inode);
void vfs_inode_put(struct inode *inode);

/* (dir, buf, size): absolute path of a directory; length or -ERANGE/-ENOENT. */
long vfs_dir_path(struct inode *dir, char *buf, size_t size);

/* (inode, st): fill a struct stat. */
void vfs_fill_stat(const struct inode *inode, struct linux_stat *st);

/*
 * Kernel-side namespace operations with Linux's errnos (used by the
 * syscalls, the initrd unpacker and tests).  path is relative to p's cwd
 * unless absolute; p may be NULL for "root, cwd /".
 */
int vfs_mkdir(struct vfs_proc *p, int dirfd, const char *path, uint32_t mode);
/*
 * (p, dirfd, path, mode, rdev, may_dev): mknod(2): a regular file (type 0
 * or S_IFREG), FIFO, socket, or (may_dev: the caller has CAP_MKNOD, else
 * -EPERM) a character or block device numbered rdev; S_IFDIR is -EPERM,
 * another type -EINVAL.  The umask applies.
 */
int vfs_mknod(struct vfs_proc *p, int dirfd, const char *path, uint32_t mode, uint32_t rdev,
	      bool may_dev);
int vfs_symlink(struct vfs_proc *p, const char *target, int dirfd, const char *path);
int vfs_link(struct vfs_proc *p, int olddirfd, const char *oldpath, int newdirfd,
	     const char *newpath, unsigned int at_flags);
int vfs_unlink(struct vfs_proc *p, int dirfd, const char *path, unsigned int at_flags);
int vfs_rename(struct vfs_proc *p, int olddirfd, const char *oldpath, int newdirfd,
	       const char *newpath, unsigned int rflags);
/* (p, dirfd, path, at_flags, buf, size): readlink; bytes (not NUL-ended). */
long vfs_readlink(struct vfs_proc *p, int dirfd, const char *path, char *buf, size_t size);
/* (inode, len): set a regular file's size (zero-filling growth). */
int vfs_truncate(struct inode *inode, uint64_t len);

/*
 * (): something a poll or select may wait for changed (a pipe, the
 * console): wake them to look again.  Implemented by guest/fs/sys_poll.c.
 */
void vfs_poll_wake(void);

/* Current time for timestamps; implemented by the kernel core (0 if none). */
int64_t vfs_now_ns(void);

#endif
