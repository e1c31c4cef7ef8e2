/* fs_sys.h: helpers shared by the file syscall files (guest only). */
#ifndef MODVISOR_GUEST_FS_SYS_H
#define MODVISOR_GUEST_FS_SYS_H

#include "kernel.h"
#include "vfs.h"

/* (src, out): copy a user path into a new kernel buffer; -EFAULT, -ENAMETOOLONG. */
int fs_getname(uaddr_t src, char **out);
/* (fd, out): the current process's open file at fd; -EBADF. */
int fs_fd(int fd, struct file **out);

#endif
