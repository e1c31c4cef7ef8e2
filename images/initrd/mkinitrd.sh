#!/usr/bin/env bash
# mkinitrd.sh ROOT OUT: stage the default initrd tree in ROOT and write OUT (newc cpio).
# Inputs from the environment (images/initrd/build.mk): BIN_APPLETS,
# SBIN_APPLETS, PROGS, MODULES (file lists) and INITRD_MTIME.
set -euo pipefail
root=$1 out=$2

# Debian's busybox-static, as its package installed it.
busybox=$(dpkg -L busybox-static 2>/dev/null | grep -E '/bin/busybox$' | head -n 1 || true)
if [ -z "$busybox" ] || [ ! -x "$busybox" ]; then
	echo "mkinitrd: busybox-static is not installed; run scripts/deps.sh (make deps)" >&2
	exit 1
fi

rm -rf "$root"
mkdir -p "$root"/{bin,sbin,etc,dev,proc,sys,tmp,root,lib/modules,usr/bin,usr/sbin}
chmod 1777 "$root/tmp"
chmod 0700 "$root/root"
cp "$busybox" "$root/bin/busybox"
chmod 0755 "$root/bin/busybox"
for a in $BIN_APPLETS; do ln -s busybox "$root/bin/$a"; done
for a in $SBIN_APPLETS; do ln -s ../bin/busybox "$root/sbin/$a"; done

for p in $PROGS; do install -m 0755 "$p" "$root/bin/"; done
for m in $MODULES; do install -m 0644 "$m" "$root/lib/modules/"; done

# kmod's (and busybox's) modprobe, modinfo and depmod work in
# /lib/modules/$(uname -r): the sample modules (not the broken bad-* and
# fault-* ones, nor the hostile wtext) are linked there under extra/, and Debian's depmod on the
# build host writes modules.dep and its binary indexes, as a kernel package
# ships them (a guest `depmod -a` writes the same files: tests/e2e/t-kmod-guest.sh).
# The host's /etc/depmod.d is not read; modules.builtin* are empty (nothing
# is built in).
release=$(sed -n 's/^#define MODVISOR_UTS_RELEASE *"\(.*\)"/\1/p' shared/include/modvisor/version.h)
moddir=$root/lib/modules/$release
mkdir -p "$moddir/extra"
for m in $MODULES; do
	case $(basename "$m") in bad-*|fault-*|wtext.ko|*.ko.*) continue ;; esac
	ln -s "../../$(basename "$m")" "$moddir/extra/$(basename "$m")"
	echo "extra/$(basename "$m")"
done >"$moddir/modules.order"
: >"$moddir/modules.builtin"
: >"$moddir/modules.builtin.modinfo"
depmod=$(command -v depmod || echo /sbin/depmod)
"$depmod" -C "$root/etc/depmod.d" -b "$root" "$release"

printf 'root:x:0:0:root:/root:/bin/sh\ndaemon:x:1:1:daemon:/usr/sbin:/bin/false\nbin:x:2:2:bin:/bin:/bin/false\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' >"$root/etc/passwd"
printf 'root:x:0:\ndaemon:x:1:\nbin:x:2:\nnogroup:x:65534:\n' >"$root/etc/group"
printf 'modvisor\n' >"$root/etc/hostname"

# Reproducible: fixed mtimes, sorted names, root-owned, no device numbers.
find "$root" -exec touch -h -d "$INITRD_MTIME" {} +
tmp="$out.tmp"
(cd "$root" && find . -mindepth 1 -printf "%P\n" | LC_ALL=C sort |
	cpio -H newc -o --quiet --reproducible -R 0:0) >"$tmp"
mv "$tmp" "$out"
