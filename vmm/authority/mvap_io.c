/* mvap_io.c: authority-protocol frames over a stream socket (or a virtio-serial port): whole writes, capped and timed reads. */
#include <errno.h>
#include <stdio.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/socket.h>

#include "mvap_io.h"

/*
 * mvap_io_write(fd, p, n): write() to a virtio-serial port (the emulated KVM
 * host's link to a daemon, opened non-blocking): while its host side is
 * disconnected (the daemon went away) a write would wait for good, and
 * poll() says POLLHUP: that is EPIPE.
 */
static ssize_t mvap_io_write(int fd, const char *p, size_t n)
{
	for (;;) {
		struct pollfd pfd = { .fd = fd, .events = POLLOUT };
		ssize_t got = write(fd, p, n);

		if (got >= 0 || errno != EAGAIN)
			return got;
		if (poll(&pfd, 1, -1) < 0 && errno != EINTR)
			return -1;
		if ((pfd.revents & (POLLHUP | POLLERR)) && !(pfd.revents & POLLOUT))
			return errno = EPIPE, -1;
	}
}

/*
 * sendto() per piece rather than sendmsg(): the run's seccomp filter allows
 * sendto (docs/security.md), and MSG_NOSIGNAL keeps a vanished peer from
 * raising SIGPIPE.
 */
int mvap_io_send(int fd, const struct iovec *iov, int n)
{
	for (int i = 0; i < n; i++) {
		const char *p = iov[i].iov_base;
		size_t left = iov[i].iov_len;

		while (left) {
			ssize_t got = sendto(fd, p, left, MSG_NOSIGNAL, NULL, 0);

			if (got < 0 && errno == ENOTSOCK)
				got = mvap_io_write(fd, p, left);
			if (got < 0 && errno == EINTR)
				continue;
			if (got < 0)
				return -errno;
			p += got;
			left -= (size_t)got;
		}
	}
	return 0;
}

static int64_t mvap_io_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/*
 * mvap_io_read(fd, p, n, deadline): read exactly n bytes before deadline (ms,
 * CLOCK_MONOTONIC; -1 = none).  Returns bytes read before EOF (< n), n, or -errno.
 */
static ssize_t mvap_io_read(int fd, uint8_t *p, size_t n, int64_t deadline)
{
	size_t off = 0;

	while (off < n) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		int wait = deadline < 0 ? -1 : (int)(deadline - mvap_io_now_ms());
		ssize_t got;

		if (deadline >= 0 && wait <= 0)
			return -ETIMEDOUT;
		if (poll(&pfd, 1, wait) < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (!(pfd.revents & (POLLIN | POLLHUP | POLLERR)))
			continue;
		got = read(fd, p + off, n - off);
		if (got < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (got < 0)
			return errno == ECONNRESET ? (ssize_t)off : -errno;
		if (got == 0)
			return (ssize_t)off;
		off += (size_t)got;
	}
	return (ssize_t)off;
}

int mvap_io_recv_frame(int fd, struct mvap_hdr *h, uint8_t **payload, int idle_ms, int body_ms,
		       const char **why)
{
	uint8_t hdr[MVAP_HDR_LEN];
	ssize_t got;
	int ret;

	*payload = NULL;
	got = mvap_io_read(fd, hdr, 1, idle_ms < 0 ? -1 : mvap_io_now_ms() + idle_ms);
	if (got == 0)
		return *why = "the peer closed the connection", -ENODATA;
	if (got < 0)
		return *why = got == -ETIMEDOUT ? "no frame in time" : "read failed", (int)got;
	int64_t deadline = body_ms < 0 ? -1 : mvap_io_now_ms() + body_ms;
	got = mvap_io_read(fd, hdr + 1, MVAP_HDR_LEN - 1, deadline);
	if (got >= 0 && got < (ssize_t)MVAP_HDR_LEN - 1)
		return *why = "the connection ended inside a frame header", -EPIPE;
	if (got < 0)
		return *why = got == -ETIMEDOUT ? "a frame header did not arrive in time" :
			      "read failed", (int)got;
	ret = mvap_hdr_decode(hdr, h, why);
	if (ret < 0)
		return ret;
	*payload = malloc(h->len ? h->len : 1);
	if (!*payload)
		return *why = "out of memory for the frame", -ENOMEM;
	got = mvap_io_read(fd, *payload, h->len, deadline);
	if (got == (ssize_t)h->len)
		return 0;
	free(*payload);
	*payload = NULL;
	if (got >= 0)
		return *why = "the connection ended inside a frame", -EPIPE;
	return *why = got == -ETIMEDOUT ? "a frame's payload did not arrive in time" :
		      "read failed", (int)got;
}

void mvap_uuid_format(const uint8_t uuid[16], char out[37])
{
	char *o = out;

	for (int i = 0; i < 16; i++) {
		if (i == 4 || i == 6 || i == 8 || i == 10)
			*o++ = '-';
		o += sprintf(o, "%02x", uuid[i]);
	}
}

int mvap_uuid_parse(const char *s, uint8_t uuid[16])
{
	int n = 0, nz = 0;

	for (size_t i = 0; s[i]; i++) {
		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (s[i] != '-')
				return -EINVAL;
			continue;
		}
		int hi = s[i], lo = s[i + 1];
		if (n == 16 || !lo || !strchr("0123456789abcdefABCDEF", hi) ||
		    !strchr("0123456789abcdefABCDEF", lo))
			return -EINVAL;
		char b[3] = { (char)hi, (char)lo, 0 };
		uuid[n] = (uint8_t)strtoul(b, NULL, 16);
		nz |= uuid[n++];
		i++;
	}
	return n == 16 && strlen(s) == 36 && nz ? 0 : -EINVAL;
}
