/* mv-compress-fpu.c: finit_module(COMPRESSED_FILE) must leave the caller's SSE registers, MXCSR and FS base untouched. */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

/*
 * usage: mv-compress-fpu FILE.ko.{gz,xz,zst}
 *
 * The kernel runs zlib/liblzma/libzstd, which use SSE and read a stack
 * canary at %fs:0x28, inside this process's syscall.  So the program loads
 * xmm0-xmm15 with patterns, sets MXCSR to an odd value (every exception
 * unmasked, round toward zero, flush-to-zero), points FS at nothing
 * (ARCH_SET_FS 0), calls finit_module(fd, "", MODULE_INIT_COMPRESSED_FILE)
 * and reads everything back before any C code runs.  Prints one line and
 * exits 0 when the call succeeded and all of it survived.
 */
#define ARCH_SET_FS     0x1002
#define ARCH_GET_FS     0x1003
#define COMPRESSED_FILE 4

static uint8_t before[16][16] __attribute__((aligned(16)));
static uint8_t after[16][16] __attribute__((aligned(16)));

int main(int argc, char **argv)
{
	uint32_t mxcsr_in = 0xe000, mxcsr_out = 0, mxcsr_default = 0x1f80;
	unsigned long fs = 0, fs_after = 1;
	long ret;
	int fd, bad = 0;

	if (argc != 2 || (fd = open(argv[1], O_RDONLY)) < 0) {
		fprintf(stderr, "usage: mv-compress-fpu FILE (openable)\n");
		return 2;
	}
	for (int r = 0; r < 16; r++)
		for (int b = 0; b < 16; b++)
			before[r][b] = (uint8_t)(r * 17 + b * 3 + 1);
	syscall(SYS_arch_prctl, ARCH_GET_FS, &fs);
	__asm__ volatile(
		"movdqa 0(%[b]), %%xmm0\n\t"   "movdqa 16(%[b]), %%xmm1\n\t"
		"movdqa 32(%[b]), %%xmm2\n\t"  "movdqa 48(%[b]), %%xmm3\n\t"
		"movdqa 64(%[b]), %%xmm4\n\t"  "movdqa 80(%[b]), %%xmm5\n\t"
		"movdqa 96(%[b]), %%xmm6\n\t"  "movdqa 112(%[b]), %%xmm7\n\t"
		"movdqa 128(%[b]), %%xmm8\n\t" "movdqa 144(%[b]), %%xmm9\n\t"
		"movdqa 160(%[b]), %%xmm10\n\t" "movdqa 176(%[b]), %%xmm11\n\t"
		"movdqa 192(%[b]), %%xmm12\n\t" "movdqa 208(%[b]), %%xmm13\n\t"
		"movdqa 224(%[b]), %%xmm14\n\t" "movdqa 240(%[b]), %%xmm15\n\t"
		"ldmxcsr %[in]\n\t"
		"mov $158, %%eax\n\t"           /* arch_prctl(ARCH_SET_FS, 0) */
		"mov $0x1002, %%edi\n\t"
		"xor %%esi, %%esi\n\t"
		"syscall\n\t"
		"mov $313, %%eax\n\t"           /* finit_module(fd, "", COMPRESSED_FILE) */
		"mov %[fd], %%edi\n\t"
		"lea %[empty], %%rsi\n\t"
		"mov $4, %%edx\n\t"
		"syscall\n\t"
		"mov %%rax, %[ret]\n\t"
		"stmxcsr %[out]\n\t"
		"mov $158, %%eax\n\t"           /* arch_prctl(ARCH_GET_FS, &fs_after) */
		"mov $0x1003, %%edi\n\t"
		"lea %[fsa], %%rsi\n\t"
		"syscall\n\t"
		"ldmxcsr %[def]\n\t"
		"movdqa %%xmm0, 0(%[a])\n\t"   "movdqa %%xmm1, 16(%[a])\n\t"
		"movdqa %%xmm2, 32(%[a])\n\t"  "movdqa %%xmm3, 48(%[a])\n\t"
		"movdqa %%xmm4, 64(%[a])\n\t"  "movdqa %%xmm5, 80(%[a])\n\t"
		"movdqa %%xmm6, 96(%[a])\n\t"  "movdqa %%xmm7, 112(%[a])\n\t"
		"movdqa %%xmm8, 128(%[a])\n\t" "movdqa %%xmm9, 144(%[a])\n\t"
		"movdqa %%xmm10, 160(%[a])\n\t" "movdqa %%xmm11, 176(%[a])\n\t"
		"movdqa %%xmm12, 192(%[a])\n\t" "movdqa %%xmm13, 208(%[a])\n\t"
		"movdqa %%xmm14, 224(%[a])\n\t" "movdqa %%xmm15, 240(%[a])\n\t"
		"mov $158, %%eax\n\t"           /* arch_prctl(ARCH_SET_FS, fs) */
		"mov $0x1002, %%edi\n\t"
		"mov %[fs], %%rsi\n\t"
		"syscall\n\t"
		: [ret] "=&m"(ret), [out] "=m"(mxcsr_out), [fsa] "=m"(fs_after)
		: [b] "r"(before), [a] "r"(after), [in] "m"(mxcsr_in), [def] "m"(mxcsr_default),
		  [fd] "m"(fd), [empty] "m"(*""), [fs] "m"(fs)
		: "rax", "rcx", "rdx", "rsi", "rdi", "r11", "memory", "xmm0", "xmm1", "xmm2",
		  "xmm3", "xmm4", "xmm5", "xmm6", "xmm7", "xmm8", "xmm9", "xmm10", "xmm11",
		  "xmm12", "xmm13", "xmm14", "xmm15");
	if (ret != 0) {
		printf("fpu %s: finit_module returned %ld\n", argv[1], ret);
		bad = 1;
	}
	for (int r = 0; r < 16; r++)
		if (memcmp(before[r], after[r], 16)) {
			printf("fpu %s: xmm%d changed\n", argv[1], r);
			bad = 1;
		}
	if (fs_after != 0) {
		printf("fpu %s: FS base %#lx after the call, want 0\n", argv[1], fs_after);
		bad = 1;
	}
	if (mxcsr_out != mxcsr_in) {
		printf("fpu %s: mxcsr %#x, want %#x\n", argv[1], mxcsr_out, mxcsr_in);
		bad = 1;
	}
	if (!bad)
		printf("fpu %s: ok (xmm0-15, mxcsr, fs kept)\n", argv[1]);
	return bad;
}
