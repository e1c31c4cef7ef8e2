#!/usr/bin/env bash
# extract-vmlinux.sh: unpack the ELF kernel inside a bzImage, so QEMU can boot it through its PVH entry.
#
# usage: images/emuhost/extract-vmlinux.sh VMLINUZ OUT
#
# Under TCG, a compressed bzImage spends about 3 s decompressing itself
# before Linux starts; QEMU boots the uncompressed ELF directly when it
# carries a PVH entry note (CONFIG_PVH=y, as Debian's kernels have), which
# halves the emulated host's boot time.  The payload is found by the
# magic number of its compressor, as the kernel's scripts/extract-vmlinux
# does.
set -euo pipefail

IN=$1 OUT=$2

# try MAGIC DECOMPRESSOR: decompress from each offset where MAGIC occurs.
try() {
	local off
	for off in $(LC_ALL=C grep -abo "$1" "$IN" | cut -d: -f1); do
		tail -c +$((off + 1)) "$IN" | $2 >"$OUT.tmp" 2>/dev/null || true
		if [ "$(head -c 4 "$OUT.tmp" 2>/dev/null)" = $'\x7fELF' ]; then
			mv "$OUT.tmp" "$OUT"
			exit 0
		fi
	done
}

try $'\xfd7zXZ\x00' "xz -dc"
try $'\x28\xb5\x2f\xfd' "zstd -dcq"
try $'\x1f\x8b\x08' "gzip -dc"
rm -f "$OUT.tmp"
echo "extract-vmlinux: no ELF kernel found inside $IN" >&2
exit 1
