/*
 * nop.S: the benchmark's null-hypercall guest: MV_HC_NOP in a tight loop, ring 0,
 * linked like the kernel (images/testguests/tg.ld).  `modvisor bench` stops it
 * after N calls and times the exits between the first and the last.
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
1:	out %eax, %dx
	jmp 1b

	.data
	.balign 16
nop_args:                               /* struct mv_hc_nop: just the header */
	.long ABI, 16, 0, 0
