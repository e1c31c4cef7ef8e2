#!/usr/bin/env bash
# t-mlog.sh: what the measurement log and the guest console say about each load (issue 16):
# refused loads named (busybox's raw first try of a .ko.gz under --sig-enforce), Linux's
# reason and the errno's name on the console, parameter strings logged (and cut at 1024
# bytes), errno_name only for errors.  One boot.  Run where KVM is usable (tests/e2e/run.sh).
set -u
cd "$(dirname "$0")/../.."
. tests/lib.sh

B=${BUILD:-build}
SIGNFILE=${SIGNFILE:-/usr/lib/linux-kbuild-6.1/scripts/sign-file}
HELLO=$B/images/modules/hello.ko
TMP=$T_DIR
for f in "$HELLO" "$SIGNFILE"; do
	[ -e "$f" ] || { t_fail "mlog: setup" "need $f (make; linux-kbuild-6.1)"; exit 0; }
done
mkdir -p "$TMP/m" "$TMP/certs"
printf '%s\n' '[ req ]' 'default_bits = 2048' 'distinguished_name = dn' 'prompt = no' \
	'x509_extensions = ext' '[ dn ]' 'CN = t-mlog trusted' '[ ext ]' \
	'basicConstraints=critical,CA:FALSE' 'keyUsage=digitalSignature' \
	'subjectKeyIdentifier=hash' >"$TMP/key.genkey"
openssl req -new -nodes -utf8 -sha256 -days 36500 -batch -x509 -config "$TMP/key.genkey" \
	-outform PEM -out "$TMP/key.pem" -keyout "$TMP/key.pem" 2>/dev/null &&
	openssl x509 -in "$TMP/key.pem" -outform DER -out "$TMP/certs/key.der" ||
	{ t_fail "mlog: key" "openssl req failed"; exit 0; }
cp "$HELLO" "$TMP/m/signed.ko" && "$SIGNFILE" sha256 "$TMP/key.pem" "$TMP/key.pem" "$TMP/m/signed.ko"
gzip -n -9 -c "$TMP/m/signed.ko" >"$TMP/m/signed.ko.gz"
# A parameter string of 1607 bytes: logged cut to its first 1024, marked.
long="count=9"
for i in $(seq 200); do long+=$(printf ' zz=%04d' "$i"); done

LOG=$TMP/run.log
"$MV" run --add "$TMP/m:/m" --keyring "$TMP/certs" --sig-enforce --log "$LOG" \
	-c "insmod /m/signed.ko.gz count=7" -c "cat /sys/module/hello/parameters/count" \
	-c "rmmod hello" -c "mv-modcall init /m/signed.ko '$long'" \
	-c "cat /sys/module/hello/parameters/count" -c "mv-modcall delete hello" \
	-c "mv-modcall init-badargs /m/signed.ko" >"$TMP/out" 2>&1
if ! grep -qx 7 "$TMP/out"; then
	t_fail "mlog: boots and loads" "no count 7"; sed 's/^/    | /' "$TMP/out" | tail -n 12
	exit 0
fi

# The raw first try of the .ko.gz: legible on the console, named in the log.
t_expect_contains "mlog: console names the errno and Linux's reason" "$TMP/out" \
	"/m/signed.ko.gz: load refused by the host: ENOKEY: Loading of unsigned module is rejected (a gzip file, passed without MODULE_INIT_COMPRESSED_FILE)"
t_expect_absent "mlog: no bare errno number on the console" "$TMP/out" "(errno 126)"
deny=$(grep '"verdict":"deny"' "$LOG" | head -n 1)
grep -q '"name":"hello","source":"finit_module","path":"/m/signed.ko.gz","params":"count=7 "' \
	<<<"$deny" && t_pass "mlog: the refused raw .ko.gz is logged with name, path and params" ||
	t_fail "mlog: the refused raw .ko.gz is logged with name, path and params" "${deny:0:300}"
grep -q '"errno":126,"errno_name":"ENOKEY"' <<<"$deny" &&
	grep -q 'the image is a gzip file, passed without MODULE_INIT_COMPRESSED_FILE' <<<"$deny" &&
	t_pass "mlog: the refusal says ENOKEY and why" || t_fail "mlog: the refusal says ENOKEY and why" \
	"${deny:0:300}"
t_expect_absent "mlog: no load entry without a name" "$LOG" '"name":""'

# The allowed loads: their parameters, and no errno_name when errno is 0.
# (busybox joins its arguments with a trailing blank, as the string Linux gets; after the
# refusal it decompresses the file itself and calls init_module.)
allow=$(grep '"verdict":"allow"' "$LOG" | head -n 1)
grep -q '"name":"hello","source":"init_module","params":"count=7 "' <<<"$allow" &&
	t_pass "mlog: busybox's retry logs its params" ||
	t_fail "mlog: busybox's retry logs its params" "${allow:0:300}"
t_expect_absent "mlog: errno_name is absent when errno is 0" "$LOG" '"errno_name":"0"'
# (busybox's retry, the long parameters, init-badargs: the host allows it, EFAULT comes later.)
[ "$(grep -c '"verdict":"allow","errno":0,"taints"' "$LOG")" = 3 ] &&
	t_pass "mlog: three allowed loads, errno 0 without a name" ||
	t_fail "mlog: three allowed loads, errno 0 without a name" "$(grep -o '"verdict":[^}]*' "$LOG")"
grep -qx 9 "$TMP/out" && t_pass "mlog: the long parameter string reached the module (count=9)" ||
	t_fail "mlog: the long parameter string reached the module" "no 9"
logged=$(grep '"source":"init_module"' "$LOG" | sed -n 's/.*"params":"\([^"]*\)","params_cut":true.*/\1/p')
[ "${#logged}" = 1024 ] && [ "$logged" = "${long:0:1024}" ] &&
	t_pass "mlog: a 1607-byte parameter string is logged as its first 1024 bytes, params_cut" ||
	t_fail "mlog: long params cut at 1024 with params_cut" "got ${#logged} bytes"
# An unreadable parameter string: the host is told (logged), the errno comes later (EFAULT).
t_expect_contains "mlog: init-badargs fails with EFAULT" "$TMP/out" "init-badargs /m/signed.ko: EFAULT"
grep -q '"source":"init_module","params":"","params_unreadable":true' "$LOG" &&
	t_pass "mlog: an unreadable parameter string is logged as params_unreadable" ||
	t_fail "mlog: an unreadable parameter string is logged as params_unreadable" \
	"$(grep -o '"params[^,]*' "$LOG" | tail -n 2)"
"$MV" log verify "$LOG" >"$TMP/verify" 2>&1
t_expect_status "mlog: the log verifies" 0 $?
"$MV" log show "$LOG" >"$TMP/show" 2>&1
grep -q 'load  #.*hello.*deny *ENOKEY' "$TMP/show" && grep -q 'load  #.*allow *0 ' "$TMP/show" &&
	t_pass "mlog: log show prints ENOKEY and 0" || t_fail "mlog: log show prints ENOKEY and 0" \
	"$(grep load "$TMP/show" | head -n 3)"
t_done
