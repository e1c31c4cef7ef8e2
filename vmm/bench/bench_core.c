/* bench_core.c: the benchmark clock, statistics over repetitions, the progress line and the result files. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/utsname.h>
#include "bench_core.h"

uint64_t bench_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

uint64_t bench_tsc_khz(void)
{
	static uint64_t khz;
	uint64_t t0, c0, t1, c1;

	if (khz)
		return khz;
	t0 = bench_now_ns();
	c0 = bench_tsc();
	do
		t1 = bench_now_ns();
	while (t1 - t0 < 50 * 1000000ull);
	c1 = bench_tsc();
	khz = (c1 - c0) * 1000000ull / (t1 - t0);
	return khz ? khz : 1;
}

double bench_ticks_us(double ticks)
{
	return ticks * 1000.0 / (double)bench_tsc_khz();
}

static int bench_cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* bench_quantile(v, n, q): linear interpolation between the nearest ranks of sorted v. */
static double bench_quantile(const double *v, int n, double q)
{
	double pos = q * (n - 1);
	int i = (int)pos;

	if (i + 1 >= n)
		return v[n - 1];
	return v[i] + (pos - i) * (v[i + 1] - v[i]);
}

static void bench_copy(char *dst, size_t n, const char *src)
{
	snprintf(dst, n, "%s", src ? src : "");
}

void bench_add(struct bench_report *r, const char *section, const char *metric,
	       const char *param, const char *unit, double *v, int n)
{
	struct bench_row *row;

	if (n <= 0)
		return;
	if (r->nrows == r->cap) {
		int cap = r->cap ? 2 * r->cap : 64;
		struct bench_row *rows = realloc(r->rows, cap * sizeof(*rows));

		if (!rows) {
			fprintf(stderr, "modvisor bench: out of memory, %s/%s dropped\n",
				section, metric);
			return;
		}
		r->rows = rows;
		r->cap = cap;
	}
	row = &r->rows[r->nrows++];
	memset(row, 0, sizeof(*row));
	bench_copy(row->section, sizeof(row->section), section);
	bench_copy(row->metric, sizeof(row->metric), metric);
	bench_copy(row->param, sizeof(row->param), param);
	bench_copy(row->unit, sizeof(row->unit), unit);
	bench_copy(row->accel, sizeof(row->accel), r->accel);
	qsort(v, n, sizeof(*v), bench_cmp_double);
	row->n = n;
	row->median = bench_quantile(v, n, 0.5);
	row->q1 = bench_quantile(v, n, 0.25);
	row->q3 = bench_quantile(v, n, 0.75);
	row->min = v[0];
	row->max = v[n - 1];
}

void bench_add1(struct bench_report *r, const char *section, const char *metric,
		const char *param, const char *unit, double x)
{
	bench_add(r, section, metric, param, unit, &x, 1);
}

const struct bench_row *bench_find(const struct bench_report *r, const char *section,
				   const char *metric, const char *param)
{
	for (int i = 0; i < r->nrows; i++) {
		const struct bench_row *w = &r->rows[i];

		if (!strcmp(w->section, section) && !strcmp(w->metric, metric) &&
		    !strcmp(w->param, param ? param : ""))
			return w;
	}
	return NULL;
}

void bench_report_free(struct bench_report *r)
{
	free(r->rows);
	r->rows = NULL;
	r->nrows = r->cap = 0;
}

static int bench_progress_tty = -1;
static int bench_progress_open;

void bench_progress(const char *fmt, ...)
{
	char line[160];
	va_list ap;

	if (bench_progress_tty < 0)
		bench_progress_tty = isatty(STDERR_FILENO) && !getenv("MODVISOR_IN_EMUHOST");
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (bench_progress_tty)
		fprintf(stderr, "\r\033[Kbench: %s", line);
	else
		fprintf(stderr, "bench: %s\n", line);
	bench_progress_open = bench_progress_tty;
	fflush(stderr);
}

void bench_progress_done(void)
{
	if (bench_progress_open)
		fputc('\n', stderr);
	bench_progress_open = 0;
}

const char *bench_path(const struct bench_opts *o, const char *leaf, char *buf, size_t len)
{
	snprintf(buf, len, "%s/%s", o->out, leaf);
	return buf;
}

void bench_print_table(const struct bench_report *r, FILE *f)
{
	const char *last = "";

	fprintf(f, "%-10s %-30s %-9s %4s %12s %12s %12s  %-8s %s\n", "section", "metric",
		"param", "n", "median", "min", "max", "unit", "where");
	for (int i = 0; i < r->nrows; i++) {
		const struct bench_row *w = &r->rows[i];

		if (strcmp(last, w->section))
			fputc('\n', f);
		last = w->section;
		fprintf(f, "%-10s %-30s %-9s %4d %12.3f %12.3f %12.3f  %-8s %s\n", w->section,
			w->metric, w->param[0] ? w->param : "-", w->n, w->median, w->min,
			w->max, w->unit, w->accel);
	}
	fprintf(f, "\nwhere: kvm = hardware KVM; emulated-kvm-host = nested KVM under QEMU TCG "
		"(times 30-100x off: read ratios and counts); host = no VM involved\n");
}

