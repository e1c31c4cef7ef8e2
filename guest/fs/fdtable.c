/* fdtable.c: per-process state: fd tables (dup, O_CLOEXEC), cwd, umask, the executable. */
#include "fs_env.h"

#define FDT_INITIAL 16

/* fdt_grow: make room for fd numbers below want. */
static int fdt_grow(struct vfs_proc *p, unsigned int want)
{
	unsigned int n = p->nfds ? p->nfds : FDT_INITIAL;
	struct file **fds;
	uint8_t *cloexec;

	while (n < want)
		n *= 2;
	if (n > VFS_FD_MAX)
		n = VFS_FD_MAX;
	fds = kzalloc(n * sizeof(*fds));
	cloexec = kzalloc(n);
	if (!fds || !cloexec) {
		kfree(fds);
		kfree(cloexec);
		return -ENOMEM;
	}
	if (p->nfds) {
		memcpy(fds, p->fds, p->nfds * sizeof(*fds));
		memcpy(cloexec, p->fd_cloexec, p->nfds);
	}
	kfree(p->fds);
	kfree(p->fd_cloexec);
	p->fds = fds;
	p->fd_cloexec = cloexec;
	p->nfds = n;
	return 0;
}

/*
 * fdt_install(p, f, min, cloexec): put f (whose reference the table takes
 * over) in the lowest free fd >= min.  Returns the fd, -EMFILE, -EINVAL.
 */
int fdt_install(struct vfs_proc *p, struct file *f, int min, bool cloexec)
{
	if (min < 0 || min >= VFS_FD_MAX)
		return -EINVAL;
	for (unsigned int fd = (unsigned int)min; fd < VFS_FD_MAX; fd++) {
		if (fd >= p->nfds && fdt_grow(p, fd + 1) < 0)
			return -ENOMEM;
		if (!p->fds[fd]) {
			p->fds[fd] = f;
			p->fd_cloexec[fd] = cloexec;
			return (int)fd;
		}
	}
	return -EMFILE;
}

/* fdt_get(p, fd): the file at fd without a new reference, or NULL. */
struct file *fdt_get(struct vfs_proc *p, int fd)
{
	if (!p || fd < 0 || (unsigned int)fd >= p->nfds)
		return NULL;
	return p->fds[fd];
}

int vfs_fd_get(struct vfs_proc *p, int fd, struct file **out)
{
	struct file *f = fdt_get(p, fd);

	if (!f)
		return -EBADF;
	vfs_file_get(f);
	*out = f;
	return 0;
}

/* fdt_close(p, fd): close one fd; -EBADF if it is not open. */
int fdt_close(struct vfs_proc *p, int fd)
{
	struct file *f = fdt_get(p, fd);

	if (!f)
		return -EBADF;
	p->fds[fd] = NULL;
	p->fd_cloexec[fd] = 0;
	vfs_file_put(f);
	return 0;
}

/* fdt_dup_to(p, f, fd, cloexec): dup2/dup3: install f at exactly fd. */
int fdt_dup_to(struct vfs_proc *p, struct file *f, int fd, bool cloexec)
{
	struct file *old;

	if (fd < 0 || fd >= VFS_FD_MAX)
		return -EBADF;
	if ((unsigned int)fd >= p->nfds && fdt_grow(p, (unsigned int)fd + 1) < 0)
		return -ENOMEM;
	old = p->fds[fd];
	vfs_file_get(f);
	p->fds[fd] = f;
	p->fd_cloexec[fd] = cloexec;
	vfs_file_put(old);
	return fd;
}

struct vfs_proc *vfs_proc_create(void)
{
	struct vfs_proc *p = kzalloc(sizeof(*p));

	if (!p || fdt_grow(p, FDT_INITIAL) < 0) {
		kfree(p);
		return NULL;
	}
	p->umask = 022;
	p->cwd = vfs_root();
	vfs_inode_get(p->cwd);
	/* stdin and stdout share one console file; stderr has its own. */
	struct file *con, *err;
	if (vfs_open(p, AT_FDCWD, "/dev/console", O_RDWR, 0, &con) == 0) {
		vfs_file_get(con);
		fdt_install(p, con, 0, false);
		fdt_install(p, con, 1, false);
	}
	if (vfs_open(p, AT_FDCWD, "/dev/console", O_RDWR, 0, &err) == 0) {
		devices_console_stderr(err);
		fdt_install(p, err, 2, false);
	}
	return p;
}

struct vfs_proc *vfs_proc_dup(const struct vfs_proc *src)
{
	struct vfs_proc *p = kzalloc(sizeof(*p));

	if (!p || fdt_grow(p, src->nfds) < 0) {
		kfree(p);
		return NULL;
	}
	for (unsigned int fd = 0; fd < src->nfds; fd++) {
		p->fds[fd] = src->fds[fd];
		p->fd_cloexec[fd] = src->fd_cloexec[fd];
		if (p->fds[fd])
			vfs_file_get(p->fds[fd]);
	}
	p->cwd = src->cwd;
	vfs_inode_get(p->cwd);
	p->umask = src->umask;
	p->uid = src->uid;
	p->gid = src->gid;
	p->exe = src->exe;
	if (p->exe)
		vfs_file_get(p->exe);
	return p;
}

void vfs_proc_exec(struct vfs_proc *p)
{
	for (unsigned int fd = 0; fd < p->nfds; fd++)
		if (p->fds[fd] && p->fd_cloexec[fd])
			fdt_close(p, (int)fd);
}

void vfs_proc_set_exe(struct vfs_proc *p, struct file *exe)
{
	if (exe)
		vfs_file_get(exe);
	vfs_file_put(p->exe);
	p->exe = exe;
}

void vfs_proc_destroy(struct vfs_proc *p)
{
	if (!p)
		return;
	for (unsigned int fd = 0; fd < p->nfds; fd++)
		if (p->fds[fd])
			fdt_close(p, (int)fd);
	vfs_file_put(p->exe);
	vfs_inode_put(p->cwd);
	kfree(p->fds);
	kfree(p->fd_cloexec);
	kfree(p);
}
