#!/usr/bin/env bash
# t-diff.sh: differential test: the same mutated modules and parameter strings on modvisor's guest and on Debian's real 6.1 kernel.
#
# images/modules/pmod.c is built twice: by the SDK (build/images/modules/pmod.ko,
# for modvisor's guest) and by kbuild against linux-headers-<the emulated
# host's release> (for the real kernel the emulated KVM host runs).  Every
# operation of `mkbad --list` is applied to both builds, and every line of
# tests/host/t-diff.params is passed to both loads of the unmutated module.
# Both sides load through the same client (mv-modcall init FILE PARAMS) and
# read back /sys/module/pmod/{taint,parameters/*}.  Errno and read-back values
# must agree, except for the operations that are rows of the table "Where we
# differ from Linux" in docs/module-loader.md (the `op` in its first column):
# those must give exactly the errnos the table names, on each side.  The
# guest runs with --force-load, because Debian's kernel is built with
# CONFIG_MODULE_FORCE_LOAD=y (a missing vermagic loads there, tainted F).
#
# Boots: one of the emulated host for the real kernel's batch and the guest's
# batches (a few `modvisor run`, inside it); one more per operation the table
# says oopses Linux, and one more for the rest of the batch whenever an
# unexpected oops stops it.  About 4 minutes on a busy 2-core machine.
set -u
cd "$(dirname "$0")/../.."
. tests/lib.sh
case $MV in /*) ;; *) MV=$PWD/$MV ;; esac
MKBAD=$PWD/build/sdk/mkbad
MODCALL=$PWD/build/images/progs/mv-modcall
DOC=docs/module-loader.md
BATCH=55                        # guest cases per modvisor boot

# ---- inside the emulated host -------------------------------------------
# --real CASES OUT: load each case into the running (real) kernel; stop at an oops.
# --guest CASES OUT: the same cases in modvisor's guest, BATCH per boot.
# CASES lines: ID<TAB>KBUILD_FILE<TAB>SDK_FILE<TAB>PARAMS.
P=/sys/module/pmod
FILES="$P/taint $P/parameters/pb $P/parameters/ps $P/parameters/pus $P/parameters/pi \
$P/parameters/pui $P/parameters/pl $P/parameters/pul $P/parameters/pull $P/parameters/phx \
$P/parameters/pbool $P/parameters/pinv $P/parameters/pbint $P/parameters/pcharp \
$P/parameters/pstr $P/parameters/parr $P/parameters/pbarr $P/parameters/pnamed_x"

# oopsed: the running kernel is tainted D (bit 7), as after every oops it survives.
oopsed() {
	local t=0
	read -r t </proc/sys/kernel/tainted
	(( t & 128 ))
}

inside_real() {
	local id kfile sfile params rc
	oopsed && { echo "@oops before the first case"; return 0; }
	while IFS=$'\t' read -r id kfile sfile params; do
		echo "@case $id"
		timeout 60 "$MODCALL" init "$kfile" "$params"
		rc=$?
		# shellcheck disable=SC2086
		if [ "$rc" = 0 ] && ! oopsed; then grep -H . $FILES; oopsed || rmmod pmod; fi
		if [ "$rc" -ge 124 ] || oopsed; then
			echo "@oops $id (status $rc)"
			dmesg | grep -E -A4 'Oops|BUG:|general protection' | head -n 10 | sed 's/^/@dmesg /'
			return 0
		fi
	done <"$1"
	echo "@done"
}

# guest_quote S: S as one word of modvisor run -c ("...", with \" and \\).
guest_quote() {
	local s=${1//\\/\\\\}
	printf '"%s"' "${s//\"/\\\"}"
}

inside_guest() {
	local cases=$1 out=$2 n=0 b=0 id kfile sfile params
	local -a cmds=()
	: >"$out"
	flush() {
		[ ${#cmds[@]} -gt 0 ] || return 0
		b=$((b + 1))
		"$MV" run --force-load --timeout 900 --log "$out.$b.mlog" --add "$(dirname "$cases")/s:/diff" \
			"${cmds[@]}" >>"$out" 2>&1 </dev/null
		cmds=()
	}
	while IFS=$'\t' read -r id kfile sfile params; do
		cmds+=(-c "echo @case $id" -c "mv-modcall init /diff/$(basename "$sfile") $(guest_quote "$params")"
		       -c "grep -H . $FILES" -c "rmmod pmod")
		n=$((n + 1))
		[ $((n % BATCH)) = 0 ] && flush
	done <"$cases"
	flush
	echo "@done" >>"$out"
}

case ${1:-} in
--real) inside_real "$2" >"$3" 2>&1; exit 0 ;;
--guest) inside_guest "$2" "$3"; exit 0 ;;
esac

# ---- on the host ----------------------------------------------------------
W=$T_DIR

need() { [ -e "$1" ] || { t_fail "diff: prerequisites" "$1 missing: run make"; t_done; exit 0; }; }
need "$MKBAD"; need "$MODCALL"; need build/images/modules/pmod.ko; need build/emuhost/kernel-dir
REL=$(ls -1 "$(cat build/emuhost/kernel-dir)/lib/modules" 2>/dev/null | head -n 1)
KDIR=/lib/modules/$REL/build
[ -d "$KDIR" ] || KDIR=/usr/src/linux-headers-$REL
if [ -z "$REL" ] || [ ! -f "$KDIR/Makefile" ]; then
	t_fail "diff: kbuild headers of the emulated host's kernel" \
		"no linux-headers-$REL (run scripts/deps.sh)"
	t_done
	exit 0
fi

# Both builds of one source.
mkdir -p "$W/kb" "$W/k" "$W/s"
cp images/modules/pmod.c "$W/kb/"
echo 'obj-m := pmod.o' >"$W/kb/Kbuild"
# Without debug info, as Debian ships its modules (and 10 times smaller).
if make -C "$KDIR" M="$W/kb" modules >"$W/kbuild.log" 2>&1 && [ -f "$W/kb/pmod.ko" ] &&
	strip --strip-debug "$W/kb/pmod.ko"; then
	t_pass "diff: pmod.ko built by kbuild against linux-headers-$REL"
else
	t_fail "diff: pmod.ko built by kbuild against linux-headers-$REL" "$(tail -n 5 "$W/kbuild.log")"
	t_done
	exit 0
fi
cp "$W/kb/pmod.ko" "$W/k/none.ko"
cp build/images/modules/pmod.ko "$W/s/none.ko"

# The documented differences: "| ... (`op`) ... | LINUX | MODVISOR | why |".
# Columns 2 and 3 start with an errno name, 0 (loads) or "oops".
sed -n '/^## Where we differ from Linux/,/^## /p' "$DOC" |
	sed -nE 's/^\| [^|]*`([a-z0-9-]+)`[^|]*\| *([A-Za-z0-9]+)[^|]*\| *([A-Za-z0-9]+)[^|]*\|.*/\1 \2 \3/p' >"$W/table"
