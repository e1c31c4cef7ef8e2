/* bench_suite.h: the sections of `modvisor bench`, each adding rows to the report. */
#ifndef MODVISOR_VMM_BENCH_SUITE_H
#define MODVISOR_VMM_BENCH_SUITE_H

#include "bench_core.h"
#include "bench_vm.h"

struct authority;

/*
 * Each section runs its measurements and appends rows to r; it returns 0,
 * or -1 when it could not run at all (after a message): the suite goes on
 * with the next section and exits non-zero at the end.
 */
int bench_section_hypercall(const struct bench_opts *o, struct bench_report *r);
/* bench_section_violation(o, r): the cost of a write to protected memory (issue 14). */
int bench_section_violation(const struct bench_opts *o, struct bench_report *r);
int bench_section_boot(const struct bench_opts *o, struct bench_report *r);
int bench_section_footprint(const struct bench_opts *o, struct bench_report *r);
int bench_section_measure(const struct bench_opts *o, struct bench_report *r);
int bench_section_load(const struct bench_opts *o, struct bench_report *r);
int bench_section_hoststages(const struct bench_opts *o, struct bench_report *r);
int bench_section_corpus(const struct bench_opts *o, struct bench_report *r);
int bench_section_scale(const struct bench_opts *o, struct bench_report *r);
/*
 * bench_section_procs(o, r): fork+exec+wait and a pipe round trip in the
 * guest (images/progs/mv-procbench.c), each as a ratio to the same program
 * on the host's kernel in the same run (inside the emulated KVM host: its
 * Linux).
 */
int bench_section_procs(const struct bench_opts *o, struct bench_report *r);
/* bench_section_seal(o, r): the host's work for one module seal, over module size (issue 14). */
int bench_section_seal(const struct bench_opts *o, struct bench_report *r);
/* bench_section_sealvm(o, r): the MODULE_SEAL handler in a VM, protect on, over module size. */
int bench_section_sealvm(const struct bench_opts *o, struct bench_report *r);

/*
 * bench_section_fleet(o, r): loads through one authority daemon against an
 * in-process authority per VM, for 1, 2, 4 and 8 VMs; the daemon's fsyncs
 * per entry (group commit; issue 18).
 */
int bench_section_fleet(const struct bench_opts *o, struct bench_report *r);

#define BENCH_MAXMODS 8

/* bench_mods(o, paths): the generated modules' host paths (bench_load.c); their count. */
int bench_mods(const struct bench_opts *o, char paths[][4096]);

/* bench_mod_name(o, i): the name of generated module i ("bm4k", ...). */
const char *bench_mod_name(const struct bench_opts *o, int i);

/*
 * bench_footprint_child(o): `bench --footprint-child`: boot the default
 * guest running /bin/true, print "VmRSS VmHWM guest-resident" (KiB) on
 * stdout; the exit status.
 */
int bench_footprint_child(const struct bench_opts *o);

/* bench_plots(o, r): the .dat files and PNG plots (gnuplot); 0 or -1. */
int bench_plots(const struct bench_opts *o, const struct bench_report *r);

/*
 * bench_auth_open(o, logname, out): a module authority with the default
 * policy and its log at o->out/logname (JSON Lines, fsync per entry).
 * 0 or -1 after a message.
 */
int bench_auth_open(const struct bench_opts *o, const char *logname, struct authority **out);

/* bench_auth_open_fsync(o, logname, fsync, out): the same with policy fsync= per-entry|close|none. */
int bench_auth_open_fsync(const struct bench_opts *o, const char *logname, const char *fsync,
			  struct authority **out);

/* bench_auth_close(a): write the log's end entry and free a. */
void bench_auth_close(struct authority *a);

/*
 * bench_mod_extra(paths, n, guestdir, out): a newc archive putting each
 * host file paths[i] at guestdir/basename.  0 or -1 after a message.
 */
struct cpio_out;
int bench_mod_extra(const char *const *paths, int n, const char *guestdir, struct cpio_out *out);

/* bench_report_fail(what, t): print why a guest run went wrong. */
void bench_report_fail(const char *what, const struct bench_guest_trace *t);

#endif
