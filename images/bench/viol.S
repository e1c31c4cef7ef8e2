/*
 * viol.S: the benchmark's violation guest: each round writes one byte of its
 * own text (read-only to the guest when the host protects it: one
 * KVM_EXIT_MMIO that the host discards) and makes one MV_HC_NOP.  `modvisor
 * bench` runs it with protection on and on_violation = log, and subtracts
 * nop.elf's round from this one: the cost of one violation exit.
 */
#define VBASE   0xffffffff80000000
#define HC_PORT 0x500
#define HC_NOP  3
#define ABI     1

	.text
	.globl _start
_start:
	movabs $nop_args, %rax
	movabs $VBASE, %rdx
	sub %rdx, %rax                  /* the struct's GPA */
	mov $(HC_PORT + HC_NOP), %dx
	movabs $target, %rdi
1:	movb $0xcc, (%rdi)              /* a write to our own text */
	out %eax, %dx
	jmp 1b
target:
	.byte 0x90

	.data
	.balign 16
nop_args:                               /* struct mv_hc_nop: just the header */
	.long ABI, 16, 0, 0
