#!/usr/bin/env bash
# t-emuhost-signal.sh: interrupted runs (issue 12 finding 10): SIGTERM/SIGINT stop the VM and complete
# the log, also through the emulated KVM host; job directories of SIGKILLed runs are removed later.
#
# Boots the emulated host three times (SIGTERM, SIGINT, SIGKILL); the guest
# (hg-stream) loads images without end, so only the signal stops it.
set -u
cd "$(dirname "$0")/../.."
. tests/lib.sh
TG=build/images/testguests
case $MV in /*) ;; *) MV=$PWD/$MV ;; esac
W=$T_DIR

if [ ! -f "$TG/hg-stream.elf" ] || [ ! -r build/emuhost/initramfs.cpio.gz ]; then
	t_fail "signals: setup" "need $TG/hg-stream.elf and build/emuhost (make)"
	exit 0
fi

# wait_lines FILE N: until FILE has N lines (at most 180 s, the emulated host under load).
wait_lines() {
	local i
	for ((i = 0; i < 1800; i++)); do
		[ -f "$1" ] && [ "$(grep -c . "$1")" -ge "$2" ] && return 0
		sleep 0.1
	done
	return 1
}

# interrupt SIG STATUS: a run whose guest streams loads, sent SIG once the
# guest is loading; it must exit STATUS with a complete, ended log and print
# the aggregate.  (env --default-signal: a background job starts with
# SIGINT ignored, and an ignored signal never arrives.)
interrupt() {
	local sig=$1 want=$2 log=$W/$1.log pid st
	env --default-signal=INT "$MV" run --accel=emulated --mem 16 --initrd none --log "$log" \
		--kernel "$TG/hg-stream.elf" >"$W/$sig.out" 2>"$W/$sig.err" &
	pid=$!
	if ! wait_lines "$log" 3; then
		kill -KILL $pid; wait $pid
		t_fail "$sig: the guest started loading" "no log entries"; return
	fi
	kill -"$sig" $pid
	wait $pid
	st=$?
	t_expect_status "$sig through the emulated host: exit $want (128 + the signal)" "$want" "$st"
	t_expect_contains "$sig: the VMM inside says why it stopped" "$W/$sig.err" \
		": stopping the guest (exit status $want)"
	t_expect_contains "$sig: the aggregate is printed" "$W/$sig.err" \
		"modvisor: measurement log $log: "
	"$MV" log verify "$log" >"$W/$sig.verify" 2>&1
	t_expect_status "$sig: the log verifies" 0 "$?"
	if tail -n 1 "$log" | grep -q '"type":"end"'; then
		t_pass "$sig: the log ends with the run's end entry"
	else
		t_fail "$sig: the log ends with the run's end entry" "last: $(tail -c 200 "$log")"
	fi
}
interrupt TERM 143
interrupt INT 130

# ---- SIGKILL: the job directory stays; the next start removes it --------
"$MV" with-kvm --accel=emulated -- sleep 600 >/dev/null 2>&1 &
pid=$!
qemu= job=
for ((i = 0; i < 300; i++)); do
	[ -n "$job" ] && break
	sleep 0.1
	qemu=$(awk -v p=$pid '$4 == p { print $1 }' /proc/[0-9]*/stat 2>/dev/null | head -n 1)
	[ -n "$qemu" ] && job=$(tr '\0' '\n' </proc/"$qemu"/cmdline 2>/dev/null |
		sed -n 's/.*mvjob=\([^ ]*\).*/\1/p')
done
kill -KILL $pid
wait $pid 2>/dev/null
for ((i = 0; i < 100; i++)); do   # QEMU dies with us (PR_SET_PDEATHSIG)
	[ -n "$qemu" ] && kill -0 "$qemu" 2>/dev/null || break
	sleep 0.1
done
if [ -z "$job" ] || [ ! -d "$job" ]; then
	t_fail "SIGKILL: the job directory is left behind" "no job dir seen ($job)"
else
	t_pass "SIGKILL: the job directory is left behind (nothing can run at SIGKILL)"
fi

# Owners: dead (the killed run; a pid that does not run), alive (this
# shell), none (an older modvisor's) and old, none and new.
dead=$(mktemp -d /tmp/modvisor-emuhost.XXXXXX)
echo "999999999 12345" >"$dead/owner"
alive=$(mktemp -d /tmp/modvisor-emuhost.XXXXXX)
echo "$$ $(sed 's/.*) //' /proc/$$/stat | cut -d' ' -f20)" >"$alive/owner"
old=$(mktemp -d /tmp/modvisor-emuhost.XXXXXX)
touch -d '2 hours ago' "$old"
new=$(mktemp -d /tmp/modvisor-emuhost.XXXXXX)
MODVISOR_QEMU=$W/no-qemu "$MV" with-kvm --accel=emulated -- true >/dev/null 2>&1
for d in "$job" "$dead" "$old"; do
	if [ -n "$d" ] && [ -e "$d" ]; then
		t_fail "the next start removes a stale job dir" "$d is still there"
	else
		t_pass "the next start removes a stale job dir ($(basename "${d:-none}"))"
	fi
done
for d in "$alive" "$new"; do
	if [ -d "$d" ]; then t_pass "a job dir whose owner runs (or a new one) is kept"; else
		t_fail "a job dir whose owner runs (or a new one) is kept" "$d was removed"; fi
done
rm -rf "$alive" "$new" "$dead" "$old"
t_done
