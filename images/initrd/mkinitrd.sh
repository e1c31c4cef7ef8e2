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

# busybox modinfo/modprobe read /lib/modules/$(uname -r)/modules.dep; the
# modules themselves stay in /lib/modules, named relative to that directory.
release=$(sed -n 's/^#define MODVISOR_UTS_RELEASE *"\(.*\)"/\1/p' shared/include/modvisor/version.h)
mkdir -p "$root/lib/modules/$release"
for m in $MODULES; do
	deps=$(/sbin/modinfo -F depends "$m" 2>/dev/null | tr ',' ' ' || true)
	line="../$(basename "$m"):"
	for d in $deps; do line="$line ../$d.ko"; done
	echo "$line"
done >"$root/lib/modules/$release/modules.dep"

printf 'root:x:0:0:root:/root:/bin/sh\ndaemon:x:1:1:daemon:/usr/sbin:/bin/false\nbin:x:2:2:bin:/bin:/bin/false\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' >"$root/etc/passwd"
printf 'root:x:0:\ndaemon:x:1:\nbin:x:2:\nnogroup:x:65534:\n' >"$root/etc/group"
printf 'modvisor\n' >"$root/etc/hostname"

# Reproducible: fixed mtimes, sorted names, root-owned, no device numbers.
find "$root" -exec touch -h -d "$INITRD_MTIME" {} +
tmp="$out.tmp"
(cd "$root" && find . -mindepth 1 -printf "%P\n" | LC_ALL=C sort |
	cpio -H newc -o --quiet --reproducible -R 0:0) >"$tmp"
mv "$tmp" "$out"
