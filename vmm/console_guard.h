/* console_guard.h: guest console output cannot pass for the host's own "modvisor:" lines. */
#ifndef MODVISOR_VMM_CONSOLE_GUARD_H
#define MODVISOR_VMM_CONSOLE_GUARD_H

#include <stddef.h>
#include <stdint.h>

#define CONSOLE_GUARD_TAG     "modvisor:"      /* how every host line begins */
#define CONSOLE_GUARD_PREFIX  "guest: "        /* put before a guest line that does */

/*
 * console_guard_write(fd, p, n): write guest output to fd (1 or 2): a guest
 * line (after '\n' or '\r', or at the start) that begins with "modvisor:"
 * is written as "guest: modvisor:...", so a line that begins with
 * "modvisor:" on our stdout or stderr is always the host's.  Bytes that may
 * still become that tag are held until the next write or
 * console_guard_flush().  0 or -errno.
 */
int console_guard_write(int fd, const uint8_t *p, size_t n);

/* console_guard_flush(): write what is held (the guest stopped mid-tag). */
void console_guard_flush(void);

#endif
