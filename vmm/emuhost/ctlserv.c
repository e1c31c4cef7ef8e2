/* ctlserv.c: modvisor's side of the emulated host's control channel (ctl.h): flock on the real host for it, signals to it. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ctl.h"
#include "ctlserv.h"

#define CTLSERV_MAX_IDS 64      /* the agent's client slots */

/* The lock of one agent client: held (fd >= 0, !waiting) or waited for. */
struct ctlserv_lock {
	int fd;
	bool waiting;
};

struct ctlserv {
	int fd;
	size_t len;
	char buf[EMUHOST_CTL_LINE];
	struct ctlserv_lock l[CTLSERV_MAX_IDS];
};

struct ctlserv *ctlserv_new(int fd)
{
	struct ctlserv *cs = calloc(1, sizeof(*cs));

	if (!cs)
		return NULL;
	cs->fd = fd;
	for (int i = 0; i < CTLSERV_MAX_IDS; i++)
		cs->l[i].fd = -1;
	return cs;
}

int ctlserv_fd(const struct ctlserv *cs)
{
	return cs->fd;
}

/* ctlserv_say(cs, fmt, a, b): one line to the agent. */
static void ctlserv_say(struct ctlserv *cs, const char *fmt, int a, int b)
{
	char line[64];
	int n = snprintf(line, sizeof(line), fmt, a, b);
	const char *p = line;

	while (n > 0) {
		ssize_t w = send(cs->fd, p, (size_t)n, MSG_NOSIGNAL);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return;
		p += w;
		n -= (int)w;
	}
}

/* ctlserv_release(cs, id): drop id's lock or its wait. */
static void ctlserv_release(struct ctlserv *cs, int id)
{
	if (cs->l[id].fd >= 0)
		close(cs->l[id].fd);    /* closing the only descriptor unlocks */
	cs->l[id].fd = -1;
	cs->l[id].waiting = false;
}

/* ctlserv_try(cs, id): flock id's file without blocking; answer unless still busy and waiting. */
static void ctlserv_try(struct ctlserv *cs, int id)
{
	if (flock(cs->l[id].fd, LOCK_EX | LOCK_NB) == 0) {
		cs->l[id].waiting = false;
		ctlserv_say(cs, "G %d\n", id, 0);
	} else if (errno != EWOULDBLOCK && errno != EINTR) {
		ctlserv_say(cs, "E %d %d\n", id, errno);
		ctlserv_release(cs, id);
	} else if (!cs->l[id].waiting) {
		ctlserv_say(cs, "E %d %d\n", id, EWOULDBLOCK);
		ctlserv_release(cs, id);
	}
}

/*
 * ctlserv_request(cs, verb, id, path): "L"/"T": open path here (a regular
 * file only: never block on a FIFO or a device) and lock it.
 */
static void ctlserv_request(struct ctlserv *cs, char verb, int id, const char *path)
{
	struct stat st;
	int fd;

	ctlserv_release(cs, id);
	fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		ctlserv_say(cs, "E %d %d\n", id, fd < 0 ? errno : EINVAL);
		if (fd >= 0)
			close(fd);
		return;
	}
	cs->l[id].fd = fd;
	cs->l[id].waiting = verb == 'L';
	ctlserv_try(cs, id);
}

/* ctlserv_line(cs, line): act on one line from the agent; others are ignored. */
static void ctlserv_line(struct ctlserv *cs, const char *line)
{
	int id, off = 0;

	if ((line[0] == 'L' || line[0] == 'T') &&
	    sscanf(line + 1, " %d %n", &id, &off) == 1 && off > 0 &&
	    id >= 0 && id < CTLSERV_MAX_IDS && line[1 + off] == '/')
		ctlserv_request(cs, line[0], id, line + 1 + off);
	else if (sscanf(line, "U %d", &id) == 1 && id >= 0 && id < CTLSERV_MAX_IDS)
		ctlserv_release(cs, id);
}

int ctlserv_input(struct ctlserv *cs)
{
	ssize_t r = read(cs->fd, cs->buf + cs->len, sizeof(cs->buf) - cs->len);
	char *nl;

	if (r < 0 && (errno == EINTR || errno == EAGAIN))
		return 0;
	if (r <= 0)
		return -1;
	cs->len += (size_t)r;
	while ((nl = memchr(cs->buf, '\n', cs->len)) != NULL) {
		size_t used = (size_t)(nl - cs->buf) + 1;
		*nl = '\0';
		ctlserv_line(cs, cs->buf);
		memmove(cs->buf, cs->buf + used, cs->len - used);
		cs->len -= used;
	}
	if (cs->len == sizeof(cs->buf))
		cs->len = 0;    /* a line longer than any request: drop it */
	return 0;
}

bool ctlserv_retry(struct ctlserv *cs)
{
	bool any = false;

	for (int i = 0; i < CTLSERV_MAX_IDS; i++) {
		if (!cs->l[i].waiting)
			continue;
		ctlserv_try(cs, i);
		any |= cs->l[i].waiting;
	}
	return any;
}

int ctlserv_signal(struct ctlserv *cs, int signo)
{
	char line[32];
	int n = snprintf(line, sizeof(line), "S %d\n", signo);

	return send(cs->fd, line, (size_t)n, MSG_NOSIGNAL | MSG_DONTWAIT) == n ? 0 : -1;
}

void ctlserv_free(struct ctlserv *cs)
{
	if (!cs)
		return;
	for (int i = 0; i < CTLSERV_MAX_IDS; i++)
		ctlserv_release(cs, i);
	close(cs->fd);
	free(cs);
}
