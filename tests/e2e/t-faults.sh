#!/usr/bin/env bash
# t-faults.sh: boot suite for contained module faults: #PF/#DE/#UD in init, a looping init, a fault in exit.
# Run where KVM is usable (tests/e2e/run.sh, inside `modvisor with-kvm`).
# Two boots: every exception in one, the init watchdog (--init-timeout 1) in the other.
cd "$(dirname "$0")/../.."
. tests/lib.sh
out=$T_DIR
M=/lib/modules

# memfree FILE N: the MemFree of the Nth `cat /proc/meminfo` in FILE.
memfree() {
	awk '$1 == "MemFree:" { n++; if (n == '"$2"') print $2 }' "$1"
}

# tainted FILE N: the Nth number printed by `cat /proc/sys/kernel/tainted`
# (the lines after a "tainted:" marker echoed just before it).
tainted() {
	awk '/^tainted:$/ { n++; getline; if (n == '"$2"') print $1 }' "$1"
}

# check_log NAME LOG: the measurement log verifies.
check_log() {
	if "$MV" log verify "$2" >"$out/verify" 2>&1; then t_pass "$1"; else
		t_fail "$1" "$(head -n 3 "$out/verify")"
	fi
}

# ---- boot 1: exceptions.  Busybox insmod tries finit_module, then
# init_module, so each faulting insmod runs init twice.
cmds=()
# The kernel heap keeps the slab pages a first load of each kind grows it by,
# so one load of each faulting module comes before the first MemFree: what
# is compared is what the later loads leave behind.
for c in "insmod $M/fault-pf.ko" "echo tainted:" "cat /proc/sys/kernel/tainted" \
	"insmod $M/fault-de.ko" "insmod $M/fault-ud.ko" \
	"cat /proc/meminfo" \
	"insmod $M/fault-pf.ko" "insmod $M/fault-de.ko" "insmod $M/fault-ud.ko" \
	"insmod $M/fault-de.ko" "insmod $M/fault-ud.ko" \
	"insmod $M/fault-export.ko level=7" "ls /sys/module/fault_export" "insmod $M/fault-import.ko" \
	"insmod $M/fault-pf.ko addr=0x8000000000000000" \
	"cat /proc/meminfo" "lsmod" "cat /proc/modules" \
	"insmod $M/exporter.ko" "insmod $M/importer.ko" "lsmod" \
	"insmod $M/fault-exit.ko" "rmmod fault_exit" "insmod $M/fault-exit.ko" "rmmod fault_exit" \
	"echo tainted:" "cat /proc/sys/kernel/tainted" "echo still running"; do
	cmds+=(-c "$c")
done
t_run faults "${cmds[@]}"
f=$out/faults
# Busybox insmod exits with the errno: 14 is EFAULT.
t_expect_status "faults: the first failed command's status (insmod: EFAULT, 14)" 14 "$st"
t_expect_line "faults: EFAULT for a #PF in init" "$f" "insmod: can't insert '$M/fault-pf.ko': Bad address"
t_expect_line "faults: EFAULT for a #DE in init" "$f" "insmod: can't insert '$M/fault-de.ko': Bad address"
t_expect_line "faults: EFAULT for a #UD (BUG) in init" "$f" "insmod: can't insert '$M/fault-ud.ko': Bad address"
t_expect_line "faults: EFAULT for fault-export" "$f" "insmod: can't insert '$M/fault-export.ko': Bad address"
n=$(grep -cxF "insmod: can't insert '$M/fault-pf.ko': Bad address" "$f")
[ "$n" = 3 ] && t_pass "faults: fault-pf three times, EFAULT each time (never EEXIST)" ||
	t_fail "faults: fault-pf three times" "$n EFAULT lines, want 3"
