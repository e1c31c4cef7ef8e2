/* transport.h: the transports that carry a load's verdict request and its events to the authority. */
#ifndef MV_GUEST_MODULE_TRANSPORT_H
#define MV_GUEST_MODULE_TRANSPORT_H

#include "loader_env.h"

/*
 * One transport: the loader (env_kernel.c's modenv_host_verdict and
 * modenv_host_event) calls these and never learns which one it is.
 * verdict() returns 0 with v filled in (a refusal is a verdict), or -errno
 * when the request could not be made; event() never fails its caller.
 */
struct auth_transport {
	const char *name;
	int (*verdict)(const struct mod_verdict_req *req, struct mod_verdict *v);
	void (*event)(const struct mod_event *ev);
};

extern const struct auth_transport transport_hcall;     /* transport_hcall.c */
extern const struct auth_transport transport_virtio;    /* transport_virtio.c */
extern const struct auth_transport transport_none;      /* transport.c */

/* The transport authlink_init() chose. */
extern const struct auth_transport *auth_transport;

/* transport_refuse(v, err, reason): a verdict that denies with err (positive) and reason. */
void transport_refuse(struct mod_verdict *v, int err, const char *reason);

/* virtio_authlink_open(): find the authority's port and say HELLO; 0 or -errno. */
int virtio_authlink_open(void);

#endif
