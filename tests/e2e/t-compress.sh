#!/usr/bin/env bash
# t-compress.sh: MODULE_INIT_COMPRESSED_FILE end to end: gzip/xz/zstd modules made at test time,
# corrupt ones, bombs, the cap, a kernel without zstd, busybox insmod, signed-then-compressed
# modules and what the host logs.  Three boots.  Run where KVM is usable (tests/e2e/run.sh).
set -u
cd "$(dirname "$0")/../.."
. tests/lib.sh

B=${BUILD:-build}
SIGNFILE=${SIGNFILE:-/usr/lib/linux-kbuild-6.1/scripts/sign-file}
HELLO=$B/images/modules/hello.ko
NOZSTD=$B/images/kernel-nozstd.elf
TMP=$T_DIR
for f in "$HELLO" "$NOZSTD" "$SIGNFILE"; do
	[ -e "$f" ] || { t_fail "compress: setup" "need $f (make; linux-kbuild-6.1)"; exit 0; }
done

# ---- the files, made with the standard tools --------------------------------
C=$TMP/c
mkdir -p "$C" "$TMP/certs"
gzip -n -9 -c "$HELLO" >"$C/gz9.ko.gz"
xz --check=crc64 --lzma2=dict=8MiB -c "$HELLO" >"$C/dist.ko.xz"      # as distributions do
xz --check=sha256 -c "$HELLO" >"$C/sha.ko.xz"
zstd -q -19 -c "$HELLO" >"$C/z19.ko.zst"
printf '%s\n' '[ req ]' 'default_bits = 2048' 'distinguished_name = dn' 'prompt = no' \
	'x509_extensions = ext' '[ dn ]' 'CN = t-compress trusted' '[ ext ]' \
	'basicConstraints=critical,CA:FALSE' 'keyUsage=digitalSignature' \
	'subjectKeyIdentifier=hash' >"$TMP/key.genkey"
openssl req -new -nodes -utf8 -sha256 -days 36500 -batch -x509 -config "$TMP/key.genkey" \
	-outform PEM -out "$TMP/key.pem" -keyout "$TMP/key.pem" 2>/dev/null &&
	openssl x509 -in "$TMP/key.pem" -outform DER -out "$TMP/certs/key.der" ||
	{ t_fail "compress: key" "openssl req failed"; exit 0; }
# Signed first, then compressed, as kbuild's modules_install does.
cp "$HELLO" "$TMP/signed.ko" && "$SIGNFILE" sha256 "$TMP/key.pem" "$TMP/key.pem" "$TMP/signed.ko"
gzip -n -9 -c "$TMP/signed.ko" >"$C/signed.ko.gz"
xz --check=crc32 --lzma2=dict=1MiB -c "$TMP/signed.ko" >"$C/signed.ko.xz"
zstd -q -T0 -c "$TMP/signed.ko" >"$C/signed.ko.zst"
# Corrupt: a truncated zstd, a flipped byte in a gzip stream.
head -c $(($(stat -c %s "$C/z19.ko.zst") / 2)) "$C/z19.ko.zst" >"$C/trunc.ko.zst"
cp "$C/gz9.ko.gz" "$C/flip.ko.gz"
printf '\377' | dd of="$C/flip.ko.gz" bs=1 seek=200 conv=notrunc status=none
# One member/stream/frame only, as Linux decodes (issue 12, finding 6): a second one or
# garbage after it is refused; xz stream padding is part of the format and accepted.
cat "$C/gz9.ko.gz" "$C/gz9.ko.gz" >"$C/two.ko.gz"
cat "$C/z19.ko.zst" "$C/z19.ko.zst" >"$C/two.ko.zst"
{ cat "$C/sha.ko.xz"; printf 'junk'; } >"$C/junk.ko.xz"
{ cat "$C/sha.ko.xz"; printf '\0\0\0\0\0\0\0\0'; } >"$C/pad.ko.xz"
# Bombs: 64 MiB + 1 bytes of zeros (the default cap is 64 MiB).
BOMB=$((64 * 1024 * 1024 + 1))
head -c $BOMB /dev/zero | gzip -1 >"$C/bomb.ko.gz"
head -c $BOMB /dev/zero | xz -0 >"$C/bomb.ko.xz"
head -c $BOMB /dev/zero | zstd -q -1 >"$C/bomb.ko.zst"

