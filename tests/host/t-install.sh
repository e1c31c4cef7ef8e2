#!/usr/bin/env bash
# t-install.sh: `make install PREFIX=...` and `make uninstall`: the installed binary finds its
# images, the installed SDK builds a module that the installed binary loads, the man page
# renders and documents every option and exit status of --help, bash completion completes.
set -u
cd "$(dirname "$0")/../.."
. tests/lib.sh

B=${BUILD:-build}
TMP=$T_DIR
P=$TMP/prefix

# The nested make must not inherit make check's jobserver.
unset MAKEFLAGS MFLAGS MAKELEVEL
make --no-print-directory BUILD="$B" PREFIX="$P" install >"$TMP/install.out" 2>&1
t_expect_status "install: make install" 0 "$?"
for f in bin/modvisor lib/modvisor/images/kernel.elf lib/modvisor/images/initrd.cpio \
	lib/modvisor/emuhost/initramfs.cpio.gz lib/modvisor/sdk/module.mk lib/modvisor/sdk/modpost \
	lib/modvisor/sdk/Module.symvers lib/modvisor/sdk/include/linux/module.h \
	lib/modvisor/sdk/include/modvisor/abi/module.h share/man/man1/modvisor.1 \
	share/bash-completion/completions/modvisor lib/systemd/system/modvisor-authority.service; do
	if [ -e "$P/$f" ]; then t_pass "install: $f"; else t_fail "install: $f" "missing"; fi
done
grep -qx "ExecStart=$P/bin/modvisor authority --policy /etc/modvisor/fleet.ini --listen /run/modvisor/authority.sock" \
	"$P/lib/systemd/system/modvisor-authority.service" &&
	t_pass "install: the unit runs the installed modvisor authority" ||
	t_fail "install: the unit's ExecStart" "$(grep ExecStart "$P/lib/systemd/system/modvisor-authority.service")"
if [ -e "$P/lib/modvisor/emuhost/vmlinux" ] || [ -e "$P/lib/modvisor/emuhost/vmlinuz" ]; then
	t_pass "install: the emulated host's kernel"
else t_fail "install: the emulated host's kernel" "no vmlinux or vmlinuz"; fi

# --- The man page: renders without warnings; documents what --help prints. ---
MANPAGE=$P/share/man/man1/modvisor.1
LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -l "$MANPAGE" >"$TMP/man.txt" 2>"$TMP/man.err"
t_expect_status "man: renders" 0 "$?"
if [ -s "$TMP/man.err" ]; then t_fail "man: no groff warnings" "$(head -n 3 "$TMP/man.err")"
else t_pass "man: no groff warnings"; fi
# Every long option of every command's --help, and every exit status of the epilogue.
"$P/bin/modvisor" --help >"$TMP/help" 2>&1
for c in run with-kvm verify measure log bench domain-xml authority; do "$P/bin/modvisor" $c --help 2>&1; done >>"$TMP/help"
missing=
for o in $(grep -oE -- '(^|[[ ,(])--[a-z0-9][a-z0-9-]*' "$TMP/help" | sed -E 's/^[[ ,(]//' | sort -u); do
	grep -qF -- "$o" "$TMP/man.txt" || missing="$missing $o"
done
if [ -z "$missing" ]; then t_pass "man: documents every option of --help"
else t_fail "man: documents every option of --help" "missing:$missing"; fi
missing=
for st in $(sed -n '/^Exit status of `run`/,$p' "$TMP/help" | grep -oE '^ *[0-9]{1,3}  ' | tr -d ' '); do
	grep -qE "^ {7}$st( |\$)" "$TMP/man.txt" || missing="$missing $st"
done
if [ -z "$missing" ]; then t_pass "man: documents every exit status of --help"
else t_fail "man: documents every exit status of --help" "missing:$missing"; fi

# --- bash completion, from the installed file and binary. ---
comp() {   # comp WORD...: what completing the last word offers
	bash -c '. "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
		_modvisor; printf "%s\n" "${COMPREPLY[@]}"' _ \
		"$P/share/bash-completion/completions/modvisor" "$P/bin/modvisor" "$@"
}
comp ru >"$TMP/c1"
t_expect_contains "completion: subcommand" "$TMP/c1" "run"
comp run --sig >"$TMP/c2"
t_expect_contains "completion: run's option" "$TMP/c2" "--sig-enforce"
comp run --accel e >"$TMP/c3"
t_expect_contains "completion: --accel's value" "$TMP/c3" "emulated"
comp log v >"$TMP/c4"
t_expect_contains "completion: log verify" "$TMP/c4" "verify"

# --- The installed SDK builds a module outside the source tree. ---
mkdir -p "$TMP/mod"
cp images/modules/hello.c "$TMP/mod/greet.c"
(cd "$TMP" && make --no-print-directory -f "$P/lib/modvisor/sdk/module.mk" M="$TMP/mod") \
	>"$TMP/sdk.out" 2>&1
t_expect_status "sdk: make -f PREFIX/lib/modvisor/sdk/module.mk" 0 "$?"
if [ -f "$TMP/mod/greet.ko" ]; then t_pass "sdk: greet.ko built"
else t_fail "sdk: greet.ko built" "$(tail -n 5 "$TMP/sdk.out")"; fi

# --- The installed binary, away from the source tree, finds its own images. ---
(cd "$TMP" && "$P/bin/modvisor" run --log "$TMP/run.log" \
	--add "$TMP/mod/greet.ko:/lib/modules/greet.ko" \
	-c 'insmod /lib/modules/greet.ko who=install' -c 'cat /sys/module/greet/parameters/who') \
	>"$TMP/run.out" 2>"$TMP/run.err"
t_expect_status "run: installed binary boots" 0 "$?"
t_expect_contains "run: the SDK's module loaded with its parameter" "$TMP/run.out" "install"
"$P/bin/modvisor" log verify "$TMP/run.log" >"$TMP/verify.out" 2>&1
t_expect_status "run: its log verifies" 0 "$?"

# --- uninstall leaves nothing behind. ---
make --no-print-directory BUILD="$B" PREFIX="$P" uninstall >"$TMP/uninstall.out" 2>&1
t_expect_status "uninstall: make uninstall" 0 "$?"
left=$(find "$P" -mindepth 1 2>/dev/null | head -n 5)
if [ -z "$left" ]; then t_pass "uninstall: nothing left"
else t_fail "uninstall: nothing left" "$left"; fi
t_done