t_expect_absent "faults: no EEXIST after a faulted init" "$f" "File exists"
t_expect_contains "faults: the guest names the #PF" "$f" "faulted (vector 14, rip 0xffffffffa"
t_expect_contains "faults: the guest names the #DE" "$f" "faulted (vector 0, rip"
t_expect_contains "faults: the guest names the #UD" "$f" "faulted (vector 6, rip"
t_expect_contains "faults: a wild (non-canonical) address is contained too" "$f" \
	"faulted (vector 13, rip"
t_expect_line "faults: pr_info prints without its KERN_INFO level byte" "$f" "fault-pf: writing to 0x0"
t_expect_absent "faults: no raw KERN_SOH in the output" "$f" $'\001'
t_expect_line "faults: fault-export saw its parameter" "$f" "fault-export: level 7, faulting"
t_expect_contains "faults: no /sys/module entry of fault-export" "$f" \
	"/sys/module/fault_export: No such file or directory"
t_expect_contains "faults: fault-export's export is gone (fault-import: ENOENT)" "$f" \
	"can't insert '$M/fault-import.ko': unknown symbol in module"
# lsmod: "NAME SIZE USED", /proc/modules: "NAME SIZE REFS ...".
grep -qE '^fault_[a-z]+ +[0-9]+ +[0-9]' "$f" &&
	t_fail "faults: lsmod and /proc/modules list no faulted module" \
		"$(grep -E '^fault_[a-z]+ +[0-9]+ +[0-9]' "$f")" ||
	t_pass "faults: lsmod and /proc/modules list no faulted module"
t_expect_contains "faults: a good module loads after the faults" "$f" "exporter: loaded"
t_expect_contains "faults: importer links against exporter after the faults" "$f" "importer "
t_expect_contains "faults: fault-exit loads" "$f" "fault-exit: loaded"
t_expect_contains "faults: fault-exit's exit fault is contained" "$f" "module: exit at 0x"
n=$(grep -cxF "fault-exit: loaded" "$f")
[ "$n" = 2 ] && t_pass "faults: rmmod unloaded fault-exit despite its exit fault (loads again)" ||
	t_fail "faults: fault-exit loads twice" "$n loads, want 2"
t_expect_line "faults: the last command runs" "$f" "still running"
m1=$(memfree "$f" 1) m2=$(memfree "$f" 2)
[ -n "$m1" ] && [ "$m1" = "$m2" ] &&
	t_pass "faults: the failed loads free every page (MemFree $m1 kB before and after)" ||
	t_fail "faults: faulted loads leak no pages" "MemFree '$m1' kB, then '$m2' kB"
t1=$(tainted "$f" 1) t2=$(tainted "$f" 2)
[ -n "$t1" ] && [ $(( t1 & 128 )) -ne 0 ] && [ $(( t1 & 16384 )) -eq 0 ] &&
	t_pass "faults: a fault in init taints D (128) as Linux's oops would ($t1)" ||
	t_fail "faults: a fault in init taints D" "tainted '$t1'"
[ -n "$t2" ] && [ $(( t2 & 128 )) -ne 0 ] &&
	t_pass "faults: still tainted D at the end ($t2)" || t_fail "faults: tainted D at the end" "'$t2'"
check_log "faults: the measurement log verifies" "$out/faults.mlog"
"$MV" log show "$out/faults.mlog" >"$out/show" 2>&1
for v in "#PF at init+0x" "#DE at init+0x" "#UD at init+0x" "#GP at init+0x"; do
	t_expect_contains "faults: log show has the INIT_FAULT event '$v'" "$out/show" "fault: $v"
done
t_expect_contains "faults: the UNLOADED event of fault-exit has its exit's fault" "$out/show" \
	"fault_exit           unloaded     errno=0 init_ret=0 taints=OE  fault: #PF at core+0x"
t_expect_contains "faults: INIT_FAULT names the module and EFAULT" "$out/show" \
	"fault_pf             init-fault   errno=EFAULT"
t_expect_contains "faults: the JSON entry has the vector" "$out/faults.mlog" \
	'"event":"init-fault","name":"fault_de"'
