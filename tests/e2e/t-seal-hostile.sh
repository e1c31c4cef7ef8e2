#!/usr/bin/env bash
# tests/e2e/t-seal-hostile.sh: hostile guests against module sealing (MV_HC_MODULE_SEAL and
# UNSEAL).  Ring-0 guests built from images/testguests/hostile_seal.S get the embedded hello.ko
# allowed, place the bytes an honest kernel would have relocated (made at build time by
# mv-seal-fixture with the host's own re-derivation), then lie: a relocated byte changed after
# the verdict, an import pointing into the module's own code, overlapping sections, a section
# outside the module region, a region past RAM, a second load claimed at a sealed one's VAs, page
# tables that map a page elsewhere or not at all, exports the kernel or a sealed module exports
# already, a second seal, seals of unknown and denied load
# ids, unseals of a live and of a never-sealed load, seal after seal (each copy at its own VA)
# until the module region or the memory slots (lowered with MODVISOR_MAX_MEMSLOTS) run out.
# Each must end with the documented errno (the guest's exit status) or stop (115), with the
# reason in the measurement log; the host never dies of a signal or a sanitizer report, and the
# log verifies.
cd "$(dirname "$0")/../.."
. tests/lib.sh
TG=build/images/testguests
OUT=$T_DIR
FIX=$TG/seal-hello.inc

# sboot NAME [CASE]: boot hs-CASE (default NAME; $HSP-CASE with HSP=hsx: exporter.ko's guests)
# in 16 MiB (module region 1 MiB) with --force-load (the guest loads its module with IGNORE
# flags); sets $st; output in $OUT/NAME.{out,err}, the log as text in $OUT/NAME.show.
sboot() {
	t_boot_guest "$1" "$TG/${HSP:-hs}-${2:-$1}.elf" --mem 16 --force-load </dev/null
	"$MV" log show "$OUT/$1.log" >"$OUT/$1.show" 2>&1
}

# host_ok CASE WANT: no signal other than WANT, no sanitizer report, the log verifies.
host_ok() {
	local c=$1 want=$2
	if [ "$st" -ge 128 ] && [ "$st" != "$want" ]; then
		t_fail "seal-hostile-$c: host survives" "status $st: killed by signal $((st - 128))"
	elif grep -qE 'AddressSanitizer|LeakSanitizer|UndefinedBehaviorSanitizer|runtime error:' \
		"$OUT/$c.err"; then
		t_fail "seal-hostile-$c: host survives" "sanitizer report"
	else
		t_pass "seal-hostile-$c: host survives"
	fi
	if "$MV" log verify "$OUT/$c.log" >"$OUT/$c.verify" 2>&1; then
		t_pass "seal-hostile-$c: log verifies"
	else
		t_fail "seal-hostile-$c: log verifies" "$(head -c 300 "$OUT/$c.verify")"
	fi
}

# scase CASE STATUS LOGNEEDLE [STDERRNEEDLE]: CASE ends with STATUS (the errno of a refused
# seal, 0 when sealed, 115 when stopped), its log shows LOGNEEDLE, its stderr STDERRNEEDLE.
scase() {
	local c=$1 want=$2
	sboot "$c" "${CASE:-$c}"
	t_expect_status "seal-hostile-$c: exit status" "$want" "$st"
	t_expect_contains "seal-hostile-$c: the log says why" "$OUT/$c.show" "$3"
	[ -z "${4:-}" ] || t_expect_contains "seal-hostile-$c: stderr says '$4'" "$OUT/$c.err" "$4"
	host_ok "$c" "$want"
}

if [ ! -f "$FIX" ]; then
	t_fail "seal-hostile: fixture" "$FIX missing (make images)"; t_done; exit 0
fi
# Where the fixture's changed byte lies: "/* SECTION+0xOFF */" after FX_RELOC_OFF.
where=$(sed -n 's|^/\* \([^ ]*\)+0x\([0-9a-f]*\) \*/$|\1 offset 0x\2|p' "$FIX" | head -n 1)

# ---- the control: an honest seal is accepted and digested --------------------
scase ok 0 "sections re-derived and equal"
t_expect_contains "seal-hostile-ok: the seal logs the text digest" "$OUT/ok.show" " sha256="
t_expect_absent "seal-hostile-ok: nothing refused" "$OUT/ok.show" "refused"

# ---- lies the host refuses with an errno (the load fails, nothing sealed) ----
scase changed 13 "bytes differ from the host's re-derivation: core section $where:"
t_expect_contains "seal-hostile-changed: the relocation covering it is named" \
	"$OUT/changed.show" ", in relocation R_X86_64_"
