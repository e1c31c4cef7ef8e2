/* bench_plot.c: the data files and gnuplot scripts behind the benchmark's PNG plots. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "bench_suite.h"

/* bench_open(o, leaf): a file under o->out for writing, or NULL after a message. */
static FILE *bench_open(const struct bench_opts *o, const char *leaf)
{
	char path[4096];
	FILE *f = fopen(bench_path(o, leaf, path, sizeof(path)), "w");

	if (!f)
		fprintf(stderr, "modvisor bench: %s: %s\n", path, strerror(errno));
	return f;
}

/* The stages drawn against module size: section, metric, legend. */
static const char *const bench_plot_guest[][3] = {
	{ "guestload", "g_copy_in", "copy-in (finit_module read)" },
	{ "guestload", "g_verdict", "host verdict round trip" },
	{ "guestload", "g_elf_check", "ELF validation" },
	{ "guestload", "g_layout", "layout+copy" },
	{ "guestload", "g_symbols", "symbols" },
	{ "guestload", "g_relocation", "relocation" },
	{ "guestload", "g_params", "parameters" },
	{ "guestload", "g_init", "init" },
	{ "guestload", "g_protect", "page protections" },
	{ "guestload", "g_total", "whole syscall" },
};
#define BENCH_NPLOT_GUEST (int)(sizeof(bench_plot_guest) / sizeof(bench_plot_guest[0]))

static const char *const bench_plot_stages[][3] = {
	{ "load", "h_copy", "host copy" },
	{ "load", "h_measure_path", "XXH3+SHA-256 (measure)" },
	{ "load", "h_signature", "signature" },
	{ "load", "h_authority_total", "host verdict (all, log+fsync)" },
	{ "hostedload", "elf_check", "ELF validation" },
	{ "hostedload", "layout", "layout+copy" },
	{ "hostedload", "symbols", "symbols" },
	{ "hostedload", "relocation", "relocation" },
	{ "guestload", "guest_after_verdict", "guest after verdict (in VM)" },
};
#define BENCH_NPLOT_STAGES (int)(sizeof(bench_plot_stages) / sizeof(bench_plot_stages[0]))

/* bench_dat_stages(o, r, leaf, st, n): file size, then median, min and max per stage st[0..n). */
static int bench_dat_stages(const struct bench_opts *o, const struct bench_report *r,
			    const char *leaf, const char *const (*st)[3], int n)
{
	FILE *f = bench_open(o, leaf);

	if (!f)
		return -1;
	fprintf(f, "size_kib");
	for (int s = 0; s < n; s++)
		fprintf(f, " \"%s\" min max", st[s][2]);
	fputc('\n', f);
	for (int i = 0; i < r->nrows; i++) {
		const struct bench_row *w = &r->rows[i];

		if (strcmp(w->section, "load") || strcmp(w->metric, "file_size"))
			continue;
		fprintf(f, "%.1f", w->median);
		for (int s = 0; s < n; s++) {
			const struct bench_row *x = bench_find(r, st[s][0], st[s][1], w->param);

			if (x)
				fprintf(f, " %.3f %.3f %.3f", x->median, x->min, x->max);
			else
				fprintf(f, " NaN NaN NaN");
		}
		fputc('\n', f);
	}
	return fclose(f) ? -1 : 0;
}

/* bench_dat_rows(o, leaf, r, section, metrics, n): one line per metric: median min max. */
static int bench_dat_rows(const struct bench_opts *o, const char *leaf,
			  const struct bench_report *r, const char *section,
			  const char *const *metrics, int n)
{
	FILE *f = bench_open(o, leaf);

	if (!f)
		return -1;
	for (int m = 0; m < n; m++) {
		const struct bench_row *w = bench_find(r, section, metrics[m], "");

		if (w)
			fprintf(f, "\"%s\" %.4f %.4f %.4f\n", metrics[m], w->median, w->min, w->max);
	}
	return fclose(f) ? -1 : 0;
}

/* bench_dat_scale(o, r): scale.dat: VMs, then loads/s with and after boot, each median min max. */
static int bench_dat_scale(const struct bench_opts *o, const struct bench_report *r)
{
	FILE *f = bench_open(o, "scale.dat");

	if (!f)
		return -1;
	for (int v = 1; v <= 64; v *= 2) {
		char p[16];

		snprintf(p, sizeof(p), "%dvm", v);
		const struct bench_row *a = bench_find(r, "scale", "loads_per_s_with_boot", p);
		const struct bench_row *b = bench_find(r, "scale", "loads_per_s_after_boot", p);
		if (a)
			fprintf(f, "%d %.4f %.4f %.4f %.4f %.4f %.4f\n", v, a->median, a->min, a->max,
				b ? b->median : 0.0, b ? b->min : 0.0, b ? b->max : 0.0);
	}
	return fclose(f) ? -1 : 0;
}

