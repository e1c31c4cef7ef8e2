# authority_lib.sh: start and stop a `modvisor authority` daemon in a suite (sourced after tests/lib.sh).
# The suite sets MV, S (the socket) and LOG (the daemon's log) first.

DPID=

# start_daemon [ARGS...]: the daemon on $S and $LOG, its stderr in $T_DIR/d.err; waits until it
# says it listens (a killed daemon's socket file is still there before).
start_daemon() {
	local n
	n=$(grep -c 'listening on' "$T_DIR/d.err" 2>/dev/null)
	"$MV" authority --listen "$S" --log "$LOG" "$@" 2>>"$T_DIR/d.err" &
	DPID=$!
	for _ in $(seq 300); do
		[ "$(grep -c 'listening on' "$T_DIR/d.err")" -gt "${n:-0}" ] && return 0
		kill -0 "$DPID" 2>/dev/null || return 1
		sleep 0.1
	done
	return 1
}

# stop_daemon SIGNAL: stop it and reap it.
stop_daemon() { [ -n "$DPID" ] && kill "$1" "$DPID" 2>/dev/null; wait "$DPID" 2>/dev/null; DPID=; }
