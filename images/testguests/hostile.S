/*
 * hostile.S: ring-0 guests that attack the host, one per -DHG_CASE_x, for
 * tests/e2e/t-hostile.sh.  Each forges what a compromised guest kernel could
 * send: bad GPAs and lengths in every nested buffer, unknown numbers, wrong
 * headers, stray port I/O and MMIO, storms, changing images, names that try
 * to forge log lines, garbage fault reports.  The VMM must stop the VM with
 * a documented status (docs/hypercall-abi.md) or return an error, and keep
 * its measurement log verifiable.  The suite boots them with --mem 16, so
 * guest RAM ends at GPA 0x1000000 (RAM_END).  ABI numbers and offsets are
 * written out on purpose (tg.h): these guests forge bytes.
 */
#include "tg.h"

	TG_ENTRY

/* ---- the argument struct's own GPA ------------------------------------- */
#if defined(HG_CASE_arg_past_ram)
	HC_GPA HC_CONSOLE, RAM_END
#elif defined(HG_CASE_arg_straddle)
	HC_GPA HC_CONSOLE, (RAM_END-16)  /* a 32-byte struct, half outside */
#elif defined(HG_CASE_arg_top)
	HC_GPA HC_EXIT, 0xffffffff

/* ---- MV_HC_CONSOLE's buffer and length --------------------------------- */
#elif defined(HG_CASE_con_buf_straddle)
	SETQ con, 16, (RAM_END-8)
	SETL con, 24, 16
	HC HC_CONSOLE, con
#elif defined(HG_CASE_con_buf_wrap)
	SETQ con, 16, 0xffffffffffffffff
	SETL con, 24, 2
	HC HC_CONSOLE, con
#elif defined(HG_CASE_con_len_huge)
	SETL con, 24, 0xffffffff
	HC HC_CONSOLE, con
#elif defined(HG_CASE_con_max_ok)
	SETQ con, 16, 0x200000           /* our own code: 64 KiB of bytes */
	SETL con, 24, 0x10000            /* exactly MV_CONSOLE_MAX */
	HC HC_CONSOLE, con
	movabs $con, %rdi
	mov 8(%rdi), %eax                /* hdr.ret */
	jmp exit_eax
#elif defined(HG_CASE_con_bad_stream)
	SETL con, 28, 0
	HC HC_CONSOLE, con

/* ---- MV_HC_MODULE_LOAD's image and file -------------------------------- */
#elif defined(HG_CASE_load_img_past_ram)
	mov $RAM_END + 0x1000000, %rdi
	mov $16, %esi
	call load
#elif defined(HG_CASE_load_img_straddle)
	mov $RAM_END - 0x1000, %rdi
	mov $0x2000, %esi
	call load
#elif defined(HG_CASE_load_img_wrap)
	movabs $0xfffffffffffff000, %rdi
	mov $0x2000, %esi
	call load
#elif defined(HG_CASE_load_file_straddle)
	SETQ ml, ML_FILE, (RAM_END-0x100)
	SETQ ml, ML_FLEN, 0x200
	call load_img
#elif defined(HG_CASE_load_file_wrap)
	SETQ ml, ML_FILE, 0xffffffffffffff00
	SETQ ml, ML_FLEN, 0x200
	call load_img
#elif defined(HG_CASE_load_len0)
	GPA img, %rdi
	xor %esi, %esi
	call load
	jmp exit_eax                     /* the verdict's errno */
#elif defined(HG_CASE_load_too_big)
	xor %edi, %edi
	mov $0x4000001, %esi             /* MV_MODLOAD_IMAGE_MAX + 1 */
	call load
	jmp exit_eax
#elif defined(HG_CASE_load_bad_source)
	SETL ml, ML_SOURCE, 3
	call load_img
#elif defined(HG_CASE_load_bad_flags)
	SETL ml, ML_FLAGS, 0x80
	call load_img
#elif defined(HG_CASE_load_params_straddle)
	SETQ ml, ML_PARAMS, (RAM_END-0x100)
	SETL ml, ML_PLEN, 0x200
	call load_img
#elif defined(HG_CASE_load_params_long)
	GPA img, %rax
	movabs $ml, %rdi
	mov %rax, ML_PARAMS(%rdi)
	SETL ml, ML_PLEN, 1025           /* MV_MODLOAD_PARAMS_MAX + 1 */
	call load_img
#elif defined(HG_CASE_load_params_flags)
	SETL ml, ML_PFLAGS, 4
	call load_img

