#!/usr/bin/env bash
# tests/e2e/run.sh [DIR [NAME...]]: run the boot suites DIR/NAME.sh (all DIR/t-*.sh, default
# tests/e2e) where KVM is usable.
# tests/run.sh starts this once through `modvisor with-kvm`, so the emulated
# KVM host, when needed, boots once for all of them.  Each suite's output
# sits between "# suite NAME" and "# suite NAME exit STATUS", which
# tests/run.sh uses to check each suite's plan and status; the exit status
# is 1 when any suite exited non-zero.
cd "$(dirname "$0")/../.."
export MV=${MV:-build/modvisor}
dir=${1:-tests/e2e}
[ $# -gt 0 ] && shift
# The suites to run: the names given after DIR (t-fleet ...), or all of them.
[ $# -gt 0 ] || set -- $(for s in "$dir"/t-*.sh; do [ -f "$s" ] && basename "$s" .sh; done)
rc=0
for name in "$@"; do
	s=$dir/$name.sh
	[ -f "$s" ] || continue
	echo "# suite $name"
	bash "$s"
	st=$?
	echo "# suite $name exit $st"
	[ "$st" = 0 ] || rc=1
done
exit $rc
