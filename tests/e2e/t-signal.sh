#!/usr/bin/env bash
# t-signal.sh: SIGTERM, SIGINT and SIGHUP to a run on /dev/kvm stop the guest and complete the log (issue 12 finding 10).
# (tests/host/t-emuhost-signal.sh sends them through the emulated KVM host.)
set -u
cd "$(dirname "$0")/../.."
. tests/lib.sh
TG=build/images/testguests
T=$T_DIR

for spec in TERM:143 INT:130 HUP:129; do
	sig=${spec%%:*} want=${spec#*:} log=$T/${spec%%:*}.log
	# A background job starts with SIGINT ignored: give it the default back.
	env --default-signal=INT "$MV" run --accel=kvm --mem 16 --initrd none --log "$log" \
		--kernel "$TG/hg-stream.elf" >/dev/null 2>"$T/$sig.err" &
	pid=$!
	for ((i = 0; i < 600; i++)); do
		[ -f "$log" ] && [ "$(grep -c . "$log")" -ge 3 ] && break
		sleep 0.1
	done
	kill -"$sig" $pid
	wait $pid
	t_expect_status "SIG$sig on /dev/kvm: exit $want" "$want" "$?"
	t_expect_contains "SIG$sig: says it stops the guest" "$T/$sig.err" \
		": stopping the guest (exit status $want)"
	t_expect_contains "SIG$sig: prints the aggregate" "$T/$sig.err" "modvisor: measurement log $log: "
	"$MV" log verify "$log" >/dev/null 2>&1
	t_expect_status "SIG$sig: the log verifies" 0 "$?"
	if tail -n 1 "$log" | grep -q '"type":"end"'; then t_pass "SIG$sig: the log has its end entry"
	else t_fail "SIG$sig: the log has its end entry" "$(tail -c 200 "$log")"; fi
done
t_done
