# tests/lib.sh: the harness of the shell test suites (sourced after `cd` to the
# repository's root).
#
# Each check prints one TAP line, "ok - NAME", "not ok - NAME: why" or
# "ok - NAME # SKIP why".  A suite ends with t_done, which prints the plan
# "1..N" with N the number of checks it made; tests/run.sh counts a suite
# without its plan (it died before its end), with a plan that does not match
# its lines, or with a non-zero exit as a failure that names the suite.
# Checks are counted in a file, so a check made in a subshell or a pipeline
# counts too.
#
# Sourcing this file also makes the suite's scratch directory $T_DIR, removed
# on exit (a suite that needs more cleanup puts a command in $T_ON_EXIT).

MV=${MV:-build/modvisor}

T_ROOT=$(mktemp -d "${TMPDIR:-/tmp}/$(basename "$0" .sh).XXXXXX") || exit 1
T_DIR=$T_ROOT/w
T_COUNT=$T_ROOT/count
mkdir "$T_DIR" && : >"$T_COUNT" || exit 1
T_ON_EXIT=
trap 'eval "$T_ON_EXIT"; rm -rf "$T_ROOT"' EXIT

# _t_count N: N more checks were printed.
# (A bash builtin: under the emulated KVM host every fork is slow.)
_t_count() { printf '%*s' "$1" '' >>"$T_COUNT"; }

t_pass() { _t_count 1; echo "ok - $1"; }
t_fail() { _t_count 1; echo "not ok - $1: $2"; }

# t_skip NAME WHY: a check that could not run here; counted as skipped.
t_skip() { _t_count 1; echo "ok - $1 # SKIP $2"; }

# t_done: the suite reached its end; print its plan.
t_done() { echo "1..$(stat -c %s "$T_COUNT")"; }

# t_relay PREFIX FILE: pass on FILE, a program's or an inner suite's own TAP
# output, its "ok"/"not ok" lines as checks of this suite with PREFIX put
# before each name (its plan line is left out).
t_relay() {
	local n
	n=$(grep -cE '^(not )?ok( |$)' "$2")
	sed -E -e '/^1\.\.[0-9]+$/d' -e "s/^(not )?ok - /&$1/" "$2"
	_t_count "$n"
}

# t_plan_of NAME FILE: FILE, an inner suite's output, ends with its plan and
# the plan matches its checks (it did not stop halfway).
t_plan_of() {
	local lines n
	lines=$(grep -cE '^(not )?ok( |$)' "$2")
	n=$(sed -n 's/^1\.\.\([0-9]*\)$/\1/p' "$2" | tail -n 1)
	if [ -z "$n" ]; then t_fail "$1" "no plan: it stopped after $lines checks"
	elif [ "$n" != "$lines" ]; then t_fail "$1" "plan 1..$n but $lines checks"
	else t_pass "$1: its plan 1..$n is complete"; fi
}

# t_expect_status NAME WANT GOT
t_expect_status() {
	if [ "$2" = "$3" ]; then t_pass "$1"; else t_fail "$1" "exit status $3, want $2"; fi
}

# t_expect_contains NAME FILE NEEDLE: FILE must contain the fixed string NEEDLE.
t_expect_contains() {
	if grep -qF -- "$3" "$2"; then t_pass "$1"; else
		t_fail "$1" "output lacks '$3'"; sed 's/^/    | /' "$2" | head -n 20
	fi
}

# t_expect_absent NAME FILE NEEDLE: FILE must not contain NEEDLE.
t_expect_absent() {
	if grep -qF -- "$3" "$2"; then
		t_fail "$1" "output has '$3'"; sed 's/^/    | /' "$2" | head -n 20
	else t_pass "$1"; fi
}

# t_expect_line NAME FILE LINE: FILE has a line that is exactly LINE.
t_expect_line() {
	if grep -qxF -- "$3" "$2"; then t_pass "$1"; else
		t_fail "$1" "no line '$3'"; sed 's/^/    | /' "$2" | head -n 30
	fi
}

# ---- booting guests (the boot suites, where KVM is usable) -------------------

# t_run NAME ARGS...: one boot, `modvisor run --accel=kvm ARGS`, with its own
# measurement log $T_DIR/NAME.mlog; stdout and stderr together in
# $T_DIR/NAME, the exit status in $st.
t_run() {
	local name=$1
	shift
	"$MV" run --accel=kvm --log "$T_DIR/$name.mlog" "$@" >"$T_DIR/$name" 2>&1
	st=$?
}

# t_run_split NAME ARGS...: like t_run, with stdout in $T_DIR/NAME.out and
# stderr apart in $T_DIR/NAME.err (so the kernel's messages cannot split a
# program's lines), the measurement log in $T_DIR/NAME.log.
t_run_split() {
	local name=$1
	shift
	"$MV" run --accel=kvm --log "$T_DIR/$name.log" "$@" >"$T_DIR/$name.out" 2>"$T_DIR/$name.err"
	st=$?
}

# t_boot_guest NAME ELF ARGS...: boot the ring-0 test guest ELF (no initrd)
# with a fresh measurement log, as t_run_split NAME.
t_boot_guest() {
	local name=$1 elf=$2
	shift 2
	rm -f "$T_DIR/$name.log"
	t_run_split "$name" --initrd none "$@" --kernel "$elf"
}
