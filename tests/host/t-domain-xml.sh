#!/usr/bin/env bash
# t-domain-xml.sh: `modvisor domain-xml` without libvirt: the domain it prints (type, kernel, initrd,
# cmdline with the VM's name and UUID, serial console, the authority's virtio-serial channel, XML
# escaping) and its refusals (status 2, naming the option and the reason).
set -u
cd "$(dirname "$0")/../.."
. tests/lib.sh
B=${BUILD:-build}
U=0f1e2d3c-4b5a-4697-8a8b-9c0d1e2f3a4b

dx() { "$MV" domain-xml "$@" >"$T_DIR/out" 2>"$T_DIR/err"; st=$?; }

dx --name g1 --authority /run/x/a.sock --uuid "$U" --type qemu --cmdline 'quiet -- /bin/echo a&b <c>'
t_expect_status "domain-xml: prints a domain" 0 "$st"
t_expect_line "domain-xml: --type qemu (TCG)" "$T_DIR/out" "<domain type='qemu'>"
t_expect_line "domain-xml: the name" "$T_DIR/out" "  <name>g1</name>"
t_expect_line "domain-xml: the UUID" "$T_DIR/out" "  <uuid>$U</uuid>"
t_expect_line "domain-xml: the built kernel by default" "$T_DIR/out" \
	"    <kernel>$(realpath "$B/images/kernel.elf")</kernel>"
t_expect_line "domain-xml: the built initrd by default" "$T_DIR/out" \
	"    <initrd>$(realpath "$B/images/initrd.cpio")</initrd>"
t_expect_line "domain-xml: name and UUID lead the command line, XML escaped" "$T_DIR/out" \
	"    <cmdline>mv.name=g1 mv.uuid=$U quiet -- /bin/echo a&amp;b &lt;c&gt;</cmdline>"
t_expect_line "domain-xml: the i440fx machine" "$T_DIR/out" \
	"    <type arch='x86_64' machine='pc'>hvm</type>"
t_expect_line "domain-xml: a serial console" "$T_DIR/out" "      <target type='serial' port='0'/>"
t_expect_line "domain-xml: the channel connects to the authority socket" "$T_DIR/out" \
	"      <source mode='connect' path='/run/x/a.sock'>"
t_expect_line "domain-xml: QEMU reconnects to a restarted authority" "$T_DIR/out" \
	"        <reconnect enabled='yes' timeout='2'/>"
t_expect_line "domain-xml: the channel is the virtio port org.modvisor.authority" "$T_DIR/out" \
	"      <target type='virtio' name='org.modvisor.authority'/>"

# The guest speaks modern virtio-pci: libvirt's default controller does on any machine.
t_expect_absent "domain-xml: libvirt's default virtio-serial controller (no model asked for)" \
	"$T_DIR/out" "<controller type='virtio-serial'"

dx --name g1 --authority rel.sock --type kvm
t_expect_line "domain-xml: --type kvm" "$T_DIR/out" "<domain type='kvm'>"
t_expect_line "domain-xml: a relative socket path is made absolute" "$T_DIR/out" \
	"      <source mode='connect' path='$PWD/rel.sock'>"
if grep -qE '^  <uuid>[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}</uuid>$' "$T_DIR/out"
then t_pass "domain-xml: a random (v4) UUID without --uuid"
else t_fail "domain-xml: a random UUID" "$(grep uuid "$T_DIR/out")"; fi

# Without --type: kvm only where /dev/kvm passes modvisor's probe, and the XML says why.
dx --name g1 --authority /a.sock
if grep -qE "^<!-- modvisor domain-xml: type (kvm|qemu) \(.+\) -->$" "$T_DIR/out"; then
	t_pass "domain-xml: the type's reason in a comment"
else t_fail "domain-xml: the type's reason" "$(head -n 2 "$T_DIR/out")"; fi

# refuse NAME NEEDLE ARGS...: status 2 and a message with NEEDLE.
refuse() {
	local n=$1 needle=$2
	shift 2
	dx "$@"
	t_expect_status "domain-xml: $n: status 2" 2 "$st"
	t_expect_contains "domain-xml: $n: says why" "$T_DIR/err" "$needle"
}
refuse "no --name" "--name '': want 1-64 of [A-Za-z0-9._-]" --authority /a.sock
refuse "a name with a slash" "--name 'a/b'" --name a/b --authority /a.sock
refuse "no --authority" "--authority SOCKET is required" --name g1
refuse "a bad UUID" "--uuid 1234: want 8-4-4-4-12 hex digits" --name g1 --authority /a.sock --uuid 1234
refuse "a missing kernel" "--kernel $T_DIR/none.elf: No such file" --name g1 --authority /a.sock \
	--kernel "$T_DIR/none.elf"
refuse "a bad --type" "--type xen: want kvm or qemu" --name g1 --authority /a.sock --type xen
refuse "too little memory" "--mem 8: want 64-65536" --name g1 --authority /a.sock --mem 8
t_done