grep -F '"name":"fault_ud"' "$out/faults.mlog" | grep -qF '"fault_vector":6' &&
	t_pass "faults: the JSON entry has fault_vector 6 for #UD" ||
	t_fail "faults: fault_vector in the log" "no fault_ud entry with fault_vector 6"

# ---- boot 2: a looping init, stopped by the host's init watchdog.  The
# limit is short; the emulated host is slow, so no timing is asserted.
cmds=()
for c in "insmod $M/fault-loop.ko" "cat /proc/meminfo" \
	"insmod $M/fault-loop.ko" "cat /proc/meminfo" "lsmod" \
	"echo tainted:" "cat /proc/sys/kernel/tainted" \
	"insmod $M/fault-loop.ko kcall=1" \
	"insmod $M/hello.ko who=after" "lsmod" "echo still running"; do
	cmds+=(-c "$c")
done
t_run loop --init-timeout 1 --timeout 600 "${cmds[@]}"
f=$out/loop
# 110 is ETIMEDOUT from insmod here, not modvisor's own --timeout status.
t_expect_status "loop: the first failed command's status (insmod: ETIMEDOUT, 110)" 110 "$st"
t_expect_absent "loop: the --timeout watchdog did not stop the VM" "$f" "watchdog: the guest was still"
n=$(grep -cxF "insmod: can't insert '$M/fault-loop.ko': Connection timed out" "$f")
[ "$n" = 3 ] && t_pass "loop: ETIMEDOUT for an init that never returns, each time (never EEXIST)" ||
	t_fail "loop: ETIMEDOUT three times" "$n ETIMEDOUT lines, want 3"
# NMIs that land in kmalloc/kfree are not taken there; a later one lands in the module.
t_expect_line "loop: a loop through kernel calls ran (kcall=1) and was stopped too" "$f" \
	"fault-loop: spinning forever through kmalloc"
t_expect_contains "loop: the host says it sends NMIs" "$f" \
	"a module init still runs after --init-timeout 1 s: sending NMIs until it stops"
t_expect_contains "loop: the guest names the watchdog" "$f" "stopped by the host's init watchdog at rip 0xffffffffa"
t_expect_contains "loop: a good module loads after it" "$f" "hello, after"
t_expect_line "loop: the last command runs" "$f" "still running"
grep -qE '^fault_loop +[0-9]' "$f" && t_fail "loop: lsmod does not list fault_loop" "listed" ||
	t_pass "loop: lsmod does not list fault_loop"
m1=$(memfree "$f" 1) m2=$(memfree "$f" 2)
[ -n "$m1" ] && [ "$m1" = "$m2" ] &&
	t_pass "loop: two more stopped loads free every page (MemFree $m1 kB)" ||
	t_fail "loop: the stopped load leaks no pages" "MemFree '$m1' kB, then '$m2' kB"
t1=$(tainted "$f" 1)
[ -n "$t1" ] && [ $(( t1 & 16384 )) -ne 0 ] && [ $(( t1 & 128 )) -eq 0 ] &&
	t_pass "loop: a stopped init taints L (16384) as Linux's soft lockup detector ($t1)" ||
	t_fail "loop: a stopped init taints L" "tainted '$t1'"
check_log "loop: the measurement log verifies" "$out/loop.mlog"
"$MV" log show "$out/loop.mlog" >"$out/show" 2>&1
t_expect_contains "loop: log show has the INIT_FAULT event with ETIMEDOUT" "$out/show" \
	"fault_loop           init-fault   errno=ETIMEDOUT"
t_expect_contains "loop: the event says the watchdog stopped it in init" "$out/show" \
	"fault: NMI (init watchdog) at init+0x"

# ---- the option itself (no boot).
"$MV" run --init-timeout x -- true >"$out/opt" 2>&1
t_expect_contains "init-timeout: a bad value is refused" "$out/opt" \
	"--init-timeout 'x': want whole seconds"
"$MV" run --help >"$out/help" 2>&1
t_expect_contains "init-timeout: listed in run --help" "$out/help" "--init-timeout SECONDS"
t_done
