/* exec.h: loading a static ELF executable into a new address space (execve). */
#ifndef MV_GUEST_EXEC_H
#define MV_GUEST_EXEC_H

#include "proc.h"

#define EXEC_ARG_MAX    (128u << 10)    /* bytes of argv + envp strings: E2BIG */
#define EXEC_ARGC_MAX   8192u           /* strings in argv + envp: E2BIG */

/* argv and envp as kernel strings, packed NUL-terminated in buf. */
struct exec_args {
	char *buf;              /* kmalloc'd, EXEC_ARG_MAX bytes */
	size_t len;
	uint32_t argc, envc;
};

/* exec_args_init(a) / exec_args_free(a): allocate and free the buffer. */
int exec_args_init(struct exec_args *a);
void exec_args_free(struct exec_args *a);
/* exec_args_add(a, s, is_env): append one string (argv before envp). */
int exec_args_add(struct exec_args *a, const char *s, bool is_env);
/*
 * exec_args_from_user(a, argv, envp): copy the user's NULL-terminated
 * vectors; -EFAULT for a bad pointer, -E2BIG when too long.
 */
int exec_args_from_user(struct exec_args *a, uaddr_t argv, uaddr_t envp);

/*
 * exec_run(p, path, a, search): replace p's image with the executable at
 * path (through PATH=/bin:/sbin when search is set and path has no '/').
 * On success it does not return: p continues in ring 3 at the new entry
 * point.  On failure p is untouched and -ENOENT, -EACCES, -ENOEXEC,
 * -ENOMEM, -E2BIG... is returned.
 */
int exec_run(struct process *p, const char *path, const struct exec_args *a,
	     bool search);

#endif
