#!/usr/bin/env bash
# mkkconfig.sh SRC VERSION_H CC AUTOCONF CONFIG: the guest kernel's configuration, from SRC (guest/kernel.config).
#
# Writes AUTOCONF (#define CONFIG_X 1 / value, as Linux's
# include/generated/autoconf.h) and CONFIG (the .config text /proc/config.gz
# serves: Linux's header, the compiler CC as CONFIG_CC_VERSION_TEXT,
# CONFIG_CC_IS_GCC and CONFIG_GCC_VERSION, then SRC's options).  Fails,
# naming the option, when the vermagic in VERSION_H disagrees with SRC.
set -euo pipefail
src=$1 version_h=$2 cc=$3 autoconf=$4 config=$5

release=$(sed -n 's/^#define MODVISOR_UTS_RELEASE *"\(.*\)"/\1/p' "$version_h")
vermagic=$(sed -n 's/^#define MODVISOR_VERMAGIC *MODVISOR_UTS_RELEASE *"\(.*\)"/\1/p' "$version_h")
options=$(grep -E '^(CONFIG_[A-Z0-9_]+=|# CONFIG_[A-Z0-9_]+ is not set$)' "$src")

# value NAME: y, a value, or "" when not set.
value() { sed -n "s/^$1=//p" <<<"$options"; }

# The vermagic words Linux derives from these options (include/linux/vermagic.h).
for pair in SMP:SMP PREEMPT:preempt MODULE_UNLOAD:mod_unload MODVERSIONS:modversions; do
	opt=${pair%%:*} word=${pair#*:}
	in_magic=n
	[[ " $vermagic " == *" $word "* ]] && in_magic=y
	set_here=n
	[ "$(value "CONFIG_$opt")" = y ] && set_here=y
	if [ "$in_magic" != "$set_here" ]; then
		echo "mkkconfig: $src: CONFIG_$opt is '$set_here' but the vermagic in $version_h" \
		     "('$vermagic') says '$in_magic' (word '$word')" >&2
		exit 1
	fi
done

cc_text=$($cc --version | head -n 1)
gcc_version=$($cc -dumpfullversion | awk -F. '{ printf "%d%02d%02d", $1, $2, $3 }')
mkdir -p "$(dirname "$autoconf")" "$(dirname "$config")"
{
	echo "#"
	echo "# Automatically generated file; DO NOT EDIT."
	echo "# Linux/x86 $release Kernel Configuration"
	echo "#"
	echo "CONFIG_CC_VERSION_TEXT=\"$cc_text\""
	echo "CONFIG_CC_IS_GCC=y"
	echo "CONFIG_GCC_VERSION=$gcc_version"
	echo "$options"
} >"$config.tmp"
{
	echo "/* Automatically generated from $src by scripts/mkkconfig.sh; DO NOT EDIT. */"
	echo "#ifndef MODVISOR_GENERATED_AUTOCONF_H"
	echo "#define MODVISOR_GENERATED_AUTOCONF_H"
	grep -E '^CONFIG_' "$config.tmp" | while IFS='=' read -r name val; do
		case $val in
		y) echo "#define $name 1" ;;
		m) echo "#define ${name}_MODULE 1" ;;
		*) echo "#define $name $val" ;;
		esac
	done
	echo "#endif"
} >"$autoconf.tmp"
mv "$autoconf.tmp" "$autoconf"
mv "$config.tmp" "$config"
