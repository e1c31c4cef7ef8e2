/* arch.h: the x86-64 part of the guest kernel as the portable part sees it. */
#ifndef MV_GUEST_ARCH_H
#define MV_GUEST_ARCH_H

#include "kernel.h"

/* GDT selectors.  The order is what syscall/sysret need (see cpu_x86_64.c). */
#define GDT_KERNEL_CS   0x08
#define GDT_KERNEL_DS   0x10
#define GDT_USER_DS     0x1b    /* index 3, RPL 3 */
#define GDT_USER_CS     0x23    /* index 4, RPL 3 */
#define GDT_TSS         0x28

/*
 * The registers saved on kernel entry, lowest address first: the stubs in
 * entry_x86_64.S push them for exceptions and for syscalls alike, so a
 * handler sees and may change the user's registers in one place.
 */
struct trap_frame {
	uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
	uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
	uint64_t vector;        /* exception vector; TRAP_SYSCALL for syscall */
	uint64_t error_code;
	uint64_t rip, cs, rflags, rsp, ss;   /* as pushed by the CPU */
};
#define TRAP_SYSCALL    0x100

/* Exception vectors. */
enum {
	X86_DE = 0, X86_DB = 1, X86_NMI = 2, X86_BP = 3, X86_OF = 4, X86_BR = 5,
	X86_UD = 6, X86_NM = 7, X86_DF = 8, X86_TS = 10, X86_NP = 11,
	X86_SS = 12, X86_GP = 13, X86_PF = 14, X86_MF = 16, X86_AC = 17,
	X86_MC = 18, X86_XM = 19, X86_VE = 20, X86_CP = 21,
};

/* cpu_init(): load the GDT, TSS and IDT and set CR0/CR4/EFER bits. */
void cpu_init(void);
/* cpu_set_kernel_stack(top): stack for entries from ring 3 (TSS.RSP0, syscall). */
void cpu_set_kernel_stack(uint64_t top);
/* cpu_fpu_reset(): give the FPU/SSE state a clean, default start (at exec). */
void cpu_fpu_reset(void);

/*
 * paging_init(mem_size): build and load the kernel page tables: the image
 * W^X with 4 KiB pages, the direct map of mem_size bytes of RAM (NX).
 */
void paging_init(uint64_t mem_size);
/* paging_kernel_pml4(): physical address of the kernel's top-level table. */
uint64_t paging_kernel_pml4(void);
/* paging_switch(pml4_pa): load CR3. */
void paging_switch(uint64_t pml4_pa);

/*
 * user_enter(rip, rsp): drop to ring 3 at rip with stack rsp, all other
 * registers zero.  Does not return; the process comes back through a
 * syscall or an exception.
 */
__noreturn void user_enter(uint64_t rip, uint64_t rsp);

/*
 * switch_stack(save, next): store this kernel stack's pointer (with the
 * callee-saved registers on it) in *save and continue on stack next; it
 * returns when another switch_stack() comes back to *save.
 */
void switch_stack(uint64_t *save, uint64_t next);
/* First return addresses of a new process's stack (sched.c). */
void kthread_entry(void);
void fork_return(void);

/* cpu_fpu_save(area) / cpu_fpu_load(area): FXSAVE / FXRSTOR of 512 aligned bytes. */
static inline void cpu_fpu_save(void *area)
{
	__asm__ volatile("fxsaveq %0" : "=m"(*(uint8_t (*)[512])area));
}

static inline void cpu_fpu_load(const void *area)
{
	__asm__ volatile("fxrstorq %0" : : "m"(*(const uint8_t (*)[512])area));
}

/* cpu_mxcsr_mask(): the MXCSR bits this CPU accepts (FXSAVE's MXCSR_MASK). */
uint32_t cpu_mxcsr_mask(void);

/* cpu_fpu_clean(area): fill area with the clean state cpu_fpu_reset() loads. */
void cpu_fpu_clean(void *area);

/*
 * cpu_idle_wait(): wait a little for something to happen (an interrupt or
 * a deadline): HLT when the timer interrupt runs, else a PAUSE.
 */
void cpu_idle_wait(void);

/*
 * user_rflags_if(): the IF bit ring 3 runs with: 0x200 once the timer
 * interrupt is set up (so it can preempt), else 0.
 */
uint64_t user_rflags_if(void);
/* cpu_user_interrupts(): ring 3 and the idle HLT run with IF from now on (the tick is up). */
void cpu_user_interrupts(void);

/* nmi_unblock(): end the CPU's NMI blocking with an iretq to the caller. */
void nmi_unblock(void);

/* ctx_save(c) returns 0; a later ctx_restore(c, v) returns v != 0 there. */
int ctx_save(void *c) __attribute__((returns_twice));
__noreturn void ctx_restore(void *c, int v);

static inline uint64_t rdmsr(uint32_t msr)
{
	uint32_t lo, hi;

	__asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return (uint64_t)hi << 32 | lo;
}

static inline void wrmsr(uint32_t msr, uint64_t v)
{
	__asm__ volatile("wrmsr" : : "c"(msr), "a"((uint32_t)v),
			 "d"((uint32_t)(v >> 32)));
}

static inline uint64_t rdtsc(void)
{
	uint32_t lo, hi;

	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return (uint64_t)hi << 32 | lo;
}

static inline uint64_t read_cr2(void)
{
	uint64_t v;

	__asm__ volatile("mov %%cr2, %0" : "=r"(v));
	return v;
}

#define MSR_EFER            0xc0000080
#define MSR_STAR            0xc0000081
#define MSR_LSTAR           0xc0000082
#define MSR_SFMASK          0xc0000084
#define MSR_FS_BASE         0xc0000100
#define MSR_GS_BASE         0xc0000101
#define MSR_KERNEL_GS_BASE  0xc0000102
#define EFER_SCE            (1u << 0)
#define EFER_NXE            (1u << 11)

#endif
