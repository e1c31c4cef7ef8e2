/* transport.c: choosing the authority transport at boot, and the "none" transport that refuses every load. */
#include <authlink.h>
#include <platform.h>
#include "transport.h"

const struct auth_transport *auth_transport = &transport_hcall;

void transport_refuse(struct mod_verdict *v, int err, const char *reason)
{
	memset(v, 0, sizeof(*v));
	v->allow = false;
	v->err = err;
	strscpy(v->reason, reason, sizeof(v->reason));
}

/* Without an authority nothing is loaded: no load goes unmeasured. */
static int none_verdict(const struct mod_verdict_req *req, struct mod_verdict *v)
{
	(void)req;
	transport_refuse(v, EAGAIN, "the module authority is unreachable");
	return 0;
}

static void none_event(const struct mod_event *ev)
{
	(void)ev;               /* no load was ever allowed, so there is no event */
}

const struct auth_transport transport_none = {
	.name = "none",
	.verdict = none_verdict,
	.event = none_event,
};

void authlink_init(void)
{
	int err;

	if (platform_is_modvisor()) {
		auth_transport = &transport_hcall;
		return;
	}
	err = virtio_authlink_open();
	if (err && err != -ENODEV) {
		/* The port is there: the link says HELLO again before each load. */
		auth_transport = &transport_virtio;
		printk("authority: %s: module loads fail with EAGAIN until it answers\n",
		       err == -EPIPE ? "the authority port is not connected" :
		       err == -EACCES ? "the authority refused this VM" :
		       "the authority port did not answer the HELLO");
		return;
	}
	if (err) {
		auth_transport = &transport_none;
		printk("authority: no virtio-serial port org.modvisor.authority: "
		       "module loads fail with EAGAIN\n");
		return;
	}
	auth_transport = &transport_virtio;
}

const char *authlink_name(void)
{
	return auth_transport->name;
}
