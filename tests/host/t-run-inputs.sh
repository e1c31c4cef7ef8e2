#!/usr/bin/env bash
# t-run-inputs.sh: `modvisor run` refuses bad inputs before anything boots (issue 12 findings 3 and 4).
#
# None of these checks boots a guest or the emulated KVM host: each refusal
# must come before, so none may print the emulated host's line.
set -u
cd "$(dirname "$0")/../.."
. tests/lib.sh
TG=build/images/testguests
OUT=$T_DIR

# refused NAME STATUS NEEDLE CMD...: CMD exits STATUS, names NEEDLE, and boots nothing.
refused() {
	local name=$1 want=$2 needle=$3
	shift 3
	"$@" >"$OUT/o" 2>"$OUT/e"
	t_expect_status "$name: exit $want" "$want" "$?"
	t_expect_contains "$name: says why" "$OUT/e" "$needle"
	t_expect_absent "$name: before the emulated host" "$OUT/e" "emulated KVM host"
}

# ---- finding 3: --log paths up to PATH_MAX; longer ones refused --------
long=$OUT/$(printf 'd%.0s' $(seq 200))/$(printf 'e%.0s' $(seq 200))/$(printf 'f%.0s' $(seq 200))
toolong=$long$(printf '/%0200d' $(seq 20))/x.log
refused "--log longer than PATH_MAX" 2 "is too long (at most 4095: PATH_MAX)" \
	"$MV" run --accel=emulated --log "$toolong" --kernel "$TG/hello.elf" --initrd none

# ---- finding 4: a directory, missing or unparsable input: status 2, named --
mkdir -p "$OUT/adir" "$OUT/empty" "$OUT/keys"
K=(--kernel "$TG/hello.elf" --initrd none)
refused "--policy DIR" 2 "--policy $OUT/adir: Is a directory" \
	"$MV" run --accel=emulated "${K[@]}" --policy "$OUT/adir"
refused "--keyring DIR without certificates" 2 "--keyring $OUT/empty: no X.509 certificate" \
	"$MV" run --accel=emulated "${K[@]}" --keyring "$OUT/empty"
echo "not a certificate" >"$OUT/keys/junk.pem"
refused "--keyring FILE that is no certificate" 2 "--keyring $OUT/keys/junk.pem: no X.509" \
	"$MV" run --accel=emulated "${K[@]}" --keyring "$OUT/keys/junk.pem"
# A PEM keyring whose second certificate is damaged is refused whole, never taken in part.
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$OUT/k.key" -out "$OUT/keys2.pem" -subj /CN=t \
	-days 1 2>/dev/null
printf -- '-----BEGIN CERTIFICATE-----\nMIIB!!!!\n-----END CERTIFICATE-----\n' >>"$OUT/keys2.pem"
refused "--keyring PEM with a damaged second certificate" 2 \
	"--keyring $OUT/keys2.pem: PEM certificate 2: " \
	"$MV" run --accel=emulated "${K[@]}" --keyring "$OUT/keys2.pem"
refused "--kernel DIR" 2 "kernel $OUT/adir: Is a directory" \
	"$MV" run --accel=emulated --kernel "$OUT/adir" --initrd none
refused "--kernel missing" 2 "kernel $OUT/nope.elf: No such file" \
	"$MV" run --accel=emulated --kernel "$OUT/nope.elf" --initrd none
head -c 100 "$TG/hello.elf" >"$OUT/short.elf"
refused "--kernel cut short" 2 "$OUT/short.elf: " \
	"$MV" run --accel=emulated --kernel "$OUT/short.elf" --initrd none
refused "--initrd DIR" 2 "initrd $OUT/adir: Is a directory" \
	"$MV" run --accel=emulated --kernel "$TG/hello.elf" --initrd "$OUT/adir"
mkfifo "$OUT/fifo"
refused "--initrd FIFO (would block)" 2 "initrd $OUT/fifo: not a regular file" \
	"$MV" run --accel=emulated --kernel "$TG/hello.elf" --initrd "$OUT/fifo"
refused "--log DIR" 2 "--log $OUT/adir: is a directory" \
	"$MV" run --accel=emulated "${K[@]}" --log "$OUT/adir"
refused "--log in a missing directory" 2 "--log $OUT/none/x.log: cannot open the measurement log" \
	"$MV" run --accel=emulated "${K[@]}" --log "$OUT/none/x.log"
printf '{"seq":0,"type":"start"}\n' >"$OUT/forged.log"
refused "--log that does not verify" 2 "the existing log does not verify" \
	"$MV" run --accel=emulated "${K[@]}" --log "$OUT/forged.log"
echo x >"$OUT/ima.log"
refused "--log-format ima-ascii on an existing file" 2 "an IMA-format list starts afresh" \
	"$MV" run --accel=emulated "${K[@]}" --log-format ima-ascii --log "$OUT/ima.log"
refused "--add missing" 2 "--add: $OUT/nope.ko: No such file" \
	"$MV" run --accel=emulated "${K[@]}" --add "$OUT/nope.ko:/lib/nope.ko"
mkfifo "$OUT/adir/fifo"
refused "--add DIR holding a FIFO" 2 "not a regular file, directory or symlink" \
	"$MV" run --accel=emulated "${K[@]}" --add "$OUT/adir:/lib/x"
t_done
