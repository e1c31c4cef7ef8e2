/* bench_core.h: what every part of `modvisor bench` shares: clock, samples, report rows, progress. */
#ifndef MODVISOR_VMM_BENCH_CORE_H
#define MODVISOR_VMM_BENCH_CORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdint.h>

/* The suite's settings (from the command line). */
struct bench_opts {
	const char *out;        /* output directory */
	bool quick;             /* smoke run: few repetitions, small sizes */
	bool part;              /* inner run: write results-part.csv only */
	bool footprint_child;   /* the footprint section's fresh process */
	int reps;               /* repetitions per measured point */
	const char *kernel;     /* guest kernel ELF */
	const char *initrd;     /* guest initrd */
	const char *images;     /* build/images (nop guest, bench modules) */
	const char *tests;      /* build/tests (mv-reloc-corpus, loader stages tool) */
	const char *accel;      /* "kvm" or "emulated-kvm-host", stamped on every figure */
	const char *guest_log;  /* where the guests' console output goes */
};

/* One figure: a median and its spread over n repetitions, or an exact count (n = 1). */
struct bench_row {
	char section[16];       /* boot, hypercall, load, guestload, measure, footprint, scale */
	char metric[48];
	char param[32];         /* e.g. the module's size; "" when none */
	char unit[12];          /* us, ms, count, MB/s, KiB, ratio, loads/s */
	char accel[20];         /* where it was measured: kvm, emulated-kvm-host, host */
	int n;
	double median, min, max, q1, q3;
};

struct bench_report {
	struct bench_row *rows;
	int nrows, cap;
	const char *accel;      /* stamped on the rows added from now on */
};

/* bench_tsc(): the host TSC. */
static inline uint64_t bench_tsc(void)
{
	return __builtin_ia32_rdtsc();
}

/* bench_tsc_khz(): the host TSC rate, calibrated once against CLOCK_MONOTONIC. */
uint64_t bench_tsc_khz(void);

/* bench_ticks_us(ticks): TSC ticks in microseconds. */
double bench_ticks_us(double ticks);

/* bench_now_ns(): CLOCK_MONOTONIC in nanoseconds. */
uint64_t bench_now_ns(void);

/*
 * bench_add(r, section, metric, param, unit, v, n): append a row with the
 * median, min, max and quartiles of v[0..n) (v is sorted in place).
 * Out of memory drops the row with a warning.
 */
void bench_add(struct bench_report *r, const char *section, const char *metric,
	       const char *param, const char *unit, double *v, int n);

/* bench_add1(r, section, metric, param, unit, x): an exact figure (n = 1). */
void bench_add1(struct bench_report *r, const char *section, const char *metric,
		const char *param, const char *unit, double x);

/* bench_find(r, section, metric, param): the row, or NULL. */
const struct bench_row *bench_find(const struct bench_report *r, const char *section,
				   const char *metric, const char *param);

/*
 * bench_read_csv(r, path): append the rows of a results.csv (each keeps its
 * own accel).  0 or -errno after a message.
 */
int bench_read_csv(struct bench_report *r, const char *path);

/* bench_report_free(r): free the rows. */
void bench_report_free(struct bench_report *r);

/*
 * bench_progress(fmt, ...): the progress line on stderr: rewritten in place
 * (\r) on a terminal, one line per step otherwise.  bench_progress_done()
 * ends it.
 */
void bench_progress(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void bench_progress_done(void);

/*
 * bench_write_outputs(r, o): results.csv, results.json, table.txt under
 * o->out.  Returns 0 or -errno (after a message).
 */
int bench_write_outputs(const struct bench_report *r, const struct bench_opts *o);

/* bench_write_csv(r, f): the rows as CSV with a header line; 0 or -EIO. */
int bench_write_csv(const struct bench_report *r, FILE *f);

/* bench_print_table(r, f): the human-readable table. */
void bench_print_table(const struct bench_report *r, FILE *f);

/* bench_path(o, leaf, buf, len): o->out/leaf in buf. */
const char *bench_path(const struct bench_opts *o, const char *leaf, char *buf, size_t len);

#endif