/* ---- MV_HC_MODULE_EVENT ------------------------------------------------- */
#elif defined(HG_CASE_event_unknown_id)
	call load_img                    /* issues load_id 1 */
	SETL ev, EV_ID, 0xdeadbeef
	SETL ev, EV_KIND, 1
	HC HC_EVENT, ev
	mov $0, %eax
	jmp exit_eax
#elif defined(HG_CASE_event_denied_id)
	call load_img                    /* load_id 1, denied (not an ELF) */
	mov %ebx, %edi
	mov $1, %esi                     /* ...then claim it loaded */
	call event
	mov $0, %eax
	jmp exit_eax
/* ---- forged event sequences for an allowed load (issue 12, finding 7) ---- */
#elif defined(HG_CASE_ev_good)
	call load_mod                    /* allowed: load_id 1 */
	mov $6, %esi                     /* INIT_START, LOADED, UNLOADED: fits */
	call event_id
	mov $1, %esi
	call event_id
	mov $4, %esi
	call event_id
	xor %eax, %eax
	jmp exit_eax
#elif defined(HG_CASE_ev_id0)
	call load_mod
	xor %edi, %edi                   /* "loaded" for load_id 0 */
	mov $1, %esi
	call event
#elif defined(HG_CASE_ev_replay)
	call load_mod
	mov $6, %esi
	call event_id
	mov $50, %r12d                   /* "rootkit loaded", 50 times */
1:	mov $1, %esi
	call event_id
	dec %r12d
	jnz 1b
#elif defined(HG_CASE_ev_unload_twice)
	call load_mod
	mov $1, %esi
	call event_id
	mov $4, %esi
	call event_id
	mov $4, %esi
	call event_id
#elif defined(HG_CASE_ev_unload_early)
	call load_mod
	mov $4, %esi                     /* an unload of a module never live */
	call event_id
#elif defined(HG_CASE_ev_initfail_no_start)
	call load_mod
	mov $3, %esi                     /* INIT_FAILED without INIT_START */
	call event_id
#elif defined(HG_CASE_ev_after_fail)
	call load_mod
	mov $2, %esi                     /* LOAD_FAILED, then LOADED */
	call event_id
	mov $1, %esi
	call event_id
#elif defined(HG_CASE_event_bad_kind)
	SETL ev, EV_KIND, 99
	HC HC_EVENT, ev

/* ---- unknown numbers, wrong headers -------------------------------------- */
#elif defined(HG_CASE_nr_11)
	HC 11, con                       /* the first number after MV_HC_MODULE_UNSEAL */
#elif defined(HG_CASE_nr_20)
	HC 20, con
#elif defined(HG_CASE_hdr_abi0)
	SETL con, 0, 0
	HC HC_CONSOLE, con
#elif defined(HG_CASE_hdr_abi2)
	SETL con, 0, 2                   /* a future ABI */
	HC HC_CONSOLE, con
#elif defined(HG_CASE_hdr_size0)
	SETL con, 4, 0
	HC HC_CONSOLE, con
#elif defined(HG_CASE_hdr_size_huge)
	SETL con, 4, 0xffffffff
	HC HC_CONSOLE, con
#elif defined(HG_CASE_hdr_load_size)
	SETL ml, 4, 464
	call load_img
#elif defined(HG_CASE_hdr_event_size)
	SETL ev, 4, 112
	HC HC_EVENT, ev

/* ---- port I/O that is not a hypercall ------------------------------------ */
#elif defined(HG_CASE_io_inb)
	inb $0x60, %al
#elif defined(HG_CASE_io_outw)
	mov $0x80, %dx
	outw %ax, %dx
#elif defined(HG_CASE_io_inl_hc)
	mov $HC_PORT, %dx
	inl %dx, %eax
#elif defined(HG_CASE_io_outb_hc)
	mov $HC_PORT, %dx
	outb %al, %dx
#elif defined(HG_CASE_io_outl_end)
	GPA con, %rax
	mov $0x520, %dx                  /* MV_HC_PIO_END: one past the range */
	out %eax, %dx
#elif defined(HG_CASE_io_rep_outs)
	movabs $two_gpas, %rsi
	mov $2, %ecx
	mov $(HC_PORT + HC_EXIT), %dx
	rep outsl

/* ---- MMIO where there is no RAM ----------------------------------------- */
#elif defined(HG_CASE_mmio_read)
	movabs $(VBASE + 0x7000), %rax   /* boot PD for 3-4 GiB, entry 0 */
	mov $(0xc0000000 | 0x83), %ecx
	movq %rcx, (%rax)
	mov $0xc0000000, %eax
	invlpg (%rax)
	movl (%rax), %eax
