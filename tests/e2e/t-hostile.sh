#!/usr/bin/env bash
# tests/e2e/t-hostile.sh: the hostile-guest suite.  Ring-0 guests built from
# images/testguests/hostile.S attack the host (bad GPAs and lengths in every
# nested buffer, unknown numbers, wrong headers, stray I/O and MMIO, storms, a
# changing image, log-forging names, garbage fault reports, loops).  Each must
# end with a documented status and diagnostic, or an error returned to the
# guest; the host never dies of a signal or a sanitizer report (run with
# MV=<an ASan+UBSan modvisor> to check that), and its measurement log still
# verifies with nothing forged in it.  The cases are listed in docs/security.md.
cd "$(dirname "$0")/../.."
. tests/lib.sh
TG=build/images/testguests
HPFX=                                   # name prefix of the ASan pass
OUT=$T_DIR

# hboot CASE [ARGS...]: boot hg-CASE in 16 MiB with a fresh measurement log
# ($OUT/CASE.log); sets $st, output in $OUT/CASE.{out,err}.
hboot() {
	local c=$1
	shift
	t_boot_guest "$c" "$TG/hg-$c.elf" --mem 16 "$@"
}

# host_ok CASE [WANT]: the host survived CASE: no signal (a status >= 128
# other than the expected WANT), no sanitizer report, and the log verifies
# (start to end entry).
host_ok() {
	local c=$1 want=${2:-0}
	if [ "$st" -ge 128 ] && [ "$st" != "$want" ]; then
		t_fail "hostile-$HPFX$c: host survives" "status $st: killed by signal $((st - 128))"
	elif grep -qE 'AddressSanitizer|LeakSanitizer|UndefinedBehaviorSanitizer|runtime error:' \
		"$OUT/$c.err"; then
		t_fail "hostile-$HPFX$c: host survives" "sanitizer report"
		grep -E 'Sanitizer|runtime error' "$OUT/$c.err" | head -n 5 | sed 's/^/    | /'
	else
		t_pass "hostile-$HPFX$c: host survives"
	fi
	if $MV log verify "$OUT/$c.log" >"$OUT/$c.verify" 2>&1; then
		t_pass "hostile-$HPFX$c: log verifies"
	else
		t_fail "hostile-$HPFX$c: log verifies" "$(head -c 300 "$OUT/$c.verify")"
	fi
}

# hcase CASE STATUS NEEDLE...: CASE stops with STATUS, stderr has each NEEDLE.
hcase() {
	local c=$1 want=$2 n
	shift 2
	hboot "$c"
	t_expect_status "hostile-$c: exit status" "$want" "$st"
	for n in "$@"; do
		t_expect_contains "hostile-$c: says '$n'" "$OUT/$c.err" "$n"
	done
	host_ok "$c" "$want"
}

# log_entries CASE: the entry count `log verify` reports for CASE's log.
log_entries() {
	sed -nE 's/^ok, ([0-9]+) entries.*/\1/p' "$OUT/$1.verify"
}

# ---- the argument struct's GPA (RAM is 0x1000000 bytes) -------------------
hcase arg_past_ram 113 "MV_HC_CONSOLE: bad GPA 0x1000000 len 0x20: outside guest RAM"
hcase arg_straddle 113 "MV_HC_CONSOLE: bad GPA 0xfffff0 len 0x20"
hcase arg_top 113 "MV_HC_EXIT: bad GPA 0xffffffff len 0x18"

# ---- nested buffers and lengths -------------------------------------------
hcase con_buf_straddle 113 "MV_HC_CONSOLE: buf: bad GPA 0xfffff8 len 0x10: outside"
hcase con_buf_wrap 113 "buf: bad GPA 0xffffffffffffffff len 0x2: GPA + len overflows"
hcase con_len_huge 115 "len 4294967295 exceeds MV_CONSOLE_MAX (65536)"
hcase con_bad_stream 115 "stream 0 is neither 1 (stdout) nor 2 (stderr)"
hcase con_max_ok 0
# (Its bytes are the guest's own code, which holds "modvisor:" at a line
# start: the host marks such a guest line "guest: " (vmm/console_guard.c).)
t_expect_status "hostile-con_max_ok: a write of exactly MV_CONSOLE_MAX bytes passes" \
	65536 "$(perl -0777 -pe 's/guest: modvisor:/modvisor:/g' "$OUT/con_max_ok.out" | wc -c)"
