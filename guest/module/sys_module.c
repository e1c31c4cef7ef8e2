/* sys_module.c: init_module(2), finit_module(2) and delete_module(2) in the guest kernel. */
#include <hcall.h>
#include <mm.h>
#include <proc.h>
#include <pseudofs.h>
#include <syscalls.h>
#include <uaccess.h>
#include <vfs.h>
#include "decompress.h"
#include <modvisor/elf64.h>
#include "loader.h"
#include "sysfs_module.h"
#include <modvisor/abi/bench.h>


/* timing_since(tm, stage, t0): add the time since t0 (modenv_now()) to stage. */
static void timing_since(struct mod_timings *tm, enum mod_stage stage, uint64_t t0)
{
	tm->ticks[stage] += modenv_now() - t0;
}

/*
 * bench_load_report(tm, len): one MV_HC_BENCH record per stage the load
 * reached, MV_BENCH_LOAD_TOTAL last (the host splits the records into loads
 * there).
 */
static void bench_load_report(const struct mod_timings *tm, uint64_t len)
{
	static const uint8_t to_bench[MOD_STAGE_COUNT] = {
		[MOD_STAGE_HOST] = MV_BENCH_VERDICT, [MOD_STAGE_ELF] = MV_BENCH_ELF_CHECK,
		[MOD_STAGE_LAYOUT] = MV_BENCH_LAYOUT, [MOD_STAGE_SYMBOLS] = MV_BENCH_SYMBOLS,
		[MOD_STAGE_RELOC] = MV_BENCH_RELOC, [MOD_STAGE_PARAMS] = MV_BENCH_PARAMS,
		[MOD_STAGE_INIT] = MV_BENCH_INIT, [MOD_STAGE_PROTECT] = MV_BENCH_PROTECT,
		[MOD_STAGE_COPY_IN] = MV_BENCH_COPY_IN,
		[MOD_STAGE_DECOMPRESS] = MV_BENCH_DECOMPRESS,
		[MOD_STAGE_TOTAL] = MV_BENCH_LOAD_TOTAL,
	};

	for (int s = 0; s < MOD_STAGE_COUNT; s++)
		if (tm->ticks[s])
			bench_stage(to_bench[s], tm->ticks[s], len);
}

/*
 * The user-facing checks, in Linux 6.1's order, then mod_load().  The image
 * is copied into physically contiguous kernel memory because the host reads
 * it by guest-physical address (MV_HC_MODULE_LOAD).  The parameter string
 * stays in user memory: mod_load() copies it after relocation, as Linux.
 */

/* may_init_module: CAP_SYS_MODULE and modules_disabled == 0, else EPERM. */
static int may_init_module(void)
{
	sysfs_module_init();
	if (!capable(CAP_SYS_MODULE) || kernel_modules_disabled())
		return -EPERM;
	return 0;
}

/*
 * The parameter string for the host's log (MV_HC_MODULE_LOAD), read before
 * the verdict: at most MV_MODLOAD_PARAMS_MAX bytes into buf (that + 1
 * bytes), never failing the call.  The syscall's own copy, at Linux's point
 * in the pipeline, decides the errno; an unreadable string is only flagged
 * here (docs/log-format.md).
 */
static void params_for_log(uaddr_t uargs, char *buf, struct mod_load_args *a)
{
	long n;

	if (!buf)
		return;         /* no memory: the entry has no "params" */
	n = strncpy_from_user(buf, uargs, MV_MODLOAD_PARAMS_MAX + 1);
	a->params_log = buf;
	if (n >= 0) {
		a->params_log_len = (uint32_t)n;
	} else if (n == -ENAMETOOLONG) {
		a->params_log_len = MV_MODLOAD_PARAMS_MAX;
		a->params_log_flags = MV_MODPARAMS_CUT;
	} else {
		a->params_log_len = 0;
		a->params_log_flags = MV_MODPARAMS_UNREADABLE;
	}
}

/*
 * Load an image already in kernel memory; on success tell sysfs and the
 * taint mask.  file/file_len: the file as read when image was decompressed
 * from it (the host measures both), else NULL/0.
 */
static long load_image(const void *image, uint64_t len, const void *file, uint64_t file_len,
		       uaddr_t uargs, uint32_t flags, uint32_t source, const char *path,
		       struct mod_timings *tm)
{
	struct mod_load_args a = {
		.image = image, .len = len, .flags = flags, .source = source, .path = path,
		.file = file, .file_len = file_len, .uargs = uargs, .timings = tm,
	};
	struct module *mod;
	char *logged = kmalloc(MV_MODLOAD_PARAMS_MAX + 1);
	int err;

	params_for_log(uargs, logged, &a);
	err = mod_load(&a, &mod);
	kfree(logged);
	for (unsigned bit = 0; bit < 32; bit++)
		if (mod_kernel_taints() & (1u << bit))
			kernel_add_taint(bit);
	if (err)
		return err;
	sysfs_module_add(mod);
	return 0;
}

