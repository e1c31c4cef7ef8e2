# tests/lib.sh: helpers for shell test suites.  Each check prints one TAP-style
# line, "ok - NAME" or "not ok - NAME: why"; tests/run.sh counts them.

MV=${MV:-build/modvisor}

t_pass() { echo "ok - $1"; }
t_fail() { echo "not ok - $1: $2"; }

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
