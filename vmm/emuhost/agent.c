/* agent.c: `modvisor __emuhost-agent`: inside the emulated KVM host, run the command and relay the control channel (ctl.h). */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli/commands.h"
#include "ctl.h"
#include "port.h"

#define AGENT_MAX_CLIENTS 64

/* One local client (a connection on EMUHOST_CTL_SOCKET). */
struct agent_client {
	int fd;                         /* -1: free slot */
	size_t len;
	char buf[EMUHOST_CTL_LINE];     /* a partial line */
};

struct agent {
	int port;                       /* the virtio-serial port to the real host */
	int listen;
	pid_t child;
	size_t plen;
	char pbuf[EMUHOST_CTL_LINE];    /* a partial line from the port */
	struct agent_client c[AGENT_MAX_CLIENTS];
};

static void agent_err(const char *fmt, const char *arg)
{
	fprintf(stderr, "modvisor: emulated host agent: ");
	fprintf(stderr, fmt, arg);
	fputc('\n', stderr);
}

/* agent_write(fd, s, n): all of s; a failed write is ignored (the peer is gone). */
static void agent_write(int fd, const char *s, size_t n)
{
	while (n > 0) {
		ssize_t w = send(fd, s, n, MSG_NOSIGNAL);
		if (w < 0 && errno == ENOTSOCK)
			w = write(fd, s, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return;
		s += w;
		n -= (size_t)w;
	}
}

/* agent_listen(): the abstract unix socket clients connect to, or -1. */
static int agent_listen(void)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	socklen_t len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 +
				    strlen(EMUHOST_CTL_SOCKET));
	int s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

	memcpy(a.sun_path + 1, EMUHOST_CTL_SOCKET, strlen(EMUHOST_CTL_SOCKET));
	if (s < 0 || bind(s, (struct sockaddr *)&a, len) < 0 || listen(s, 16) < 0) {
		if (s >= 0)
			close(s);
		return -1;
	}
	return s;
}

/* agent_drop(ag, i): a client went away: release what it held or waited for. */
static void agent_drop(struct agent *ag, int i)
{
	char line[32];
	int n = snprintf(line, sizeof(line), "U %d\n", i);

	agent_write(ag->port, line, (size_t)n);
	close(ag->c[i].fd);
	ag->c[i].fd = -1;
	ag->c[i].len = 0;
}

/* agent_client_line(ag, i, line): "L path", "T path" or "U" from client i. */
static void agent_client_line(struct agent *ag, int i, const char *line)
{
	char out[EMUHOST_CTL_LINE + 16];
	int n;

	if ((line[0] == 'L' || line[0] == 'T') && line[1] == ' ' && line[2] == '/')
		n = snprintf(out, sizeof(out), "%c %d %s\n", line[0], i, line + 2);
	else if (strcmp(line, "U") == 0)
		n = snprintf(out, sizeof(out), "U %d\n", i);
	else
		n = snprintf(out, sizeof(out), "E %d\n", EPROTO);
	if (line[0] != 'L' && line[0] != 'T' && line[0] != 'U') {
		agent_write(ag->c[i].fd, out, (size_t)n);
		return;
	}
	agent_write(ag->port, out, (size_t)n);
}

/*
 * agent_lines(buf, len, cap, fd, fn, ag, i): read what fd has, and call fn
 * for each complete line; -1 at EOF or on a line longer than cap.
 */
static int agent_lines(char *buf, size_t *len, size_t cap, int fd,
		       void (*fn)(struct agent *, int, const char *), struct agent *ag, int i)
{
	ssize_t r = read(fd, buf + *len, cap - *len);
	char *nl;

	if (r < 0 && (errno == EINTR || errno == EAGAIN))
		return 0;
	if (r <= 0)
		return -1;
	*len += (size_t)r;
	while ((nl = memchr(buf, '\n', *len)) != NULL) {
		size_t used = (size_t)(nl - buf) + 1;
		*nl = '\0';
		fn(ag, i, buf);
		memmove(buf, buf + used, *len - used);
		*len -= used;
	}
	return *len == cap ? -1 : 0;
}

/* agent_port_line(ag, unused, line): "G cid", "E cid errno" or "S signo" from the real host. */
static void agent_port_line(struct agent *ag, int unused, const char *line)
{
	char out[32];
	int a = 0, b = 0;

	(void)unused;
	if (sscanf(line, "S %d", &a) == 1 && a > 0 && a < 65) {
		kill(-ag->child, a);
	} else if (sscanf(line, "G %d", &a) == 1 && a >= 0 && a < AGENT_MAX_CLIENTS &&
		   ag->c[a].fd >= 0) {
		agent_write(ag->c[a].fd, "G\n", 2);
	} else if (sscanf(line, "E %d %d", &a, &b) == 2 && a >= 0 && a < AGENT_MAX_CLIENTS &&
		   ag->c[a].fd >= 0) {
		agent_write(ag->c[a].fd, out, (size_t)snprintf(out, sizeof(out), "E %d\n", b));
	}
}

