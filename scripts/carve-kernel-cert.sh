#!/usr/bin/env bash
# carve-kernel-cert.sh: extract the module-signing certificate built into a Debian vmlinuz.
#
# usage: scripts/carve-kernel-cert.sh VMLINUZ OUT.der
#
# Debian generates its signing key per build and ships the certificate only
# inside the kernel image.  vmlinuz is a boot stub followed by an xz stream;
# in the decompressed kernel the certificate is a DER SEQUENCE holding a v3
# tbsCertificate (30 82 LL LL 30 82 LL LL a0 03 02 01 02).  Every candidate
# is tried with openssl; the first it accepts is written to OUT.der.  Then:
#   build/modvisor verify --keyring OUT.der /path/to/debian/module.ko
set -euo pipefail

[ $# -eq 2 ] || { echo "usage: $0 VMLINUZ OUT.der" >&2; exit 2; }
IN=$1 OUT=$2
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

off=$(LC_ALL=C grep -m1 -obUaP '\xfd7zXZ\x00' "$IN" | cut -d: -f1 || true)
[ -n "$off" ] || { echo "$IN: no xz stream (not a Debian x86 vmlinuz?)" >&2; exit 1; }
dd if="$IN" bs=64K iflag=skip_bytes skip="$off" status=none |
	xz -dc --single-stream >"$TMP/vmlinux" 2>/dev/null || true
[ -s "$TMP/vmlinux" ] || { echo "$IN: the xz stream does not decompress" >&2; exit 1; }

for seq in $(LC_ALL=C grep -obUaP '\x30\x82..\x30\x82..\xa0\x03\x02\x01\x02' "$TMP/vmlinux" |
	     cut -d: -f1); do
	read -r hi lo < <(od -An -tu1 -j $((seq + 2)) -N2 "$TMP/vmlinux")
	dd if="$TMP/vmlinux" of="$TMP/cand.der" bs=64K iflag=skip_bytes,count_bytes \
		skip="$seq" count=$((hi * 256 + lo + 4)) status=none
	if openssl x509 -inform DER -in "$TMP/cand.der" -noout 2>/dev/null; then
		cp "$TMP/cand.der" "$OUT"
		openssl x509 -inform DER -in "$OUT" -noout -subject >&2
		exit 0
	fi
done
echo "$IN: no X.509 certificate found in the kernel" >&2
exit 1
