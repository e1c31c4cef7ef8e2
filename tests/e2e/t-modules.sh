#!/usr/bin/env bash
# t-modules.sh: boot suite for modules: busybox insmod/lsmod/rmmod, /sys and /proc, every init_module(2) error.
# Run where KVM is usable (tests/e2e/run.sh, inside `modvisor with-kvm`).
cd "$(dirname "$0")/../.."
. tests/lib.sh
out=$T_DIR
M=/lib/modules

# Each -c runs even when the one before failed (no fork in the guest yet:
# plain commands only, no `sh -c "a; b"`).
# The acceptance command of issue 4.
t_run happy -c 'insmod /lib/modules/hello.ko who=world count=3 ids=1,2,3 verbose' \
	-c 'cat /sys/module/hello/parameters/count' -c 'cat /sys/module/hello/parameters/who' \
	-c 'cat /sys/module/hello/parameters/ids' -c 'cat /sys/module/hello/parameters/verbose' \
	-c 'cat /sys/module/hello/initstate /sys/module/hello/refcnt /sys/module/hello/taint' \
	-c 'lsmod' -c 'cat /proc/modules' -c 'cat /proc/sys/kernel/tainted' -c 'rmmod hello' \
	-c 'cat /proc/modules'
if grep -q -e "unknown hypercall 4" -e "no module authority" "$out/happy"; then
	t_fail "modules: host side" "the VMM does not answer MV_HC_MODULE_LOAD yet: $(grep -m1 -e hypercall -e authority "$out/happy")"
	exit 0
fi
t_expect_status "modules: insmod, cat, lsmod, rmmod exit 0" 0 "$st"
t_expect_contains "modules: init ran with the parameters" "$out/happy" "hello, world (3/3)"
t_expect_contains "modules: verbose dump of the array" "$out/happy" "ids[2]=3"
t_expect_line "modules: count reads back 3" "$out/happy" "3"
t_expect_line "modules: who reads back" "$out/happy" "world"
t_expect_line "modules: ids reads back" "$out/happy" "1,2,3"
t_expect_line "modules: verbose (bool) reads back Y" "$out/happy" "Y"
t_expect_line "modules: initstate live" "$out/happy" "live"
grep -qxE 'P?F?OE?' "$out/happy" && t_pass "modules: taint has O" ||
	t_fail "modules: taint has O" "no taint line with O"
t_expect_contains "modules: lsmod lists hello" "$out/happy" "hello "
t_expect_contains "modules: /proc/modules line" "$out/happy" " 0 - Live 0xffffffffa"
t_expect_contains "modules: /proc/modules taint mark" "$out/happy" "(O"
tainted=$(grep -xE '[0-9]+' "$out/happy" | awk '$1 >= 4096' | head -n 1)
[ -n "$tainted" ] && [ $(( tainted & 4096 )) -ne 0 ] && t_pass "modules: kernel tainted O ($tainted)" ||
	t_fail "modules: kernel tainted O" "no tainted value with bit 12"
t_expect_contains "modules: exit ran" "$out/happy" "goodbye, world"

# busybox insmod: errors as Linux gives them (finit_module, then init_module).
# Busybox spells ENOEXEC "invalid module format" and ENOENT "unknown symbol
# in module, or unknown parameter"; other errnos are strerror().
cmds=()
for c in "insmod $M/hello.ko" "insmod $M/hello.ko" "insmod $M/bad-magic.ko" \
	"insmod $M/bad-unknown-sym.ko" "insmod $M/bad-crc.ko" "insmod $M/initfail.ko" \
	"insmod $M/bad-reloc-overflow.ko" "insmod $M/bad-wx.ko" "insmod $M/bad-common.ko" \
	"insmod $M/bad-dup-export.ko" "insmod $M/bad-vermagic.ko" "rmmod hello" \
	"insmod $M/hello.ko count=abc" "insmod $M/exporter.ko" "insmod $M/importer.ko" \
	"rmmod exporter" "lsmod" "rmmod importer" "rmmod exporter" "rmmod nosuch"; do
	cmds+=(-c "$c")
