/*
 * hostile_seal.S: ring-0 guests that attack MV_HC_MODULE_SEAL and
 * MV_HC_MODULE_UNSEAL, one per -DHS_CASE_x, for tests/e2e/t-seal-hostile.sh.
 * They have no loader: the bytes an honest kernel would have placed after
 * relocating the embedded module (hello.ko) come from the host tool
 * mv-seal-fixture (images/testguests/seal_fixture.c, the host's own
 * re-derivation) as HS_FIXTURE_{INC,BYTES}: copy k for the module at
 * FX_CORE_VA + k * FX_STRIDE, init right after core.  The guest exports
 * the values its imports resolve to through a __ksymtab of its own
 * (FX_KSYMTAB), as a kernel does.  As an honest kernel does, it maps its
 * module area (map_area: page i of the module region at FX_CORE_VA + i
 * pages); each case copies copy k's bytes to offset k * FX_STRIDE of the
 * module region (MV_MEM_MODULES in the boot memory map), then lies in one
 * way.  ABI numbers and offsets are written out on purpose (tg.h, and the
 * seal request's below): these guests forge bytes.
 * The exit status is -hdr.ret of the last seal (0: sealed), or the host
 * stops the VM.
 */
#include HS_FIXTURE_INC

#include "tg.h"

/* struct mv_hc_module_seal: load_id, nsections, sections, syms, nsyms, core, init */
#define SL_ID      16
#define SL_NSECS   20
#define SL_SECS    24
#define SL_SYMS    32
#define SL_NSYMS   40
#define SL_CORE    48
#define SL_INIT    96
#define RG_GPA     0
#define RG_VA      8
#define RG_SIZE    16
#define PTE_PW     3            /* present, writable */
#define SEC_SIZE   32           /* struct mv_seal_section: gpa, va, size, shndx, perms */
#define SYM_SIZE   16           /* struct mv_seal_sym: symndx, pad, value */

	TG_ENTRY
	call find_modules                /* %r14 = the module region's GPA */
	call map_area
	call load_mod                    /* %ebx = the load id */
	mov %ebx, %r13d
	xor %r12d, %r12d                 /* %r12 = the copy placed: 0 */
	call place

#if defined(HS_CASE_ok)
	call seal
	jmp exit_ret
#elif defined(HS_CASE_changed)
	/* A relocated byte changed after the verdict, before the seal. */
	movabs $(VBASE + FX_RELOC_REGION * FX_CORE_SIZE + FX_RELOC_OFF), %rdi
	add %r14, %rdi
	xorb $0x01, (%rdi)
	call seal
	jmp exit_ret
#elif defined(HS_CASE_sym_own_code)
	/* The first import "resolved" into the module's own text. */
	movabs $syms, %rdi
	movabs $(FX_CORE_VA + 0x10), %rax
	mov %rax, 8(%rdi)
	call seal
	jmp exit_ret
#elif defined(HS_CASE_overlap)
	/* Section FX_PAIR + 1 reported 8 bytes into section FX_PAIR. */
	movabs $(secs + SEC_SIZE * FX_PAIR), %rdi
	mov 0(%rdi), %rax
	add $8, %rax
	mov %rax, SEC_SIZE + 0(%rdi)
	mov 8(%rdi), %rax
	add $8, %rax
	mov %rax, SEC_SIZE + 8(%rdi)
	call seal
	jmp exit_ret
#elif defined(HS_CASE_exhaust)
	/*
	 * Seal one load after another, copy k placed k * 32 KiB further into
	 * the module region and the module area (text and rodata read-only,
	 * data writable between them: two more memslots each), until the host
	 * says no.
	 */
1:	call seal
	test %eax, %eax
	jnz 2f
	call unplace
	inc %r12
	mov $-93, %eax                   /* the fixture's copies ran out first: exit 93 */
	cmp $FX_COPIES, %r12
	je exit_ret
	call load_mod
	mov %ebx, %r13d
	call place
	jmp 1b
	/* Refused: nothing of it may be left read-only (else this write stops the VM). */
2:	mov %eax, %ebp
	call copy_deltas
	movabs $VBASE, %rdi
	add %rax, %rdi
	movb $0xcc, (%rdi)
	mov %ebp, %eax
	jmp exit_ret
#elif defined(HS_CASE_same_va)
	/*
	 * Seal, then a second load with the same bytes 32 KiB further into the
	 * module region, claimed at the VAs of the sealed one.
	 */
	call seal
	test %eax, %eax
	jnz exit_ret
	call unplace
	call load_mod
	mov %ebx, %r13d
	lea FX_STRIDE(%r14), %rax
	xor %edx, %edx
	call place_copy
	call seal
	jmp exit_ret
#elif defined(HS_CASE_kdup)
	/* The kernel exports the module's symbols too (FX_KSYMTAB_EXPORTS below). */
	call seal
	jmp exit_ret
