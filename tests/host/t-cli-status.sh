#!/usr/bin/env bash
# t-cli-status.sh: one meaning per exit status across commands: 2 is a usage error or an
# unreadable input for every command; 1 is a verdict (a tampered log, a bad signature).
set -u
cd "$(dirname "$0")/../.."
. tests/lib.sh
TMP=$T_DIR
B=${BUILD:-build}

# expect NAME WANT CMD...: run CMD (no VM), check its status.
expect() { local n=$1 w=$2; shift 2; "$@" >"$TMP/out" 2>&1; t_expect_status "$n" "$w" "$?"; }

expect "log verify: missing file is 2, not 1 (tampered)" 2 "$MV" log verify "$TMP/none.log"
t_expect_contains "log verify: missing file named" "$TMP/out" "$TMP/none.log: No such file"
expect "log verify: a directory is 2" 2 "$MV" log verify "$TMP"
expect "log show: missing file is 2" 2 "$MV" log show "$TMP/none.log"
expect "verify: missing module is 2" 2 "$MV" verify "$TMP/none.ko"
expect "verify: unreadable beats a bad signature (2 over 1)" 2 "$MV" verify "$B/images/modules/hello.ko" "$TMP/none.ko"
expect "verify: an unsigned module alone is 1" 1 "$MV" verify "$B/images/modules/hello.ko"
expect "measure: missing file is 2" 2 "$MV" measure "$TMP/none.ko"
expect "measure: a readable file is 0" 0 "$MV" measure "$B/images/modules/hello.ko"
printf 'not a log\n' >"$TMP/garbage.log"
expect "log verify: not a log is 1 (a verdict)" 1 "$MV" log verify "$TMP/garbage.log"
"$MV" --help >"$TMP/help" 2>&1
t_expect_contains "help: the other commands' statuses" "$TMP/help" "Exit status of the other commands"

# run: an option that the inputs cannot satisfy is refused before anything boots (no VM, no
# emulated host: the message comes at once, with status 2).
"$MV" run --mem 16 -- true >"$TMP/out" 2>&1
t_expect_status "run --mem 16 with the default initrd: 2 before boot" 2 "$?"
if grep -qE 'need at least [0-9]+ MiB of guest RAM, not 16 MiB: raise --mem' "$TMP/out"; then
	t_pass "run --mem 16: names the minimum"
else t_fail "run --mem 16: names the minimum" "$(head -c 300 "$TMP/out")"; fi
t_expect_absent "run --mem 16: nothing booted" "$TMP/out" "running in the emulated KVM host"
t_done