# mvc FILE FLAGS [PARAMS]: the -c words for one finit_module.
LOADS="/lib/modules/hello.ko.gz /lib/modules/hello.ko.xz /lib/modules/hello.ko.zst \
	/c/gz9.ko.gz /c/dist.ko.xz /c/sha.ko.xz /c/z19.ko.zst \
	/c/signed.ko.gz /c/signed.ko.xz /c/signed.ko.zst /c/pad.ko.xz"
ERRS="/lib/modules/bad-corrupt.ko.xz:4:EINVAL /c/trunc.ko.zst:4:EINVAL /c/flip.ko.gz:4:EINVAL
	/c/two.ko.gz:4:EINVAL /c/two.ko.zst:4:EINVAL /c/junk.ko.xz:4:EINVAL
	/lib/modules/hello.ko.xz:0:ENOEXEC /lib/modules/hello.ko:4:EINVAL
	/c/bomb.ko.gz:4:EFBIG /c/bomb.ko.xz:4:EFBIG /c/bomb.ko.zst:4:EFBIG"

# ---- boot 1: the default kernel ---------------------------------------------
args=(--add "$C:/c" --keyring "$TMP/certs" --log "$TMP/a.log" -c "cat /sys/module/compression")
for f in $LOADS; do
	args+=(-c "mv-modcall finit $f 4 count=3" -c "cat /sys/module/hello/parameters/count"
	       -c "cat /sys/module/hello/taint" -c "mv-modcall delete hello")
done
for e in $ERRS; do
	IFS=: read -r f fl _ <<<"$e"
	args+=(-c "mv-modcall finit $f $fl")
done
args+=(-c "insmod /lib/modules/hello.ko.xz count=7" -c "cat /sys/module/hello/parameters/count"
       -c "rmmod hello" -c "insmod /lib/modules/hello.ko.gz" -c "lsmod" -c "rmmod hello")
for e in gz xz zst; do   # the caller's SSE state, MXCSR and FS base survive the libraries
	args+=(-c "mv-compress-fpu /lib/modules/hello.ko.$e" -c "mv-modcall delete hello")
done
OUT=$TMP/out ERR=$TMP/err        # programs' output; the kernel's log (and modvisor's)
"$MV" run "${args[@]}" >"$OUT" 2>"$ERR"
if ! grep -q '^finit /' "$OUT"; then
	t_fail "compress: boot 1" "no mv-modcall output"; sed 's/^/    | /' "$ERR" | tail -n 12
else
	t_expect_contains "compress: /sys/module/compression lists gzip xz zstd" "$OUT" "gzip xz zstd"
	for f in $LOADS; do
		want=O
		case $f in /c/signed*) ;; *) want=OE ;; esac
		got=$(grep -F -A2 "finit $f 4 count=3:" "$OUT" | tr '\n' ' ')
		if [ "$got" = "finit $f 4 count=3: ok 3 $want " ]; then
			t_pass "compress: finit $f COMPRESSED_FILE loads (count=3, taint $want)"
		else t_fail "compress: finit $f COMPRESSED_FILE" "got '$got', want ok 3 $want"; fi
	done
	for e in $ERRS; do
		IFS=: read -r f fl want <<<"$e"
		t_expect_contains "compress: finit $f flags=$fl -> $want" "$OUT" "finit $f $fl: $want"
	done
	t_expect_contains "compress: the kernel says why (xz)" "$ERR" \
		"/lib/modules/bad-corrupt.ko.xz: decompression failed: xz:"
	t_expect_contains "compress: the kernel names the cap" "$ERR" "larger than the cap of 67108864"
	t_expect_contains "compress: a second gzip member is refused, and said so" "$ERR" \
		"/c/two.ko.gz: decompression failed: gzip: trailing data: another member"
	t_expect_contains "compress: garbage after an xz stream is refused, and said so" "$ERR" \
		"/c/junk.ko.xz: decompression failed: xz: trailing garbage: 4 bytes"
	t_expect_contains "compress: a truncated zstd frame is named" "$ERR" \
		"/c/trunc.ko.zst: decompression failed: zstd: truncated input"
	# busybox decompresses .xz and .gz itself and falls back to init_module.
	if grep -qx 7 "$OUT"; then t_pass "compress: busybox insmod hello.ko.xz count=7"
	else t_fail "compress: busybox insmod hello.ko.xz count=7" "no '7' from its count"; fi
	t_expect_absent "compress: busybox insmod prints no error" "$ERR" "insmod: can't insert"
	t_expect_contains "compress: lsmod after insmod hello.ko.gz" "$OUT" "hello "
	for e in gz xz zst; do
		t_expect_contains "compress: hello.ko.$e keeps xmm0-15, MXCSR, FS base" "$OUT" \
			"fpu /lib/modules/hello.ko.$e: ok (xmm0-15, mxcsr, fs kept)"
	done
