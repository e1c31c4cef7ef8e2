/* console.h: the guest console: kernel messages and guest programs' stdout/stderr. */
#ifndef MV_GUEST_CONSOLE_H
#define MV_GUEST_CONSOLE_H

#include "kernel.h"
#include <modvisor/abi/hypercall.h>

/*
 * console_write(stream, buf, len): write kernel bytes to the host's stdout
 * (MV_CONSOLE_STDOUT) or stderr (MV_CONSOLE_STDERR), in as few hypercalls
 * as possible (one per MV_CONSOLE_MAX bytes).  Kernel messages (printk)
 * are line-buffered and flushed first, so the streams stay in order.
 */
void console_write(unsigned stream, const void *buf, size_t len);

/*
 * console_write_user(stream, buf, len): the same for a user buffer; returns
 * len or -EFAULT (bytes before the bad page may have been written, as on
 * Linux).  This is what write(1, ...) on the console ends in.
 */
long console_write_user(unsigned stream, uaddr_t buf, size_t len);

/* console_flush(): push out buffered kernel messages. */
void console_flush(void);

#endif
