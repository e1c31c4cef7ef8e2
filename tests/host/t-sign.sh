#!/usr/bin/env bash
# t-sign.sh: `modvisor verify` against the kernel's own sign-file and Debian's real signed modules.
#
# Keys are made at test time the kernel's way (certs/x509.genkey, RSA and
# ECDSA P-384), modules are signed with /usr/lib/linux-kbuild-6.1's
# sign-file with several hashes and with -k (signer named by key id).  Then
# at least 200 of Debian's own modules, the smallest and the largest among
# them, are verified against the certificate carved out of Debian's vmlinuz.
# Every flipped byte of content or signature must be rejected.
set -u
cd "$(dirname "$0")/../.."
. tests/lib.sh

B=${BUILD:-build}
SIGNFILE=${SIGNFILE:-/usr/lib/linux-kbuild-6.1/scripts/sign-file}
TMP=$T_DIR
# A private copy: a parallel `make` may relink build/modvisor under us.
cp "$MV" "$TMP/modvisor" || { t_fail "built" "$MV missing: run make first"; exit 1; }
MVX=$TMP/modvisor

# flip FILE OFFSET: xor one byte of FILE in place with 0x01.
flip() {
	local b
	b=$(od -An -tu1 -j "$2" -N1 "$1" | tr -d ' ')
	printf "$(printf '\\%03o' $((b ^ 1)))" | dd of="$1" bs=1 seek="$2" conv=notrunc status=none
}

# sig_len FILE: the PKCS#7 length from the trailer (big-endian, 28+4 bytes from the end).
sig_len() {
	local n
	n=$(stat -c %s "$1")
	od -An -tu1 -j $((n - 32)) -N4 "$1" | awk '{ print $1 * 16777216 + $2 * 65536 + $3 * 256 + $4 }'
}

# make_key NAME TYPE: a signing key + certificate the way certs/Makefile makes them.
make_key() {
	local extra=()
	cat >"$TMP/$1.genkey" <<-EOT
	[ req ]
	default_bits = 4096
	distinguished_name = req_distinguished_name
	prompt = no
	string_mask = utf8only
	x509_extensions = myexts
	[ req_distinguished_name ]
	O = modvisor tests
	CN = modvisor $1 signing key
	emailAddress = tests@modvisor.invalid
	[ myexts ]
	basicConstraints=critical,CA:FALSE
	keyUsage=digitalSignature
	subjectKeyIdentifier=hash
	authorityKeyIdentifier=keyid
	EOT
	[ "$2" = ecdsa ] && extra=(-newkey ec -pkeyopt ec_paramgen_curve:secp384r1)
	openssl req -new -nodes -utf8 -sha256 -days 36500 -batch -x509 -config "$TMP/$1.genkey" \
		"${extra[@]}" -outform PEM -out "$TMP/$1.pem" -keyout "$TMP/$1.pem" 2>/dev/null &&
	openssl x509 -in "$TMP/$1.pem" -outform DER -out "$TMP/$1.x509"
}

# ---- our own modules, signed by sign-file -------------------------------------
if [ ! -x "$SIGNFILE" ]; then
	t_fail "sign-file" "$SIGNFILE missing (Debian package linux-kbuild-6.1; run make deps)"
	exit 0
fi
MODS=()
for m in "$B"/images/modules/{hello,exporter,importer}.ko; do [ -f "$m" ] && MODS+=("$m"); done
if [ ${#MODS[@]} -eq 0 ]; then
	# No sample modules yet: any ET_REL object is a fine payload for signatures.
	printf 'int answer(void) { return 42; }\n' >"$TMP/obj.c"
	gcc -c -o "$TMP/obj.ko" "$TMP/obj.c" && MODS=("$TMP/obj.ko")
fi
make_key rsa rsa && t_pass "keygen rsa" || t_fail "keygen rsa" "openssl req failed"
make_key ec ecdsa && t_pass "keygen ecdsa-p384" || t_fail "keygen ecdsa-p384" "openssl req failed"
make_key stranger rsa || t_fail "keygen stranger" "openssl req failed"
mkdir -p "$TMP/ring" && cp "$TMP/rsa.x509" "$TMP/ring/rsa.der" &&
	openssl x509 -in "$TMP/ec.pem" -out "$TMP/ring/ec.crt"

m=${MODS[0]}
for key in rsa ec; do
	for hash in sha1 sha256 sha384 sha512; do
		for k in "" -k; do
			name="sign $key $hash${k:+ -k} $(basename "$m")"
			f=$TMP/$key-$hash$k.ko
			cp "$m" "$f"
			if ! "$SIGNFILE" $k "$hash" "$TMP/$key.pem" "$TMP/$key.x509" "$f" 2>"$TMP/err"; then
				t_fail "$name" "sign-file: $(head -n 1 "$TMP/err")"; continue
			fi
			"$MVX" verify --keyring "$TMP/ring" "$f" >"$TMP/out" 2>&1
			st=$?
			if [ $st -eq 0 ] && grep -q "signature: good ($hash " "$TMP/out" &&
			   grep -q "signer \"modvisor $key signing key\"" "$TMP/out"; then
				t_pass "$name"
			else t_fail "$name" "exit $st: $(grep signature: "$TMP/out")"; fi
		done
	done
done
for m in "${MODS[@]}"; do
	cp "$m" "$TMP/s.ko" && "$SIGNFILE" sha256 "$TMP/rsa.pem" "$TMP/rsa.x509" "$TMP/s.ko"
	"$MVX" verify --keyring "$TMP/rsa.x509" "$TMP/s.ko" >/dev/null 2>&1
	t_expect_status "verify $(basename "$m") with a DER-file keyring" 0 $?
	"$MVX" verify --keyring "$TMP/rsa.pem" "$TMP/s.ko" >/dev/null 2>&1
	t_expect_status "verify $(basename "$m") with a PEM-file keyring" 0 $?
done

# Compressed after signing, as kbuild does: verify decompresses first.
for z in "xz -kf" "gzip -kf" "zstd -qf"; do
	ext=$(case ${z%% *} in xz) echo xz ;; gzip) echo gz ;; zstd) echo zst ;; esac)
	$z "$TMP/rsa-sha256.ko"
	"$MVX" verify --keyring "$TMP/ring" "$TMP/rsa-sha256.ko.$ext" >"$TMP/out" 2>&1
	st=$?
	[ $st -eq 0 ] && grep -q "signature: good (sha256 " "$TMP/out" && t_pass "verify a .ko.$ext" ||
		t_fail "verify a .ko.$ext" "exit $st: $(head -n 3 "$TMP/out")"
