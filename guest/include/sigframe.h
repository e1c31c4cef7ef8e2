/* sigframe.h: the x86-64 signal frame (struct rt_sigframe) as Linux lays it out; pure, unit-tested on the host. */
#ifndef MV_GUEST_SIGFRAME_H
#define MV_GUEST_SIGFRAME_H

#include <stddef.h>
#include <stdint.h>

/*
 * A handler starts with %rsp at a struct rt_sigframe: the return address
 * (sa_restorer, which calls rt_sigreturn), the ucontext with the
 * interrupted registers, and the siginfo.  The 512-byte FXSAVE image sits
 * above it, 64-byte aligned, and uc_mcontext.fpstate points there.  glibc
 * and musl read these through their ucontext_t and siginfo_t, so every
 * offset is Linux's (tests/unit/test_sigframe.c checks them against glibc).
 */
/* x86-64 struct sigcontext, as Linux lays it out. */
struct linux_sigcontext {
	uint64_t r8, r9, r10, r11, r12, r13, r14, r15;
	uint64_t rdi, rsi, rbp, rbx, rdx, rax, rcx, rsp, rip, eflags;
	uint16_t cs, gs, fs, ss;
	uint64_t err, trapno, oldmask, cr2, fpstate;
	uint64_t reserved1[8];
};
_Static_assert(sizeof(struct linux_sigcontext) == 256, "sigcontext size");

struct linux_stack {
	uint64_t ss_sp;
	int32_t ss_flags, pad;
	uint64_t ss_size;
};

struct linux_ucontext {
	uint64_t uc_flags, uc_link;
	struct linux_stack uc_stack;
	struct linux_sigcontext uc_mcontext;
	uint64_t uc_sigmask;
};

struct linux_siginfo {
	int32_t si_signo, si_errno, si_code, pad;
	union {
		struct { int32_t pid, uid, status; } kill;   /* also SIGCHLD */
		uint64_t addr;                                  /* faults */
		uint8_t raw[112];
	};
};
_Static_assert(sizeof(struct linux_siginfo) == 128, "siginfo size");

/* What the handler finds at its stack pointer: Linux's struct rt_sigframe. */
struct rt_sigframe {
	uint64_t pretcode;              /* sa_restorer: the handler returns there */
	struct linux_ucontext uc;
	struct linux_siginfo info;
};
_Static_assert(offsetof(struct rt_sigframe, uc.uc_mcontext) == 48, "uc_mcontext offset");
_Static_assert(offsetof(struct rt_sigframe, info) == 312, "info offset");

#endif
