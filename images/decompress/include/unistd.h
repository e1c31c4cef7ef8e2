/* unistd.h: what zconf.h takes from <unistd.h> (off_t, SEEK_*), for the guest kernel's build of zlib.h. */
#ifndef MV_MDC_UNISTD_H
#define MV_MDC_UNISTD_H
#include <sys/types.h>
#define SEEK_SET 0
#define SEEK_CUR 1
#define SEEK_END 2
#endif