done
head -c 200 "$TMP/rsa-sha256.ko.xz" >"$TMP/cut.ko.xz"
"$MVX" verify --keyring "$TMP/ring" "$TMP/cut.ko.xz" >"$TMP/out" 2>&1
st=$?
[ $st -ne 0 ] && grep -q "truncated input" "$TMP/out" && t_pass "a cut .ko.xz is refused" ||
	t_fail "a cut .ko.xz is refused" "exit $st"

# Key ids: issuer+serial gives the serial, -k the subjectKeyIdentifier.
skid=$(openssl x509 -in "$TMP/ec.pem" -noout -ext subjectKeyIdentifier | tail -n 1 | tr -d ' :' |
	tr A-F a-f)
serial=$(openssl x509 -in "$TMP/ec.pem" -noout -serial | cut -d= -f2 | tr A-F a-f)
"$MVX" verify --keyring "$TMP/ring" "$TMP/ec-sha384-k.ko" >"$TMP/out" 2>&1
t_expect_contains "key id is the SKID with -k" "$TMP/out" "key id $skid)"
"$MVX" verify --keyring "$TMP/ring" "$TMP/ec-sha384.ko" >"$TMP/out" 2>&1
t_expect_contains "key id is the serial without -k" "$TMP/out" "key id $serial)"
t_expect_contains "ecdsa key named" "$TMP/out" "sha384 ECDSA-384"
t_expect_contains "verify prints the image's sha256" "$TMP/out" \
	"  sha256:    $(sha256sum "$TMP/ec-sha384.ko" | cut -d' ' -f1)"

# Unknown key, unsigned, malformed.
"$MVX" verify --keyring "$TMP/stranger.x509" "$TMP/rsa-sha256.ko" >"$TMP/out" 2>&1
st=$?
[ $st -ne 0 ] && grep -q "signature: unknown-key" "$TMP/out" && t_pass "unknown key rejected" ||
	t_fail "unknown key rejected" "exit $st: $(grep signature: "$TMP/out")"
"$MVX" verify --keyring "$TMP/ring" "${MODS[0]}" >"$TMP/out" 2>&1
st=$?
[ $st -ne 0 ] && grep -q "signature: unsigned" "$TMP/out" && t_pass "unsigned rejected" ||
	t_fail "unsigned rejected" "exit $st"
cp "$TMP/rsa-sha256.ko" "$TMP/bad.ko"
n=$(stat -c %s "$TMP/bad.ko")
printf '\377\377\377\377' | dd of="$TMP/bad.ko" bs=1 seek=$((n - 32)) conv=notrunc status=none
"$MVX" verify --keyring "$TMP/ring" "$TMP/bad.ko" >"$TMP/out" 2>&1
st=$?
[ $st -ne 0 ] && grep -q "signature: malformed" "$TMP/out" && t_pass "malformed trailer rejected" ||
	t_fail "malformed trailer rejected" "exit $st: $(grep signature: "$TMP/out")"

# flip_offsets FILE CONTENT_SAMPLES SIG_STEP: offsets to flip: CONTENT_SAMPLES spread
# over the content (first and last byte included), every SIG_STEP-th PKCS#7 byte.
flip_offsets() {
	local n sl content i
	n=$(stat -c %s "$1"); sl=$(sig_len "$1"); content=$((n - sl - 40))
	echo 0 $((content - 1))
	for ((i = 1; i < $2; i++)); do echo $((content * i / $2)); done
	for ((i = 0; i < sl; i += $3)); do echo $((content + i)); done
}

