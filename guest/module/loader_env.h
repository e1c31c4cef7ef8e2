/* loader_env.h: what the module loader needs from its surroundings (guest kernel or host harness). */
#ifndef MOD_LOADER_ENV_H
#define MOD_LOADER_ENV_H

#include <modvisor/abi/hypercall.h>
#include "mod_libc.h"

/*
 * The loader's .c files are the same in the guest kernel and on the host.
 * Everything that differs lives behind these functions, implemented once in
 * guest/module/env_kernel.c (page allocator, page tables, printk,
 * hypercalls) and once in tests/hosted/loader_env_hosted.c (malloc, a fake
 * export table, no-op protections, a scripted host verdict).
 */

/*
 * A block of module memory.  buf is where the loader writes the bytes; va
 * is the address the module's code will run at, which relocations use.  In
 * the guest they are the same address; on the host va is a made-up address
 * in the module area so that -mcmodel=kernel relocations (32S) can be
 * checked exactly as the guest would.
 */
struct mod_region {
	uint8_t  *buf;
	uint64_t  va;
	uint64_t  size;         /* a multiple of MOD_PAGE_SIZE */
	uint64_t  env;          /* the environment's own (guest: physical address,
	                         * which the seal reports to the host) */
};

#define MOD_PAGE_SIZE   4096u

/*
 * modenv_region_alloc(size, r): size bytes (a non-zero multiple of the
 * page size), zeroed, in the module area within 2 GiB of the kernel image
 * (like Linux's MODULES_VADDR), readable and writable.  Returns 0 or
 * -ENOMEM.
 */
int modenv_region_alloc(uint64_t size, struct mod_region *r);

/* modenv_region_free(r): give back a region from modenv_region_alloc. */
void modenv_region_free(struct mod_region *r);

#define MOD_PROT_R  1u
#define MOD_PROT_W  2u
#define MOD_PROT_X  4u

/*
 * modenv_region_protect(r, off, len, prot): set the page protections of the
 * page-aligned range (off, len) of r to prot (MOD_PROT_*); a range without
 * MOD_PROT_X is no-execute.  len may be 0.
 */
void modenv_region_protect(const struct mod_region *r, uint64_t off,
			   uint64_t len, unsigned prot);

/* modenv_malloc(n) / modenv_free(p): small zeroed bookkeeping allocations. */
void *modenv_malloc(size_t n);
void modenv_free(void *p);

/*
 * modenv_strndup_user(uaddr, out): Linux's strndup_user(uaddr, LONG_MAX):
 * *out = a NUL-terminated kernel copy (free it with modenv_free) of the
 * caller's string at user address uaddr, of any length.  Returns 0,
 * -EFAULT when a byte of it is unreadable, or -ENOMEM.
 */
int modenv_strndup_user(uint64_t uaddr, char **out);

/* One symbol exported by the kernel image itself. */
struct mod_kexport {
	uint64_t value;
	uint32_t crc;
	bool     gpl_only;      /* from __ksymtab_gpl */
};

/*
 * modenv_kernel_export(name, out): look name up in the kernel's __ksymtab and
 * __ksymtab_gpl.  Returns true and fills out when it is exported.
 */
bool modenv_kernel_export(const char *name, struct mod_kexport *out);

/* modenv_log(fmt, ...): one kernel log line (printk), without the newline. */
void modenv_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* What the guest tells the host about an image before parsing it. */
struct mod_verdict_req {
	const void *image;      /* the (decompressed) image in kernel memory */
	uint64_t    len;
	const void *file;       /* the file as read when it was compressed */
	uint64_t    file_len;
	uint32_t    source;     /* MV_MODSRC_* */
	uint32_t    flags;      /* finit_module flags */
	const char *path;       /* finit_module's path, or NULL */
	const char *params;     /* the parameter string's first bytes, for the
	                         * host's log only, or NULL */
	uint32_t    params_len; /* at most MV_MODLOAD_PARAMS_MAX */
	uint32_t    params_flags;       /* MV_MODPARAMS_* */
};

/* The host's answer. */
struct mod_verdict {
	bool     allow;
	int      err;           /* positive errno when denied */
	uint32_t taints;        /* 1u << MV_TAINT_* to apply */
	uint32_t load_id;       /* names this attempt in later events */
	char     reason[128];   /* denied: the line to print (Linux's, or the
	                         * host's reason), NUL-terminated */
};

/*
 * modenv_host_verdict(req, v): MV_HC_MODULE_LOAD.  Returns 0 with v filled
 * in, or -errno when the call itself could not be made.
 */
int modenv_host_verdict(const struct mod_verdict_req *req, struct mod_verdict *v);

/* What became of a load or an unload (MV_HC_MODULE_EVENT). */
struct mod_event {
	uint32_t    load_id;
	uint32_t    event;      /* enum mv_modevent */
	int32_t     err;        /* positive errno, or 0 */
	int32_t     init_ret;
	const char *name;
	uint64_t    base;
	uint32_t    taints;
	/* MV_MODEV_INIT_FAULT only: as in struct mv_hc_module_event. */
	uint32_t    fault_vector, fault_where;
	uint64_t    fault_rip, fault_offset, fault_cr2;
};

/* modenv_host_event(ev): report ev to the host; never fails the caller. */
void modenv_host_event(const struct mod_event *ev);

/*
 * What the guest tells the host when it seals a relocated module
 * (MV_HC_MODULE_SEAL): both regions and every allocated section at their
 * guest-physical addresses (struct mod_region.env) and the value resolved
 * for every undefined symbol.
 */
struct mod_seal_req {
	uint32_t load_id;
	struct mv_seal_region core, init;
	const struct mv_seal_section *secs;
	uint32_t nsecs;
	const struct mv_seal_sym *syms;
	uint32_t nsyms;
};

/*
 * modenv_host_seal(req, reason, n): MV_HC_MODULE_SEAL when the host asked
 * for seals (MV_BOOT_F_SEAL).  Returns 1 when sealed, 0 when sealing is
 * off, or -errno when the host refused (reason: its why, NUL-terminated).
 */
int modenv_host_seal(const struct mod_seal_req *req, char *reason, size_t n);

/*
 * modenv_host_unseal(load_id): MV_HC_MODULE_UNSEAL for a sealed load whose
 * memory is about to be freed (after its final event); never fails the caller.
 */
void modenv_host_unseal(uint32_t load_id);

/* A CPU exception that stopped a module's init. */
struct mod_fault {
	bool     faulted;
	bool     timed_out;     /* the host's init watchdog stopped it */
	uint32_t vector;        /* 2 (NMI) when timed_out */
	uint64_t rip, cr2;
};

/*
 * modenv_call_init(fn, fault): run a module's int (*)(void) init at
 * address fn and return its value.  When the environment contains a CPU
 * exception inside it, fault describes it and the return value is -EFAULT,
 * or -ETIMEDOUT for the init watchdog's NMI (docs/module-loader.md).
 */
int modenv_call_init(uint64_t fn, struct mod_fault *fault);

/*
 * modenv_call_exit(fn, fault): run a module's void (*)(void) exit at
 * address fn; a CPU exception inside it is contained and described in fault.
 */
void modenv_call_exit(uint64_t fn, struct mod_fault *fault);

/* modenv_now(): a monotonic time stamp: TSC ticks in the guest, nanoseconds on the host. */
uint64_t modenv_now(void);

#endif