done
t_run busybox "${cmds[@]}"
t_expect_contains "modules: EEXIST for a second hello" "$out/busybox" "can't insert '$M/hello.ko': File exists"
t_expect_contains "modules: ENOEXEC bad magic" "$out/busybox" "bad-magic.ko': invalid module format"
t_expect_contains "modules: ENOENT unknown symbol" "$out/busybox" "bad-unknown-sym.ko': unknown symbol in module"
# A CRC mismatch is EINVAL, as in Linux; the host (vmm/authority/authority.c) refuses
# it before the guest resolves the symbol.
t_expect_contains "modules: EINVAL CRC mismatch" "$out/busybox" "can't insert '$M/bad-crc.ko': Invalid argument"
t_expect_contains "modules: init's own error (ENODEV)" "$out/busybox" "initfail.ko': No such device"
t_expect_contains "modules: ENOEXEC relocation overflow" "$out/busybox" "bad-reloc-overflow.ko': invalid module format"
t_expect_contains "modules: ENOEXEC W+X section" "$out/busybox" "bad-wx.ko': invalid module format"
t_expect_contains "modules: ENOEXEC common symbol" "$out/busybox" "bad-common.ko': invalid module format"
t_expect_contains "modules: ENOEXEC duplicate export" "$out/busybox" "bad-dup-export.ko': invalid module format"
t_expect_contains "modules: ENOEXEC vermagic" "$out/busybox" "bad-vermagic.ko': invalid module format"
t_expect_contains "modules: EINVAL bad parameter" "$out/busybox" "hello.ko': Invalid argument"
t_expect_contains "modules: importer uses exporter" "$out/busybox" \
	'importer: 2 + 3 = 5, calls=1, "greetings from exporter"'
t_expect_contains "modules: rmmod of a used module fails" "$out/busybox" "Resource temporarily unavailable"
t_expect_contains "modules: rmmod of an unknown module fails with ENOENT" "$out/busybox" \
	"can't unload module 'nosuch': No such file or directory"

# The project's own caller, for errors insmod cannot produce.
cmds=()
for c in "mv-modcall init-short" "mv-modcall init-badptr" "mv-modcall init-badargs $M/hello.ko" \
	"mv-modcall init-badargs $M/bad-magic.ko" "mv-modcall init-badargs $M/bad-reloc-overflow.ko" \
	"mv-modcall init-long $M/hello.ko 200000 count=7" "cat /sys/module/hello/parameters/count" \
	"rmmod hello" \
	"mv-modcall finit-fd 99" "mv-modcall finit-wronly $M/hello.ko" \
	"mv-modcall finit-busy $M/hello.ko" "mv-modcall finit $M/hello.ko 8" \
	"mv-modcall finit $M" "touch /tmp/empty.ko" "mv-modcall finit /tmp/empty.ko" \
	"mv-modcall finit $M/hello.ko 4" "mv-modcall delete-badptr" "mv-modcall delete nosuch" \
	"mv-dropcap mv-modcall init $M/hello.ko" "mv-dropcap mv-modcall delete hello" \
	"mv-modcall finit $M/hello.ko 2" "mv-modcall init $M/hello.ko" \
	'sh -c "echo 1 > /proc/sys/kernel/modules_disabled"' "mv-modcall finit $M/exporter.ko"; do
	cmds+=(-c "$c")
