#!/usr/bin/env bash
# t-policy.sh: the host's verdicts end to end through the guest: {unsigned, good, bad,
# unknown key, malformed} x {enforce on, off} x {no flag, IGNORE_VERMAGIC,
# IGNORE_MODVERSIONS} x {force allowed, not}: each errno, each taint, each log entry.
# Run where KVM is usable (tests/e2e/run.sh, inside `modvisor with-kvm`).
set -u
cd "$(dirname "$0")/../.."
. tests/lib.sh

B=${BUILD:-build}
SIGNFILE=${SIGNFILE:-/usr/lib/linux-kbuild-6.1/scripts/sign-file}
TMP=$T_DIR
HELLO=$B/images/modules/hello.ko
if [ ! -x "$SIGNFILE" ] || [ ! -f "$HELLO" ]; then
	t_fail "policy: setup" "need $SIGNFILE (linux-kbuild-6.1) and $HELLO (make)"; exit 0
fi

# make_key NAME: an RSA signing key + certificate, the kernel's way (x509.genkey).
make_key() {
	printf '%s\n' '[ req ]' 'default_bits = 2048' 'distinguished_name = dn' 'prompt = no' \
		'x509_extensions = ext' '[ dn ]' "CN = t-policy $1" '[ ext ]' \
		'basicConstraints=critical,CA:FALSE' 'keyUsage=digitalSignature' \
		'subjectKeyIdentifier=hash' >"$TMP/$1.genkey"
	openssl req -new -nodes -utf8 -sha256 -days 36500 -batch -x509 -config "$TMP/$1.genkey" \
		-outform PEM -out "$TMP/$1.pem" -keyout "$TMP/$1.pem" 2>/dev/null
}
make_key trusted && make_key stranger || { t_fail "policy: keys" "openssl req failed"; exit 0; }
mkdir -p "$TMP/certs" "$TMP/mods"
openssl x509 -in "$TMP/trusted.pem" -outform DER -out "$TMP/certs/trusted.der"

# The five variants of hello.ko.
M=$TMP/mods
cp "$HELLO" "$M/hello-unsigned.ko"
cp "$HELLO" "$M/hello-good.ko" && "$SIGNFILE" sha256 "$TMP/trusted.pem" "$TMP/trusted.pem" "$M/hello-good.ko"
cp "$HELLO" "$M/hello-unknown.ko" && "$SIGNFILE" sha256 "$TMP/stranger.pem" "$TMP/stranger.pem" "$M/hello-unknown.ko"
# bad: one bit of the RSA signature value (the bytes just before the trailer).
cp "$M/hello-good.ko" "$M/hello-bad.ko"
n=$(stat -c %s "$M/hello-bad.ko")
b=$(od -An -tu1 -j $((n - 45)) -N1 "$M/hello-bad.ko" | tr -d ' ')
printf "$(printf '\\%03o' $((b ^ 1)))" | dd of="$M/hello-bad.ko" bs=1 seek=$((n - 45)) conv=notrunc status=none
# malformed: sig_len larger than the file.
cp "$M/hello-good.ko" "$M/hello-malformed.ko"
printf '\177\377\377\377' | dd of="$M/hello-malformed.ko" bs=1 seek=$((n - 32)) conv=notrunc status=none
for v in good bad unknown malformed; do
	"$MV" verify --keyring "$TMP/certs" "$M/hello-$v.ko" | grep -q "signature: ${v/unknown/unknown-key}" ||
		t_fail "policy: variant $v" "modvisor verify does not call it $v"
done

VARIANTS="unsigned good bad unknown malformed"
FLAGS="0 2 1"          # none, IGNORE_VERMAGIC, IGNORE_MODVERSIONS

# expect SIG ENFORCE FLAGS FORCE: "ERRNO" or "ok TAINTS", as docs/policy.md's steps say.
expect() {
	local sig=$1 enforce=$2 flags=$3 force=$4 trusted=0
	[ "$flags" = 0 ] && [ "$sig" = good ] && trusted=1
	if [ "$flags" = 0 ] && [ "$sig" = malformed ]; then echo EBADMSG
	elif [ $trusted = 0 ] && [ "$enforce" = 1 ]; then echo ENOKEY
	elif [ "$flags" != 0 ] && [ "$force" = 0 ]; then echo ENOEXEC
	else
		local t=""
		[ "$flags" != 0 ] && t=F
		t=${t}O
		[ $trusted = 0 ] && t=${t}E
		echo "ok $t"
	fi
}

