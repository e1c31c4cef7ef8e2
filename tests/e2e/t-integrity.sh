#!/usr/bin/env bash
# tests/e2e/t-integrity.sh: hypervisor-enforced integrity (issue 14).  The
# host makes the guest kernel's text and rodata KVM_MEM_READONLY before its
# first instruction; the hostile module wtext.ko (images/modules/wtext.c)
# writes a byte of kernel text past the guest's own page tables (CR0.WP
# cleared, the direct map, an alias PTE it builds).  Each write stops the run
# with status 109, a one-line diagnostic and a `violation` log entry; with
# --on-violation=log the write is discarded and the guest goes on; with
# --protect=off the write lands (so these checks can fail).
# Run where KVM is usable (tests/e2e/run.sh, inside `modvisor with-kvm`).
cd "$(dirname "$0")/../.."
. tests/lib.sh
out=$T_DIR
M=/lib/modules
K=build/images/kernel.elf

# check_log NAME LOG: the measurement log verifies.
check_log() {
	if "$MV" log verify "$2" >"$out/verify" 2>&1; then t_pass "$1"; else
		t_fail "$1" "$(head -n 3 "$out/verify")"
	fi
}

printk=$(nm "$K" | awk '$3 == "printk" { print $1 }')
printk_gpa=$(printf '0x%x' $((0x$printk - 0xffffffff80000000)))

# ---- each way past the guest's page tables stops the run -------------------
for how in wp direct alias; do
	t_run_split "$how" -c "insmod $M/wtext.ko how=$how" -c "echo still running"
	t_expect_status "integrity-$how: status 109" 109 "$st"
	t_expect_contains "integrity-$how: diagnostic names GPA, target and the module" \
		"$out/$how.err" "integrity violation: write of 1 byte(s) to GPA $printk_gpa (kernel printk+0x0 (.text)) from RIP 0x"
	t_expect_contains "integrity-$how: ... and the module the RIP is in" \
		"$out/$how.err" "(module wtext's init (load_id 1))"
	t_expect_absent "integrity-$how: the guest went no further" "$out/$how.out" "still running"
	t_expect_contains "integrity-$how: violation logged" "$out/$how.log" \
		"\"gpa\":\"$printk_gpa\",\"len\":1,"
	t_expect_contains "integrity-$how: ... as stopped" "$out/$how.log" \
		'"target":"kernel printk+0x0 (.text)",'
	check_log "integrity-$how: log verifies" "$out/$how.log"
done
t_expect_contains "integrity-wp: the entry says stopped" "$out/wp.log" '"action":"stopped"'

# ---- a plain store: the guest's read-only PTE faults first -----------------
t_run_split plain -c "insmod $M/wtext.ko how=plain" -c "echo still running"
t_expect_status "integrity-plain: the guest's page tables stop it (#PF contained: EFAULT)" 14 "$st"
t_expect_contains "integrity-plain: init-fault logged" "$out/plain.log" '"event":"init-fault"'
t_expect_absent "integrity-plain: no violation reached the host" "$out/plain.log" '"type":"violation"'

# ---- rodata --------------------------------------------------------------
ro=$(nm "$K" | awk '$2 ~ /^[rR]$/ && $3 == "mv_vermagic" { print $1 }')
[ -n "$ro" ] || ro=$(nm "$K" | awk '$2 ~ /^[rR]$/ { print $1; exit }')
t_run_split rodata -c "insmod $M/wtext.ko how=wp addr=0x$ro"
t_expect_status "integrity-rodata: status 109" 109 "$st"
t_expect_contains "integrity-rodata: names the rodata target" "$out/rodata.err" "(.rodata)) from RIP"

# ---- on_violation = log: discarded, logged, the guest goes on --------------
for how in wp alias; do
	t_run_split "log-$how" --on-violation=log -c "insmod $M/wtext.ko how=$how" -c "echo still running"
	t_expect_status "integrity-log-$how: status 0" 0 "$st"
	t_expect_contains "integrity-log-$how: the write did not land (read back)" \
		"$out/log-$how.err" "wtext: the write did not land"
	t_expect_contains "integrity-log-$how: the guest goes on" "$out/log-$how.out" "still running"
	t_expect_contains "integrity-log-$how: says it discarded the write" "$out/log-$how.err" \
		"the write was discarded (on_violation = log)"
	t_expect_contains "integrity-log-$how: logged as discarded" "$out/log-$how.log" \
		'"action":"discarded"'
	check_log "integrity-log-$how: log verifies" "$out/log-$how.log"
