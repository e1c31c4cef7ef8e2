#!/usr/bin/env bash
# tests/e2e/t-procs.sh: processes in the guest: fork/exec/wait from busybox ash, pipelines,
# signals and jobs (tests/e2e/procs/shell.sh), images/progs/mv-procs.c's syscall checks,
# and 200 insmod/rmmod rounds in one shell with the measurement log counted.
cd "$(dirname "$0")/../.."
. tests/lib.sh
OUT=$T_DIR

# run NAME ARGS...: modvisor run ARGS (own measurement log); $st, output in $OUT/NAME.{out,err}.
run() {
	local name=$1
	shift
	$MV run --accel=kvm --log "$OUT/$name.log" "$@" >"$OUT/$name.out" 2>"$OUT/$name.err" </dev/null
	st=$?
}

# The issue's commands (the third one pipes commands into sh on stdin).
run rmmod -- sh -c 'rmmod a; echo "status $?"'
t_expect_contains "sh -c 'rmmod a; echo \$?': the shell forks rmmod and reports 1" "$OUT/rmmod.out" "status 1"
t_expect_absent "... and does not say can't fork" "$OUT/rmmod.err" "can't fork"
run lsmod -- sh -c 'insmod /lib/modules/hello.ko; lsmod | grep hello'
t_expect_status "sh -c 'lsmod | grep hello': status 0" 0 "$st"
t_expect_contains "sh -c 'lsmod | grep hello': the pipeline finds it" "$OUT/lsmod.out" "hello "

printf 'insmod /lib/modules/hello.ko\nlsmod\n' | $MV run --accel=kvm --log "$OUT/stdin.log" -- sh \
	>"$OUT/stdin.out" 2>"$OUT/stdin.err"
t_expect_status "printf '...' | modvisor run -- sh: status 0" 0 "$?"
t_expect_contains "... sh read insmod and lsmod from stdin" "$OUT/stdin.out" "hello "
echo 'echo hi from stdin' | $MV run --accel=kvm --log "$OUT/hi.log" -- sh >"$OUT/hi.out" 2>&1
t_expect_contains "echo 'echo hi' | modvisor run -- sh prints hi" "$OUT/hi.out" "hi from stdin"
printf 'a\nb\nc\n' | $MV run --accel=kvm --log "$OUT/cat.log" \
	-- sh -c 'read x; echo "x=$x"; cat; echo "cat=$?"' >"$OUT/cat.out" 2>&1
t_expect_contains "stdin: read takes one line" "$OUT/cat.out" "x=a"
t_expect_contains "stdin: cat gets the rest and the end" "$OUT/cat.out" "$(printf 'b\nc\ncat=0')"
run nostdin -- sh -c 'cat; echo "cat=$?"' </dev/null
t_expect_contains "stdin: /dev/null is an immediate end" "$OUT/nostdin.out" "cat=0"

# The tick: a process spinning in ring 3 does not starve the others.
run spin -- sh -c 'sh -c "while :; do :; done" & s=$!; sleep 0.2; echo slept; kill $s; wait $s; echo "spin=$?"'
t_expect_contains "preemption: sleep ends beside a ring-3 spinner" "$OUT/spin.out" "slept"
t_expect_contains "preemption: the spinner is killed (SIGTERM)" "$OUT/spin.out" "spin=143"

# Shell features, one marker line each.
run shell --add tests/e2e/procs/shell.sh:/shell.sh -- sh /shell.sh
t_expect_status "shell script: exit status" 0 "$st"
for want in "pipe: 3" "subst: inner nested" "subshell-status: 3" "and: yes" "or: yes" \
	    "for: 3" "while: 3" "bg: waited 0 for pid set" "bg-status: 7" "trap: USR1" \
	    "after-trap: yes" "killed-status: 143" "set-e-status: 1" "exit-status: 42" \
	    "shebang: arg" "shebang-status: 5" "yes-head: 3" "redirect: hello" "ppid: parent" \
	    "done"; do
	t_expect_contains "ash: $want" "$OUT/shell.out" "$want"
