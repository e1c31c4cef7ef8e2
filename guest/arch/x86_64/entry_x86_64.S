/* entry_x86_64.S: boot entry, exception and syscall entry stubs, ring-3 entry, ctx switch. */

#define GDT_USER_DS   0x1b
#define GDT_USER_CS   0x23
#define TRAP_SYSCALL  0x100

/*
 * The VMM enters here in long mode on its boot page tables, with %rdi =
 * the GPA of struct mv_bootinfo.  The kernel always runs with interrupts
 * disabled; only ring 3 and the idle loop's HLT take the VMM's tick and
 * input interrupts (irq.c).
 */
	.section .text.boot, "ax"
	.globl _start
_start:
	cli
	leaq boot_stack_top(%rip), %rsp
	xorl %ebp, %ebp
	call kmain
1:	hlt
	jmp 1b

/* Push the general registers: struct trap_frame from r15 up to rax. */
.macro SAVE_REGS
	pushq %rax
	pushq %rbx
	pushq %rcx
	pushq %rdx
	pushq %rsi
	pushq %rdi
	pushq %rbp
	pushq %r8
	pushq %r9
	pushq %r10
	pushq %r11
	pushq %r12
	pushq %r13
	pushq %r14
	pushq %r15
.endm

.macro RESTORE_REGS
	popq %r15
	popq %r14
	popq %r13
	popq %r12
	popq %r11
	popq %r10
	popq %r9
	popq %r8
	popq %rbp
	popq %rdi
	popq %rsi
	popq %rdx
	popq %rcx
	popq %rbx
	popq %rax
.endm

	.text
/* One stub per exception vector; the CPU pushes an error code for some. */
.macro EXC_STUB vec, has_err
	.balign 16
exc_stub_\vec:
	.if \has_err == 0
	pushq $0
	.endif
	pushq $\vec
	jmp trap_common
.endm

EXC_STUB 0, 0
EXC_STUB 1, 0
EXC_STUB 2, 0
EXC_STUB 3, 0
EXC_STUB 4, 0
EXC_STUB 5, 0
EXC_STUB 6, 0
EXC_STUB 7, 0
EXC_STUB 8, 1
EXC_STUB 9, 0
EXC_STUB 10, 1
EXC_STUB 11, 1
EXC_STUB 12, 1
EXC_STUB 13, 1
EXC_STUB 14, 1
EXC_STUB 15, 0
EXC_STUB 16, 0
EXC_STUB 17, 1
EXC_STUB 18, 0
EXC_STUB 19, 0
EXC_STUB 20, 0
EXC_STUB 21, 1
EXC_STUB 22, 0
EXC_STUB 23, 0
EXC_STUB 24, 0
EXC_STUB 25, 0
EXC_STUB 26, 0
EXC_STUB 27, 0
EXC_STUB 28, 0
EXC_STUB 29, 1
EXC_STUB 30, 1
EXC_STUB 31, 0
EXC_STUB 32, 0          /* MV_IRQ_TIMER */
EXC_STUB 33, 0          /* MV_IRQ_INPUT */

/* The frame is 16-byte aligned here (22 quadwords on an aligned stack). */
trap_common:
	SAVE_REGS
	cld
	movq %rsp, %rdi
	call trap_dispatch
	.globl fork_return
fork_return:            /* a fork child's first run starts here, on its frame */
	RESTORE_REGS
	addq $16, %rsp
	iretq

	.section .rodata
	.balign 8
	.globl exc_stubs
exc_stubs:
	.irp v, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31,32,33
	.quad exc_stub_\v
	.endr

	.text
/*
 * syscall from ring 3: RCX = user RIP, R11 = user RFLAGS, IF already masked
 * by SFMASK.  There is one CPU and no preemption, so the user stack pointer
 * and the kernel stack top live in plain variables (no swapgs, and the
 * user's GS base is never touched).  The frame has the exception layout so
 * handlers can read and change the user registers the same way.
 */
	.globl syscall_entry