done
printf 'on_violation = log\n' >"$out/policy.ini"
t_run_split ini --policy "$out/policy.ini" -c "insmod $M/wtext.ko how=direct"
t_expect_status "integrity-ini: on_violation = log from the policy file" 0 "$st"
t_expect_contains "integrity-ini: the write did not land" "$out/ini.err" "wtext: the write did not land"

# ---- --protect=off: the write lands (the checks above can fail) -----------
for how in wp alias; do
	t_run_split "off-$how" --protect=off -c "insmod $M/wtext.ko how=$how" -c "echo still running"
	t_expect_status "integrity-off-$how: status 0" 0 "$st"
	t_expect_contains "integrity-off-$how: the write landed" "$out/off-$how.err" "wtext: the write landed"
	t_expect_absent "integrity-off-$how: nothing logged as a violation" "$out/off-$how.log" \
		'"type":"violation"'
done

# ---- sealed modules (MV_HC_MODULE_SEAL): a module's own text, rodata and
# ro_after_init, and another module's text.  wtext.ko's target= picks its own
# .text, .rodata or .data..ro_after_init; addr= another module's text.
# sealed_case NAME TARGET_IN_DIAGNOSTIC ARGS...: the write stops the run (109)
# naming module, section and offset; the log has the violation and verifies.
sealed_case() {
	local name=$1 hit=$2
	shift 2
	t_run_split "$name" "$@" -c "echo still running"
	t_expect_status "integrity-$name: status 109" 109 "$st"
	t_expect_contains "integrity-$name: diagnostic names module, section and offset" \
		"$out/$name.err" "($hit"
	t_expect_absent "integrity-$name: the guest went no further" "$out/$name.out" "still running"
	t_expect_contains "integrity-$name: violation logged with its target" "$out/$name.log" \
		"\"target\":\"$hit"
	check_log "integrity-$name: log verifies" "$out/$name.log"
}
sealed_case seal-text "module wtext .text+0x" -c "insmod $M/wtext.ko how=wp target=text"
t_expect_contains "integrity-seal-text: the module was sealed before its init, with the text digest" \
	"$out/seal-text.log" '"part":"text+rodata","result":"done"'
t_expect_contains "integrity-seal-text: ... XXH3-128 and SHA-256" "$out/seal-text.log" \
	'"text_xxh3":"'
sealed_case seal-alias "module wtext .text+0x" -c "insmod $M/wtext.ko how=alias target=text"
sealed_case seal-direct "module wtext .text+0x" -c "insmod $M/wtext.ko how=direct target=text"
sealed_case seal-rodata "module wtext .rodata" -c "insmod $M/wtext.ko how=wp target=rodata"
# ro_after_init: writable while init runs (the write lands), sealed once it returned.
sealed_case seal-rai "module wtext .data..ro_after_init+0x" \
	-c "insmod $M/wtext.ko how=wp target=rai" \
	-c "sh -c 'echo 1 > /sys/module/wtext/parameters/poke'"
t_expect_contains "integrity-seal-rai: during init the write lands" "$out/seal-rai.err" \
	"wtext: the write landed"
t_expect_contains "integrity-seal-rai: sealed after init, logged" "$out/seal-rai.log" \
	'"part":"ro_after_init","result":"done"'
# Another module's text: hello's core (its text) from /proc/modules.
other="sh -c 'set -- \$(cat /proc/modules); insmod $M/wtext.ko how=wp addr=\$6'"
sealed_case seal-other "module hello .exit.text+0x0 (load_id 1)" -c "insmod $M/hello.ko" -c "$other"

# on_violation = log: the write is discarded (read back) and the guest goes on.
for t in text rodata; do
	t_run_split "seal-log-$t" --on-violation=log -c "insmod $M/wtext.ko how=wp target=$t" \
		-c "echo still running"
	t_expect_status "integrity-seal-log-$t: status 0" 0 "$st"
	t_expect_contains "integrity-seal-log-$t: the write did not land (read back)" \
		"$out/seal-log-$t.err" "wtext: the write did not land"
	t_expect_contains "integrity-seal-log-$t: the guest goes on" "$out/seal-log-$t.out" "still running"
	t_expect_contains "integrity-seal-log-$t: logged as discarded" "$out/seal-log-$t.log" \
		'"action":"discarded"'
