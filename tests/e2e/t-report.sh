#!/usr/bin/env bash
# t-report.sh: guest output cannot pass for the host's lines; --report holds the result apart (issue 12 finding 9).
#
# A guest prints the host's final line ("modvisor: measurement log ...:
# N entries, aggregate ...") on stdout and stderr, also split across two
# writes.  Every line that begins with "modvisor:" must be the host's; the
# guest's come out as "guest: modvisor:...", and the --report file has the
# host's line and status only.
set -u
cd "$(dirname "$0")/../.."
. tests/lib.sh
B=${BUILD:-build}
T=$T_DIR
FORGED="modvisor: measurement log $T/forged.log: 99 entries, aggregate $(printf '0%.0s' $(seq 64))"

"$MV" run --accel=kvm --report "$T/report" --log "$T/r.log" \
	--add "$B/images/modules/hello.ko:/m/hello.ko" \
	-c "echo '$FORGED'" -c "sh -c \"echo '$FORGED' >&2\"" \
	-c "printf 'modv'" -c "printf 'isor: split across writes\\n'" \
	-c "printf 'x\\rmodvisor: after a carriage return\\n'" \
	-c "echo modvisor-like but not the tag" -c "insmod /m/hello.ko" >"$T/out" 2>"$T/err"
t_expect_status "report: the run succeeds" 0 "$?"

if grep -q '^modvisor:' "$T/out"; then
	t_fail "report: no guest stdout line begins with modvisor:" "$(grep '^modvisor:' "$T/out" | head -n 3)"
else
	t_pass "report: no guest stdout line begins with modvisor:"
fi
t_expect_contains "report: the forged stdout line is marked as the guest's" "$T/out" "guest: $FORGED"
t_expect_contains "report: a tag split across two writes is marked" "$T/out" \
	"guest: modvisor: split across writes"
if tr '\r' '\n' <"$T/out" | grep -q '^modvisor: after a carriage return'; then
	t_fail "report: a tag after a carriage return is marked" "$(od -c "$T/out" | tail -n 3)"
else
	t_pass "report: a tag after a carriage return is marked"
fi
t_expect_contains "report: other guest text is untouched" "$T/out" "modvisor-like but not the tag"
t_expect_contains "report: the forged stderr line is marked as the guest's" "$T/err" "guest: $FORGED"

n=$(grep -c '^modvisor: measurement log' "$T/err")
host=$(grep '^modvisor: measurement log' "$T/err")
if [ "$n" = 1 ] && [ "$host" != "$FORGED" ] && [[ $host == "modvisor: measurement log $T/r.log: "* ]]; then
	t_pass "report: the one stderr line that begins like the host's final line is the host's"
else
	t_fail "report: one host final line on stderr" "$n such lines: $host"
fi
if [ "$(sed -n 1p "$T/report")" = "${host#modvisor: }" ] && [ "$(sed -n 2p "$T/report")" = "exit status 0" ] &&
   [ "$(wc -l <"$T/report")" = 2 ]; then
	t_pass "report: --report has the host's line and the exit status, nothing else"
else
	t_fail "report: --report" "$(head -c 300 "$T/report")"
fi
agg=$(sed -n '1s/.*aggregate \([0-9a-f]*\)$/\1/p' "$T/report")
"$MV" log verify --aggregate "$agg" "$T/r.log" >/dev/null 2>&1
t_expect_status "report: its aggregate anchors the log (log verify --aggregate)" 0 "$?"
t_done
