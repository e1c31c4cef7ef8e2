#!/usr/bin/env bash
# t-emuhost.sh: `modvisor with-kvm` and the emulated KVM host: streams, exit status, paths, files, nested KVM.
#
# Boots the emulated host once for the real work (one command that checks
# everything it can from inside), once with a broken initramfs (about 2 s),
# and up to three times for about a second each, cut short before the kernel
# is up (auto, timeout, interrupt).
set -u
cd "$(dirname "$0")/../.."
. tests/lib.sh
EMU=build/emuhost
case $MV in /*) ;; *) MV=$PWD/$MV ;; esac

if ! "$MV" with-kvm --help >/dev/null 2>&1; then
	t_fail "with-kvm exists" "$MV with-kvm --help failed (is $MV built?)"
	exit 0
fi

W=$T_DIR

# ---- no boot: usage and missing artifacts -------------------------------
"$MV" with-kvm >"$W/o" 2>"$W/e"
t_expect_status "with-kvm without a command is a usage error" 2 $?
"$MV" with-kvm --accel=sometimes -- true >"$W/o" 2>"$W/e"
t_expect_status "with-kvm rejects an unknown --accel" 2 $?

MODVISOR_EMUHOST_DIR=$W/nowhere "$MV" with-kvm --accel=emulated -- true >"$W/o" 2>"$W/e"
t_expect_status "missing emulated-host artifacts: status 125" 125 $?
t_expect_contains "missing artifacts: names the file" "$W/e" "$W/nowhere/initramfs.cpio.gz"
t_expect_contains "missing artifacts: says how to build them" "$W/e" "make"

MODVISOR_QEMU=$W/no-qemu "$MV" with-kvm --accel=emulated -- true >"$W/o" 2>"$W/e"
t_expect_status "no QEMU: status 125" 125 $?
t_expect_contains "no QEMU: says so and what to install" "$W/e" "qemu-system-x86"

# --accel=kvm: runs directly where the probe passes, else refuses with a hint.
"$MV" with-kvm --accel=kvm -- true >"$W/o" 2>"$W/e"
st=$?
if [ $st = 0 ] && [ ! -s "$W/e" ]; then
	t_pass "--accel=kvm runs directly on a usable /dev/kvm"
elif [ $st = 125 ] && grep -q 'not usable' "$W/e" && grep -q -- '--accel=emulated' "$W/e"; then
	t_pass "--accel=kvm refuses an unusable /dev/kvm with a hint"
else
	t_fail "--accel=kvm" "status $st, stderr: $(head -c 300 "$W/e")"
fi

if [ ! -r $EMU/initramfs.cpio.gz ] || [ ! -x $EMU/kvm-smoke ]; then
	t_fail "emulated host built" "$EMU/ incomplete: run make"
	exit 0
fi

# ---- boot 1: everything a command inside can show -----------------------
# A directory of its own, an input file named on the command line,
# bytes a tty would mangle (\n, \r, \0, 0xff), and output files.
mkdir -p "$W/cwd"
printf 'in\001put\r\n\377' >"$W/cwd/input.bin"
printf 'out:\n\000\001\r\n\377' >"$W/want.out"
cat "$W/cwd/input.bin" >>"$W/want.out"
cat >"$W/cwd/job.sh" <<'EOF'
printf 'out:\n\000\001\r\n\377'
cat "$1"
printf 'err:\r\n' >&2
pwd >pwd.txt
echo "$MODVISOR_IN_EMUHOST" >inside.txt
echo "pass=${MODVISOR_T_PASS-unset} other=${T_EMUHOST_OTHER-unset} umask=$(umask)" >env.txt
"$2" 2000 >kvm.txt 2>&1
"$3" with-kvm --accel=kvm -- echo no-nesting >nested.txt 2>&1
exit 7
EOF
(cd "$W/cwd" && umask 027 && MODVISOR_T_PASS=yes T_EMUHOST_OTHER=no "$MV" with-kvm --accel=emulated -- sh job.sh input.bin "$OLDPWD/$EMU/kvm-smoke" "$MV") \
	>"$W/out" 2>"$W/err"
t_expect_status "emulated: the command's exit status comes back" 7 $?
if cmp -s "$W/want.out" "$W/out"; then t_pass "emulated: stdout intact (binary bytes, no \\r added)"; else
	t_fail "emulated: stdout intact" "got $(od -c "$W/out" | head -n 5)"; fi
if [ "$(cat "$W/err")" = $'err:\r' ]; then t_pass "emulated: stderr separate and intact"; else
	t_fail "emulated: stderr separate and intact" "got $(od -c "$W/err" | head -n 5)"; fi
if [ "$(cat "$W/cwd/pwd.txt" 2>/dev/null)" = "$(cd "$W/cwd" && pwd)" ]; then
	t_pass "emulated: same cwd, and a file written inside appears here"
else t_fail "emulated: same cwd" "pwd.txt: $(cat "$W/cwd/pwd.txt" 2>&1)"; fi
t_expect_contains "emulated: MODVISOR_IN_EMUHOST=1 inside" "$W/cwd/inside.txt" "1"
t_expect_contains "emulated: MODVISOR_* and the umask pass, other variables do not" \
	"$W/cwd/env.txt" "pass=yes other=unset umask=0027"
t_expect_contains "emulated: /dev/kvm inside runs a guest" "$W/cwd/kvm.txt" "kvm-smoke: ok"
t_expect_contains "emulated: with-kvm inside runs directly (passes the probe, never nests)" \
	"$W/cwd/nested.txt" "no-nesting"

# ---- boot 2: a host that fails shows its console ---------------------------
mkdir -p "$W/bad/root/bin"
cp /bin/busybox "$W/bad/root/bin/"
printf '#!/bin/busybox sh\n/bin/busybox echo "emuhost: FAILED: on purpose"\n/bin/busybox poweroff -f\n' \
	>"$W/bad/root/init"
chmod +x "$W/bad/root/init"
(cd "$W/bad/root" && find . | cpio -o -H newc --quiet) | gzip >"$W/bad/initramfs.cpio.gz"
ln -s "$PWD/$EMU/vmlinux" "$W/bad/vmlinux"
MODVISOR_EMUHOST_DIR=$W/bad "$MV" with-kvm --accel=emulated -- true >"$W/o" 2>"$W/e"
t_expect_status "emulated: a host that dies without a status gives 125" 125 $?
t_expect_contains "emulated: ... and shows its console" "$W/e" "emuhost: FAILED: on purpose"

# ---- boots 3-5: cut short ------------------------------------------------
# auto: direct and silent where the probe passes, else one line and the
# emulated host (whose boot the 1 s deadline cuts short).
MODVISOR_EMUHOST_TIMEOUT=1 "$MV" with-kvm -- true >"$W/o" 2>"$W/e"
st=$?
if [ $st = 0 ] && [ ! -s "$W/e" ]; then
	t_pass "auto: runs directly on a usable /dev/kvm"
elif [ "$(grep -c '^modvisor: /dev/kvm is not usable (.*); running inside the emulated KVM host$' "$W/e")" = 1 ]; then
	t_pass "auto: one line says why, then the emulated host"
else
	t_fail "auto" "status $st, stderr: $(head -c 300 "$W/e")"
fi

MODVISOR_EMUHOST_TIMEOUT=1 "$MV" with-kvm --accel=emulated -- sleep 600 >"$W/o" 2>"$W/e"
t_expect_status "emulated: a timeout gives 125" 125 $?
t_expect_contains "emulated: a timeout says so" "$W/e" "timed out after 1 s"

"$MV" with-kvm --accel=emulated -- sleep 600 >"$W/o" 2>"$W/e" &
pid=$!
sleep 1
qemu=$(awk -v p=$pid '$4 == p { print $1 }' /proc/[0-9]*/stat 2>/dev/null | head -n 1)
job=$(tr '\0' '\n' </proc/"$qemu"/cmdline 2>/dev/null | sed -n 's/.*mvjob=\([^ ]*\).*/\1/p')
kill -TERM $pid
wait $pid
t_expect_status "emulated: SIGTERM stops it with 128+15" 143 $?
if [ -z "$qemu" ] || [ -z "$job" ]; then
	t_fail "emulated: QEMU stopped and the job dir removed" "no QEMU child seen after 1 s"
elif kill -0 "$qemu" 2>/dev/null || [ -e "$job" ]; then
	t_fail "emulated: QEMU stopped and the job dir removed" "QEMU $qemu or $job still there"
else
	t_pass "emulated: QEMU stopped and the job dir removed"
fi
t_done
