/*
 * tg.h: what the ring-0 test guests share (tg.S, hostile.S, hostile_seal.S):
 * ABI numbers and offsets, the hypercall and header macros, the entry, the
 * exit, and the MV_HC_MODULE_LOAD of an embedded SDK module.  The numbers
 * and offsets are written out on purpose, as in shared/include/modvisor/abi/
 * (bootinfo.h, hypercall.h, module.h): these guests forge bytes.  A guest
 * includes this first, then expands the macros it uses.
 */
#define VBASE      0xffffffff80000000   /* MV_KERNEL_VBASE: GPA 0 */
#define RAM_END    0x1000000            /* the suites boot the hostile guests with --mem 16 */
#define HC_PORT    0x500
#define HC_CONSOLE 0
#define HC_EXIT    1
#define HC_FAULT   2
#define HC_NOP     3
#define HC_LOAD    4
#define HC_EVENT   5
#define HC_SEAL    9
#define HC_UNSEAL  10
#define ABI        1

/* struct mv_bootinfo and its memory map (struct mv_memmap_entry, 24 bytes) */
#define BI_MEM_SIZE     16
#define BI_INITRD       40
#define BI_INITRD_LEN   48
#define BI_MEMMAP_COUNT 76
#define BI_MEMMAP       80
#define MM_BASE         0
#define MM_LEN          8
#define MM_TYPE         16
#define MM_SIZE         24
#define MEM_INITRD      3
#define MEM_MODULES     4

/* struct mv_hc_module_load (472 bytes) and mv_hc_module_event (136) */
#define ML_IMAGE   16
#define ML_LEN     24
#define ML_FILE    32
#define ML_FLEN    40
#define ML_SOURCE  48
#define ML_FLAGS   52
#define ML_PATH    56
#define ML_ERRNO   316
#define ML_ID      324
#define ML_PARAMS  328
#define ML_PLEN    336
#define ML_PFLAGS  340
#define EV_ID      16
#define EV_KIND    20
#define EV_NAME    32
#define EV_LOADED  1

/* HC nr, sym: hypercall nr with the struct at sym (a GPA = vaddr - VBASE). */
.macro HC nr, sym
	movabs $\sym, %rax
	movabs $VBASE, %rdx
	sub %rdx, %rax
	mov $(HC_PORT + \nr), %dx
	out %eax, %dx
.endm

/* HC_GPA nr, gpa: hypercall nr with a raw argument GPA. */
.macro HC_GPA nr, gpa
	mov $\gpa, %eax
	mov $(HC_PORT + \nr), %dx
	out %eax, %dx
.endm

/* GPA sym, reg: reg = the GPA of sym (clobbers %rdx). */
.macro GPA sym, reg
	movabs $\sym, \reg
	movabs $VBASE, %rdx
	sub %rdx, \reg
.endm

/* HDR size: struct mv_hc_hdr with the right ABI version. */
.macro HDR size
	.long ABI, \size, 0, 0
.endm

/* SETQ sym, off, val: 64-bit store of val at sym+off. */
.macro SETQ sym, off, val
	movabs $\sym, %rdi
	movabs $\val, %rax
	mov %rax, \off(%rdi)
.endm

/* SETL sym, off, val: 32-bit store of val at sym+off. */
.macro SETL sym, off, val
	movabs $\sym, %rdi
	movl $\val, \off(%rdi)
.endm

/* TG_ENTRY: _start: the stack (stack_top), %r15 = the boot info's GPA (%rdi at entry). */
.macro TG_ENTRY
	.text
	.globl _start
_start:
	movabs $stack_top, %rsp
	mov %rdi, %r15
.endm

/* TG_EXIT_TEXT: exit_eax: MV_HC_EXIT with status %eax (exit_n: TG_EXIT_DATA). */
.macro TG_EXIT_TEXT
exit_eax:
	movabs $exit_n, %rdi
	mov %eax, 16(%rdi)
	HC HC_EXIT, exit_n
1:	jmp 1b
.endm

/*
 * TG_MODLOAD_TEXT: load: MV_HC_MODULE_LOAD of image GPA %rdi, length %rsi
 * with the rest of ml as it is; returns %eax = verdict_errno, %ebx =
 * load_id.  load_mod: the same for the embedded SDK module (mod_img ..
 * mod_img_end) with IGNORE_VERMAGIC|IGNORE_MODVERSIONS (the suites pass
 * --force-load): allowed, %ebx = its load_id; a denial exits with its errno.
 */
.macro TG_MODLOAD_TEXT
load:
	movabs $ml, %r8
	mov %rdi, ML_IMAGE(%r8)
	mov %rsi, ML_LEN(%r8)
	HC HC_LOAD, ml
	movabs $ml, %r8
	mov ML_ERRNO(%r8), %eax
	mov ML_ID(%r8), %ebx
	ret
load_mod:
	SETL ml, ML_FLAGS, 3
	GPA mod_img, %rdi
	mov $(mod_img_end - mod_img), %esi
	call load
	test %eax, %eax
	jnz exit_eax
	ret
.endm

/* TG_EXIT_DATA: exit_n, the struct mv_hc_exit of exit_eax. */
.macro TG_EXIT_DATA
	.balign 16
exit_n:     HDR 24
	.long 0, 0
.endm

/* TG_MODLOAD_DATA: ml, the struct mv_hc_module_load of load (source init_module). */
.macro TG_MODLOAD_DATA
	.balign 16
ml:         HDR 472
	.quad 0, 0, 0, 0                 /* image, image_len, file, file_len */
	.long 1, 0                       /* source: init_module; flags */
	.fill 256, 1, 0                  /* path */
	.long 0, 0, 0, 0                 /* OUT: verdict, errno, taints, load_id */
	.quad 0                          /* params */
	.long 0, 0                       /* params_len, params_flags */
	.fill 128, 1, 0                  /* OUT: reason */
.endm

/* TG_EVENT_DATA name: ev, a struct mv_hc_module_event for module name. */
.macro TG_EVENT_DATA name
	.balign 16
ev:         HDR 136
	.long 0, 0, 0, 0                 /* load_id, event, err, init_ret */
1:	.asciz "\name"
	.fill 56 - (. - 1b), 1, 0
	.quad 0
	.long 0, 0
	.long 0, 0                       /* fault_vector, fault_where */
	.quad 0, 0, 0                    /* fault_rip, fault_offset, fault_cr2 */
.endm
