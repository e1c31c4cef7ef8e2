/* bench_procs.c: the procs section of `modvisor bench`: fork+exec+wait and a pipe round trip in the guest, against the same program on the host's Linux in the same run. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "bench_suite.h"

#define PROCS_MAX_BLOCKS 64

/* The work per block: what one line of mv-procbench's output averages over. */
#define PROCS_FORKEXEC_N 20
#define PROCS_PIPE_N     500

/* procs_parse(path, what, v, max): the NS figures of "procbench WHAT NS" lines, in microseconds. */
static int procs_parse(const char *path, const char *what, double *v, int max)
{
	char line[256], word[32];
	long long ns;
	int n = 0;
	FILE *f = fopen(path, "r");

	if (!f)
		return 0;
	while (n < max && fgets(line, sizeof(line), f))
		if (sscanf(line, "procbench %31s %lld", word, &ns) == 2 && !strcmp(word, what))
			v[n++] = (double)ns / 1000.0;
	fclose(f);
	return n;
}

/* procs_guest(o, out, blocks): one boot running both measurements; their output in out. */
static int procs_guest(const struct bench_opts *o, const char *out, int blocks)
{
	char nfe[16], npipe[16], nb[16];
	char *fe[] = { "/bin/mv-procbench", "forkexec", nfe, nb, NULL };
	char *pp[] = { "/bin/mv-procbench", "pipe", npipe, nb, NULL };
	struct boot_cmd cmds[2] = { { 4, fe }, { 4, pp } };
	struct bench_guest_trace t;

	snprintf(nfe, sizeof(nfe), "%d", PROCS_FORKEXEC_N);
	snprintf(npipe, sizeof(npipe), "%d", PROCS_PIPE_N);
	snprintf(nb, sizeof(nb), "%d", blocks);
	unlink(out);
	struct bench_guest_spec s = { .kernel = o->kernel, .initrd = o->initrd, .cmdline = "quiet",
				      .cmds = cmds, .ncmds = 2, .mem_mib = 128, .console_log = out };
	if (bench_guest_run(&s, &t))
		return -1;
	if (t.status != 0) {
		bench_report_fail("procs", &t);
		return -1;
	}
	return 0;
}

/* procs_host_run(prog, what, n, blocks, fd): prog WHAT N BLOCKS with stdout on fd; 0 if it succeeded. */
static int procs_host_run(const char *prog, const char *what, int n, int blocks, int fd)
{
	char sn[16], sb[16];
	int ws;
	pid_t pid;

	snprintf(sn, sizeof(sn), "%d", n);
	snprintf(sb, sizeof(sb), "%d", blocks);
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		dup2(fd, 1);
		execl(prog, prog, what, sn, sb, (char *)NULL);
		_exit(127);
	}
	return pid > 0 && waitpid(pid, &ws, 0) == pid && WIFEXITED(ws) && WEXITSTATUS(ws) == 0 ? 0 : -1;
}

/* procs_host(o, out, blocks): the same program on this machine's kernel, output in out. */
static int procs_host(const struct bench_opts *o, const char *out, int blocks)
{
	char prog[4096];
	int fd, err;

	snprintf(prog, sizeof(prog), "%s/progs/mv-procbench", o->images);
	fd = open(out, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0) {
		fprintf(stderr, "modvisor bench: procs: %s: %s\n", out, strerror(errno));
		return -1;
	}
	err = procs_host_run(prog, "forkexec", PROCS_FORKEXEC_N, blocks, fd) ||
	      procs_host_run(prog, "pipe", PROCS_PIPE_N, blocks, fd);
	close(fd);
	if (err)
		fprintf(stderr, "modvisor bench: procs: %s on the host failed\n", prog);
	return err ? -1 : 0;
}

/* procs_ratio(r, what, g, h, n): block i of the guest over block i of the host. */
static void procs_ratio(struct bench_report *r, const char *what, const double *g,
			const double *h, int n)
{
	double ratio[PROCS_MAX_BLOCKS];

	for (int i = 0; i < n; i++)
		ratio[i] = h[i] > 0 ? g[i] / h[i] : 0;
	bench_add(r, "procs", what, "guest/host", "ratio", ratio, n);
}

int bench_section_procs(const struct bench_opts *o, struct bench_report *r)
{
	static const char *const what[2] = { "forkexec", "pipe" };
	char gpath[4096], hpath[4096];
	double g[PROCS_MAX_BLOCKS], h[PROCS_MAX_BLOCKS];
	int blocks = o->reps > PROCS_MAX_BLOCKS ? PROCS_MAX_BLOCKS : o->reps;

	bench_path(o, "procs-guest.txt", gpath, sizeof(gpath));
	bench_path(o, "procs-host.txt", hpath, sizeof(hpath));
	bench_progress("procs: guest");
	if (procs_guest(o, gpath, blocks))
		return -1;
	bench_progress("procs: host");
	if (procs_host(o, hpath, blocks))
		return -1;
	for (int k = 0; k < 2; k++) {
		int ng = procs_parse(gpath, what[k], g, blocks);
		int nh = procs_parse(hpath, what[k], h, blocks);

		if (ng != blocks || nh != blocks) {
			fprintf(stderr, "modvisor bench: procs: %s: %d guest and %d host figures, "
				"want %d (%s, %s)\n", what[k], ng, nh, blocks, gpath, hpath);
			return -1;
		}
		procs_ratio(r, what[k], g, h, blocks);
		bench_add(r, "procs", what[k], "guest", "us", g, ng);
		bench_add(r, "procs", what[k], "host", "us", h, nh);
	}
	return 0;
}
