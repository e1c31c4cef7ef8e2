/* console_guard.c: mark guest console lines that begin like the host's own lines (issue 12 finding 9). */
#include <errno.h>
#include <stdbool.h>
#include <string.h>
#include <unistd.h>
#include <modvisor/abi/hypercall.h>
#include "console_guard.h"

#define TAG_LEN (sizeof(CONSOLE_GUARD_TAG) - 1)

/* Per stream (stdout, stderr): inside a line, or how much of the tag a line began with. */
static struct {
	bool mid;
	size_t held;
} cg[2];

/* Worst case: "guest: " before every 9 bytes, plus what was held. */
static uint8_t cg_out[2 * MV_CONSOLE_MAX + 64];

/* cg_write(fd, p, n): all of p, retrying short writes; 0 or -errno. */
static int cg_write(int fd, const uint8_t *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return w < 0 ? -errno : -EIO;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* cg_put(out, o, s, n): append to the output buffer. */
static size_t cg_put(uint8_t *out, size_t o, const void *s, size_t n)
{
	memcpy(out + o, s, n);
	return o + n;
}

int console_guard_write(int fd, const uint8_t *p, size_t n)
{
	int s = fd == 2;
	size_t o = 0, i;

	if (n > MV_CONSOLE_MAX)
		return -EINVAL;
	for (i = 0; i < n; i++) {
		uint8_t c = p[i];

		if (!cg[s].mid) {
			if (c == (uint8_t)CONSOLE_GUARD_TAG[cg[s].held]) {
				if (++cg[s].held < TAG_LEN)
					continue;
				o = cg_put(cg_out, o, CONSOLE_GUARD_PREFIX CONSOLE_GUARD_TAG,
					   sizeof(CONSOLE_GUARD_PREFIX) - 1 + TAG_LEN);
				cg[s].held = 0;
				cg[s].mid = true;
				continue;
			}
			/* Not the tag after all: what was held is ordinary text. */
			o = cg_put(cg_out, o, CONSOLE_GUARD_TAG, cg[s].held);
			cg[s].held = 0;
		}
		cg_out[o++] = c;
		cg[s].mid = c != '\n' && c != '\r';
	}
	return o ? cg_write(fd, cg_out, o) : 0;
}

void console_guard_flush(void)
{
	for (int s = 0; s < 2; s++) {
		if (cg[s].held)
			cg_write(s + 1, (const uint8_t *)CONSOLE_GUARD_TAG, cg[s].held);
		cg[s].held = 0;
	}
}
