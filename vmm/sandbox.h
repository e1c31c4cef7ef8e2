/* sandbox.h: after setup, the VMM drops root (--user) and confines itself with a seccomp filter. */
#ifndef MODVISOR_VMM_SANDBOX_H
#define MODVISOR_VMM_SANDBOX_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* The user --user NAME names, looked up while the options are parsed. */
struct sandbox_user {
	bool set;
	uid_t uid;
	gid_t gid;
	char name[64];
};

/*
 * sandbox_user_lookup(name, u, err, errlen): --user NAME (a user name or a
 * numeric uid) from the passwd database.  0 or -1 with "--user NAME: why".
 */
int sandbox_user_lookup(const char *name, struct sandbox_user *u, char *err, size_t errlen);

/*
 * sandbox_enter(u): once the VM, its memory, the kernel, the authority
 * (keys, log) and every file are set up, and before the guest runs: with a
 * user, drop root for good (supplementary groups, gid, uid; regaining root
 * must fail); then install the seccomp filter that allows only the system
 * calls the vCPU loop and the authority make (docs/security.md).  A
 * forbidden call prints "modvisor: seccomp: forbidden system call N" and
 * kills the process with SIGSYS.  MODVISOR_NO_SECCOMP=1 skips the filter
 * (debugging only).  Prints why and returns -1 on failure (the run must
 * stop).
 */
int sandbox_enter(const struct sandbox_user *u);

#endif