for enforce in 0 1; do
for force in 0 1; do
	name="enforce=$enforce force=$force"
	log=$TMP/run-$enforce$force.log
	args=(--add "$M:/policy" --keyring "$TMP/certs" --sig-enforce=$enforce --force-load=$force
	      --log "$log")
	for v in $VARIANTS; do for f in $FLAGS; do
		args+=(-c "mv-modcall finit /policy/hello-$v.ko $f" -c "cat /sys/module/hello/taint"
		       -c "mv-modcall delete hello")
	done; done
	"$MV" run "${args[@]}" >"$TMP/out" 2>&1
	if ! grep -q '^finit /policy/' "$TMP/out"; then
		t_fail "policy: $name boots" "no mv-modcall output"; sed 's/^/    | /' "$TMP/out" | tail -n 8
		continue
	fi
	loads=0
	for v in $VARIANTS; do for f in $FLAGS; do
		want=$(expect "$v" "$enforce" "$f" "$force")
		# The mv-modcall line, then (when loaded) the taint line after it.
		line=$(grep -F -A1 "finit /policy/hello-$v.ko $f:" "$TMP/out")
		got=$(head -n 1 <<<"$line" | sed -E 's/.*: ([A-Z]+) \(.*/\1/; s/.*: ok$/ok/')
		[ "$got" = ok ] && got="ok $(sed -n 2p <<<"$line")"
		loads=$((loads + 1))
		if [ "$got" = "$want" ]; then t_pass "policy: $v flags=$f $name -> $want"
		else t_fail "policy: $v flags=$f $name" "got '$got', want '$want'"; fi
	done; done
	# The log: one load entry per attempt, chained, with the verdicts.
	"$MV" log verify "$log" >"$TMP/verify" 2>&1
	t_expect_status "policy: $name log verifies" 0 $?
	t_expect_status "policy: $name one load entry per attempt" "$loads" "$(grep -c '"type":"load"' "$log")"
	if [ "$enforce" = 0 ]; then
		t_expect_contains "policy: $name log says why E" "$log" "unsigned: allowed with taint E (enforcement off)"
	else
		t_expect_contains "policy: $name log names ENOKEY" "$log" '"errno_name":"ENOKEY"'
	fi
	t_expect_contains "policy: $name log names the signer" "$log" '"signer":"t-policy trusted"'
done
done

# EKEYREJECTED instead of ENOKEY, and the man page's message for ENOKEY through busybox insmod.
"$MV" run --add "$M:/policy" --sig-enforce --enforce-errno=EKEYREJECTED --log "$TMP/r.log" \
	-c "mv-modcall finit /policy/hello-unsigned.ko" -c "insmod /policy/hello-unsigned.ko" \
	>"$TMP/out" 2>&1
t_expect_contains "policy: enforce_errno EKEYREJECTED" "$TMP/out" "hello-unsigned.ko: EKEYREJECTED"
"$MV" run --add "$M:/policy" --sig-enforce --log "$TMP/k.log" -c "insmod /policy/hello-unsigned.ko" \
	>"$TMP/out" 2>&1
t_expect_contains "policy: insmod says Required key not available" "$TMP/out" "Required key not available"
# The same through a policy file (its keyring path relative to the file): the unsigned
# module is refused, the one signed with a key of the keyring loads.
printf '%s\n' '[policy]' 'sig_enforce = true' 'keyring = certs' >"$TMP/enforce.ini"
"$MV" run --policy "$TMP/enforce.ini" --add "$M:/policy" --log "$TMP/p.log" \
	-c "insmod /policy/hello-unsigned.ko" -c "insmod /policy/hello-good.ko" -c "lsmod" \
	>"$TMP/out" 2>&1
t_expect_contains "policy: --policy enforce.ini: unsigned insmod fails with ENOKEY's message" \
	"$TMP/out" "Required key not available"
if grep -q '"sig":"good".*"verdict":"allow"' "$TMP/p.log" &&
   grep -q '^hello ' "$TMP/out"; then
	t_pass "policy: --policy enforce.ini: the module signed by the keyring's key loads"
else
	t_fail "policy: --policy enforce.ini: signed module loads" "$(grep -c '"type":"load"' "$TMP/p.log") loads logged"
	sed 's/^/    | /' "$TMP/out" | tail -n 5
fi
# An unwritable log stops the run before the guest starts.
"$MV" run --log /nonexistent-dir/run.log -c "true" >"$TMP/out" 2>&1
st=$?
[ $st -ne 0 ] && grep -q "cannot open the measurement log" "$TMP/out" &&
	! grep -q "modvisor guest" "$TMP/out" && t_pass "policy: unwritable log stops the run before boot" ||
	t_fail "policy: unwritable log stops the run before boot" "exit $st"
# A log that fills up mid-run stops the VM at that load: no measurement is dropped.
# (RLIMIT_FSIZE of 1 KiB: the start entry fits, the first load entry does not.)
(ulimit -f 1; trap '' XFSZ; exec "$MV" run --log "$TMP/full.log" --fsync=none \
	-c "mv-modcall finit /policy/hello-good.ko 0" -c "echo after-the-load" \
	--add "$M:/policy") 2>&1 | cat >"$TMP/out"
st=${PIPESTATUS[0]}
if [ "$st" -ne 0 ] && grep -q "measurement log: .*write failed" "$TMP/out" &&
   ! grep -q "after-the-load" "$TMP/out" && ! grep -q "hello-good.ko 0: ok" "$TMP/out"; then
	t_pass "policy: a log write failure stops the VM at the load"
else
	t_fail "policy: a log write failure stops the VM at the load" "exit $st"
	sed 's/^/    | /' "$TMP/out" | tail -n 5
fi
t_done
