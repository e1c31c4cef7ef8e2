#!/usr/bin/env bash
# tests/e2e/t-user.sh: guest user space: busybox applets, the command runner, exec,
# fault-killed processes and the process syscalls (images/progs/mv-user.c).
cd "$(dirname "$0")/../.."
. tests/lib.sh
OUT=$T_DIR

# same NAME WANT: stdout of run NAME is exactly WANT.
same() {
	if [ "$(cat "$OUT/$1.out")" = "$2" ]; then t_pass "$1: stdout"; else
		t_fail "$1: stdout" "got '$(head -c 200 "$OUT/$1.out")', want '$2'"; fi
}

t_run_split echo -- echo hello
t_expect_status "echo: exit status" 0 "$st"
same echo hello
t_expect_contains "echo: banner on stderr" "$OUT/echo.err" "modvisor guest 0.1.0 (6.1.0-modvisor): 128 MiB RAM"
t_expect_contains "echo: banner names the ABI" "$OUT/echo.err" "ABI 1"

t_run_split quiet --cmdline quiet --mem 64 -- echo a b
same quiet "a b"
t_expect_absent "quiet: no banner" "$OUT/quiet.err" "modvisor guest"

t_run_split uname -- uname -r
same uname 6.1.0-modvisor

t_run_split tainted -c 'cat /proc/sys/kernel/tainted' -c 'echo second'
t_expect_status "two commands: exit status" 0 "$st"
same tainted "$(printf '0\nsecond')"

t_run_split notfound -c 'no-such-cmd' -c 'echo still runs'
t_expect_status "missing command: status 127" 127 "$st"
t_expect_contains "missing command: says so" "$OUT/notfound.err" "no-such-cmd: command not found"
same notfound "still runs"

t_run_split firstfail -c 'true' -c 'false' -c 'mv-segv' -c 'echo end'
t_expect_status "first failure decides the status" 1 "$st"
same firstfail "$(printf 'mv-segv: null\nend')"

t_run_split segv -c 'mv-segv null' -c 'echo next'
t_expect_status "NULL dereference: status 139" 139 "$st"
t_expect_contains "NULL dereference: reported" "$OUT/segv.err" "Segmentation fault (address 0x0, rip 0x"
same segv "$(printf 'mv-segv: null\nnext')"

t_run_split kaddr -- mv-segv kernel
t_expect_status "write to a kernel address: 139" 139 "$st"
t_expect_contains "write to a kernel address: reported" "$OUT/kaddr.err" "Segmentation fault (address 0xffffffff80200000"
t_run_split ud -- mv-segv ud
t_expect_status "invalid opcode: SIGILL 132" 132 "$st"
t_expect_contains "invalid opcode: reported" "$OUT/ud.err" "Illegal instruction"
t_run_split int3 -- mv-segv int3
t_expect_status "breakpoint: SIGTRAP 133" 133 "$st"
t_run_split div -- mv-segv div
t_expect_status "divide by zero: SIGFPE 136" 136 "$st"
t_run_split gp -- mv-segv gp
t_expect_status "non-canonical address: SIGSEGV 139" 139 "$st"
t_run_split stack -- mv-segv stack
t_expect_status "stack overflow past 8 MiB: 139" 139 "$st"

t_run_split user -- mv-user
t_expect_status "mv-user: exit status" 0 "$st"
t_expect_contains "mv-user: ran to the end after execve" "$OUT/user.out" "mv-user: all passed"
t_expect_contains "mv-user: execve with an empty argv" "$OUT/user.out" \
	"mv-user: empty argv became one empty string"
t_expect_contains "mv-user: ENOSYS is logged by name" "$OUT/user.err" "syscall swapoff (168) is not implemented"
grep -E '^(not )?ok - ' "$OUT/user.out" >"$OUT/user.tap"
t_relay "mv-user: " "$OUT/user.tap"

# An unimplemented syscall is logged once per boot, however often it is called.
t_run_split enosys -c 'busybox swapoff /x' -c 'busybox swapoff /x'
t_expect_status "ENOSYS: busybox swapoff fails" 1 "$st"
n=$(grep -c 'syscall swapoff (168) is not implemented' "$OUT/enosys.err")
[ "$n" = 1 ] && t_pass "ENOSYS: logged once for two calls" ||
	t_fail "ENOSYS: logged once for two calls" "logged $n times"
t_expect_contains "ENOSYS: the caller sees ENOSYS" "$OUT/enosys.err" "swapoff: /x: Function not implemented"

# A static-PIE build of the same checks: loaded at a bias, relocates itself.
t_run_split pie -- mv-user-pie
t_expect_status "mv-user-pie (static-PIE): exit status" 0 "$st"
t_expect_contains "mv-user-pie: ran to the end after execve" "$OUT/pie.out" "mv-user: all passed"
t_expect_absent "mv-user-pie: no failed check" "$OUT/pie.out" "not ok"

# A #! script runs through its interpreter, with the optional argument.
printf '#!/bin/sh\necho "script $0 $1"\n' >"$OUT/script"
printf '#!/bin/echo  -n  \n' >"$OUT/script2"
chmod 755 "$OUT/script" "$OUT/script2"
t_run_split script --add "$OUT/script:/bin/myscript" --add "$OUT/script2:/bin/s2" \
	-c 'myscript one' -c 's2 x'
t_expect_status "#! scripts: exit status" 0 "$st"
same script "$(printf 'script /bin/myscript one\n/bin/s2 x')"

t_run_split exe -- readlink /proc/self/exe
same exe /bin/busybox

t_run_split dropcap -- mv-dropcap sh -c 'echo dropped'
same dropcap dropped

# Every process gives back all of its memory: 40 busybox runs fit in 32 MiB.
args=()
for i in $(seq 40); do args+=(-c "busybox true"); done
t_run_split leak --mem 32 "${args[@]}" -c 'echo survived'
t_expect_status "40 commands in 32 MiB: exit status" 0 "$st"
same leak survived

t_run_split ls -- ls /lib/modules
t_expect_status "ls /lib/modules: exit status" 0 "$st"
t_done
