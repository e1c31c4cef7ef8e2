#!/usr/bin/env bash
# t-bench.sh: `modvisor bench --quick` as a smoke run: the harness works and writes its files. Never asserts a timing.
# Run where KVM is usable (tests/e2e/run.sh, inside `modvisor with-kvm`).
cd "$(dirname "$0")/../.."
. tests/lib.sh
out=$T_DIR

"$MV" bench --quick --out "$out/b" >"$out/stdout" 2>"$out/stderr"
st=$?
t_expect_status "bench: --quick exits 0" 0 "$st"
[ "$st" = 0 ] || sed 's/^/    | /' "$out/stderr" | tail -n 20
t_expect_contains "bench: the table is printed" "$out/stdout" "null_over_raw"
t_expect_contains "bench: progress on stderr" "$out/stderr" "bench: hypercall"

csv=$out/b/results.csv
if [ -f "$csv" ] && head -n 1 "$csv" | grep -qx 'section,metric,param,unit,n,median,min,max,q1,q3,accel' &&
   awk -F, 'NR > 1 && (NF != 11 || $6 !~ /^-?[0-9.e+-]+$/) { bad = 1 } END { exit bad || NR < 2 }' "$csv"; then
	t_pass "bench: results.csv has its header and 11 numeric-valued fields per row"
else
	t_fail "bench: results.csv" "missing or malformed"; head -n 5 "$csv" 2>/dev/null | sed 's/^/    | /'
fi
for s in hypercall violation boot footprint load scale procs measure hoststages seal sealvm fleet; do
	case $s in hoststages) want=hostedload ;; load) want=guestload ;; *) want=$s ;; esac
	if grep -q "^$want," "$csv" 2>/dev/null; then t_pass "bench: section $s has rows"
	else t_fail "bench: section $s has rows" "no '$want' row in results.csv"; fi
done
# guestload,g_*: the guest's loader reported its stages through MV_HC_BENCH.
for m in boot,exits_to_user boot,exits_to_module hypercall,raw_exit hypercall,null_hypercall \
	 violation,violation_exit violation,violation_over_null \
	 scale,logs_verified footprint,kernel_text guestload,g_copy_in guestload,g_relocation \
	 guestload,g_total load,h_authority_fsync_close seal,rederive seal,compare seal,digest seal,pagewalk \
	 seal,host_over_loader sealvm,host_seal sealvm,seal_over_verdict procs,forkexec procs,pipe fleet,daemon_loads_per_s \
	 fleet,inproc_loads_per_s fleet,daemon_latency_p99_us fleet,daemon_fsyncs_per_entry; do
	if grep -q "^$m," "$csv" 2>/dev/null; then t_pass "bench: row $m"
	else t_fail "bench: row $m" "absent"; fi
done
# Group commit never makes more fsyncs than entries; all four fleet sizes ran.
if [ "$(grep -c '^fleet,daemon_fsyncs_per_entry,' "$csv")" = 4 ] &&
	awk -F, '$1 == "fleet" && $2 == "daemon_fsyncs_per_entry" && ($6 <= 0 || $6 > 1) { bad = 1 }
		END { exit bad }' "$csv"; then
	t_pass "bench: fleet: 1, 2, 4 and 8 VMs, at most one fsync per daemon log entry"
else
	t_fail "bench: fleet fsyncs per entry" "$(grep '^fleet,daemon_fsyncs' "$csv")"
fi
# The exits to the first module add up: the KVM exit reasons sum to the total
# (port I/O, and the interrupt windows of the guest's timer tick), and the
# port I/O exits are the hypercalls, each by name.
if awk -F, 'BEGIN { kvm["IO"]; kvm["MMIO"]; kvm["HLT"]; kvm["IRQ_WINDOW_OPEN"]; kvm["SHUTDOWN"]
		kvm["INTR"]; kvm["NMI"]; kvm["DEBUG"]; kvm["UNKNOWN"] }
	$1 == "boot" && $2 == "exits_to_module" { total = $6 }
	$1 == "boot" && $2 ~ /^exits_to_module:/ {
		r = substr($2, 17)
		if (r in kvm) { reasons += $6; if (r == "IO") io = $6 } else hc += $6 }
	END { exit !(total > 0 && total == reasons && io == hc) }' "$csv" 2>/dev/null; then
	t_pass "bench: exits to the first module = the sum of their KVM exit reasons; port I/O = its hypercalls by name"
else
	t_fail "bench: exits to the first module add up" "$(grep '^boot,exits_to_module' "$csv" | tr '\n' ' ')"
fi
# Fewer than 50 exits from the start to the first module (issue 13), by count: the
# exits the guest causes (KVM's total less host interrupts and signals, which grow
# with the boot's duration), and the exits modvisor's vCPU loop sees.
for m in kvm_guest_exits_to_module exits_to_module; do
	n=$(awk -F, -v m="$m" '$1 == "boot" && $2 == m { print int($6) }' "$csv" 2>/dev/null)
	if [ -n "$n" ] && [ "$n" -gt 0 ] && [ "$n" -lt 50 ]; then
		t_pass "bench: boot: $m is $n, fewer than 50"
	else
		t_fail "bench: boot: $m fewer than 50" "got '${n:-none}'"
	fi
done
# The VMs ran where KVM is usable here: every row says where it came from.
if awk -F, 'NR > 1 && $11 !~ /^(kvm|emulated-kvm-host|host)$/ { bad = 1 } END { exit bad }' "$csv" 2>/dev/null
then t_pass "bench: every row names where it was measured"
else t_fail "bench: every row names where it was measured" "bad accel column"; fi

if jq -e '.results | length > 10' "$out/b/results.json" >/dev/null 2>&1; then
	t_pass "bench: results.json parses and holds the results"
else t_fail "bench: results.json" "does not parse (jq)"; fi

for p in load_stages guest_stages hypercall scale; do
	if [ "$(head -c 8 "$out/b/$p.png" 2>/dev/null | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ]; then
		t_pass "bench: $p.png is a PNG"
	else t_fail "bench: $p.png is a PNG" "missing or not a PNG"; fi
done

# Every measurement log the run wrote verifies (the scale section's, too).
bad=0; n=0
for l in "$out"/b/logs/*.log; do
	[ -f "$l" ] || continue
	n=$((n + 1))
	"$MV" log verify "$l" >/dev/null 2>&1 || { bad=1; echo "    | $l does not verify"; }
done
if [ "$n" -gt 0 ] && [ "$bad" = 0 ]; then t_pass "bench: all $n measurement logs verify"
else t_fail "bench: measurement logs verify" "$n logs, bad=$bad"; fi

"$MV" bench --reps 0 >"$out/usage" 2>&1
t_expect_status "bench: --reps 0 is a usage error" 2 "$?"
"$MV" bench --only boot,nosuch >"$out/none.out" 2>&1
t_expect_status "bench: --only with an unknown section is a usage error" 2 "$?"
t_expect_contains "bench: the unknown section is named" "$out/none.out" "unknown section 'nosuch'"
t_done
