/* cache.h: __ro_after_init, as in Linux: data written during init, read-only after it returns. */
#ifndef _MV_SDK_LINUX_CACHE_H
#define _MV_SDK_LINUX_CACHE_H

#include <linux/compiler.h>

/*
 * The loader lays .data..ro_after_init out with rodata and leaves it
 * writable until the module's init returns; then it is read-only, and with
 * protect = on the host seals it too (docs/security.md).
 */
#define __ro_after_init   __section(".data..ro_after_init")

#endif
