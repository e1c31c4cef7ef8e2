#!/usr/bin/env bash
# tests/e2e/t-kmod-guest.sh: Debian's dynamically linked kmod (modvisor run --kmod) and coreutils
# in the guest: depmod, modprobe with dependencies, modprobe -r, --show-depends, modprobe.d,
# insmod under --sig-enforce, modinfo, lsmod, rmmod, compressed modules, sha256sum.
# (Host-side kmod on our modules: tests/host/t-kmod.sh; the builder's refusals: t-add-program.sh.)
# Inside `sh -c`, the kmod tools are named /sbin/NAME: Debian's busybox sh runs its own applets
# before anything on PATH.
cd "$(dirname "$0")/../.."
. tests/lib.sh
OUT=$T_DIR
REL=$(sed -n 's/^#define MODVISOR_UTS_RELEASE *"\(.*\)"/\1/p' shared/include/modvisor/version.h)

# Three boots; each runs several scenarios, one after another.
# run NAME ARGS...: modvisor run --kmod ARGS (own log); $st, output in $OUT/NAME.{out,err}.
run() {
	local name=$1
	shift
	$MV run --accel=kvm --kmod --log "$OUT/$name.log" "$@" >"$OUT/$name.out" 2>"$OUT/$name.err" </dev/null
	st=$?
}
# M NAME: a -c command that starts scenario NAME on the guest's stdout and stderr (kernel
# messages go to stderr as well, in order: the runner flushes the console after each command).
M() { echo "sh -c \"echo @@$1; echo @@$1 >&2\""; }
# split BOOT NAME...: $OUT/NAME.{out,err}, the lines of each scenario of boot BOOT.
split() {
	local boot=$1 n f
	shift
	for n in "$@"; do
		for f in out err; do
			awk -v m="@@$n" '$0 == m { on = 1; next } /^@@/ { on = 0 } on' "$OUT/$boot.$f" >"$OUT/$n.$f"
		done
	done
}

# Boot 1: the chains (depmod, modprobe importer and top, -r, --show-depends), then the headline, the programs,
# compressed modules and the differential's guest side.  The chain runs first and ends with
# `exit 42`: the boot's status is 42 if and only if each of the chain's commands succeeded.
for z in xz zst gz; do
	mkdir -p "$OUT/cz/$z/lib/modules/$REL/extra"
	cp "build/images/modules/hello.ko.$z" "$OUT/cz/$z/lib/modules/$REL/extra/"
	: >"$OUT/cz/$z/lib/modules/$REL/modules.builtin"
	: >"$OUT/cz/$z/lib/modules/$REL/modules.builtin.modinfo"
	echo "extra/hello.ko.$z" >"$OUT/cz/$z/lib/modules/$REL/modules.order"
