/* syscalls.h: how a syscall handler registers itself, and the dispatch entry. */
#ifndef MV_GUEST_SYSCALLS_H
#define MV_GUEST_SYSCALLS_H

#include "kernel.h"

/*
 * A handler is an ordinary C function taking up to six integer-class
 * arguments in Linux's order (rdi, rsi, rdx, r10, r8, r9) and returning a
 * long: the result, or -errno.  User pointers are uaddr_t (see uaccess.h).
 * It registers itself, in its own file, with
 *
 *     static long sys_getpid(void) { return current->pid; }
 *     SYSCALL_REGISTER(39, getpid, sys_getpid);
 *
 * The macro puts one struct syscall_entry in the linker section
 * "mv_syscalls"; at boot syscall_init() builds the table indexed by number,
 * so adding a syscall touches no central list.  Two handlers for the same
 * number stop the boot, unless one of them was registered with
 * SYSCALL_FALLBACK (a stand-in until the real one exists).  Numbers without
 * a handler return -ENOSYS and are logged once by name (syscall_names.c).
 */
typedef long (*syscall_fn)(uint64_t, uint64_t, uint64_t,
			   uint64_t, uint64_t, uint64_t);

struct syscall_entry {
	uint32_t nr;            /* Linux x86-64 number */
	uint32_t fallback;      /* 1: overridden by a regular registration */
	const char *name;
	void *fn;               /* the handler, called as a syscall_fn */
};

#define SYSCALL_NR_MAX  512     /* numbers >= this are -ENOSYS */

#define SYSCALL_REGISTER_(nr_, name_, fn_, fb_)                           \
	static const struct syscall_entry syscall_entry_##name_           \
	__attribute__((section("mv_syscalls"), used, aligned(8))) =       \
	{ (nr_), (fb_), #name_, (void *)(fn_) }
#define SYSCALL_REGISTER(nr_, name_, fn_)  SYSCALL_REGISTER_(nr_, name_, fn_, 0)
#define SYSCALL_FALLBACK(nr_, name_, fn_)  SYSCALL_REGISTER_(nr_, name_, fn_, 1)

extern const struct syscall_entry __start_mv_syscalls[], __stop_mv_syscalls[];

/* syscall_init(): build the dispatch table and program the syscall MSRs. */
void syscall_init(void);

/* syscall_name(nr): "openat", or NULL for a number the kernel does not know. */
const char *syscall_name(unsigned nr);

#endif
