/* test_sigframe.c: the guest's rt_sigframe against glibc's ucontext_t and siginfo_t (what handlers read). */
#include <check.h>
#include "check_main.h"
#include <signal.h>
#include <stddef.h>
#include <ucontext.h>
#include "sigframe.h"

#define UC(f)  offsetof(struct linux_ucontext, f)
#define SC(f)  (UC(uc_mcontext) + offsetof(struct linux_sigcontext, f))
#define GREG(r) (offsetof(ucontext_t, uc_mcontext.gregs) + (r) * sizeof(greg_t))

START_TEST(ucontext_matches_glibc)
{
	ck_assert_uint_eq(UC(uc_flags), offsetof(ucontext_t, uc_flags));
	ck_assert_uint_eq(UC(uc_link), offsetof(ucontext_t, uc_link));
	ck_assert_uint_eq(UC(uc_stack), offsetof(ucontext_t, uc_stack));
	ck_assert_uint_eq(UC(uc_stack.ss_flags), offsetof(ucontext_t, uc_stack.ss_flags));
	ck_assert_uint_eq(UC(uc_stack.ss_size), offsetof(ucontext_t, uc_stack.ss_size));
	ck_assert_uint_eq(UC(uc_mcontext), offsetof(ucontext_t, uc_mcontext));
	ck_assert_uint_eq(UC(uc_sigmask), offsetof(ucontext_t, uc_sigmask));
}
END_TEST

START_TEST(registers_match_glibc)
{
	ck_assert_uint_eq(SC(r8), GREG(REG_R8));
	ck_assert_uint_eq(SC(r15), GREG(REG_R15));
	ck_assert_uint_eq(SC(rdi), GREG(REG_RDI));
	ck_assert_uint_eq(SC(rsi), GREG(REG_RSI));
	ck_assert_uint_eq(SC(rbp), GREG(REG_RBP));
	ck_assert_uint_eq(SC(rbx), GREG(REG_RBX));
	ck_assert_uint_eq(SC(rdx), GREG(REG_RDX));
	ck_assert_uint_eq(SC(rax), GREG(REG_RAX));
	ck_assert_uint_eq(SC(rcx), GREG(REG_RCX));
	ck_assert_uint_eq(SC(rsp), GREG(REG_RSP));
	ck_assert_uint_eq(SC(rip), GREG(REG_RIP));
	ck_assert_uint_eq(SC(eflags), GREG(REG_EFL));
	ck_assert_uint_eq(SC(cs), GREG(REG_CSGSFS));
	ck_assert_uint_eq(SC(err), GREG(REG_ERR));
	ck_assert_uint_eq(SC(trapno), GREG(REG_TRAPNO));
	ck_assert_uint_eq(SC(oldmask), GREG(REG_OLDMASK));
	ck_assert_uint_eq(SC(cr2), GREG(REG_CR2));
	ck_assert_uint_eq(SC(fpstate), offsetof(ucontext_t, uc_mcontext.fpregs));
}
END_TEST

START_TEST(siginfo_matches_glibc)
{
	ck_assert_uint_eq(sizeof(struct linux_siginfo), sizeof(siginfo_t));
	ck_assert_uint_eq(offsetof(struct linux_siginfo, si_code), offsetof(siginfo_t, si_code));
	ck_assert_uint_eq(offsetof(struct linux_siginfo, kill.pid), offsetof(siginfo_t, si_pid));
	ck_assert_uint_eq(offsetof(struct linux_siginfo, kill.uid), offsetof(siginfo_t, si_uid));
	ck_assert_uint_eq(offsetof(struct linux_siginfo, kill.status),
			  offsetof(siginfo_t, si_status));
	ck_assert_uint_eq(offsetof(struct linux_siginfo, addr), offsetof(siginfo_t, si_addr));
}
END_TEST

START_TEST(frame_layout)
{
	/* Linux: pretcode, then the ucontext, then the siginfo. */
	ck_assert_uint_eq(offsetof(struct rt_sigframe, pretcode), 0);
	ck_assert_uint_eq(offsetof(struct rt_sigframe, uc), 8);
	ck_assert_uint_eq(offsetof(struct rt_sigframe, info), 8 + sizeof(struct linux_ucontext));
	ck_assert_uint_eq(sizeof(struct linux_ucontext), 304);
}
END_TEST

static Suite *unit_suite(void)
{
	Suite *s = suite_create("sigframe");
	TCase *tc = tcase_create("layout");

	tcase_add_test(tc, ucontext_matches_glibc);
	tcase_add_test(tc, registers_match_glibc);
	tcase_add_test(tc, siginfo_matches_glibc);
	tcase_add_test(tc, frame_layout);
	suite_add_tcase(s, tc);
	return s;
}

const struct unit_main unit_main = { .suite = unit_suite };
