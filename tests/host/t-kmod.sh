#!/usr/bin/env bash
# t-kmod.sh: our modules are real modules: Debian's kmod and elfutils read them, modpost behaves like Linux's.
set -u
cd "$(dirname "$0")/../.."
. tests/lib.sh

B=${BUILD:-build}
MODS=$B/images/modules
KSYMVERS=$B/images/Module.symvers
MODPOST=$B/sdk/modpost
TABLE=images/modules/expected-errors.txt
MODINFO=$(command -v modinfo || echo /sbin/modinfo)
MODPROBE=$(command -v modprobe || echo /sbin/modprobe)
TMP=$T_DIR

for f in "$KSYMVERS" "$MODPOST" "$MODS/hello.ko"; do
	[ -e "$f" ] || { t_fail "built" "$f missing: run make first"; exit 1; }
done
# The modules that must load, per the table.
GOOD=$(awk '!/^#/ && NF && $2 == "0" && $4 == "source" { print $1 }' "$TABLE")
VERMAGIC=$(printf '#include <modvisor/version.h>\nMODVISOR_VERMAGIC\n' |
	cpp -P -Ishared/include | sed 's/" "//g; s/^"//; s/"$//')

# --- Module.symvers: Linux's format, one line per export of exports.c ---------
if grep -vP '^0x[0-9a-f]{8}\t[A-Za-z_][A-Za-z0-9_]*\tvmlinux\tEXPORT_SYMBOL(_GPL)?\t$' "$KSYMVERS" >"$TMP/bad"; then
	t_fail "symvers-format" "$(head -n 1 "$TMP/bad")"
else t_pass "symvers-format"; fi
want=$(grep -cE '^EXPORT_SYMBOL(_GPL)?\(' guest/kernel/exports.c)
t_expect_status "symvers-all-exports" "$want" "$(wc -l <"$KSYMVERS")"
crcs=$(awk '/\.set __crc_/ { sub(",", "", $2); print $3 "\t" substr($2, 7) }' $B/sdk/exports-crc.S | sort)
if [ "$crcs" = "$(cut -f1,2 "$KSYMVERS" | sort)" ]; then t_pass "kernel-crc-symbols-match-symvers"
else t_fail "kernel-crc-symbols-match-symvers" "exports-crc.S and Module.symvers differ"; fi

