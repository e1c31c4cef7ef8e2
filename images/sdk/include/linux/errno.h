/* errno.h: Linux's errno numbers (asm-generic/errno-base.h and errno.h) used by modules. */
#ifndef _MV_SDK_LINUX_ERRNO_H
#define _MV_SDK_LINUX_ERRNO_H

/* The same list the guest kernel uses: a module's init returns these. */
#include <modvisor/linux_errno.h>

#endif