done
head -c 100000 /dev/urandom >"$OUT/blob"
D=build/images/progs/dyn
# modprobe importer loads exporter first; -r removes both; --show-depends prints the chain; the
# same for top -> middle -> exporter, two levels (see below for -r);
# lsmod, /sys/module and rmmod of a module in use, as on Debian.
IDX="modules.dep modules.dep.bin modules.alias.bin modules.symbols modules.symbols.bin modules.softdep"
run b1 --add "$OUT/cz:/cz" --add "build/images/modules/hello.ko.gz:/m/hello.ko.gz" \
	--add "$OUT/blob:/tmp/blob" --add-program /usr/bin/sha256sum:/usr/bin/sha256sum \
	--add-program /usr/bin/ls:/usr/bin/ls --add-program /usr/bin/cat:/usr/bin/cat \
	--add-program /usr/bin/openssl:/usr/bin/openssl --add-program "$D/mv-dyn:/usr/bin/mv-dyn" \
	-c "$(M chain)" -c "sh -c 'cd /lib/modules/$REL && rm $IDX && /sbin/depmod -a && md5sum $IDX'" \
	-c "modinfo /lib/modules/$REL/extra/hello.ko" -c 'sh -c "echo deps=$(/sbin/modinfo -F depends importer)"' -c 'modprobe importer' -c 'sh -c "cut -d\" \" -f1 /proc/modules"' -c lsmod \
	-c 'sh -c "cd /sys/module/exporter; for f in refcnt initstate coresize initsize taint; do echo $f=$(cat $f); done; ls holders"' \
	-c 'sh -c "/sbin/rmmod exporter; echo rmmod=$?"' \
	-c 'modprobe --show-depends importer' -c 'modprobe -r importer' -c 'sh -c "echo left: $(wc -l </proc/modules)"' \
	-c 'modprobe top' -c 'sh -c "echo loaded: $(cut -d\" \" -f1 /proc/modules)"' -c 'modprobe --show-depends top' \
	-c 'modprobe -r top' -c 'cat /proc/modules' -c 'modprobe -r exporter' \
	-c 'sh -c "echo left after top: $(wc -l </proc/modules)"' \
	-c 'sh -c "exit 42"' -c "$(M main)" -c 'modprobe hello who=world' -c 'kmod --version' -c 'sh -c "ls -l /sbin/modprobe"' -c 'rmmod hello' \
	-c 'cat /sys/module/compression' \
	-c 'sh -c "for z in xz zst gz; do /sbin/depmod -b /cz/$z; /sbin/modprobe -d /cz/$z hello who=$z; echo $z=$?; /sbin/rmmod hello; done"' \
	-c 'sh -c "/sbin/rmmod notloaded; echo st=$?"' -c 'sh -c "/sbin/insmod /m/hello.ko.gz; echo st=$?"' \
	-c 'modprobe importer' -c lsmod -c 'cat /proc/modules' \
	-c '/usr/bin/sha256sum /tmp/blob' -c '/usr/bin/cat /etc/hostname' -c '/usr/bin/ls -l /etc/passwd' \
	-c '/usr/bin/openssl dgst -sha256 /tmp/blob' -c '/usr/bin/mv-dyn'

split b1 chain main
chain_st=$st
[ "$st" = 42 ] && chain_st=0

# The issue's headline: Debian's modprobe, on the default initrd's /lib/modules/RELEASE.
t_expect_contains "modprobe hello who=world: the module ran with its option" "$OUT/main.err" "hello: hello, world (1/1)"
t_expect_contains "kmod --version: Debian's kmod runs" "$OUT/main.out" "kmod version"
t_expect_contains "--kmod: /sbin/modprobe is kmod" "$OUT/main.out" "/sbin/modprobe -> ../bin/kmod"

# Compressed modules through modprobe.  Debian 12's kmod 30 (+ZSTD +XZ -ZLIB) never reads
# /sys/module/compression (kmod 31 does): for a .ko.xz or .ko.zst it decompresses in user space
# and calls init_module(2); an uncompressed .ko goes to finit_module(2).  A .ko.gz is no module to
# its depmod and modprobe (not found); insmod of one hands the gzip bytes to finit_module(2)
# without MODULE_INIT_COMPRESSED_FILE: ENOEXEC, as on Linux (the differential below).
t_expect_line "compressed: the guest kernel offers gzip xz zstd" "$OUT/main.out" "gzip xz zstd"
t_expect_contains "compressed: modprobe of hello.ko.xz loads it" "$OUT/main.err" "hello: hello, xz (1/1)"
t_expect_line "compressed: modprobe of hello.ko.xz: status 0" "$OUT/main.out" "xz=0"
t_expect_contains "compressed: modprobe of hello.ko.zst loads it" "$OUT/main.err" "hello: hello, zst (1/1)"
t_expect_line "compressed: modprobe of hello.ko.zst: status 0" "$OUT/main.out" "zst=0"
t_expect_line "compressed: hello.ko.gz is no module to kmod without zlib" "$OUT/main.err" \
	"modprobe: FATAL: Module hello not found in directory /cz/gz/lib/modules/$REL"
t_expect_line "compressed: modprobe of hello.ko.gz: status 1" "$OUT/main.out" "gz=1"
srcs=$(grep -oE '"source":"[a-z_]+"' "$OUT/b1.log" | cut -d'"' -f4 | tr '\n' ' ')
if [ "$srcs" = "finit_module finit_module finit_module finit_module finit_module finit_module init_module init_module finit_module finit_module finit_module " ]; then
	t_pass "compressed: xz and zst went through init_module (decompressed by kmod), every .ko (and the raw .ko.gz) through finit_module"
