/* hypercall.h: the guest/host hypercall ABI (ports, numbers, argument structs). */
#ifndef MODVISOR_ABI_HYPERCALL_H
#define MODVISOR_ABI_HYPERCALL_H

/*
 * How a hypercall works: the guest fills an argument struct in its own RAM,
 * then executes `outl %eax, $(MV_HC_PIO_BASE + nr)` with eax = the struct's
 * guest-physical address (GPA).  The VMM sees a KVM_EXIT_IO, translates the
 * GPA once through its checked accessor, handles the call, writes the OUT
 * fields and resumes the vCPU.  Argument structs therefore live below 4 GiB.
 *
 * Every struct starts with struct mv_hc_hdr.  The VMM refuses a struct whose
 * abi_version or size it does not know: that stops the VM with a diagnostic.
 *
 * Rules (see docs/hypercall-abi.md): fixed-width types only; explicit
 * padding; fields are only ever appended; a new hypercall number or a new
 * field bumps MV_ABI_VERSION; a changed meaning of an existing field is
 * forbidden.  IN = written by the guest, OUT = written by the host.
 */

#include <stdint.h>

#define MV_ABI_VERSION      1u

#define MV_HC_PIO_BASE      0x500u  /* port of hypercall 0 */
#define MV_HC_PIO_END       0x520u  /* one past the last hypercall port */

enum mv_hc_nr {
	MV_HC_CONSOLE      = 0,  /* write a buffer to stdout/stderr */
	MV_HC_EXIT         = 1,  /* stop the VM with a status */
	MV_HC_FAULT        = 2,  /* report a CPU exception, then stop */
	MV_HC_NOP          = 3,  /* null hypercall (benchmarks) */
	MV_HC_MODULE_LOAD  = 4,  /* ask the host for a verdict on an image */
	MV_HC_MODULE_EVENT = 5,  /* report what became of a load/unload */
	MV_HC_BENCH        = 6,  /* report a benchmark stage timing */
	MV_HC_TIMER        = 7,  /* start (or stop) the periodic tick interrupt */
	MV_HC_CONSOLE_READ = 8,  /* take the bytes the host's stdin has now */
	MV_HC_MODULE_SEAL  = 9,  /* have the host check and lock a relocated module */
	MV_HC_MODULE_UNSEAL = 10, /* give a gone module's pages back to the guest */
	MV_HC_COUNT
};

/* Common header of every argument struct. */
struct mv_hc_hdr {
	uint32_t abi_version;   /* IN: MV_ABI_VERSION the guest was built for */
	uint32_t size;          /* IN: sizeof the whole argument struct */
	int32_t  ret;           /* OUT: 0 or -errno (Linux numbering) */
	uint32_t _pad;
};
_Static_assert(sizeof(struct mv_hc_hdr) == 16, "mv_hc_hdr size");

#define MV_CONSOLE_STDOUT   1u
#define MV_CONSOLE_STDERR   2u
#define MV_CONSOLE_MAX      (64u * 1024u)  /* longest single write */

/* MV_HC_CONSOLE: write len bytes at GPA buf to the host stream. */
struct mv_hc_console {
	struct mv_hc_hdr hdr;
	uint64_t buf;           /* IN: GPA of the bytes */
	uint32_t len;           /* IN: at most MV_CONSOLE_MAX */
	uint32_t stream;        /* IN: MV_CONSOLE_STDOUT or _STDERR */
};
_Static_assert(sizeof(struct mv_hc_console) == 32, "mv_hc_console size");

/* MV_HC_EXIT: the VM stops; modvisor exits with status (0-255). */
struct mv_hc_exit {
	struct mv_hc_hdr hdr;
	int32_t  status;        /* IN */
	uint32_t _pad;
};
_Static_assert(sizeof(struct mv_hc_exit) == 24, "mv_hc_exit size");

/* MV_HC_FAULT: an exception the guest kernel could not handle. */
struct mv_hc_fault {
	struct mv_hc_hdr hdr;
	uint64_t vector;        /* IN: exception vector */
	uint64_t error_code;    /* IN */
	uint64_t rip;           /* IN */
	uint64_t cr2;           /* IN */
	uint64_t rsp;           /* IN */
	uint64_t rflags;        /* IN */
	uint64_t cs;            /* IN */
	uint64_t rax, rbx, rcx, rdx, rsi, rdi, rbp; /* IN */
	char     msg[64];       /* IN: NUL-terminated context, e.g. "kernel" */
};
_Static_assert(sizeof(struct mv_hc_fault) == 16 + 14 * 8 + 64, "mv_hc_fault size");

