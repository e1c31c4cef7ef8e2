#!/usr/bin/env bash
# tests/host/t-syscall-doc.sh: docs/guest-kernel.md's "Implemented, by number" list is exactly the
# guest kernel's SYSCALL_REGISTER/SYSCALL_FALLBACK lines, in number order.
cd "$(dirname "$0")/../.."
. tests/lib.sh
OUT=$T_DIR

grep -rhoE 'SYSCALL_(REGISTER|FALLBACK)\(([0-9]+), *([a-z0-9_]+)' guest/ |
	sed -E 's/.*\(([0-9]+), *([a-z0-9_]+)/\1 \2/' | sort -n -u | cut -d' ' -f2 >"$OUT/src"
awk '/^Implemented, by number/ { on = 1 } on { print } on && /`\./ { exit }' docs/guest-kernel.md |
	tr '\n' ' ' | awk -F'`' '{ print $6 }' | tr ' ' '\n' | grep . >"$OUT/doc"
t_expect_status "syscall list: found in docs/guest-kernel.md" 1 "$([ -s "$OUT/doc" ] && echo 1)"
if cmp -s "$OUT/src" "$OUT/doc"; then
	t_pass "syscall list: the doc's list is the registered syscalls, by number"
else
	t_fail "syscall list: the doc's list is the registered syscalls, by number" \
		"$(diff "$OUT/src" "$OUT/doc" | head -n 6 | tr '\n' ' ')"
fi
t_done
