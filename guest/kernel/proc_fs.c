/* proc_fs.c: /proc entries for modules (proc_mkdir, proc_create, proc_remove) and seq_file, exported as the SDK's <linux/proc_fs.h> and <linux/seq_file.h>. */
#include "mm.h"
#include "proc_fs_abi.h"
#include "pseudofs.h"
#include "vfs.h"

struct proc_open_file;

/* One /proc file or directory made by a module. */
struct proc_dir_entry {
	struct proc_dir_entry *next;        /* all entries, for proc_remove's subtree */
	struct proc_dir_entry *parent;      /* NULL: directly in /proc */
	struct inode *inode;                /* its pseudo node (owned by the tree) */
	const struct proc_ops *ops;         /* NULL for a directory */
	void *data;                         /* pde_data() */
	int (*single_show)(struct seq_file *, void *);  /* proc_create_single_data */
	struct proc_open_file *opens;       /* files open on it */
};

/* One open of a module's /proc file: the module's struct file and its entry. */
struct proc_open_file {
	struct mod_file mf;
	struct proc_dir_entry *pde;         /* NULL once the entry was removed */
	struct proc_open_file *next;
};

static struct proc_dir_entry *pde_list;

/* ---- the open files (file_ops of the pseudo node) --------------------- */

static int pde_open(struct file *f)
{
	struct proc_dir_entry *pde = pseudo_priv(f->inode);
	struct proc_open_file *po;
	int err;

	if (!pde)
		return -ENOENT;         /* removed meanwhile */
	if (!(po = kzalloc(sizeof(*po))))
		return -ENOMEM;
	po->pde = pde;
	po->mf.f_inode = pde;
	po->mf.f_flags = f->flags;
	po->mf.f_mode = (f->readable ? FMODE_READ : 0) | (f->writable ? FMODE_WRITE : 0);
	if (pde->ops->proc_open && (err = pde->ops->proc_open(pde, &po->mf)) < 0) {
		kfree(po);
		return err;
	}
	po->next = pde->opens;
	pde->opens = po;
	f->priv = po;
	return 0;
}

/* pde_unlink_open: take po off its entry's list. */
static void pde_unlink_open(struct proc_open_file *po)
{
	struct proc_open_file **pp = &po->pde->opens;

	while (*pp && *pp != po)
		pp = &(*pp)->next;
	if (*pp)
		*pp = po->next;
}

static void pde_release(struct file *f)
{
	struct proc_open_file *po = f->priv;

	if (!po)
		return;
	if (po->pde) {
		pde_unlink_open(po);
		if (po->pde->ops->proc_release)
			po->pde->ops->proc_release(po->pde, &po->mf);
	}
	kfree(po);
}

/* pde_rw: a read or write through the module's handler, at off. */
static long pde_rw(struct file *f, struct vfs_iobuf *buf, uint64_t off, bool write)
{
	struct proc_open_file *po = f->priv;
	int64_t pos = (int64_t)off;
	long (*fn)(struct mod_file *, uaddr_t, size_t, int64_t *);

	if (!po->pde)
		return -EIO;            /* the entry was removed */
	fn = write ? po->pde->ops->proc_write : po->pde->ops->proc_read;
	if (!fn)
		return -EIO;
	if (!buf->user)
		return -EINVAL;         /* module handlers copy to and from user memory only */
	po->mf.f_pos = pos;
	return fn(&po->mf, (uaddr_t)buf->addr, buf->len, &pos);
}

static long pde_read(struct file *f, struct vfs_iobuf *buf, uint64_t off)
{
	return pde_rw(f, buf, off, false);
}

static long pde_write(struct file *f, struct vfs_iobuf *buf, uint64_t off)
{
	return pde_rw(f, buf, off, true);
}

static const struct file_ops pde_file_ops = {
	.open = pde_open,
	.read = pde_read,
	.write = pde_write,
	.release = pde_release,
	.seekable = true,
};

/* ---- creating and removing entries ----------------------------------- */

/*
 * pde_lookup_dir(name, parent, last): the directory inode that name's last
 * component goes in (name may be "dir/file" under existing directories,
 * as Linux's xlate_proc_name); *last points at that component.
 */
static struct inode *pde_lookup_dir(const char *name, struct proc_dir_entry *parent,
				    const char **last)
{
	struct inode *dir = parent ? parent->inode : procfs_root();
	const char *slash;

	while (dir && (slash = strchr(name, '/')) != NULL) {
		struct inode *child = pseudo_child(dir, name, (size_t)(slash - name));
		dir = child && S_ISDIR(child->mode) && (child->flags & VFS_I_PSEUDO) ? child : NULL;
		name = slash + 1;
	}
	*last = name;
	return dir && *name ? dir : NULL;
}

