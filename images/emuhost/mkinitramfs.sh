#!/usr/bin/env bash
# mkinitramfs.sh: build the emulated KVM host's initramfs (busybox, kvm_amd, 9p over virtio, /init).
#
# usage: images/emuhost/mkinitramfs.sh KERNEL_PKG_DIR OUT.cpio.gz
#
# KERNEL_PKG_DIR is an extracted linux-image-*-amd64 package (see
# scripts/fetch-debian-kernel.sh).  The package has no modules.dep (depmod
# runs at install time), so dependencies come from each module's own
# "depends" field (modinfo), resolved depth-first; /lib/modules/order lists
# the modules in an order insmod accepts.
set -euo pipefail

KDIR=$1 OUT=$2
HERE=$(cd "$(dirname "$0")" && pwd)
KVER=$(ls -1 "$KDIR/lib/modules" | head -n 1)
MODDIR=$KDIR/lib/modules/$KVER/kernel
# What the host needs: KVM on AMD SVM (what QEMU's TCG emulates), and the
# host's file system over virtio-9p, and the control channel to modvisor
# (a virtio-serial port, vmm/emuhost/ctl.h).
WANT="kvm-amd virtio_pci 9pnet_virtio 9p virtio_console"

[ -d "$MODDIR" ] || { echo "mkinitramfs: $MODDIR: no modules (bad kernel dir?)" >&2; exit 1; }
[ -x /bin/busybox ] || { echo "mkinitramfs: /bin/busybox missing (apt-get install busybox-static)" >&2; exit 1; }

ROOT=$(mktemp -d)
trap 'rm -rf "$ROOT"' EXIT
mkdir -p "$ROOT"/{bin,lib/modules,proc,sys,dev,host,tmp}
cp /bin/busybox "$ROOT/bin/busybox"
cp "$HERE/init" "$ROOT/init"
chmod 755 "$ROOT/init"

ORDER=()
# add_module NAME: copy NAME.ko after its dependencies (names use - or _).
add_module() {
	local name=${1//-/_} f dep m
	for m in "${ORDER[@]}"; do [ "$m" = "$name" ] && return 0; done
	f=$(find "$MODDIR" \( -name "$name.ko*" -o -name "${name//_/-}.ko*" \) | head -n 1)
	if [ -z "$f" ]; then
		# Built into this kernel: nothing to load.
		grep -q "/${name//_/[-_]}.ko\$" "$KDIR/lib/modules/$KVER/modules.builtin" 2>/dev/null && return 0
		echo "mkinitramfs: module $name not found under $MODDIR" >&2; exit 1
	fi
	for dep in $(modinfo -F depends "$f" | tr ',' ' '); do add_module "$dep"; done
	case $f in
	*.ko.xz)  xz -dc "$f" >"$ROOT/lib/modules/$name.ko" ;;
	*.ko.zst) zstd -qdc "$f" >"$ROOT/lib/modules/$name.ko" ;;
	*.ko.gz)  gzip -dc "$f" >"$ROOT/lib/modules/$name.ko" ;;
	*)        cp "$f" "$ROOT/lib/modules/$name.ko" ;;
	esac
	ORDER+=("$name")
}
for m in $WANT; do add_module "$m"; done
echo "${ORDER[*]}" >"$ROOT/lib/modules/order"

mkdir -p "$(dirname "$OUT")"
(cd "$ROOT" && find . | LC_ALL=C sort | cpio -o -H newc --quiet -R 0:0) | gzip -6 >"$OUT.tmp"
mv "$OUT.tmp" "$OUT"
