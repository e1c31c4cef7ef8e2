/* mlog.h: the measurement log: append-only, hash-chained like a TPM PCR, durable. */
#ifndef MODVISOR_VMM_MLOG_H
#define MODVISOR_VMM_MLOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "measure.h"
#include "policy.h"
#include "sig.h"

#define MLOG_AGG_LEN  32        /* the aggregate is SHA-256 */

/*
 * The JSON Lines format's version, in each start entry's "log_version"
 * (docs/log-format.md, "Versions").  Bump it when a field changes meaning
 * or goes away; new fields keep it (readers skip unknown ones).  A start
 * entry without it is version 1.
 */
#define MLOG_VERSION  4

/*
 * The VM an entry comes from, in the log of `modvisor authority` (which
 * serves many): "vm" and "vm_uuid" after "run".  NULL in a run's own log.
 */
struct mlog_vm {
	const char *name;               /* [A-Za-z0-9._-]{1,64} */
	const char *uuid;               /* 8-4-4-4-12 lower-case hex */
};

/* What one entry records. */
enum mlog_kind { MLOG_START, MLOG_LOAD, MLOG_EVENT, MLOG_END };

struct mlog_load {
	uint32_t load_id;
	const char *name;               /* module name (host's reading), may be "" */
	uint32_t source;                /* MV_MODSRC_* */
	const char *path;               /* finit_module's path, or NULL */
	const char *params;             /* the parameter string's first bytes
	                                 * (MV_MODLOAD_PARAMS_MAX), or NULL */
	bool params_cut;                /* it is longer than params */
	bool params_unreadable;         /* the guest could not read it */
	uint32_t flags;
	uint64_t size;
	const struct measurement *m;    /* NULL: not measured */
	const struct measurement *content; /* the signed content's (image
	                                 * before the signature), or NULL */
	uint64_t content_size;
	uint64_t file_size;             /* compressed file as read, or 0 */
	const uint8_t *file_sha256;     /* its SHA-256, or NULL */
	const struct sig_result *sig;   /* NULL: signature not considered */
	bool allow;
	int err;                        /* positive errno when denied */
	uint32_t taints;                /* 1u << MV_TAINT_* */
	const char *why;                /* one line: why this verdict */
	const struct mlog_vm *vm;       /* the VM, or NULL */
	const char *seal;               /* "unavailable (transport qemu)", or NULL */
};

struct mlog_event {
	uint32_t load_id;
	uint32_t event;                 /* enum mv_modevent */
	int err;
	int init_ret;
	const char *name;
	uint64_t base;
	uint32_t taints;
	bool has_fault;                 /* INIT_FAULT, UNLOADED after a faulting exit */
	uint32_t fault_vector;          /* 2 (NMI): the init watchdog */
	const char *fault_where;        /* "init", "core" or "kernel" */
	uint64_t fault_rip, fault_offset, fault_cr2;
	const struct mlog_vm *vm;       /* the VM, or NULL */
};

struct mlog_start {
	const char *kernel;             /* path of the booted kernel */
	const uint8_t *kernel_sha256;   /* 32 bytes, or NULL */
	const char *policy;             /* one-line summary */
};

struct mlog;

/*
 * mlog_open(path, format, fsync, out, err, errlen): open the log for
 * appending and lock it (flock, waiting for another run that holds it).  A
 * JSON Lines log that already has entries is verified and the chain
 * continues from it (also after a run that was killed before its end
 * entry); an IMA-format log must not exist yet (IMA lists start afresh at
 * each boot).  Returns 0, or -errno with "path: reason".
 */
int mlog_open(const char *path, enum policy_log_format format, enum policy_fsync fsync,
	      struct mlog **out, char *err, size_t errlen);

/*
 * mlog_check(path, format, err, errlen): can a run use path as its log?
 * Checked before anything boots (issue 12 finding 4): a directory, an
 * unwritable file, a missing directory, an existing IMA list or a JSON
 * Lines log that does not verify is refused.  Nothing is created.  0 or
 * -errno with "path: reason".
 */
