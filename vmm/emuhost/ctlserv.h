/* ctlserv.h: modvisor's side of the emulated host's control channel: real-host locks, forwarded signals. */
#ifndef MODVISOR_VMM_EMUHOST_CTLSERV_H
#define MODVISOR_VMM_EMUHOST_CTLSERV_H

#include <stdbool.h>

struct ctlserv;

/* ctlserv_new(fd): serve the channel on fd (ctl.h; fd is owned); NULL when out of memory. */
struct ctlserv *ctlserv_new(int fd);

/* ctlserv_fd(cs): the fd to poll for input. */
int ctlserv_fd(const struct ctlserv *cs);

/*
 * ctlserv_input(cs): read and act on what the emulated host sent (lock
 * requests: flock on this machine, answered at once or queued).  Returns
 * -1 when the channel is closed.
 */
int ctlserv_input(struct ctlserv *cs);

/* ctlserv_retry(cs): try the queued lock requests again; true while some still wait. */
bool ctlserv_retry(struct ctlserv *cs);

/* ctlserv_signal(cs, signo): ask the agent to deliver signo to the command; 0 or -1. */
int ctlserv_signal(struct ctlserv *cs, int signo);

/* ctlserv_free(cs): release every lock and close the channel (NULL is fine). */
void ctlserv_free(struct ctlserv *cs);

#endif
