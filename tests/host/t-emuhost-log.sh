#!/usr/bin/env bash
# t-emuhost-log.sh: runs in separate emulated KVM hosts append to one measurement log safely (issue 12, finding 2).
#
# QEMU's 9p server grants every flock without locking, so the log's lock
# must be taken on the real host (vmm/emuhost/hostlock.c).  Several
# `modvisor run --accel=emulated` start together, each with its own QEMU,
# each guest (hg-stream) loading images in an endless loop until the
# --timeout watchdog stops it; then the shared log must verify, every seq
# be unique, and every run have its start and end entry.
set -u
cd "$(dirname "$0")/../.."
. tests/lib.sh
TG=build/images/testguests
RUNS=${SHAREDLOG_RUNS:-2}
W=$T_DIR

if [ ! -f "$TG/hg-stream.elf" ] || [ ! -r build/emuhost/initramfs.cpio.gz ]; then
	t_fail "shared log: setup" "need $TG/hg-stream.elf and build/emuhost (make)"
	exit 0
fi

pids=()
for ((i = 1; i <= RUNS; i++)); do
	"$MV" run --accel=emulated --mem 16 --initrd none --timeout 8 --log "$W/shared.log" \
		--kernel "$TG/hg-stream.elf" >"$W/out$i" 2>"$W/err$i" &
	pids+=($!)
done
bad=0
for ((i = 1; i <= RUNS; i++)); do
	wait "${pids[i - 1]}"
	st=$?
	# 110: the --timeout watchdog stopped the endless stream, as intended.
	if [ "$st" != 110 ]; then
		bad=$((bad + 1))
		echo "# run $i: status $st"; sed 's/^/    | /' "$W/err$i" | tail -n 15
	fi
done
t_expect_status "shared log: $RUNS concurrent emulated runs end by their watchdog (110)" 0 "$bad"

"$MV" log verify "$W/shared.log" >"$W/verify" 2>&1
st=$?
t_expect_status "shared log: the log of $RUNS concurrent emulated runs verifies" 0 "$st"
[ "$st" = 0 ] || head -n 5 "$W/verify" | sed 's/^/    | /'

n=$(grep -c . "$W/shared.log")
dups=$(grep -o '^{"seq":[0-9]*' "$W/shared.log" | sort | uniq -d | wc -l)
if [ "$n" -gt $((4 * RUNS)) ] && [ "$dups" = 0 ]; then
	t_pass "shared log: $n entries, every seq unique"
else
	t_fail "shared log: every seq unique" "$n entries, $dups duplicated seq values"
fi

starts=$(grep -c '"type":"start"' "$W/shared.log")
ends=$(grep -c '"type":"end"' "$W/shared.log")
if [ "$starts" = "$RUNS" ] && [ "$ends" = "$RUNS" ]; then
	t_pass "shared log: each run has its start and end entry"
else
	t_fail "shared log: each run has its start and end entry" "$starts starts, $ends ends"
fi

# Not asserted (timing): how much the runs overlapped, which is what this tests.
runs_seen=$(grep -o '"run":"[0-9a-f]*"' "$W/shared.log" | uniq | wc -l)
echo "# $n entries in $runs_seen stretches of one run (more than $RUNS: they interleaved)"
t_done
