#!/bin/sh
# tests/e2e/procs/shell.sh: busybox ash features that need processes, each printing one marker line.
set -u
echo "pipe: $(echo one two three | tr ' ' '\n' | grep -c .)"
echo "subst: $(echo inner $(echo nested))"
(echo subshell; exit 3); echo "subshell-status: $?"
true && echo "and: yes"; false || echo "or: yes"
n=0; for f in /bin/sh /bin/ls /bin/cat; do ls "$f" >/dev/null && n=$((n + 1)); done; echo "for: $n"
i=0; while [ "$i" -lt 3 ]; do i=$(expr "$i" + 1); done; echo "while: $i"
sleep 0.1 & bg=$!; wait "$bg"; echo "bg: waited $? for pid ${bg:+set}"
sh -c 'exit 7' & wait $!; echo "bg-status: $?"
trap 'echo "trap: USR1"' USR1; kill -USR1 $$; echo "after-trap: yes"
sh -c 'kill -TERM $$; echo not-reached'; echo "killed-status: $?"
sh -c 'set -e; false; echo not-reached'; echo "set-e-status: $?"
sh -c 'exit 42'; echo "exit-status: $?"
printf '#!/bin/sh\necho "shebang: $1"\nexit 5\n' >/tmp/direct.sh; chmod +x /tmp/direct.sh
/tmp/direct.sh arg; echo "shebang-status: $?"
echo "yes-head: $(yes | head -n 3 | wc -l)"
echo hello > /tmp/redir; read -r line < /tmp/redir; echo "redirect: $line"
x=$(sh -c 'echo $PPID'); [ "$x" = "$$" ] && echo "ppid: parent"
echo "done"