fi

# The log: signature judged on the decompressed image; its digest is the image's.
LOG=$TMP/a.log
"$MV" log verify "$LOG" >/dev/null 2>&1
t_expect_status "compress: log verifies" 0 $?
img_sha=$(sha256sum "$HELLO" | cut -d' ' -f1)
signed_sha=$(sha256sum "$TMP/signed.ko" | cut -d' ' -f1)
for e in xz gz zst; do
	line=$(grep -F "\"path\":\"/c/signed.ko.$e\"" "$LOG" | head -n 1)
	if grep -q '"signer":"t-compress trusted"' <<<"$line" && grep -q "sha256:$signed_sha" <<<"$line"
	then t_pass "compress: signed.ko.$e verifies after decompression (signer, image digest)"
	else t_fail "compress: signed.ko.$e verifies" "log line: ${line:0:300}"; fi
done
line=$(grep -F '"path":"/lib/modules/hello.ko.xz"' "$LOG" | head -n 1)
if grep -q "sha256:$img_sha" <<<"$line"; then t_pass "compress: log measures the decompressed image"
else t_fail "compress: log measures the decompressed image" "${line:0:300}"; fi
file_sha=$(sha256sum "$B/images/modules/hello.ko.xz" | cut -d' ' -f1)
file_size=$(stat -c %s "$B/images/modules/hello.ko.xz")
if grep -q "\"file_size\":$file_size,\"file_sha256\":\"$file_sha\"" <<<"$line"; then
	t_pass "compress: log carries the file's digest and size too"
else t_fail "compress: log carries the file's digest and size too" "${line:0:400}"; fi

# ---- boot 2: a kernel built without zstd ---------------------------------------
"$MV" run --kernel "$NOZSTD" --log "$TMP/b.log" -c "cat /sys/module/compression" \
	-c "mv-modcall finit /lib/modules/hello.ko.zst 4" \
	-c "mv-modcall finit /lib/modules/hello.ko.xz 4" -c "mv-modcall delete hello" >"$OUT" 2>"$ERR"
if grep -qx "gzip xz" "$OUT"; then t_pass "compress: kernel-nozstd lists gzip xz"
else t_fail "compress: kernel-nozstd lists gzip xz" "$(grep -m1 gzip "$OUT")"; fi
t_expect_contains "compress: kernel-nozstd: zstd -> EOPNOTSUPP" "$OUT" \
	"finit /lib/modules/hello.ko.zst 4: EOPNOTSUPP"
t_expect_contains "compress: kernel-nozstd: xz still loads" "$OUT" "finit /lib/modules/hello.ko.xz 4: ok"

# ---- boot 3: module.decompress_max= ---------------------------------------------
"$MV" run --cmdline "module.decompress_max=4K" --log "$TMP/c.log" \
	-c "mv-modcall finit /lib/modules/hello.ko.xz 4" -c "mv-modcall finit /lib/modules/hello.ko.zst 4" \
	-c "mv-modcall finit /lib/modules/hello.ko.gz 4" \
	-c "mv-modcall finit /lib/modules/hello.ko 0" >"$OUT" 2>"$ERR"
for e in xz zst gz; do
	t_expect_contains "compress: decompress_max=4K: hello.ko.$e -> EFBIG" "$OUT" \
		"finit /lib/modules/hello.ko.$e 4: EFBIG"
done
t_expect_contains "compress: decompress_max=4K: plain hello.ko still loads" "$OUT" \
	"finit /lib/modules/hello.ko 0: ok"
line=$(grep -F '"path":"/lib/modules/hello.ko"' "$TMP/c.log" | head -n 1)
if [ -n "$line" ] && ! grep -q '"file_sha256"' <<<"$line"; then
	t_pass "compress: an uncompressed load logs no file digest"
else t_fail "compress: an uncompressed load logs no file digest" "${line:0:400}"; fi
t_done
