/* loader.h: the module loader's interface: load, unload, look up live modules. */
#ifndef MOD_LOADER_H
#define MOD_LOADER_H

#include <modvisor/abi/hypercall.h>
#include <modvisor/abi/module.h>
#include "loader_env.h"

enum mod_state {
	MOD_STATE_UNFORMED,     /* being loaded: invisible to lookups */
	MOD_STATE_COMING,       /* exports visible, init running */
	MOD_STATE_LIVE,
	MOD_STATE_GOING,        /* exit running or init failed */
};

/*
 * A module's memory, as Linux's struct module_layout: one page-aligned
 * region holding text | rodata | ro_after_init | data, each part starting on
 * a page.  The *_end fields are offsets from the region's start.
 */
struct mod_layout {
	struct mod_region mem;
	uint64_t text_end;
	uint64_t ro_end;
	uint64_t ro_after_init_end;
	uint64_t size;          /* == mem.size once allocated */
};

struct module;

/* "a uses b": a resolved at least one symbol that b exports. */
struct mod_use {
	struct module  *target;
	struct mod_use *next;
};

struct module {
	char     name[MV_MODULE_NAME_LEN];
	enum mod_state state;
	struct module *next;            /* the list of modules */
	struct mod_layout core, init;
	uint64_t init_fn, exit_fn;      /* addresses, or 0 */
	const struct mv_kernel_symbol *syms, *gpl_syms;  /* in core memory */
	uint32_t num_syms, num_gpl_syms;
	uint32_t taints;                /* 1u << MV_TAINT_* */
	uint32_t refcnt;                /* modules using us + explicit gets */
	struct mod_use *uses;           /* modules we use */
	struct mv_kernel_param *kp;     /* __param, in core memory */
	uint32_t num_kp;
	uint32_t load_id;
	bool     gpl_ok;                /* licence is GPL-compatible */
	bool     sealed;                /* the host sealed it: unseal before freeing */
	char    *args;                  /* parameter string as given */
	void    *sysfs;                 /* the syscall layer's: /sys/module/NAME */
};

/* Load modes: a real load, or the corpus test's dry run. */
#define MOD_LOAD_DRY_RUN        1u  /* validate, lay out, relocate; never run
				     * or register; fake undefined symbols */
#define MOD_LOAD_ANY_THIS_MODULE 2u /* accept any .gnu.linkonce.this_module
				     * size (Linux's struct module) */
#define MOD_LOAD_NO_VERSIONS    4u  /* skip vermagic and __versions checks */

/* Counts per relocation type from one dry run (corpus statistics). */
struct mod_reloc_stats {
	uint64_t by_type[25];   /* R_X86_64_* up to PC64 */
	uint64_t sections;
	uint64_t total;
	uint64_t signed_images;  /* images whose signature trailer was split off */
};

/* Stages of one load, for benchmarks (issue 7). */
enum mod_stage {
	MOD_STAGE_HOST,         /* MV_HC_MODULE_LOAD round trip */
	MOD_STAGE_ELF,          /* trailer, ELF, name, versions, modinfo, name reservation */
	MOD_STAGE_LAYOUT,       /* layout, allocation, copy */
	MOD_STAGE_SYMBOLS,      /* symbol resolution */
	MOD_STAGE_RELOC,        /* relocations */
	MOD_STAGE_PARAMS,       /* exports check and parameters */
	MOD_STAGE_INIT,         /* the module's init */
	MOD_STAGE_PROTECT,      /* page protections, sealing, freeing init */
	/* Timed by the syscalls around mod_load() (sys_module.c): */
	MOD_STAGE_COPY_IN,      /* user buffer or file -> kernel memory */
	MOD_STAGE_DECOMPRESS,   /* MODULE_INIT_COMPRESSED_FILE -> plain image */
	MOD_STAGE_TOTAL,        /* the whole syscall */
	MOD_STAGE_COUNT,
};

/*
 * Time spent per stage, in modenv_now() ticks; stages not reached stay 0.
 * The one timing facility of a load: `modvisor bench` gets it through
 * MV_HC_BENCH (guest/kernel/bench.c), the corpus tool and the hosted stage
 * benchmark read it directly.
 */
struct mod_timings {
	uint64_t ticks[MOD_STAGE_COUNT];
};

struct mod_load_args {
	const void *image;      /* the image in kernel memory (not modified) */
	uint64_t    len;
	uint64_t    uargs;      /* the caller's parameter string: a user address,
				 * copied only after relocation, as Linux does
				 * (modenv_strndup_user) */
	uint32_t    flags;      /* finit_module flags, MV_MODULE_INIT_* */
	uint32_t    source;     /* MV_MODSRC_* */
	const char *path;       /* finit_module's path, or NULL */
	const void *file;       /* the file as read, when image was decompressed */
	uint64_t    file_len;   /*   from it (COMPRESSED_FILE), else NULL / 0 */
	const char *params_log; /* the parameter string's first bytes, read best
	                         * effort before the verdict for the host's log
	                         * only (MV_MODLOAD_PARAMS_MAX), or NULL */
	uint32_t    params_log_len;
	uint32_t    params_log_flags;   /* MV_MODPARAMS_* */
	uint32_t    mode;       /* MOD_LOAD_* */
	struct mod_reloc_stats *stats;  /* dry run only; may be NULL */
	struct mod_timings *timings;    /* OUT, may be NULL */
};

/* Kernel settings that change how loads behave. */
struct mod_settings {
	bool force_load;        /* CONFIG_MODULE_FORCE_LOAD: IGNORE_* and missing
				 * vermagic/__versions taint F instead of failing */
	bool force_unload;      /* CONFIG_MODULE_FORCE_UNLOAD: O_TRUNC honoured */
};
extern struct mod_settings mod_settings;

/*
 * mod_load(args, out): the whole init_module pipeline, Linux's load_module.
 * Returns 0 with *out (may be NULL) set to the live module, or -errno; on
 * failure nothing stays registered or allocated.  In MOD_LOAD_DRY_RUN mode
 * returns 0 once relocation succeeded and frees everything.
 */
int mod_load(const struct mod_load_args *args, struct module **out);

#define MOD_DELETE_NONBLOCK  04000u   /* O_NONBLOCK */
#define MOD_DELETE_TRUNC     01000u   /* O_TRUNC: force */

/*
 * mod_delete(name, flags): delete_module's core: ENOENT, EWOULDBLOCK when in
 * use, EBUSY when not live or when it has init but no exit; otherwise runs
 * exit and frees the module.  Returns 0 or -errno.
 */
int mod_delete(const char *name, uint32_t flags);

/* mod_find(name): the module of that name that is not UNFORMED, or NULL. */
struct module *mod_find(const char *name);

/* mod_first(): the list of modules, newest first (walk with ->next). */
struct module *mod_first(void);

/*
 * mod_kernel_taints(): the taints (1u << MV_TAINT_*) modules have brought
 * into the kernel so far, including those of loads that failed after their
 * taints were known, as in Linux.
 */
uint32_t mod_kernel_taints(void);

/* mod_uses(a, b): true when module a uses an export of module b. */
bool mod_uses(const struct module *a, const struct module *b);

/* mod_total_size(mod): core + init bytes, what /proc/modules shows. */
uint64_t mod_total_size(const struct module *mod);

#endif
