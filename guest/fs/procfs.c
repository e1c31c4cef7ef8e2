/* procfs.c: /proc (self/exe, version, cmdline, config.gz, modules, sys/kernel/{tainted,modules_disabled,pid_max}) and /sys. */
#include "fs_env.h"
#include "pseudofs.h"
#include <modvisor/version.h>

static struct inode *proc_dir, *sys_dir;
static unsigned long taint_mask;
static int modules_disabled;
static char *proc_cmdline;
static uint64_t mem_total;
static pseudo_show_fn modules_show;
static void *modules_priv;

struct inode *procfs_root(void)
{
	return proc_dir;
}

struct inode *sysfs_root(void)
{
	return sys_dir;
}

unsigned long kernel_taint_mask(void)
{
	return taint_mask;
}

void kernel_add_taint(unsigned int bit)
{
	if (bit < 8 * sizeof(taint_mask))
		taint_mask |= 1ul << bit;
}

bool kernel_modules_disabled(void)
{
	return modules_disabled;
}

void procfs_set_modules(pseudo_show_fn show, void *priv)
{
	modules_show = show;
	modules_priv = priv;
}

/*
 * parse_ulong: proc_dointvec-style input: optional blanks, decimal digits,
 * optional trailing blanks/newline; anything else is EINVAL.
 */
static int parse_ulong(const char *s, unsigned long *out)
{
	unsigned long v = 0;
	bool digits = false;

	while (*s == ' ' || *s == '\t' || *s == '\n')
		s++;
	for (; *s >= '0' && *s <= '9'; s++, digits = true)
		if (__builtin_mul_overflow(v, 10ul, &v) || __builtin_add_overflow(v, (unsigned long)(*s - '0'), &v))
			return -EINVAL;
	while (*s == ' ' || *s == '\t' || *s == '\n')
		s++;
	if (!digits || *s)
		return -EINVAL;
	*out = v;
	return 0;
}

static int show_tainted(struct pseudo_buf *out, void *priv)
{
	(void)priv;
	return pbuf_printf(out, "%lu\n", taint_mask);
}

/* Like Linux's proc_taint: written bits are added, never cleared. */
static long store_tainted(const char *buf, size_t len, void *priv)
{
	unsigned long v;
	(void)priv;
	if (parse_ulong(buf, &v) < 0)
		return -EINVAL;
	taint_mask |= v;
	return (long)len;
}

static int show_modules_disabled(struct pseudo_buf *out, void *priv)
{
	(void)priv;
	return pbuf_printf(out, "%d\n", modules_disabled);
}

/* proc_dointvec_minmax with min = max = 1: only "1" is accepted. */
static long store_modules_disabled(const char *buf, size_t len, void *priv)
{
	unsigned long v;
	(void)priv;
	if (parse_ulong(buf, &v) < 0 || v != 1)
		return -EINVAL;
	modules_disabled = 1;
	return (long)len;
}

/* /proc/sys/kernel/pid_max: pids wrap below this (guest/kernel/proc.c). */
static int show_pid_max(struct pseudo_buf *out, void *priv)
{
	(void)priv;
	return pbuf_printf(out, "32768\n");
}

static int show_version(struct pseudo_buf *out, void *priv)
{
	(void)priv;
	return pbuf_printf(out, "Linux version %s (modvisor %s) #1 SMP\n",
			   MODVISOR_UTS_RELEASE, MODVISOR_VERSION);
}

static int show_cmdline(struct pseudo_buf *out, void *priv)
{
	(void)priv;
	return pbuf_printf(out, "%s\n", proc_cmdline ? proc_cmdline : "");
}

static int show_modules(struct pseudo_buf *out, void *priv)
{
	(void)priv;
	return modules_show ? modules_show(out, modules_priv) : 0;
}

/* /proc/self/exe: the path the current process was executed from. */
static int show_self_exe(struct pseudo_buf *out, void *priv)
{
	struct vfs_proc *p = vfs_current();
	(void)priv;
	if (!p || !p->exe)
		return -ENOENT;
	return pbuf_write(out, p->exe->path, strlen(p->exe->path));
}