declare -A want_linux want_mv
while read -r op l m; do want_linux[$op]=$l; want_mv[$op]=$m; done <"$W/table"

ops=$("$MKBAD" --list)
nops=0
for op in $ops; do
	"$MKBAD" "$op" "$W/kb/pmod.ko" "$W/k/$op.ko" 2>>"$W/mkbad.log" &&
		"$MKBAD" "$op" build/images/modules/pmod.ko "$W/s/$op.ko" 2>>"$W/mkbad.log" ||
		{ t_fail "diff: mkbad $op" "$(tail -n 1 "$W/mkbad.log")"; continue; }
	nops=$((nops + 1))
done
for op in "${!want_linux[@]}"; do
	[ -f "$W/k/$op.ko" ] || t_fail "diff: documented row $op" "mkbad has no operation $op"
done

# Cases: every mutation without parameters, then every parameter string on
# the unmutated module.  Known oopses of the real kernel go to boots of their own.
: >"$W/cases"; : >"$W/oops-cases"
for op in none $ops; do
	[ -f "$W/k/$op.ko" ] || continue
	line=$(printf 'm:%s\t%s\t%s\t' "$op" "$W/k/$op.ko" "$W/s/$op.ko")
	if [ "${want_linux[$op]:-}" = oops ]; then echo "$line" >>"$W/oops-cases"
	else echo "$line" >>"$W/cases"; fi
done
np=0
while IFS= read -r params || [ -n "$params" ]; do
	np=$((np + 1))
	printf 'p:%d\t%s\t%s\t%s\n' "$np" "$W/k/none.ko" "$W/s/none.ko" "$params" >>"$W/cases"
	printf '%s\n' "$params" >"$W/param.$np"
done <tests/host/t-diff.params
[ "$nops" -ge 40 ] && t_pass "diff: $nops structural mutations (at least 40)" ||
	t_fail "diff: at least 40 structural mutations" "only $nops"
[ "$np" -ge 80 ] && t_pass "diff: $np parameter strings (at least 80)" ||
	t_fail "diff: at least 80 parameter strings" "only $np"

# emu LOG CMD...: one boot of the emulated host (never nested: this is a host suite).
# The emulated host forwards stdin to the command: give it none, or a boot
# inside a `while read` loop would swallow the loop's remaining lines.
emu() { local log=$1; shift; "$MV" with-kvm --accel=emulated -- "$@" >>"$log" 2>&1 </dev/null; }

# modvisor's guest: every case, the oopsing ones too, BATCH per boot; in a
# boot of its own, in parallel with the real kernel's.
cat "$W/cases" "$W/oops-cases" >"$W/all-cases"
emu "$W/emu-guest.log" bash tests/host/t-diff.sh --guest "$W/all-cases" "$W/guest" &
guest_pid=$!

