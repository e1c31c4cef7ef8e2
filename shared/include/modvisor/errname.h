/* errname.h: Linux errno numbers to their names ("ENOKEY"), for both sides. */
#ifndef MODVISOR_ERRNAME_H
#define MODVISOR_ERRNAME_H

/*
 * mv_errno_name(e): the name of Linux x86-64 errno (e) (1..133; the sign is
 * ignored, so -ENOKEY works too): "ENOKEY", "EWOULDBLOCK" is "EAGAIN"'s
 * other name and is never returned.  NULL for 0 and for numbers Linux does
 * not define.
 */
const char *mv_errno_name(int e);

#endif