int mlog_check(const char *path, enum policy_log_format format, char *err, size_t errlen);

/*
 * mlog_start(), mlog_load(), mlog_event(): append one entry, extend the
 * aggregate, fsync when the policy says so.  Returns 0, or -errno with
 * a reason in err: the caller must then stop the VM (no measurement is
 * ever dropped).
 */
int mlog_start(struct mlog *l, const struct mlog_start *s, char *err, size_t errlen);
int mlog_load(struct mlog *l, const struct mlog_load *e, char *err, size_t errlen);
int mlog_event(struct mlog *l, const struct mlog_event *e, char *err, size_t errlen);

struct mlog_buf;

/*
 * mlog_append(l, type, fields, ima_name, err, errlen): append an entry of
 * another kind (mlog_integrity.c builds them): in JSON Lines, type and the
 * already escaped fields (",\"key\":value..."); in the IMA formats, an
 * entry named ima_name (escaped, NUL-terminated) whose digest is the
 * SHA-256 of that name.  0 or -errno, as mlog_load().
 */
int mlog_append(struct mlog *l, const char *type, const struct mlog_buf *fields,
		const struct mlog_buf *ima_name, char *err, size_t errlen);

/* mlog_event_name(event): "loaded", "init-start", ...; "unknown" for others. */
const char *mlog_event_name(uint32_t event);

/* A module event the host refused (it does not fit its load id's state). */
struct mlog_refusal {
	uint32_t load_id;
	uint32_t event;                 /* enum mv_modevent, as the guest sent it */
	const char *name;               /* the name the guest sent */
	const char *state;              /* the load id's state on the host */
	const char *why;                /* one line */
	const struct mlog_vm *vm;       /* the VM, or NULL */
};

/*
 * mlog_refused(l, r, err, errlen): append a `refused` entry (the VM stops
 * after it).  0 or -errno, as mlog_load().
 */
int mlog_refused(struct mlog *l, const struct mlog_refusal *r, char *err, size_t errlen);

/* A guest write to memory the host made read-only (integrity.c). */
struct mlog_violation {
	uint64_t gpa;
	uint32_t len;                   /* bytes written */
	uint64_t value;                 /* the first (up to 8) bytes, little-endian */
	const char *target;             /* "kernel printk+0x0 (.text)" */
	uint64_t rip;
	const char *where;              /* "module wtext's init (load_id 2)" */
	const char *action;             /* "stopped" or "discarded" */
	const struct mlog_vm *vm;       /* the VM, or NULL */
};

/* mlog_violation(l, v, err, errlen): append a `violation` entry.  0 or -errno. */
int mlog_violation(struct mlog *l, const struct mlog_violation *v, char *err, size_t errlen);

/* A seal (MV_HC_MODULE_SEAL), its ro_after_init step, or an unseal (seal.c). */
struct mlog_seal {
	const char *type;               /* "seal" or "unseal" */
	uint32_t load_id;
	const char *name;               /* module name (host's reading) */
	const char *part;               /* "text+rodata", "ro_after_init", "all" */
	int err;                        /* positive errno when refused, else 0 */
	const char *why;                /* refused: one line; else a summary */
	uint64_t gpa, len;              /* the core pages that changed (0 when refused) */
	const struct measurement *text; /* the text digest, or NULL */
	uint64_t text_size;             /* bytes it covers */
	const struct mlog_vm *vm;       /* the VM (a daemon's log), or NULL */
};

/* mlog_seal(l, s, err, errlen): append a `seal` or `unseal` entry.  0 or -errno. */
int mlog_seal(struct mlog *l, const struct mlog_seal *s, char *err, size_t errlen);

/*
 * mlog_end(l, err, errlen): append the end entry (JSON Lines; nothing for
 * the IMA formats) and fsync; later calls do nothing.  0 or -errno.
 */
int mlog_end(struct mlog *l, char *err, size_t errlen);

