/* daemon.c: `modvisor authority`: listen, check each peer's uid, one thread per VM, status, clean stop. */
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include "authority/mvap_io.h"
#include "daemon.h"
#include "paths.h"
#include "vm.h"

bool fleet_uid_allowed(const struct fleet *f, uid_t uid)
{
	const struct policy *p = &f->auth->policy;

	if (p->n_allow_uids == 0)
		return uid == 0 || uid == getuid();
	for (size_t i = 0; i < p->n_allow_uids; i++)
		if (p->allow_uids[i] == uid)
			return true;
	return false;
}

bool fleet_name_taken(struct fleet *f, const struct fleet_vm *vm, const char *name)
{
	for (struct fleet_vm *o = f->vms; o; o = o->next)
		if (o != vm && o->hello && strcmp(o->name, name) == 0)
			return true;
	return false;
}

/*
 * fleet_listen(f, path, err, errlen): bind and listen on path.  A socket
 * file nobody answers on (a killed daemon's) is replaced; a live daemon's,
 * or a file that is not a socket, is refused.  Anyone may connect: the
 * peer's uid is checked on accept (SO_PEERCRED).
 */
static int fleet_listen(struct fleet *f, const char *path, char *err, size_t errlen)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct stat st;
	int fd, e;

	if (strlen(path) >= sizeof(sa.sun_path))
		return snprintf(err, errlen, "--listen %s: socket path too long (at most %zu "
				"bytes)", path, sizeof(sa.sun_path) - 1), -ENAMETOOLONG;
	strcpy(sa.sun_path, path);
	if (lstat(path, &st) == 0) {
		if (!S_ISSOCK(st.st_mode))
			return snprintf(err, errlen, "--listen %s: exists and is not a socket", path),
			       -EEXIST;
		fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
		if (fd >= 0 && connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0) {
			close(fd);
			return snprintf(err, errlen, "--listen %s: another authority is listening "
					"there", path), -EADDRINUSE;
		}
		if (fd >= 0)
			close(fd);
		unlink(path);
	}
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 || chmod(path, 0666) < 0 ||
	    listen(fd, 64) < 0) {
		e = errno;
		if (fd >= 0)
			close(fd);
		return snprintf(err, errlen, "--listen %s: %s", path, strerror(e)), -e;
	}
	f->lfd = fd;
	snprintf(f->socket, sizeof(f->socket), "%s", path);
	return 0;
}

int fleet_open(struct fleet *f, struct policy *policy, const char *socket, char *err,
	       size_t errlen)
{
	char torn[PATH_MAX + 256];
	int ret;

	memset(f, 0, sizeof(*f));
	f->lfd = -1;
	f->next_id = 1;
	pthread_mutex_init(&f->mu, NULL);
	pthread_cond_init(&f->gone, NULL);
	if (policy->kernel[0])
		snprintf(f->kernel, sizeof(f->kernel), "%s", policy->kernel);
	else if (!paths_data_file("images/kernel.elf", f->kernel, sizeof(f->kernel)))
		return snprintf(err, errlen, "kernel: cannot find images/kernel.elf (set kernel = "
				"in the policy)"), -ENOENT;
	ret = authority_open_daemon(&f->auth, policy, f->kernel, torn, sizeof(torn), err, errlen);
	if (ret < 0)
		return ret;
	if (torn[0])
		fprintf(stderr, "modvisor authority: %s: %s; sealed and logged\n",
			f->auth->policy.log, torn);
	ret = fleet_listen(f, socket, err, errlen);
	if (ret < 0) {
		char ignored[PATH_MAX + 256];
		authority_close(f->auth, ignored, sizeof(ignored));
		f->auth = NULL;
	}
	return ret;
}

/* fleet_refuse(fd, e, msg): a fatal ERROR to a peer we do not serve, then close it. */
static void fleet_refuse(int fd, int e, const char *msg)
{
	struct mvap_error m = { .err = e, .fatal = 1 };
	uint8_t frame[MVAP_HDR_LEN + MVAP_ERROR_FIXED + MVAP_TEXT_MAX];
	int n;

	snprintf(m.msg, sizeof(m.msg), "%s", msg);
	n = mvap_error_encode(&m, 0, frame, sizeof(frame));
	if (n > 0)
		mvap_io_send(fd, &(struct iovec){ frame, (size_t)n }, 1);
	close(fd);
}

/* fleet_accept(f): take one connection: check its uid, start its thread. */
static void fleet_accept(struct fleet *f)
{
	struct ucred cred;
	socklen_t cl = sizeof(cred);
	struct fleet_vm *vm;
	pthread_t th;
	char msg[128];
	int fd = accept4(f->lfd, NULL, NULL, SOCK_CLOEXEC);

	if (fd < 0)
		return;
	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &cl) < 0)
		return fleet_refuse(fd, EACCES, "cannot read the peer's credentials");
	if (!fleet_uid_allowed(f, cred.uid)) {
		snprintf(msg, sizeof(msg), "uid %u is not in the policy's allow_uids", cred.uid);
		fprintf(stderr, "modvisor authority: pid %d refused: %s\n", (int)cred.pid, msg);
		return fleet_refuse(fd, EACCES, msg);
	}
	vm = calloc(1, sizeof(*vm));
	pthread_mutex_lock(&f->mu);
	if (!vm || f->nvms >= FLEET_VMS_MAX) {
		pthread_mutex_unlock(&f->mu);
		free(vm);
		return fleet_refuse(fd, EAGAIN, "the authority serves as many VMs as it can");
	}
	vm->f = f;
	vm->fd = fd;
	vm->pid = cred.pid;
	vm->uid = cred.uid;
	vm->id = f->next_id++;
	vm->next = f->vms;
	f->vms = vm;
	f->nvms++;
	pthread_mutex_unlock(&f->mu);
	pthread_attr_t at;
	pthread_attr_init(&at);
	pthread_attr_setdetachstate(&at, PTHREAD_CREATE_DETACHED);
	if (pthread_create(&th, &at, fleet_vm_serve, vm) != 0) {
		pthread_mutex_lock(&f->mu);
		f->vms = vm->next;      /* still first: only this thread adds */
		f->nvms--;
		pthread_mutex_unlock(&f->mu);
		free(vm);
		fleet_refuse(fd, EAGAIN, "the authority cannot start a thread for this VM");
	}
	pthread_attr_destroy(&at);
}

