/* errno.h: Linux's errno numbers (asm-generic/errno-base.h and errno.h) used by modules. */
#ifndef _MV_SDK_LINUX_ERRNO_H
#define _MV_SDK_LINUX_ERRNO_H

#define EPERM      1
#define ENOENT     2
#define ESRCH      3
#define EINTR      4
#define EIO        5
#define ENXIO      6
#define E2BIG      7
#define ENOEXEC    8
#define EBADF      9
#define ECHILD    10
#define EAGAIN    11
#define ENOMEM    12
#define EACCES    13
#define EFAULT    14
#define EBUSY     16
#define EEXIST    17
#define ENODEV    19
#define ENOTDIR   20
#define EISDIR    21
#define EINVAL    22
#define ENFILE    23
#define EMFILE    24
#define ENOTTY    25
#define ETXTBSY   26
#define EFBIG     27
#define ENOSPC    28
#define ESPIPE    29
#define EROFS     30
#define EPIPE     32
#define EDOM      33
#define ERANGE    34
#define ENOSYS    38
#define ENODATA   61
#define ETIMEDOUT 110
#define EOPNOTSUPP 95
#define EKEYREJECTED 129

#endif
