/* mvap_io.h: authority-protocol frames over a stream socket (send whole, receive capped and timed). */
#ifndef MODVISOR_VMM_MVAP_IO_H
#define MODVISOR_VMM_MVAP_IO_H

#include <stddef.h>
#include <stdint.h>
#include <sys/uio.h>

#include <modvisor/mvap.h>

/*
 * mvap_io_send(fd, iov, n): write every byte of iov[0..n) (sendto with
 * MSG_NOSIGNAL, or write where fd is not a socket, such as a virtio-serial
 * port; through EINTR and short writes).  0 or -errno (-EPIPE when the peer is gone).
 */
int mvap_io_send(int fd, const struct iovec *iov, int n);

/*
 * mvap_io_recv_frame(fd, h, payload, idle_ms, body_ms, why): read one frame:
 * its header (waiting up to idle_ms for its first byte, -1 = forever), checked
 * with mvap_hdr_decode() before anything is allocated, then its payload
 * (which must arrive within body_ms) into *payload (malloc'd, len h->len;
 * the caller frees it).  0; -ENODATA on EOF before a frame began;
 * -MVAP_E* from the header's check; -EPIPE on EOF mid-frame; -ETIMEDOUT;
 * -errno.  why says what happened.
 */
int mvap_io_recv_frame(int fd, struct mvap_hdr *h, uint8_t **payload, int idle_ms, int body_ms,
		       const char **why);

/* mvap_uuid_format(uuid, out): "8-4-4-4-12" lower-case hex. */
void mvap_uuid_format(const uint8_t uuid[16], char out[37]);

/* mvap_uuid_parse(s, uuid): 0 for a "8-4-4-4-12" hex UUID (not all zero), else -EINVAL. */
int mvap_uuid_parse(const char *s, uint8_t uuid[16]);

#endif
