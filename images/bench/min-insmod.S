/*
 * min-insmod.S: the benchmark's module loader: finit_module(open("/bench/bm4k.ko"), "", 0),
 * then exit_group(0), or 1 if either failed.  Static, no libc: a libc's startup
 * probes the CPU with about 30 CPUID instructions, each a VM exit, which the boot
 * figures would otherwise count against the kernel (docs/benchmarks.md).
 */
	.text
	.globl _start
_start:
	mov $2, %eax                    /* open */
	lea path(%rip), %rdi
	xor %esi, %esi                  /* O_RDONLY */
	xor %edx, %edx
	syscall
	test %rax, %rax
	js 2f
	mov %rax, %rdi                  /* fd */
	mov $313, %eax                  /* finit_module */
	lea empty(%rip), %rsi
	xor %edx, %edx
	syscall
	test %rax, %rax
	jnz 2f
	xor %edi, %edi
	jmp 3f
2:	mov $1, %edi
3:	mov $231, %eax                  /* exit_group */
	syscall
1:	jmp 1b

	.section .rodata
path:	.asciz "/bench/bm4k.ko"
empty:	.asciz ""