/* /proc/meminfo: the few lines busybox's free reads. */
static int show_meminfo(struct pseudo_buf *out, void *priv)
{
	uint64_t free_kb = fs_env_free_kib();
	(void)priv;
	return pbuf_printf(out, "MemTotal:       %8llu kB\nMemFree:        %8llu kB\n"
			   "MemAvailable:   %8llu kB\nBuffers:               0 kB\n"
			   "Cached:                0 kB\nSwapTotal:             0 kB\n"
			   "SwapFree:              0 kB\n",
			   (unsigned long long)(mem_total / 1024), (unsigned long long)free_kb,
			   (unsigned long long)free_kb);
}

/* /proc/mounts: the ramfs and the two pseudo trees ("ramfs", not Linux's "rootfs", which busybox df skips). */
static int show_mounts(struct pseudo_buf *out, void *priv)
{
	(void)priv;
	return pbuf_printf(out, "ramfs / ramfs rw 0 0\nproc /proc proc rw 0 0\n"
			   "sysfs /sys sysfs rw 0 0\n");
}

/* procfs_set_mem_total(bytes): guest RAM for /proc/meminfo. */
void procfs_set_mem_total(uint64_t bytes)
{
	mem_total = bytes;
}

/* procfs_set_cmdline(s): the kernel command line for /proc/cmdline. */
void procfs_set_cmdline(const char *s, size_t len)
{
	kfree(proc_cmdline);
	proc_cmdline = kmalloc(len + 1);
	if (!proc_cmdline)
		return;
	memcpy(proc_cmdline, s, len);
	proc_cmdline[len] = '\0';
}

/* /proc/config.gz: the kernel's configuration, gzipped at build time (Linux's IKCONFIG_PROC). */
static const void *config_gz;
static size_t config_gz_len;

static int show_config(struct pseudo_buf *out, void *priv)
{
	(void)priv;
	return pbuf_write(out, config_gz, config_gz_len);
}

void procfs_set_config(const void *gz, size_t len)
{
	config_gz = gz;
	config_gz_len = len;
	FS_BUG_ON(pseudo_create_file(proc_dir, "config.gz", 0444, show_config, NULL, NULL) < 0);
}

static int show_self_mounts(struct pseudo_buf *out, void *priv)
{
	(void)priv;
	return pbuf_printf(out, "/proc/mounts");
}

/* procfs_init(boot_flags): create /proc and /sys under the root. */
void procfs_init(uint32_t boot_flags)
{
	struct inode *root = vfs_root(), *self, *kern;

	modules_disabled = (boot_flags & 1u) ? 1 : 0;   /* MV_BOOT_F_MODULES_DISABLED */
	proc_dir = pseudo_mkdir(root, "proc", 0555);
	sys_dir = pseudo_mkdir(root, "sys", 0555);
	FS_BUG_ON(!proc_dir || !sys_dir);
	proc_dir->dev = 1;          /* st_dev 0x16 and 0x17: apart from the ramfs */
	sys_dir->dev = 2;
	self = pseudo_mkdir(proc_dir, "self", 0555);
	pseudo_create_link(self, "exe", show_self_exe, NULL);
	pseudo_create_file(proc_dir, "version", 0444, show_version, NULL, NULL);
	pseudo_create_file(proc_dir, "cmdline", 0444, show_cmdline, NULL, NULL);
	pseudo_create_file(proc_dir, "modules", 0444, show_modules, NULL, NULL);
	pseudo_create_file(proc_dir, "meminfo", 0444, show_meminfo, NULL, NULL);
	pseudo_create_file(proc_dir, "mounts", 0444, show_mounts, NULL, NULL);
	pseudo_create_link(self, "mounts", show_self_mounts, NULL);
	kern = pseudo_mkdir(pseudo_mkdir(proc_dir, "sys", 0555), "kernel", 0555);
	pseudo_create_file(kern, "tainted", 0644, show_tainted, store_tainted, NULL);
	pseudo_create_file(kern, "modules_disabled", 0644, show_modules_disabled,
			   store_modules_disabled, NULL);
	pseudo_create_file(kern, "pid_max", 0444, show_pid_max, NULL, NULL);
	pseudo_mkdir(sys_dir, "module", 0755);
}