static void agent_client_line_cb(struct agent *ag, int i, const char *line)
{
	agent_client_line(ag, i, line);
}

/* agent_accept(ag): take a new client into a free slot (or turn it away). */
static void agent_accept(struct agent *ag)
{
	int fd = accept4(ag->listen, NULL, NULL, SOCK_CLOEXEC), i;

	if (fd < 0)
		return;
	for (i = 0; i < AGENT_MAX_CLIENTS; i++)
		if (ag->c[i].fd < 0) {
			ag->c[i].fd = fd;
			ag->c[i].len = 0;
			return;
		}
	close(fd);
}

/* agent_loop(ag, sfd): relay until the command exits; its wait status. */
static int agent_loop(struct agent *ag, int sfd)
{
	struct pollfd p[3 + AGENT_MAX_CLIENTS];
	int status = 0, i;

	for (;;) {
		p[0] = (struct pollfd){ .fd = sfd, .events = POLLIN };
		p[1] = (struct pollfd){ .fd = ag->port, .events = POLLIN };
		p[2] = (struct pollfd){ .fd = ag->listen, .events = POLLIN };
		for (i = 0; i < AGENT_MAX_CLIENTS; i++)
			p[3 + i] = (struct pollfd){ .fd = ag->c[i].fd, .events = POLLIN };
		if (poll(p, 3 + AGENT_MAX_CLIENTS, -1) < 0 && errno != EINTR)
			return status;
		if (p[0].revents) {
			struct signalfd_siginfo si;
			if (read(sfd, &si, sizeof(si)) < 0 && errno != EAGAIN)
				return status;
			if (waitpid(ag->child, &status, WNOHANG) == ag->child)
				return status;
		}
		if (p[1].revents && agent_lines(ag->pbuf, &ag->plen, sizeof(ag->pbuf), ag->port,
						agent_port_line, ag, 0) < 0) {
			close(ag->port);
			ag->port = -1;  /* the real host is gone: the machine stops soon */
		}
		if (p[2].revents)
			agent_accept(ag);
		for (i = 0; i < AGENT_MAX_CLIENTS; i++)
			if (p[3 + i].revents && agent_lines(ag->c[i].buf, &ag->c[i].len,
							    sizeof(ag->c[i].buf), ag->c[i].fd,
							    agent_client_line_cb, ag, i) < 0)
				agent_drop(ag, i);
	}
}

/*
 * agent_main(argc, argv): argv = "__emuhost-agent" [--] CMD [ARG...]: run
 * CMD in a process group of its own, relay locks and signals, and exit
 * with CMD's status (128 + signal if a signal killed it, as sh does).
 */
static int agent_main(int argc, char **argv)
{
	struct agent ag = { .port = -1, .listen = -1 };
	sigset_t mask, old;
	int sfd, status, i = 1;

	if (i < argc && strcmp(argv[i], "--") == 0)
		i++;
	if (i >= argc) {
		agent_err("%s", "no command");
		return 125;
	}
	for (int k = 0; k < AGENT_MAX_CLIENTS; k++)
		ag.c[k].fd = -1;
	ag.port = emuhost_port_open(EMUHOST_CTL_PORT);
	ag.listen = ag.port >= 0 ? agent_listen() : -1;
	if (ag.port < 0 || ag.listen < 0)
		agent_err("no control channel (%s): logs on 9p cannot be locked and "
			  "signals are not forwarded", EMUHOST_CTL_PORT);
	sigemptyset(&mask);
	sigaddset(&mask, SIGCHLD);
	sigprocmask(SIG_BLOCK, &mask, &old);
	sfd = signalfd(-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK);
	ag.child = fork();
	if (ag.child < 0) {
		agent_err("fork: %s", strerror(errno));
		return 125;
	}
	if (ag.child == 0) {
		setpgid(0, 0);
		sigprocmask(SIG_SETMASK, &old, NULL);
		execvp(argv[i], argv + i);
		fprintf(stderr, "modvisor: %s: %s\n", argv[i], strerror(errno));
		_exit(errno == ENOENT ? 127 : 126);
	}
	setpgid(ag.child, ag.child);    /* either side may run first */
	if (sfd < 0) {
		waitpid(ag.child, &status, 0);
	} else {
		status = agent_loop(&ag, sfd);
	}
	return WIFEXITED(status) ? WEXITSTATUS(status) :
	       WIFSIGNALED(status) ? 128 + WTERMSIG(status) : 125;
}

COMMAND(emuhost_agent, "__emuhost-agent", NULL, NULL, agent_main);