done
t_run calls "${cmds[@]}"
t_expect_contains "modules: ENOEXEC image shorter than an ELF header" "$out/calls" "init-short: ENOEXEC"
t_expect_contains "modules: EFAULT image pointer" "$out/calls" "init-badptr: EFAULT"
t_expect_contains "modules: EFAULT parameter pointer" "$out/calls" "init-badargs $M/hello.ko: EFAULT"
# Linux copies the parameter string only after the ELF checks and relocation
# (load_module: strndup_user after post_relocation), so a bad image is ENOEXEC
# whatever the pointer, and a string of any length is fine (no 64 KiB limit).
t_expect_contains "modules: bad image + bad parameter pointer: ENOEXEC (the ELF check first)" \
	"$out/calls" "init-badargs $M/bad-magic.ko: ENOEXEC"
t_expect_contains "modules: bad relocation + bad parameter pointer: ENOEXEC (relocation first)" \
	"$out/calls" "init-badargs $M/bad-reloc-overflow.ko: ENOEXEC"
t_expect_contains "modules: a 200000-byte parameter string loads" "$out/calls" \
	"init-long $M/hello.ko 200000 count=7: ok"
t_expect_line "modules: ... and its parameter after the padding is set" "$out/calls" "7"
t_expect_contains "modules: EBADF closed fd" "$out/calls" "finit-fd 99: EBADF"
t_expect_contains "modules: EBADF fd not open for reading" "$out/calls" "finit-wronly $M/hello.ko: EBADF"
t_expect_contains "modules: ETXTBSY file open for writing" "$out/calls" "finit-busy $M/hello.ko: ETXTBSY"
t_expect_contains "modules: EINVAL bad flags" "$out/calls" "finit $M/hello.ko 8: EINVAL"
t_expect_contains "modules: EINVAL not a regular file" "$out/calls" "finit $M: EINVAL"
t_expect_contains "modules: EINVAL empty file" "$out/calls" "finit /tmp/empty.ko: EINVAL"
t_expect_contains "modules: EINVAL COMPRESSED_FILE on a plain file" "$out/calls" "finit $M/hello.ko 4: EINVAL"
t_expect_contains "modules: EFAULT delete_module name" "$out/calls" "delete-badptr: EFAULT"
t_expect_contains "modules: ENOENT delete_module unknown" "$out/calls" "delete nosuch: ENOENT"
t_expect_contains "modules: EPERM without CAP_SYS_MODULE" "$out/calls" "init $M/hello.ko: EPERM"
t_expect_contains "modules: EPERM delete without CAP_SYS_MODULE" "$out/calls" "delete hello: EPERM"
t_expect_contains "modules: ENOEXEC IGNORE_VERMAGIC without forced loading" "$out/calls" "finit $M/hello.ko 2: ENOEXEC"
t_expect_contains "modules: init_module loads" "$out/calls" "init $M/hello.ko: ok"
n=$(grep -c "finit $M/exporter.ko: EPERM" "$out/calls")
[ "$n" -ge 1 ] && t_pass "modules: EPERM with modules_disabled=1" ||
	t_fail "modules: EPERM with modules_disabled=1" "$(tail -n 3 "$out/calls")"

# Forced loads are the host's call: with --force-load an IGNORE_VERMAGIC load
# goes through and taints F (without it: ENOEXEC, checked above).
t_run forced --force-load -c "mv-modcall finit $M/hello.ko 2" -c 'cat /sys/module/hello/taint'
t_expect_contains "modules: IGNORE_VERMAGIC loads when the host permits forcing" "$out/forced" \
	"finit $M/hello.ko 2: ok"
grep -qxE 'P?FO?E?' "$out/forced" && t_pass "modules: a forced load taints F" ||
	t_fail "modules: a forced load taints F" "no taint line with F"

