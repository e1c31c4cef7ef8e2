/* fuzz_util.c: helpers shared by the libFuzzer harnesses: an in-memory file, string checks. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include "fuzz.h"

const char *fuzz_memfile(const uint8_t *data, size_t size)
{
	static int fd = -1;
	static char path[64];
	size_t done = 0;

	if (fd < 0) {
		fd = memfd_create("mv-fuzz", 0);
		if (fd < 0) {
			perror("fuzz: memfd_create");
			abort();
		}
		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	}
	if (ftruncate(fd, 0) != 0) {
		perror("fuzz: ftruncate");
		abort();
	}
	while (done < size) {
		ssize_t n = pwrite(fd, data + done, size - done, (off_t)done);

		if (n <= 0) {
			perror("fuzz: pwrite");
			abort();
		}
		done += (size_t)n;
	}
	return path;
}

void fuzz_check_str(const char *s, size_t n, const char *what)
{
	if (memchr(s, '\0', n) == NULL) {
		fprintf(stderr, "fuzz: %s is not NUL-terminated within %zu bytes\n", what, n);
		abort();
	}
}