else
	t_fail "compressed: xz and zst went through init_module (decompressed by kmod), every .ko (and the raw .ko.gz) through finit_module" "sources: $srcs"
fi

# Differential: the same kmod commands on the emulated host's real Linux 6.1 kernel (when this
# suite runs inside it, as make check does).  Our modules are built for 6.1.0-modvisor, so only
# what does not depend on loading one is compared: rmmod of a module that is not loaded, insmod
# of a gzip file kmod cannot decompress, and the lsmod and /proc/modules formats.
if [ "${MODVISOR_IN_EMUHOST:-}" = 1 ]; then
	mkdir -p /tmp/m-$$ && cp build/images/modules/hello.ko.gz /tmp/m-$$/hello.ko.gz
	{ rmmod notloaded; echo "st=$?"; insmod /tmp/m-$$/hello.ko.gz; echo "st=$?"; } >"$OUT/real.out" 2>&1
	sed -i "s|/tmp/m-$$/|/m/|" "$OUT/real.out"
	rm -rf /tmp/m-$$
	for l in "rmmod: ERROR: Module notloaded is not currently loaded" \
		 "insmod: ERROR: could not insert module /m/hello.ko.gz: Invalid module format"; do
		t_expect_line "differential: real Linux says: $l" "$OUT/real.out" "$l"
		t_expect_line "differential: the guest says: $l" "$OUT/main.err" "$l"
	done
	t_expect_status "differential: the same statuses" "$(grep '^st=' "$OUT/real.out" | tr '\n' ' ')" \
		"$(grep '^st=' "$OUT/main.out" | tr '\n' ' ')"
	# Formats: "NAME SIZE REFCNT USERS, STATE 0xADDR [(TAINTS)]", lsmod's columns.
	re='^[a-z_0-9]+ [0-9]+ [0-9]+ (-|([a-z_0-9]+,)+) Live 0x[0-9a-f]{16}( \([A-Z]+\))?$'
	if grep -qE "$re" /proc/modules && ! grep ' Live 0x' "$OUT/main.out" | grep -qvE "$re" &&
	   grep -qE '^exporter 12288 1 importer, Live 0x[0-9a-f]{16} \(OE\)$' "$OUT/main.out"; then
		t_pass "differential: /proc/modules lines have real Linux's format"
	else
		t_fail "differential: /proc/modules lines have real Linux's format" "$(grep -E ' Live ' "$OUT/main.out")"
	fi
	lsmod | head -n 1 >"$OUT/lsmod.real"
	t_expect_line "differential: lsmod's header as on real Linux" "$OUT/main.out" "$(cat "$OUT/lsmod.real")"
else
	t_skip "differential: real Linux" "not inside the emulated KVM host (MODVISOR_IN_EMUHOST unset)"
fi

# Dynamically linked coreutils and openssl: the same digest as on the host for a file added with --add.
want=$(sha256sum <"$OUT/blob" | cut -d' ' -f1)
t_expect_line "coreutils sha256sum: the host's digest" "$OUT/main.out" "$want  /tmp/blob"
t_expect_line "openssl dgst -sha256: the host's digest" "$OUT/main.out" "SHA2-256(/tmp/blob)= $want"
t_expect_line "coreutils cat" "$OUT/main.out" "modvisor"
t_expect_contains "coreutils ls -l" "$OUT/main.out" "-rw-r--r-- 1 root root"
t_expect_absent "no syscall is missing for them" "$OUT/b1.err" "is not implemented"
# images/progs/dyn/mv-dyn.c: the auxv, RELRO, file mmap, dlopen, xattrs, ... (its own TAP lines).
grep -E '^(not )?ok - ' "$OUT/main.out" >"$OUT/dyn.tap"
t_relay "mv-dyn: " "$OUT/dyn.tap"
t_expect_status "mv-dyn: all 36 checks ran" 36 "$(wc -l <"$OUT/dyn.tap")"

