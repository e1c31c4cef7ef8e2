/* ctl.h: the control channel between modvisor on the real host and the emulated KVM host (locks, signals). */
#ifndef MODVISOR_VMM_EMUHOST_CTL_H
#define MODVISOR_VMM_EMUHOST_CTL_H

/*
 * QEMU's 9p server grants every flock without locking anything, so a lock
 * taken inside one emulated host means nothing to another (issue 12,
 * finding 2), and a signal sent to modvisor on the real host cannot reach
 * the command inside (finding 10).  Both go through one channel:
 *
 *   real host: modvisor (emuhost.c, the outer process)
 *        |  socketpair <-> QEMU "-chardev socket,fd=N" + virtserialport "mv.ctl"
 *   emulated host: the agent (agent.c, `modvisor __emuhost-agent`), which run.sh
 *        |  execs; it forks the command and serves local clients on the
 *        |  abstract unix socket EMUHOST_CTL_SOCKET
 *   clients: e.g. the measurement log (hostlock.c) of an inner `modvisor run`
 *
 * Every message is one line of text.  Outer <-> agent:
 *   agent -> outer  "L <cid> <path>"   lock <path> (flock LOCK_EX on the real
 *                                      host), waiting as long as it takes
 *                   "T <cid> <path>"   the same, but only if free at once
 *                   "U <cid>"          release (or give up waiting)
 *   outer -> agent  "G <cid>"          granted
 *                   "E <cid> <errno>"  refused (EWOULDBLOCK for a busy "T")
 *                   "S <signo>"        deliver signo to the command's
 *                                      process group
 * Client <-> agent, one lock at a time per connection (cid = connection):
 *   client -> agent "L <path>" / "T <path>" / "U"; agent -> client "G" / "E <errno>".
 * A client that disconnects releases what it held.
 */

#define EMUHOST_CTL_PORT    "mv.ctl"                   /* virtserialport name */
#define EMUHOST_CTL_SOCKET  "modvisor-emuhost-ctl"     /* abstract unix socket */
#define EMUHOST_CTL_LINE    (4096 + 64)                /* PATH_MAX + verb and id */

#endif
