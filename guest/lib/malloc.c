/* malloc.c: malloc/calloc/free on the kernel heap, for the static libraries linked into the kernel (zlib, liblzma, libzstd). */
#include <kernel.h>
#include <mm.h>

void *malloc(size_t n);
void *calloc(size_t nmemb, size_t size);
void free(void *p);

void *malloc(size_t n)
{
	return kmalloc(n ? n : 1);
}

void *calloc(size_t nmemb, size_t size)
{
	size_t n;

	if (__builtin_mul_overflow(nmemb, size, &n))
		return NULL;
	return kzalloc(n ? n : 1);
}

void free(void *p)
{
	kfree(p);
}
