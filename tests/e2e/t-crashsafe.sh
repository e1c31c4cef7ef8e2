#!/usr/bin/env bash
# tests/e2e/t-crashsafe.sh: crash safety of the measurement log.  A ring-0 guest
# (hg-stream, images/testguests/hostile.S) loads and reports a new image in an
# endless loop; the VMM is killed with SIGKILL at a random moment, 50 times.
# Each time `modvisor log verify` must find a valid prefix (status 0, or 3 with
# "PREFIX"), never tampering (status 1).  A kill cannot cut an entry (each is
# one write(2) of a few hundred bytes), so each log is also cut at a random
# byte, as a power loss or a full disk would: a half-written final entry must
# be reported as "truncated final entry (crash?)" with the right prefix count.
# Finally a new run resumes the killed log and the whole chain verifies.
cd "$(dirname "$0")/../.."
. tests/lib.sh
TG=build/images/testguests
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
RUNS=${CRASHSAFE_RUNS:-50}

# verify LOG: sets $vst (log verify's status) and $vout (its output).
verify() {
	vout=$($MV log verify "$1" 2>&1)
	vst=$?
}

# prefix_count: the entry count in $vout ("ok, N entries" or "PREFIX: N entries").
prefix_count() {
	sed -nE 's/^(ok, |.*: PREFIX: )([0-9]+) entries.*/\2/p' <<<"$vout"
}

bad_kill=0 bad_cut=0 min=-1 max=0 torn=0
for i in $(seq 1 "$RUNS"); do
	log=$OUT/run$i.log
	$MV run --accel=kvm --mem 16 --initrd none --log "$log" \
		--kernel "$TG/hg-stream.elf" >/dev/null 2>"$OUT/run$i.err" &
	pid=$!
	for _ in $(seq 200); do          # let the stream start, then kill at random
		[ -s "$log" ] && break
		sleep 0.05
	done
	sleep "$(printf '0.%03d' $((RANDOM % 500 + 20)))"
	kill -KILL "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	[ -f "$log" ] || : >"$log"      # killed before the log was created
	verify "$log"
	n=$(prefix_count)
	if [ "$vst" = 1 ] || [ -z "$n" ] || { [ "$vst" = 3 ] && ! grep -q PREFIX <<<"$vout"; }; then
		bad_kill=$((bad_kill + 1))
		echo "# run $i: status $vst: $vout"
		continue
	fi
	[ "$min" -lt 0 ] || [ "$n" -lt "$min" ] && min=$n
	[ "$n" -gt "$max" ] && max=$n
	# Cut a copy at a random byte: the complete lines before the cut verify.
	size=$(stat -c %s "$log")
	[ "$size" -gt 0 ] || continue
	cut=$(( (RANDOM * 32768 + RANDOM) % size + 1 ))
	head -c "$cut" "$log" >"$OUT/cut.log"
	want=$(head -c "$cut" "$log" | tr -cd '\n' | wc -c)
	verify "$OUT/cut.log"
	case $(tail -c 1 "$OUT/cut.log" | od -An -c | tr -d ' ') in
	'\n') need="PREFIX" ;;
	*) need="truncated final entry (crash?)"; torn=$((torn + 1)) ;;
	esac
	if [ "$vst" != 3 ] || [ "$(prefix_count)" != "$want" ] || ! grep -qF "$need" <<<"$vout"; then
		bad_cut=$((bad_cut + 1))
		echo "# run $i cut at $cut of $size (want $want entries): status $vst: $vout"
	fi
done
t_expect_status "crashsafe: $RUNS SIGKILLs mid-stream leave a valid prefix ($min-$max entries)" \
	0 "$bad_kill"
t_expect_status "crashsafe: each log cut at a random byte ($torn mid-entry) is a detected prefix" \
	0 "$bad_cut"

# The last killed log: a new run continues its chain, and all of it verifies.
$MV run --accel=kvm --mem 16 --initrd none --log "$log" \
	--kernel "$TG/hg-race_flip.elf" >/dev/null 2>"$OUT/resume.err"
t_expect_status "crashsafe: a new run resumes a killed log" 0 "$?"
verify "$log"
t_expect_status "crashsafe: the resumed log verifies end to end" 0 "$vst"
if grep -q "run(s) stopped without their end entry" <<<"$vout"; then
	t_pass "crashsafe: verify notes the killed run"
else
	t_fail "crashsafe: verify notes the killed run" "$vout"
fi

# A torn final entry is never resumed (the next entry would be glued to it).
head -c 40 "$log" >"$OUT/torn.log"
$MV run --accel=kvm --mem 16 --initrd none --log "$OUT/torn.log" \
	--kernel "$TG/hg-race_flip.elf" >/dev/null 2>"$OUT/torn.err"
t_expect_status "crashsafe: a run refuses to append to a torn log" 124 "$?"
t_expect_contains "crashsafe: and says why" "$OUT/torn.err" "truncated final entry (crash?)"