#elif defined(HS_CASE_pt_elsewhere)
	/* The page tables run the core's second page from the first page's frame. */
	movabs $pt, %rdi
	lea PTE_PW(%r14), %rax
	mov %rax, 8(%rdi)
	mov %cr3, %rax
	mov %rax, %cr3
	call seal
	jmp exit_ret
#elif defined(HS_CASE_pt_unmapped)
	/* The init region's first page is not mapped at all. */
	movabs $pt, %rdi
	movq $0, 8 * (FX_CORE_SIZE / 4096)(%rdi)
	mov %cr3, %rax
	mov %rax, %cr3
	call seal
	jmp exit_ret
#elif defined(HS_CASE_outside_region)
	/* A section in the kernel's own memory, outside the module region. */
	movabs $secs, %rdi
	movq $0x200000, SEC_SIZE * (FX_NSECS - 1)(%rdi)
	call seal
	jmp exit_ret
#elif defined(HS_CASE_past_ram)
	/* The core region beyond guest RAM. */
	movabs $sl, %rdi
	movq $RAM_END, SL_CORE + RG_GPA(%rdi)
	call seal
	jmp exit_ret
#elif defined(HS_CASE_twice)
	call seal
	test %eax, %eax
	jnz exit_ret
	call seal                        /* the VM stops here */
	jmp exit_ret
#elif defined(HS_CASE_unknown_id)
	movl $777, %r13d
	call seal
	jmp exit_ret
#elif defined(HS_CASE_denied_id)
	call load_junk                   /* a denied load: %ebx its id */
	mov %ebx, %r13d
	call seal
	jmp exit_ret
#elif defined(HS_CASE_unseal_live)
	/* Seal and go live, then ask for the live module's pages back. */
	call seal_live
	call unseal
	jmp exit_ret
#elif defined(HS_CASE_unseal_other)
	/* Seal one load and go live, then unseal under a second, never-sealed load id. */
	call seal_live
	call load_mod
	mov %ebx, %r13d
	call unseal
	jmp exit_ret
#else
#error "unknown HS_CASE"
#endif

/* exit_ret: exit with -%eax (the errno of a refused seal, 0 when sealed). */
exit_ret:
	neg %eax
	jmp exit_eax

	TG_EXIT_TEXT
	TG_MODLOAD_TEXT

/* find_modules: %r14 = base of the MV_MEM_MODULES entry of the memory map; else exit 90. */
find_modules:
	movabs $VBASE, %rsi
	add %r15, %rsi
	mov BI_MEMMAP_COUNT(%rsi), %ecx
	lea BI_MEMMAP(%rsi), %rsi
1:	test %ecx, %ecx
	jz 2f
	cmpl $MEM_MODULES, MM_TYPE(%rsi)
	je 3f
	add $MM_SIZE, %rsi
	dec %ecx
	jmp 1b
2:	mov $-90, %eax
	jmp exit_ret
3:	mov MM_BASE(%rsi), %r14
	mov $-91, %eax
	cmpq $(FX_CORE_SIZE + FX_INIT_SIZE), MM_LEN(%rsi)
	jb exit_ret                      /* too small for the fixture */
	ret

/* load_junk: MODULE_LOAD of 64 zero bytes: denied; %ebx = its id. */
load_junk:
	SETL ml, ML_FLAGS, 0
	GPA junk, %rdi
	mov $64, %esi
	jmp load

/*
 * map_area: the honest kernel's mapping of its module area: page i of the
 * module region (%r14) at FX_CORE_VA + i pages, 4 KiB pages of pt, hung
 * into the boot page tables' kernel-half PD (entry 256 of the PD behind
 * PML4 entry 511, PDPT entry 510).
 */
.if FX_CORE_VA != 0xffffffffa0000000
.error "map_area maps the module area at 0xffffffffa0000000"
.endif
map_area:
	movabs $pt, %rdi
	lea PTE_PW(%r14), %rax
	mov $512, %ecx
1:	mov %rax, (%rdi)
	add $8, %rdi
	add $0x1000, %rax
	loop 1b
	movabs $0x000ffffffffff000, %rcx
	movabs $VBASE, %rdx
	mov %cr3, %rax
	and %rcx, %rax
	mov 511 * 8(%rdx, %rax), %rax    /* PML4[511] */
	and %rcx, %rax
	mov 510 * 8(%rdx, %rax), %rax    /* PDPT[510] */
	and %rcx, %rax
	movabs $(pt - VBASE + PTE_PW), %rsi
	mov %rsi, 256 * 8(%rdx, %rax)    /* PD[256] */
	mov %cr3, %rax
	mov %rax, %cr3
	ret

/* copy_deltas: copy %r12's place: %rax = its GPA (%r14 + k * FX_STRIDE), %rdx = its VA's distance from copy 0's. */
copy_deltas:
	imul $FX_STRIDE, %r12, %rdx
	lea (%r14, %rdx), %rax
	ret

/*
 * place: the honest kernel's work: copy %r12's core and init bytes at its
 * place in the module region (init right after core), and every GPA and
 * VA of the seal request made copy %r12's (each was assembled as copy
 * 0's, its GPA an offset from the region's start).
 */
