#!/usr/bin/env bash
# t-fleet.sh: `modvisor run --authority` guests and one `modvisor authority` (issue 18): 4 guests
# loading at once into one log, each entry tagged; a guest SIGKILLed mid-load; the daemon
# SIGKILLed mid-load and restarted (no guest loaded anything that is not in the log); a hostile
# client on the socket while a guest loads; every load sealed, with its seals logged by the daemon
# (and the text digest an in-process run logs); an integrity violation under the daemon's policy and
# a write to a module sealed through it; a stand-in daemon that refuses a seal record; a uid not on
# the allow-list.  Run where KVM is usable
# (tests/e2e/run.sh).  The daemon runs here too: its socket is in /dev/shm, a tmpfs both on a
# real host and inside the emulated KVM host (a Unix socket on 9p cannot be connected to).
set -u
cd "$(dirname "$0")/../.."
. tests/lib.sh

B=${BUILD:-build}
CL=$B/tests/mvap-client
for f in "$CL" "$MV"; do
	[ -e "$f" ] || { t_fail "fleet: setup" "need $f (make tests)"; t_done; exit 0; }
done
SD=$(mktemp -d /dev/shm/mv-fleet.XXXXXX) || { t_fail "fleet: setup" "no /dev/shm"; t_done; exit 0; }
S=$SD/a.sock
LOG=$T_DIR/fleet.log
HK=/lib/modules/hello.ko

. tests/authority_lib.sh
T_ON_EXIT='stop_daemon -KILL; rm -rf "$SD"'

# loads VM: load entries of VM; allowed VM: of those, allowed.
loads() { grep -c "\"type\":\"load\",\"run\":\"[0-9a-f]*\",\"vm\":\"$1\"" "$LOG"; }
allowed() { grep "\"type\":\"load\",\"run\":\"[0-9a-f]*\",\"vm\":\"$1\"" "$LOG" | grep -c '"verdict":"allow"'; }

# guest VM [RUN ARGS...]: a run through the daemon, output in $T_DIR/VM.out, status in $T_DIR/VM.st.
guest() {
	local vm=$1
	shift
	"$MV" run --timeout 300 --authority "$S" --name "$vm" "$@" </dev/null >"$T_DIR/$vm.out" 2>&1
	echo $? >"$T_DIR/$vm.st"
}

start_daemon || { t_fail "fleet: the daemon starts" "$(cat "$T_DIR/d.err")"; t_done; exit 0; }

# ---- 4 guests x 3 loads at once ------------------------------------------------------------
pids=
for i in 1 2 3 4; do
	guest "g$i" -c "insmod $HK" -c "rmmod hello" -c "insmod $HK who=g$i" -c "rmmod hello" \
		-c "insmod $HK" -c "rmmod hello" & pids+=" $!"
done
for p in $pids; do wait "$p"; done
ok=1
for i in 1 2 3 4; do
	if [ "$(cat "$T_DIR/g$i.st")" != 0 ] || [ "$(loads "g$i")" != 3 ] || [ "$(allowed "g$i")" != 3 ]; then
		ok=0
		echo "    | g$i: status $(cat "$T_DIR/g$i.st"), $(loads "g$i") loads: $(tail -n 2 "$T_DIR/g$i.out")"
	fi
done
[ "$ok" = 1 ] && t_pass "fleet: 4 guests loading at once: each exits 0 with its 3 loads logged, tagged with its name" ||
	t_fail "fleet: 4 guests" "see above"
uuids=$(grep -o '"vm":"g[1-4]","vm_uuid":"[0-9a-f-]*"' "$LOG" | sort -u | wc -l)
[ "$uuids" = 4 ] && t_pass "fleet: each guest's entries carry one UUID of its own" ||
	t_fail "fleet: UUIDs" "$uuids distinct vm/uuid pairs"
grep -q 'who=g3' "$LOG" && "$MV" log show --vm g3 "$LOG" | grep -c ' load ' | grep -qx 3 &&
	t_pass "fleet: log show --vm g3 shows g3's 3 loads" || t_fail "fleet: log show --vm" "$("$MV" log show --vm g3 "$LOG" | head -n 5)"
"$MV" log verify "$LOG" >"$T_DIR/v1"; st=$?
t_expect_status "fleet: the log verifies with the daemon still running (status 3: no end entry yet)" 3 "$st"
t_expect_contains "fleet: a guest's run names the daemon's log" "$T_DIR/g1.out" \
	"modvisor: measurement log of the authority at $S (vm g1, uuid "

# ---- seals over the protocol: each load sealed, its ro_after_init, its unseal, in the daemon's log ----
# seals VM TYPE PART: done entries of TYPE ("seal" or "unseal") and PART of VM.
seals() { grep "\"type\":\"$2\",\"run\":\"[0-9a-f]*\",\"vm\":\"$1\"" "$LOG" |
	grep "\"name\":\"hello\",\"part\":\"$3\",\"result\":\"done\"" | wc -l; }