done
t_expect_absent "ash: nothing reached after a kill or set -e" "$OUT/shell.out" "not-reached"

# busybox ps lists the processes from /proc/PID.
run ps -- sh -c 'sleep 3 & sleep 0.5; ps; kill $!'
t_expect_contains "ps: lists a background sleep (from /proc/PID/cmdline)" "$OUT/ps.out" "sleep 3"
t_expect_contains "ps: lists itself" "$OUT/ps.out" " ps"
run passwd -- sh -c 'grep -c "^nobody:x:65534:65534:" /etc/passwd; grep -c "^daemon:\|^bin:" /etc/passwd'
t_expect_contains "/etc/passwd has nobody, bin and daemon" "$OUT/passwd.out" "$(printf '1\n2')"

# The syscall checks, each as its own line.
run procs -- mv-procs
t_expect_status "mv-procs: exit status" 0 "$st"
t_expect_contains "mv-procs: ran to the end" "$OUT/procs.out" "PASS: 0 failure(s)"
grep -E '^(not )?ok - ' "$OUT/procs.out" >"$OUT/procs.tap"
t_relay "mv-procs: " "$OUT/procs.tap"

# FIFOs and mknod: images/progs/mv-fifo.c, and busybox mkfifo/mknod with a shell pipeline.
run fifo -- mv-fifo
t_expect_status "mv-fifo: exit status" 0 "$st"
t_expect_contains "mv-fifo: ran to the end" "$OUT/fifo.out" "PASS: 0 failure(s)"
grep -E '^(not )?ok - ' "$OUT/fifo.out" >"$OUT/fifo.tap"
t_relay "mv-fifo: " "$OUT/fifo.tap"
run mkfifo -- sh -c 'mkfifo /tmp/p && echo "through the fifo" >/tmp/p & sleep 0.1; cat /tmp/p;
	mknod /tmp/n p && ls -l /tmp/n; mknod /tmp/c c 1 5 && head -c 4 /tmp/c | od -An -tx1'
t_expect_contains "busybox mkfifo: a writer in the background, cat reads" "$OUT/mkfifo.out" "through the fifo"
t_expect_contains "busybox mknod p: a FIFO" "$OUT/mkfifo.out" "prw-r--r--"
t_expect_contains "busybox mknod c 1 5: reads as /dev/zero" "$OUT/mkfifo.out" " 00 00 00 00"

# Job control on a terminal console (MODVISOR_TTY makes the console one): SIGTTIN and
# SIGTTOU for background groups, TOSTOP (images/progs/mv-tty.c).
MODVISOR_TTY=24x80 run tty -- mv-tty
t_expect_status "mv-tty: exit status" 0 "$st"
t_expect_contains "mv-tty: ran to the end" "$OUT/tty.out" "PASS: 0 failure(s)"
tr -d '\r' <"$OUT/tty.out" | grep -E '^(not )?ok - ' >"$OUT/tty.tap"
t_relay "mv-tty: " "$OUT/tty.tap"

# 200 loads and unloads in one guest shell: 200 load entries, 400 module events.
run loop -- sh -c 'i=0; while [ $i -lt 200 ]; do insmod /lib/modules/hello.ko || exit 1;
	rmmod hello || exit 2; i=$((i + 1)); done; echo "rounds $i"'
t_expect_status "200 insmod/rmmod rounds: exit status" 0 "$st"
t_expect_contains "200 insmod/rmmod rounds: all ran" "$OUT/loop.out" "rounds 200"
$MV log show "$OUT/loop.log" >"$OUT/loop.show" 2>&1
t_expect_status "200 rounds: log loads" 200 "$(grep -c ' load  #' "$OUT/loop.show")"
t_expect_status "200 rounds: log module events (loaded + unloaded)" 400 \
	"$(grep -cE ' event #[0-9]+ +hello +(loaded|unloaded) ' "$OUT/loop.show")"
$MV log verify "$OUT/loop.log" >"$OUT/loop.verify" 2>&1
t_expect_status "200 rounds: the log verifies" 0 "$?"
t_done
