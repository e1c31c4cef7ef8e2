/* sys/types.h: the two types zconf.h wants, for the guest kernel's build of zlib.h. */
#ifndef MV_MDC_SYS_TYPES_H
#define MV_MDC_SYS_TYPES_H
#include <stddef.h>
typedef long off_t;
typedef long ssize_t;
#endif