# The real kernel: the batch, restarted after the case that oopsed.
cp "$W/cases" "$W/todo"
: >"$W/real"
for boot in 1 2 3 4 5 6; do
	[ -s "$W/todo" ] || break
	emu "$W/emu-real.log" bash tests/host/t-diff.sh --real "$W/todo" "$W/real.$boot"
	cat "$W/real.$boot" >>"$W/real" 2>/dev/null
	grep -q '^@done' "$W/real.$boot" 2>/dev/null && break
	last=$(grep '^@case ' "$W/real.$boot" 2>/dev/null | tail -n 1 | cut -d' ' -f2)
	[ -n "$last" ] || { t_fail "diff: real-kernel batch" "boot $boot printed nothing"; break; }
	grep -q "^@oops $last" "$W/real.$boot" || echo "@oops $last (the boot ended)" >>"$W/real"
	awk -F'\t' -v id="$last" 'found { print } $1 == id { found = 1 }' "$W/todo" >"$W/todo.next"
	mv "$W/todo.next" "$W/todo"
done
while IFS= read -r line; do
	printf '%s\n' "$line" >"$W/one"
	emu "$W/emu-real.log" bash tests/host/t-diff.sh --real "$W/one" "$W/real.one"
	cat "$W/real.one" >>"$W/real"
	id=$(cut -f1 <<<"$line")
	grep -q "^@oops $id" "$W/real.one" || grep -q '^@done' "$W/real.one" ||
		echo "@oops $id (the boot ended)" >>"$W/real"
done <"$W/oops-cases"

wait $guest_pid
grep -q '^@done' "$W/guest" 2>/dev/null ||
	t_fail "diff: the guest's batches ran" "$(tail -n 5 "$W/emu-guest.log" 2>/dev/null)"

# parse FILE: "ID errno=E" and "ID /sys/...:value" lines, from the markers.
parse() {
	awk '
	/^@case / { id = $2; next }
	/^@oops / { print $2 "\terrno=oops"; next }
	id != "" && /^init / {
		e = $0; sub(/ \(.*\)$/, "", e); sub(/.*: /, "", e)
		print id "\terrno=" (e == "ok" ? "0" : e); next
	}
	id != "" && /^\/sys\/module\/pmod\// { print id "\t" $0 }
	' "$1"
}
parse "$W/real" >"$W/real.r"
parse "$W/guest" >"$W/guest.r"
grep -h '^@dmesg' "$W/real" | head -n 20 >"$W/oops.log"

# Compare, case by case.
agree=0 differ=0 bad=0
label() {
	case $1 in
	m:*) echo "mutation ${1#m:}" ;;
	p:*) echo "params '$(head -c 60 "$W/param.${1#p:}")'" ;;
	esac
}
for id in $(cut -f1 "$W/cases" "$W/oops-cases"); do
	r=$(grep -F "$id"$'\t' "$W/real.r" | grep "^$id"$'\t' | cut -f2-)
	g=$(grep -F "$id"$'\t' "$W/guest.r" | grep "^$id"$'\t' | cut -f2-)
	# An oops after the load (reading /sys, rmmod) is the case's result.
	re=$(sed -n 's/^errno=//p' <<<"$r" | grep -x oops || sed -n 's/^errno=//p' <<<"$r" | head -n 1)
	ge=$(sed -n 's/^errno=//p' <<<"$g" | head -n 1)
	name=$(label "$id")
	if [ -z "$re" ] || [ -z "$ge" ]; then
		t_fail "diff: $name" "no result (linux '${re}', modvisor '${ge}')"; bad=$((bad + 1)); continue
	fi
	op=${id#m:}
	if [ "${id%%:*}" = m ] && [ -n "${want_linux[$op]:-}" ]; then
		if [ "$re" = "${want_linux[$op]}" ] && [ "$ge" = "${want_mv[$op]}" ]; then
			t_pass "diff: $name differs as documented (Linux $re, modvisor $ge)"; differ=$((differ + 1))
		else
			t_fail "diff: $name differs as documented" \
				"Linux $re, modvisor $ge; $DOC says ${want_linux[$op]}, ${want_mv[$op]}"
			bad=$((bad + 1))
		fi
		continue
	fi
	if [ "$r" = "$g" ]; then
		t_pass "diff: $name: both $re, $(grep -c '^/sys' <<<"$r") values read back equal"
		agree=$((agree + 1))
	else
		t_fail "diff: $name" "Linux and modvisor disagree: $(diff <(echo "$r") <(echo "$g") | grep '^[<>]' | head -n 4 | tr '\n' ' ')"
		bad=$((bad + 1))
	fi
done
echo "# diff: $agree cases agree, $differ differ as documented, $bad not as expected"
[ -s "$W/oops.log" ] && sed 's/^/# /' "$W/oops.log"
if [ -n "${MV_DIFF_KEEP:-}" ]; then cp -r "$W" "$MV_DIFF_KEEP"; fi
t_done
