#!/usr/bin/env bash
# t-fs.sh: boot suite for the guest file system: the initrd, busybox applets, /proc and /sys, errnos.
# Run where KVM is usable (tests/e2e/run.sh, inside `modvisor with-kvm`).
cd "$(dirname "$0")/../.."
. tests/lib.sh
out=$T_DIR

# The default initrd: busybox applet links, modules, test programs.
t_run ls -c 'ls -l /lib/modules' -c 'ls -l /bin/cat /sbin/insmod' -c 'ls /'
t_expect_status "fs: ls runs" 0 "$st"
t_expect_contains "fs: /lib/modules has hello.ko" "$out/ls" "hello.ko"
t_expect_contains "fs: /bin/cat is a busybox link" "$out/ls" "/bin/cat -> busybox"
t_expect_contains "fs: /sbin/insmod is a busybox link" "$out/ls" "/sbin/insmod -> ../bin/busybox"
t_expect_contains "fs: ls / shows proc" "$out/ls" "proc"
t_expect_absent "fs: ls needs no missing syscall" "$out/ls" "not implemented"

# /proc/sys/kernel/tainted prints 0 (issue 3 acceptance) and /proc/self/exe.
t_run proc -c 'cat /proc/sys/kernel/tainted' -c 'readlink /proc/self/exe' -c 'cat /proc/version' \
	-c 'cat /proc/modules' -c 'ls -d /sys/module'
t_expect_status "fs: /proc reads" 0 "$st"
t_expect_contains "fs: tainted is 0" "$out/proc" "0"
t_expect_contains "fs: readlink /proc/self/exe" "$out/proc" "/bin/busybox"
t_expect_contains "fs: /proc/version names the release" "$out/proc" "Linux version 6.1.0-modvisor"
t_expect_contains "fs: /sys/module exists" "$out/proc" "/sys/module"
t_expect_absent "fs: cat needs no missing syscall" "$out/proc" "not implemented"
[ "$(head -n 1 "$out/proc")" != "" ] && grep -qx '0' "$out/proc" && t_pass "fs: tainted line is exactly 0" ||
	t_fail "fs: tainted line is exactly 0" "$(head -n 3 "$out/proc")"

# Writing files: the shell's redirection, then cat, cp, mv, rm, ln, wc.
t_run files -c 'mkdir -p /tmp/d/e' -c 'sh -c "echo hello file > /tmp/d/e/f"' -c 'cat /tmp/d/e/f' \
	-c 'cp /tmp/d/e/f /tmp/g' -c 'mv /tmp/g /tmp/h' -c 'ln -s /tmp/h /tmp/l' -c 'cat /tmp/l' \
	-c 'wc -c /tmp/h' -c 'rm /tmp/h' -c 'ls /tmp' -c 'sh -c "echo more >> /tmp/d/e/f"' \
	-c 'cat /tmp/d/e/f' -c 'stat -c %s:%h:%F /tmp/d/e/f /tmp/d'
t_expect_status "fs: file commands" 0 "$st"
t_expect_contains "fs: echo > file, cat" "$out/files" "hello file"
t_expect_contains "fs: wc -c of the copy" "$out/files" "11 /tmp/h"
t_expect_contains "fs: >> appends" "$out/files" "more"
t_expect_contains "fs: stat of a file" "$out/files" "16:1:regular file"
t_expect_contains "fs: stat of a dir (nlink 3)" "$out/files" "0:3:directory"
t_expect_absent "fs: file commands need no missing syscall" "$out/files" "not implemented"

# modules_disabled: 0 -> 1 works, 1 -> 0 fails with EINVAL.
t_run sysctl -c 'cat /proc/sys/kernel/modules_disabled' \
	-c 'sh -c "echo 1 > /proc/sys/kernel/modules_disabled"' \
	-c 'cat /proc/sys/kernel/modules_disabled' \
	-c 'sh -c "echo 0 > /proc/sys/kernel/modules_disabled"'
t_expect_status "fs: modules_disabled 1 -> 0 fails" 1 "$st"
t_expect_contains "fs: modules_disabled reads 1 after writing 1" "$out/sysctl" "1"
t_expect_contains "fs: writing 0 says EINVAL" "$out/sysctl" "Invalid argument"

# The errno checkers (their own "ok - " lines on stdout, apart from the kernel's messages), glibc and musl builds, and the sysctl checker.
for prog in mv-fs-errno mv-fs-errno-musl; do
	[ -x "build/images/progs/$prog" ] || continue
	t_run_split "$prog" -- "$prog"
	t_relay "$prog: " "$out/$prog.out"
	t_expect_status "fs: $prog exit status" 0 "$st"
done
t_run_split cloexec -- mv-fs-errno cloexec
t_relay "cloexec: " "$out/cloexec.out"
t_expect_status "fs: mv-fs-errno cloexec exit status" 0 "$st"
t_run_split errsys -- mv-fs-errno sysctl
t_relay "sysctl: " "$out/errsys.out"
t_expect_status "fs: mv-fs-errno sysctl exit status" 0 "$st"

# mv-dropcap drops CAP_SYS_MODULE and execs its command.
t_run dropcap -c 'mv-dropcap echo dropped' -c 'df /' -c 'cat /proc/mounts'
t_expect_status "fs: mv-dropcap, df" 0 "$st"
t_expect_contains "fs: mv-dropcap runs its command" "$out/dropcap" "dropped"
t_expect_contains "fs: /proc/mounts lists the root" "$out/dropcap" "ramfs / ramfs rw 0 0"
t_expect_contains "fs: df / finds the root file system" "$out/dropcap" "ramfs                        0         0         0   0% /"

# Attributes and modinfo through modules.dep.
t_run attrs -c 'touch -d "2020-01-02 03:04:05" /tmp/t' -c 'chown 5:6 /tmp/t' -c 'chmod 640 /tmp/t' \
	-c 'ls -ln /tmp/t' -c 'modinfo -F license /lib/modules/hello.ko'
t_expect_status "fs: touch, chown, chmod, modinfo" 0 "$st"
t_expect_contains "fs: ls -ln shows mode, owner and mtime" "$out/attrs" "-rw-r-----    1 5        6                0 Jan  2  2020 /tmp/t"
t_expect_contains "fs: modinfo reads the license" "$out/attrs" "GPL"

# --add puts host files into the guest; a malformed archive is a clear boot error.
printf 'added by the host\n' >"$out/added.txt"
t_run add --add "$out/added.txt:/lib/modules/added.txt" -- cat /lib/modules/added.txt
t_expect_status "fs: --add file readable" 0 "$st"
t_expect_contains "fs: --add content" "$out/add" "added by the host"
head -c 300 build/images/initrd.cpio >"$out/bad.cpio"
printf 'X' | dd of="$out/bad.cpio" bs=1 seek=8 conv=notrunc 2>/dev/null
t_run badcpio --initrd "$out/bad.cpio" -- echo unreachable
if [ "$st" -ne 0 ]; then t_pass "fs: malformed initrd stops the boot"; else
	t_fail "fs: malformed initrd stops the boot" "status 0"; fi
t_expect_contains "fs: malformed initrd names the field" "$out/badcpio" "c_ino: not a hex digit"
t_expect_absent "fs: malformed initrd does not run commands" "$out/badcpio" "unreachable"
t_done
