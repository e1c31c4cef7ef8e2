/* jobdir.h: the emulated host's job directories: who owns one, and removing those whose owner died. */
#ifndef MODVISOR_VMM_EMUHOST_JOBDIR_H
#define MODVISOR_VMM_EMUHOST_JOBDIR_H

#define JOBDIR_PREFIX  "modvisor-emuhost."     /* /tmp/modvisor-emuhost.XXXXXX */
#define JOBDIR_OWNER   "owner"                 /* "<pid> <start time>\n" */

/* jobdir_claim(dir): write dir/owner naming this process; 0 or -errno. */
int jobdir_claim(const char *dir);

/*
 * jobdir_clean_stale(parent): remove parent/modvisor-emuhost.* directories
 * of ours whose owner is dead (a modvisor killed with SIGKILL cannot clean
 * up; the next start does).  The owner is the pid and its start time, so a
 * reused pid does not keep a dead job alive.  A directory without an owner
 * file (made by an older modvisor) goes once it is older than maxage_s.
 * Returns how many were removed.
 */
int jobdir_clean_stale(const char *parent, long maxage_s);

#endif
