/* hostlock.c: the client side of the real-host lock service of the emulated KVM host (ctl.h). */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/un.h>
#include <unistd.h>

#include "ctl.h"
#include "hostlock.h"

/*
 * 9p passes the server's statfs through (f_type is the real host's ext4),
 * so the file system type comes from /proc/self/mountinfo: the mount whose
 * device is the file's ("36 25 0:21 / /host rw - 9p hostroot ...").
 */
bool hostlock_needed(int fd)
{
	char *line = NULL, dev[32], *dash;
	size_t cap = 0;
	struct stat st;
	bool is9p = false;
	FILE *f;

	if (fstat(fd, &st) < 0 || !(f = fopen("/proc/self/mountinfo", "re")))
		return false;
	snprintf(dev, sizeof(dev), " %u:%u ", major(st.st_dev), minor(st.st_dev));
	while (!is9p && getline(&line, &cap, f) > 0) {
		char *d = strstr(line, dev);
		dash = strstr(line, " - ");
		is9p = d && dash && d < dash && strncmp(dash, " - 9p ", 6) == 0;
	}
	free(line);
	fclose(f);
	return is9p;
}

int hostlock_connect(void)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	socklen_t len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 +
				    strlen(EMUHOST_CTL_SOCKET));
	int s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (s < 0)
		return -errno;
	memcpy(a.sun_path + 1, EMUHOST_CTL_SOCKET, strlen(EMUHOST_CTL_SOCKET));
	if (connect(s, (struct sockaddr *)&a, len) < 0) {
		int e = errno;
		close(s);
		return -e;
	}
	return s;
}

/* hostlock_send(sock, line, n): all of it, through EINTR; 0 or -errno. */
static int hostlock_send(int sock, const char *line, size_t n)
{
	while (n > 0) {
		ssize_t w = send(sock, line, n, MSG_NOSIGNAL);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return w < 0 ? -errno : -EPIPE;
		line += w;
		n -= (size_t)w;
	}
	return 0;
}

/* hostlock_reply(sock): read "G\n" (0) or "E <errno>\n" (-errno), waiting through EINTR. */
static int hostlock_reply(int sock)
{
	char buf[32];
	size_t n = 0;

	while (n < sizeof(buf) - 1) {
		ssize_t r = read(sock, buf + n, 1);
		if (r < 0 && errno == EINTR)
			continue;       /* the --timeout watchdog's SIGALRM: keep waiting */
		if (r <= 0)
			return r < 0 ? -errno : -ECONNRESET;
		if (buf[n++] == '\n')
			break;
	}
	buf[n] = '\0';
	if (strcmp(buf, "G\n") == 0)
		return 0;
	if (buf[0] == 'E' && buf[1] == ' ' && atoi(buf + 2) > 0)
		return -atoi(buf + 2);
	return -EPROTO;
}

int hostlock_lock(int sock, const char *path, bool wait)
{
	char line[EMUHOST_CTL_LINE];
	int n;

	if (path[0] != '/' || strchr(path, '\n'))
		return -EINVAL;
	n = snprintf(line, sizeof(line), "%c %s\n", wait ? 'L' : 'T', path);
	if (n < 0 || (size_t)n >= sizeof(line))
		return -ENAMETOOLONG;
	int ret = hostlock_send(sock, line, (size_t)n);
	return ret < 0 ? ret : hostlock_reply(sock);
}

int hostlock_unlock(int sock)
{
	return hostlock_send(sock, "U\n", 2);
}
