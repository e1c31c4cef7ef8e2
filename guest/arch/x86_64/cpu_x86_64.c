/* cpu_x86_64.c: GDT, TSS, IDT, control registers, syscall MSRs and FPU reset. */
#include "arch.h"
#include "mm.h"

#define IDT_VECTORS 34             /* 32 exceptions, MV_IRQ_TIMER, MV_IRQ_INPUT */

/* The RFLAGS ring 3 starts with (user_enter): IF once the tick runs. */
uint64_t cpu_user_rflags = 0x2;

/* The 64-bit TSS: only the stack pointers matter in long mode. */
struct tss {
	uint32_t _rsvd0;
	uint64_t rsp[3];
	uint64_t _rsvd1;
	uint64_t ist[7];
	uint64_t _rsvd2;
	uint16_t _rsvd3;
	uint16_t iomap_base;
} __attribute__((packed));

struct idt_gate {
	uint16_t off_lo, sel;
	uint8_t ist, type_attr;
	uint16_t off_mid;
	uint32_t off_hi, _rsvd;
};

struct desc_ptr {
	uint16_t limit;
	uint64_t base;
} __attribute__((packed));

/*
 * GDT layout, fixed by syscall/sysret: STAR[47:32] = 0x08 gives kernel CS
 * 0x08 and SS 0x10; STAR[63:48] = 0x10 gives sysretq CS 0x10+16 = 0x20 and
 * SS 0x10+8 = 0x18 (RPL 3 is forced), so user data must precede user code.
 */
static uint64_t gdt[7] __attribute__((aligned(16))) = {
	0,
	0x00af9a000000ffffULL,  /* 0x08 kernel code: L, P, DPL0, exec/read */
	0x00cf92000000ffffULL,  /* 0x10 kernel data */
	0x00cff2000000ffffULL,  /* 0x18 user data: DPL3 */
	0x00affa000000ffffULL,  /* 0x20 user code: L, DPL3 */
	0, 0,                   /* 0x28 TSS (16 bytes) */
};

static struct tss tss __attribute__((aligned(16)));
static struct idt_gate idt[IDT_VECTORS] __attribute__((aligned(16)));
static uint8_t df_stack[8192] __attribute__((aligned(16)));
static uint8_t nmi_stack[8192] __attribute__((aligned(16)));
/* Clean FPU/SSE state for a new program: FCW 0x37f, MXCSR 0x1f80. */
static uint8_t fpu_clean[512] __attribute__((aligned(16)));

extern const uint64_t exc_stubs[IDT_VECTORS];
extern uint64_t syscall_kernel_rsp;
extern char syscall_entry[];

static void gdt_set_tss(void)
{
	uint64_t base = (uint64_t)&tss, limit = sizeof(tss) - 1;

	gdt[5] = (limit & 0xffff) | (base & 0xffffff) << 16 |
		 0x89ULL << 40 |                /* P, type 9: available TSS */
		 ((limit >> 16) & 0xf) << 48 | ((base >> 24) & 0xff) << 56;
	gdt[6] = base >> 32;
}

static void gdt_load(void)
{
	struct desc_ptr p = { sizeof(gdt) - 1, (uint64_t)gdt };

	__asm__ volatile(
		"lgdt %0\n\t"
		"pushq $0x08\n\t"
		"leaq 1f(%%rip), %%rax\n\t"
		"pushq %%rax\n\t"
		"lretq\n"
		"1:\n\t"
		"movw $0x10, %%ax\n\t"
		"movw %%ax, %%ss\n\t"
		"xorl %%eax, %%eax\n\t"
		"movw %%ax, %%ds\n\t"
		"movw %%ax, %%es\n\t"
		"movw %%ax, %%fs\n\t"
		"movw %%ax, %%gs\n\t"
		"movw $0x28, %%ax\n\t"
		"ltr %%ax"
		: : "m"(p) : "rax", "memory");
}

static void idt_load(void)
{
	struct desc_ptr p = { sizeof(idt) - 1, (uint64_t)idt };

	for (unsigned v = 0; v < IDT_VECTORS; v++) {
		uint64_t off = exc_stubs[v];

		idt[v] = (struct idt_gate){
			.off_lo = off & 0xffff, .sel = GDT_KERNEL_CS,
			/*
			 * #DF and NMI always get known-good stacks (IST1,
			 * IST2): an NMI can arrive on the first instruction
			 * of syscall_entry, still on the user's stack.
			 */
			.ist = v == X86_DF ? 1 : v == X86_NMI ? 2 : 0,
			/* P, 64-bit interrupt gate; DPL3 for int3 and into from ring 3. */
			.type_attr = v == X86_BP || v == X86_OF ? 0xee : 0x8e,
			.off_mid = (off >> 16) & 0xffff, .off_hi = off >> 32,
		};
	}
	__asm__ volatile("lidt %0" : : "m"(p) : "memory");
}