int bench_write_csv(const struct bench_report *r, FILE *f)
{
	fprintf(f, "section,metric,param,unit,n,median,min,max,q1,q3,accel\n");
	for (int i = 0; i < r->nrows; i++) {
		const struct bench_row *w = &r->rows[i];

		fprintf(f, "%s,%s,%s,%s,%d,%.6g,%.6g,%.6g,%.6g,%.6g,%s\n", w->section,
			w->metric, w->param, w->unit, w->n, w->median, w->min, w->max,
			w->q1, w->q3, w->accel);
	}
	return ferror(f) ? -EIO : 0;
}

/* The names and units are ours (no quotes or backslashes), so no escaping is needed. */
static int bench_write_json(const struct bench_report *r, const struct bench_opts *o, FILE *f)
{
	struct utsname u;
	time_t now = time(NULL);
	char when[32];

	uname(&u);
	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", gmtime(&now));
	fprintf(f, "{\n  \"accel\": \"%s\",\n  \"quick\": %s,\n  \"reps\": %d,\n"
		"  \"date\": \"%s\",\n  \"host\": {\"kernel\": \"%s %s\", \"machine\": \"%s\", "
		"\"tsc_khz\": %llu, \"cpus\": %ld},\n  \"results\": [\n", r->accel,
		o->quick ? "true" : "false", o->reps, when, u.sysname, u.release, u.machine,
		(unsigned long long)bench_tsc_khz(), sysconf(_SC_NPROCESSORS_ONLN));
	for (int i = 0; i < r->nrows; i++) {
		const struct bench_row *w = &r->rows[i];

		fprintf(f, "    {\"section\": \"%s\", \"metric\": \"%s\", \"param\": \"%s\", "
			"\"unit\": \"%s\", \"n\": %d, \"median\": %.6g, \"min\": %.6g, "
			"\"max\": %.6g, \"q1\": %.6g, \"q3\": %.6g, \"accel\": \"%s\"}%s\n",
			w->section, w->metric, w->param, w->unit, w->n, w->median, w->min, w->max,
			w->q1, w->q3, w->accel, i + 1 < r->nrows ? "," : "");
	}
	fprintf(f, "  ]\n}\n");
	return ferror(f) ? -EIO : 0;
}

/* bench_write_one(o, leaf, r, kind): one output file; 0 or -errno after a message. */
static int bench_write_one(const struct bench_opts *o, const char *leaf,
			   const struct bench_report *r, int kind)
{
	char path[4096];
	FILE *f = fopen(bench_path(o, leaf, path, sizeof(path)), "w");
	int rc;

	if (!f) {
		rc = -errno;
		fprintf(stderr, "modvisor bench: %s: %s\n", path, strerror(errno));
		return rc;
	}
	if (kind == 0)
		rc = bench_write_csv(r, f);
	else if (kind == 1)
		rc = bench_write_json(r, o, f);
	else
		bench_print_table(r, f), rc = ferror(f) ? -EIO : 0;
	if (fclose(f) && !rc)
		rc = -errno;
	if (rc)
		fprintf(stderr, "modvisor bench: %s: %s\n", path, strerror(-rc));
	return rc;
}

int bench_write_outputs(const struct bench_report *r, const struct bench_opts *o)
{
	int rc = bench_write_one(o, "results.csv", r, 0);

	if (!rc)
		rc = bench_write_one(o, "results.json", r, 1);
	if (!rc)
		rc = bench_write_one(o, "table.txt", r, 2);
	return rc;
}

/* bench_csv_field(p, out, n): copy one comma-separated field; the rest of the line. */
static char *bench_csv_field(char *p, char *out, size_t n)
{
	size_t len = strcspn(p, ",\n");

	snprintf(out, n, "%.*s", (int)len, p);
	return p[len] == ',' ? p + len + 1 : p + len;
}

int bench_read_csv(struct bench_report *r, const char *path)
{
	char line[512], f[11][48];
	const char *saved = r->accel;
	FILE *in = fopen(path, "r");

	if (!in)
		return fprintf(stderr, "modvisor bench: %s: %s\n", path, strerror(errno)), -errno;
	while (fgets(line, sizeof(line), in)) {
		char *p = line;
		double v;

		for (int i = 0; i < 11; i++)
			p = bench_csv_field(p, f[i], sizeof(f[i]));
		if (!strcmp(f[0], "section") || !f[0][0])
			continue;
		r->accel = f[10];
		v = strtod(f[5], NULL);
		bench_add(r, f[0], f[1], f[2], f[3], &v, 1);
		struct bench_row *w = &r->rows[r->nrows - 1];
		w->n = atoi(f[4]);
		w->min = strtod(f[6], NULL), w->max = strtod(f[7], NULL);
		w->q1 = strtod(f[8], NULL), w->q3 = strtod(f[9], NULL);
	}
	r->accel = saved;
	fclose(in);
	return 0;
}
