/* linux_errno.h: Linux's errno numbers, shared by the guest kernel and modules built with the SDK. */
#ifndef MODVISOR_LINUX_ERRNO_H
#define MODVISOR_LINUX_ERRNO_H

/*
 * The values are the Linux x86-64 user ABI (asm-generic/errno-base.h and
 * errno.h).  They cross two lines: syscalls return them negated to user
 * space, and a module's init returns them to the loader, so the kernel and
 * every module must use this one list.  Only the ones in use are listed.
 */
#define EPERM            1
#define ENOENT           2
#define ESRCH            3
#define EINTR            4
#define EIO              5
#define ENXIO            6
#define E2BIG            7
#define ENOEXEC          8
#define EBADF            9
#define ECHILD          10
#define EAGAIN          11
#define ENOMEM          12
#define EACCES          13
#define EFAULT          14
#define EBUSY           16
#define EEXIST          17
#define EXDEV           18
#define ENODEV          19
#define ENOTDIR         20
#define EISDIR          21
#define EINVAL          22
#define ENFILE          23
#define EMFILE          24
#define ENOTTY          25
#define ETXTBSY         26
#define EFBIG           27
#define ENOSPC          28
#define ESPIPE          29
#define EROFS           30
#define EMLINK          31
#define EPIPE           32
#define EDOM            33
#define ERANGE          34
#define EDEADLK         35
#define ENAMETOOLONG    36
#define ENOLCK          37
#define ENOSYS          38
#define ENOTEMPTY       39
#define ELOOP           40
#define ENOMSG          42
#define ENODATA         61
#define ETIME           62
#define ENOPKG          65
#define EBADMSG         74
#define EOVERFLOW       75
#define EILSEQ          84
#define EOPNOTSUPP      95
#define ENOTSUP         EOPNOTSUPP
#define EAFNOSUPPORT    97
#define ETIMEDOUT      110
#define ECANCELED      125
#define ENOKEY         126
#define EKEYEXPIRED    127
#define EKEYREVOKED    128
#define EKEYREJECTED   129

#endif