done
t_run_split seal-log-rai --on-violation=log -c "insmod $M/wtext.ko how=wp target=rai" \
	-c "sh -c 'echo 1 > /sys/module/wtext/parameters/poke'" -c "rmmod wtext" -c "echo still running"
t_expect_status "integrity-seal-log-rai: status 0" 0 "$st"
t_expect_contains "integrity-seal-log-rai: after init the write did not land" \
	"$out/seal-log-rai.err" "wtext: the write did not land"
t_expect_contains "integrity-seal-log-rai: the guest goes on" "$out/seal-log-rai.out" "still running"
t_expect_contains "integrity-seal-log-rai: unloading unseals, logged" "$out/seal-log-rai.log" \
	'"type":"unseal"'
check_log "integrity-seal-log-rai: log verifies" "$out/seal-log-rai.log"
t_run_split seal-log-other --on-violation=log -c "insmod $M/hello.ko" -c "$other" \
	-c "echo still running"
t_expect_contains "integrity-seal-log-other: another module's text: not landed" \
	"$out/seal-log-other.err" "wtext: the write did not land"
t_expect_contains "integrity-seal-log-other: the guest goes on" "$out/seal-log-other.out" \
	"still running"

# --protect=off: the same writes land (so the checks above can fail), nothing is sealed.
t_run_split seal-off --protect=off -c "insmod $M/wtext.ko how=wp target=text"
t_expect_status "integrity-seal-off: status 0" 0 "$st"
t_expect_contains "integrity-seal-off: the write landed" "$out/seal-off.err" "wtext: the write landed"
t_expect_absent "integrity-seal-off: nothing sealed" "$out/seal-off.log" '"type":"seal"'

# The module region (RAM / 16) is full: ENOMEM in the guest, the reason in the log.
# bigbss.ko's 4 MiB of bss fit in the 8 MiB region of 128 MiB, not in 64 MiB's 4.
t_run_split region-ok -c "insmod $M/bigbss.ko"
t_expect_status "integrity-region-ok: a 4 MiB module loads in 128 MiB" 0 "$st"
t_expect_contains "integrity-region-ok: ... sealed" "$out/region-ok.log" \
	'"name":"bigbss","part":"text+rodata","result":"done"'
t_run_split region-full --mem 64 -c "insmod $M/bigbss.ko"
t_expect_status "integrity-region-full: insmod fails with ENOMEM" 12 "$st"
t_expect_contains "integrity-region-full: the guest says why" "$out/region-full.err" \
	"module: module region exhausted"
t_expect_contains "integrity-region-full: the log names the reason" "$out/region-full.log" \
	'"errno_name":"ENOMEM","why":"module region exhausted: the module needs'
check_log "integrity-region-full: log verifies" "$out/region-full.log"
# Fragmented: 96 MiB give a 6 MiB region (1536 pages).  bigbss.ko takes its first ~1030 pages,
# hello.ko the next few; once bigbss is gone, exporter.ko takes the region's first pages, so
# bigbss no longer fits in either free run although there are enough free pages in all.
t_run_split region-frag --mem 96 -c "insmod $M/bigbss.ko" -c "insmod $M/hello.ko" \
	-c "rmmod bigbss" -c "insmod $M/exporter.ko" -c "insmod $M/bigbss.ko"
t_expect_status "integrity-region-frag: insmod fails with ENOMEM" 12 "$st"
t_expect_contains "integrity-region-frag: the log names fragmentation" "$out/region-frag.log" \
	'"errno_name":"ENOMEM","why":"module region fragmented: the module'"'"'s core region needs'
check_log "integrity-region-frag: log verifies" "$out/region-frag.log"

# `log show` prints the seal with its digest.
"$MV" log show "$out/seal-log-rai.log" >"$out/seal.show" 2>&1
t_expect_contains "integrity-seal-show: log show prints the text digest" "$out/seal.show" \
	"text xxh3="

# ---- an ordinary module loads and unloads as before -------------------------
t_run_split hello -c "insmod $M/hello.ko" -c "rmmod hello"
t_expect_status "integrity-hello: hello.ko loads and unloads under protection" 0 "$st"
t_expect_contains "integrity-hello: unloaded logged" "$out/hello.log" '"event":"unloaded"'
t_done
