/* errno.h: Linux's errno numbers for the guest kernel (negated in syscall returns). */
#ifndef MV_GUEST_ERRNO_H
#define MV_GUEST_ERRNO_H

/* One list for the kernel and the SDK's modules; shared/lib code includes
 * <errno.h> on both sides and means the same numbers. */
#include <modvisor/linux_errno.h>

/*
 * Kernel-internal restart codes (Linux's), never seen by a program: the
 * signal code turns them into EINTR or a restart of the syscall.
 */
#define ERESTARTSYS     512     /* restart if the handler has SA_RESTART */
#define ERESTARTNOINTR  513     /* always restart */
#define ERESTARTNOHAND  514     /* restart only if no handler runs */

#endif