# Every parameter type of hello.ko, set at insmod and read back from /sys in
# Linux's formats, written through /sys where the mode allows; a Proprietary licence taints P (module and kernel); an
# importer holds a reference on its exporter, shown by refcnt, lsmod and
# /proc/modules.
P=/sys/module/hello/parameters
t_run types -c "insmod $M/hello.ko 'who=\"a b\"' count=-7 ids=4,5 verbose=y quiet=n b=255 s=-32768 us=65535 ui=4294967295 l=-9223372036854775808 ul=18446744073709551615 ull=18446744073709551615 hx=0x1f tag=xyz debug-level=2 mask=3,4,5" \
	-c "cat $P/who $P/count $P/ids $P/verbose $P/quiet $P/b $P/s $P/us $P/ui $P/l $P/ul $P/ull $P/hx $P/tag $P/debug_level $P/mask" \
	-c "sh -c 'echo 9 > $P/count'" -c "cat $P/count" -c "sh -c 'echo 1 > $P/b || echo refused'" \
	-c "insmod $M/proprietary.ko" -c 'cat /sys/module/proprietary/taint /proc/sys/kernel/tainted' \
	-c "insmod $M/exporter.ko" -c "insmod $M/importer.ko" -c 'cat /sys/module/exporter/refcnt' \
	-c 'lsmod' -c 'cat /proc/modules'
t_expect_status "modules: every parameter type, P taint, references: exit 0" 0 "$st"
want=$(printf '%s\n' 'a b' -7 4,5 Y N 255 -32768 65535 4294967295 -9223372036854775808 \
	18446744073709551615 18446744073709551615 0x00001f xyz 2 3,4,5)
if [ "$(grep -A15 -xF 'a b' "$out/types" | head -n 16)" = "$want" ]; then
	t_pass "modules: charp, int, array, bool, invbool, byte, short, ushort, uint, long, ulong, ullong, hexint, string, named, named array read back from /sys"
else
	t_fail "modules: every parameter type reads back from /sys" "$(grep -A15 -xF 'a b' "$out/types" | tr '\n' ' ')"
fi
t_expect_line "modules: a 0644 parameter written through /sys reads back" "$out/types" "9"
t_expect_contains "modules: a 0444 parameter refuses a write (EACCES, as sysfs)" "$out/types" \
	"can't create $P/b: Permission denied"
grep -qxE 'PO?E?' "$out/types" && t_pass "modules: a Proprietary module's taint has P" ||
	t_fail "modules: a Proprietary module's taint has P" "no taint line starting with P"
tainted=$(grep -A1 -xE 'PO?E?' "$out/types" | sed -n 2p)
[[ $tainted =~ ^[0-9]+$ ]] && [ $(( tainted & 1 )) -ne 0 ] && t_pass "modules: kernel tainted P (bit 0, $tainted)" ||
	t_fail "modules: kernel tainted P" "no tainted value with bit 0"
t_expect_line "modules: the exporter's refcnt is 1 while importer uses it" "$out/types" "1"
grep -qE '^exporter +[0-9]+ +1 importer$' "$out/types" && t_pass "modules: lsmod shows importer using exporter" ||
	t_fail "modules: lsmod shows importer using exporter" "$(grep '^exporter' "$out/types" | head -n 1)"
grep -qE '^exporter [0-9]+ 1 importer, Live 0x[0-9a-f]+ \([A-Z]+\)$' "$out/types" &&
	t_pass "modules: /proc/modules lists importer in exporter's used-by column" ||
	t_fail "modules: /proc/modules lists importer in exporter's used-by column" "$(grep '^exporter ' "$out/types" | tail -n 1)"

# Every deliberately broken module of images/modules/expected-errors.txt, end to
# end (guest loader and host authority), with the errno its row names.
cmds=(-c "insmod $M/exporter.ko")
rows=()
while read -r mod err needs how rest; do
	case $mod in bad-*) ;; *) continue ;; esac
	rows+=("$mod:$err")
	cmds+=(-c "mv-modcall finit $M/$mod")
done <<<"$(grep -v '^#' images/modules/expected-errors.txt)"    # no <(...): /dev/fd may be missing
t_run table "${cmds[@]}"
[ "${#rows[@]}" -ge 15 ] && t_pass "modules: ${#rows[@]} broken modules in the table" ||
	t_fail "modules: broken modules in the table" "only ${#rows[@]}"