syscall_entry:
	movq %rsp, syscall_user_rsp(%rip)
	movq syscall_kernel_rsp(%rip), %rsp
	pushq $GDT_USER_DS
	pushq syscall_user_rsp(%rip)
	pushq %r11
	pushq $GDT_USER_CS
	pushq %rcx
	pushq $0
	pushq $TRAP_SYSCALL
	SAVE_REGS
	cld
	movq %rsp, %rdi
	call syscall_dispatch
	testl %eax, %eax
	jnz fork_return         /* iretq: every register as the frame says */
	RESTORE_REGS
	addq $16, %rsp
	/* syscall_dispatch made sure the RIP is canonical and in the user half. */
	popq %rcx
	addq $8, %rsp
	popq %r11
	popq %rsp
	sysretq

/* user_enter(rip, rsp): enter ring 3 with every other register zero. */
	.globl user_enter
user_enter:
	pushq $GDT_USER_DS
	pushq %rsi
	pushq cpu_user_rflags(%rip)     /* 0x2, or 0x202 once the tick runs */
	pushq $GDT_USER_CS
	pushq %rdi
	xorl %eax, %eax
	xorl %ebx, %ebx
	xorl %ecx, %ecx
	xorl %edx, %edx
	xorl %esi, %esi
	xorl %edi, %edi
	xorl %ebp, %ebp
	xorl %r8d, %r8d
	xorl %r9d, %r9d
	xorl %r10d, %r10d
	xorl %r11d, %r11d
	xorl %r12d, %r12d
	xorl %r13d, %r13d
	xorl %r14d, %r14d
	xorl %r15d, %r15d
	iretq

/*
 * nmi_unblock(): the CPU blocks NMIs until the next iretq; a handler that
 * leaves an NMI without one (fault recovery) executes one here, to the
 * instruction after it on the same stack.
 */
	.globl nmi_unblock
nmi_unblock:
	movq %rsp, %rax
	pushq $0x10
	pushq %rax
	pushfq
	pushq $0x08
	leaq 1f(%rip), %rax
	pushq %rax
	iretq
1:	ret

/*
 * switch_stack(save, next): save the callee-saved registers on this
 * kernel stack, store its pointer in *save, and resume the stack at next
 * (a process's kernel stack, or the idle loop's).
 */
	.globl switch_stack
switch_stack:
	pushq %rbp
	pushq %rbx
	pushq %r12
	pushq %r13
	pushq %r14
	pushq %r15
	movq %rsp, (%rdi)
	movq %rsi, %rsp
	popq %r15
	popq %r14
	popq %r13
	popq %r12
	popq %rbx
	popq %rbp
	ret

/* kthread_entry: a new process's first run: call r12(r13); it never returns. */
	.globl kthread_entry
kthread_entry:
	andq $-16, %rsp
	movq %r13, %rdi
	call *%r12
	ud2

/* ctx_save(c): save callee-saved state; returns 0 (and later ctx_restore's v). */
	.globl ctx_save
ctx_save:
	movq %rbx, 0(%rdi)
	movq %rbp, 8(%rdi)
	movq %r12, 16(%rdi)
	movq %r13, 24(%rdi)
	movq %r14, 32(%rdi)
	movq %r15, 40(%rdi)
	leaq 8(%rsp), %rax
	movq %rax, 48(%rdi)
	movq (%rsp), %rax
	movq %rax, 56(%rdi)
	xorl %eax, %eax
	ret

/* ctx_restore(c, v): resume a ctx_save(c) so that it returns v. */
	.globl ctx_restore
ctx_restore:
	movq 0(%rdi), %rbx
	movq 8(%rdi), %rbp
	movq 16(%rdi), %r12
	movq 24(%rdi), %r13
	movq 32(%rdi), %r14
	movq 40(%rdi), %r15
	movq 48(%rdi), %rsp
	movl %esi, %eax
	jmp *56(%rdi)

	.bss
	.balign 16
boot_stack:
	.skip 32768
	.globl boot_stack_top
boot_stack_top:
	.balign 8
	.globl syscall_user_rsp, syscall_kernel_rsp
syscall_user_rsp:
	.quad 0
syscall_kernel_rsp:
	.quad 0
	.section .note.GNU-stack, "", @progbits
