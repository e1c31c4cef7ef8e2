/* decompress_env.c: guest/module/decompress.c's environment on the host (malloc, no bracket): the VMM's unpack.c, the tests and the fuzzer. */
#include <stdlib.h>
#include "../../guest/module/decompress.h"

void *mdc_env_out_alloc(size_t n)
{
	return malloc(n);
}

void mdc_env_out_free(void *p, size_t n)
{
	(void)n;
	free(p);
}

void *mdc_env_heap_alloc(size_t n)
{
	return malloc(n);
}

void mdc_env_heap_free(void *p)
{
	free(p);
}

/* The host's libraries need no FPU or stack-protector bracket. */
void mdc_lib_enter(void)
{
}

void mdc_lib_exit(void)
{
}