/* pde_new: a new entry (not yet in the tree) under parent. */
static struct proc_dir_entry *pde_new(struct proc_dir_entry *parent, const struct proc_ops *ops,
				      void *data)
{
	struct proc_dir_entry *pde = kzalloc(sizeof(*pde));

	if (!pde)
		return NULL;
	pde->parent = parent;
	pde->ops = ops;
	pde->data = data;
	return pde;
}

static void pde_link(struct proc_dir_entry *pde)
{
	pde->next = pde_list;
	pde_list = pde;
}

struct proc_dir_entry *proc_mkdir(const char *name, struct proc_dir_entry *parent)
{
	const char *last;
	struct inode *dir = pde_lookup_dir(name, parent, &last);
	struct proc_dir_entry *pde;

	if (!dir || pseudo_child(dir, last, strlen(last)) || !(pde = pde_new(parent, NULL, NULL)))
		return NULL;
	if (!(pde->inode = pseudo_mkdir(dir, last, 0555))) {
		kfree(pde);
		return NULL;
	}
	pde_link(pde);
	return pde;
}

struct proc_dir_entry *proc_create_data(const char *name, uint16_t mode,
					struct proc_dir_entry *parent,
					const struct proc_ops *ops, void *data)
{
	const char *last;
	struct inode *dir = pde_lookup_dir(name, parent, &last);
	struct proc_dir_entry *pde;
	int err;

	if (!dir || !ops || !(pde = pde_new(parent, ops, data)))
		return NULL;
	if (!(mode & 0777))
		mode |= 0444;       /* Linux: no permission bits means S_IRUGO */
	if (!(pde->inode = pseudo_create_ops(dir, last, mode & 07777, &pde_file_ops, pde, &err))) {
		kfree(pde);
		return NULL;
	}
	pde_link(pde);
	return pde;
}

struct proc_dir_entry *proc_create(const char *name, uint16_t mode, struct proc_dir_entry *parent,
				   const struct proc_ops *ops)
{
	return proc_create_data(name, mode, parent, ops, NULL);
}

static int single_pde_open(struct proc_dir_entry *pde, struct mod_file *file)
{
	return single_open(file, pde->single_show, pde->data);
}

static const struct proc_ops single_pde_ops = {
	.proc_open = single_pde_open,
	.proc_read = seq_read,
	.proc_lseek = seq_lseek,
	.proc_release = single_release,
};

struct proc_dir_entry *proc_create_single_data(const char *name, uint16_t mode,
					       struct proc_dir_entry *parent,
					       int (*show)(struct seq_file *, void *), void *data)
{
	struct proc_dir_entry *pde = proc_create_data(name, mode, parent, &single_pde_ops, data);

	if (pde)
		pde->single_show = show;
	return pde;
}

void *pde_data(const struct proc_dir_entry *inode)
{
	return inode->data;
}

/* pde_rundown: release the files still open on pde (Linux's proc_entry_rundown). */
static void pde_rundown(struct proc_dir_entry *pde)
{
	while (pde->opens) {
		struct proc_open_file *po = pde->opens;

		pde->opens = po->next;
		po->pde = NULL;
		if (pde->ops->proc_release)
			pde->ops->proc_release(pde, &po->mf);
	}
}

/* pde_under(pde, top): is pde top or below it? */
static bool pde_under(const struct proc_dir_entry *pde, const struct proc_dir_entry *top)
{
	for (; pde; pde = pde->parent)
		if (pde == top)
			return true;
	return false;
}

void proc_remove(struct proc_dir_entry *top)
{
	struct proc_dir_entry **pp = &pde_list;

	if (!top)
		return;
	pseudo_remove(top->inode);
	while (*pp) {
		struct proc_dir_entry *pde = *pp;

		if (!pde_under(pde, top)) {
			pp = &pde->next;
			continue;
		}
		*pp = pde->next;
		if (pde->ops)
			pde_rundown(pde);
		if (pde != top)
			kfree(pde);
	}
	kfree(top);
}

void remove_proc_entry(const char *name, struct proc_dir_entry *parent)
{
	const char *last;
	struct inode *dir = pde_lookup_dir(name, parent, &last);
	struct inode *node = dir ? pseudo_child(dir, last, strlen(last)) : NULL;

	for (struct proc_dir_entry *pde = pde_list; node && pde; pde = pde->next)
		if (pde->inode == node) {
			proc_remove(pde);
			return;
		}
	printk("remove_proc_entry: %s%s: no such /proc entry of a module\n",
	       parent ? "(under a module's directory) " : "", name);
}