hcase load_img_past_ram 113 "MV_HC_MODULE_LOAD: image: bad GPA 0x2000000 len 0x10"
hcase load_img_straddle 113 "MV_HC_MODULE_LOAD: image: bad GPA 0xfff000 len 0x2000: outside"
hcase load_img_wrap 113 "image: bad GPA 0xfffffffffffff000 len 0x2000: GPA + len overflows"
hcase load_file_straddle 113 "MV_HC_MODULE_LOAD: file: bad GPA 0xffff00 len 0x200: outside"
hcase load_file_wrap 113 "file: bad GPA 0xffffffffffffff00 len 0x200: GPA + len overflows"

# Lengths the host answers with an error (the guest exits with the errno).
hcase load_len0 8                        # ENOEXEC: shorter than an ELF header
t_expect_contains "hostile-load_len0: logged as a denied 0-byte load" \
	"$OUT/load_len0.log" '"size":0,'
t_expect_absent "hostile-load_len0: no params sent (GPA 0), no params logged" \
	"$OUT/load_len0.log" '"params"'
hcase load_too_big 27                    # EFBIG: larger than MV_MODLOAD_IMAGE_MAX
t_expect_contains "hostile-load_too_big: logged unmeasured" "$OUT/load_too_big.log" \
	'"size":67108865,"sig"'
hcase load_bad_source 115 "MV_HC_MODULE_LOAD: source 3 is neither"
hcase load_bad_flags 115 "MV_HC_MODULE_LOAD: flags 0x80 outside MODULE_INIT_*"
hcase load_params_straddle 113 "MV_HC_MODULE_LOAD: params: bad GPA 0xffff00 len 0x200: outside"
hcase load_params_long 115 "MV_HC_MODULE_LOAD: params_len 1025 exceeds MV_MODLOAD_PARAMS_MAX (1024)"
hcase load_params_flags 115 "MV_HC_MODULE_LOAD: params_flags 0x4 outside MV_MODPARAMS_*"
hcase event_unknown_id 115 "MV_HC_MODULE_EVENT: load_id 3735928559 was never issued"
t_expect_absent "hostile-event_unknown_id: no event logged for it" \
	"$OUT/event_unknown_id.log" '"type":"event"'
hcase event_denied_id 115 "MV_HC_MODULE_EVENT: load_id 1 was denied; no event can follow it"
t_expect_absent "hostile-event_denied_id: no 'loaded' logged for a denied load" \
	"$OUT/event_denied_id.log" '"type":"event"'
hcase event_bad_kind 115 "MV_HC_MODULE_EVENT: unknown event 99 (refused and logged)"
t_expect_contains "hostile-event_bad_kind: the refusal is logged" "$OUT/event_bad_kind.log" \
	'"type":"refused","run":'

# ---- forged event sequences (issue 12, finding 7) ---------------------------
# Each guest embeds hello.ko and gets it allowed (--force-load, IGNORE flags),
# then reports events for it.  Each event must fit the load id's state:
# allowed -> init-started -> live -> unloaded, or -> failed / faulted.
# These guests never seal, so they run with --protect=off (below: with it on).
# hev CASE STATUS NEEDLE...: hcase with --force-load --protect=off.
hev() {
	local c=$1 want=$2 n
	shift 2
	hboot "$c" --force-load --protect=off
	t_expect_status "hostile-$c: exit status" "$want" "$st"
	for n in "$@"; do
		t_expect_contains "hostile-$c: says '$n'" "$OUT/$c.err" "$n"
	done
	host_ok "$c" "$want"
}
hev ev_good 0
t_expect_status "hostile-ev_good: loaded and unloaded logged, nothing refused" 2 \
	"$(grep -cE '"event":"(loaded|unloaded)"' "$OUT/ev_good.log")"
