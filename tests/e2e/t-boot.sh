#!/usr/bin/env bash
# tests/e2e/t-boot.sh: the VMM against tiny ring-0 test guests (images/testguests/):
# console and exit work, and every kind of misbehaviour stops the VM with its own
# status and a diagnostic naming the cause.  Runs where KVM is usable (with-kvm).
cd "$(dirname "$0")/../.."
. tests/lib.sh
TG=build/images/testguests
OUT=$T_DIR

# expect CASE STATUS NEEDLE...: the guest stops with STATUS and stderr has each NEEDLE.
expect() {
	local c=$1 want=$2 n
	shift 2
	t_boot_guest "$c" "$TG/$c.elf"
	t_expect_status "boot-$c: exit status" "$want" "$st"
	for n in "$@"; do
		t_expect_contains "boot-$c: says '$n'" "$OUT/$c.err" "$n"
	done
}

t_boot_guest hello "$TG/hello.elf"
t_expect_status "boot-hello: guest's exit status comes back" 42 "$st"
t_expect_contains "boot-hello: console to stdout" "$OUT/hello.out" "testguest: hello on stdout"
t_expect_contains "boot-hello: console to stderr" "$OUT/hello.err" "testguest: hello on stderr"
t_expect_absent "boot-hello: stderr stays off stdout" "$OUT/hello.out" "on stderr"

expect pagefault 122 "guest kernel exception: vector 14 (#PF)" "rip 0xffffffff802" \
	"cr2 0x8000001000"
# (AMD's KVM resets the vCPU on shutdown, so the registers are not checked.)
expect triplefault 118 "shutdown (triple fault)" "KVM_EXIT_SHUTDOWN rip 0x"
expect badgpa 113 "MV_HC_CONSOLE: bad GPA 0xfff00000" "outside guest RAM" "rip 0x"
expect badbuf 113 "MV_HC_CONSOLE: buf: bad GPA 0x7ffffff0"
expect overflow 113 "bad GPA 0xfffffffffffffff0 len 0x100: GPA + len overflows"
expect badlen 115 "len 65537 exceeds MV_CONSOLE_MAX"
expect badnr 112 "unknown hypercall 31 (port 0x51f)"
expect badport 116 "port 0x3f8, which is not a hypercall port"
expect mmio 117 "MMIO write of 4 byte(s) at GPA 0xc0000000" "KVM_EXIT_MMIO"
expect badabi 114 "abi_version 99"
expect badsize 114 "header size 24" "expected 32"
expect hlt 121 "executed HLT" "KVM_EXIT_HLT"

# A malformed kernel is refused before anything runs, as an unusable input
# (status 2), naming the field (vmm/run_check.c loads it into scratch RAM).
head -c 100 "$TG/hello.elf" >"$OUT/short.elf"
$MV run --accel=kvm --initrd none --kernel "$OUT/short.elf" >/dev/null 2>"$OUT/short.err"
t_expect_status "boot-truncated-kernel: refused" 2 "$?"
t_expect_contains "boot-truncated-kernel: names the field" "$OUT/short.err" \
	"$OUT/short.elf: e_phoff: program headers extend past the end of the file"

# The boot info carries --cmdline, the packed -c/-- commands and the initrd
# with the --add archive appended 4-byte aligned; the guest echoes them back.
printf INITRD >"$OUT/i.cpio"
echo hi >"$OUT/f"
$MV run --accel=kvm --kernel "$TG/bootinfo.elf" --initrd "$OUT/i.cpio" \
	--cmdline 'console=hc quiet' --add "$OUT/f:/x/f" -c "echo 'a b'" -- ls -l \
	>"$OUT/bi.out" 2>"$OUT/bi.err"
t_expect_status "boot-bootinfo: guest sees 2 commands" 2 "$?"
printf 'console=hc quiet\002\0\0\0echo\0a b\0\002\0\0\0ls\0-l\0INITRD\0\0' >"$OUT/bi.want"
head -c 47 "$OUT/bi.out" >"$OUT/bi.head"    # no <(...): /dev/fd may be missing
if cmp -s "$OUT/bi.head" "$OUT/bi.want"; then
	t_pass "boot-bootinfo: cmdline, command records and initrd as packed"
else
	t_fail "boot-bootinfo: cmdline, command records and initrd as packed" \
		"$(head -c 47 "$OUT/bi.out" | od -c | head -n 4)"
fi
if [ "$(tail -c +48 "$OUT/bi.out" | cpio -it --quiet 2>&1 | tr '\n' ' ')" = "x x/f " ]; then
	t_pass "boot-bootinfo: --add archive follows the initrd"
else
	t_fail "boot-bootinfo: --add archive follows the initrd" "cpio -t disagrees"
fi
t_done
