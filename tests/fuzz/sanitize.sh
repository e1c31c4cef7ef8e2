#!/usr/bin/env bash
# sanitize.sh: make check's sanitizer phase: every host program in an ASan+UBSan build, unit and corpus tests under it.
#
# Builds the VMM, the unit tests and the loader's corpus tool (everything
# `make` builds for the host, including the loader core and the file system
# core compiled for the host; never guest kernel objects) into build/asan/
# with -fsanitize=address,undefined -fno-sanitize-recover=all, then runs
# every build/asan/tests/unit/* binary (one "ok"/"not ok" line each: all of
# its Check tests pass and no sanitizer spoke) and tests/host/t-corpus.sh
# with the sanitized mv-reloc-corpus over Debian's modules, then
# tests/host/t-run-cli.sh with the sanitized modvisor.  Any sanitizer
# report fails the binary that printed it.  Logs: build/tests/log/asan/.
# Env: SAN_CC (default gcc), MV_SANITIZE_CORPUS_MAX (limit the corpus run).
set -u
cd "$(dirname "$0")/../.."
. tests/lib.sh
A=build/asan
LOG=build/tests/log/asan
mkdir -p "$LOG"
SAN="-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer"

# Two make checks at once must not build the same tree together.
mkdir -p $A
if flock $A/.build-lock make --no-print-directory -j2 BUILD=$A HOSTCC="${SAN_CC:-gcc}" \
	EXTRA_HOST_CFLAGS="$SAN -O1" EXTRA_HOST_LDFLAGS="-fsanitize=address,undefined" \
	$A/modvisor tests >"$LOG/build.out" 2>&1; then
	t_pass "asan: build host code and tests with ASan+UBSan into $A"
else
	t_fail "asan: build" "make BUILD=$A failed"; tail -n 20 "$LOG/build.out" | sed 's/^/    | /'
	exit 0
fi

export ASAN_OPTIONS=detect_leaks=1:strict_string_checks=1:detect_stack_use_after_return=1
export LSAN_OPTIONS=suppressions=$PWD/tests/fuzz/lsan.supp:print_suppressions=0
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
SAN_RE='^==[0-9]+==ERROR|runtime error:|^SUMMARY: (Address|Undefined|Leak)Sanitizer'

for t in "$A"/tests/unit/*; do
	[ -x "$t" ] || continue
	name=$(basename "$t")
	out=$LOG/$name.out
	CK_VERBOSITY=normal "$t" >"$out" 2>&1
	st=$?
	line=$(grep -E '^[0-9]+%: Checks: ' "$out" | tail -n 1)
	if [ -z "$line" ]; then
		t_fail "asan: $name" "no Check summary (exit $st)"
	elif grep -qE "$SAN_RE" "$out"; then
		t_fail "asan: $name" "sanitizer report ($line)"
	elif ! grep -qE 'Failures: 0, Errors: 0' <<<"$line"; then
		t_fail "asan: $name" "$line"
	else
		t_pass "asan: $name ($line)"; continue
	fi
	grep -E "$SAN_RE|:[EF]:|^ +#[0-9] " "$out" | head -n 15 | sed 's/^/    | /'
done

# The corpus test, its tool sanitized; its own lines, marked "asan".
MV_CORPUS_TOOL=$A/tests/mv-reloc-corpus MV_CORPUS_MAX=${MV_SANITIZE_CORPUS_MAX:-} \
	bash tests/host/t-corpus.sh >"$LOG/corpus.out" 2>&1
t_relay "asan " "$LOG/corpus.out"
t_plan_of "asan: corpus suite" "$LOG/corpus.out"
if grep -qE "$SAN_RE" build/tests/log/corpus/*.txt 2>/dev/null; then
	t_fail "asan: corpus" "sanitizer report in build/tests/log/corpus/"
	grep -hE "$SAN_RE" build/tests/log/corpus/*.txt | head -n 5 | sed 's/^/    | /'
fi

# The CLI suite with the sanitized modvisor.  Reports go to files, since
# the suite looks only at exit statuses and output; leaks at exit of a
# command-line run are not findings.
rm -f "$LOG"/cli-san.*
MV=$A/modvisor ASAN_OPTIONS=detect_leaks=0:log_path=$PWD/$LOG/cli-san \
	UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1:log_path=$PWD/$LOG/cli-san \
	bash tests/host/t-run-cli.sh >"$LOG/cli.out" 2>&1
t_relay "asan cli: " "$LOG/cli.out"
t_plan_of "asan: cli suite" "$LOG/cli.out"
if ls "$LOG"/cli-san.* >/dev/null 2>&1; then
	t_fail "asan: cli" "sanitizer report in $LOG/cli-san.*"
	grep -hE "$SAN_RE" "$LOG"/cli-san.* | head -n 5 | sed 's/^/    | /'
fi
t_done
