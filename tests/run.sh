#!/usr/bin/env bash
# tests/run.sh: run every test suite and end with one line, "N passed, M failed, K skipped".
#
# Suites:
#   unit   build/tests/unit/*      Check binaries linking the real code
#   host   tests/host/*.sh         host-only suites (corpus, signing, CLI)
#   e2e    tests/e2e/*.sh          boot real guests; run where KVM is usable,
#                                  i.e. directly or inside the emulated KVM host
#   sanitize, fuzz-smoke           tests/fuzz/sanitize.sh, tests/fuzz/smoke.sh
# Each shell suite prints "ok - ..." / "not ok - ..." / "ok - ... # SKIP ..."
# lines and ends with its plan "1..N" (tests/lib.sh).  A suite without its
# plan (it died halfway), with a plan that does not match its lines, or with a
# non-zero exit status is a failure named after the suite; so is a Check
# binary without its summary or with a non-zero exit.
#
# Usage: tests/run.sh [SUITE...] | --list: with names, only those suites, each named as
# the runner prints it (unit-test_mvap, host-t-fleet-daemon, e2e-t-fleet,
# sanitize, fuzz-smoke) or without its prefix (test_mvap, t-fleet); a name
# that is no suite's stops the run before anything runs (status 2), so a typo
# cannot pass as "0 failed".
#
# Env (for tests of this runner): MV_TEST_UNIT, MV_TEST_HOST, MV_TEST_E2E
# (the suites' directories), MV_TEST_LOG (where each suite's output is kept),
# MV_SANITIZE=0 (no sanitizer and fuzz phases).
set -u
cd "$(dirname "$0")/.."
export MV=${MV:-build/modvisor}
UNIT=${MV_TEST_UNIT:-build/tests/unit}
HOST=${MV_TEST_HOST:-tests/host}
E2E=${MV_TEST_E2E:-tests/e2e}
LOG=${MV_TEST_LOG:-build/tests/log}
mkdir -p "$LOG"
passed=0 failed=0 skipped=0

# Every suite's name and short name, "NAME SHORT" per line.
all_suites() {
	local t
	for t in "$UNIT"/*; do [ -x "$t" ] && echo "unit-${t##*/} ${t##*/}"; done
	for t in "$HOST"/*.sh; do [ -f "$t" ] && t=${t##*/} && echo "host-${t%.sh} ${t%.sh}"; done
	[ "${MV_SANITIZE:-1}" != 0 ] && echo "sanitize sanitize" && echo "fuzz-smoke fuzz-smoke"
	for t in "$E2E"/t-*.sh; do [ -f "$t" ] && t=${t##*/} && echo "e2e-${t%.sh} ${t%.sh}"; done
}