t_expect_status "depmod -a, modinfo, modprobe importer, -r: status 0" 0 "$chain_st"
t_expect_contains "modprobe importer: exporter loaded first, then importer" "$OUT/chain.err" \
	"$(printf 'exporter: loaded\nimporter: 2 + 3 = 5')"
t_expect_contains "lsmod: exporter used by importer" "$OUT/chain.out" "$(printf 'importer               12288  0\nexporter               12288  1 importer')"
t_expect_contains "/sys/module/exporter: refcnt, initstate, coresize, initsize, taint as Linux's" "$OUT/chain.out" \
	"$(printf 'refcnt=1\ninitstate=live\ncoresize=12288\ninitsize=0\ntaint=OE\nimporter')"
t_expect_contains "rmmod exporter while importer uses it: kmod's message" "$OUT/chain.err" \
	"rmmod: ERROR: Module exporter is in use by: importer"
t_expect_contains "rmmod exporter while importer uses it: status 1" "$OUT/chain.out" "rmmod=1"
t_expect_contains "modprobe --show-depends importer: the chain" "$OUT/chain.out" \
	"$(printf 'insmod /lib/modules/%s/extra/exporter.ko \ninsmod /lib/modules/%s/extra/importer.ko ' "$REL" "$REL")"
t_expect_contains "modprobe -r importer: importer unloaded" "$OUT/chain.err" "importer: unloaded"
t_expect_contains "modprobe -r importer: exporter unloaded too" "$OUT/chain.err" "exporter: unloaded after 1 calls"
t_expect_contains "modprobe -r importer: nothing left" "$OUT/chain.out" "left: 0"
# Two levels: top uses middle, which uses exporter.
t_expect_contains "modprobe top: exporter, then middle, then top" "$OUT/chain.err" \
	"$(printf 'exporter: loaded\nmiddle: loaded\ntop: 1 + 2 + 3 = 6')"
t_expect_line "modprobe top: all three loaded" "$OUT/chain.out" "loaded: top middle exporter"
t_expect_contains "modprobe --show-depends top: the two-level chain" "$OUT/chain.out" \
	"$(printf 'insmod /lib/modules/%s/extra/exporter.ko \ninsmod /lib/modules/%s/extra/middle.ko \ninsmod /lib/modules/%s/extra/top.ko ' "$REL" "$REL" "$REL")"
# modprobe -r top removes top, then "other modules that became unused" in one pass over
# modules.dep's list for top, which libkmod keeps deepest first (exporter, middle): exporter is
# still used by middle when its turn comes, so kmod 30 leaves it (tools/modprobe.c,
# rmmod_do_module() step 4), unused, as on Debian; a second modprobe -r removes it.
t_expect_contains "modprobe -r top: top, then middle unloaded" "$OUT/chain.err" \
	"$(printf 'top: unloaded\nmiddle: unloaded')"
if grep -qE '^exporter 12288 0 - Live 0x[0-9a-f]{16} \(OE\)$' "$OUT/chain.out"; then
	t_pass "modprobe -r top: exporter left loaded and unused, as kmod 30 does"
else
	t_fail "modprobe -r top: exporter left loaded and unused, as kmod 30 does" "$(grep ' Live ' "$OUT/chain.out")"
fi
t_expect_contains "modprobe -r exporter: then gone" "$OUT/chain.err" "exporter: unloaded after 2 calls"
t_expect_line "modprobe -r top, then exporter: nothing left" "$OUT/chain.out" "left after top: 0"

# depmod -a in the guest writes the same indexes as Debian's depmod on the build host did
# (images/initrd/mkinitrd.sh); modinfo reads the module as on the host.
(cd "build/images/initrd-root/lib/modules/$REL" && md5sum $IDX) >"$OUT/depmod.want"
if grep -qxFf "$OUT/depmod.want" "$OUT/chain.out" && [ "$(grep -cxFf "$OUT/depmod.want" "$OUT/chain.out")" = 6 ]; then
	t_pass "depmod -a: modules.dep and its indexes equal the host depmod's"
else
	t_fail "depmod -a: modules.dep and its indexes equal the host depmod's" "$(cat "$OUT/chain.out")"