t_expect_absent "seal-hostile-changed: nothing sealed" "$OUT/changed.show" "read-only"
scase sym_own_code 13 "symbol param_ops_ullong = 0xffffffffa0000010: the kernel exports it at"
scase overlap 22 "overlaps the section before it"
scase outside_region 22 "GPA 0x200000 does not match its VA"
scase past_ram 22 "core region: GPA [0x1000000, +0x3000) is outside the module region"
core_size=$(sed -n 's/^\.set FX_CORE_SIZE, //p' "$FIX")
scase same_va 22 "core region VA [0xffffffffa0000000, +$core_size) overlaps the core region VA [0xffffffffa0000000, +$core_size) of sealed module hello (load_id 1)"
t_expect_status "seal-hostile-same_va: the first load sealed" 1 "$(grep -c 'text+rodata   done' "$OUT/same_va.show")"
# The guests map their module area as the kernel does; these two then change one entry.
scase pt_elsewhere 22 "VA 0xffffffffa0001000: the guest claimed GPA 0x"
t_expect_contains "seal-hostile-pt_elsewhere: ... and where the page tables map it" \
	"$OUT/pt_elsewhere.show" "its page tables map it to GPA 0x"
init_va=$(printf '0x%x' $((0xffffffffa0000000 + core_size)))
scase pt_unmapped 22 "VA $init_va: the guest claimed GPA 0x"
t_expect_contains "seal-hostile-pt_unmapped: ... and that it is not mapped" "$OUT/pt_unmapped.show" \
	"its page tables: not mapped (PT entry $((core_size / 4096)) is not present)"

# ---- duplicate exports (exporter.ko): ENOEXEC, as Linux's loader refuses them ----
# dup_module: seal after seal of exporter.ko; the second exports what the sealed first does.
HSP=hsx CASE=exhaust scase dup_module 8 \
	"exports duplicate symbol exporter_calls (owned by exporter, load_id 1)"
t_expect_status "seal-hostile-dup_module: the first load sealed" 1 \
	"$(grep -c 'text+rodata   done' "$OUT/dup_module.show")"
# kdup: the guest's kernel exports the module's symbols too.
HSP=hsx scase kdup 8 "exports duplicate symbol exporter_calls (owned by kernel)"

# ---- load ids that cannot be sealed or unsealed: the VM stops ------------------
scase twice 115 "seal for load_id 1, which is sealed" "MV_HC_MODULE_SEAL: seal for load_id 1, which is sealed"
t_expect_status "seal-hostile-twice: sealed once" 1 "$(grep -c 'text+rodata   done' "$OUT/twice.show")"
scase unknown_id 115 "seal for load_id 777, which is never-issued" "MV_HC_MODULE_SEAL: seal for load_id 777"
scase denied_id 115 "seal for load_id 2, which is denied" "MV_HC_MODULE_SEAL: seal for load_id 2, which is denied"
scase unseal_live 115 "unseal for load_id 1, which is live" "MV_HC_MODULE_UNSEAL: unseal for load_id 1, which is live"
t_expect_absent "seal-hostile-unseal_live: the live module's pages stay sealed" "$OUT/unseal_live.show" \
	"its pages are writable again"
scase unseal_other 115 "unseal for load_id 2, which is allowed (it is not sealed)" \
	"MV_HC_MODULE_UNSEAL: unseal for load_id 2"
t_expect_absent "seal-hostile-unseal_other: load 1's pages stay sealed" "$OUT/unseal_other.show" \
	"its pages are writable again"

# ---- limits: seal after seal until the host says no ----------------------------
# Each refused copy is written to afterwards: had any of it been left read-only, that
# write would stop the VM (109) instead of the guest exiting with the errno.
# exhaust_region: the 1 MiB module region is used up (32 copies 32 KiB apart, each at its own
# VA, with its bytes derived for that VA).
CASE=exhaust scase exhaust_region 22 "is outside the module region"
n=$(grep -c 'text+rodata   done' "$OUT/exhaust_region.show")
if [ "$n" -ge 16 ]; then t_pass "seal-hostile-exhaust_region: $n seals before the refusal"
else t_fail "seal-hostile-exhaust_region: seals before the refusal" "only $n"; fi
# exhaust_slots: KVM's memory slots, lowered to 10 for this run (MODVISOR_MAX_MEMSLOTS).
MODVISOR_MAX_MEMSLOTS=10 CASE=exhaust scase exhaust_slots 12 \
	"memslots exhausted: KVM_CAP_NR_MEMSLOTS (10) reached"
n=$(grep -c 'text+rodata   done' "$OUT/exhaust_slots.show")
if [ "$n" -ge 1 ]; then t_pass "seal-hostile-exhaust_slots: $n seals before ENOMEM"
else t_fail "seal-hostile-exhaust_slots: seals before ENOMEM" "none"; fi
MODVISOR_MAX_MEMSLOTS=0 "$MV" run --accel=kvm --initrd none --mem 16 \
	--kernel "$TG/hs-ok.elf" >"$OUT/slots0.out" 2>&1 </dev/null
t_expect_status "seal-hostile: MODVISOR_MAX_MEMSLOTS=0 is refused (the VM cannot be set up: 124)" 124 "$?"
t_expect_contains "seal-hostile: ... naming it" "$OUT/slots0.out" \
	"MODVISOR_MAX_MEMSLOTS=0: not a number of memory slots (1 or more)"
t_done
