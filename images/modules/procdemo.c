/* procdemo.c: a module with /proc entries, written as for Linux: a directory, a seq_file (single_open), a proc_create_single file, and a writable file. */
#include <linux/module.h>
#include <linux/proc_fs.h>
#include <linux/seq_file.h>
#include <linux/uaccess.h>

static struct proc_dir_entry *dir;
static int writes;
static char last[32] = "none";

static int lines = 3;
module_param(lines, int, 0444);
MODULE_PARM_DESC(lines, "how many lines /proc/procdemo/lines has");

static int lines_show(struct seq_file *m, void *v)
{
	int *n = m->private;

	for (int i = 1; i <= *n; i++)
		seq_printf(m, "line %d of %d\n", i, *n);
	seq_puts(m, "end");
	seq_putc(m, '\n');
	return 0;
}
DEFINE_PROC_SHOW_ATTRIBUTE(lines);

static int status_show(struct seq_file *m, void *v)
{
	seq_printf(m, "writes: %d\nlast: %s\n", writes, last);
	return 0;
}

/* A write-only handler of its own: it counts writes and keeps the first line written. */
static ssize_t cmd_write(struct file *file, const char __user *buf, size_t size, loff_t *ppos)
{
	size_t n = size < sizeof(last) - 1 ? size : sizeof(last) - 1;

	if (copy_from_user(last, buf, n))
		return -EFAULT;
	last[n] = '\0';
	if (strchr(last, '\n'))
		*strchr(last, '\n') = '\0';
	writes++;
	*ppos += size;
	return size;
}

static const struct proc_ops cmd_ops = {
	.proc_write = cmd_write,
};

static int __init procdemo_init(void)
{
	dir = proc_mkdir("procdemo", NULL);
	if (!dir)
		return -ENOMEM;
	if (!proc_create_data("lines", 0444, dir, &lines_proc_ops, &lines) ||
	    !proc_create_single("status", 0, dir, status_show) ||
	    !proc_create("cmd", 0200, dir, &cmd_ops)) {
		proc_remove(dir);
		return -ENOMEM;
	}
	pr_info("procdemo: /proc/procdemo ready\n");
	return 0;
}

static void __exit procdemo_exit(void)
{
	remove_proc_entry("procdemo", NULL);
	pr_info("procdemo: removed\n");
}

module_init(procdemo_init);
module_exit(procdemo_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("sample /proc entries with seq_file");
