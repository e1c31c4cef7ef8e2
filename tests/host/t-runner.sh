#!/usr/bin/env bash
# t-runner.sh: tests/run.sh itself: a boot suite that dies halfway, a short plan, a non-zero exit,
# a crashed unit binary, and a boot run that never reaches a suite each fail the run and name the
# suite; skips are counted; suites run by name, and a name that is no suite's stops the run.  Runs the real runner on made-up suites (a stand-in modvisor whose
# with-kvm runs the command directly).
cd "$(dirname "$0")/../.."
. tests/lib.sh
R=$PWD
W=$T_DIR

mkdir -p "$W/e2e" "$W/host" "$W/unit" "$W/log"
printf '#!/bin/sh\n[ "$1" = with-kvm ] && [ "$2" = -- ] || exit 99\nshift 2\nexec "$@"\n' >"$W/mv"
chmod +x "$W/mv"

# suite NAME BODY: a boot suite sourcing the real tests/lib.sh.
suite() {
	printf '. %s/tests/lib.sh\n%s\n' "$R" "$2" >"$W/e2e/$1.sh"
}

# runner NAME: run tests/run.sh over $W; its output in $W/NAME, status in $st.
runner() {
	MV=$W/mv MV_TEST_UNIT=$W/unit MV_TEST_HOST=$W/host MV_TEST_E2E=$W/e2e MV_TEST_LOG=$W/log \
		MV_SANITIZE=0 bash tests/run.sh >"$W/$1" 2>&1
	st=$?
}

suite t-good 't_pass one; t_skip two "not here"; (t_pass three-in-a-subshell); t_done'
runner good
t_expect_status "runner: good suites pass" 0 "$st"
t_expect_line "runner: a skip is counted apart" "$W/good" "2 passed, 0 failed, 1 skipped"

# A boot suite that exits halfway, with status 0 and no failure printed.
suite t-half 't_pass first; exit 0; t_pass second; t_done'
runner half
t_expect_status "runner: a boot suite that exits halfway fails the run" 1 "$st"
t_expect_contains "runner: and the failure names the suite" "$W/half" \
	"not ok - e2e-t-half: no plan: the suite stopped before its end after 1 checks"
t_expect_line "runner: the halfway suite counts as one failure" "$W/half" "3 passed, 1 failed, 1 skipped"
rm "$W/e2e/t-half.sh"

suite t-short 'echo "1..3"; t_pass a; t_pass b'
runner short
t_expect_status "runner: a short plan fails the run" 1 "$st"
t_expect_contains "runner: a short plan is named" "$W/short" "not ok - e2e-t-short: plan 1..3 but 2 checks"
rm "$W/e2e/t-short.sh"

suite t-status 't_pass a; t_done; exit 3'
runner status
t_expect_status "runner: a suite's non-zero exit fails the run" 1 "$st"
t_expect_contains "runner: the exit is named" "$W/status" "not ok - e2e-t-status: suite exited 3"
rm "$W/e2e/t-status.sh"

# The boot run dies inside a suite (the VM or with-kvm went away): that suite
# did not finish and the ones after it never ran.
suite t-killed 't_pass a; kill -9 $PPID; sleep 1; t_done'
suite t-later 't_pass a; t_done'
runner killed
t_expect_status "runner: a boot run that dies fails" 1 "$st"
t_expect_contains "runner: the suite it died in is named" "$W/killed" "not ok - e2e-t-killed: did not finish"
t_expect_contains "runner: a suite that never ran is named" "$W/killed" "not ok - e2e-t-later: never ran"
rm "$W/e2e/t-killed.sh" "$W/e2e/t-later.sh"

# A host suite is held to the same rules.
printf '. %s/tests/lib.sh\nt_pass a\nexit 0\n' "$R" >"$W/host/t-hhalf.sh"
runner hhalf
t_expect_status "runner: a host suite that exits halfway fails" 1 "$st"
t_expect_contains "runner: and is named" "$W/hhalf" "not ok - host-t-hhalf: no plan"
rm "$W/host/t-hhalf.sh"

# A unit binary that crashes before its Check summary.
printf '#!/bin/sh\necho "Running suite(s): x"\nkill -SEGV $$\n' >"$W/unit/test_crash"
chmod +x "$W/unit/test_crash"
runner crash
t_expect_status "runner: a crashed unit binary fails" 1 "$st"
t_expect_contains "runner: and is named" "$W/crash" "not ok - unit-test_crash: no Check summary"
rm "$W/unit/test_crash"

# Suites by name: only those run (and are counted); a name that is no suite's stops the run.
suite t-one 't_pass one; t_done'
suite t-two 't_pass two-a; t_pass two-b; t_done'
printf '. %s/tests/lib.sh\nt_pass h\nt_done\n' "$R" >"$W/host/t-h.sh"
MV=$W/mv MV_TEST_UNIT=$W/unit MV_TEST_HOST=$W/host MV_TEST_E2E=$W/e2e MV_TEST_LOG=$W/log \
	MV_SANITIZE=0 bash tests/run.sh e2e-t-two t-h >"$W/sel" 2>&1
st=$?
t_expect_status "runner: named suites run" 0 "$st"
t_expect_line "runner: only the named suites are counted" "$W/sel" "3 passed, 0 failed, 0 skipped"
t_expect_absent "runner: a suite not named does not run" "$W/sel" "ok - one"
MV=$W/mv MV_TEST_UNIT=$W/unit MV_TEST_HOST=$W/host MV_TEST_E2E=$W/e2e MV_TEST_LOG=$W/log \
	MV_SANITIZE=0 bash tests/run.sh t-two t-tow >"$W/typo" 2>&1
st=$?
t_expect_status "runner: a name that is no suite's stops the run (status 2)" 2 "$st"
t_expect_contains "runner: and names it" "$W/typo" "tests/run.sh: no suite is named t-tow"
t_expect_absent "runner: before any suite runs" "$W/typo" "two-a"
MV=$W/mv MV_TEST_UNIT=$W/unit MV_TEST_HOST=$W/host MV_TEST_E2E=$W/e2e MV_TEST_LOG=$W/log \
	MV_SANITIZE=0 bash tests/run.sh --list >"$W/list" 2>&1
t_expect_line "runner: --list names every suite" "$W/list" "e2e-t-one"
rm "$W/e2e/t-one.sh" "$W/e2e/t-two.sh" "$W/host/t-h.sh"
t_done
