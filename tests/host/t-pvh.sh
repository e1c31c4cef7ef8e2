#!/usr/bin/env bash
# t-pvh.sh: the same kernel.elf boots under stock QEMU through its PVH entry (-kernel, no modvisor,
# no KVM: TCG), with the PC platform: serial console, PIT tick, CMOS clock, isa-debug-exit/ACPI exit,
# and the authority reached over virtio-serial through either virtio-pci transport.
set -u
cd "$(dirname "$0")/../.."
. tests/lib.sh
. tests/authority_lib.sh
B=${BUILD:-build}
KERNEL=$B/images/kernel.elf
INITRD=$B/images/initrd.cpio

# pvh NAME MACHINE APPEND [QEMU ARGS...]: boot with stdin from $T_DIR/NAME.in (if any); the
# console in $T_DIR/NAME, QEMU's status in $st.  With isa-debug-exit, status S exits (S << 1) | 1.
pvh() {
	local name=$1 machine=$2 append=$3 in=/dev/null
	shift 3
	[ -f "$T_DIR/$name.in" ] && in=$T_DIR/$name.in
	timeout 300 qemu-system-x86_64 -accel tcg -machine "$machine" -m 256 -nodefaults \
		-display none -monitor none -serial stdio -no-reboot "$@" \
		-kernel "$KERNEL" -initrd "$INITRD" -append "$append" <"$in" >"$T_DIR/$name" 2>&1
	st=$?
}
DBG=(-device isa-debug-exit,iobase=0xf4,iosize=0x04)

if ! command -v qemu-system-x86_64 >/dev/null; then
	t_skip "pvh" "no qemu-system-x86_64"; t_done; exit 0
fi

readelf -nW "$KERNEL" >"$T_DIR/notes" 2>&1
entry=$(sed -n 's/.*description data: \(.*[^ ]\) *$/\1/p' "$T_DIR/notes" | head -n 1)
if grep -q 'Xen' "$T_DIR/notes" && grep -q '(0x00000012)' "$T_DIR/notes"; then
	t_pass "kernel.elf has a Xen PHYS32_ENTRY note"
else t_fail "kernel.elf has a Xen PHYS32_ENTRY note" "$(cat "$T_DIR/notes")"; fi
va=$(nm "$KERNEL" | awk '$3 == "pvh_start32" { print $1 }')
want=
if [ -n "$va" ]; then
	pa=$(( 0x$va & 0x7fffffff ))   # the image lies in the first 2 GiB: pa = va - 0xffffffff80000000
	for i in 0 1 2 3 4 5 6 7; do want+=$(printf '%02x ' $(( (pa >> (8 * i)) & 255 ))); done
fi
if [ -n "$va" ] && [ "$entry" = "${want% }" ]; then
	t_pass "the note's entry is pvh_start32's physical address"
else t_fail "the note's entry is pvh_start32's physical address" "note '$entry', symbol 0x$va"; fi

pvh cmd pc 'quiet -- /bin/sh -c "echo pvh-up $((6*7)); uname -r; exit 3"' "${DBG[@]}"
t_expect_status "a command after -- runs; its status through isa-debug-exit ((3 << 1) | 1)" 7 "$st"
t_expect_line "the command's output on the serial console" "$T_DIR/cmd" $'pvh-up 42\r'
t_expect_line "same kernel: uname -r" "$T_DIR/cmd" $'6.1.0-modvisor\r'

pvh banner pc 'mv.x=1 -- /bin/true' "${DBG[@]}"
t_expect_status "/bin/true exits 0 (1 through isa-debug-exit)" 1 "$st"
t_expect_contains "banner: RAM from the E820 map, the command line" "$T_DIR/banner" \
	'MiB RAM, cmdline "mv.x=1 -- /bin/true"'

pvh quotes pc 'quiet -- /bin/sh -c "echo n=$#" x "a b" c' "${DBG[@]}"
t_expect_line 'cmdline: "double quotes" group words' "$T_DIR/quotes" $'n=2\r'

year=$(date -u +%Y)
pvh clock pc 'quiet -- /bin/date -u +%Y' "${DBG[@]}"
t_expect_line "the wall clock comes from the CMOS clock" "$T_DIR/clock" "$year"$'\r'

pvh initrd pc 'quiet -- /bin/sh -c "ls /lib/modules/hello.ko && cat /proc/cmdline"' "${DBG[@]}"
t_expect_line "the initrd (PVH module 0) is unpacked" "$T_DIR/initrd" $'/lib/modules/hello.ko\r'

# The PIT tick preempts ring 3: a spinner does not starve a sleeper (without the tick it would).
pvh tick pc 'quiet -- /bin/sh -c "(while :; do :; done) & sleep 1; echo slept; kill $!"' "${DBG[@]}"
t_expect_line "the PIT/PIC tick preempts a ring-3 spinner and ends a sleep" "$T_DIR/tick" $'slept\r'

# No authority link: nothing is loaded unmeasured.
pvh noauth pc 'quiet -- /bin/sh -c "insmod /lib/modules/hello.ko; echo insmod=$?; lsmod"' "${DBG[@]}"
t_expect_contains "without an authority a load is refused with EAGAIN" "$T_DIR/noauth" \
	'load refused by the host: EAGAIN: the module authority is unreachable'