/*
 * mlog_abandon(l): close and free (l) without an end entry, as a crash
 * would leave it (tests that simulate crashes and forgers).
 */
void mlog_abandon(struct mlog *l);

/*
 * mlog_close(l, err, errlen): mlog_end() if not done yet, then close.
 * Returns 0 or -errno (l is freed either way; NULL is fine).
 */
int mlog_close(struct mlog *l, char *err, size_t errlen);

/*
 * mlog_open_shared_writer(path, fsync, out, torn, tornlen, err, errlen): the
 * log of `modvisor authority`: JSON Lines only, safe to call from many
 * threads, with group commit (fsync = per-entry): an append returns once an
 * fsync that began after its write completed, and one fsync covers every
 * entry written while the previous one ran.  A torn final entry (a crash
 * mid-write) is sealed instead of refused: the fragment is moved to
 * PATH.torn-SEQ, the file cut back to its last whole entry, and torn
 * receives a line describing it (else ""); the caller logs it with
 * mlog_torn() once its start entry is written.  0 or -errno.
 */
int mlog_open_shared_writer(const char *path, enum policy_fsync fsync, struct mlog **out,
			    char *torn, size_t tornlen, char *err, size_t errlen);

/* mlog_torn(l, what, err, errlen): the `torn` entry: what was sealed at open. */
int mlog_torn(struct mlog *l, const char *what, char *err, size_t errlen);

/*
 * mlog_vm_entry(l, vm, what, fields, err, errlen): a `vm` entry: what
 * ("attach", "detach") a VM did, with further escaped JSON fields
 * (",\"key\":value...", or NULL).  0 or -errno.
 */
int mlog_vm_entry(struct mlog *l, const struct mlog_vm *vm, const char *what,
		  const char *fields, char *err, size_t errlen);

/* mlog_stats(l, entries, fsyncs): entries this process wrote, fsyncs it made for them. */
void mlog_stats(struct mlog *l, uint64_t *entries, uint64_t *fsyncs);

/* mlog_aggregate(l, out): the current aggregate; returns the entry count. */
uint64_t mlog_aggregate(struct mlog *l, uint8_t out[MLOG_AGG_LEN]);

/* ---- reading a log back (modvisor log verify / show) ---------------------- */

struct mlog_verify {
	uint64_t entries;               /* OUT: entries that verified */
	uint8_t agg[MLOG_AGG_LEN];      /* OUT: aggregate after them */
	bool ended;                     /* OUT: the last entry is an end entry */
	uint64_t killed;                /* OUT: runs followed by a start entry
	                                 *      without having their end entry */
	bool unended;                   /* OUT: the only fault: no end entry (a run
	                                 *      that was killed, or a cut tail) */
	bool torn;                      /* OUT: the only fault: the final line is the
	                                 *      next entry cut short, without its
	                                 *      newline (a crash while writing) */
	uint64_t bad_entry;             /* OUT: index of the first bad entry */
	uint64_t bad_line;              /* OUT: its line (JSONL) or byte offset */
	char why[256];                  /* OUT: what is wrong with it */
};

/*
 * mlog_verify_file(path, out): replay a log's chain, detecting the format
 * (JSON Lines, IMA ascii or binary).  Returns 0 when every entry verifies,
 * -EBADMSG with out->bad_* and out->why naming the first entry that was
 * altered, reordered, removed or cut, or -errno when the file cannot be read.
 */
int mlog_verify_file(const char *path, struct mlog_verify *out);

/*
 * mlog_show_file(path, f): print a log as a table, one line per entry; names
 * stay escaped so a hostile name cannot fake a line.  0 or -errno.
 */
int mlog_show_file(const char *path, FILE *f);

/* mlog_show_file_vm(path, f, vm): the same, only the entries of VM vm (a daemon's log). */
int mlog_show_file_vm(const char *path, FILE *f, const char *vm);

/* mlog_taint_string(taints, out): "EF", "" ... in Linux's letter order. */
void mlog_taint_string(uint32_t taints, char out[8]);

#endif
