/* hostlock.h: a file lock that holds across emulated KVM hosts (taken by modvisor on the real host). */
#ifndef MODVISOR_VMM_EMUHOST_HOSTLOCK_H
#define MODVISOR_VMM_EMUHOST_HOSTLOCK_H

#include <stdbool.h>

/*
 * hostlock_needed(fd): true when fd's file is on 9p, whose flock QEMU grants
 * without locking: such a file needs hostlock_*() besides flock().
 */
bool hostlock_needed(int fd);

/*
 * hostlock_connect(): a connection to the emulated host's agent (ctl.h).
 * Returns the socket, or -errno (-ECONNREFUSED: no agent, i.e. not inside
 * modvisor's emulated KVM host).
 */
int hostlock_connect(void);

/*
 * hostlock_lock(sock, path, wait): flock(LOCK_EX) on the real host's file
 * path (absolute), waiting for it when wait, else failing at once with
 * -EWOULDBLOCK if another holds it.  One lock per connection.  0 or -errno.
 */
int hostlock_lock(int sock, const char *path, bool wait);

/* hostlock_unlock(sock): release the connection's lock; 0 or -errno. */
int hostlock_unlock(int sock);

#endif