/*
 * Control registers: CR0.WP so the kernel honours read-only pages too,
 * CR0.NE/MP with EM and TS clear so user SSE/x87 just works; CR4.OSFXSR and
 * OSXMMEXCPT enable SSE in ring 3.  CR4.OSXSAVE stays off: the AVX state
 * is then unusable, CPUID says so (OSXSAVE=0), and glibc/musl pick their
 * SSE2 routines, so the only vector state is the 512-byte FXSAVE area.
 * EFER: NXE for no-execute pages, SCE for syscall.
 */
static void cpu_set_control(void)
{
	uint64_t cr0, cr4;

	__asm__ volatile("mov %%cr0, %0" : "=r"(cr0));
	cr0 |= (1u << 16) | (1u << 5) | (1u << 1);     /* WP, NE, MP */
	cr0 &= ~((1ULL << 2) | (1ULL << 3));            /* EM, TS */
	__asm__ volatile("mov %0, %%cr0" : : "r"(cr0));
	__asm__ volatile("mov %%cr4, %0" : "=r"(cr4));
	cr4 |= (1u << 9) | (1u << 10);                  /* OSFXSR, OSXMMEXCPT */
	__asm__ volatile("mov %0, %%cr4" : : "r"(cr4));
	wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_NXE | EFER_SCE);
}

/*
 * SFMASK clears IF, TF, DF, AC and NT on entry, so the kernel runs with
 * interrupts off and a clean direction flag whatever the user set.
 */
static void cpu_syscall_msrs(void)
{
	wrmsr(MSR_STAR, (uint64_t)0x10 << 48 | (uint64_t)GDT_KERNEL_CS << 32);
	wrmsr(MSR_LSTAR, (uint64_t)syscall_entry);
	wrmsr(MSR_SFMASK, 0x47700);     /* AC, NT, DF, IF, TF (+IOPL) */
}

void cpu_init(void)
{
	cpu_set_control();
	tss.ist[0] = (uint64_t)df_stack + sizeof(df_stack);
	tss.ist[1] = (uint64_t)nmi_stack + sizeof(nmi_stack);
	tss.iomap_base = sizeof(tss);   /* no I/O bitmap: ring 3 has no ports */
	gdt_set_tss();
	gdt_load();
	idt_load();
	cpu_syscall_msrs();
	fpu_clean[0] = 0x7f;            /* FCW = 0x037f */
	fpu_clean[1] = 0x03;
	fpu_clean[24] = 0x80;           /* MXCSR = 0x1f80 */
	fpu_clean[25] = 0x1f;
}

void cpu_set_kernel_stack(uint64_t top)
{
	tss.rsp[0] = top;
	syscall_kernel_rsp = top;
}

/*
 * The scheduler saves and loads the FPU/SSE registers at each switch
 * (sched.c); a new program (exec) gets a clean state so nothing of the
 * previous one leaks into it.
 */
void cpu_fpu_reset(void)
{
	__asm__ volatile("fninit\n\tfxrstor %0" : : "m"(fpu_clean) : "memory");
}

void cpu_fpu_clean(void *area)
{
	memcpy(area, fpu_clean, sizeof(fpu_clean));
}

void cpu_idle_wait(void)
{
	if (cpu_user_rflags & 0x200)
		__asm__ volatile("sti\n\thlt\n\tcli" ::: "memory");  /* until an interrupt */
	else
		__asm__ volatile("pause");
}


uint64_t user_rflags_if(void)
{
	return cpu_user_rflags & 0x200;
}

void cpu_user_interrupts(void)
{
	cpu_user_rflags = 0x202;
}

uint32_t cpu_mxcsr_mask(void)
{
	static uint8_t fx[512] __attribute__((aligned(16)));
	static uint32_t mask;

	if (!mask) {
		cpu_fpu_save(fx);
		memcpy(&mask, fx + 28, 4);
		if (!mask)
			mask = 0xffbf;  /* the architectural default */
	}
	return mask;
}
