#!/usr/bin/env bash
# smoke.sh: make check's fuzz smoke phase: build the libFuzzer harnesses, gather seeds, ~20 s each.
#
# One "ok"/"not ok" line per harness (tests/fuzz/run.sh --tap): not ok on
# any crash, sanitizer report, leak or timeout.  Env: MV_FUZZ_SMOKE_TIME
# (seconds per harness, default 20).
set -u
cd "$(dirname "$0")/../.."
. tests/lib.sh
LOG=build/tests/log
mkdir -p "$LOG"

# One build and seed gathering at a time (seeds.sh rebuilds the seed directories).
mkdir -p build/fuzz
if flock build/fuzz/.build-lock make --no-print-directory -j2 fuzz-build fuzz-seeds \
	>"$LOG/fuzz-build.out" 2>&1; then
	t_pass "fuzz: build the harnesses (clang 14, libFuzzer + ASan + UBSan) and their seeds"
else
	t_fail "fuzz: build" "make fuzz-build fuzz-seeds failed"; tail -n 20 "$LOG/fuzz-build.out" | sed 's/^/    | /'
	exit 0
fi
FUZZ_TIME=${MV_FUZZ_SMOKE_TIME:-20} tests/fuzz/run.sh --tap | tee "$LOG/fuzz-smoke.tap" | grep -vE '^(not )?ok( |$)'
t_relay "" "$LOG/fuzz-smoke.tap"
t_done
