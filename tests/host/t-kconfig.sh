#!/usr/bin/env bash
# tests/host/t-kconfig.sh: the guest kernel's configuration (scripts/mkkconfig.sh): autoconf.h
# from guest/kernel.config, a vermagic that disagrees is refused, and kernel.elf carries the
# gzipped text between Linux's IKCFG_ST/IKCFG_ED markers (what /proc/config.gz serves).
cd "$(dirname "$0")/../.."
. tests/lib.sh
OUT=$T_DIR

scripts/mkkconfig.sh guest/kernel.config shared/include/modvisor/version.h gcc \
	"$OUT/autoconf.h" "$OUT/config" 2>"$OUT/gen.err"
t_expect_status "mkkconfig: the tree's configuration" 0 "$?"
t_expect_line "autoconf.h: CONFIG_HZ" "$OUT/autoconf.h" "#define CONFIG_HZ 100"
t_expect_line "autoconf.h: a y option is 1" "$OUT/autoconf.h" "#define CONFIG_MODULES 1"
t_expect_absent "autoconf.h: an unset option is not defined" "$OUT/autoconf.h" "CONFIG_PREEMPT "
t_expect_line "config: the compiler" "$OUT/config" "CONFIG_CC_VERSION_TEXT=\"$(gcc --version | head -n 1)\""
t_expect_line "config: Linux's header" "$OUT/config" "# Linux/x86 6.1.0-modvisor Kernel Configuration"

# A configuration that says one thing and a vermagic that says another.
sed 's/^CONFIG_SMP=y$/# CONFIG_SMP is not set/' guest/kernel.config >"$OUT/nosmp.config"
scripts/mkkconfig.sh "$OUT/nosmp.config" shared/include/modvisor/version.h gcc \
	"$OUT/bad.h" "$OUT/bad.config" 2>"$OUT/bad.err"
t_expect_status "mkkconfig: CONFIG_SMP unset against an SMP vermagic fails" 1 "$?"
t_expect_contains "... naming the option and the vermagic word" "$OUT/bad.err" \
	"CONFIG_SMP is 'n' but the vermagic"

# extract-ikconfig's way: the gzip data after IKCFG_ST in the kernel image.
off=$(grep -boa IKCFG_ST build/images/kernel.elf | head -n 1 | cut -d: -f1)
if [ -n "$off" ] && tail -c +$((off + 9)) build/images/kernel.elf | zcat 2>/dev/null >"$OUT/elf.config";
	cmp -s "$OUT/elf.config" build/images/kernel.config; then
	t_pass "kernel.elf: IKCFG_ST then the gzipped build/images/kernel.config"
else
	t_fail "kernel.elf: IKCFG_ST then the gzipped build/images/kernel.config" "offset '${off:-none}'"
fi
t_done