# reject_flips NAME KEYRING FILE CONTENT_SAMPLES SIG_STEP: every flip must fail verify.
reject_flips() {
	local off survivors="" tried=0
	for off in $(flip_offsets "$3" "$4" "$5"); do
		cp "$3" "$TMP/x.ko" && flip "$TMP/x.ko" "$off"
		tried=$((tried + 1))
		"$MVX" verify --keyring "$2" "$TMP/x.ko" >/dev/null 2>&1 && survivors+=" $off"
	done
	if [ -z "$survivors" ]; then t_pass "$1: $tried flipped bytes rejected"
	else t_fail "$1" "accepted with a flip at offsets$survivors"; fi
}

# Every byte of the PKCS#7 and bytes all over the content, flipped one at a time.
reject_flips "tampered ec-sha256-k" "$TMP/ring" "$TMP/ec-sha256-k.ko" 64 1
reject_flips "tampered rsa-sha512" "$TMP/ring" "$TMP/rsa-sha512.ko" 64 1

# ---- Debian's own signed modules and the certificate inside its vmlinuz -------
DEB=$(scripts/fetch-debian-kernel.sh "$B" 2>"$TMP/fetch.err" | tail -n 1)
if [ -z "$DEB" ] || [ ! -d "$DEB/lib/modules" ]; then
	t_fail "debian kernel package" "$(tail -n 1 "$TMP/fetch.err")"
	exit 0
fi
VMLINUZ=$(ls "$DEB"/boot/vmlinuz-* | head -n 1)

if scripts/carve-kernel-cert.sh "$VMLINUZ" "$TMP/debian.der" 2>"$TMP/carve.err"; then
	t_pass "carve the signing certificate out of $(basename "$VMLINUZ")"
else
	t_fail "carve the signing certificate" "$(tail -n 1 "$TMP/carve.err")"; exit 0
fi

# 200+ modules spread over the size range, with the smallest and the largest.
find "$DEB/lib/modules" -name '*.ko' -printf '%s %p\n' | sort -n >"$TMP/all"
total=$(wc -l <"$TMP/all")
stride=$(( total / 220 )); [ $stride -lt 1 ] && stride=1
{ head -n 1 "$TMP/all"; awk -v s=$stride 'NR % s == 0' "$TMP/all"; tail -n 1 "$TMP/all"; } |
	sort -un | cut -d' ' -f2- >"$TMP/pick"
picked=$(wc -l <"$TMP/pick")
xargs -d '\n' "$MVX" verify --keyring "$TMP/debian.der" <"$TMP/pick" >"$TMP/out" 2>&1
st=$?
good=$(grep -c '^  signature: good (sha256 RSA-4096' "$TMP/out")
if [ $st -eq 0 ] && [ "$good" -eq "$picked" ] && [ "$picked" -ge 200 ]; then
	t_pass "verify $picked Debian modules (of $total, smallest and largest included)"
else
	t_fail "verify Debian modules" "exit $st, $good good of $picked"
	grep -B3 'signature: [^g]' "$TMP/out" | head -n 8
fi

# Every one of them (a few seconds without digests): Debian's signatures carry no
# certificate, CRL or attribute, which the host refuses (issue 12, finding 1).
cut -d' ' -f2- "$TMP/all" | xargs -d '\n' "$MVX" verify --digests none \
	--keyring "$TMP/debian.der" >"$TMP/out" 2>&1
st=$?
good=$(grep -c '^  signature: good ' "$TMP/out")
if [ $st -eq 0 ] && [ "$good" -eq "$total" ]; then
	t_pass "verify all $total Debian modules: none refused"
else t_fail "verify all Debian modules" "exit $st, $good good of $total"; fi

# Tampered copies: the smallest (every signature byte), a median and the largest.
small=$(head -n 1 "$TMP/pick"); large=$(tail -n 1 "$TMP/pick"); mid=$(sed -n "$((picked / 2))p" "$TMP/pick")
reject_flips "tampered $(basename "$small")" "$TMP/debian.der" "$small" 32 1
reject_flips "tampered $(basename "$mid")" "$TMP/debian.der" "$mid" 16 13
reject_flips "tampered $(basename "$large")" "$TMP/debian.der" "$large" 16 29
"$MVX" verify --keyring "$TMP/rsa.x509" "$small" >/dev/null 2>&1
st=$?
[ $st -ne 0 ] && t_pass "Debian module with the wrong keyring rejected" ||
	t_fail "Debian module with the wrong keyring rejected" "exit 0"
# kmod's modinfo reads the same signer and key id out of Debian's trailer.
MODINFO=$(command -v modinfo || echo /sbin/modinfo)
if [ -x "$MODINFO" ]; then
	want_key=$("$MODINFO" -F sig_key "$mid" | tr -d ':' | tr A-F a-f)
	want_signer=$("$MODINFO" -F signer "$mid")
	"$MVX" verify --keyring "$TMP/debian.der" "$mid" >"$TMP/out" 2>&1
	t_expect_contains "key id as kmod's sig_key" "$TMP/out" "key id $want_key)"
	t_expect_contains "signer as kmod's signer" "$TMP/out" "signer \"$want_signer\""
fi
t_done