t_expect_absent "hostile-ev_good: no refusal" "$OUT/ev_good.log" '"type":"refused"'
hev ev_id0 115 "MV_HC_MODULE_EVENT: load_id 0 names no load" "(refused and logged)"
hev ev_replay 115 "loaded does not fit load_id 1, which is live"
t_expect_status "hostile-ev_replay: 'loaded' logged once of 50" 1 \
	"$(grep -c '"type":"event".*"event":"loaded"' "$OUT/ev_replay.log")"
t_expect_contains "hostile-ev_replay: the refusal is logged with the state" \
	"$OUT/ev_replay.log" '"load_id":1,"event":"loaded","name":"hostile","state":"live","why":"loaded does not fit load_id 1, which is live"'
hev ev_unload_twice 115 "unloaded does not fit load_id 1, which is unloaded"
hev ev_unload_early 115 "unloaded does not fit load_id 1, which is allowed"
hev ev_initfail_no_start 115 "init-failed does not fit load_id 1, which is allowed"
hev ev_after_fail 115 "loaded does not fit load_id 1, which is failed"
$MV log show "$OUT/ev_after_fail.log" >"$OUT/ev_after_fail.show" 2>&1
t_expect_contains "hostile-ev_after_fail: log show prints the refusal" \
	"$OUT/ev_after_fail.show" "REFUSED #1   hostile              loaded       state=failed"

# With protect = on (the default) a module never runs unsealed (issue 14):
# INIT_START for an allowed load that was never sealed stops the VM.
t_boot_guest ev_good_on "$TG/hg-ev_good.elf" --mem 16 --force-load
t_expect_status "hostile-ev_good_on: init without a seal stops the VM" 115 "$st"
t_expect_contains "hostile-ev_good_on: the diagnostic says why" "$OUT/ev_good_on.err" \
	"MV_HC_MODULE_EVENT: init-start for load_id 1, which was allowed but never sealed"
t_expect_contains "hostile-ev_good_on: the refusal is logged" "$OUT/ev_good_on.log" \
	'"event":"init-start","name":"hostile","state":"allowed","why":"init-start for load_id 1'
t_expect_absent "hostile-ev_good_on: nothing loaded is logged" "$OUT/ev_good_on.log" \
	'"event":"loaded"'
host_ok ev_good_on 115

# ---- unknown numbers, wrong struct versions and sizes ---------------------
hcase nr_11 112 "unknown hypercall 11 (port 0x50b)"
hcase nr_20 112 "unknown hypercall 20 (port 0x514)"
hcase hdr_abi0 114 "MV_HC_CONSOLE: header abi_version 0"
hcase hdr_abi2 114 "MV_HC_CONSOLE: header abi_version 2"
hcase hdr_size0 114 "MV_HC_CONSOLE: header size 0" "expected 32"
hcase hdr_size_huge 114 "header size 4294967295" "expected 32"
hcase hdr_load_size 114 "MV_HC_MODULE_LOAD: header size 464" "expected 472"
hcase hdr_event_size 114 "MV_HC_MODULE_EVENT: header size 112" "expected 136"

# ---- port I/O and MMIO ------------------------------------------------------
hcase io_inb 116 "in of 1 byte(s) to port 0x60, which is not a hypercall port"
hcase io_outw 116 "out of 2 byte(s) to port 0x80, which is not a hypercall port"
hcase io_inl_hc 116 "in of 4 byte(s) x1 on hypercall port 0x500"
hcase io_outb_hc 116 "out of 1 byte(s) x1 on hypercall port 0x500"
hcase io_outl_end 116 "port 0x520, which is not a hypercall port"
# `rep outsl` of two exit structs: KVM may report both dwords in one exit
# (refused: 116) or one per exit (the first is a plain MV_HC_EXIT with 7).
hboot io_rep_outs
case $st in
116|7) t_pass "hostile-io_rep_outs: refused (116) or one dword per hypercall (7): $st" ;;
*) t_fail "hostile-io_rep_outs: refused or one dword per hypercall" "status $st" ;;
esac
host_ok io_rep_outs
hcase mmio_read 117 "MMIO read of 4 byte(s) at GPA 0xc0000000"
hcase mmio_past_ram 117 "MMIO write of 8 byte(s) at GPA 0x1000000"

