/* mv-procbench.c: fork+exec+wait and a pipe round trip, timed; `modvisor bench` runs this same binary in the guest and on the host (docs/benchmarks.md, section procs). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/*
 * Usage: mv-procbench forkexec N BLOCKS   BLOCKS lines "procbench forkexec NS": the mean
 *                                         time of N x (fork, exec of itself with --exit, wait)
 *        mv-procbench pipe N BLOCKS       ... "procbench pipe NS": N one-byte round trips
 *                                         with a child over two pipes
 *        mv-procbench --exit              exit 0 at once (the exec target)
 */

static long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static int forkexec(char *self)
{
	char *argv[] = { self, "--exit", NULL };
	int ws;
	pid_t pid = fork();

	if (pid < 0)
		return -1;
	if (pid == 0) {
		execv(self, argv);
		_exit(127);
	}
	return waitpid(pid, &ws, 0) == pid && WIFEXITED(ws) && WEXITSTATUS(ws) == 0 ? 0 : -1;
}

/* pipe_block(n): n round trips; the child echoes each byte back. */
static int pipe_block(long n)
{
	int to[2], from[2], ws;
	char c = 'x';
	pid_t pid;

	if (pipe(to) || pipe(from))
		return -1;
	pid = fork();
	if (pid == 0) {
		close(to[1]);
		close(from[0]);
		while (read(to[0], &c, 1) == 1 && write(from[1], &c, 1) == 1)
			;
		_exit(0);
	}
	close(to[0]);
	close(from[1]);
	for (long i = 0; i < n; i++)
		if (write(to[1], &c, 1) != 1 || read(from[0], &c, 1) != 1)
			return -1;
	close(to[1]);
	close(from[0]);
	return waitpid(pid, &ws, 0) == pid ? 0 : -1;
}

int main(int argc, char **argv)
{
	char self[4096];
	long n, blocks;
	ssize_t len;

	if (argc == 2 && !strcmp(argv[1], "--exit"))
		return 0;
	if (argc != 4 || (n = atol(argv[2])) <= 0 || (blocks = atol(argv[3])) <= 0) {
		fprintf(stderr, "usage: mv-procbench forkexec|pipe N BLOCKS\n");
		return 2;
	}
	len = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (len <= 0)
		return 1;
	self[len] = '\0';
	for (long b = 0; b < blocks; b++) {
		long long t0 = now_ns();
		int err = 0;

		if (!strcmp(argv[1], "forkexec"))
			for (long i = 0; i < n && !err; i++)
				err = forkexec(self);
		else if (!strcmp(argv[1], "pipe"))
			err = pipe_block(n);
		else
			return 2;
		if (err) {
			fprintf(stderr, "mv-procbench: %s failed\n", argv[1]);
			return 1;
		}
		printf("procbench %s %lld\n", argv[1], (now_ns() - t0) / n);
		fflush(stdout);
	}
	return 0;
}
