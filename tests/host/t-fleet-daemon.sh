#!/usr/bin/env bash
# t-fleet-daemon.sh: `modvisor authority` without any VM (issue 18): concurrent clients into one
# log with group commit, status, hostile frames of every kind, the uid allow-list, a duplicate
# name, seal records in and out of order, SIGKILL and restart (chain continues), a torn tail
# sealed, SIGTERM's end entry.  The
# clients speak the protocol with build/tests/mvap-client; the boot tests are tests/e2e/t-fleet.sh.
set -u
cd "$(dirname "$0")/../.."
. tests/lib.sh

B=${BUILD:-build}
CL=$B/tests/mvap-client
HELLO=$B/images/modules/hello.ko
for f in "$CL" "$HELLO" "$MV"; do
	[ -e "$f" ] || { t_fail "fleet-daemon: setup" "need $f (make && make tests)"; t_done; exit 0; }
done
S=$T_DIR/a.sock
LOG=$T_DIR/fleet.log

. tests/authority_lib.sh
T_ON_EXIT='stop_daemon -KILL'

# count TYPE [VM]: entries of TYPE (of VM) in the log.
count() {
	if [ $# = 2 ]; then grep -c "\"type\":\"$1\",\"run\":\"[0-9a-f]*\",\"vm\":\"$2\"" "$LOG"
	else grep -c "\"type\":\"$1\"" "$LOG"; fi
}

start_daemon || { t_fail "fleet-daemon: starts" "no socket"; t_done; exit 0; }
"$MV" authority status --socket "$S" >"$T_DIR/st0" 2>&1
if grep -q "^log: $LOG: 1 entries, aggregate [0-9a-f]\{64\}$" "$T_DIR/st0" &&
	grep -q "^vms: 0 connected" "$T_DIR/st0" && grep -q "^policy: sig_enforce=0" "$T_DIR/st0"; then
	t_pass "fleet-daemon: status: policy, log head aggregate, no VMs"
else
	t_fail "fleet-daemon: status" "$(head -c 400 "$T_DIR/st0")"
fi

# ---- 4 clients x 10 loads at once, into one chain --------------------------------------
pids=
for i in 1 2 3 4; do "$CL" "$S" load "c$i" "$HELLO" 10 events >"$T_DIR/c$i" 2>&1 & pids+=" $!"; done
for p in $pids; do wait "$p"; done
wait_ok=1
for i in 1 2 3 4; do
	[ "$(grep -c '^verdict allow' "$T_DIR/c$i")" = 10 ] || wait_ok=0
	[ "$(count load "c$i")" = 10 ] && [ "$(count event "c$i")" = 10 ] || wait_ok=0
done
if [ "$wait_ok" = 1 ]; then
	t_pass "fleet-daemon: 4 clients x 10 loads: 40 allowed, each load and event tagged with its VM"
else
	t_fail "fleet-daemon: 4 clients x 10 loads" "$(tail -n 3 "$T_DIR"/c1; grep -c '"type":"load"' "$LOG") loads logged"
fi
"$MV" log verify "$LOG" >"$T_DIR/v1"; st=$?
t_expect_status "fleet-daemon: the shared log verifies while the daemon runs (prefix, no end yet)" 3 "$st"
"$MV" log show --vm c3 "$LOG" >"$T_DIR/show3" 2>&1
if [ "$(grep -c ' load ' "$T_DIR/show3")" = 10 ] && ! grep -q 'c1\|c2\|c4' "$T_DIR/show3"; then
	t_pass "fleet-daemon: log show --vm c3 lists c3's 10 loads and no other VM's"
else
	t_fail "fleet-daemon: log show --vm" "$(head -c 300 "$T_DIR/show3")"
fi
"$MV" authority status --socket "$S" >"$T_DIR/st1"
e=$(sed -n 's/^group commit: \([0-9]*\) entries written by this daemon, \([0-9]*\) fsyncs$/\1 \2/p' "$T_DIR/st1")
# At least the start, 4 attaches, 40 loads and 40 events (the detaches may still be on their way).
if [ -n "$e" ] && [ "${e#* }" -le "${e% *}" ] && [ "${e% *}" -ge 85 ]; then
	t_pass "fleet-daemon: group commit: ${e#* } fsyncs for ${e% *} entries (never more fsyncs than entries)"
else
	t_fail "fleet-daemon: group commit counts" "'$e'"
fi

# ---- boot facts: a VM whose kernel is not the daemon's is refused ----------------------------------
MVAP_CLIENT_VERMAGIC="6.1.0-other SMP mod_unload " "$CL" "$S" hello vk >"$T_DIR/vk" 2>&1
t_expect_contains "fleet-daemon: a HELLO with another kernel's vermagic is refused (ENOEXEC)" "$T_DIR/vk" \
	"error 8 fatal=1: the VM's vermagic is not the authority's kernel's"
"$MV" run --authority "$S" --sig-enforce -- true >"$T_DIR/rpol" 2>&1; st=$?
if [ "$st" = 2 ] && grep -q "\-\-sig-enforce: the daemon's policy is in force" "$T_DIR/rpol"; then
	t_pass "fleet-daemon: run --authority refuses policy flags (status 2): the daemon's policy is in force"
else
	t_fail "fleet-daemon: run --authority with a policy flag" "status $st: $(cat "$T_DIR/rpol")"
fi
"$MV" run --authority "$T_DIR/none.sock" -- true >"$T_DIR/rnone" 2>&1; st=$?
if [ "$st" = 2 ] && grep -q "^modvisor: --authority $T_DIR/none.sock: No such file or directory" "$T_DIR/rnone"; then
	t_pass "fleet-daemon: run --authority with no socket there stops before anything boots (status 2)"
else
	t_fail "fleet-daemon: run --authority without a daemon" "status $st: $(cat "$T_DIR/rnone")"
fi
: >"$T_DIR/plain"
"$MV" run --authority "$T_DIR/plain" -- true >"$T_DIR/rplain" 2>&1; st=$?
if [ "$st" = 2 ] && grep -q "^modvisor: --authority $T_DIR/plain: not a socket" "$T_DIR/rplain"; then
	t_pass "fleet-daemon: run --authority naming a plain file says it is not a socket (status 2)"
else
	t_fail "fleet-daemon: run --authority on a plain file" "status $st: $(cat "$T_DIR/rplain")"
fi

# ---- a connected VM in status; its name is taken ------------------------------------------
"$CL" "$S" hello idle1 4 >/dev/null 2>&1 &
idle=$!
for _ in $(seq 50); do
	"$MV" authority status --socket "$S" >"$T_DIR/st2"
	grep -q '^vm [0-9]* idle1 ' "$T_DIR/st2" && break
	sleep 0.1
done
if grep -q '^vms: 1 connected' "$T_DIR/st2" &&
	grep -q '^vm [0-9]* idle1 [0-9a-f-]\{36\} transport=modvisor pid=[0-9]* uid=[0-9]* loads=0' "$T_DIR/st2"; then
	t_pass "fleet-daemon: status lists a connected VM with name, UUID, transport, pid, uid, counts"
else
	t_fail "fleet-daemon: status with a VM" "$(cat "$T_DIR/st2")"
fi
"$CL" "$S" hello idle1 >"$T_DIR/dup" 2>&1
t_expect_contains "fleet-daemon: a second VM named idle1 is refused (EEXIST)" "$T_DIR/dup" \
	"error 17 fatal=1: a VM named idle1 is connected already"
kill "$idle" 2>/dev/null; wait "$idle" 2>/dev/null

# ---- hostile clients: each disconnected, nothing logged as valid, the daemon goes on -----------
n_load=$(count load)
for c in garbage version unknown-type oversized load-before-hello; do
	"$CL" "$S" "$c" >"$T_DIR/h-$c" 2>&1
done
"$CL" "$S" bad-field evil1 >"$T_DIR/h-bad-field" 2>&1
"$CL" "$S" truncated-load evil2 "$HELLO" >"$T_DIR/h-trunc" 2>&1
ok=1
for pair in "garbage:error 71 fatal=1: header: bad magic" "version:error 93 fatal=1: header: protocol version" \
	"unknown-type:error 42 fatal=1: header: unknown message type" \
	"oversized:error 90 fatal=1: header: len is above" "load-before-hello:error 71 fatal=1: LOAD before HELLO" \
	"bad-field:error 74 fatal=1: LOAD: source is neither"; do
	f=$T_DIR/h-${pair%%:*}
	{ grep -qF "${pair#*:}" "$f" && grep -qx eof "$f"; } || { ok=0; echo "    | ${pair%%:*}: $(tr '\n' ' ' <"$f")"; }
done
[ "$ok" = 1 ] && t_pass "fleet-daemon: garbage, wrong version, unknown type, oversized, LOAD before HELLO, a field out of range: each gets a fatal ERROR naming it, then EOF" ||
	t_fail "fleet-daemon: hostile frames" "see above"
for _ in $(seq 100); do
	[ "$(grep -c '"what":"detach"' "$LOG")" -gt 0 ] && grep -q '"vm":"evil2",.*"what":"detach"' "$LOG" &&
		grep -q '"vm":"evil1",.*"what":"detach"' "$LOG" && break
	sleep 0.1
done
if [ "$(count load)" = "$n_load" ] && [ "$(count load evil2)" = 0 ] &&
	grep -q '"vm":"evil2",.*"what":"detach","why":"the connection ended inside a frame"' "$LOG" &&
	grep -q '"vm":"evil1",.*"what":"detach","why":"LOAD: source is neither' "$LOG"; then
	t_pass "fleet-daemon: a VM hanging up mid-LOAD leaves no load entry, only its detach with why"
else
	t_fail "fleet-daemon: nothing logged as valid" "$(grep evil "$LOG" | cut -c1-200)"
fi
"$CL" "$S" load after "$HELLO" 1 >"$T_DIR/after" 2>&1
t_expect_contains "fleet-daemon: after the hostile clients a VM still loads" "$T_DIR/after" "verdict allow"
grep -q 'before HELLO, pid [0-9]*): header: bad magic (not the modvisor authority protocol): disconnected' "$T_DIR/d.err" &&
	t_pass "fleet-daemon: the daemon says on stderr which connection it dropped and why" ||
	t_fail "fleet-daemon: stderr" "$(tail -n 3 "$T_DIR/d.err")"

# ---- seal records: stepped through the load's state, named by the daemon, logged with the VM -----
MVAP_CLIENT_PROTECT=1 "$CL" "$S" seals s1 "$HELLO" >"$T_DIR/seals" 2>&1
want='init-before-seal: ack -22 init-start for load_id 1, which was allowed but never sealed
unseal-unsealed: ack -22 unseal for load_id 1, which is allowed and not sealed
rai-before-seal: ack -22 ro_after_init sealed for load_id 1, which is allowed and not sealed
seal-never-issued: ack -22 seal for load_id 9, which was never allowed
seal: ack 0
seal-twice: ack -22 seal does not fit load_id 1, which is sealed
init-start: ack 0
loaded: ack 0
rai: ack 0
unseal-live: ack -22 unseal for load_id 1, which is live and sealed
unloaded: ack 0
unseal: ack 0
unseal-twice: ack -22 unseal for load_id 1, which is unloaded and not sealed
seal-refused: ack 0
load-failed: ack 0'
got=$(grep -v '^welcome\|^verdict' "$T_DIR/seals" | sed 's/ (.*//; s/ $//')
if [ "$got" = "$want" ]; then
	t_pass "fleet-daemon: seal records: init before the seal, unseal before unload, twice, an unknown id: refused (ACK -EINVAL); in order: acknowledged"
else
	t_fail "fleet-daemon: seal records" "$(diff <(echo "$want") <(echo "$got") | head -n 8)"
fi
"$MV" log show --vm s1 "$LOG" >"$T_DIR/show-s1"
if grep -q 'seal   #1   hello .*text+rodata   done .*text xxh3=1\{32\} sha256=2\{64\}' "$T_DIR/show-s1" &&
	grep -q 'seal   #1   hello .*ro_after_init done' "$T_DIR/show-s1" &&
	grep -q 'unseal #1   hello .*all           done' "$T_DIR/show-s1" &&
	grep -q 'seal   #2   hello .*text+rodata   refused EACCES' "$T_DIR/show-s1" &&
	[ "$(grep -c 'REFUSED' "$T_DIR/show-s1")" = 7 ]; then
	t_pass "fleet-daemon: seal, ro_after_init, unseal and a refused seal logged with the VM, the name from the daemon's own reading, the text digest as sent; 7 refusals logged"
else
	t_fail "fleet-daemon: seal entries" "$(grep -i 'seal\|refused' "$T_DIR/show-s1" | cut -c1-150)"
fi
"$CL" "$S" seals s2 "$HELLO" >"$T_DIR/seals2" 2>&1
t_expect_contains "fleet-daemon: a VM that did not say it protects memory seals nothing: its SEAL is refused" 	"$T_DIR/seals2" "unseal-unsealed: ack -22 unseal from a VM that seals nothing"
"$CL" "$S" seal-frame s3 bad >"$T_DIR/seal-bad" 2>&1
MVAP_CLIENT_TRANSPORT=qemu "$CL" "$S" seal-frame s4 >"$T_DIR/seal-qemu" 2>&1
if grep -q 'error 74 fatal=1: SEAL: reserved (offset 88) is not 0' "$T_DIR/seal-bad" && grep -qx eof "$T_DIR/seal-bad" &&
	grep -q 'error 71 fatal=1: SEAL from a qemu guest: only a modvisor VMM seals' "$T_DIR/seal-qemu" &&
	grep -qx eof "$T_DIR/seal-qemu"; then
	t_pass "fleet-daemon: a malformed SEAL (EBADMSG) and a SEAL from a qemu guest (EPROTO) disconnect the VM"
else
	t_fail "fleet-daemon: hostile SEAL frames" "$(cat "$T_DIR/seal-bad" "$T_DIR/seal-qemu")"
fi

# ---- SIGKILL mid-load, restart on the same log ----------------------------------------------
"$CL" "$S" load busy "$HELLO" 100000 events >"$T_DIR/busy" 2>&1 &
busy=$!
for _ in $(seq 100); do [ "$(count load busy)" -ge 5 ] && break; sleep 0.1; done
stop_daemon -KILL
wait "$busy" 2>/dev/null
n=$(grep -c '^verdict allow' "$T_DIR/busy")
# The 5th load logged means the 4th verdict was received (one request at a time).
if [ "$n" -le "$(count load busy)" ] && [ "$n" -ge 4 ]; then
	t_pass "fleet-daemon: killed mid-load: every verdict the client got ($n) is in the log"
else
	t_fail "fleet-daemon: killed mid-load" "$n verdicts, $(count load busy) logged"
fi
"$MV" log verify "$LOG" >"$T_DIR/v2"; st=$?
t_expect_status "fleet-daemon: after SIGKILL the log is a valid prefix (status 3)" 3 "$st"
start_daemon || t_fail "fleet-daemon: restarts" "no socket"
"$CL" "$S" load again "$HELLO" 1 >"$T_DIR/again" 2>&1
stop_daemon -TERM
"$MV" log verify "$LOG" >"$T_DIR/v3"; st=$?
if [ "$st" = 0 ] && grep -q '^note: 1 run(s) stopped without their end entry' "$T_DIR/v3" &&
	grep -q 'verdict allow' "$T_DIR/again" && tail -n 1 "$LOG" | grep -q '"type":"end"'; then
	t_pass "fleet-daemon: restarted on the same log: the chain continues and verifies; SIGTERM writes the end entry"
else
	t_fail "fleet-daemon: restart" "status $st: $(cat "$T_DIR/v3" "$T_DIR/again"; tail -n 1 "$LOG" | cut -c1-100)"
fi
[ ! -e "$S" ] && t_pass "fleet-daemon: SIGTERM removes the socket" || t_fail "fleet-daemon: socket" "left behind"

# ---- a torn tail: sealed, saved, logged --------------------------------------------------
seq=$(wc -l <"$LOG")
printf '{"seq":%s,"time":"2026-12-02T00:00:00Z","type":"lo' "$seq" >>"$LOG"
start_daemon
stop_daemon -TERM
"$MV" log verify "$LOG" >"$T_DIR/v4"; st=$?
if [ "$st" = 0 ] && [ -s "$LOG.torn-$seq" ] && grep -q "was torn by a crash: its 51 bytes" "$T_DIR/d.err" &&
	grep -q "\"type\":\"torn\".*saved to $LOG.torn-$seq" "$LOG"; then
	t_pass "fleet-daemon: a torn final entry is reported, saved to LOG.torn-N, logged, and the log verifies"
else
	t_fail "fleet-daemon: torn tail" "status $st: $(cat "$T_DIR/v4"; tail -n 2 "$T_DIR/d.err")"
fi

# ---- a guest under QEMU: its identity is QEMU's -name/-uuid; nothing can be sealed -------------
U=12131415-1617-1819-1a1b-1c1d1e1f2021      # mvap-client's UUID for a 2-letter name
start_daemon
MVAP_CLIENT_TRANSPORT=qemu "$CL" "$S" hello q2 -name guest=q1,debug-threads=on -uuid "$U" >"$T_DIR/q-name" 2>&1
t_expect_contains "fleet-daemon: qemu: a HELLO naming another VM than QEMU's -name is refused" \
	"$T_DIR/q-name" "error 13 fatal=1: HELLO: the name is not the QEMU process's -name (q1)"
MVAP_CLIENT_TRANSPORT=qemu "$CL" "$S" hello q1 -name guest=q1 -uuid 00000000-0000-4000-8000-000000000001 >"$T_DIR/q-uuid" 2>&1
t_expect_contains "fleet-daemon: qemu: a HELLO with another UUID than QEMU's -uuid is refused" \
	"$T_DIR/q-uuid" "error 13 fatal=1: HELLO: the uuid is not the QEMU process's -uuid"
MVAP_CLIENT_TRANSPORT=qemu "$CL" "$S" load q1 "$HELLO" 1 -name guest=q1,debug-threads=on -uuid "$U" >"$T_DIR/q-ok" 2>&1
if grep -q '^verdict allow errno=0 load_id=1 seal=1' "$T_DIR/q-ok" &&
	grep -q "\"vm\":\"q1\",\"vm_uuid\":\"$U\".*\"sealed\":\"unavailable (transport qemu)\"" "$LOG"; then
	t_pass "fleet-daemon: qemu: allowed with seal=unavailable, logged 'sealed: unavailable (transport qemu)'"
else
	t_fail "fleet-daemon: qemu load" "$(cat "$T_DIR/q-ok")"
fi
stop_daemon -TERM
printf 'require_seal = on\n' >"$T_DIR/seal.ini"
start_daemon --policy "$T_DIR/seal.ini"
MVAP_CLIENT_TRANSPORT=qemu "$CL" "$S" load q1 "$HELLO" 1 >"$T_DIR/q-seal" 2>&1
t_expect_contains "fleet-daemon: qemu: require_seal = on denies the load (EPERM)" "$T_DIR/q-seal" \
	"verdict deny errno=1 load_id=1 seal=1 reason=require_seal = on, and a guest under QEMU cannot be sealed"
stop_daemon -TERM

# ---- the uid allow-list (SO_PEERCRED) ----------------------------------------------------------
printf 'allow_uids = 0, %s\n' "$(id -u)" >"$T_DIR/p.ini"
start_daemon --policy "$T_DIR/p.ini"
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null; then
	chmod 755 "$T_DIR" "$T_ROOT"
	setpriv --reuid=65534 --regid=65534 --clear-groups "$CL" "$S" hello nob >"$T_DIR/nob" 2>&1
	t_expect_contains "fleet-daemon: uid 65534, not on allow_uids, is refused (EACCES)" "$T_DIR/nob" \
		"error 13 fatal=1: uid 65534 is not in the policy's allow_uids"
	grep -q 'nob' "$LOG" && t_fail "fleet-daemon: refused uid" "logged" ||
		t_pass "fleet-daemon: a refused uid leaves nothing in the log"
else
	stop_daemon -TERM
	printf 'allow_uids = 0\n' >"$T_DIR/p.ini"
	start_daemon --policy "$T_DIR/p.ini"
	"$CL" "$S" hello nob >"$T_DIR/nob" 2>&1
	t_expect_contains "fleet-daemon: our uid, not on allow_uids, is refused (EACCES)" "$T_DIR/nob" \
		"error 13 fatal=1: uid $(id -u) is not in the policy's allow_uids"
	t_skip "fleet-daemon: a refused uid leaves nothing in the log" "not root: no second uid"
fi
stop_daemon -TERM
t_done
