#!/usr/bin/env bash
# tests/e2e/run.sh: run every boot suite (DIR/t-*.sh, default tests/e2e) where KVM is usable.
# tests/run.sh starts this once through `modvisor with-kvm`, so the emulated
# KVM host, when needed, boots once for all of them.  Each suite's output
# sits between "# suite NAME" and "# suite NAME exit STATUS", which
# tests/run.sh uses to check each suite's plan and status; the exit status
# is 1 when any suite exited non-zero.
cd "$(dirname "$0")/../.."
export MV=${MV:-build/modvisor}
dir=${1:-tests/e2e}
rc=0
for s in "$dir"/t-*.sh; do
	[ -f "$s" ] || continue
	name=$(basename "$s" .sh)
	echo "# suite $name"
	bash "$s"
	st=$?
	echo "# suite $name exit $st"
	[ "$st" = 0 ] || rc=1
done
exit $rc
