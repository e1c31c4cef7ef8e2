#!/usr/bin/env bash
# tests/e2e/t-polish.sh: busybox dmesg (syslog(2) and the kernel log ring), free and
# uptime (sysinfo(2)), zcat /proc/config.gz, and a --mem too small for the initrd: refused at setup by the
# VMM, or named by the guest when unpacking runs out anyway.
cd "$(dirname "$0")/../.."
. tests/lib.sh
OUT=$T_DIR

# section FILE FROM TO: the lines of FILE between the marker lines FROM and TO.
section() {
	sed -n "/^$2\$/,/^$3\$/p" "$1" | sed '1d;$d'
}

# many_files_cpio OUT DIRS FILES: a newc archive of DIRS directories of FILES
# one-byte files; each costs the guest's file system far more than its
# 124 bytes of archive (an inode, a name, a data block).
many_files_cpio() {
	local out=$1 dirs=$2 files=$3 d f ino=1
	# magic, ino mode uid gid nlink mtime filesize devmajor devminor rdevmajor rdevminor namesize check
	local h='070701%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X'
	{
		for ((d = 0; d < dirs; d++)); do
			printf "$h"'d%03d\0\0' $((ino++)) $((0040755)) 0 0 2 0 0 0 0 0 0 5 0 "$d"
			for ((f = 0; f < files; f++)); do
				printf "$h"'d%03d/f%03d\0x\0\0\0' $((ino++)) $((0100644)) 0 0 1 0 1 \
					0 0 0 0 10 0 "$d" "$f"
			done
		done
		printf "$h"'TRAILER!!!\0\0\0\0' 0 0 0 0 1 0 0 0 0 0 0 11 0
	} >"$out"
}

# ---- dmesg, free, uptime: one boot ------------------------------------------
t_run_split tools --mem 64 -c 'insmod /lib/modules/hello.ko who=polish' \
	-c 'echo @dmesg' -c 'dmesg' -c 'echo @raw' -c 'dmesg -r' \
	-c 'echo @free' -c 'free' -c 'echo @uptime' -c 'uptime' \
	-c 'echo @clear' -c 'dmesg -c' -c 'echo @after' -c 'dmesg' -c 'echo @end' \
	-c 'zcat /proc/config.gz' -c 'echo @config-end'
t_expect_status "tools: every command succeeds" 0 "$st"
section "$OUT/tools.out" @dmesg @raw >"$OUT/dmesg"
section "$OUT/tools.out" @raw @free >"$OUT/raw"
t_expect_contains "dmesg: the boot banner" "$OUT/dmesg" \
	'modvisor guest 0.1.0 (6.1.0-modvisor): 64 MiB RAM, cmdline "", ABI 1'
t_expect_contains "dmesg: the module's pr_info from init" "$OUT/dmesg" "hello: hello, polish (1/1)"
if grep -qvE '^\[ *[0-9]+\.[0-9]{6}\] ' "$OUT/dmesg"; then
	t_fail "dmesg: every line timestamped, no <level>" "$(grep -vE '^\[ *[0-9]+\.[0-9]{6}\] ' "$OUT/dmesg" | head -n 1)"
else
	t_pass "dmesg: every line timestamped, no <level>"
fi
t_expect_contains "dmesg -r: pr_info is level 6" "$OUT/raw" "<6>["
if grep -qE '^<6>\[ *[0-9]+\.[0-9]{6}\] hello: hello, polish \(1/1\)$' "$OUT/raw"; then
	t_pass "dmesg -r: Linux's record format"
else
	t_fail "dmesg -r: Linux's record format" "no '<6>[    s.us] hello: ...' line"
fi
section "$OUT/tools.out" @end @config-end >"$OUT/config"
if cmp -s "$OUT/config" build/images/kernel.config; then
	t_pass "zcat /proc/config.gz: the configuration the kernel was built with"
else
	t_fail "zcat /proc/config.gz: the configuration the kernel was built with" \
		"$(diff "$OUT/config" build/images/kernel.config | head -n 5)"
fi
t_expect_line "/proc/config.gz: IKCONFIG_PROC" "$OUT/config" "CONFIG_IKCONFIG_PROC=y"
t_expect_line "/proc/config.gz: the guest's compiler" "$OUT/config" \
	"CONFIG_CC_VERSION_TEXT=\"$(${GUEST_CC:-gcc} --version | head -n 1)\""
if [ -z "$(section "$OUT/tools.out" @after @end)" ] &&
   section "$OUT/tools.out" @clear @after | grep -qF "hello: hello, polish"; then
	t_pass "dmesg -c: prints, then clears"
else
	t_fail "dmesg -c: prints, then clears" "$(section "$OUT/tools.out" @after @end | head -n 2)"
fi
# busybox free counts KiB: 64 MiB is 65536; free below total, above 0.
# (No process substitution: the emulated host has no /dev/fd.)
set -- $(section "$OUT/tools.out" @free @uptime | awk '/^Mem:/ { print $2, $3, $4 }')
total=$1 used=$2 free=$3
if [ "${total:-0}" -eq 65536 ] && [ "${free:-0}" -gt 0 ] && [ "$free" -lt "$total" ] &&
   [ "$((used + free))" -eq "$total" ]; then
	t_pass "free: total is --mem, used + free = total"
else
	t_fail "free: total is --mem, used + free = total" "total=$total used=$used free=$free"
fi
if section "$OUT/tools.out" @uptime @clear |
   grep -qE '^ *[0-9]{2}:[0-9]{2}:[0-9]{2} up +[0-9]+ min, .*load average: 0\.00, 0\.00, 0\.00$'; then
	t_pass "uptime: time, up N min, load average"
else
	t_fail "uptime: time, up N min, load average" "$(section "$OUT/tools.out" @uptime @clear)"
fi

# ---- --mem too small for the default initrd: refused at setup ----------------
t_run_split small --mem 16 -c true
t_expect_status "--mem 16: refused before boot (an unusable option, 2)" 2 "$st"
t_expect_contains "--mem 16: names the sizes" "$OUT/small.err" "and the initrd ("
need=$(sed -n 's/.*need at least \([0-9]*\) MiB of guest RAM, not 16 MiB: raise --mem.*/\1/p' "$OUT/small.err")
if [ -n "$need" ]; then t_pass "--mem 16: names the minimum ($need MiB)"; else
	t_fail "--mem 16: names the minimum" "$(head -n 2 "$OUT/small.err")"; need=128
fi
t_expect_absent "--mem 16: the guest never ran" "$OUT/small.err" "kernel panic"
t_run_split enough --mem "$need" -c true
t_expect_status "--mem $need (the minimum named): busybox runs" 0 "$st"

# ---- the guest runs out anyway (tiny files cost more than the archive) -------
many_files_cpio "$OUT/many.cpio" 170 200
t_run_split many_small --mem 16 --initrd "$OUT/many.cpio"
need=$(sed -n 's/.*need at least \([0-9]*\) MiB of guest RAM.*/\1/p' "$OUT/many_small.err")
t_run_split many --mem "${need:-16}" --initrd "$OUT/many.cpio"
t_expect_status "initrd of 34000 files in ${need:-16} MiB: the guest's panic" 111 "$st"
t_expect_contains "initrd out of memory: names the file" "$OUT/many.err" \
	"kernel panic: initrd: out of memory unpacking /d"
t_expect_contains "initrd out of memory: RAM and a --mem to try" "$OUT/many.err" \
	"MiB RAM, a 4136 KiB initrd); try --mem "
t_done