# ---- storms: end cleanly, in bounded time --------------------------------
hcase storm_nop 0
hcase storm_console 0
t_expect_status "hostile-storm_console: 10000 writes arrive" 10000 \
	"$(grep -c '^storm$' "$OUT/storm_console.out")"
hboot storm_load --fsync=close
t_expect_status "hostile-storm_load: 3000 loads end cleanly" 0 "$st"
host_ok storm_load
t_expect_status "hostile-storm_load: every attempt logged (start + 3000 + end)" 3002 \
	"$(log_entries storm_load)"

# ---- an image that changes between two loads (copy-once) ------------------
# One vCPU: the guest cannot write while the host handles its exit.  The guest
# flips a byte between two loads; the log holds exactly the two versions.
hcase race_flip 0
zero=$(head -c 4096 /dev/zero | sha256sum | cut -d' ' -f1)
one=$( { printf '\001'; head -c 4095 /dev/zero; } | sha256sum | cut -d' ' -f1)
# The whole image's digest ("digests"; "content_digests" is the signed content's).
image_digests() { grep -o '"digests":\["sha256:[0-9a-f]*"' "$1" | sed 's/.*\["/"/' | tr '\n' ' '; }
if [ "$(image_digests "$OUT/race_flip.log")" = "\"sha256:$zero\" \"sha256:$one\" " ]; then
	t_pass "hostile-race_flip: two loads, two whole-image digests, in order"
else
	t_fail "hostile-race_flip: two loads, two whole-image digests, in order" \
		"$(image_digests "$OUT/race_flip.log")"
fi

# ---- names that try to forge log lines -------------------------------------
# The event names a denied load: refused (115), and logged with its name.
hcase forge 115 "was denied; no event can follow it"
t_expect_status "hostile-forge: one log line per entry" "$(log_entries forge)" \
	"$(wc -l <"$OUT/forge.log")"
t_expect_status "hostile-forge: every line is the next entry" "$(log_entries forge)" \
	"$(awk -v n=0 'index($0, "{\"seq\":" n ",") == 1 { n++ } END { print n }' "$OUT/forge.log")"
t_expect_contains "hostile-forge: path newline escaped" "$OUT/forge.log" \
	'"path":"/lib/x.ko\"}\u000a{\"seq\":1,'
t_expect_contains "hostile-forge: name newline/ESC escaped" "$OUT/forge.log" \
	'"name":"n\"}\u000a{\"seq\":3,\"type\":\"end\",\"forged\":1}\u000d\u001b[K\u0001"'
$MV log show "$OUT/forge.log" >"$OUT/forge.show" 2>&1
t_expect_status "hostile-forge: log show prints one line per entry" "$(log_entries forge)" \
	"$(wc -l <"$OUT/forge.show")"
if LC_ALL=C grep -q $'[\x01-\x08\x0b-\x1f]' "$OUT/forge.show" "$OUT/forge.log"; then
	t_fail "hostile-forge: no raw control characters in log or show" "found"
else
	t_pass "hostile-forge: no raw control characters in log or show"
fi
# The IMA ascii list is line-based and '|' splits a name from its verdict:
# the same names stay on their line and add no field.
hboot forge --log-format=ima-ascii
t_expect_status "hostile-forge-ima: exit status" 115 "$st"
host_ok forge 115
t_expect_status "hostile-forge-ima: one line per entry" "$(log_entries forge)" \
	"$(wc -l <"$OUT/forge.log")"
t_expect_status "hostile-forge-ima: no forged '|' field" 0 \
	"$(awk -F'|' 'NF > 2' "$OUT/forge.log" | wc -l)"
hcase nonul 115
t_expect_status "hostile-nonul: unterminated path[256] cut at 255 bytes" 255 \
	"$(grep -oE '"path":"A+"' "$OUT/nonul.log" | tr -cd A | wc -c)"
t_expect_status "hostile-nonul: unterminated name[56] cut at 55 bytes" 55 \
	"$(grep -oE '"name":"B+"' "$OUT/nonul.log" | tr -cd B | wc -c)"

