/* daemon.h: `modvisor authority`: one policy and one log for many VMs, over a Unix socket. */
#ifndef MODVISOR_VMM_FLEET_DAEMON_H
#define MODVISOR_VMM_FLEET_DAEMON_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include <modvisor/mvap.h>
#include "authority/authority.h"

#define FLEET_VMS_MAX      256          /* connections served at once */
#define FLEET_BODY_MS      30000        /* a frame's payload must follow its header */

struct fleet;

/* One connection: a VM once its HELLO was accepted. */
struct fleet_vm {
	struct fleet *f;
	int fd;
	uint32_t id;
	pid_t pid;                      /* SO_PEERCRED */
	uid_t uid;
	bool hello;                     /* HELLO accepted */
	char name[MVAP_NAME_MAX + 1];
	char uuid[37];
	uint32_t transport;
	struct mlog_vm tag;             /* name, uuid: tags its log entries */
	struct authority *auth;         /* authority_open_vm() after HELLO */
	uint64_t loads, allowed, denied, events, seals;
	struct fleet_vm *next;
};

/* The daemon. */
struct fleet {
	struct authority *auth;         /* policy, keys, kernel facts, log */
	char kernel[4096];
	char socket[108];
	int lfd;
	pthread_mutex_t mu;             /* vms, nvms, next_id */
	pthread_cond_t gone;            /* a VM's thread ended */
	struct fleet_vm *vms;
	unsigned nvms;
	uint32_t next_id;
	bool stopping;
};

/*
 * fleet_open(f, policy, socket, err, errlen): the daemon's authority (the
 * policy moved in; the log opened, verified, a torn tail sealed, its start
 * entry written) and its listening socket (a stale socket file is replaced;
 * a live daemon on it is refused).  0 or -errno with why.
 */
int fleet_open(struct fleet *f, struct policy *policy, const char *socket, char *err,
	       size_t errlen);

/*
 * fleet_serve(f, stopfd): accept VMs, one thread each, until SIGTERM,
 * SIGINT or SIGHUP (stopfd -1) or until stopfd is readable (the benchmark);
 * then disconnect them, write the log's end entry and remove the socket.
 * Returns the exit status (0, or 124 when the log could not be closed).
 */
int fleet_serve(struct fleet *f, int stopfd);

/* fleet_vm_serve(arg): a connection's thread (daemon_vm.c); arg is its struct fleet_vm. */
void *fleet_vm_serve(void *arg);

/*
 * fleet_status_text(f, out, len): the STATUS_TEXT reply: policy, log head
 * aggregate and fsync count, and one line per connected VM.  Returns the
 * text's length.
 */
uint32_t fleet_status_text(struct fleet *f, char *out, uint32_t len);

/* fleet_uid_allowed(f, uid): the policy's allow_uids, or the daemon's uid and root. */
bool fleet_uid_allowed(const struct fleet *f, uid_t uid);

/* fleet_name_taken(f, vm, name): another connected VM has name (f->mu held). */
bool fleet_name_taken(struct fleet *f, const struct fleet_vm *vm, const char *name);

#endif
