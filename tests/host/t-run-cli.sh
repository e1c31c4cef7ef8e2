#!/usr/bin/env bash
# t-run-cli.sh: modvisor's command line without booting: --help, --version, usage errors,
# missing files, and --accel=kvm refusing a /dev/kvm that cannot run the guest.
set -u
cd "$(dirname "$0")/../.."
. tests/lib.sh
TG=build/images/testguests
OUT=$T_DIR

$MV --help >"$OUT/help" 2>&1
t_expect_status "help: exit status" 0 "$?"
for opt in --kernel --initrd --mem --accel --cmdline --add "-c 'CMD'" --help "-- CMD" \
	MODVISOR_NOPROBE "113  hypercall GPA" "118  shutdown" "122  guest kernel exception"; do
	t_expect_contains "help: documents $opt" "$OUT/help" "$opt"
done
$MV run --help >"$OUT/run-help" 2>&1
t_expect_status "run --help: exit status" 0 "$?"
t_expect_contains "run --help: usage line" "$OUT/run-help" "usage: modvisor run [options]"

$MV --version >"$OUT/version"
t_expect_contains "version: names ABI" "$OUT/version" "hypercall ABI 1"

$MV frobnicate 2>"$OUT/unknown"
t_expect_status "unknown command: exit 2" 2 "$?"
t_expect_contains "unknown command: named" "$OUT/unknown" "unknown command 'frobnicate'"
$MV 2>/dev/null
t_expect_status "no command: exit 2" 2 "$?"
$MV run --mem 4 2>"$OUT/mem"
t_expect_status "run --mem 4: exit 2" 2 "$?"
t_expect_contains "run --mem 4: bounds named" "$OUT/mem" "from 16 to 65536"
$MV run --accel=fast 2>"$OUT/accel"
t_expect_status "run --accel=fast: exit 2" 2 "$?"
$MV run -c "echo 'oops" 2>"$OUT/quote"
t_expect_status "run -c unterminated quote: exit 2" 2 "$?"

$MV run --kernel "$OUT/none.elf" 2>"$OUT/nokernel"
t_expect_status "missing kernel: refused (status 2, an unusable input)" 2 "$?"
t_expect_contains "missing kernel: named" "$OUT/nokernel" "$OUT/none.elf: No such file"
$MV run --kernel "$TG/hello.elf" --initrd none --add "$OUT/nope.ko:/lib/nope.ko" 2>"$OUT/noadd"
t_expect_status "missing --add file: refused (status 2, an unusable input)" 2 "$?"
t_expect_contains "missing --add file: named" "$OUT/noadd" "--add: $OUT/nope.ko: No such file"

# --accel=kvm: boots when the probe passes, otherwise refuses with its reason.
MODVISOR_NOPROBE= $MV run --accel=kvm --kernel "$TG/hello.elf" --initrd none \
	>"$OUT/kvm.out" 2>"$OUT/kvm.err"
st=$?
if [ $st = 42 ]; then
	t_pass "accel=kvm: /dev/kvm usable here, guest ran"
else
	t_expect_status "accel=kvm: refused on unusable /dev/kvm" 124 "$st"
	t_expect_contains "accel=kvm: gives the reason" "$OUT/kvm.err" "/dev/kvm is not usable: "
	t_expect_contains "accel=kvm: gives a hint" "$OUT/kvm.err" "hint: use --accel=auto"
	t_expect_absent "accel=kvm: nothing booted" "$OUT/kvm.out" "testguest"
fi
t_done