#elif defined(HG_CASE_mmio_past_ram)
	movabs $(VBASE + 0x4000 + 8 * 8), %rax   /* boot PD 0, entry 8: 16 MiB */
	mov $(RAM_END | 0x83), %ecx
	movq %rcx, (%rax)
	mov $RAM_END, %eax
	invlpg (%rax)
	movq %rcx, (%rax)

/* ---- storms ------------------------------------------------------------- */
#elif defined(HG_CASE_storm_nop)
	mov $100000, %r12d
1:	HC HC_NOP, nop
	dec %r12d
	jnz 1b
	xor %eax, %eax
	jmp exit_eax
#elif defined(HG_CASE_storm_console)
	SETQ con, 16, 0
	mov $10000, %r12d
	GPA storm_line, %rax
	movabs $con, %rdi
	mov %rax, 16(%rdi)
	movl $(storm_line_end - storm_line), 24(%rdi)
1:	HC HC_CONSOLE, con
	dec %r12d
	jnz 1b
	xor %eax, %eax
	jmp exit_eax
#elif defined(HG_CASE_storm_load)
	mov $3000, %r12d
1:	GPA img, %rdi
	mov $64, %esi
	call load                        /* denied: no event may follow */
	dec %r12d
	jnz 1b
	xor %eax, %eax
	jmp exit_eax

/* ---- the image changes between two loads (copy-once) ---------------------- */
#elif defined(HG_CASE_race_flip)
	GPA img, %rdi
	mov $4096, %esi
	call load                        /* 4096 zero bytes */
	movabs $img, %rdi
	movb $1, (%rdi)
	GPA img, %rdi
	mov $4096, %esi
	call load                        /* 0x01 then 4095 zero bytes */
	xor %eax, %eax
	jmp exit_eax

/* ---- names that try to forge log lines ------------------------------------ */
#elif defined(HG_CASE_forge)
	movabs $forge_path, %rsi
	movabs $ml + ML_PATH, %rdi
	mov $(forge_path_end - forge_path), %ecx
	rep movsb
	SETL ml, ML_SOURCE, 2            /* finit_module: the path is logged */
	GPA img, %rdi
	mov $64, %esi
	call load
	movabs $forge_name, %rsi
	movabs $ev + EV_NAME, %rdi
	mov $(forge_name_end - forge_name), %ecx
	rep movsb
	mov %ebx, %edi                   /* the load was denied: an event for it */
	mov $4, %esi                     /* is refused, and logged with its name */
	call event
#elif defined(HG_CASE_nonul)
	movabs $ml + ML_PATH, %rdi       /* 256 'A's: no NUL anywhere */
	mov $'A', %al
	mov $256, %ecx
	rep stosb
	movabs $ev + EV_NAME, %rdi       /* 56 'B's */
	mov $'B', %al
	mov $56, %ecx
	rep stosb
	SETL ml, ML_SOURCE, 2
	GPA img, %rdi
	mov $64, %esi
	call load
	xor %edi, %edi
	mov $4, %esi                     /* MV_MODEV_UNLOADED */
	call event
	xor %eax, %eax
	jmp exit_eax

/* ---- garbage fault report, exit statuses --------------------------------- */
#elif defined(HG_CASE_fault_garbage)
	HC HC_FAULT, fault
#elif defined(HG_CASE_exit_big)
	mov $0x12345, %eax               /* only the low 8 bits count: 0x45 */
	jmp exit_eax
#elif defined(HG_CASE_exit_neg)
	mov $-1, %eax
	jmp exit_eax

/* ---- the boot info the VMM gave us is consistent ------------------------- */
#elif defined(HG_CASE_bootinfo_sane)
	call bootinfo_check
	jmp exit_eax

/* ---- an endless stream of loads, for tests/e2e/t-crashsafe.sh ----------- */
#elif defined(HG_CASE_stream)
	SETL ml, ML_SOURCE, 2
	movabs $stream_path, %rsi
	movabs $ml + ML_PATH, %rdi
	mov $(stream_path_end - stream_path), %ecx
	rep movsb
1:	movabs $img, %rdi
	incq (%rdi)                      /* a new image, a new digest, each time */
	GPA img, %rdi
	mov $4096, %esi
	call load                        /* denied: no event may follow */
	jmp 1b

/* ---- loops for the watchdog --------------------------------------------- */
#elif defined(HG_CASE_loop)
1:	jmp 1b
#elif defined(HG_CASE_loop_hc)
1:	HC HC_NOP, nop
	jmp 1b
#else
#error "unknown HG_CASE"
#endif
	/* Reached only when the host let a hostile request through. */
	mov $1, %eax
	jmp exit_eax

	TG_EXIT_TEXT

