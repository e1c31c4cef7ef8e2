#!/usr/bin/env bash
# t-build.sh: the build knows when it is done: after `make all tests` (make check's first step),
# `make -q` finds nothing out of date, so `make -n` shows what a change would really rebuild.
set -u
cd "$(dirname "$0")/../.."
. tests/lib.sh

make -q --no-print-directory all tests >/dev/null 2>&1; st=$?
if [ "$st" = 0 ]; then
	t_pass "build: after make all tests, make -q finds every target up to date"
else
	t_fail "build: make -q all tests exited $st" "$(make -n -d --no-print-directory all tests 2>&1 |
		grep -o "Must remake target '[^']*'" | head -n 5 | tr '\n' ' ')"
fi
t_done
