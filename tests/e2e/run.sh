#!/usr/bin/env bash
# tests/e2e/run.sh: run every boot suite (tests/e2e/t-*.sh) where KVM is usable.
# tests/run.sh starts this once through `modvisor with-kvm`, so the emulated
# KVM host, when needed, boots once for all of them.
cd "$(dirname "$0")/../.."
export MV=${MV:-build/modvisor}
for s in tests/e2e/t-*.sh; do
	[ -f "$s" ] || continue
	echo "# suite $(basename "$s" .sh)"
	bash "$s"
done
exit 0
