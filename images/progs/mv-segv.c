/* mv-segv.c: die of a CPU exception on purpose, so tests see how the guest reports it. */
#include <stdio.h>
#include <string.h>

/*
 * mv-segv [null|kernel|ud|int3|div|gp|stack]: null (the default) reads
 * address 0; kernel writes to a kernel address; ud executes ud2; int3 is a
 * breakpoint (SIGTRAP, 133); div divides by
 * zero; gp loads from a non-canonical address; stack recurses past the
 * 8 MiB stack limit.  Each should end the process with 139, 132 or 136.
 */
static volatile int zero;

static int recurse(int depth)
{
	volatile char pad[4096];

	pad[0] = (char)depth;
	if (depth > (1 << 30))
		return pad[0];
	return recurse(depth + 1) + pad[0];
}

int main(int argc, char **argv)
{
	const char *how = argc > 1 ? argv[1] : "null";

	printf("mv-segv: %s\n", how);
	fflush(stdout);
	if (!strcmp(how, "null"))
		return *(volatile int *)(long)zero;
	if (!strcmp(how, "kernel"))
		*(volatile int *)0xffffffff80200000UL = 1;
	if (!strcmp(how, "ud"))
		__asm__ volatile("ud2");
	if (!strcmp(how, "int3"))
		__asm__ volatile("int3");
	if (!strcmp(how, "div")) {
		int q = 0;

		/* gcc turns 1 / x into a compare: divide in assembly. */
		__asm__ volatile("cltd; idivl %1" : "+a"(q) : "r"(zero) : "rdx");
		return q;
	}
	if (!strcmp(how, "gp"))
		return *(volatile int *)0x8000000000000000UL;
	if (!strcmp(how, "stack"))
		return recurse(0);
	fprintf(stderr, "mv-segv: unknown mode %s\n", how);
	return 2;
}
