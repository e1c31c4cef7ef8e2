#!/usr/bin/env bash
# t-add-program.sh: `modvisor run --add-program` and `--kmod` refuse, before anything boots, a
# program whose library cannot be found (naming program and library), a missing or non-ELF
# program; --help documents both options.  (What they put in the guest: tests/unit/test_vmm_ldd.c;
# that it runs there: tests/e2e/t-kmod-guest.sh.)
set -u
cd "$(dirname "$0")/../.."
. tests/lib.sh
OUT=$T_DIR
TG=build/images/testguests

# A program needing libmvx.so, found through its DT_RUNPATH $ORIGIN: built here, then the library goes.
printf 'int mvx(void) { return 7; }\n' >"$OUT/mvx.c"
printf 'int mvx(void);\nint main(void) { return mvx(); }\n' >"$OUT/prog.c"
if ! gcc -shared -fPIC -o "$OUT/libmvx.so" "$OUT/mvx.c" ||
   ! gcc -o "$OUT/prog" "$OUT/prog.c" -L"$OUT" -lmvx -Wl,-rpath,'$ORIGIN'; then
	t_fail "build the test program" "gcc failed"
	t_done
	exit 0
fi
rm "$OUT/libmvx.so"

# refused NAME NEEDLE ARGS...: run ARGS exits 2, says NEEDLE, and boots nothing.
refused() {
	local name=$1 needle=$2
	shift 2
	"$MV" run --accel=emulated --kernel "$TG/hello.elf" --initrd none "$@" >"$OUT/o" 2>"$OUT/e"
	t_expect_status "$name: exit 2" 2 "$?"
	t_expect_contains "$name: says why" "$OUT/e" "$needle"
	t_expect_absent "$name: before the emulated host" "$OUT/e" "emulated KVM host"
}
refused "--add-program, a library missing" \
	"modvisor: --add-program: $OUT/prog needs libmvx.so, which is not in its DT_RUNPATH" \
	--add-program "$OUT/prog"
refused "--add-program, a missing program" \
	"modvisor: --add-program: $OUT/nope: No such file or directory" \
	--add-program "$OUT/nope"
refused "--add-program, not a program" \
	"modvisor: --add-program: /etc/passwd: not an ELF file" \
	--add-program /etc/passwd:/bin/pw
refused "--add-program, a directory as its name" "--add-program '/usr/bin/': want a program file" \
	--add-program /usr/bin/

"$MV" run --help >"$OUT/help"
t_expect_contains "run --help: --add-program" "$OUT/help" "--add-program HOST[:GUEST]"
t_expect_contains "run --help: --kmod" "$OUT/help" "put Debian's kmod (/usr/bin/kmod) at /bin/kmod"
t_done