/* load_img: MV_HC_MODULE_LOAD of the 64-byte image img (falls through to load). */
load_img:
	GPA img, %rdi
	mov $64, %esi
	TG_MODLOAD_TEXT

/* event_id: event %esi for the load_id in %ebx. */
event_id:
	mov %ebx, %edi
	/* fall through */
/* event: MV_HC_MODULE_EVENT for load_id %edi, event %esi, name as in ev. */
event:
	movabs $ev, %r8
	mov %edi, EV_ID(%r8)
	mov %esi, EV_KIND(%r8)
	HC HC_EVENT, ev
	ret

#if defined(HG_CASE_bootinfo_sane)
/*
 * bootinfo_check: %eax = 0 when the memory map tiles [0, mem_size) in order
 * and the initrd lies inside RAM and inside its MV_MEM_INITRD entry; else
 * the number of the failed check.
 */
bootinfo_check:
	movabs $VBASE, %rax
	add %rax, %r15                   /* bootinfo through the direct map */
	mov BI_MEM_SIZE(%r15), %r9
	mov BI_INITRD(%r15), %r10
	mov BI_INITRD_LEN(%r15), %r11
	mov $2, %eax
	test %r11, %r11
	jz 9f                            /* the suite always passes an initrd */
	mov %r10, %rcx
	add %r11, %rcx
	jc 9f
	mov $3, %eax
	cmp %r9, %rcx
	ja 9f                            /* initrd ends past RAM */
	mov BI_MEMMAP_COUNT(%r15), %ecx
	mov $4, %eax
	cmp $8, %ecx
	ja 9f
	lea BI_MEMMAP(%r15), %rsi
	xor %r12, %r12                   /* where the next entry must start */
	xor %r13, %r13                   /* initrd entries seen */
1:	test %ecx, %ecx
	jz 3f
	mov $5, %eax
	cmp MM_BASE(%rsi), %r12
	jne 9f                           /* gap or overlap */
	add MM_LEN(%rsi), %r12
	cmpl $MEM_INITRD, MM_TYPE(%rsi)
	jne 2f
	inc %r13
	mov $6, %eax
	cmp MM_BASE(%rsi), %r10
	jb 9f                            /* initrd starts before its entry */
	mov %r10, %rdx
	add %r11, %rdx
	cmp %r12, %rdx
	ja 9f                            /* or ends after it */
2:	add $MM_SIZE, %rsi
	dec %ecx
	jmp 1b
3:	mov $7, %eax
	cmp %r9, %r12
	jne 9f                           /* the map does not end at mem_size */
	mov $8, %eax
	cmp $1, %r13
	jne 9f
	xor %eax, %eax
9:	ret
#endif

	.data
	.balign 16
con:        HDR 32
	.quad msg - VBASE
	.long msg_end - msg, 1
nop:        HDR 16
	TG_EXIT_DATA
	TG_MODLOAD_DATA
	TG_EVENT_DATA hostile
	.balign 16
fault:      HDR 192
	.quad 0xffffffffffffffff         /* vector */
	.quad 0xffffffffffffffff         /* error code */
	.quad 0xffffffffffffffff         /* rip */
	.fill 11, 8, 0x4141414141414141
	/* 64 bytes, no NUL: escape sequences and a fake host line */
fault_msg:  .ascii "\033[2J\r\nmodvisor: exit status 0\n\007\010\033]0;pwned\007"
fault_msg_end:
	.fill 64 - (fault_msg_end - fault_msg), 1, 0x7f
/* rep outsl of two GPAs: refused (116) if KVM reports both in one exit,
 * else the first is an ordinary MV_HC_EXIT with status 7. */
two_gpas:   .long rep_exit - VBASE, rep_exit - VBASE
rep_exit:   HDR 24
	.long 7, 0
msg:        .ascii "hostile: hello\n"
msg_end:
storm_line: .ascii "storm\n"
storm_line_end:
/* A path and a name that try to end their log line and start a forged one. */
forge_path: .ascii "/lib/x.ko\"}\n{\"seq\":1,\"type\":\"load\",\"name\":\"forged\",\r\033[1A\\"
	.asciz "\",\"verdict\":\"allow\"}\n"
forge_path_end:
stream_path: .asciz "/lib/modules/stream.ko"
stream_path_end:
forge_name: .asciz "n\"}\n{\"seq\":3,\"type\":\"end\",\"forged\":1}\r\033[K\001"
forge_name_end:
	.balign 16
mod_img:    .incbin HG_MODULE
mod_img_end:
	.balign 4096
img:        .fill 4096, 1, 0
	.fill 4096, 1, 0
stack_top:
