#!/usr/bin/env bash
# tests/run.sh: run every test suite and end with one line, "N passed, M failed".
#
# Suites:
#   unit   build/tests/unit/*      Check binaries linking the real code
#   host   tests/host/*.sh         host-only suites (corpus, signing, CLI)
#   e2e    tests/e2e/*.sh          boot real guests; run where KVM is usable,
#                                  i.e. directly or inside the emulated KVM host
#   sanitize, fuzz-smoke           tests/fuzz/sanitize.sh, tests/fuzz/smoke.sh
# Each shell suite prints "ok - ..." / "not ok - ..." lines.
set -u
cd "$(dirname "$0")/.."
export MV=build/modvisor
LOG=build/tests/log
mkdir -p "$LOG"
passed=0 failed=0

# count_tap FILE: add a TAP-ish suite's results to the totals.
count_tap() {
	local p f
	p=$(grep -c '^ok ' "$1"); f=$(grep -c '^not ok ' "$1")
	passed=$((passed + p)); failed=$((failed + f))
}

# count_check FILE STATUS: add a Check runner's summary to the totals.
count_check() {
	local line c fl er
	line=$(grep -E '^[0-9]+%: Checks: ' "$1" | tail -n 1)
	if [ -z "$line" ]; then
		echo "not ok - $2: no Check summary (crashed?)"; failed=$((failed + 1)); return
	fi
	c=$(sed -E 's/.*Checks: ([0-9]+).*/\1/' <<<"$line")
	fl=$(sed -E 's/.*Failures: ([0-9]+).*/\1/' <<<"$line")
	er=$(sed -E 's/.*Errors: ([0-9]+).*/\1/' <<<"$line")
	passed=$((passed + c - fl - er)); failed=$((failed + fl + er))
}

# suite NAME CMD...: run one suite, echo its output, count its results.
run_suite() {
	local name=$1; shift
	local out="$LOG/$name.out"
	echo "== $name"
	# Stream the suite's output as it comes (the boot suites run for
	# minutes) and keep a copy to count from.
	"$@" 2>&1 | tee "$out"
	local st=${PIPESTATUS[0]}
	count_tap "$out"
	if [ $st -ne 0 ] && ! grep -q '^not ok ' "$out"; then
		echo "not ok - $name: suite exited $st"; failed=$((failed + 1))
	fi
}

for t in build/tests/unit/*; do
	[ -x "$t" ] || continue
	name=unit-$(basename "$t")
	echo "== $name"
	CK_VERBOSITY=normal "$t" >"$LOG/$name.out" 2>&1
	cat "$LOG/$name.out"
	count_check "$LOG/$name.out" "$name"
done

for s in tests/host/*.sh; do
	[ -f "$s" ] || continue
	run_suite "host-$(basename "$s" .sh)" bash "$s"
done

# ---- sanitizers and fuzz smoke (tests/fuzz/) ----
# The unit and corpus tests again in an ASan+UBSan build of the host code
# (build/asan), then each libFuzzer harness for MV_FUZZ_SMOKE_TIME seconds
# (default 20).  MV_SANITIZE=0 skips both.
if [ "${MV_SANITIZE:-1}" != 0 ]; then
	run_suite sanitize bash tests/fuzz/sanitize.sh
	run_suite fuzz-smoke bash tests/fuzz/smoke.sh
fi

# All boot tests share one KVM host: with-kvm runs the command directly when
# /dev/kvm is usable and otherwise inside one boot of the emulated host.
if ls tests/e2e/*.sh >/dev/null 2>&1; then
	run_suite e2e "$MV" with-kvm -- bash tests/e2e/run.sh
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
