#!/usr/bin/env bash
# Install the Debian packages modvisor needs, only those missing; silent when nothing is.
set -euo pipefail

# One package per need; see docs/architecture.md for who uses what.
PKGS=(
  gcc make libc6-dev pkg-config binutils        # toolchain
  linux-libc-dev                                 # KVM API headers
  libxxhash-dev                                  # XXH3 measurements
  libssl-dev openssl                             # SHA-2, CMS, X.509
  zlib1g-dev liblzma-dev libzstd-dev             # module decompression
  libinih-dev                                    # policy files
  check libsubunit-dev                           # unit tests
  qemu-system-x86 cpio                           # emulated KVM host
  busybox-static                                 # default initrd userland
  musl-tools                                     # musl-static guest test program
  kmod elfutils                                  # modinfo, eu-elflint; depmod (initrd); kmod in the guest (--kmod)
  xz-utils zstd gzip                             # compressed modules
  linux-kbuild-6.1                               # the kernel's sign-file
  clang-14 libclang-rt-14-dev                    # sanitizers and libFuzzer
  gnuplot-nox                                    # benchmark plots
  ima-evm-utils                                  # IMA log cross-check
  tmux                                           # interactive terminal tests
  libvirt-daemon-system libvirt-clients          # domain-xml's guests under libvirt (t-libvirt)
)

# The kbuild headers of the kernel the emulated KVM host runs, for the
# differential suite (tests/host/t-diff.sh): the ABI package that
# linux-image-amd64 depends on now, resolved as scripts/fetch-debian-kernel.sh
# resolves the image, with linux-image- turned into linux-headers-.
kimg=$(apt-cache depends linux-image-amd64 2>/dev/null |
	awk '/Depends: linux-image-[0-9]/ { print $2; exit }') || true
[ -n "$kimg" ] && PKGS+=("linux-headers-${kimg#linux-image-}")

missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "deps: installing ${missing[*]}" >&2
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq >/dev/null || true
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