# --- modinfo: licence, vermagic, name, depends, parameters ---------------------
for m in $GOOD; do
	n=${m%.ko}; n=${n//-/_}
	lic=$("$MODINFO" -F license "$MODS/$m" 2>&1)
	if [ -n "$lic" ]; then t_pass "modinfo-license $m"; else t_fail "modinfo-license $m" "empty"; fi
	t_expect_status "modinfo-vermagic $m" "$VERMAGIC" "$("$MODINFO" -F vermagic "$MODS/$m" 2>&1)"
	t_expect_status "modinfo-name $m" "$n" "$("$MODINFO" -F name "$MODS/$m" 2>&1)"
done
t_expect_status "modinfo-license-proprietary" "Proprietary" "$("$MODINFO" -F license "$MODS/proprietary.ko")"
t_expect_status "modinfo-depends importer" "exporter" "$("$MODINFO" -F depends "$MODS/importer.ko")"
t_expect_status "modinfo-depends hello" "" "$("$MODINFO" -F depends "$MODS/hello.ko")"
"$MODINFO" "$MODS/hello.ko" >"$TMP/hello.modinfo" 2>&1
for p in who:charp count:int ids:"array of int" verbose:bool quiet:invbool b:byte s:short \
	 us:ushort ui:uint l:long ul:ulong ull:ullong hx:hexint tag:string debug_level:int \
	 mask:"array of ulong"; do
	name=${p%%:*} type=${p#*:}
	if grep -qE "^parm: +$name:(.* \\($type\\)|$type)\$" "$TMP/hello.modinfo"; then
		t_pass "modinfo-parm hello $name ($type)"
	else t_fail "modinfo-parm hello $name ($type)" "not in modinfo output"; sed 's/^/    | /' "$TMP/hello.modinfo"; fi
done
t_expect_contains "modinfo-parm-desc hello who" "$TMP/hello.modinfo" "who:whom to greet (charp)"
t_expect_contains "modinfo-alias hello" "$TMP/hello.modinfo" "greeter"
# Debian's kmod reads xz and zstd modules (not gzip: built without zlib).
for z in xz zst; do
	t_expect_status "modinfo-compressed hello.ko.$z" hello "$("$MODINFO" -F name "$MODS/hello.ko.$z" 2>&1)"
done

# --- modprobe --dump-modversions: every CRC matches Module.symvers ---------------
cat "$KSYMVERS" "$MODS/Module.symvers" | awk -F'\t' '{ print $1 "\t" $2 }' | sort -u >"$TMP/all.crc"
for m in $GOOD; do
	"$MODPROBE" --dump-modversions "$MODS/$m" >"$TMP/v" 2>&1
	if [ ! -s "$TMP/v" ]; then t_fail "dump-modversions $m" "no versions listed"; continue; fi
	missing=$(sort -u "$TMP/v" | comm -23 - "$TMP/all.crc")
	if [ -z "$missing" ]; then t_pass "dump-modversions $m"
	else t_fail "dump-modversions $m" "not in Module.symvers: $(echo $missing)"; fi
done
"$MODPROBE" --dump-modversions "$MODS/importer.ko" >"$TMP/v"
t_expect_contains "dump-modversions importer lists exporter_greeting" "$TMP/v" "exporter_greeting"
"$MODPROBE" --dump-modversions "$MODS/bad-crc.ko" | grep -P '\tprintk$' >"$TMP/v"
if grep -qFf "$TMP/v" "$KSYMVERS"; then t_fail "bad-crc differs" "printk CRC unchanged"
else t_pass "bad-crc differs"; fi

# --- eu-elflint --gnu-ld (and --strict) accepts every good module ---------------
for m in $GOOD; do
	if out=$(eu-elflint --gnu-ld --strict "$MODS/$m" 2>&1) && [ "$out" = "No errors" ]; then
		t_pass "elflint $m"
	else t_fail "elflint $m" "$(echo "$out" | head -n 3)"; fi
done

# --- only relocation types the loader handles, and RELA only ----------------------
for m in $GOOD; do
	types=$(readelf -rW "$MODS/$m" | awk '/^[0-9a-f]+ +[0-9a-f]+ +R_X86_64/ { print $3 }' | sort -u |
		grep -vxE 'R_X86_64_(64|32|32S|PC32|PLT32)')
	rel=$(readelf -SW "$MODS/$m" | grep -cw REL)
	if [ -z "$types" ] && [ "$rel" = 0 ]; then t_pass "reloc-types $m"
	else t_fail "reloc-types $m" "unexpected: $types (REL sections: $rel)"; fi
done

# --- every module of the table was built ----------------------------------------
missing=
for m in $(awk '!/^#/ && NF { print $1 }' "$TABLE" images/modules/expected-compressed.txt); do
	[ -f "$MODS/$m" ] || missing="$missing $m"
done
if [ -z "$missing" ]; then t_pass "table-built"; else t_fail "table-built" "missing:$missing"; fi

# --- the CRC definition (docs/modversions.md) -------------------------------------
crc_of() { printf '%s\n' "$1" >"$TMP/c.i"; "$MODPOST" -c "$TMP/c.i" -t "$2" | cut -f1; }
a=$(crc_of 'typedef unsigned long size_t; int f(char *buf, size_t n);' f)
b=$(crc_of 'typedef unsigned long size_t; extern int f(char *dst, size_t len) __attribute__((cold));' f)
c=$(crc_of 'typedef unsigned long size_t; int f(char *buf, int n);' f)
d=$(crc_of 'typedef unsigned int size_t; int f(char *buf, size_t n);' f)
e=$(crc_of 'struct s { int a; }; int f(struct s *p);' f)
g=$(crc_of 'struct s { long a; }; int f(struct s *p);' f)
t_expect_status "crc-ignores-names-attrs-extern" "$a" "$b"
[ "$a" != "$c" ] && t_pass "crc-changes-with-type" || t_fail "crc-changes-with-type" "same CRC"
[ "$a" != "$d" ] && t_pass "crc-follows-typedefs" || t_fail "crc-follows-typedefs" "same CRC"
[ "$e" != "$g" ] && t_pass "crc-follows-structs" || t_fail "crc-follows-structs" "same CRC"
t_expect_status "crc-is-crc32-of-text" "0x$(printf 'int f ( int )' | gzip -c | tail -c8 | od -An -tx4 -N4 | tr -d ' ')" \
	"$(crc_of 'int f(int x);' f)"

# --- the one-command build of an out-of-tree module, and modpost's errors -----------
mkdir -p "$TMP/ext" "$TMP/unres"
cat >"$TMP/ext/my-mod.c" <<'C'
#include <linux/module.h>
static int __init my_init(void) { pr_info("my_mod: %zu\n", strlen("abc")); return 0; }
module_init(my_init);
MODULE_LICENSE("GPL");
C
cat >"$TMP/unres/unres.c" <<'C'
#include <linux/module.h>
int nowhere(void);
static int __init u_init(void) { return nowhere(); }
module_init(u_init);
MODULE_LICENSE("GPL");
C
if make --no-print-directory -s -f images/sdk/module.mk M="$TMP/ext" MV_BUILD="$B" >"$TMP/log" 2>&1 &&
   [ "$("$MODINFO" -F name "$TMP/ext/my-mod.ko")" = my_mod ]; then t_pass "module.mk builds M=dir"
else t_fail "module.mk builds M=dir" "$(tail -n 3 "$TMP/log")"; fi
"$MODPROBE" --dump-modversions "$TMP/ext/my-mod.ko" >"$TMP/v"
t_expect_contains "module.mk versions strlen" "$TMP/v" "$(grep -P '\tstrlen\t' "$KSYMVERS" | cut -f1,2)"
if make --no-print-directory -s -f images/sdk/module.mk M="$TMP/unres" MV_BUILD="$B" >"$TMP/log" 2>&1; then
	t_fail "modpost-unresolved-is-error" "build succeeded"
else t_expect_contains "modpost-unresolved-is-error" "$TMP/log" '"nowhere" [unres.ko] undefined!'; fi
t_done