for r in "${rows[@]}"; do
	t_expect_contains "modules: ${r%%:*} gives ${r#*:} in the guest" "$out/table" "finit $M/${r%%:*}: ${r#*:} ("
done

# A live module's text is read-only in the guest's page tables: the first
# module loaded sits at the start of the module area (0xffffffffa0000000), and
# fault-pf.ko's init writing there takes a contained #PF (EFAULT).
t_run wx -c "insmod $M/exporter.ko" -c 'cat /proc/modules' \
	-c "insmod $M/fault-pf.ko addr=0xffffffffa0000000" -c 'cat /proc/modules'
t_expect_contains "modules: the first module's text is at the module area's start" "$out/wx" \
	"exporter 12288 0 - Live 0xffffffffa0000000"
t_expect_line "modules: a write to a live module's text faults (EFAULT)" "$out/wx" \
	"insmod: can't insert '$M/fault-pf.ko': Bad address"
t_expect_absent "modules: ... and does not land" "$out/wx" "fault-pf: still alive?"

# A module's /proc entries (images/modules/procdemo.c, written as for Linux with
# <linux/proc_fs.h> and <linux/seq_file.h>): read through seq_file, written through
# copy_from_user, gone after rmmod; a file held open across rmmod then reads EIO.
t_run procfs -c "insmod $M/procdemo.ko lines=2" -c 'ls -l /proc/procdemo' \
	-c 'cat /proc/procdemo/lines' -c 'echo @status' -c 'cat /proc/procdemo/status' \
	-c 'sh -c "echo first > /proc/procdemo/cmd; echo second > /proc/procdemo/cmd"' \
	-c 'cat /proc/procdemo/status' -c 'dd if=/proc/procdemo/lines bs=1 skip=5 count=6 status=none' \
	-c 'echo' -c 'sh -c "exec 3</proc/procdemo/lines; rmmod procdemo; ls /proc/procdemo; cat <&3 || echo held-eio"'
t_expect_contains "procfs: proc_mkdir and proc_create make the entries" "$out/procfs" \
	"--w-------    1 root     root             0"
t_expect_contains "procfs: seq_printf/seq_puts/seq_putc through single_open" "$out/procfs" \
	"$(printf 'line 1 of 2\nline 2 of 2\nend')"
t_expect_line "procfs: proc_create_single (mode 0 reads as 0444)" "$out/procfs" "writes: 0"
t_expect_line "procfs: proc_write with copy_from_user" "$out/procfs" "last: second"
t_expect_line "procfs: ... called once per write" "$out/procfs" "writes: 2"
t_expect_line "procfs: a read at an offset (seq_read's *ppos)" "$out/procfs" "1 of 2"
t_expect_contains "procfs: remove_proc_entry at rmmod removes the directory" "$out/procfs" \
	"ls: /proc/procdemo: No such file or directory"
t_expect_contains "procfs: a file open across the removal reads EIO" "$out/procfs" \
	"$(printf 'cat: read error: Input/output error\nheld-eio')"

# A parameter string is bounded only by memory: 36 MB in a 64 MiB guest (4 MiB
# of it the module region) cannot be copied into the kernel (ENOMEM, where
# Linux's strndup_user fails too).
t_run enomem --mem 64 -c "mv-modcall init-long $M/hello.ko 36000000 count=7"
t_expect_contains "modules: a parameter string larger than free memory: ENOMEM" "$out/enomem" \
	"init-long $M/hello.ko 36000000 count=7: ENOMEM"

# finit_module of a plain file larger than the host copies (64 MiB): EFBIG.
t_run efbig --mem 256 -c 'truncate -s 65M /tmp/big.ko' -c 'mv-modcall finit /tmp/big.ko'
t_expect_contains "modules: EFBIG for a file over 64 MiB" "$out/efbig" "finit /tmp/big.ko: EFBIG"
t_done
