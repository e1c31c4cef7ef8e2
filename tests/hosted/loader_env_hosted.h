/* loader_env_hosted.h: knobs of the host-side fake environment the loader tests and corpus tool use. */
#ifndef LOADER_ENV_HOSTED_H
#define LOADER_ENV_HOSTED_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "../../guest/module/loader_env.h"

/* The guest's module area (guest/include/mm.h: MV_MODULES_VADDR). */
#define HOSTED_MODULES_VADDR  0xffffffffa0000000ull

/* One fake kernel export. */
struct hosted_export {
	const char *name;
	uint64_t    value;
	uint32_t    crc;
	bool        gpl_only;
};

/*
 * The whole fake environment.  Tests set the IN knobs and read the OUT
 * counters; hosted_env_reset() restores the defaults (allow every load,
 * made-up module addresses, no exports).
 */
struct hosted_env {
	bool     identity;          /* IN: module va == host address (so init,
				     * params and exports can be dereferenced) */
	const struct hosted_export *exports;  /* IN: the kernel's exports */
	size_t   nexports;
	struct mod_verdict verdict; /* IN: what MODULE_LOAD answers */
	int      verdict_calls;     /* OUT */
	int      init_ret;          /* IN: what a fake init returns */
	bool     real_calls;        /* IN: call init/exit as host functions */
	int    (*init_hook)(void);  /* IN: when set, a fake init runs this */
	bool     init_faults;       /* IN: init "faults" (contained: -EFAULT) */
	int      init_calls, exit_calls;        /* OUT */
	long     fail_alloc_at;     /* IN: the Nth allocation fails (0 = never) */
	long     allocs;            /* OUT: allocations made */
	long     live_blocks;       /* OUT: malloc'd blocks not yet freed */
	long     live_regions;      /* OUT: regions not yet freed */
	uint64_t bad_uaddr;         /* IN: a user address other than 0 that
				     * modenv_strndup_user() cannot read */
	int      strndup_calls;     /* OUT: user strings copied */
	struct mod_event last_event;    /* OUT: last MODULE_EVENT */
	char     last_event_name[64];
	int      events;            /* OUT */
	bool     quiet;             /* IN: do not echo log lines to stderr */
	char     log[16384];        /* OUT: every log line, '\n'-separated */
	uint64_t next_va;           /* made-up addresses handed out so far */
	struct {                    /* OUT: modenv_region_protect() calls, in order */
		uint64_t va, len;
		unsigned prot;      /* MOD_PROT_* */
	} prot[64];
	int      nprot;             /* OUT: calls made (only the first 64 kept) */
	bool     keep_freed;        /* IN: modenv_region_free() keeps the bytes
				     * in kept[] (a dry run's relocated result);
				     * hosted_env_release_kept() frees them */
	struct mod_region kept[4];  /* OUT: regions kept, in the order freed */
	int      nkept;
	int      seal_ret;          /* IN: what MODULE_SEAL answers: 0 sealing
				     * off, 1 sealed, -errno refused */
	int      seals, unseals;    /* OUT: MODULE_SEAL / MODULE_UNSEAL calls */
	uint32_t seal_nsecs, seal_nsyms;        /* OUT: of the last seal */
	struct mv_seal_region seal_core;        /* OUT: of the last seal */
	int      events_at_unseal;  /* OUT: events sent before the last unseal */
	long     live_regions_at_unseal;        /* OUT: regions live then */
};

extern struct hosted_env henv;

/* hosted_env_reset(): defaults, and an empty log. */
void hosted_env_reset(void);

/* hosted_env_release_kept(): free the regions keep_freed kept. */
void hosted_env_release_kept(void);

/* hosted_log_has(needle): the log contains needle. */
bool hosted_log_has(const char *needle);

#endif
