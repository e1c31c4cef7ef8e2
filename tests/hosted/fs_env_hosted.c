/* fs_env_hosted.c: guest/fs's environment on the host (guest/fs/fs_env.h): malloc and abort, for test_vfs. */
#include <stdio.h>
#include <stdlib.h>
#include "../../guest/fs/fs_env.h"

void *kmalloc(size_t n)
{
	return malloc(n ? n : 1);
}

void *kzalloc(size_t n)
{
	return calloc(1, n ? n : 1);
}

void kfree(void *p)
{
	free(p);
}

/*
 * File storage: page-aligned from a page up, as in the kernel.  A page
 * lent with fs_env_page_get() is remembered, and storage holding one is
 * never freed (the kernel keeps such a page for its mapping), so a test
 * can still read what a mapping would see.
 */
#define HOSTED_LENT_MAX 64
static const void *hosted_lent[HOSTED_LENT_MAX];
static int hosted_nlent;

void *fs_env_data_alloc(size_t *cap)
{
	if (*cap < FS_PAGE_SIZE)
		return malloc(*cap ? *cap : 1);
	*cap = (*cap + FS_PAGE_SIZE - 1) / FS_PAGE_SIZE * FS_PAGE_SIZE;
	return aligned_alloc(FS_PAGE_SIZE, *cap);
}

void fs_env_data_free(void *p, size_t cap)
{
	for (int i = 0; i < hosted_nlent; i++)
		if ((const char *)hosted_lent[i] >= (char *)p &&
		    (const char *)hosted_lent[i] < (char *)p + cap)
			return;
	free(p);
}

int fs_env_page_get(const void *kaddr)
{
	if (hosted_nlent == HOSTED_LENT_MAX)
		return -ENOMEM;
	hosted_lent[hosted_nlent++] = kaddr;
	return 0;
}

void fs_bug(const char *what, const char *file, int line)
{
	fprintf(stderr, "BUG at %s:%d: %s\n", file, line, what);
	abort();
}

/* Host tests model a bad user pointer as one below 4096. */
int fs_env_copy_out(uint64_t uaddr, const void *src, size_t n)
{
	if (uaddr < 4096)
		return -EFAULT;
	memcpy((void *)uaddr, src, n);
	return 0;
}

int fs_env_copy_in(void *dst, uint64_t uaddr, size_t n)
{
	if (uaddr < 4096)
		return -EFAULT;
	memcpy(dst, (const void *)uaddr, n);
	return 0;
}

long fs_env_console_write(unsigned int stream, uint64_t addr, size_t len, bool user)
{
	if (user && addr < 4096)
		return -EFAULT;
	return (long)fwrite((const void *)addr, 1, len, stream == 2 ? stderr : stdout);
}

long fs_env_console_read(uint64_t addr, size_t len, bool user, bool nonblock)
{
	(void)addr, (void)len, (void)user, (void)nonblock;
	return 0;                       /* the host build's console input is empty */
}

bool fs_env_console_readable(void)
{
	return true;
}

const struct file_ops *fs_env_fifo_ops(void)
{
	return NULL;                    /* no pipes on the host: opening a FIFO is -ENXIO */
}

uint64_t fs_env_free_kib(void)
{
	return 0;
}
