/* mv-dropcap.c: drop CAP_SYS_MODULE (capset), then exec the command given as arguments. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#define CAP_VERSION_3   0x20080522
#define CAP_SYS_MODULE  16

struct cap_header {
	uint32_t version;
	int pid;
};

struct cap_data {
	uint32_t effective, permitted, inheritable;
};

int main(int argc, char **argv)
{
	struct cap_header h = { CAP_VERSION_3, 0 };
	struct cap_data d[2];

	if (argc < 2) {
		fprintf(stderr, "usage: mv-dropcap CMD [ARG...]\n"
			"Drops CAP_SYS_MODULE from the effective and permitted sets, then runs CMD.\n");
		return 2;
	}
	if (syscall(SYS_capget, &h, d) != 0) {
		fprintf(stderr, "mv-dropcap: capget: %s\n", strerror(errno));
		return 1;
	}
	d[0].effective &= ~(1u << CAP_SYS_MODULE);
	d[0].permitted &= ~(1u << CAP_SYS_MODULE);
	d[0].inheritable &= ~(1u << CAP_SYS_MODULE);
	if (syscall(SYS_capset, &h, d) != 0) {
		fprintf(stderr, "mv-dropcap: capset: %s\n", strerror(errno));
		return 1;
	}
	execvp(argv[1], argv + 1);
	fprintf(stderr, "mv-dropcap: %s: %s\n", argv[1], strerror(errno));
	return 127;
}
