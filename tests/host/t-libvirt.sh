#!/usr/bin/env bash
# t-libvirt.sh: guests under libvirt (qemu:///system, TCG here) from `modvisor domain-xml`, their module
# loads ruled on by `modvisor authority` over the virtio-serial channel: a load reaches the daemon's
# log tagged with the domain's name and UUID; with sig_enforce an unsigned module is refused in the
# guest with "Required key not available"; `virsh destroy` mid-run leaves a log that verifies.
set -u
cd "$(dirname "$0")/../.."
. tests/lib.sh
B=${BUILD:-build}
VIRSH=(virsh -q -c qemu:///system)
PFX=mvt$$                       # domain names of this run only
DOMS=
DPIDS=

for f in "$MV" "$B/images/kernel.elf" "$B/images/initrd.cpio"; do
	[ -e "$f" ] || { t_fail "libvirt: setup" "need $f (make)"; t_done; exit 0; }
done
if ! command -v virsh >/dev/null; then
	t_fail "libvirt: setup" "no virsh: scripts/deps.sh installs libvirt-clients"; t_done; exit 0
fi

cleanup() {
	for d in $DOMS; do
		"${VIRSH[@]}" destroy "$d" >/dev/null 2>&1
		"${VIRSH[@]}" undefine "$d" >/dev/null 2>&1
	done
	for p in $DPIDS; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
	bash scripts/libvirt.sh stop "$T_ROOT/libvirt.state"
}
T_ON_EXIT=cleanup
if ! bash scripts/libvirt.sh start "$T_ROOT/libvirt.state" 2>"$T_DIR/libvirt.err"; then
	t_fail "libvirt: qemu:///system answers" "$(cat "$T_DIR/libvirt.err")"; t_done; exit 0
fi

# libvirt runs QEMU as its own user (Debian: libvirt-qemu): it must reach the kernel, the
# initrd and the daemon's socket (libvirt chowns each to that user while the domain runs: the
# copies here, not the build's files).
chmod 0711 "$T_ROOT" "$T_DIR"
cp "$B/images/kernel.elf" "$B/images/initrd.cpio" "$T_DIR/"
QUSER=$(awk -F'"' '/^[[:space:]]*user[[:space:]]*=/ { print $2 }' /etc/libvirt/qemu.conf 2>/dev/null)
QUSER=${QUSER:-libvirt-qemu}
id "$QUSER" >/dev/null 2>&1 || QUSER=root

# daemon NAME [FLAGS...]: `modvisor authority` on $T_DIR/NAME.sock with log $T_DIR/NAME.log;
# $INI_EXTRA goes into its policy file.
INI_EXTRA=
daemon() {
	local n=$1
	shift
	printf 'allow_uids = 0, %s\nkernel = %s\n%s\n' "$QUSER" "$T_DIR/kernel.elf" "$INI_EXTRA" \
		>"$T_DIR/$n.ini"
	"$MV" authority --listen "$T_DIR/$n.sock" --policy "$T_DIR/$n.ini" --log "$T_DIR/$n.log" \
		"$@" 2>"$T_DIR/$n.err" &
	DPIDS+=" $!"
	for _ in $(seq 100); do
		"$MV" authority status --socket "$T_DIR/$n.sock" >/dev/null 2>&1 && return 0
		sleep 0.1
	done
	t_fail "libvirt: authority $n starts" "$(cat "$T_DIR/$n.err")"
	return 1
}

# boot DOM DAEMON UUID CMDLINE: define and start domain $PFX-DOM from domain-xml.
boot() {
	local d=$PFX-$1
	"$MV" domain-xml --name "$d" --authority "$T_DIR/$2.sock" --uuid "$3" \
		--kernel "$T_DIR/kernel.elf" --initrd "$T_DIR/initrd.cpio" --cmdline "$4" \
		--console-log "$T_DIR/$1.console" >"$T_DIR/$1.xml" 2>"$T_DIR/$1.dx" &&
	"${VIRSH[@]}" define "$T_DIR/$1.xml" >"$T_DIR/$1.virsh" 2>&1 && DOMS+=" $d" &&
	"${VIRSH[@]}" start "$d" >>"$T_DIR/$1.virsh" 2>&1
}

# wait_off DOM: until the domain has powered itself off (at most 5 minutes).
wait_off() {
	for _ in $(seq 600); do
		[ "$("${VIRSH[@]}" domstate "$PFX-$1" 2>/dev/null)" = "shut off" ] && return 0
		sleep 0.5
	done
	return 1
}

# ---- a load reaches the daemon's log with the domain's name and UUID ------------------------
# Fresh UUIDs: a domain left behind by a killed run must not collide with this run's.
uuid() { cat /proc/sys/kernel/random/uuid; }
U1=$(uuid)
daemon a || { t_done; exit 0; }
"$MV" domain-xml --name "$PFX-g1" --authority "$T_DIR/a.sock" >"$T_DIR/plain.xml" 2>&1
if grep -q "<domain type='qemu'>\|<domain type='kvm'>" "$T_DIR/plain.xml" &&
	grep -q "<target type='virtio' name='org.modvisor.authority'/>" "$T_DIR/plain.xml" &&
	grep -q "<source mode='connect' path='$T_DIR/a.sock'>" "$T_DIR/plain.xml"; then
	t_pass "domain-xml: a domain with the authority's virtio-serial channel"
else t_fail "domain-xml: the channel" "$(head -c 600 "$T_DIR/plain.xml")"; fi
if boot g1 a "$U1" '-- /bin/sh -c "insmod /lib/modules/hello.ko who=libvirt; echo insmod=$?; lsmod; rmmod hello; echo rmmod=$?"'; then
	t_pass "libvirt: virsh define + start of the domain-xml domain"
else t_fail "libvirt: virsh define + start" "$(cat "$T_DIR/g1.dx" "$T_DIR/g1.virsh")"; fi
wait_off g1 || t_fail "libvirt: g1 powers off" "still $("${VIRSH[@]}" domstate "$PFX-g1")"
t_expect_contains "libvirt: on pc the default controller is transitional, driven modern" \
	"$T_DIR/g1.console" '(1af4:1003): modern virtio-pci'
t_expect_contains "libvirt: hello.ko loads in the guest" "$T_DIR/g1.console" 'hello: hello, libvirt'
t_expect_contains "libvirt: insmod succeeded" "$T_DIR/g1.console" 'insmod=0'
t_expect_contains "libvirt: rmmod succeeded" "$T_DIR/g1.console" 'rmmod=0'
if grep '"type":"event"' "$T_DIR/a.log" | grep "\"vm\":\"$PFX-g1\"" | grep -q '"unloaded"'; then
	t_pass "libvirt: the unload is in the daemon's log"
else t_fail "libvirt: the unload in the log" "$(grep '"type":"event"' "$T_DIR/a.log")"; fi
if grep '"type":"load"' "$T_DIR/a.log" | grep -q "\"vm\":\"$PFX-g1\",\"vm_uuid\":\"$U1\""; then
	t_pass "libvirt: the load is in the daemon's log with the domain's name and UUID"
else t_fail "libvirt: the load in the daemon's log" "$(tail -n 3 "$T_DIR/a.log")"; fi
"$MV" log show --vm "$PFX-g1" "$T_DIR/a.log" >"$T_DIR/a.show" 2>&1
if grep -q "\[$PFX-g1\] load .* hello .* finit_module allow" "$T_DIR/a.show"; then
	t_pass "libvirt: log show --vm lists the domain's load"
else t_fail "libvirt: log show --vm" "$(cat "$T_DIR/a.show")"; fi

if grep '"type":"load"' "$T_DIR/a.log" | grep -q '"sealed":"unavailable (transport qemu)"'; then
	t_pass "libvirt: the load's entry says sealed: unavailable (transport qemu)"
else t_fail "libvirt: sealed: unavailable" "$(grep '"type":"load"' "$T_DIR/a.log" | head -c 600)"; fi

# ---- q35: libvirt's default controller sits behind a PCIe root port, modern only (1af4:1043) -----
"$MV" domain-xml --name "$PFX-g8" --authority "$T_DIR/a.sock" --uuid "$(uuid)" \
	--kernel "$T_DIR/kernel.elf" --initrd "$T_DIR/initrd.cpio" --console-log "$T_DIR/g8.console" \
	--cmdline '-- /bin/sh -c "insmod /lib/modules/hello.ko who=q35; echo insmod=$?"' |
	sed "s/machine='pc'/machine='q35'/" >"$T_DIR/g8.xml"
"${VIRSH[@]}" define "$T_DIR/g8.xml" >/dev/null 2>&1 && DOMS+=" $PFX-g8" &&
	"${VIRSH[@]}" start "$PFX-g8" >/dev/null 2>&1
"${VIRSH[@]}" dumpxml "$PFX-g8" >"$T_DIR/g8.live.xml" 2>&1
wait_off g8 || t_fail "libvirt: g8 powers off" "still $("${VIRSH[@]}" domstate "$PFX-g8")"
if grep -q "<controller type='virtio-serial' index='0'>" "$T_DIR/g8.live.xml"; then
	t_pass "libvirt: q35 gets libvirt's default virtio-serial controller (no model)"
else t_fail "libvirt: q35's controller" "$(grep "virtio-serial" "$T_DIR/g8.live.xml")"; fi
t_expect_contains "libvirt: on q35 the device is modern only and driven so" "$T_DIR/g8.console" \
	'(1af4:1043): modern virtio-pci'
t_expect_contains "libvirt: on a q35 machine the guest finds the port and loads" "$T_DIR/g8.console" \
	'hello: hello, q35'

# ---- require_seal = on denies a guest under QEMU ------------------------------------------------
INI_EXTRA='require_seal = on' daemon s || { t_done; exit 0; }
boot g6 s "$(uuid)" \
	'quiet -- /bin/sh -c "insmod /lib/modules/hello.ko; echo insmod=$?"'
wait_off g6 || t_fail "libvirt: g6 powers off" "still $("${VIRSH[@]}" domstate "$PFX-g6")"
t_expect_contains "libvirt: require_seal = on: the guest's load is refused with EPERM" \
	"$T_DIR/g6.console" 'load refused by the host: EPERM: require_seal = on'
t_expect_absent "libvirt: require_seal = on: and not loaded" "$T_DIR/g6.console" 'hello: hello,'

# ---- a guest that claims another name is not believed -------------------------------------------
"$MV" domain-xml --name "$PFX-g7" --authority "$T_DIR/a.sock" --uuid "$(uuid)" \
	--kernel "$T_DIR/kernel.elf" --initrd "$T_DIR/initrd.cpio" --console-log "$T_DIR/g7.console" \
	--cmdline 'quiet -- /bin/sh -c "insmod /lib/modules/hello.ko; echo insmod=$?"' |
	sed "s/mv.name=$PFX-g7 /mv.name=$PFX-g1 /" >"$T_DIR/g7.xml"
"${VIRSH[@]}" define "$T_DIR/g7.xml" >/dev/null 2>&1 && DOMS+=" $PFX-g7" &&
	"${VIRSH[@]}" start "$PFX-g7" >/dev/null 2>&1
wait_off g7 || t_fail "libvirt: g7 powers off" "still $("${VIRSH[@]}" domstate "$PFX-g7")"
t_expect_contains "libvirt: a HELLO with another domain's name is refused" "$T_DIR/g7.console" \
	'authority: HELLO refused'
t_expect_contains "libvirt: ... and its loads fail with EAGAIN" "$T_DIR/g7.console" 'insmod=11'
if grep -q "\"vm\":\"$PFX-g7\"" "$T_DIR/a.log" || [ "$(grep -c "\"vm\":\"$PFX-g1\"" "$T_DIR/a.log")" != 5 ]
then t_fail "libvirt: the liar logged nothing" "$(grep -c "$PFX-g1" "$T_DIR/a.log") g1 entries"
else t_pass "libvirt: the liar logged nothing in its own or the other's name"; fi

# ---- with sig_enforce an unsigned module is refused in the guest ---------------------------
daemon e --sig-enforce || { t_done; exit 0; }
boot g2 e "$(uuid)" \
	'quiet -- /bin/sh -c "insmod /lib/modules/hello.ko; echo insmod=$?; lsmod"'
wait_off g2 || t_fail "libvirt: g2 powers off" "still $("${VIRSH[@]}" domstate "$PFX-g2")"
t_expect_contains "libvirt: sig_enforce: unsigned hello.ko refused with ENOKEY" "$T_DIR/g2.console" \
	'Required key not available'
t_expect_absent "libvirt: sig_enforce: and not loaded" "$T_DIR/g2.console" 'hello: hello,'

# ---- virsh console reaches the guest's shell (no command: /bin/sh on the serial console) --------
boot g4 a "$(uuid)" quiet
# virsh console wants a terminal: script(1) gives it one; the shell's exit powers the guest off.
(sleep 5; printf 'echo console-$((6*7))\r'; sleep 3; printf 'exit 0\r'; sleep 2) |
	timeout 120 script -qfc "virsh -c qemu:///system console --force $PFX-g4" /dev/null \
	>"$T_DIR/g4.tty" 2>&1
t_expect_contains "libvirt: virsh console reaches the guest shell" "$T_DIR/g4.tty" 'console-42'
wait_off g4 || t_fail "libvirt: g4 powers off after exit" "still $("${VIRSH[@]}" domstate "$PFX-g4")"

# ---- the daemon killed and restarted while the guest runs ------------------------------------
# With sig_enforce every load of the unsigned hello.ko is refused (no events, so no module is live
# when the daemon dies).  The guest loops until a load fails otherwise (the daemon is gone), then
# until the refusal comes back (QEMU reconnected to the restarted daemon, the guest said HELLO again).
daemon r --sig-enforce || { t_done; exit 0; }
RPID=${DPIDS##* }
boot g5 r "$(uuid)" 'quiet -- /bin/sh -c "while insmod /lib/modules/hello.ko 2>&1 | grep -q Required; do sleep 1; done; echo gone; insmod /lib/modules/hello.ko; until insmod /lib/modules/hello.ko 2>&1 | grep -q Required; do sleep 1; done; echo back"'
for _ in $(seq 600); do grep -q "\"vm\":\"$PFX-g5\"" "$T_DIR/r.log" 2>/dev/null && break; sleep 0.5; done
kill -KILL "$RPID"; wait "$RPID" 2>/dev/null
for _ in $(seq 600); do grep -q '^gone' "$T_DIR/g5.console" 2>/dev/null && break; sleep 0.5; done
t_expect_contains "libvirt: daemon killed: the guest's load fails with EAGAIN" "$T_DIR/g5.console" \
	'load refused by the host: EAGAIN: the module authority is unreachable'
daemon r --sig-enforce || { t_done; exit 0; }
RPID=${DPIDS##* }
wait_off g5 || t_fail "libvirt: g5 powers off" "still $("${VIRSH[@]}" domstate "$PFX-g5")"
t_expect_contains "libvirt: daemon restarted: QEMU reconnects, the guest's next load is ruled on" \
	"$T_DIR/g5.console" 'back'
kill -TERM "$RPID"; wait "$RPID" 2>/dev/null
"$MV" log verify "$T_DIR/r.log" >"$T_DIR/r.verify" 2>&1; st=$?
t_expect_status "libvirt: the restarted daemon's log verifies" 0 "$st"
if [ "$(grep -c "\"type\":\"vm\".*\"vm\":\"$PFX-g5\".*attach" "$T_DIR/r.log")" -ge 2 ]; then
	t_pass "libvirt: the guest attached to both daemons"
else t_fail "libvirt: attached twice" "$(grep -c attach "$T_DIR/r.log") attach entries"; fi

# ---- virsh destroy in the middle of a run -----------------------------------------------------
daemon d || { t_done; exit 0; }
U3=$(uuid)
boot g3 d "$U3" \
	'quiet -- /bin/sh -c "insmod /lib/modules/hello.ko; echo loaded; sleep 600"'
for _ in $(seq 600); do
	grep -q '"type":"event"' "$T_DIR/d.log" 2>/dev/null && break
	sleep 0.5
done
"$MV" authority status --socket "$T_DIR/d.sock" >"$T_DIR/d.status" 2>&1
if grep -qE "^vm [0-9]+ $PFX-g3 $U3 transport=qemu .*loads=1 allowed=1" \
	"$T_DIR/d.status"; then
	t_pass "libvirt: authority status lists the running domain (transport qemu, its load)"
else t_fail "libvirt: authority status" "$(cat "$T_DIR/d.status")"; fi
"${VIRSH[@]}" destroy "$PFX-g3" >"$T_DIR/destroy" 2>&1
t_expect_status "libvirt: virsh destroy of a running domain" 0 "$?"
for _ in $(seq 100); do grep -q '"detach"' "$T_DIR/d.log" && break; sleep 0.1; done
"$MV" log verify "$T_DIR/d.log" >"$T_DIR/d.verify" 2>&1; st=$?
t_expect_status "libvirt: after virsh destroy the log verifies (daemon running: a prefix, 3)" 3 "$st"
t_expect_contains "libvirt: the destroyed domain's detach is logged" "$T_DIR/d.log" '"detach"'
t_done