/*
 * Interrupts.  The VMM has no irqchip: it injects these vectors itself
 * (KVM_INTERRUPT) whenever the guest runs with IF set.  A guest that never
 * sends MV_HC_TIMER gets no interrupt, and its HLT stops the VM (121).
 */
#define MV_IRQ_TIMER        0x20u  /* vector of the periodic tick */
#define MV_IRQ_INPUT        0x21u  /* vector: stdin has bytes (or ended) */
#define MV_TIMER_MIN_NS     1000000ull     /* shortest tick period: 1 ms */
#define MV_TIMER_MAX_NS     1000000000ull  /* longest: 1 s */

/*
 * MV_HC_TIMER: inject MV_IRQ_TIMER every period_ns from now on (0 stops
 * it).  While the tick runs, a HLT waits on the host (no CPU) until the
 * next tick or, if asked for, input.  ret -EINVAL: period out of range.
 */
struct mv_hc_timer {
	struct mv_hc_hdr hdr;
	uint64_t period_ns;     /* IN: MV_TIMER_MIN_NS..MV_TIMER_MAX_NS, or 0 */
};
_Static_assert(sizeof(struct mv_hc_timer) == 24, "mv_hc_timer size");

/*
 * MV_HC_CONSOLE_READ: copy up to len bytes that the host's stdin has
 * available now to GPA buf; never waits.  got = 0 with eof = 0 means
 * nothing yet: the host then injects MV_IRQ_INPUT once when stdin has
 * bytes or ends, so the guest can sleep until then.  eof = 1: stdin ended
 * (or the host has none); later reads give eof again.
 */
struct mv_hc_console_read {
	struct mv_hc_hdr hdr;
	uint64_t buf;           /* IN: GPA of the buffer */
	uint32_t len;           /* IN: at most MV_CONSOLE_MAX */
	uint32_t flags;         /* IN: 0 */
	uint32_t got;           /* OUT: bytes copied */
	uint32_t eof;           /* OUT: 1 when stdin has ended */
	uint16_t ws_row;        /* OUT: the host terminal's rows now (0: unknown) */
	uint16_t ws_col;        /* OUT: its columns */
	uint32_t ws_gen;        /* OUT: counts the host's window changes since boot */
};
_Static_assert(sizeof(struct mv_hc_console_read) == 48, "mv_hc_console_read size");

/* MV_HC_NOP: does nothing; the round trip is the cost of a hypercall. */
struct mv_hc_nop {
	struct mv_hc_hdr hdr;
};

/* ---- module loading (the host as authority) ---------------------------- */

#define MV_MODSRC_INIT_MODULE   1u  /* init_module(2): image from user memory */
#define MV_MODSRC_FINIT_MODULE  2u  /* finit_module(2): image from a file */

#define MV_VERDICT_ALLOW        1u
#define MV_VERDICT_DENY         2u

#define MV_MODLOAD_IMAGE_MAX    (64ull << 20)  /* largest image the host copies */
#define MV_MODLOAD_PARAMS_MAX   1024u          /* most parameter bytes sent for the log */

/* mv_hc_module_load.params_flags */
#define MV_MODPARAMS_CUT        1u  /* the string is longer than params_len */
#define MV_MODPARAMS_UNREADABLE 2u  /* the guest could not read it (EFAULT) */

/*
 * MV_HC_MODULE_LOAD: sent once the image is in kernel memory (after any
 * decompression) and before any parsing.  The host copies the image once,
 * measures it, checks its signature, .modinfo and __versions against the
 * kernel it booted, applies the policy, logs the attempt and answers.  The
 * guest must obey: on DENY it fails the syscall with -verdict_errno; on
 * ALLOW it applies taints and goes on.  image, file and params are GPAs
 * of physically contiguous buffers.  params is only logged, never decided
 * on: the guest's best-effort copy of the first MV_MODLOAD_PARAMS_MAX bytes
 * of the user's parameter string (docs/log-format.md).
 */