place:
	call copy_deltas
	/* fall through */
/* place_copy: copy %r12's bytes to GPA %rax, then shift the request by GPA %rax, VA %rdx. */
place_copy:
	push %rax
	push %rdx
	imul $FX_COPY_SIZE, %r12, %rsi
	movabs $fx_bytes, %rcx
	add %rcx, %rsi
	movabs $VBASE, %rdi
	add %rax, %rdi
	mov $FX_COPY_SIZE, %ecx
	rep movsb
	pop %rdx
	pop %rax
	/* fall through */
/* shift: add %rax to every GPA and %rdx to every VA of the seal request. */
shift:
	movabs $sl, %rdi
	add %rax, SL_CORE + RG_GPA(%rdi)
	add %rax, SL_INIT + RG_GPA(%rdi)
	add %rdx, SL_CORE + RG_VA(%rdi)
	add %rdx, SL_INIT + RG_VA(%rdi)
	movabs $secs, %rdi
	mov $FX_NSECS, %ecx
1:	add %rax, (%rdi)
	add %rdx, 8(%rdi)
	add $SEC_SIZE, %rdi
	loop 1b
	ret

/* unplace: the seal request back to copy 0's, its GPAs offsets from the region's start. */
unplace:
	call copy_deltas
	neg %rax
	neg %rdx
	jmp shift

/* seal: MV_HC_MODULE_SEAL for load id %r13d; %eax = hdr.ret. */
seal:
	movabs $sl, %rdi
	mov %r13d, SL_ID(%rdi)
	movl $0, 8(%rdi)
	HC HC_SEAL, sl
	movabs $sl, %rdi
	mov 8(%rdi), %eax
	ret

#if defined(HS_CASE_unseal_live) || defined(HS_CASE_unseal_other)
/* seal_live: seal load %r13d, then report it LOADED (live); a refused seal exits. */
seal_live:
	call seal
	test %eax, %eax
	jnz exit_ret
	movabs $ev, %rdi
	movl %r13d, EV_ID(%rdi)
	movl $EV_LOADED, EV_KIND(%rdi)
	HC HC_EVENT, ev
	ret
#endif

/* unseal: MV_HC_MODULE_UNSEAL for load id %r13d; %eax = hdr.ret. */
unseal:
	movabs $us, %rdi
	mov %r13d, 16(%rdi)
	HC HC_UNSEAL, us
	movabs $us, %rdi
	mov 8(%rdi), %eax
	ret

/* SEC: one struct mv_seal_section, its gpa an offset from the module region's start. */
.macro SEC shndx, prot, group, region, off, size
	.quad \region * FX_CORE_SIZE + \off
	.if \region
	.quad FX_INIT_VA + \off
	.else
	.quad FX_CORE_VA + \off
	.endif
	.quad \size
	.long \shndx
	.if \group == 2                 /* ro_after_init: MV_SEAL_RO_AFTER_INIT */
	.long \prot | 8
	.else
	.long \prot
	.endif
.endm

/* The cases assume the fixture module has an init region (hello.ko has). */
.if FX_INIT_SIZE == 0
.error "the fixture module has no init region"
.endif

/* SYM: one struct mv_seal_sym. */
.macro SYM index, value
	.long \index, 0
	.quad \value
.endm

	FX_KSYMTAB
#if defined(HS_CASE_kdup)
	FX_KSYMTAB_EXPORTS
#endif

	.data
	TG_EXIT_DATA
	TG_MODLOAD_DATA
	TG_EVENT_DATA hello
	.balign 16
sl:         HDR 272
	.long 0, FX_NSECS                /* load_id, nsections */
	.quad secs - VBASE, syms - VBASE
	.long FX_NSYMS, 0                /* nsyms, flags */
	.quad 0, FX_CORE_VA, FX_CORE_SIZE, FX_CORE_TEXT_END, FX_CORE_RO_END, FX_CORE_ROAI_END
	.quad FX_CORE_SIZE, FX_INIT_VA, FX_INIT_SIZE
	.quad FX_INIT_TEXT_END, FX_INIT_RO_END, FX_INIT_ROAI_END
	.fill 128, 1, 0                  /* OUT: reason */
	.balign 16
us:         HDR 24
	.long 0, 0
	.balign 16
secs:       FX_SECTIONS
	.balign 16
syms:       FX_SYMS
junk:       .fill 64, 1, 0
	.balign 16
mod_img:    .incbin HS_MODULE
mod_img_end:
	.balign 4096
pt:         .fill 4096, 1, 0             /* the module area's page table (map_area) */
#if defined(HS_CASE_exhaust)
fx_bytes:   .incbin HS_FIXTURE_BYTES     /* every copy */
#else
fx_bytes:   .incbin HS_FIXTURE_BYTES, 0, FX_COPY_SIZE
#endif
	.balign 4096
	.fill 8192, 1, 0
stack_top:
