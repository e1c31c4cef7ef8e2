/* remote.h: `modvisor run --authority SOCKET`: the VM's loads and events decided by a daemon. */
#ifndef MODVISOR_VMM_REMOTE_H
#define MODVISOR_VMM_REMOTE_H

#include <stddef.h>
#include <stdint.h>

struct authority;
struct authority_request;
struct authority_verdict;
struct mlog_event;
struct mlog_refusal;
struct mlog_seal;
struct mlog_violation;

/*
 * remote_connect(path, err, errlen): a socket connected to the daemon
 * listening at path, or -errno with "path: cannot connect ...: reason".
 */
int remote_connect(const char *path, char *err, size_t errlen);

/*
 * remote_open(out, socket, stream, kernel, name, uuid, err, errlen): connect
 * to the daemon at socket (or, when stream >= 0, use stream, a byte stream
 * already connected to it, which is then ours to close: the emulated KVM
 * host's port to a socket the real host connected), send HELLO (transport
 * modvisor, name, uuid, the kernel file's SHA-256 and vermagic) and take
 * its WELCOME: *out is an authority whose loads and events go to the
 * daemon, with policy.protect and on_violation as the daemon says.  0, or
 * -errno with "socket: reason".
 */
int remote_open(struct authority **out, const char *socket, int stream, const char *kernel,
		const char *name, const uint8_t uuid[16], char *err, size_t errlen);

/*
 * remote_load(a, req, v, err, errlen): LOAD with the host's one copy of the
 * image; v from the VERDICT.  When the daemon is gone (or answers ERROR) the
 * load is denied with EAGAIN ("the module authority is unreachable") and 0
 * returned: the guest goes on, and nothing loads without a verdict.
 */
int remote_load(struct authority *a, const struct authority_request *req,
		struct authority_verdict *v, char *err, size_t errlen);

/*
 * remote_event(a, e, err, errlen), remote_violation(a, v, err, errlen): have
 * the daemon log it.  0, or -errno when it was not logged (the daemon is
 * gone, or refused it): the caller stops the VM.
 */
int remote_event(struct authority *a, const struct mlog_event *e, int refused, char *err,
		 size_t errlen);
int remote_violation(struct authority *a, const struct mlog_violation *v, char *err,
		     size_t errlen);

/*
 * remote_init_start(a, load_id, why, whylen): tell the daemon that load_id's
 * init starts (it keeps the same states, and logs nothing).  0 or -errno.
 */
int remote_init_start(struct authority *a, uint32_t load_id, char *why, size_t whylen);

/*
 * remote_refused(a, r, err, errlen): the event does not fit its state: send
 * it anyway so the daemon refuses and logs it.  0 when the daemon logged the
 * refusal, else -errno.
 */
int remote_refused(struct authority *a, const struct mlog_refusal *r, char *err,
		   size_t errlen);

/*
 * remote_seal(a, s, err, errlen): send the seal record s (SEAL, or UNSEAL)
 * and wait for the daemon's ACK, which comes once its entry is durable.
 * 0 logged; -EINVAL refused by the daemon (it logged the refusal); another
 * -errno: not logged (the daemon is gone, or answered ERROR).
 */
int remote_seal(struct authority *a, const struct mlog_seal *s, char *err, size_t errlen);

/* remote_close(a, msg, msglen): BYE, close; msg says which daemon and VM.  0. */
int remote_close(struct authority *a, char *msg, size_t msglen);

#endif
