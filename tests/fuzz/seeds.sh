#!/usr/bin/env bash
# seeds.sh: gather the fuzzing seed corpora into BUILD/fuzz/seeds/<harness>/ (never committed).
#
# usage: tests/fuzz/seeds.sh [BUILD]        (default: build)
#
# Sources: our test modules (BUILD/images/modules/*.ko, good and broken),
# Debian's real signed modules (scripts/fetch-debian-kernel.sh, cached: the
# 24 smallest and 12 spread up to ~400 KB; skipped with a note when the
# package cannot be fetched), modules signed here with fresh RSA and ECDSA
# keys (BUILD/fuzz/keys holds their certificates: fuzz_sig's keyring), small
# newc archives cut from the initrd's tree, the guest kernel and test
# guests, the guest's static test programs, compressed modules, measurement logs written by
# the real log writer (BUILD/fuzz/mv-mlog-seeds), two seal reports, and the hand-made seeds
# committed in tests/fuzz/seeds/<harness>/.  Quiet unless something is
# missing.  Safe to rerun: each harness's directory is rebuilt.
set -euo pipefail
cd "$(dirname "$0")/../.."
BUILD=${1:-build}
S=$BUILD/fuzz/seeds
IMG=$BUILD/images
SIGN_FILE=/usr/lib/linux-kbuild-6.1/scripts/sign-file
note() { echo "fuzz seeds: $*" >&2; }

for h in loader params modinfo sig cpio policy kernel mlog elf_exec decompress rederive mvap; do
	rm -rf "${S:?}/$h"
	mkdir -p "$S/$h"
done

