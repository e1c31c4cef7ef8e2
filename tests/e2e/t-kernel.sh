#!/usr/bin/env bash
# tests/e2e/t-kernel.sh: the real guest kernel: banner, kernel exceptions reported to
# the host (mv.selftest=), the fault-recovery hook, W^X, and a bad command record.
cd "$(dirname "$0")/../.."
. tests/lib.sh
OUT=$T_DIR

t_run_split banner --initrd none --mem 96 --cmdline "hello world"
t_expect_status "banner: exit status 0 without commands" 0 "$st"
t_expect_contains "banner: memory, cmdline, ABI" "$OUT/banner.err" \
	'modvisor guest 0.1.0 (6.1.0-modvisor): 96 MiB RAM, cmdline "hello world", ABI 1'

t_run_split pf --initrd none --cmdline "mv.selftest=pagefault"
t_expect_status "kernel #PF: stops with the fault status" 122 "$st"
t_expect_contains "kernel #PF: the guest names it" "$OUT/pf.err" \
	"kernel fault: #PF page fault (vector 14, error 0x0) at rip 0xffffffff8"
t_expect_contains "kernel #PF: the host reports vector and cr2" "$OUT/pf.err" "cr2 0xffffffffc0dead00"

t_run_split ud --initrd none --cmdline "mv.selftest=ud"
t_expect_status "kernel #UD: stops with the fault status" 122 "$st"
t_expect_contains "kernel #UD: named" "$OUT/ud.err" "#UD invalid opcode (vector 6"

t_run_split recover --initrd none --cmdline "quiet mv.selftest=recover"
t_expect_status "fault recovery hook: boot goes on" 0 "$st"
t_expect_contains "fault recovery hook: saw the #PF" "$OUT/recover.err" \
	"selftest: recovered from vector 14"

t_run_split nmi --initrd none --cmdline "quiet mv.selftest=nmi"
t_expect_status "NMI path under the recovery hook: boot goes on" 0 "$st"
t_expect_contains "NMI path: recovered as vector 2" "$OUT/nmi.err" \
	"selftest: recovered from vector 2"

# W^X of the kernel image: writes to .text and .rodata and a call into .data
# each take a #PF (recovered), with the write / instruction-fetch error bits.
t_run_split wx --initrd none --cmdline "quiet mv.selftest=wx"
t_expect_status "kernel W^X: boot goes on" 0 "$st"
t_expect_contains "kernel W^X: text and rodata read-only, data no-execute" "$OUT/wx.err" \
	"selftest: W^X holds"

# No file system in the image: a command cannot be found, status 127.
t_run_split nofs --initrd none -- echo hi
t_expect_status "no initrd: command not found" 127 "$st"
t_expect_contains "no initrd: says so" "$OUT/nofs.err" "echo: command not found"
t_done
