#!/usr/bin/env bash
# tests/host/t-tty-emuhost.sh: the interactive shell through the emulated KVM host (--accel=emulated):
# the outer terminal goes raw, the inner guest gets a tty of its size (MODVISOR_TTY), all restored.
cd "$(dirname "$0")/../.."
. tests/lib.sh
TTY_RUN_ARGS=--accel=emulated
TTY_NAME=tty-emuhost
. tests/e2e/procs/tty-drive.sh
t_done
