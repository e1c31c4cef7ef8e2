#!/usr/bin/env bash
# t-emuhost-authority.sh: `modvisor run --authority SOCKET` through the emulated KVM host reaches a
# daemon on the real host (docs/authority-protocol.md, "Where the daemon runs when there is no
# usable /dev/kvm"): modvisor connects the socket here and QEMU carries the stream as the
# virtio-serial port mv.authority.  A missing socket and one nobody listens on fail before QEMU
# starts (a fake QEMU records whether it ran); boot 1: a signed load allowed and an unsigned one
# denied under the daemon's sig_enforce, in its log with the run's --name and --uuid; boot 2: the
# default name run-PID and the pid the daemon logs are the real-host modvisor's, and QEMU killed
# under a loaded guest (no BYE) ends the VM in the daemon's log; boot 3: the daemon SIGKILLed
# between two loads: the next one fails with EAGAIN (a write to the port would have waited for
# good).  --accel=emulated: the emulated host even where /dev/kvm is usable.
set -u
cd "$(dirname "$0")/../.."
. tests/lib.sh

B=${BUILD:-build}
SIGNFILE=${SIGNFILE:-/usr/lib/linux-kbuild-6.1/scripts/sign-file}
HELLO=$B/images/modules/hello.ko
for f in "$MV" "$HELLO" "$SIGNFILE" "$B/emuhost/initramfs.cpio.gz"; do
	[ -e "$f" ] || { t_fail "emuhost authority: setup" "need $f (make; linux-kbuild-6.1)"; t_done; exit 0; }
done
S=$T_DIR/a.sock
LOG=$T_DIR/fleet.log
U=0c6e2a51-7d3b-4f0e-9a55-3e2f1d4c5b6a

. tests/authority_lib.sh
T_ON_EXIT='stop_daemon -KILL'

# A key the daemon trusts, and hello.ko signed with it.
mkdir -p "$T_DIR/m" "$T_DIR/certs"
printf '%s\n' '[ req ]' 'default_bits = 2048' 'distinguished_name = dn' 'prompt = no' \
	'x509_extensions = ext' '[ dn ]' 'CN = t-emuhost-authority' '[ ext ]' \
	'basicConstraints=critical,CA:FALSE' 'keyUsage=digitalSignature' \
	'subjectKeyIdentifier=hash' >"$T_DIR/key.genkey"
openssl req -new -nodes -utf8 -sha256 -days 36500 -batch -x509 -config "$T_DIR/key.genkey" \
	-outform PEM -out "$T_DIR/key.pem" -keyout "$T_DIR/key.pem" 2>/dev/null &&
	openssl x509 -in "$T_DIR/key.pem" -outform DER -out "$T_DIR/certs/key.der" &&
	cp "$HELLO" "$T_DIR/m/signed.ko" &&
	"$SIGNFILE" sha256 "$T_DIR/key.pem" "$T_DIR/key.pem" "$T_DIR/m/signed.ko" ||
	{ t_fail "emuhost authority: setup" "cannot make a key and sign hello.ko"; t_done; exit 0; }

# ---- before anything boots -----------------------------------------------------------------
# A QEMU that only says it ran: a run that fails before the emulated host never starts it.
FQ=$T_DIR/fake-qemu
printf '#!/bin/sh\n: >"%s/qemu-ran"\nexit 1\n' "$T_DIR" >"$FQ" && chmod +x "$FQ"
# early NAME SOCKET: a run through the emulated host with the fake QEMU; output NAME.out, status $st.
early() {
	rm -f "$T_DIR/qemu-ran"
	MODVISOR_QEMU=$FQ "$MV" run --accel=emulated --authority "$2" -c true </dev/null \
		>"$T_DIR/$1.out" 2>&1
	st=$?
}
early none "$T_DIR/none.sock"
t_expect_status "emuhost authority: a missing socket is a usage error (2)" 2 "$st"
t_expect_line "emuhost authority: ... naming the path and the reason" "$T_DIR/none.out" \
	"modvisor: --authority $T_DIR/none.sock: No such file or directory"
[ ! -e "$T_DIR/qemu-ran" ] && t_pass "emuhost authority: ... before QEMU starts" ||
	t_fail "emuhost authority: a missing socket" "QEMU was started"

