#!/usr/bin/env bash
# fetch-debian-kernel.sh: download and extract Debian's standard kernel package (cached); print its dir.
#
# usage: scripts/fetch-debian-kernel.sh [BUILD_DIR]     (default: build)
#
# Resolves the current ABI package (linux-image-6.1.0-NN-amd64) through
# `apt-cache depends linux-image-amd64`, fetches its .deb with
# `apt-get download` and extracts the whole package with `dpkg-deb -x` into
# BUILD_DIR/cache/linux-image/<package>/.  The last line of output is that
# directory.  Nothing is printed on stderr when everything is cached.
#
# The .deb (about 70 MB) is also kept outside the clone, in
# $MODVISOR_CACHE (default ${XDG_CACHE_HOME:-~/.cache}/modvisor), so fresh
# clones do not download it again; BUILD_DIR alone is enough if that
# directory cannot be written.  Env MODVISOR_KERNEL_PKG overrides the name.
set -euo pipefail

BUILD=${1:-build}
CACHE=${MODVISOR_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/modvisor}
OUTROOT=$BUILD/cache/linux-image

die() { echo "fetch-debian-kernel: $*" >&2; exit 1; }

# kernel_pkg: the package the metapackage depends on right now.  When apt
# cannot answer (no lists), fall back to what is already extracted.
kernel_pkg() {
	local p
	p=$(apt-cache depends linux-image-amd64 2>/dev/null |
		awk '/Depends: linux-image-[0-9]/ { print $2; exit }') || true
	if [ -z "$p" ]; then
		p=$(ls -1 "$OUTROOT" 2>/dev/null | grep '^linux-image-.*-amd64$' | sort -V | tail -n 1) || true
	fi
	[ -n "$p" ] && echo "$p"
}

# apt_update: refresh the package lists once (they may be missing on a fresh
# machine, or name a kernel the mirror no longer has).
UPDATED=0
apt_update() {
	[ $UPDATED = 0 ] || return 1
	UPDATED=1
	local sudo=""
	[ "$(id -u)" = 0 ] || sudo="sudo -n"
	echo "fetch-debian-kernel: apt-get update" >&2
	$sudo apt-get update -qq >&2 || true
}

# find_deb: a .deb of PKG already on this machine, if any.
find_deb() {
	ls -1 "$CACHE/$PKG"_*.deb "$OUTROOT/$PKG"_*.deb \
		/var/cache/apt/archives/"$PKG"_*.deb 2>/dev/null | head -n 1 || true
}

# download: fetch PKG's .deb into the shared cache (or BUILD alone).
download() {
	local dl=$OUTROOT
	mkdir -p "$OUTROOT"
	if mkdir -p "$CACHE" 2>/dev/null && [ -w "$CACHE" ]; then dl=$CACHE; fi
	echo "fetch-debian-kernel: downloading $PKG (about 70 MB) into $dl" >&2
	(cd "$dl" && apt-get download -q -o APT::Sandbox::User="$(id -un)" "$PKG" >&2)
}

PKG=${MODVISOR_KERNEL_PKG:-}
if [ -z "$PKG" ]; then
	PKG=$(kernel_pkg) || { apt_update; PKG=$(kernel_pkg); } ||
		die "cannot resolve linux-image-amd64 to a kernel package (try: apt-get update)"
fi
DIR=$OUTROOT/$PKG
if [ -f "$DIR/.complete" ]; then
	echo "$DIR"
	exit 0
fi

DEB=$(find_deb)
if [ -z "$DEB" ]; then
	if ! download; then
		apt_update || die "apt-get download $PKG failed (network? try: apt-get update)"
		[ -n "${MODVISOR_KERNEL_PKG:-}" ] || PKG=$(kernel_pkg) || die "cannot resolve linux-image-amd64"
		DIR=$OUTROOT/$PKG
		download || die "apt-get download $PKG failed (network? proxy? see the apt message above)"
	fi
	DEB=$(find_deb)
	[ -n "$DEB" ] || die "apt-get download $PKG left no .deb behind"
fi

echo "fetch-debian-kernel: extracting $(basename "$DEB")" >&2
rm -rf "$DIR" "$DIR.tmp"
mkdir -p "$DIR.tmp"
dpkg-deb -x "$DEB" "$DIR.tmp" || die "dpkg-deb -x $DEB failed"
touch "$DIR.tmp/.complete"
mv "$DIR.tmp" "$DIR"
echo "$DIR"