fi
modinfo build/images/modules/hello.ko | grep -v '^filename:' >"$OUT/modinfo.want"
if grep -qxFf "$OUT/modinfo.want" "$OUT/chain.out" &&
   [ "$(grep -cxFf "$OUT/modinfo.want" "$OUT/chain.out")" = "$(wc -l <"$OUT/modinfo.want")" ]; then
	t_pass "modinfo hello.ko: every line the host's modinfo prints"
else
	t_fail "modinfo hello.ko: every line the host's modinfo prints" "$(head -n 30 "$OUT/chain.out")"
fi
t_expect_line "modinfo -F depends importer (by name, through modules.dep)" "$OUT/chain.out" "deps=exporter"

# /etc/modprobe.d: options, alias, blacklist, softdep.  What modprobe -v does in the guest
# must be what the host's modprobe decides for the same tree and file (a dry run, -n).
mkdir -p "$OUT/conf"
cat >"$OUT/conf/t.conf" <<'CONF'
options hello who=conf count=2
alias myalias hello
alias blk paramcb
blacklist paramcb
softdep importer pre: hello post: pmod
install initfail /bin/echo "initfail: the install command ran"
CONF
# Boot 2: modprobe.d and insmod's messages, then exec of a dynamic program with a bad PT_INTERP
# (below).  The conf scenario's first failure is the boot's status.
head -c 200 /dev/zero >"$OUT/notelf" && chmod 0644 "$OUT/notelf"
I=/lib64/ld-linux-x86-64.so.2
run b2 --add "$OUT/conf:/etc/modprobe.d" --add "build/images/progs/dyn/mv-dyn:/bin/dyn" \
	--add "$OUT/notelf:/t/notelf" -c "$(M conf)" -c 'modprobe -v myalias' -c 'modprobe -r hello' \
	-c 'modprobe -v blk' -c 'modprobe -v -b paramcb' -c 'modprobe -v importer' -c 'modprobe -v paramcb' \
	-c 'modprobe -v initfail' \
	-c 'insmod /lib/modules/hello.ko' -c 'insmod /lib/modules/bad-vermagic.ko' \
	-c 'insmod /lib/modules/bad-unknown-sym.ko' -c 'insmod /lib/modules/bad-crc.ko' -c 'insmod /nonexistent.ko' \
	-c "$(M interp)" -c "rm $I" -c /bin/dyn -c "cp /t/notelf $I" -c /bin/dyn -c "chmod 0755 $I" -c /bin/dyn
split b2 conf interp
t_expect_status "modprobe.d, then insmod errors: status 1" 1 "$st"
for c in "myalias" "blk" "-b paramcb" "importer" "paramcb" "initfail"; do
	# shellcheck disable=SC2086
	modprobe -n -v -d build/images/initrd-root -S "$REL" -C "$OUT/conf" $c 2>&1 |
		sed "s|$PWD/build/images/initrd-root||"
done >"$OUT/conf.want"
grep -E '^(insmod|install) ' "$OUT/conf.out" >"$OUT/conf.got"
if diff "$OUT/conf.want" "$OUT/conf.got" >"$OUT/conf.diff"; then
	t_pass "modprobe.d: the guest's modprobe -v does what the host's decides"
else
	t_fail "modprobe.d: the guest's modprobe -v does what the host's decides" "$(cat "$OUT/conf.diff")"
fi
t_expect_contains "modprobe.d options: hello got who=conf count=2" "$OUT/conf.err" "hello: hello, conf (1/2)"
t_expect_contains "modprobe.d softdep: hello before importer's chain, pmod after" "$OUT/conf.out" \
	"$(printf 'insmod /lib/modules/%s/extra/hello.ko who=conf count=2 \ninsmod /lib/modules/%s/extra/exporter.ko \ninsmod /lib/modules/%s/extra/importer.ko \ninsmod /lib/modules/%s/extra/pmod.ko' "$REL" "$REL" "$REL" "$REL")"
t_expect_status "modprobe.d blacklist: blk (an alias of blacklisted paramcb) and -b paramcb load nothing" \
	1 "$(grep -c 'paramcb.ko' "$OUT/conf.got")"
