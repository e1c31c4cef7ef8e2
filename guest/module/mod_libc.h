/* mod_libc.h: the few libc pieces the module loader uses, on either side. */
#ifndef MOD_LIBC_H
#define MOD_LIBC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * The loader is compiled twice: into the guest kernel (freestanding, with
 * -nostdinc) and on the host for tests and the corpus tool.  On the host
 * <string.h> and <errno.h> are glibc's, in the guest the kernel's
 * (guest/include/); errno numbers are Linux's on both sides.
 */
#include <errno.h>
#include <string.h>

/* Linux spells EAGAIN this way for delete_module(2). */
#ifndef EWOULDBLOCK
#define EWOULDBLOCK EAGAIN
#endif

#endif
