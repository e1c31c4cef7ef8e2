# bash completion for modvisor(1).  Installed by `make install` as
# PREFIX/share/bash-completion/completions/modvisor.
#
# Subcommands and options are read from modvisor's own --help, so the
# completion never lags behind the binary.  Option values that name files
# complete as files; --accel, --log-format, --fsync, --digests, --on-violation
# and --protect complete their words.

_modvisor_subcommands() {
	"$1" --help 2>/dev/null | awk '/^(usage:|      ) *modvisor [a-z]/ {
		for (i = 1; i <= NF; i++) if ($i == "modvisor") { print $(i + 1); break } }' |
		grep -v '^COMMAND$' | sort -u
}

_modvisor_options() {
	"$1" "$2" --help 2>/dev/null | grep -oE -- '(^|[[ ,(])--[a-z0-9][a-z0-9-]*' |
		sed -E 's/^[[ ,(]//' | sort -u
}

_modvisor() {
	local cur prev words cword sub i
	COMPREPLY=()
	cur=${COMP_WORDS[COMP_CWORD]}
	prev=${COMP_WORDS[COMP_CWORD-1]}
	sub=
	for ((i = 1; i < COMP_CWORD; i++)); do
		case ${COMP_WORDS[i]} in
		--) return 0 ;;   # the guest's command: nothing to offer
		-*) ;;
		*) sub=${COMP_WORDS[i]}; break ;;
		esac
	done
	if [ -z "$sub" ]; then
		COMPREPLY=($(compgen -W "$(_modvisor_subcommands "${COMP_WORDS[0]}") --help --version" -- "$cur"))
		return 0
	fi
	case $prev in
	--accel) COMPREPLY=($(compgen -W "auto kvm emulated" -- "$cur")); return 0 ;;
	--log-format) COMPREPLY=($(compgen -W "jsonl ima-ascii ima-binary" -- "$cur")); return 0 ;;
	--fsync) COMPREPLY=($(compgen -W "per-entry close none" -- "$cur")); return 0 ;;
	--digests) COMPREPLY=($(compgen -W "sha256 sha384 sha512 none" -- "$cur")); return 0 ;;
	--on-violation) COMPREPLY=($(compgen -W "stop log" -- "$cur")); return 0 ;;
	--protect) COMPREPLY=($(compgen -W "on off" -- "$cur")); return 0 ;;
	--kernel|--initrd|--policy|--keyring|--log|--add|--add-program|--out|--report|--authority|--listen|--socket)
		COMPREPLY=($(compgen -f -- "$cur")); return 0 ;;
	esac
	if [ "$sub" = log ] && [ "$prev" = log ]; then
		COMPREPLY=($(compgen -W "verify show" -- "$cur")); return 0
	fi
	if [ "$sub" = authority ] && [ "$prev" = authority ] && [[ $cur != -* ]]; then
		COMPREPLY=($(compgen -W "status" -- "$cur")); return 0
	fi
	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W "$(_modvisor_options "${COMP_WORDS[0]}" "$sub")" -- "$cur"))
	else
		COMPREPLY=($(compgen -f -- "$cur"))
	fi
}
complete -o filenames -F _modvisor modvisor