# A socket file nobody listens on: the one a SIGKILLed daemon leaves.
start_daemon || { t_fail "emuhost authority: the daemon starts" "$(cat "$T_DIR/d.err")"; t_done; exit 0; }
stop_daemon -KILL
early stale "$S"
t_expect_status "emuhost authority: a socket nobody listens on: status 124, the authority not ready" \
	124 "$st"
t_expect_line "emuhost authority: ... connected on the real host, the error names the socket and why" \
	"$T_DIR/stale.out" "modvisor: $S: cannot connect to the module authority: Connection refused (is \`modvisor authority --listen\` running there?)"
t_expect_line "emuhost authority: ... and says nothing boots" "$T_DIR/stale.out" \
	"modvisor: the module authority is not ready: not starting the emulated KVM host"
[ ! -e "$T_DIR/qemu-ran" ] && t_pass "emuhost authority: ... before QEMU starts" ||
	t_fail "emuhost authority: a socket nobody listens on" "QEMU was started: the socket was connected inside"

# ---- boot 1: an allowed and a denied load, tagged with --name and --uuid ---------------------
start_daemon --sig-enforce --keyring "$T_DIR/certs" ||
	{ t_fail "emuhost authority: the daemon starts" "$(cat "$T_DIR/d.err")"; t_done; exit 0; }
"$MV" run --accel=emulated --timeout 300 --authority "$S" --name emu-g1 --uuid "$U" \
	--add "$T_DIR/m:/m" -c "insmod /m/signed.ko" -c "rmmod hello" -c "insmod /lib/modules/hello.ko" \
	</dev/null >"$T_DIR/g1.out" 2>&1
"$MV" log show --vm emu-g1 "$LOG" >"$T_DIR/show1" 2>&1
if grep -q ' load  #1 .*hello .*finit_module allow ' "$T_DIR/show1" &&
	grep -q ' load  #2 .*hello .*finit_module deny  ENOKEY .*unsigned, and signatures are enforced' "$T_DIR/show1"; then
	t_pass "emuhost authority: log show --vm emu-g1: the signed load allowed, the unsigned one denied, in the real host's daemon's log"
else
	t_fail "emuhost authority: log show --vm emu-g1" "$(head -n 12 "$T_DIR/show1")"
fi
# busybox's insmod tries finit_module, then init_module: two denials.
n=$(grep -c "\"type\":\"load\",\"run\":\"[0-9a-f]*\",\"vm\":\"emu-g1\",\"vm_uuid\":\"$U\"" "$LOG")
[ "$n" = 3 ] && t_pass "emuhost authority: the 3 load entries carry the run's --uuid" ||
	t_fail "emuhost authority: --uuid" "$n load entries tagged emu-g1/$U"
t_expect_contains "emuhost authority: the guest's insmod is refused with the daemon's verdict" \
	"$T_DIR/g1.out" "/lib/modules/hello.ko: load refused by the host: ENOKEY: Loading of unsigned module is rejected"
t_expect_line "emuhost authority: ... and insmod fails as under Linux's sig_enforce" "$T_DIR/g1.out" \
	"insmod: can't insert '/lib/modules/hello.ko': Required key not available"
t_expect_contains "emuhost authority: the run names the daemon's socket on the real host and its VM" \
	"$T_DIR/g1.out" "modvisor: measurement log of the authority at $S (vm emu-g1, uuid $U)"
grep -q '"vm":"emu-g1".*"what":"detach","why":"bye"' "$LOG" &&
	t_pass "emuhost authority: the run said BYE through the port" ||
	t_fail "emuhost authority: BYE" "$(grep '"vm":"emu-g1"' "$LOG" | tail -n 1)"

# ---- boot 2: the default name and pid are the real host's; QEMU killed under a live VM -------
"$MV" run --accel=emulated --timeout 300 --authority "$S" --add "$T_DIR/m:/m" \
	-c "insmod /m/signed.ko" -c "sleep 600" </dev/null >"$T_DIR/g2.out" 2>&1 &
