#!/usr/bin/env bash
# t-params.sh: the SDK's less common parameter forms through the real guest (paramcb.ko):
# module_param_cb with the module's own ops chaining to param_set_int/param_get_int,
# module_param_call, module_param_unsafe and _named_unsafe (taint U, as Linux's
# param_check_unsafe), module_param_hw and _hw_array, and the bint type.
# Run where KVM is usable (tests/e2e/run.sh, inside `modvisor with-kvm`).
set -u
cd "$(dirname "$0")/../.."
. tests/lib.sh
OUT=$T_DIR
M=/lib/modules
P=/sys/module/paramcb/parameters

# tainted FILE: the value of the line after the marker "TAINTED" in FILE.
tainted() { sed -n '/^TAINTED$/{n;p;q}' "$1"; }

# Every form set at load time, then read back and written through /sys.
t_run all -c "insmod $M/paramcb.ko percent=70 level=3 danger=1 risky=4 irq=9 io=0x2f8,0x3e8 flag=y" \
	-c 'dmesg' -c "grep -H . $P/percent $P/level $P/danger $P/risky $P/irq $P/io $P/flag" \
	-c "sh -c 'echo 101 > $P/percent || echo refused-101'" -c "grep -H . $P/percent" \
	-c "sh -c 'echo 42 > $P/percent'" -c "grep -H . $P/percent" \
	-c "sh -c 'echo n > $P/flag'" -c "grep -H . $P/flag" \
	-c 'echo TAINTED' -c 'cat /proc/sys/kernel/tainted' -c 'rmmod paramcb'
t_expect_status "params: load with every form" 0 "$st"
t_expect_line "params: init saw each value" "$OUT/all" \
	"paramcb: percent=70 level=3 calls=1 danger=1 risky=4 irq=9 io0=760 nr_io=2 flag=1"
t_expect_contains "params: unsafe parameter logs Linux's notice" "$OUT/all" \
	"Setting dangerous option danger - tainting kernel"
t_expect_contains "params: ... for the _named_unsafe one too" "$OUT/all" \
	"Setting dangerous option risky - tainting kernel"
t_expect_line "params: _cb get() is the module's own (70%)" "$OUT/all" "$P/percent:70%"
t_expect_line "params: _call get() is param_get_int" "$OUT/all" "$P/level:3"
t_expect_line "params: _unsafe reads back" "$OUT/all" "$P/danger:1"
t_expect_line "params: _named_unsafe reads back" "$OUT/all" "$P/risky:4"
t_expect_line "params: _hw reads back" "$OUT/all" "$P/irq:9"
t_expect_line "params: _hw_array reads back" "$OUT/all" "$P/io:760,1000"
t_expect_line "params: bint reads back as an int" "$OUT/all" "$P/flag:1"
t_expect_contains "params: _cb set() refuses 101 (the module's range check)" "$OUT/all" "refused-101"
t_expect_line "params: _cb write through /sys lands (42%)" "$OUT/all" "$P/percent:42%"
t_expect_line "params: bint written 'n' through /sys reads 0" "$OUT/all" "$P/flag:0"
t=$(tainted "$OUT/all")
if [ -n "$t" ] && (( (t & 64) != 0 )); then t_pass "params: kernel tainted U (bit 6) by the unsafe parameter"
else t_fail "params: kernel tainted U (bit 6) by the unsafe parameter" "tainted='$t'"; fi

# Without unsafe parameters the kernel is not tainted U; a write through /sys taints it.
t_run sysfs -c "insmod $M/paramcb.ko percent=10" -c 'echo TAINTED' -c 'cat /proc/sys/kernel/tainted' \
	-c "sh -c 'echo 5 > $P/danger'" -c 'echo TAINTED-AFTER' -c 'cat /proc/sys/kernel/tainted' -c 'dmesg'
t_expect_status "params: safe load" 0 "$st"
t=$(tainted "$OUT/sysfs")
if [ -n "$t" ] && (( (t & 64) == 0 )); then t_pass "params: no unsafe parameter, no taint U"
else t_fail "params: no unsafe parameter, no taint U" "tainted='$t'"; fi
t=$(sed -n '/^TAINTED-AFTER$/{n;p;q}' "$OUT/sysfs")
if [ -n "$t" ] && (( (t & 64) != 0 )); then t_pass "params: an unsafe write through /sys taints U"
else t_fail "params: an unsafe write through /sys taints U" "tainted='$t'"; fi

# Errors, as Linux: the module's set() error fails the load; bint takes only a bool's values.
t_run range -c "insmod $M/paramcb.ko percent=200"
t_expect_status "params: _cb set() error fails the load (busybox exits with the errno, ERANGE)" 34 "$st"
t_expect_contains "params: ... with ERANGE" "$OUT/range" "Numerical result out of range"
t_run bint -c "insmod $M/paramcb.ko flag=2"
t_expect_status "params: bint=2 fails the load (EINVAL)" 22 "$st"
t_expect_contains "params: ... with EINVAL" "$OUT/bint" "Invalid argument"
t_done
