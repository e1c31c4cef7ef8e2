#!/usr/bin/env bash
# t-offline.sh: the offline commands (measure, verify, log) on what the host judges: signed content, compressed files, old logs.
set -u
cd "$(dirname "$0")/../.."
. tests/lib.sh

B=${BUILD:-build}
TMP=$T_DIR
cp "$MV" "$TMP/modvisor" || { t_fail "built" "$MV missing: run make first"; exit 1; }
MVX=$TMP/modvisor
DATA=tests/host/data

# ---- logs written by log_version 1 (before issue 12) still read ---------------
for f in mlog-v1.jsonl mlog-v1.ascii; do
	"$MVX" log verify "$DATA/$f" >"$TMP/out" 2>&1
	t_expect_status "log verify reads a version-1 $f" 0 $?
	t_expect_contains "log verify counts a version-1 $f" "$TMP/out" "ok, "
done
"$MVX" log show "$DATA/mlog-v1.jsonl" >"$TMP/out" 2>&1
t_expect_contains "log show reads a version-1 log" "$TMP/out" "load  #1   hello"

# ---- measure: the digests the host judges (issue 12, finding 5) ---------------
SIGNFILE=${SIGNFILE:-/usr/lib/linux-kbuild-6.1/scripts/sign-file}
ko=$B/images/modules/hello.ko
cp "$ko" "$TMP/hello.ko"
openssl req -new -nodes -utf8 -sha256 -days 3650 -batch -x509 -subj "/CN=offline test" \
	-newkey rsa:2048 -outform PEM -out "$TMP/key.pem" -keyout "$TMP/key.pem" 2>/dev/null &&
	openssl x509 -in "$TMP/key.pem" -outform DER -out "$TMP/key.x509" &&
	"$SIGNFILE" sha256 "$TMP/key.pem" "$TMP/key.x509" "$TMP/hello.ko" ||
	t_fail "measure: sign hello.ko" "openssl or $SIGNFILE failed"
content_sha=$(sha256sum <"$ko" | cut -d' ' -f1)     # sign-file appends: the content is the old file
image_sha=$(sha256sum <"$TMP/hello.ko" | cut -d' ' -f1)
for z in "xz -kf" "gzip -kf" "zstd -qf"; do
	ext=$(case ${z%% *} in xz) echo xz ;; gzip) echo gz ;; zstd) echo zst ;; esac)
	f=$TMP/hello.ko.$ext
	$z "$TMP/hello.ko"
	file_sha=$(sha256sum <"$f" | cut -d' ' -f1)
	"$MVX" measure "$f" >"$TMP/out" 2>&1
	t_expect_status "measure .ko.$ext: status" 0 $?
	t_expect_contains "measure .ko.$ext: image is the decompressed one" "$TMP/out" \
		"sha256:$image_sha  $f"
	grep -E "^image +xxh3:[0-9a-f]{32} sha256:$image_sha  " "$TMP/out" >/dev/null &&
		t_pass "measure .ko.$ext: labelled image" || t_fail "measure .ko.$ext: labelled image" \
		"$(head -n 3 "$TMP/out")"
	grep -E "^signed-content +xxh3:[0-9a-f]{32} sha256:$content_sha  " "$TMP/out" >/dev/null &&
		t_pass "measure .ko.$ext: signed content" || t_fail "measure .ko.$ext: signed content" \
		"$(head -n 3 "$TMP/out")"
	grep -E "^file +xxh3:[0-9a-f]{32} sha256:$file_sha  " "$TMP/out" >/dev/null &&
		t_pass "measure .ko.$ext: the file's own digest labelled file" ||
		t_fail "measure .ko.$ext: the file's own digest labelled file" "$(head -n 3 "$TMP/out")"
	[ "$(grep -c "$file_sha" "$TMP/out")" = 1 ] && t_pass "measure .ko.$ext: file digest once" ||
		t_fail "measure .ko.$ext: file digest once" "$(cat "$TMP/out")"
