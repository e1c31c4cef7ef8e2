/* authlink.h: the module loader's link to the module authority: hypercalls (modvisor) or virtio-serial (QEMU). */
#ifndef MV_GUEST_AUTHLINK_H
#define MV_GUEST_AUTHLINK_H

#include "kernel.h"

/*
 * authlink_init(): choose the transport once, at boot: the hypercalls under
 * the modvisor VMM; under a PC (PVH boot) the virtio-serial port named
 * org.modvisor.authority if the machine has one, which gets the HELLO now
 * (and again before a load whenever the link is down: QEMU may reconnect);
 * otherwise none, and every load is refused with EAGAIN (the authority is
 * unreachable).  docs/guest-kernel.md, "Transports".
 */
void authlink_init(void);

/* authlink_name(): "hypercall", "virtio-serial" or "none". */
const char *authlink_name(void);

#endif
