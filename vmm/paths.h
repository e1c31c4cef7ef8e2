/* paths.h: where modvisor finds its own files (images, the emulated host) in a build tree or an install. */
#ifndef MODVISOR_VMM_PATHS_H
#define MODVISOR_VMM_PATHS_H

#include <stddef.h>

/* Where `make install` puts the data directory, relative to the binary's directory. */
#define PATHS_INSTALLED_DATA  "../lib/modvisor"

/*
 * paths_self_dir(buf, len): the directory of the running modvisor binary
 * (from /proc/self/exe).  Returns 0, or -errno (-ENAMETOOLONG if it does not fit).
 */
int paths_self_dir(char *buf, size_t len);

/*
 * paths_data_dir(buf, len): the directory that holds images/ and emuhost/.
 * In a build tree that is the binary's own directory (build/); in an
 * install it is PREFIX/lib/modvisor beside PREFIX/bin.  The build tree wins
 * when both exist.  Returns 0, or -errno.
 */
int paths_data_dir(char *buf, size_t len);

/*
 * paths_data_file(rel, buf, len): paths_data_dir()/rel, e.g.
 * "images/kernel.elf".  Returns buf, or NULL if the directory is unknown or
 * the name does not fit.
 */
const char *paths_data_file(const char *rel, char *buf, size_t len);

#endif
