#!/usr/bin/env bash
# t-run-inputs.sh: `modvisor run` refuses bad inputs before anything boots (issue 12 findings 3 and 4).
#
# None of these checks boots a guest or the emulated KVM host: each refusal
# must come before, so none may print the emulated host's line.
set -u
cd "$(dirname "$0")/../.."
. tests/lib.sh
TG=build/images/testguests
OUT=$(mktemp -d "${TMPDIR:-/tmp}/t-run-inputs.XXXXXX")
trap 'rm -rf "$OUT"' EXIT

# refused NAME STATUS NEEDLE CMD...: CMD exits STATUS, names NEEDLE, and boots nothing.
refused() {
	local name=$1 want=$2 needle=$3
	shift 3
	"$@" >"$OUT/o" 2>"$OUT/e"
	t_expect_status "$name: exit $want" "$want" "$?"
	t_expect_contains "$name: says why" "$OUT/e" "$needle"
	t_expect_absent "$name: before the emulated host" "$OUT/e" "emulated KVM host"
}

# ---- finding 3: --log paths up to PATH_MAX; longer ones refused --------
long=$OUT/$(printf 'd%.0s' $(seq 200))/$(printf 'e%.0s' $(seq 200))/$(printf 'f%.0s' $(seq 200))
toolong=$long$(printf '/%0200d' $(seq 20))/x.log
refused "--log longer than PATH_MAX" 2 "is too long (at most 4095: PATH_MAX)" \
	"$MV" run --accel=emulated --log "$toolong" --kernel "$TG/hello.elf" --initrd none
