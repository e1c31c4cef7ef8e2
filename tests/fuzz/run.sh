#!/usr/bin/env bash
# run.sh: run libFuzzer harnesses one after another for a bounded time and summarise them.
#
# usage: tests/fuzz/run.sh [--tap] HARNESS...      (names: loader params modinfo ...)
#
# Env: FUZZ_TIME   seconds per harness (default 60)
#      FUZZ_RUNS   stop a harness after this many executions instead (the
#                  time limit still applies when FUZZ_TIME is set too)
#      BUILD       build directory (default build)
# Each harness runs on one core with its writable corpus in
# BUILD/fuzz/corpus/NAME, seeded from BUILD/fuzz/seeds/NAME (tests/fuzz/seeds.sh),
# ASan+UBSan+LeakSanitizer on, a 10 s per-input timeout.  A crashing input
# is saved in BUILD/fuzz/artifacts/NAME/ (copy it to tests/fuzz/crashes/NAME/
# to keep it as a regression seed); the full logs are in
# BUILD/fuzz/logs/<time>-<pid>/NAME.log (BUILD/fuzz/logs/latest: the last run).
# Prints a table (executions, exec/s, coverage "cov" = edges, "ft" =
# features, corpus size, crashes), or with --tap one "ok - fuzz NAME ..."
# / "not ok - ..." line per harness.  Every run is appended to
# BUILD/fuzz/history.tsv.  Exit status 1 when any harness found a crash.
set -u
cd "$(dirname "$0")/../.."
BUILD=${BUILD:-build}
TAP=0
[ "${1:-}" = --tap ] && { TAP=1; shift; }
[ $# -gt 0 ] || set -- loader params modinfo sig cpio policy kernel mlog elf_exec decompress rederive mvap

# Longest input per harness: large enough for the seeds' interesting parts,
# small enough to keep mutations fast.
max_len() {
	case $1 in
	loader|modinfo|sig) echo 409600 ;;
	kernel) echo 1048576 ;;
	elf_exec) echo 262144 ;;
	*) echo 65536 ;;
	esac
}

# Logs of this run in their own directory (a make check may fuzz meanwhile).
LOGS=$BUILD/fuzz/logs/$(date -u +%Y%m%dT%H%M%SZ)-$$
mkdir -p "$LOGS"
ln -sfn "$(basename "$LOGS")" "$BUILD/fuzz/logs/latest"
failed=0
rows=()
for h in "$@"; do
	bin=$BUILD/fuzz/fuzz_$h
	log=$LOGS/$h.log
	art=$BUILD/fuzz/artifacts/$h
	corpus=$BUILD/fuzz/corpus/$h
	if [ ! -x "$bin" ]; then
		echo "not ok - fuzz $h: $bin missing (make fuzz-build)"; failed=1; continue
	fi
	mkdir -p "$art" "$corpus"
	limits=(-max_total_time="${FUZZ_TIME:-60}")
	[ -n "${FUZZ_RUNS:-}" ] && limits=(-runs="$FUZZ_RUNS")
	[ -n "${FUZZ_RUNS:-}" ] && [ -n "${FUZZ_TIME:-}" ] && limits+=(-max_total_time="$FUZZ_TIME")
	start=$(date +%s)
	MV_FUZZ_KEYRING=${MV_FUZZ_KEYRING:-$BUILD/fuzz/keys} \
	MV_FUZZ_SIG_SEEDS=${MV_FUZZ_SIG_SEEDS:-$BUILD/fuzz/seeds/sig} \
	ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1} \
	UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1} \
		"$bin" "${limits[@]}" -timeout=10 -max_len="$(max_len "$h")" -print_final_stats=1 \
		-artifact_prefix="$art/" "$corpus" "$BUILD/fuzz/seeds/$h" >"$log" 2>&1
	st=$?
	secs=$(( $(date +%s) - start ))
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
	[ -n "$execs" ] || execs=$(grep -oE '^#[0-9]+' "$log" | tail -n 1 | tr -d '#')
	last=$(grep -E '^#[0-9]+.*cov: ' "$log" | tail -n 1)
	cov=$(grep -oE 'cov: [0-9]+' <<<"$last" | cut -d' ' -f2)
	ft=$(grep -oE 'ft: [0-9]+' <<<"$last" | cut -d' ' -f2)
	corp=$(grep -oE 'corp: [0-9]+' <<<"$last" | cut -d' ' -f2)
	# libFuzzer stops at its first finding: 0 or 1 per run.
	crashes=0
	grep -qE '^==[0-9]+== ?ERROR|^SUMMARY: (Address|Undefined|Leak)|deadly signal|ALARM: working on the last Unit' \
		"$log" && crashes=1
	verdict=ok
	if [ $st -ne 0 ] || [ $crashes = 1 ]; then
		verdict="not ok"; failed=1; crashes=1
	fi
	eps=$(( ${execs:-0} / (secs > 0 ? secs : 1) ))
	printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$(date -u +%FT%TZ)" "$h" "$secs" "${execs:-0}" \
		"${cov:-?}" "${ft:-?}" "$crashes" "$verdict" >>"$BUILD/fuzz/history.tsv"
	if [ $TAP = 1 ]; then
		if [ "$verdict" = ok ]; then
			echo "ok - fuzz $h: ${execs:-0} executions in ${secs}s, cov ${cov:-?}, ft ${ft:-?}, no crash"
		else
			echo "not ok - fuzz $h: exit $st after ${execs:-0} executions; see $log, input in $art/"
			grep -E '^==[0-9]+== ?ERROR|^SUMMARY:|^    #[0-9] |runtime error|deadly signal|Test unit written' "$log" |
				head -n 12 | sed 's/^/    | /'
		fi
	fi
	rows+=("$(printf '%-9s %-7s %11s %8s %6s %7s %7s %8s %6s' "$h" "$verdict" "${execs:-0}" "$eps" \
		"${cov:-?}" "${ft:-?}" "${corp:-?}" "$crashes" "$secs")")
done

if [ $TAP = 0 ]; then
	printf '%-9s %-7s %11s %8s %6s %7s %7s %8s %6s\n' harness result executions exec/s cov ft corpus crashes secs
	printf '%s\n' "${rows[@]}"
	[ $failed = 0 ] || echo "crashes: see $LOGS/ and $BUILD/fuzz/artifacts/"
fi
exit $failed
