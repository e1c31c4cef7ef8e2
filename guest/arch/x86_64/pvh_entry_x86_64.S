/* pvh_entry_x86_64.S: the PVH entry (QEMU -kernel): its ELF note and the climb from 32-bit protected mode to long mode. */

#define KERNEL_VBASE    0xffffffff80000000      /* MV_KERNEL_VBASE */
#define PA(x)           ((x) - KERNEL_VBASE)
#define XEN_ELFNOTE_PHYS32_ENTRY 18
#define PTE_P_RW        0x03
#define PDE_2M          0x83                    /* present, writable, 2 MiB */
#define CR4_PAE         0x20
#define MSR_EFER        0xc0000080
#define EFER_LME        0x100
#define CR0_PE_PG       0x80000001

/*
 * The note a PVH loader looks for (xen/include/public/elfnote.h): name
 * "Xen", type XEN_ELFNOTE_PHYS32_ENTRY, the entry's physical address.
 * The descriptor is 8 bytes, as Linux's, because QEMU reads a 64-bit
 * value from a 64-bit ELF; the section is 4-aligned as ELF notes are.
 */
	.section .note.Xen, "a", @note
	.balign 4
	.long 2f - 1f           /* namesz */
	.long 4f - 3f           /* descsz */
	.long XEN_ELFNOTE_PHYS32_ENTRY
1:	.asciz "Xen"
2:	.balign 4
3:	.quad PA(pvh_start32)
4:	.balign 4

/*
 * Entered in 32-bit protected mode, paging off, interrupts off, with
 * %ebx = the physical address of struct hvm_start_info and no stack.
 * Build what the modvisor VMM's boot page tables give _start (guest RAM
 * below 4 GiB 1:1 and its first 2 GiB at KERNEL_VBASE, 2 MiB pages),
 * enter long mode and call pvh_main(start_info) in the higher half.
 * Only the PVH loader comes here; the VMM enters at _start.
 */
	.section .text.boot, "ax"
	.code32
	.globl pvh_start32
pvh_start32:
	cli
	cld
	movl %ebx, %esi
	/* Clear the tables: a loader need not zero .bss before the entry. */
	movl $PA(pvh_pgt), %edi
	movl $(pvh_pgt_end - pvh_pgt) / 4, %ecx
	xorl %eax, %eax
	rep stosl
	/* PML4[0] -> the low PDPT, PML4[511] -> the high one. */
	movl $PA(pvh_pdpt_lo) + PTE_P_RW, PA(pvh_pml4)
	movl $PA(pvh_pdpt_hi) + PTE_P_RW, PA(pvh_pml4) + 511 * 8
	/* Low PDPT[0..3] -> PD 0..3 (4 GiB); high PDPT[510..511] -> PD 0..1. */
	movl $PA(pvh_pd) + PTE_P_RW, %eax
	movl $PA(pvh_pdpt_lo), %edi
	movl $4, %ecx
1:	movl %eax, (%edi)
	addl $4096, %eax
	addl $8, %edi
	loop 1b
	movl $PA(pvh_pd) + PTE_P_RW, PA(pvh_pdpt_hi) + 510 * 8
	movl $PA(pvh_pd) + 4096 + PTE_P_RW, PA(pvh_pdpt_hi) + 511 * 8
	/* 2048 2 MiB entries: GPA 0 to 4 GiB. */
	movl $PA(pvh_pd), %edi
	movl $PDE_2M, %eax
	movl $2048, %ecx
2:	movl %eax, (%edi)
	addl $0x200000, %eax
	addl $8, %edi
	loop 2b
	/* Long mode: PAE, the tables, EFER.LME, then paging. */
	movl %cr4, %eax
	orl $CR4_PAE, %eax
	movl %eax, %cr4
	movl $PA(pvh_pml4), %eax
	movl %eax, %cr3
	movl $MSR_EFER, %ecx
	rdmsr
	orl $EFER_LME, %eax
	wrmsr
	movl %cr0, %eax
	orl $CR0_PE_PG, %eax
	movl %eax, %cr0
	lgdt PA(pvh_gdt_desc)
	ljmp $0x08, $PA(pvh_start64)

	.code64
pvh_start64:
	movl $0x10, %eax
	movl %eax, %ds
	movl %eax, %es
	movl %eax, %ss
	xorl %eax, %eax
	movl %eax, %fs
	movl %eax, %gs
	movabsq $boot_stack_top, %rsp
	xorl %ebp, %ebp
	movl %esi, %edi
	movabsq $pvh_main, %rax
	call *%rax
3:	hlt
	jmp 3b

	.section .rodata
	.balign 8
pvh_gdt:
	.quad 0
	.quad 0x00af9a000000ffff        /* 0x08: 64-bit code */
	.quad 0x00cf92000000ffff        /* 0x10: data */
pvh_gdt_end:
pvh_gdt_desc:
	.word pvh_gdt_end - pvh_gdt - 1
	.long PA(pvh_gdt)

	.bss
	.balign 4096
pvh_pgt:
pvh_pml4:
	.skip 4096
pvh_pdpt_lo:
	.skip 4096
pvh_pdpt_hi:
	.skip 4096
pvh_pd:
	.skip 4 * 4096
pvh_pgt_end:
	.section .note.GNU-stack, "", @progbits