ok=1
for i in 1 2 3 4; do
	[ "$(seals "g$i" seal text+rodata)" = 3 ] && [ "$(seals "g$i" seal ro_after_init)" = 3 ] &&
		[ "$(seals "g$i" unseal all)" = 3 ] || { ok=0; echo "    | g$i: $(seals "g$i" seal text+rodata) seals, $(seals "g$i" seal ro_after_init) ro_after_init, $(seals "g$i" unseal all) unseals"; }
done
[ "$ok" = 1 ] && t_pass "fleet: every load of the 4 guests was sealed, its ro_after_init sealed and its pages unsealed after rmmod, each logged by the daemon tagged with its VM" ||
	t_fail "fleet: seals through the daemon" "see above"
# The text digest the daemon logged is the one an in-process run logs for the same load.
"$MV" run --timeout 300 --log "$T_DIR/solo.log" -c "insmod $HK" </dev/null >"$T_DIR/solo.out" 2>&1
d1=$(grep -m1 '"type":"seal","run":"[0-9a-f]*","vm":"g1"' "$LOG" | grep -o '"text_sha256":"[0-9a-f]\{64\}"')
d0=$(grep -m1 '"type":"seal"' "$T_DIR/solo.log" | grep -o '"text_sha256":"[0-9a-f]\{64\}"')
[ -n "$d1" ] && [ "$d1" = "$d0" ] &&
	t_pass "fleet: the sealed text's SHA-256 in the daemon's log equals an in-process run's for the same load" ||
	t_fail "fleet: text digest through the daemon" "daemon '$d1', in-process '$d0'"

# ---- a hostile client while a guest loads; a guest SIGKILLed mid-load ------------------------------
guest g5 -c "sh -c 'while true; do insmod $HK; rmmod hello; done'" 2>/dev/null &
g5=$!
guest g6 -c "insmod $HK" -c "rmmod hello" -c "insmod $HK" -c "rmmod hello" &
g6=$!
for _ in $(seq 600); do [ "$(loads g5)" -ge 2 ] && break; sleep 0.1; done
"$CL" "$S" garbage >"$T_DIR/hostile" 2>&1
kill -KILL "$(pgrep -P "$g5" -x modvisor || echo "$g5")" 2>/dev/null
wait "$g5" "$g6"
t_expect_contains "fleet: a hostile client is disconnected with a fatal ERROR" "$T_DIR/hostile" "error 71 fatal=1"
if [ "$(cat "$T_DIR/g6.st")" = 0 ] && [ "$(loads g6)" = 2 ]; then
	t_pass "fleet: the other guest loads on, unaffected by the hostile client and the killed guest"
else
	t_fail "fleet: the other guest" "status $(cat "$T_DIR/g6.st"): $(tail -n 3 "$T_DIR/g6.out")"
fi
for _ in $(seq 50); do grep -q '"vm":"g5",.*"what":"detach"' "$LOG" && break; sleep 0.1; done
grep -q '"vm":"g5",.*"what":"detach","why":"' "$LOG" &&
	t_pass "fleet: the killed guest's connection ends in a detach entry" ||
	t_fail "fleet: killed guest" "no detach entry for g5"
"$MV" log verify "$LOG" >"$T_DIR/v2"; st=$?
t_expect_status "fleet: after the guest's SIGKILL the log is whole up to its last entry (status 3)" 3 "$st"

# ---- the daemon SIGKILLed mid-load, then restarted ---------------------------------------------
guest g7 -c "sh -c 'i=0; while [ \$i -lt 150 ]; do insmod $HK && echo MV-LOADED; rmmod hello; i=\$((i+1)); done'" &
g7=$!
for _ in $(seq 600); do [ "$(loads g7)" -ge 3 ] && break; sleep 0.1; done
stop_daemon -KILL
wait "$g7"
got=$(grep -c '^MV-LOADED' "$T_DIR/g7.out")
if [ "$got" -le "$(allowed g7)" ] && [ "$got" -ge 1 ]; then
	t_pass "fleet: daemon killed: the guest loaded $got times, each allowed in the log ($(allowed g7))"
else
	t_fail "fleet: daemon killed" "$got loads in the guest, $(allowed g7) allowed in the log"
fi
if grep -q 'load refused by the host: EAGAIN: the module authority is unreachable' "$T_DIR/g7.out" ||
	{ [ "$(cat "$T_DIR/g7.st")" = 124 ] && grep -q 'connection lost' "$T_DIR/g7.out"; }; then
	t_pass "fleet: daemon killed: the guest's next load fails with EAGAIN (or its VM stops, 124, with an event unlogged)"
else
	t_fail "fleet: daemon killed" "status $(cat "$T_DIR/g7.st"): $(grep -m3 -i 'eagain\|lost' "$T_DIR/g7.out")"
fi
t_expect_contains "fleet: daemon killed: the VMM says the connection is lost" "$T_DIR/g7.out" \
	"modvisor: authority $S: connection lost"
