/* port.h: inside the emulated KVM host, a virtio-serial port found by its name. */
#ifndef MODVISOR_VMM_EMUHOST_PORT_H
#define MODVISOR_VMM_EMUHOST_PORT_H

/*
 * The virtio-serial ports that modvisor on the real host gives the emulated
 * host (each a socket there, QEMU's "-chardev socket,fd=N" + "-device
 * virtserialport,name=NAME"): the control channel (ctl.h) and, for a `run
 * --authority`, the connection to the module authority daemon.
 */
#define EMUHOST_AUTHORITY_PORT  "mv.authority"

/*
 * emuhost_port_open(name): open the port whose name (as QEMU's
 * virtserialport name=, in /sys/class/virtio-ports/vportNpM/name) is name:
 * /dev/vportNpM, read-write, close-on-exec.  Only one process may hold a
 * port open.  The fd, or -errno (-ENOENT: no port of that name).
 */
int emuhost_port_open(const char *name);

#endif