/* fleet_stop(f): disconnect every VM and wait until their threads are done. */
static void fleet_stop(struct fleet *f)
{
	pthread_mutex_lock(&f->mu);
	f->stopping = true;
	for (struct fleet_vm *vm = f->vms; vm; vm = vm->next)
		shutdown(vm->fd, SHUT_RDWR);
	while (f->nvms)
		pthread_cond_wait(&f->gone, &f->mu);
	pthread_mutex_unlock(&f->mu);
}

int fleet_serve(struct fleet *f, int stopfd)
{
	char msg[PATH_MAX + 256];
	sigset_t set;
	int sfd = -1, ret;

	signal(SIGPIPE, SIG_IGN);
	if (stopfd < 0) {
		sigemptyset(&set);
		sigaddset(&set, SIGTERM);
		sigaddset(&set, SIGINT);
		sigaddset(&set, SIGHUP);
		pthread_sigmask(SIG_BLOCK, &set, NULL);   /* the VM threads inherit it */
		sfd = stopfd = signalfd(-1, &set, SFD_CLOEXEC);
		fprintf(stderr, "modvisor authority: listening on %s (log %s, kernel %s)\n",
			f->socket, f->auth->policy.log, f->kernel);
	}
	for (;;) {
		struct pollfd p[2] = { { .fd = f->lfd, .events = POLLIN },
				       { .fd = stopfd, .events = POLLIN } };
		if (poll(p, 2, -1) < 0 && errno != EINTR)
			break;
		if (p[1].revents)
			break;
		if (p[0].revents & POLLIN)
			fleet_accept(f);
	}
	close(f->lfd);
	unlink(f->socket);
	fleet_stop(f);
	ret = authority_close(f->auth, msg, sizeof(msg));
	if (sfd >= 0) {
		fprintf(stderr, "modvisor authority: stopped: %s\n", msg);
		close(sfd);
	}
	return ret < 0 ? MV_EXIT_SETUP : 0;
}

uint32_t fleet_status_text(struct fleet *f, char *out, uint32_t len)
{
	const struct policy *p = &f->auth->policy;
	uint8_t agg[MLOG_AGG_LEN];
	char hex[2 * MLOG_AGG_LEN + 1];
	uint64_t n, written, fsyncs;
	size_t o = 0;

#define FLEET_PUT(...) do { if (o < len) o += (size_t)snprintf(out + o, len - o, __VA_ARGS__); } while (0)
	n = mlog_aggregate(f->auth->log, agg);
	mlog_stats(f->auth->log, &written, &fsyncs);
	measure_hex(agg, sizeof(agg), hex);
	FLEET_PUT("authority: pid %d, socket %s, kernel %s\n", (int)getpid(), f->socket, f->kernel);
	FLEET_PUT("policy: sig_enforce=%d force_load=%d keyring=%s allow=%zu deny=%zu "
		  "modules_disabled=%d protect=%s on_violation=%s require_seal=%d fsync=%s\n",
		  p->sig_enforce, p->force_load, p->keyring[0] ? p->keyring : "(none)",
		  p->allow.n, p->deny.n, p->modules_disabled, p->protect ? "on" : "off",
		  p->on_violation == POLICY_VIOLATION_LOG ? "log" : "stop", p->require_seal,
		  p->fsync == POLICY_FSYNC_ENTRY ? "per-entry" :
		  p->fsync == POLICY_FSYNC_CLOSE ? "close" : "none");
	FLEET_PUT("log: %s: %llu entries, aggregate %s\n", p->log, (unsigned long long)n, hex);
	FLEET_PUT("group commit: %llu entries written by this daemon, %llu fsyncs\n",
		  (unsigned long long)written, (unsigned long long)fsyncs);
	pthread_mutex_lock(&f->mu);
	unsigned nvm = 0;
	for (struct fleet_vm *vm = f->vms; vm; vm = vm->next)
		nvm += vm->hello;
	FLEET_PUT("vms: %u connected\n", nvm);
	for (struct fleet_vm *vm = f->vms; vm; vm = vm->next)
		if (vm->hello)
			FLEET_PUT("vm %u %s %s transport=%s pid=%d uid=%u loads=%llu allowed=%llu "
				  "denied=%llu events=%llu seals=%llu\n", vm->id, vm->name, vm->uuid,
				  vm->transport == MVAP_TRANSPORT_QEMU ? "qemu" : "modvisor",
				  (int)vm->pid, (unsigned)vm->uid, (unsigned long long)vm->loads,
				  (unsigned long long)vm->allowed, (unsigned long long)vm->denied,
				  (unsigned long long)vm->events, (unsigned long long)vm->seals);
	pthread_mutex_unlock(&f->mu);
#undef FLEET_PUT
	return (uint32_t)(o < len ? o : len - 1);
}
