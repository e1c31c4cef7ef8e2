#!/usr/bin/env bash
# t-errno-table.sh: docs/module-loader.md's "Errno to code" table still points at code that
# returns each errno: every file:function exists, and one of each row's functions holds the errno.
set -u
cd "$(dirname "$0")/../.."
. tests/lib.sh

DOC=${DOC:-docs/module-loader.md}

# body FILE FUNC: the definition of FUNC in FILE (from its header line at column 0 to the
# closing brace at column 0), or nothing.
body() {
	awk -v fn="$2" '
		!inb && $0 ~ "^[A-Za-z_].*[^A-Za-z0-9_]" fn "\\(" && $0 !~ /;[ \t]*$/ && $0 !~ /^#/ { inb = 1 }
		!inb && $0 ~ "^" fn "\\(" && $0 !~ /;[ \t]*$/ { inb = 1 }
		inb { print }
		inb && /^}/ { exit }
	' "$1"
}

rows=$(sed -n '/<!-- errno-table: begin -->/,/<!-- errno-table: end -->/p' "$DOC" | grep '^| ' |
	grep -v '^| errno ')
[ -n "$rows" ] || { t_fail "errno table: found" "no rows between the markers in $DOC"; exit 0; }
n=0 bad=0
while IFS= read -r row; do
	n=$((n + 1))
	errs=$(cut -d'|' -f2 <<<"$row" | grep -oE '\bE[A-Z0-9]+\b')
	refs=$(cut -d'|' -f4 <<<"$row" | grep -oE '[a-z_/]+\.c:[A-Za-z_][A-Za-z0-9_]*')
	if [ -z "$refs" ]; then
		t_fail "errno table: row $n" "no file:function in: $row"; bad=$((bad + 1)); continue
	fi
	bodies=""
	for r in $refs; do
		f=${r%%:*} fn=${r#*:}
		b=$( [ -f "$f" ] && body "$f" "$fn")
		if [ -z "$b" ]; then
			t_fail "errno table: row $n: $r" "no function $fn in $f"; bad=$((bad + 1))
		fi
		bodies+=$b$'\n'
	done
	for e in $errs; do
		if ! grep -qE "(^|[^A-Za-z0-9_])$e([^A-Za-z0-9_]|$)" <<<"$bodies"; then
			t_fail "errno table: row $n: $e" "none of $(echo $refs) contains $e"
			bad=$((bad + 1))
		fi
	done
done <<<"$rows"
[ "$bad" = 0 ] && t_pass "errno table: $n rows, every function exists and holds its errno"

# Every errno of the manual pages has a row: init_module(2) (with finit_module) and
# delete_module(2), Linux man-pages 6.03 as in Debian 12, plus EKEYREJECTED (Linux 6.1).
if [ -z "${ERRNO_TABLE_NESTED:-}" ]; then
	missing=""
	for e in EBADMSG EBUSY EFAULT ENOKEY ENOMEM EPERM EEXIST EINVAL ENOEXEC EBADF EFBIG \
		ETXTBSY ENOENT EWOULDBLOCK EKEYREJECTED; do
		cut -d'|' -f2 <<<"$rows" | grep -qE "\b$e\b" || missing+=" $e"
	done
	[ -z "$missing" ] && t_pass "errno table: every errno of the manual pages has a row" ||
		t_fail "errno table: every errno of the manual pages has a row" "missing:$missing"
fi

# The check itself: a row naming a function that is gone, or one without the errno, fails.
[ -n "${ERRNO_TABLE_NESTED:-}" ] && exit 0
tmp=$T_DIR/doc.md
printf '%s\n' '<!-- errno-table: begin -->' '| errno | call | where | when |' \
	'| `EEXIST` | init | `guest/module/load.c:no_such_function` | x |' \
	'| `EXDEV` | init | `guest/module/load.c:add_unformed_module` | x |' \
	'<!-- errno-table: end -->' >"$tmp"
out=$(ERRNO_TABLE_NESTED=1 DOC=$tmp bash "$0" 2>&1)
grep -q "not ok - errno table: row 1: guest/module/load.c:no_such_function" <<<"$out" &&
	grep -q "not ok - errno table: row 2: EXDEV" <<<"$out" &&
	t_pass "errno table: a gone function and a missing errno are caught" ||
	t_fail "errno table: self-check" "$out"
t_done
