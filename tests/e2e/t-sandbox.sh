#!/usr/bin/env bash
# t-sandbox.sh: the VMM's seccomp filter and --user (issue 12 finding 12).
#
# A forbidden system call kills the VMM (a test hook makes one right after
# the filter is installed; without the filter it would succeed); a running
# VMM is in seccomp filter mode; --user drops root (here in the emulated KVM
# host, where we are root) and the run still logs through its descriptors.
set -u
cd "$(dirname "$0")/../.."
. tests/lib.sh
TG=build/images/testguests
T=$T_DIR
HELLO=(--mem 16 --initrd none --kernel "$TG/hello.elf")

MODVISOR_TEST_SECCOMP_TRIP=1 "$MV" run --accel=kvm "${HELLO[@]}" --log "$T/trip.log" \
	>/dev/null 2>"$T/trip.err"
t_expect_status "seccomp: a forbidden call (socket) kills the VMM with SIGSYS (128+31)" 159 "$?"
t_expect_contains "seccomp: ... naming the call" "$T/trip.err" \
	"modvisor: seccomp: forbidden system call 41"
t_expect_absent "seccomp: ... before the guest ran" "$T/trip.err" "testguest: hello"

# The hook's call succeeds without the filter: the test above tests the filter.
MODVISOR_NO_SECCOMP=1 MODVISOR_TEST_SECCOMP_TRIP=1 "$MV" run --accel=kvm "${HELLO[@]}" \
	--log "$T/off.log" >/dev/null 2>"$T/off.err"
t_expect_status "seccomp: MODVISOR_NO_SECCOMP=1: the guest runs" 42 "$?"
t_expect_contains "seccomp: ... and the hook's socket() is allowed" "$T/off.err" \
	"seccomp test: socket() was allowed"

"$MV" run --accel=kvm "${HELLO[@]}" --log "$T/ok.log" >"$T/ok.out" 2>"$T/ok.err"
t_expect_status "seccomp: a guest runs under the filter" 42 "$?"

"$MV" run --accel=kvm "${HELLO[@]}" --user no-such-user-here --log "$T/nouser.log" \
	>/dev/null 2>"$T/nouser.err"
t_expect_status "--user: an unknown user is a usage error" 2 "$?"
t_expect_contains "--user: ... named" "$T/nouser.err" "--user no-such-user-here: no such user"

# A guest that loads images without end; watch the VMM while it runs.
nobody=$(id -u nobody)
"$MV" run --accel=kvm --mem 16 --initrd none --kernel "$TG/hg-stream.elf" --timeout 6 \
	--user nobody --log "$T/user.log" --report "$T/user.report" >/dev/null 2>"$T/user.err" &
pid=$!
for ((i = 0; i < 600; i++)); do
	[ -f "$T/user.log" ] && [ "$(grep -c . "$T/user.log")" -ge 3 ] && break
	sleep 0.1
done
status=$(cat /proc/$pid/status 2>/dev/null)
wait $pid
t_expect_status "--user nobody: the run ends by its --timeout (110)" 110 "$?"
uids=$(awk '$1 == "Uid:" { print $2, $3, $4, $5 }' <<<"$status")
gids=$(awk '$1 == "Gid:" { print $2, $3, $4, $5 }' <<<"$status")
if [ "$uids" = "$nobody $nobody $nobody $nobody" ] && [ -n "$gids" ] && ! grep -qw 0 <<<"$gids"; then
	t_pass "--user nobody: the running VMM has no root uid or gid left (uid $uids, gid $gids)"
else
	t_fail "--user nobody: uid/gid dropped" "Uid: $uids, Gid: $gids"
fi
if grep -q '^Seccomp:[[:space:]]*2$' <<<"$status"; then
	t_pass "seccomp: the running VMM is in filter mode"
else
	t_fail "seccomp: the running VMM is in filter mode" "$(grep Seccomp <<<"$status")"
fi
"$MV" log verify "$T/user.log" >/dev/null 2>&1
t_expect_status "--user nobody: the log (opened as root) verifies, end entry included" 0 "$?"
t_expect_contains "--user nobody: --report written" "$T/user.report" "exit status 110"
t_done
