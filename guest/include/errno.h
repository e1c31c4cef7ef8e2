/* errno.h: Linux's errno numbers for the guest kernel (negated in syscall returns). */
#ifndef MV_GUEST_ERRNO_H
#define MV_GUEST_ERRNO_H

/* One list for the kernel and the SDK's modules; shared/lib code includes
 * <errno.h> on both sides and means the same numbers. */
#include <modvisor/linux_errno.h>

#endif
