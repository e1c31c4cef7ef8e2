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

/*
 * Console input: the host's stdin, forwarded by MV_HC_CONSOLE_READ
 * (console_in.c).  console_read(buf, len, user, nonblock) reads what has
 * come into a user (user) or kernel buffer, sleeping until some comes
 * (MV_IRQ_INPUT) unless nonblock (then -EAGAIN); 0 at the end of the
 * host's stdin; -ERESTARTSYS on a signal.
 */
long console_read(uintptr_t buf, size_t len, bool user, bool nonblock);
/* console_readable(): would a read return at once (bytes or end of input)? */
bool console_readable(void);
/* console_pump(): on a terminal, feed what the host has to the line discipline. */
void console_pump(void);
/* console_input_ready(): MV_IRQ_INPUT: wake the readers and polls. */
void console_input_ready(void);
/* console_input_waiting(): does a process sleep for console input? */
bool console_input_waiting(void);

#endif