static long sys_init_module(uaddr_t umod, uint64_t len, uaddr_t uargs)
{
	size_t pages = (len + PAGE_SIZE - 1) / PAGE_SIZE;
	struct mod_timings tm = { { 0 } };
	phys_addr_t pa;
	uint64_t t0;
	void *image;
	long err;

	err = may_init_module();
	if (err)
		return err;
	if (len < sizeof(Elf64_Ehdr))
		return -ENOEXEC;
	if (len > MV_MODLOAD_IMAGE_MAX)
		return -ENOMEM;
	pa = page_alloc(pages);
	if (!pa)
		return -ENOMEM;
	image = phys_to_virt(pa);
	t0 = modenv_now();
	err = copy_from_user(image, umod, len);
	timing_since(&tm, MOD_STAGE_COPY_IN, t0);
	if (!err)
		err = load_image(image, len, NULL, 0, uargs, 0, MV_MODSRC_INIT_MODULE, NULL, &tm);
	page_free(pa, pages);
	timing_since(&tm, MOD_STAGE_TOTAL, t0);
	bench_load_report(&tm, len);
	return err;
}
SYSCALL_REGISTER(175, init_module, sys_init_module);

/* The file behind fd, read whole, as Linux's kernel_read_file_from_fd. */
static int read_module_file(int fd, struct file **fp, void **image, size_t *len)
{
	struct file *f;
	int err;

	err = vfs_fd_get(vfs_current(), fd, &f);
	if (err)
		return -EBADF;
	if (!f->readable) {
		vfs_file_put(f);
		return -EBADF;
	}
	if (!S_ISREG(f->inode->mode)) {
		vfs_file_put(f);
		return -EINVAL;
	}
	err = vfs_deny_write(f->inode);
	if (err) {
		vfs_file_put(f);
		return err;
	}
	err = vfs_read_whole(f, MV_MODLOAD_IMAGE_MAX, image, len);
	if (err) {
		vfs_allow_write(f->inode);
		vfs_file_put(f);
		return err;
	}
	*fp = f;
	return 0;
}

/*
 * MODULE_INIT_COMPRESSED_FILE (issue 6, guest/module/decompress.c): the
 * image is the decompressed file (EINVAL/EOPNOTSUPP/EFBIG from
 * module_decompress); the signature is then checked on it, as in Linux.
 */
static long load_compressed(const void *file, size_t len, uaddr_t uargs, uint32_t flags,
			    const char *path, struct mod_timings *tm)
{
	struct mdc_image img;
	uint64_t t0 = modenv_now();
	long err;

	err = module_decompress(file, len, mdc_max(), &img);
	timing_since(tm, MOD_STAGE_DECOMPRESS, t0);
	if (err) {
		printk("%s: decompression failed: %s\n", path ? path : "finit_module",
		       mdc_last_error());
		return err;
	}
	err = load_image(img.data, img.len, file, len, uargs, flags,
			 MV_MODSRC_FINIT_MODULE, path, tm);
	module_decompress_free(&img);
	return err;
}

static long sys_finit_module(uint64_t fd, uaddr_t uargs, uint64_t flags)
{
	struct mod_timings tm = { { 0 } };
	struct file *f;
	uint64_t t0;
	void *image;
	size_t len;
	long err;

	err = may_init_module();
	if (err)
		return err;
	if (flags & ~(uint64_t)MV_MODULE_INIT_FLAGS_ALL)
		return -EINVAL;
	if (fd > INT32_MAX)
		return -EBADF;
	t0 = modenv_now();
	err = read_module_file((int)fd, &f, &image, &len);
	if (err)
		return err;
	timing_since(&tm, MOD_STAGE_COPY_IN, t0);
	if (flags & MV_MODULE_INIT_COMPRESSED_FILE)
		err = load_compressed(image, len, uargs, (uint32_t)flags, f->path, &tm);
	else
		err = load_image(image, len, NULL, 0, uargs, (uint32_t)flags,
				 MV_MODSRC_FINIT_MODULE, f->path, &tm);
	kfree(image);
	vfs_allow_write(f->inode);
	vfs_file_put(f);
	timing_since(&tm, MOD_STAGE_TOTAL, t0);
	bench_load_report(&tm, len);
	return err;
}
SYSCALL_REGISTER(313, finit_module, sys_finit_module);

static long sys_delete_module(uaddr_t uname, uint64_t flags)
{
	char name[MV_MODULE_NAME_LEN];
	struct module *mod;
	void *sysfs;
	long n, err;

	sysfs_module_init();
	if (!capable(CAP_SYS_MODULE) || kernel_modules_disabled())
		return -EPERM;
	/* Like Linux: at most MODULE_NAME_LEN - 1 bytes, silently cut. */
	n = strncpy_from_user(name, uname, sizeof(name) - 1);
	if (n == -EFAULT)
		return -EFAULT;
	name[n < 0 ? sizeof(name) - 1 : (size_t)n] = '\0';
	mod = mod_find(name);
	sysfs = mod ? mod->sysfs : NULL;
	err = mod_delete(name, (uint32_t)flags);
	if (!err) {
		sysfs_module_remove(sysfs);
		sysfs_module_unlink_holders(name);
	}
	return err;
}
SYSCALL_REGISTER(176, delete_module, sys_delete_module);