# want NAME: run suite NAME? (all of them when no names were given)
want() {
	local a short=${1#unit-}
	short=${short#host-}
	short=${short#e2e-}
	[ ${#SEL[@]} = 0 ] && return 0
	for a in "${SEL[@]}"; do [ "$a" = "$1" ] || [ "$a" = "$short" ] && return 0; done
	return 1
}

if [ "${1:-}" = --list ]; then
	all_suites | cut -d' ' -f1
	exit 0
fi
SEL=("$@")
for a in "${SEL[@]}"; do
	if ! all_suites | awk -v a="$a" '$1 == a || $2 == a { f = 1 } END { exit !f }'; then
		echo "tests/run.sh: no suite is named $a (tests/run.sh --list names them)" >&2
		exit 2
	fi
done

# suite_fail NAME WHY: a failure of the suite as a whole.
suite_fail() {
	echo "not ok - $1: $2"
	failed=$((failed + 1))
}

# count_tap NAME FILE STATUS: add a TAP suite's results to the totals; its
# plan must be there, match its lines, and its status be 0.
count_tap() {
	local name=$1 out=$2 st=$3 lines skips nots plans n
	lines=$(grep -cE '^(not )?ok( |$)' "$out")
	nots=$(grep -cE '^not ok( |$)' "$out")
	skips=$(grep -E '^ok( |$)' "$out" | grep -c '# SKIP')
	passed=$((passed + lines - nots - skips))
	failed=$((failed + nots))
	skipped=$((skipped + skips))
	plans=$(grep -cE '^1\.\.[0-9]+$' "$out")
	n=$(grep -E '^1\.\.[0-9]+$' "$out" | tail -n 1)
	n=${n#1..}
	if [ "$plans" = 0 ]; then
		suite_fail "$name" "no plan: the suite stopped before its end after $lines checks"
	elif [ "$plans" != 1 ]; then
		suite_fail "$name" "$plans plans"
	elif [ "$n" != "$lines" ]; then
		suite_fail "$name" "plan 1..$n but $lines checks"
	fi
	[ "$st" = 0 ] || suite_fail "$name" "suite exited $st"
}

# count_check NAME FILE STATUS: add a Check runner's summary to the totals.
count_check() {
	local line c fl er
	line=$(grep -E '^[0-9]+%: Checks: ' "$2" | tail -n 1)
	if [ -z "$line" ]; then
		suite_fail "$1" "no Check summary (exit $3; crashed?)"; return
	fi
	c=$(sed -E 's/.*Checks: ([0-9]+).*/\1/' <<<"$line")
	fl=$(sed -E 's/.*Failures: ([0-9]+).*/\1/' <<<"$line")
	er=$(sed -E 's/.*Errors: ([0-9]+).*/\1/' <<<"$line")
	passed=$((passed + c - fl - er)); failed=$((failed + fl + er))
	if [ "$3" != 0 ] && [ $((fl + er)) = 0 ]; then suite_fail "$1" "exited $3"; fi
}

# run_suite NAME CMD...: run one suite, echo its output, count its results.
run_suite() {
	local name=$1; shift
	local out="$LOG/$name.out"
	echo "== $name"
	# Stream the suite's output as it comes (the boot suites run for
	# minutes) and keep a copy to count from.
	"$@" 2>&1 | tee "$out"
	count_tap "$name" "$out" "${PIPESTATUS[0]}"
}

# count_e2e FILE STATUS: tests/e2e/run.sh's output holds every boot suite
# between "# suite NAME" and "# suite NAME exit STATUS"; count each alone.
count_e2e() {
	local out=$1 st=$2 s name seg est any=0
	rm -f "$LOG"/e2e-*.out
	awk -v dir="$LOG" '
		/^# suite [^ ]+$/ { f = dir "/e2e-" $3 ".out"; printf "" >f; next }
		/^# suite [^ ]+ exit [0-9]+$/ { print "# exit " $5 >f; f = ""; next }
		f != "" { print >f }' "$out"
	for s in "${E2E_SEL[@]}"; do
		name=e2e-$s
		seg=$LOG/$name.out
		if [ ! -f "$seg" ]; then
			suite_fail "$name" "never ran (the boot run exited $st)"; any=1; continue
		fi
		est=$(sed -n 's/^# exit //p' "$seg")
		if [ -z "$est" ]; then
			suite_fail "$name" "did not finish (the boot run exited $st)"; est=0
		fi
		count_tap "$name" "$seg" "$est"
		[ "$est" = 0 ] || any=1
	done
	[ "$st" = 0 ] || [ "$any" = 1 ] || suite_fail e2e "the boot run exited $st"
}

for t in "$UNIT"/*; do
	[ -x "$t" ] || continue
	name=unit-$(basename "$t")
	want "$name" || continue
	echo "== $name"
	CK_VERBOSITY=normal "$t" >"$LOG/$name.out" 2>&1
	st=$?
	cat "$LOG/$name.out"
	count_check "$name" "$LOG/$name.out" "$st"
done

for s in "$HOST"/*.sh; do
	[ -f "$s" ] || continue
	want "host-$(basename "$s" .sh)" || continue
	run_suite "host-$(basename "$s" .sh)" bash "$s"
done

# ---- sanitizers and fuzz smoke (tests/fuzz/) ----
# The unit and corpus tests again in an ASan+UBSan build of the host code
# (build/asan), then each libFuzzer harness for MV_FUZZ_SMOKE_TIME seconds
# (default 20).  MV_SANITIZE=0 skips both.
if [ "${MV_SANITIZE:-1}" != 0 ]; then
	want sanitize && run_suite sanitize bash tests/fuzz/sanitize.sh
	want fuzz-smoke && run_suite fuzz-smoke bash tests/fuzz/smoke.sh
fi

# All boot tests share one KVM host: with-kvm runs the command directly when
# /dev/kvm is usable and otherwise inside one boot of the emulated host.
E2E_SEL=()
for s in "$E2E"/t-*.sh; do
	[ -f "$s" ] && want "e2e-$(basename "$s" .sh)" && E2E_SEL+=("$(basename "$s" .sh)")
done
if [ ${#E2E_SEL[@]} -gt 0 ]; then
	echo "== e2e"
	"$MV" with-kvm -- bash tests/e2e/run.sh "$E2E" "${E2E_SEL[@]}" 2>&1 | tee "$LOG/e2e.out"
	count_e2e "$LOG/e2e.out" "${PIPESTATUS[0]}"
fi

echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