struct mv_hc_module_load {
	struct mv_hc_hdr hdr;
	uint64_t image;          /* IN: GPA of the (decompressed) image */
	uint64_t image_len;      /* IN */
	uint64_t file;           /* IN: GPA of the file as read, if it was
	                          *     compressed; else 0 */
	uint64_t file_len;       /* IN */
	uint32_t source;         /* IN: MV_MODSRC_* */
	uint32_t flags;          /* IN: finit_module flags (0 for init_module) */
	char     path[256];      /* IN: finit_module's file path, NUL-terminated */
	uint32_t verdict;        /* OUT: MV_VERDICT_* */
	int32_t  verdict_errno;  /* OUT: positive errno when denied */
	uint32_t taints;         /* OUT: bitmask of 1u << MV_TAINT_* to apply */
	uint32_t load_id;        /* OUT: names this attempt in MODULE_EVENT */
	uint64_t params;         /* IN: GPA of the parameter string's first bytes
	                          *     (no NUL needed), or 0 */
	uint32_t params_len;     /* IN: bytes at params, <= MV_MODLOAD_PARAMS_MAX */
	uint32_t params_flags;   /* IN: MV_MODPARAMS_* */
	char     reason[128];    /* OUT: when denied, the line Linux prints for
	                          *      this refusal, else the host's reason;
	                          *      NUL-terminated ("" when allowed) */
};
_Static_assert(sizeof(struct mv_hc_module_load) == 16 + 4 * 8 + 8 + 256 + 16 + 16 + 128,
	       "mv_hc_module_load size");

enum mv_modevent {
	MV_MODEV_LOADED      = 1,  /* init returned >= 0; module is live */
	MV_MODEV_LOAD_FAILED = 2,  /* guest-side failure before init (errno) */
	MV_MODEV_INIT_FAILED = 3,  /* init returned < 0 (init_ret) */
	MV_MODEV_UNLOADED    = 4,  /* delete_module ran exit */
	MV_MODEV_INIT_FAULT  = 5,  /* init faulted or hung (errno, fault_*) */
	MV_MODEV_INIT_START  = 6,  /* init is about to run: the host starts its
	                            * init watchdog (not logged; see
	                            * docs/module-loader.md) */
};

/* mv_hc_module_event.fault_where: the region of the module fault_rip is in. */
enum mv_fault_where {
	MV_FAULT_IN_KERNEL = 0,    /* outside the module (a kernel function it called) */
	MV_FAULT_IN_CORE   = 1,    /* core layout: fault_offset from its start */
	MV_FAULT_IN_INIT   = 2,    /* init layout (.init.text ...) */
};

/*
 * MV_HC_MODULE_EVENT: what became of an allowed load, or its unload.  The
 * host keeps each load id's state (allowed, init started, then loaded,
 * failed or faulted, then unloaded) and stops the VM on an event that
 * does not fit it (docs/security.md).
 */
struct mv_hc_module_event {
	struct mv_hc_hdr hdr;
	uint32_t load_id;        /* IN: from MODULE_LOAD (an unload names the
	                          *     load it ends); never 0 */
	uint32_t event;          /* IN: enum mv_modevent */
	int32_t  err;            /* IN: positive errno, or 0 */
	int32_t  init_ret;       /* IN: init's return value */
	char     name[56];       /* IN: module name, NUL-terminated */
	uint64_t base;           /* IN: core text address, or 0 */
	uint32_t taints;         /* IN: the module's taints as applied */
	uint32_t _pad;
	/* INIT_FAULT, or UNLOADED when exit faulted (else 0): the exception;
	 * vector 2 (NMI) is the host's init watchdog stopping an init that
	 * ran too long. */
	uint32_t fault_vector;   /* IN */
	uint32_t fault_where;    /* IN: enum mv_fault_where */
	uint64_t fault_rip;      /* IN */
	uint64_t fault_offset;   /* IN: fault_rip - start of fault_where's region */
	uint64_t fault_cr2;      /* IN: the address of a #PF, else 0 */
};
_Static_assert(sizeof(struct mv_hc_module_event) == 16 + 16 + 56 + 16 + 32,
	       "mv_hc_module_event size");

/* ---- module sealing (hypervisor-enforced code integrity) ----------------- */

/* mv_seal_section.perms */
#define MV_SEAL_R               1u
#define MV_SEAL_W               2u
#define MV_SEAL_X               4u
#define MV_SEAL_RO_AFTER_INIT   8u  /* with R|W: read-only once init returned */

#define MV_SEAL_MAX_SECTIONS    1024u  /* most sections one seal may list */
#define MV_SEAL_MAX_SYMS        65536u /* most undefined symbols one seal may list */

/*
 * One of a module's two regions (struct mod_layout in the loader): pages
 * [gpa, gpa+size) of the module region in the memory map
 * (MV_MEM_MODULES), which the module sees at va.  Offsets from its start:
 * text in [0, text_end), rodata in [text_end, ro_end), ro_after_init in
 * [ro_end, ro_after_init_end), data up to size.  All page multiples; an
 * absent init region has size 0.
 */
