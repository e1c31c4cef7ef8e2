#!/usr/bin/env bash
# tests/e2e/t-tty.sh: an interactive `modvisor run` on a terminal (tmux), booted directly on KVM:
# typing, window size, Ctrl-C of a sleep, line editing, Ctrl-D's status, the terminal restored.
cd "$(dirname "$0")/../.."
. tests/lib.sh
TTY_RUN_ARGS=--accel=kvm
TTY_NAME=tty
. tests/e2e/procs/tty-drive.sh