# ---- modules: ours and Debian's -------------------------------------------
for ko in "$IMG"/modules/*.ko; do
	[ -f "$ko" ] && cp "$ko" "$S/loader/" && cp "$ko" "$S/modinfo/"
done
debian=()
if dir=$(scripts/fetch-debian-kernel.sh "$BUILD" 2>/dev/null | tail -n 1) && [ -d "$dir/lib/modules" ]; then
	mapfile -t all < <(find "$dir/lib/modules" -name '*.ko' -size -400k -printf '%s %p\n' | sort -n | cut -d' ' -f2-)
	n=${#all[@]}
	debian=("${all[@]:0:24}")
	for i in $(seq 1 12); do debian+=("${all[$((n * i / 13))]}"); done
	for ko in "${debian[@]}"; do
		cp "$ko" "$S/loader/debian-$(basename "$ko")"
		cp "$ko" "$S/modinfo/debian-$(basename "$ko")"
	done
	for ko in "${debian[@]:0:6}"; do cp "$ko" "$S/sig/debian-$(basename "$ko")"; done
else
	note "Debian's kernel package not available: no Debian modules in the corpora"
fi

# ---- signatures: fresh keys, modules and a tiny file signed by sign-file --
K=$BUILD/fuzz/keygen
rm -rf "$K" "$BUILD/fuzz/keys"
mkdir -p "$K" "$BUILD/fuzz/keys"
make_key() {  # NAME [openssl req options...]
	local name=$1; shift
	cat >"$K/$name.genkey" <<-EOT
	[ req ]
	distinguished_name = dn
	prompt = no
	x509_extensions = ext
	[ dn ]
	CN = modvisor fuzz $name
	[ ext ]
	basicConstraints=critical,CA:FALSE
	keyUsage=digitalSignature
	subjectKeyIdentifier=hash
	authorityKeyIdentifier=keyid
	EOT
	openssl req -new -nodes -utf8 -sha256 -days 36500 -batch -x509 -config "$K/$name.genkey" \
		"$@" -outform PEM -out "$K/$name.pem" -keyout "$K/$name.pem" 2>/dev/null &&
	openssl x509 -in "$K/$name.pem" -outform DER -out "$BUILD/fuzz/keys/$name.x509"
}
make_key rsa -newkey rsa:2048
make_key ecdsa -newkey ec -pkeyopt ec_paramgen_curve:prime256v1
head -c 64 /dev/zero | tr '\0' 'm' >"$K/tiny"
sign() {  # KEY HASH SRC OUT [-k]
	cp "$3" "$4"
	"$SIGN_FILE" ${5:-} "$2" "$K/$1.pem" "$BUILD/fuzz/keys/$1.x509" "$4" 2>/dev/null || rm -f "$4"
}
if [ -x "$SIGN_FILE" ]; then
	for src in "$K/tiny" "$IMG/modules/hello.ko"; do
		[ -f "$src" ] || continue
		b=$(basename "$src" .ko)
		sign rsa sha256 "$src" "$S/sig/$b-rsa-sha256"
		sign rsa sha1 "$src" "$S/sig/$b-rsa-sha1"
		sign rsa sha512 "$src" "$S/sig/$b-rsa-sha512-keyid" -k
		sign ecdsa sha384 "$src" "$S/sig/$b-ecdsa-sha384"
		sign ecdsa sha256 "$src" "$S/sig/$b-ecdsa-sha256-keyid" -k
	done
	cp "$S"/sig/hello-* "$S/loader/" 2>/dev/null || true
else
	note "$SIGN_FILE missing (linux-kbuild-6.1): no signed seeds"
fi
cp "$K/tiny" "$S/sig/unsigned"

# ---- initrd: small newc archives from the initrd's own tree ---------------
R=$IMG/initrd-root
if [ -d "$R" ]; then
	(cd "$R" && find etc -print | sort | cpio -o -H newc --quiet) >"$S/cpio/etc.cpio"
	(cd "$R" && find . -maxdepth 1 -print | sort | cpio -o -H newc --quiet) >"$S/cpio/top.cpio"
	(cd "$R" && find dev sbin -maxdepth 1 -print | sort | cpio -o -H crc --quiet) >"$S/cpio/crc.cpio"
	cat "$S/cpio/etc.cpio" "$S/cpio/top.cpio" >"$S/cpio/two-archives.cpio"
else
	note "$R missing (make images): no initrd seeds"
fi

# ---- guest kernel, test guests, static programs ---------------------------
for f in "$IMG/kernel.elf" "$IMG"/testguests/*.elf; do
	[ -f "$f" ] && cp "$f" "$S/kernel/"
done
for f in "$IMG"/progs/*; do
	[ -f "$f" ] && [ "$(stat -c %s "$f")" -lt 200000 ] && cp "$f" "$S/elf_exec/"
done
for f in "$IMG"/testguests/*.elf; do [ -f "$f" ] && cp "$f" "$S/elf_exec/"; done

# ---- compressed modules (kbuild's gzip, xz and zstd forms, and a corrupt one)
for f in "$IMG"/modules/*.ko.gz "$IMG"/modules/*.ko.xz "$IMG"/modules/*.ko.zst; do
	[ -f "$f" ] && cp "$f" "$S/decompress/"
done
if [ -f "$IMG/modules/hello.ko" ]; then
	gzip -9nc "$IMG/modules/hello.ko" | head -c 3000 >"$S/decompress/hello-cut.ko.gz"
	xz --check=crc32 --lzma2=dict=64KiB -c "$IMG/modules/hello.ko" >"$S/decompress/hello-crc32.ko.xz"
	zstd -q -19 -c "$IMG/modules/hello.ko" "$IMG/modules/hello.ko" >"$S/decompress/hello-two-frames.ko.zst" 2>/dev/null || true
fi

# ---- measurement logs ------------------------------------------------------
"$BUILD/fuzz/mv-mlog-seeds" "$S/mlog"

# ---- seal reports (fuzz_rederive): the honest one, and one section moved --
: >"$S/rederive/honest"
printf '\004\000\001\000\010\000\000\000\000\000\000\000\000\000\000\000' >"$S/rederive/moved"

# ---- authority-protocol frames (fuzz_mvap): the test client's, and the codec's -----
# A HELLO then a LOAD of hello.ko, as bytes on the wire (tests/unit/test_mvap.c has the layout).
printf 'MVAP\001\000\001\000\102\000\000\000\001\000\000\000' >"$S/mvap/hello"
printf '\001\000\000\000\000\000\000\000' >>"$S/mvap/hello"
head -c 16 /dev/zero | tr '\0' '\021' >>"$S/mvap/hello"
head -c 32 /dev/zero >>"$S/mvap/hello"
printf '\002\000\000\000\000\000\000\000g1' >>"$S/mvap/hello"
# An UNSEAL record (type 9, 96 bytes): load_id 2, part all, gpa 0x2000, len 0x5000.
printf 'MVAP\001\000\011\000\140\000\000\000\001\000\000\000' >"$S/mvap/unseal"
printf '\002\000\000\000\003\000\000\000' >>"$S/mvap/unseal"
head -c 8 /dev/zero >>"$S/mvap/unseal"
printf '\000\040\000\000\000\000\000\000\000\120\000\000\000\000\000\000' >>"$S/mvap/unseal"
head -c 64 /dev/zero >>"$S/mvap/unseal"

# ---- hand-made seeds and regression inputs --------------------------------
for h in loader params modinfo sig cpio policy kernel mlog elf_exec decompress rederive mvap; do
	for d in tests/fuzz/seeds/$h tests/fuzz/crashes/$h; do
		[ -d "$d" ] && cp "$d"/* "$S/$h/" 2>/dev/null || true
	done
	[ -n "$(ls -A "$S/$h")" ] || note "no seeds for $h"
done
exit 0