struct mv_seal_region {
	uint64_t gpa;            /* IN: page-aligned, inside MV_MEM_MODULES */
	uint64_t va;             /* IN: page-aligned */
	uint64_t size;           /* IN: bytes, a page multiple */
	uint64_t text_end;       /* IN */
	uint64_t ro_end;         /* IN */
	uint64_t ro_after_init_end; /* IN */
};
_Static_assert(sizeof(struct mv_seal_region) == 48, "mv_seal_region size");

/*
 * One allocated (SHF_ALLOC) section as the guest placed it.  A seal lists
 * them in layout order: the core region's, then the init region's, each by
 * offset (the loader's text, rodata, ro_after_init, data groups, each in
 * section index order); perms are those at seal time.
 */
struct mv_seal_section {
	uint64_t gpa;            /* IN: guest-physical address of its first byte */
	uint64_t va;             /* IN: the address the module sees it at */
	uint64_t size;           /* IN: sh_size */
	uint32_t shndx;          /* IN: its index in the image's section headers */
	uint32_t perms;          /* IN: MV_SEAL_* the loader gave its pages */
};
_Static_assert(sizeof(struct mv_seal_section) == 32, "mv_seal_section size");

/* The value the guest resolved for one undefined symbol. */
struct mv_seal_sym {
	uint32_t symndx;         /* IN: its index in the image's .symtab */
	uint32_t _pad;
	uint64_t value;          /* IN: the address it resolved to */
};
_Static_assert(sizeof(struct mv_seal_sym) == 16, "mv_seal_sym size");

/*
 * MV_HC_MODULE_SEAL: sent by the guest after relocation and before the
 * module's parameters are parsed or its init runs, for an allowed load,
 * when the boot info has MV_BOOT_F_SEAL.  The host checks every address
 * against the module region, every symbol value against the kernel's
 * exports and those of modules sealed earlier, re-derives the expected
 * bytes from its own copy of the image and compares them with guest
 * memory; then it makes the text and rodata pages of both regions
 * read-only (KVM_MEM_READONLY) and logs a `seal` entry with the text
 * digest.  After the LOADED event it seals ro_after_init the same way.
 * ret: 0 sealed; -EINVAL a malformed request (bad layout, overlapping or
 * stray sections), -EACCES a symbol value the host does not know or bytes
 * that differ from what the host derived, -ENOMEM memslots or module
 * region exhausted, -EOPNOTSUPP protect = off.  On any error nothing is
 * sealed and the guest fails the load with that errno
 * (docs/hypercall-abi.md).  A seal for a load id that is not allowed and
 * unsealed (unknown, denied, sealed twice) stops the VM.
 */
struct mv_hc_module_seal {
	struct mv_hc_hdr hdr;
	uint32_t load_id;        /* IN: from MODULE_LOAD */
	uint32_t nsections;      /* IN: entries at sections, <= MV_SEAL_MAX_SECTIONS */
	uint64_t sections;       /* IN: GPA of struct mv_seal_section[nsections] */
	uint64_t syms;           /* IN: GPA of struct mv_seal_sym[nsyms] */
	uint32_t nsyms;          /* IN: <= MV_SEAL_MAX_SYMS */
	uint32_t flags;          /* IN: 0 */
	struct mv_seal_region core;  /* IN */
	struct mv_seal_region init;  /* IN */
	char     reason[128];    /* OUT: why it was refused, NUL-terminated */
};
_Static_assert(sizeof(struct mv_hc_module_seal) == 16 + 32 + 2 * 48 + 128,
	       "mv_hc_module_seal size");

/*
 * MV_HC_MODULE_UNSEAL: the guest is about to free a sealed load's memory:
 * after its UNLOADED event, or after a failed load (LOAD_FAILED,
 * INIT_FAILED, INIT_FAULT).  The host makes exactly that load's pages
 * writable again and logs an `unseal` entry.  ret 0; any other load id
 * (unknown, never sealed, already unsealed, or a module that is still
 * live or initialising) stops the VM.
 */
struct mv_hc_module_unseal {
	struct mv_hc_hdr hdr;
	uint32_t load_id;        /* IN */
	uint32_t _pad;
};
_Static_assert(sizeof(struct mv_hc_module_unseal) == 24, "mv_hc_module_unseal size");

/* MV_HC_BENCH: one stage timing, in guest TSC ticks. */
struct mv_hc_bench {
	struct mv_hc_hdr hdr;
	uint32_t stage;          /* IN: enum in docs/benchmarks.md */
	uint32_t _pad;
	uint64_t tsc_start;      /* IN */
	uint64_t tsc_end;        /* IN */
	uint64_t bytes;          /* IN: bytes processed, or 0 */
};

#endif