R=$!
for _ in $(seq 600); do
	grep -q "\"type\":\"load\",\"run\":\"[0-9a-f]*\",\"vm\":\"run-$R\".*\"verdict\":\"allow\"" "$LOG" &&
		break
	kill -0 "$R" 2>/dev/null || break
	sleep 0.5
done
# QEMU is the real-host modvisor's child: killed, the guest's VMM never says BYE.
Q=$(pgrep -P "$R")
[ -n "$Q" ] && kill -KILL $Q
wait "$R"
st=$?
t_expect_status "emuhost authority: QEMU killed: the run fails as the emulated host (125)" 125 "$st"
grep -q "\"vm\":\"run-$R\",.*\"what\":\"attach\",.*\"pid\":$R," "$LOG" &&
	t_pass "emuhost authority: without --name the VM is run-PID, and the daemon logs that PID, the real-host modvisor's" ||
	t_fail "emuhost authority: default name and pid" "$(grep '"attach"' "$LOG" | tail -n 1; tail -n 5 "$T_DIR/g2.out")"
for _ in $(seq 100); do
	grep -q "\"vm\":\"run-$R\",.*\"what\":\"detach\"" "$LOG" && break
	sleep 0.1
done
grep -q "\"vm\":\"run-$R\",.*\"what\":\"detach\",\"why\":\"disconnected\"" "$LOG" &&
	t_pass "emuhost authority: the daemon sees the stream end when QEMU dies (detach: disconnected)" ||
	t_fail "emuhost authority: end without BYE" "$(grep "run-$R" "$LOG" | tail -n 2)"
"$MV" authority status --socket "$S" >"$T_DIR/status" 2>&1
t_expect_contains "emuhost authority: status: no VM connected afterwards" "$T_DIR/status" "vms: 0 connected"

# ---- boot 3: the daemon SIGKILLed under a forwarded run: its next load fails, nothing hangs ------
# The guest waits on its stdin (a FIFO here) between a load and the next.  (A run that ended
# early must not take the suite with it: no SIGPIPE.)
trap '' PIPE
mkfifo "$T_DIR/in"
# Were a write to the port to wait for good, the emulated host's deadline ends the run (125).
MODVISOR_EMUHOST_TIMEOUT=400 "$MV" run --accel=emulated --timeout 300 --authority "$S" --name emu-g3 --add "$T_DIR/m:/m" \
	-c "sh -c 'insmod /m/signed.ko && rmmod hello && echo READY && read x && insmod /m/signed.ko; echo insmod status \$?'" \
	<"$T_DIR/in" >"$T_DIR/g3.out" 2>&1 &
R=$!
exec 3>"$T_DIR/in"
for _ in $(seq 600); do
	grep -q '^READY' "$T_DIR/g3.out" && break
	kill -0 "$R" 2>/dev/null || break
	sleep 0.5
done
stop_daemon -KILL
echo go >&3
exec 3>&-
wait "$R"
st=$?
t_expect_status "emuhost authority: the daemon killed between two loads: the run goes on to its end (0)" 0 "$st"
t_expect_contains "emuhost authority: ... the next load fails in the guest with EAGAIN (the port's end seen, no write waiting for good)" \
	"$T_DIR/g3.out" "/m/signed.ko: load refused by the host: EAGAIN: the module authority is unreachable"
# The run says so in its closing line; the line it prints when the loss is seen was once missing
# from a CI run on a loaded machine (not reproduced since: see the closing note of stop 21).
grep -q "measurement log of the authority at $S (vm emu-g3, uuid [0-9a-f-]*): connection lost: " "$T_DIR/g3.out" &&
	t_pass "emuhost authority: ... and the run says the connection to the socket was lost" ||
	t_fail "emuhost authority: closing line" "$(grep 'measurement log' "$T_DIR/g3.out")"
start_daemon || t_fail "emuhost authority: the daemon restarts" "$(tail -n 3 "$T_DIR/d.err")"

stop_daemon -TERM
"$MV" log verify "$LOG" >"$T_DIR/verify" 2>&1
st=$?
t_expect_status "emuhost authority: the daemon's log verifies (killed daemons' runs, then the one that ended)" 0 "$st"
[ "$st" = 0 ] || sed 's/^/    | /' "$T_DIR/verify" | head -n 5
t_done
