#!/usr/bin/env bash
# tests/e2e/t-crashsafe.sh: crash safety of the measurement log.  A ring-0 guest
# (hg-stream, images/testguests/hostile.S) loads and reports a new image in an
# endless loop; the VMM is killed with SIGKILL at a random moment, 50 times.
# Each time `modvisor log verify` must find a valid prefix (status 0, or 3 with
# "PREFIX"), never tampering (status 1).  A kill cannot cut an entry (each is
# one write(2) of a few hundred bytes), so every 5th log is also cut at a
# random byte, as a power loss would: a half-written final entry must be
# reported as "truncated final entry (crash?)" with the right prefix count
# (tests/unit/test_mlog.c tries every cut position of a final entry).
# Finally a new run resumes the killed log and the whole chain verifies.
cd "$(dirname "$0")/../.."
. tests/lib.sh
TG=build/images/testguests
OUT=$T_DIR
RUNS=${CRASHSAFE_RUNS:-50}

# Under the emulated KVM host every fork+exec is slow, so the loop waits with
# bash's builtin `read -t` on a coprocess's pipe that never delivers (neither
# a FIFO nor /dev/fd is available there), falling back to sleep(1), and
# parses with [[ =~ ]].
coproc QUIET { exec sleep 100000; }
quiet_fd=${QUIET[0]}
T_ON_EXIT='kill "$QUIET_PID" 2>/dev/null'
nap() {
	read -rt "$1" -u "$quiet_fd" 2>/dev/null
	[ $? -gt 128 ] || sleep "$1"
}

# verify LOG: sets $vst (log verify's status), $vout (its output) and $vn (the
# entry count in "ok, N entries" or "PREFIX: N entries", else empty).
verify() {
	vout=$($MV log verify "$1" 2>&1)
	vst=$?
	vn=
	if [[ $vout =~ ^ok,\ ([0-9]+)\ entries || $vout =~ :\ PREFIX:\ ([0-9]+)\ entries ]]; then
		vn=${BASH_REMATCH[1]}
	fi
}

# cut_check LOG I: cut a copy of LOG at a random byte; the complete lines
# before the cut must verify as a prefix, a cut inside an entry be "truncated".
cut_check() {
	local size cut want need
	size=$(stat -c %s "$1")
	[ "$size" -gt 0 ] || return 0
	cut=$(( (RANDOM * 32768 + RANDOM) % size + 1 ))
	head -c "$cut" "$1" >"$OUT/cut.log"
	want=$(tr -cd '\n' <"$OUT/cut.log" | wc -c)
	if [ -n "$(tail -c 1 "$OUT/cut.log")" ]; then
		need="truncated final entry (crash?)"
		torn=$((torn + 1))
	else
		need="PREFIX"
	fi
	verify "$OUT/cut.log"
	cuts=$((cuts + 1))
	if [ "$vst" != 3 ] || [ "$vn" != "$want" ] || [[ $vout != *"$need"* ]]; then
		bad_cut=$((bad_cut + 1))
		echo "# run $2 cut at $cut of $size (want $want entries): status $vst: $vout"
	fi
}

bad_kill=0 bad_cut=0 min=-1 max=0 torn=0 cuts=0
for ((i = 1; i <= RUNS; i++)); do
	log=$OUT/run$i.log
	$MV run --accel=kvm --mem 16 --initrd none --log "$log" \
		--kernel "$TG/hg-stream.elf" >/dev/null 2>"$OUT/run$i.err" &
	pid=$!
	for ((w = 0; w < 500; w++)); do  # let the stream start, then kill at random
		[ -s "$log" ] && break
		nap 0.02
	done
	printf -v delay '0.%03d' $((RANDOM % 500 + 20))
	nap "$delay"
	kill -KILL "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	[ -f "$log" ] || : >"$log"      # killed before the log was created
	verify "$log"
	if [ "$vst" = 1 ] || [ -z "$vn" ] || { [ "$vst" = 3 ] && [[ $vout != *PREFIX* ]]; }; then
		bad_kill=$((bad_kill + 1))
		echo "# run $i: status $vst: $vout"
		continue
	fi
	{ [ "$min" -lt 0 ] || [ "$vn" -lt "$min" ]; } && min=$vn
	[ "$vn" -gt "$max" ] && max=$vn
	# A kill cannot cut a short write(2): simulate a power loss on every 5th log.
	[ $((i % 5)) = 0 ] && cut_check "$log" "$i"
done
t_expect_status "crashsafe: $RUNS SIGKILLs mid-stream leave a valid prefix ($min-$max entries)" \
	0 "$bad_kill"
t_expect_status "crashsafe: $cuts logs cut at a random byte ($torn mid-entry): detected prefixes" \
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
t_done
