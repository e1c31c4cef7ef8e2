/*
 * tg.S: tiny ring-0 test guests for tests/e2e/t-boot.sh, one per -DTG_CASE_x.
 * Each does one thing a hostile or broken guest might do; the VMM must stop
 * it with a diagnostic and a distinct status (see docs/hypercall-abi.md).
 * The ABI numbers are written out (tg.h) on purpose: these guests forge bytes.
 */
#include "tg.h"

	TG_ENTRY
#if defined(TG_CASE_hello)
	HC HC_CONSOLE, c_out
	cmpl $0, c_out+8(%rip)          /* hdr.ret, an OUT field */
	jne fail
	HC HC_CONSOLE, c_err
	HC HC_NOP, nop
	HC HC_EXIT, exit42
#elif defined(TG_CASE_pagefault)
	call idt_install
	movabs $0x8000001000, %rax       /* PML4[1] is not present */
	movq (%rax), %rax
#elif defined(TG_CASE_triplefault)
	movabs $0x8000001000, %rax       /* no IDT: #PF -> #DF -> shutdown */
	movq (%rax), %rax
#elif defined(TG_CASE_badgpa)
	mov $0xfff00000, %eax            /* argument struct beyond guest RAM */
	mov $(HC_PORT + HC_CONSOLE), %dx
	out %eax, %dx
#elif defined(TG_CASE_badbuf)
	HC HC_CONSOLE, c_badbuf
#elif defined(TG_CASE_overflow)
	HC HC_CONSOLE, c_overflow
#elif defined(TG_CASE_badlen)
	HC HC_CONSOLE, c_badlen
#elif defined(TG_CASE_badnr)
	movabs $c_out, %rax
	movabs $VBASE, %rdx
	sub %rdx, %rax
	mov $(HC_PORT + 31), %dx         /* in the port range, no handler */
	out %eax, %dx
#elif defined(TG_CASE_badport)
	mov $'x', %al
	mov $0x3f8, %dx                  /* a serial port: not ours */
	outb %al, %dx
#elif defined(TG_CASE_mmio)
	/* Map GPA 3 GiB (no RAM there) through the boot PD for 3-4 GiB. */
	movabs $(VBASE + 0x7000), %rax
	mov $(0xc0000000 | 0x83), %ecx   /* P W PS */
	movq %rcx, (%rax)
	movabs $0xc0000000, %rax
	invlpg (%rax)
	movl $1, (%rax)
#elif defined(TG_CASE_badabi)
	HC HC_CONSOLE, c_badabi
#elif defined(TG_CASE_badsize)
	HC HC_CONSOLE, c_badsize
#elif defined(TG_CASE_bootinfo)
	/* Echo what the VMM handed over: cmdline, command records, initrd. */
	movabs $0x746f6f42766d4d4d, %rax /* MV_BOOTINFO_MAGIC */
	cmp (%r15), %rax
	jne fail
	mov 24(%r15), %rsi               /* cmdline, cmdline_len */
	mov 32(%r15), %rcx
	call echo
	mov 56(%r15), %rsi               /* cmds, cmds_len */
	mov 64(%r15), %rcx
	call echo
	mov 40(%r15), %rsi               /* initrd, initrd_len */
	mov 48(%r15), %rcx
	call echo
	mov 72(%r15), %eax               /* exit status = cmd_count */
	movabs $exit_n, %rdi
	mov %eax, 16(%rdi)
	HC HC_EXIT, exit_n
#elif defined(TG_CASE_hlt)
	cli
	hlt
#else
#error "unknown TG_CASE"
#endif
fail:
	HC HC_EXIT, exit1
1:	jmp 1b

#if defined(TG_CASE_bootinfo)
/* echo: MV_HC_CONSOLE of GPA %rsi, length %rcx (< 64 KiB) to stdout. */
echo:
	movabs $c_echo, %rdi
	mov %rsi, 16(%rdi)
	mov %ecx, 24(%rdi)
	HC HC_CONSOLE, c_echo
	ret
#endif

#if defined(TG_CASE_pagefault)
/* idt_install: an IDT whose only gate, #PF, reports through MV_HC_FAULT. */
idt_install:
	movabs $pf_handler, %rax
	movabs $idt, %rdi
	mov %ax, 14*16(%rdi)             /* offset 15:0 */
	movw $0x08, 14*16+2(%rdi)        /* kernel code selector */
	movw $0x8e00, 14*16+4(%rdi)      /* present interrupt gate */
	shr $16, %rax
	mov %ax, 14*16+6(%rdi)           /* offset 31:16 */
	shr $16, %rax
	mov %eax, 14*16+8(%rdi)          /* offset 63:32 */
	movabs $idtr, %rax
	lidt (%rax)
	ret

pf_handler:
	movabs $fault, %rdi
	movq $14, 16(%rdi)               /* vector */
	mov 0(%rsp), %rax
	mov %rax, 24(%rdi)               /* error code */
	mov 8(%rsp), %rax
	mov %rax, 32(%rdi)               /* rip */
	mov %cr2, %rax
	mov %rax, 40(%rdi)               /* cr2 */
	mov 32(%rsp), %rax
	mov %rax, 48(%rdi)               /* rsp */
	mov 24(%rsp), %rax
	mov %rax, 56(%rdi)               /* rflags */
	mov 16(%rsp), %rax
	mov %rax, 64(%rdi)               /* cs */
	HC HC_FAULT, fault
	jmp fail
#endif

	.data
	.balign 16
c_out:      HDR 32
	.quad msg_out - VBASE
	.long msg_out_end - msg_out, 1
c_err:      HDR 32
	.quad msg_err - VBASE
	.long msg_err_end - msg_err, 2
c_badbuf:   HDR 32
	.quad 0x7ffffff0                 /* past 128 MiB of RAM */
	.long 32, 1
c_overflow: HDR 32
	.quad 0xfffffffffffffff0         /* buf + len wraps around */
	.long 0x100, 1
c_badlen:   HDR 32
	.quad msg_out - VBASE
	.long 0x10001, 1                 /* MV_CONSOLE_MAX + 1 */
c_badabi:   .long 99, 32, 0, 0
	.quad msg_out - VBASE
	.long msg_out_end - msg_out, 1
c_badsize:  .long ABI, 24, 0, 0
	.quad msg_out - VBASE
	.long msg_out_end - msg_out, 1
c_echo:     HDR 32
	.quad 0
	.long 0, 1
exit_n:     HDR 24
	.long 0, 0
nop:        HDR 16
exit42:     HDR 24
	.long 42, 0
exit1:      HDR 24
	.long 1, 0
	.balign 16
fault:      HDR 192
	.fill 14, 8, 0
	.asciz "testguest"
	.fill 64 - 10, 1, 0
	.balign 16
idt:        .fill 32 * 16, 1, 0
idtr:       .word 32*16 - 1
	.quad idt
msg_out:    .ascii "testguest: hello on stdout\n"
msg_out_end:
msg_err:    .ascii "testguest: hello on stderr\n"
msg_err_end:
	.balign 4096
	.fill 4096, 1, 0
stack_top:
