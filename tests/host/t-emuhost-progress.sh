#!/usr/bin/env bash
# t-emuhost-progress.sh: while the emulated KVM host boots, a terminal on stderr shows one
# progress line, erased before the command's output; a file or pipe gets no such line.
set -u
cd "$(dirname "$0")/../.."
. tests/lib.sh
TMP=$T_DIR

# On a terminal (script(1) gives the command a pty for stdout and stderr).
script -qec "$MV with-kvm --accel=emulated -- echo inner-ran" /dev/null >"$TMP/tty" 2>&1
t_expect_status "progress: with-kvm on a terminal" 0 "$?"
t_expect_contains "progress: a terminal sees the boot line" "$TMP/tty" \
	"modvisor: booting the emulated KVM host (QEMU TCG + SVM, Debian's kernel)"
# The line is erased (CR, erase-to-end-of-line) right before the command's output.
if grep -q $'\r\e\\[Kinner-ran' "$TMP/tty"; then t_pass "progress: erased before the command's output"
else t_fail "progress: erased before the command's output" "$(tr '\r' '~' <"$TMP/tty" | tail -c 300)"; fi

# Not a terminal: nothing but the command's own output and the one-line reason.
$MV with-kvm --accel=emulated -- echo inner-ran >"$TMP/out" 2>"$TMP/err"
t_expect_status "progress: with-kvm into files" 0 "$?"
t_expect_absent "progress: no boot line when stderr is a file" "$TMP/err" "booting the emulated KVM host"
t_expect_contains "progress: the command's output intact" "$TMP/out" "inner-ran"
t_done
