# tests/e2e/procs/tty-drive.sh: drive an interactive `modvisor run` through tmux (sourced by
# tests/host/t-tty-emuhost.sh; tmux cannot serve its socket inside the emulated host, so
# the terminal is the real host's and the run goes through the emulated KVM host).
# Needs: tests/lib.sh sourced, $MV, TTY_RUN_ARGS (extra run options), TTY_NAME (check prefix).

TTY_OUT=$T_DIR/tty
mkdir -p "$TTY_OUT"
# tmux's socket: /tmp may be 9p inside the emulated host, which has no sockets.
[ -w /dev/shm ] && export TMUX_TMPDIR=/dev/shm
TTY_S=mvtty$$
T_ON_EXIT='tmux kill-session -t "$TTY_S" 2>/dev/null'

# tty_wait NEEDLE SECONDS: wait until the pane shows NEEDLE; 0 if it did.
# (capture-pane drops trailing blanks: a prompt is matched without its space.)
tty_wait() {
	local i
	for ((i = 0; i < $2 * 5; i++)); do
		tmux capture-pane -p -t "$TTY_S" -S -200 >"$TTY_OUT/pane" 2>/dev/null
		grep -qF -- "$1" "$TTY_OUT/pane" && return 0
		sleep 0.2
	done
	return 1
}

# tty_expect NAME NEEDLE SECONDS: a check that the pane shows NEEDLE in time.
tty_expect() {
	if tty_wait "$2" "$3"; then t_pass "$TTY_NAME: $1"; else
		t_fail "$TTY_NAME: $1" "the terminal lacks '$2'"; sed 's/^/    | /' "$TTY_OUT/pane" | tail -n 12
	fi
}

# tty_start: a 100x30 terminal running `modvisor run` (no command: sh) between two stty -g.
tty_start() {
	tmux kill-session -t "$TTY_S" 2>/dev/null
	tmux new-session -d -s "$TTY_S" -x 100 -y 30 "cd '$PWD' && bash -c 'stty -g >$TTY_OUT/before;
		echo \$\$ >$TTY_OUT/pid; $MV run $TTY_RUN_ARGS --log $TTY_OUT/log; echo \"EXIT=\$?\";
		stty -g >$TTY_OUT/after; sleep 300'"
}

if ! command -v tmux >/dev/null; then
	t_fail "$TTY_NAME: tmux" "not installed (scripts/deps.sh)"
	return 0 2>/dev/null || exit 0
fi

tty_start
tty_expect "an interactive sh starts (prompt)" "/ #" 300
tmux send-keys -t "$TTY_S" 'echo typed $((6 * 7))' Enter
tty_expect "a typed command runs (echo, arithmetic)" "typed 42" 30
tmux send-keys -t "$TTY_S" 'stty size; tty' Enter
tty_expect "the window size is the host terminal's" "30 100" 30
tty_expect "stdin is the console tty" "/dev/console" 10
# The host terminal resized after boot: the guest's foreground group gets SIGWINCH
# and the new size (through the emulated host: its job directory and a forwarded signal).
tmux send-keys -t "$TTY_S" "sh -c 'trap \"stty size; echo WINCH-GOT; exit 0\" WINCH; while :; do sleep 1; done'" Enter
sleep 3
tmux resize-window -t "$TTY_S" -x 90 -y 25
tty_expect "a host resize after boot: SIGWINCH to the foreground group" "WINCH-GOT" 30
tty_expect "... with the new size (stty size)" "25 90" 10
tmux send-keys -t "$TTY_S" 'sleep 100' Enter
sleep 2
tmux send-keys -t "$TTY_S" C-c
tmux send-keys -t "$TTY_S" 'echo after=$?' Enter
tty_expect "Ctrl-C interrupts sleep with SIGINT (status 130), the shell lives" "after=130" 30
tmux send-keys -t "$TTY_S" 'sleep 100' Enter
sleep 2
tmux send-keys -t "$TTY_S" C-z
tty_expect "Ctrl-Z stops sleep (ash job control)" "Stopped" 30
tmux send-keys -t "$TTY_S" 'fg' Enter
sleep 2
tmux send-keys -t "$TTY_S" C-c
tmux send-keys -t "$TTY_S" 'echo fg=$?' Enter
tty_expect "fg continues it, Ctrl-C ends it" "fg=130" 30
tmux send-keys -t "$TTY_S" 'echo abcX' BSpace 'Y' Enter
tty_expect "the erase key edits the line" "abcY" 30
tmux send-keys -t "$TTY_S" "sh -c 'exit 7'" Enter
sleep 2
tmux send-keys -t "$TTY_S" C-d
tty_expect "Ctrl-D ends the run with the shell's status" "EXIT=7" 60
sleep 1
if [ -s "$TTY_OUT/before" ] && cmp -s "$TTY_OUT/before" "$TTY_OUT/after"; then
	t_pass "$TTY_NAME: the terminal mode is restored (stty -g before = after)"
else
	t_fail "$TTY_NAME: the terminal mode is restored" "$(cat "$TTY_OUT/before" "$TTY_OUT/after" 2>&1)"
fi

# SIGTERM to modvisor while the guest has the terminal: restored all the same.
# (A second emulated run in the same test sometimes never shows its prompt:
# not understood yet, see the report of issue 15; the check here is the
# terminal's restoration, so SIGTERM goes in once the run has started.)
tty_start
tty_wait "/ #" 300 || sleep 10
pkill -TERM -P "$(cat "$TTY_OUT/pid")" -x modvisor 2>/dev/null ||
	kill -TERM "$(pgrep -P "$(cat "$TTY_OUT/pid")" | head -n 1)"
tty_expect "SIGTERM ends the run" "EXIT=" 60
sleep 1
if [ -s "$TTY_OUT/before" ] && cmp -s "$TTY_OUT/before" "$TTY_OUT/after"; then
	t_pass "$TTY_NAME: the terminal mode is restored after SIGTERM"
else
	t_fail "$TTY_NAME: the terminal mode is restored after SIGTERM" "$(cat "$TTY_OUT/before" "$TTY_OUT/after" 2>&1)"
fi
