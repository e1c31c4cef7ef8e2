/*
 * first-user.S: the benchmark's first user program: its first instruction
 * starts write(1, "u\n", 2), so the host sees the first user instruction as
 * the first stdout hypercall; then exit_group(0).  Static, no libc.
 */
	.text
	.globl _start
_start:
	mov $1, %eax                    /* write */
	mov $1, %edi
	lea msg(%rip), %rsi
	mov $2, %edx
	syscall
	mov $231, %eax                  /* exit_group */
	xor %edi, %edi
	syscall
1:	jmp 1b

	.section .rodata
msg:	.ascii "u\n"