start_daemon || t_fail "fleet: the daemon restarts" "$(tail -n 2 "$T_DIR/d.err")"
guest g8 -c "insmod $HK" -c "rmmod hello"
t_expect_status "fleet: after the restart a guest loads" 0 "$(cat "$T_DIR/g8.st")"
stop_daemon -TERM
"$MV" log verify "$LOG" >"$T_DIR/v3"; st=$?
if [ "$st" = 0 ] && grep -q '^note: 1 run(s) stopped without their end entry' "$T_DIR/v3"; then
	t_pass "fleet: after the restart and a clean stop the whole log verifies; the killed daemon's run is noted"
else
	t_fail "fleet: restart" "status $st: $(cat "$T_DIR/v3")"
fi

# ---- the daemon's policy is in force: on_violation = log, a violation logged with its VM -------------
start_daemon --on-violation=log
guest g10 -c "insmod /lib/modules/wtext.ko how=wp" -c "echo still running"
stop_daemon -TERM
if [ "$(cat "$T_DIR/g10.st")" = 0 ] && grep -q 'still running' "$T_DIR/g10.out" &&
	grep -q '"type":"violation","run":"[0-9a-f]*","vm":"g10","vm_uuid":"[0-9a-f-]*",.*"action":"discarded"' "$LOG"; then
	t_pass "fleet: the daemon's on_violation = log applies to the run; its violation is logged, tagged g10"
else
	t_fail "fleet: violation through the daemon" "status $(cat "$T_DIR/g10.st"): $(tail -n 3 "$T_DIR/g10.out")"
fi

# ---- a write to a sealed module's text under the daemon: the VM stops, both logged with its VM --------
start_daemon
guest g11 -c "insmod /lib/modules/wtext.ko how=wp target=text" -c "echo still running"
stop_daemon -TERM
if [ "$(cat "$T_DIR/g11.st")" = 109 ] && ! grep -q 'still running' "$T_DIR/g11.out" &&
	grep -q 'integrity violation: .*(module wtext .text+0x' "$T_DIR/g11.out" &&
	grep -q '"type":"seal","run":"[0-9a-f]*","vm":"g11",.*"name":"wtext","part":"text+rodata","result":"done"' "$LOG" &&
	grep -q '"type":"violation","run":"[0-9a-f]*","vm":"g11",.*"target":"module wtext .text+0x.*"action":"stopped"' "$LOG"; then
	t_pass "fleet: a module sealed through the daemon: a write to its text stops the VM (109); seal and violation logged, tagged g11"
else
	t_fail "fleet: sealed text under the daemon" "status $(cat "$T_DIR/g11.st"): $(tail -n 3 "$T_DIR/g11.out")"
fi

# ---- a daemon that refuses a seal record: the VM stops (115) before the module's init runs ------
"$CL" "$SD/fake.sock" serve refuse-seal >"$T_DIR/fake.out" 2>&1 &
fake=$!
for _ in $(seq 100); do grep -q '^listening' "$T_DIR/fake.out" && break; sleep 0.1; done
"$MV" run --timeout 300 --authority "$SD/fake.sock" --name g12 -c "insmod $HK who=g12" \
	-c "echo still running" </dev/null >"$T_DIR/g12.out" 2>&1
echo $? >"$T_DIR/g12.st"
kill "$fake" 2>/dev/null        # it ends with the connection; if the run never came, stop it
wait "$fake"
if [ "$(cat "$T_DIR/g12.st")" = 115 ] && ! grep -q 'still running\|hello, g12' "$T_DIR/g12.out" &&
	grep -q 'the module authority refused the seal record of load_id 1: .*the stand-in daemon refuses every seal (refused and logged)' "$T_DIR/g12.out" &&
	grep -q '^got SEAL' "$T_DIR/fake.out"; then
	t_pass "fleet: a daemon that refuses a seal record stops the VM (115) before the module's init runs"
else
	t_fail "fleet: refused seal record" "status $(cat "$T_DIR/g12.st"): $(tail -n 3 "$T_DIR/g12.out")"
fi

# ---- a uid not on the allow-list -------------------------------------------------------------
other=$(( $(id -u) == 65534 ? 65533 : 65534 ))
printf 'allow_uids = %s\n' "$other" >"$T_DIR/p.ini"
start_daemon --policy "$T_DIR/p.ini"
guest g9 -c "insmod $HK"
if [ "$(cat "$T_DIR/g9.st")" = 124 ] &&
	grep -q "uid $(id -u) is not in the policy's allow_uids" "$T_DIR/g9.out" &&
	grep -q 'not starting the guest' "$T_DIR/g9.out" && ! grep -q '"vm":"g9"' "$LOG"; then
	t_pass "fleet: a run whose uid is not on allow_uids is refused before its guest starts; nothing logged"
else
	t_fail "fleet: uid not allowed" "status $(cat "$T_DIR/g9.st"): $(tail -n 3 "$T_DIR/g9.out")"
fi
stop_daemon -TERM
t_done
