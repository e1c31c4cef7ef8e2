#!/usr/bin/env bash
# libvirt.sh start STATE | stop STATE: make libvirt's system daemons answer (qemu:///system) for
# the libvirt tests, and stop afterwards only the daemons this script started (their pids in STATE).
#
# Debian 12's libvirt-daemon-system has the monolithic libvirtd (newer releases: virtqemud);
# without systemd nothing starts them or virtlogd (which the QEMU driver needs for consoles and
# logs), so start here whichever is missing.
set -u
cmd=${1:-}
state=${2:-}
[ -n "$cmd" ] && [ -n "$state" ] || { echo "usage: libvirt.sh start|stop STATE" >&2; exit 2; }

answers() { virsh -c qemu:///system version >/dev/null 2>&1; }

# start_one NAME PIDFILE: run NAME -d unless it runs already; record the pid we started.
start_one() {
	local name=$1 pidfile=$2
	command -v "$name" >/dev/null || return 1
	pgrep -x -r R,S,D "$name" >/dev/null && return 0   # not a zombie
	rm -f "$pidfile"                # a stale one from a daemon that died
	"$name" -d || return 1
	for _ in $(seq 50); do [ -s "$pidfile" ] && break; sleep 0.1; done
	[ -s "$pidfile" ] && echo "$(cat "$pidfile") $name" >>"$state"
}

case $cmd in
start)
	: >"$state"
	answers && exit 0
	PATH=$PATH:/usr/sbin:/sbin
	start_one virtlogd /run/virtlogd.pid
	if command -v virtqemud >/dev/null; then start_one virtqemud /run/virtqemud.pid
	else start_one libvirtd /run/libvirtd.pid; fi
	for _ in $(seq 100); do answers && exit 0; sleep 0.1; done
	echo "libvirt.sh: qemu:///system does not answer (is libvirt-daemon-system installed?)" >&2
	exit 1
	;;
stop)
	[ -f "$state" ] || exit 0
	# Newest first: libvirtd before the virtlogd it uses.
	tac "$state" | while read -r pid name; do
		[ "$(cat "/proc/$pid/comm" 2>/dev/null)" = "$name" ] && kill "$pid"
	done
	rm -f "$state"
	;;
*)
	echo "usage: libvirt.sh start|stop STATE" >&2; exit 2 ;;
esac