done
"$MVX" measure "$TMP/hello.ko" >"$TMP/out" 2>&1
t_expect_absent "measure .ko: no file line for a plain module" "$TMP/out" "file "
t_expect_contains "measure .ko: signed content" "$TMP/out" "sha256:$content_sha  $TMP/hello.ko"
head -c 300 "$TMP/hello.ko.xz" >"$TMP/cut.ko.xz"
"$MVX" measure "$TMP/cut.ko.xz" >"$TMP/out" 2>&1
st=$?
[ $st -ne 0 ] && ! grep -q "^image" "$TMP/out" && t_pass "measure: a cut .ko.xz is an error" ||
	t_fail "measure: a cut .ko.xz is an error" "status $st: $(head -n 2 "$TMP/out")"

# ---- verify: one decompression semantics, and why a file is refused (finding 6) -------
# setbyte FILE OFFSET VALUE: write one byte (decimal VALUE) at OFFSET.
setbyte() { printf "$(printf '\\%03o' "$3")" | dd of="$1" bs=1 seek="$2" conv=notrunc status=none; }
gz=$TMP/hello.ko.gz; n=$(stat -c %s "$gz")
verify_refuses() {  # NAME FILE NEEDLE
	"$MVX" verify --keyring "$TMP/key.x509" "$2" >"$TMP/out" 2>&1
	local st=$?
	if [ $st -eq 1 ] && grep -qF -- "$3" "$TMP/out" && ! grep -q "signature:" "$TMP/out"; then
		t_pass "$1"
	else t_fail "$1" "status $st: $(grep -v '^/' "$TMP/out" | head -n 2)"; fi
}
head -c $((n / 2)) "$gz" >"$TMP/cut.ko.gz"
verify_refuses "verify: truncated input" "$TMP/cut.ko.gz" "gzip: truncated input"
cp "$gz" "$TMP/crc.ko.gz"; setbyte "$TMP/crc.ko.gz" $((n - 8)) $(( $(od -An -tu1 -j $((n - 8)) -N1 "$gz") ^ 1 ))
verify_refuses "verify: CRC error" "$TMP/crc.ko.gz" "gzip: check mismatch: incorrect data check"
gzip -n -c "$TMP/hello.ko" >"$TMP/bad.ko.gz"     # no name: the deflate data starts at byte 10
setbyte "$TMP/bad.ko.gz" 10 7                     # block type 11: reserved
verify_refuses "verify: corrupt data" "$TMP/bad.ko.gz" "gzip: corrupt data: invalid block type"
{ cat "$gz"; printf 'junk'; } >"$TMP/junk.ko.gz"
verify_refuses "verify: trailing garbage" "$TMP/junk.ko.gz" "gzip: trailing garbage: 4 bytes"
cat "$gz" "$gz" >"$TMP/two.ko.gz"
verify_refuses "verify: a second gzip member (Linux reads only the first)" "$TMP/two.ko.gz" \
	"gzip: trailing data: another member"
cat "$TMP/hello.ko.zst" "$TMP/hello.ko.zst" >"$TMP/two.ko.zst"
verify_refuses "verify: a second zstd frame" "$TMP/two.ko.zst" "zstd: trailing data: another frame"
cat "$TMP/hello.ko.xz" "$TMP/hello.ko.xz" >"$TMP/two.ko.xz"
verify_refuses "verify: a second xz stream" "$TMP/two.ko.xz" "xz: trailing data: another stream"
{ cat "$TMP/hello.ko.xz"; printf '\0\0\0\0\0\0\0\0'; } >"$TMP/pad.ko.xz"
"$MVX" verify --keyring "$TMP/key.x509" "$TMP/pad.ko.xz" >"$TMP/out" 2>&1
t_expect_status "verify: xz stream padding is accepted (Linux ignores it)" 0 $?
t_expect_contains "verify: padded xz gives the signed image" "$TMP/out" "signature: good"
t_done