t_expect_line "insmod fails (busybox exits with the errno)" "$T_DIR/noauth" $'insmod=11\r'
t_expect_absent "and the module is not live" "$T_DIR/noauth" 'hello '

# The virtio-serial authority port: found by its name, but nobody on the host side (a device
# without the modern interface: the legacy one); another name (transitional: modern).
VS=(-device virtio-serial-pci,disable-modern=on
	-chardev "socket,path=$T_DIR/nobody.sock,server=on,wait=off,id=c0")
pvh vs-closed pc '-- /bin/sh -c "insmod /lib/modules/hello.ko; echo insmod=$?"' "${DBG[@]}" \
	"${VS[@]}" -device virtserialport,chardev=c0,name=org.modvisor.authority
t_expect_contains "virtio-serial: a device without the modern interface is driven through its legacy one" \
	"$T_DIR/vs-closed" '(1af4:1003): legacy virtio-pci'
t_expect_contains "virtio-serial: the authority port is found, its host side closed" \
	"$T_DIR/vs-closed" 'authority: the authority port is not connected: module loads fail with EAGAIN'
t_expect_line "virtio-serial: no host side, no load" "$T_DIR/vs-closed" $'insmod=11\r'
pvh vs-other pc '-- /bin/true' "${DBG[@]}" -device virtio-serial-pci -chardev null,id=c0 \
	-device virtserialport,chardev=c0,name=org.example.other
t_expect_contains "virtio-serial: a transitional device is driven through its modern interface" \
	"$T_DIR/vs-other" '(1af4:1003): modern virtio-pci'
t_expect_contains "virtio-serial: a port of another name is not the authority" "$T_DIR/vs-other" \
	'authority: no virtio-serial port org.modvisor.authority: module loads fail with EAGAIN'

# A daemon on the host side: a modern-only device (1af4:1043) reaches it and hello.ko is loaded
# as it rules, first with its BAR above 4 GiB (a 2 GiB ivshmem BAR leaves SeaBIOS no room below:
# 64-bit BARs go high), then as libvirt places the default controller on q35 (behind a PCIe root
# port, so modern only).
S=$T_DIR/a.sock
LOG=$T_DIR/a.log
printf 'kernel = %s\n' "$PWD/$KERNEL" >"$T_DIR/a.ini"
T_ON_EXIT='stop_daemon -TERM'
if ! start_daemon --policy "$T_DIR/a.ini"; then
	t_fail "virtio-serial: the authority daemon starts" "$(cat "$T_DIR/d.err")"; t_done; exit 0
fi
hello() { echo "mv.name=pvh-$1 -- /bin/sh -c \"insmod /lib/modules/hello.ko who=$1; echo insmod=\$?\""; }
PORT=(-chardev "socket,path=$S,id=c0" -device virtserialport,chardev=c0,name=org.modvisor.authority)
pvh vs-modern pc "$(hello modern)" "${DBG[@]}" \
	-object memory-backend-ram,id=big,size=2G -device ivshmem-plain,memdev=big \
	-device virtio-serial-pci,disable-legacy=on "${PORT[@]}"
pvh vs-q35 q35 "$(hello q35)" "${DBG[@]}" \
	-device pcie-root-port,id=rp1,chassis=1 -device virtio-serial-pci,bus=rp1 "${PORT[@]}"
stop_daemon -TERM
for m in modern q35; do
	t_expect_contains "virtio-serial ($m): the modern-only device is driven through its modern interface" \
		"$T_DIR/vs-$m" '(1af4:1043): modern virtio-pci'
	t_expect_contains "virtio-serial ($m): hello.ko loads" "$T_DIR/vs-$m" "hello: hello, $m"
	t_expect_line "virtio-serial ($m): insmod succeeded" "$T_DIR/vs-$m" $'insmod=0\r'
	if grep '"type":"load"' "$LOG" | grep "\"vm\":\"pvh-$m\"" | grep -q '"name":"hello".*"verdict":"allow"'
	then t_pass "virtio-serial ($m): the daemon measured and allowed the load"
	else t_fail "virtio-serial ($m): the load in the daemon's log" "$(tail -n 3 "$LOG")"; fi
done
common=$(sed -n 's/.*common configuration at \(0x[0-9a-f]*\) (BAR .*/\1/p' "$T_DIR/vs-modern")
if [ -n "$common" ] && (( common >= 1 << 32 )); then
	t_pass "virtio-serial: the modern structures are reached above 4 GiB ($common)"
else t_fail "virtio-serial: the BAR above 4 GiB" "common configuration at '$common'"; fi

# The default command is an interactive shell on the serial line: typed input reaches it
# through the tick's polling of the UART.
printf 'echo typed-$((6*7))\nexit 5\n' >"$T_DIR/shell.in"
pvh shell pc 'quiet' "${DBG[@]}"
t_expect_status "no command: /bin/sh reads the serial line (exit 5)" 11 "$st"
t_expect_contains "typed input runs" "$T_DIR/shell" 'typed-42'

# Without isa-debug-exit the kernel powers off through ACPI (S5 from the FADT and the DSDT).
for m in pc q35; do
	pvh "acpi-$m" "$m" 'quiet -- /bin/true'
	t_expect_status "ACPI poweroff on $m: QEMU ends by itself" 0 "$st"
	t_expect_absent "ACPI poweroff on $m: no fallback halt" "$T_DIR/acpi-$m" 'no way to power off'
done
t_done