/* bench_gnuplot_script(o, r, f): the plots (load stages, guest stages, hypercall, scale). */
static void bench_gnuplot_script(const struct bench_opts *o, const struct bench_report *r, FILE *f)
{
	const struct bench_row *ratio = bench_find(r, "hypercall", "null_over_raw", "");
	const struct bench_row *scale = bench_find(r, "scale", "loads_per_s_with_boot", "1vm");
	const struct bench_row *g = bench_find(r, "guestload", "guest_after_verdict", "bm4k");
	const char *vm = ratio ? ratio->accel : scale ? scale->accel : g ? g->accel : "no VM run";

	/*
	 * Stage plots: both axes span three decades, so they are log-log (a log
	 * axis has no zero); every point is the median with a min-max bar, the
	 * legend sits outside the data, and the title names where the figures
	 * come from (hardware KVM or the emulated host).
	 */
	fprintf(f, "set terminal pngcairo size 1100,600 font ',10' noenhanced\nset grid\n"
		"set key outside right top box\nset bars small\ncd '%s'\n", o->out);
	if (bench_find(r, "load", "file_size", "bm4k") &&
	    bench_find(r, "hostedload", "relocation", "bm4k"))
		fprintf(f, "set output 'load_stages.png'\nset logscale xy\n"
		"set title \"Module load: time by stage vs module size\\n"
		"median, bars min-max; host stages on this machine, guest line: %s\"\n"
		"set xlabel 'module file size (KiB)'\nset ylabel 'time (microseconds, log)'\n"
		"plot for [i=0:%d] 'load_stages.dat' using 1:(column(2+3*i)):(column(3+3*i)):"
		"(column(4+3*i)) with yerrorlines title columnhead(2+3*i)\n"
		"unset logscale\n", g ? g->accel : "not run", BENCH_NPLOT_STAGES - 1);
	if (g && bench_find(r, "guestload", "g_total", "bm4k") &&
	    bench_find(r, "load", "file_size", "bm4k"))
		fprintf(f, "set output 'guest_stages.png'\nset logscale xy\n"
			"set title \"Module load inside the VM: finit_module by stage vs module size\\n"
			"guest TSC via MV_HC_BENCH; median, bars min-max; %s\"\n"
			"set xlabel 'module file size (KiB)'\nset ylabel 'time (microseconds, log)'\n"
			"plot for [i=0:%d] 'guest_stages.dat' using 1:(column(2+3*i)):(column(3+3*i)):"
			"(column(4+3*i)) with yerrorlines title columnhead(2+3*i)\n"
			"unset logscale\n", g->accel, BENCH_NPLOT_GUEST - 1);
	/* The ratio is the result (it holds on any machine); the absolute round
	 * trips beside it are only meaningful on hardware KVM. */
	if (ratio)
		fprintf(f, "set output 'hypercall.png'\nset style fill solid 0.5\nset boxwidth 0.5\n"
		"set multiplot layout 1,2 title 'Null hypercall vs raw port-I/O exit of a "
		"dispatch-free VM, same run (%s)'\n"
		"set xrange [-1:1]\nset yrange [0:1.6]\nset xlabel ''\n"
		"set title 'ratio: %.2fx (median, min-max over blocks)'\n"
		"set ylabel 'null hypercall / raw exit'\n"
		"plot 'hypercall_ratio.dat' using 0:2:xtic(1) with boxes notitle, "
		"'' using 0:2:3:4 with yerrorbars lc rgb 'black' notitle, "
		"1.2 with lines dt 2 lc rgb 'red' title 'target 1.2x', "
		"1.0 with lines lc rgb 'gray' title 'no overhead'\n"
		"set xrange [-0.6:1.6]\nset yrange [0:*]\n"
		"set title 'round trips (absolute: %s)'\nset ylabel 'microseconds'\n"
		"plot 'hypercall.dat' using 0:2:xtic(1) with boxes notitle, "
		"'' using 0:2:3:4 with yerrorbars lc rgb 'black' notitle\n"
		"unset multiplot\nset xrange [*:*]\nset yrange [*:*]\n",
		vm, ratio->median, vm);
	int maxvm = 1;

	for (int v = 2; v <= 64; v *= 2) {
		char p[16];

		snprintf(p, sizeof(p), "%dvm", v);
		if (bench_find(r, "scale", "loads_per_s_with_boot", p))
			maxvm = v;
	}
	if (scale)
		fprintf(f, "set output 'scale.png'\nset xlabel 'VMs in parallel (one process each)'\n"
		"set ylabel 'module loads per second, all VMs (loads/s)'\nset logscale x 2\n"
		"set xtics (1,2,4,8)\nset xrange [0.7:%.1f]\nset yrange [0:*]\n"
		"set title \"Scale: loads per second vs VMs\\nmedian of %d runs, bars min-max; %s\"\n"
		"plot 'scale.dat' using 1:2:3:4 with yerrorlines title 'including boot', "
		"'' using 1:5:6:7 with yerrorlines title 'after boot (first load to last)'\n"
		"unset logscale\nset xrange [*:*]\nset yrange [*:*]\n", maxvm * 1.4, scale->n, vm);
}

int bench_plots(const struct bench_opts *o, const struct bench_report *r)
{
	static const char *const hc[] = { "raw_exit", "null_hypercall" };
	static const char *const hc_ratio[] = { "null_over_raw" };
	char cmd[4200], script[4096];
	FILE *f;
	int st;

	if (bench_dat_stages(o, r, "load_stages.dat", bench_plot_stages, BENCH_NPLOT_STAGES) ||
	    bench_dat_stages(o, r, "guest_stages.dat", bench_plot_guest, BENCH_NPLOT_GUEST) ||
	    bench_dat_rows(o, "hypercall.dat", r, "hypercall", hc, 2) ||
	    bench_dat_rows(o, "hypercall_ratio.dat", r, "hypercall", hc_ratio, 1) ||
	    bench_dat_scale(o, r) || !(f = bench_open(o, "plots.gp")))
		return -1;
	bench_gnuplot_script(o, r, f);
	if (fclose(f))
		return -1;
	snprintf(cmd, sizeof(cmd), "gnuplot '%s' 2>'%s/gnuplot.log'",
		 bench_path(o, "plots.gp", script, sizeof(script)), o->out);
	st = system(cmd);
	if (st != 0) {
		fprintf(stderr, "modvisor bench: gnuplot failed (status %d; see %s/gnuplot.log; "
			"scripts/deps.sh installs gnuplot-nox)\n", st, o->out);
		return -1;
	}
	return 0;
}
