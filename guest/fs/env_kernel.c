/* env_kernel.c: the file system's environment in the guest kernel (fs_env.h), and fs_boot(), which needs the kernel. */
#include "console.h"
#include "kernel.h"
#include "mm.h"
#include "uaccess.h"
#include "fs_env.h"
#include <modvisor/abi/bootinfo.h>

/* The gzipped configuration, between Linux's IKCFG_ST and IKCFG_ED markers (guest/kernel/configs.S). */
extern const char kernel_config_gz[], kernel_config_gz_end[];

void fs_bug(const char *what, const char *file, int line)
{
	panic("BUG at %s:%d: %s", file, line, what);
}

int fs_env_copy_out(uint64_t uaddr, const void *src, size_t n)
{
	return copy_to_user(uaddr, src, n);
}

int fs_env_copy_in(void *dst, uint64_t uaddr, size_t n)
{
	return copy_from_user(dst, uaddr, n);
}

long fs_env_console_write(unsigned int stream, uint64_t addr, size_t len, bool user)
{
	if (user)
		return console_write_user(stream, addr, len);
	console_write(stream, (const void *)addr, len);
	return (long)len;
}

long fs_env_console_read(uint64_t addr, size_t len, bool user, bool nonblock)
{
	return console_read(addr, len, user, nonblock);
}

bool fs_env_console_readable(void)
{
	return console_readable();
}

void *fs_env_data_alloc(size_t *cap)
{
	phys_addr_t pa;

	if (*cap < PAGE_SIZE)
		return kmalloc(*cap);
	if (*cap > SIZE_MAX - PAGE_SIZE)
		return NULL;
	*cap = ALIGN_UP(*cap, PAGE_SIZE);
	pa = page_alloc(*cap / PAGE_SIZE);
	return pa ? phys_to_virt(pa) : NULL;
}

void fs_env_data_free(void *p, size_t cap)
{
	if (!p)
		return;
	if (cap < PAGE_SIZE) {
		kfree(p);
		return;
	}
	for (size_t off = 0; off < cap; off += PAGE_SIZE)
		page_ref_put(virt_to_phys((char *)p + off));
}

int fs_env_page_get(const void *kaddr)
{
	return page_ref_get(virt_to_phys(kaddr));
}

uint64_t fs_env_free_kib(void)
{
	return (uint64_t)page_free_count() * 4;
}

/* fs_boot(bi): the root file system, /proc and /sys, and the initrd unpacked (vfs.h). */
void fs_boot(const struct mv_bootinfo *bi)
{
	char err[256];
	int ret;

	vfs_init(bi->flags);
	procfs_set_mem_total(bi->mem_size);
	if (bi->cmdline && bi->cmdline_len < MV_CMDLINE_MAX)
		procfs_set_cmdline(phys_to_virt(bi->cmdline), bi->cmdline_len);
	procfs_set_config(kernel_config_gz, (size_t)(kernel_config_gz_end - kernel_config_gz));
	if (!bi->initrd || !bi->initrd_len)
		return;
	ret = vfs_unpack_initrd(phys_to_virt(bi->initrd), bi->initrd_len, err, sizeof(err));
	if (ret == -ENOMEM || ret == -ENOSPC)   /* RAM for the archive and its copy, and more */
		panic("%s (%llu MiB RAM, a %llu KiB initrd); try --mem %llu", err,
		      (unsigned long long)(bi->mem_size >> 20),
		      (unsigned long long)(bi->initrd_len >> 10),
		      (unsigned long long)(((bi->mem_size + 2 * bi->initrd_len) >> 20) + 2) & ~1ull);
	if (ret < 0)
		panic("%s", err);
}