# ---- garbage fault report; exit statuses out of range ----------------------
hcase fault_garbage 122 "vector 18446744073709551615 (?) error 0xffffffffffffffff"
if LC_ALL=C grep -q $'\x1b\\|\x07' "$OUT/fault_garbage.err" ||
   grep -qx 'modvisor: exit status 0' "$OUT/fault_garbage.err"; then
	t_fail "hostile-fault_garbage: msg[] printed sanitized" "raw bytes or a forged line"
else
	t_pass "hostile-fault_garbage: msg[] printed sanitized"
fi
hcase exit_big 69                        # 0x12345 & 0xff
hcase exit_neg 255                       # -1 & 0xff

# ---- an initrd larger than RAM; the boot info the guest sees --------------
head -c $((20 << 20)) /dev/zero >"$OUT/big.cpio"
$MV run --accel=kvm --mem 16 --initrd "$OUT/big.cpio" --log "$OUT/big.log" \
	--kernel "$TG/hg-exit_big.elf" >/dev/null 2>"$OUT/big.err"
t_expect_status "hostile-initrd_too_big: refused before boot (2)" 2 "$?"
t_expect_contains "hostile-initrd_too_big: says why" "$OUT/big.err" \
	"do not fit in 16 MiB of guest RAM: raise --mem"
head -c $((12 << 20)) /dev/zero >"$OUT/fits.cpio"
hboot bootinfo_sane --initrd "$OUT/fits.cpio"
t_expect_status "hostile-bootinfo_sane: memory map tiles RAM, initrd inside it" 0 "$st"
host_ok bootinfo_sane

# ---- the watchdog -----------------------------------------------------------
hboot loop --timeout 1
t_expect_status "hostile-loop: --timeout 1 stops a guest spinning in ring 0" 110 "$st"
t_expect_contains "hostile-loop: says so" "$OUT/loop.err" \
	"watchdog: the guest was still running after --timeout 1 s"
host_ok loop
hboot loop_hc --timeout 1
t_expect_status "hostile-loop_hc: --timeout 1 stops a hypercall loop" 110 "$st"
host_ok loop_hc
$MV run --accel=kvm --timeout 1x --kernel "$TG/hg-loop.elf" >/dev/null 2>"$OUT/to.err"
t_expect_status "hostile-timeout-usage: a bad --timeout is a usage error" 2 "$?"
t_expect_contains "hostile-timeout-usage: says why" "$OUT/to.err" "--timeout '1x'"

# ---- the attacks that reach the most host code, against ASan+UBSan ---------
# tests/run.sh builds build/asan/modvisor (tests/fuzz/sanitize.sh) before the
# boot suites; a copy older than $MV is stale and skipped.
ASAN_MV=${MV_HOSTILE_ASAN:-build/asan/modvisor}
if [ -x "$ASAN_MV" ] && ! [ "$MV" -nt "$ASAN_MV" ]; then
	export ASAN_OPTIONS=detect_leaks=1:detect_stack_use_after_return=1
	export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
	MV=$ASAN_MV HPFX=asan-
	for spec in con_buf_wrap:113 con_max_ok:0 load_img_wrap:113 load_file_wrap:113 \
		load_len0:8 load_too_big:27 event_unknown_id:115 event_denied_id:115 \
		hdr_size_huge:114 \
		io_rep_outs:116,7 mmio_past_ram:117 race_flip:0 forge:115 nonul:115 \
		fault_garbage:122 storm_console:0 loop_hc:110; do
		c=${spec%%:*} want=${spec#*:}
		[ "$c" = loop_hc ] && hboot "$c" --timeout 1 || hboot "$c"
		case ",$want," in
		*",$st,"*) t_pass "hostile-asan-$c: exit status $st" ;;
		*) t_fail "hostile-asan-$c: exit status" "status $st, want $want" ;;
		esac
		host_ok "$c" "$want"
	done
else
	t_skip "hostile-asan: the hostile guests against an ASan+UBSan modvisor" \
		"no current ASan build at $ASAN_MV (make check's sanitize phase builds it)"
fi
t_done
