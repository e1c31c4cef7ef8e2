#!/usr/bin/env bash
# t-corpus.sh: the loader's validate-and-relocate dry run over Debian's real signed modules.
#
# Fetches linux-image-6.1.0-NN-amd64 (cached; scripts/fetch-debian-kernel.sh)
# and runs build/tests/mv-reloc-corpus over every .ko in it (about 4000,
# amdgpu.ko at ~19 MB the largest): signature trailer split, ELF checks,
# layout, made-up addresses for undefined symbols, every relocation applied.
# MV_CORPUS_MAX=N limits the run to N modules (the largest always included).
set -u
cd "$(dirname "$0")/../.."
. tests/lib.sh

TOOL=${MV_CORPUS_TOOL:-build/tests/mv-reloc-corpus}
OUT=build/tests/log/corpus
mkdir -p "$OUT"

if [ ! -x "$TOOL" ]; then
	t_fail "corpus: tool" "$TOOL missing (make tests)"; exit 0
fi
if ! DIR=$(scripts/fetch-debian-kernel.sh build 2>"$OUT/fetch.err" | tail -n 1) || [ ! -d "$DIR/lib/modules" ]; then
	t_fail "corpus: fetch Debian's kernel" "$(tail -n 1 "$OUT/fetch.err")"; exit 0
fi
t_pass "corpus: Debian kernel package at $DIR"

find "$DIR/lib/modules" -name '*.ko' | sort >"$OUT/all.list"
largest=$(find "$DIR/lib/modules" -name '*.ko' -printf '%s %p\n' | sort -n | tail -n 1 | cut -d' ' -f2-)
if [ -n "${MV_CORPUS_MAX:-}" ]; then
	{ echo "$largest"; awk -v n="$MV_CORPUS_MAX" 'NR % int(('"$(wc -l <"$OUT/all.list")"' + n - 1) / n) == 0' "$OUT/all.list"; } |
		sort -u >"$OUT/run.list"
else
	cp "$OUT/all.list" "$OUT/run.list"
fi
n=$(wc -l <"$OUT/run.list")
if [ "$n" -ge 300 ]; then t_pass "corpus: $n modules selected (>= 300)"
else t_fail "corpus: module count" "only $n modules (want >= 300)"; fi

"$TOOL" -v -l "$OUT/run.list" >"$OUT/result.txt" 2>&1
st=$?
t_expect_status "corpus: every module relocated (none refused, no crash)" 0 "$st"
grep '^refused ' "$OUT/result.txt" | head -n 5 | sed 's/^/    | /'
t_expect_contains "corpus: largest module ($(basename "$largest")) relocated" "$OUT/result.txt" "ok $largest "
t_expect_contains "corpus: summary line" "$OUT/result.txt" "modules: $n relocated: $n refused: 0"
t_expect_contains "corpus: every signature trailer split off (all are signed)" "$OUT/result.txt" "signed: $n"
for type in 64 PC32 PLT32 32S PC64; do
	t_expect_contains "corpus: R_X86_64_$type relocations applied" "$OUT/result.txt" "R_X86_64_$type: "
done
sed -n '/^modules: /,$p' "$OUT/result.txt" | sed 's/^/    /'

# A damaged copy must be refused with a named reason, not crash or pass.
small=$(head -n 1 "$OUT/run.list")
cp "$small" "$OUT/damaged.ko"
printf '\x03' | dd of="$OUT/damaged.ko" bs=1 seek=18 conv=notrunc status=none  # e_machine = EM_386
"$TOOL" "$OUT/damaged.ko" >"$OUT/damaged.txt" 2>&1
t_expect_status "corpus: damaged module refused" 1 "$?"
t_expect_contains "corpus: refusal names its reason" "$OUT/damaged.txt" "not an x86-64 object (e_machine)"
t_done