t_expect_line "modprobe.d blacklist: paramcb by its name still loads" "$OUT/conf.got" \
	"insmod /lib/modules/$REL/extra/paramcb.ko "
t_expect_line "modprobe.d install: modprobe ran the command through sh (fork and exec)" "$OUT/conf.out" \
	"initfail: the install command ran"

# kmod's message for each errno (kmod maps ENOEXEC, ENOENT, ESRCH and EINVAL to its own words).
for l in "hello.ko: File exists" "bad-vermagic.ko: Invalid module format" \
	 "bad-unknown-sym.ko: Unknown symbol in module" "bad-crc.ko: Invalid parameters"; do
	t_expect_line "insmod errno message: ...$l" "$OUT/conf.err" "insmod: ERROR: could not insert module /lib/modules/$l"
done
t_expect_line "insmod errno message: a missing file" "$OUT/conf.err" \
	"insmod: ERROR: could not load module /nonexistent.ko: No such file or directory"

# Boot 3: insmod and modprobe of an unsigned module under --sig-enforce: kmod's exact messages.
# (The emulated host's Debian kernel does not enforce signatures, so no differential here.)
# Both settings come from a --policy INI file, kmod = on in place of --kmod: busybox's insmod
# and modprobe would word the refusal differently, and /bin/kmod would be missing.
printf '[policy]\nsig_enforce = true\nkmod = on\n' >"$OUT/sig.ini"
$MV run --accel=kvm --policy "$OUT/sig.ini" --log "$OUT/sig.log" -c "insmod /lib/modules/$REL/extra/hello.ko" \
	-c 'modprobe hello' -c 'sh -c "ls -l /sbin/insmod"' >"$OUT/sig.out" 2>"$OUT/sig.err" </dev/null
st=$?
t_expect_contains "kmod = on in a --policy file: /sbin/insmod is kmod" "$OUT/sig.out" "/sbin/insmod -> ../bin/kmod"
t_expect_status "--sig-enforce: status 1" 1 "$st"
t_expect_line "--sig-enforce: insmod's message" "$OUT/sig.err" \
	"insmod: ERROR: could not insert module /lib/modules/$REL/extra/hello.ko: Required key not available"
t_expect_line "--sig-enforce: modprobe's message" "$OUT/sig.err" \
	"modprobe: ERROR: could not insert 'hello': Required key not available"

# exec's errors for a dynamic program: its PT_INTERP missing (ENOENT, as on Linux, where a shell then
# says the program is not found), not executable (EACCES) or not an ELF (ENOEXEC); the kernel
# names the linker.  --kmod's linker is removed, then replaced by a file of zeros (0644, then 0755).
# The runner's words for each /bin/dyn give its status: "command not found" is 127, "cannot
# execute" 126 (guest/kernel/proc.c, exec_failure(), as a shell).
runner_st() {
	sed -n 's|^/bin/dyn: command not found$|127|p; s|^/bin/dyn: cannot execute: .*|126|p' \
		"$OUT/interp.err" | sed -n "${1}p"
}
st1=$(runner_st 1) st2=$(runner_st 2) st3=$(runner_st 3)
t_expect_line "PT_INTERP missing: the kernel names it" "$OUT/interp.err" \
	"exec /bin/dyn: PT_INTERP /lib64/ld-linux-x86-64.so.2: ENOENT"
t_expect_status "PT_INTERP missing: ENOENT (the runner: not found, 127)" 127 "$st1"
t_expect_line "PT_INTERP not executable: EACCES, as Linux's open_exec" "$OUT/interp.err" \
	"exec /bin/dyn: PT_INTERP /lib64/ld-linux-x86-64.so.2: EACCES"
t_expect_status "PT_INTERP not executable: the runner says 126" 126 "$st2"
t_expect_line "PT_INTERP not an ELF: the kernel says why" "$OUT/interp.err" \
	"exec /bin/dyn: PT_INTERP /lib64/ld-linux-x86-64.so.2: e_ident: not an ELF file (bad magic)"
t_expect_status "PT_INTERP not an ELF: ENOEXEC (the runner: cannot execute, 126)" 126 "$st3"
t_done
