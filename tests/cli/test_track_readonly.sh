#!/usr/bin/env bash
# track list and track show read a ledger the user cannot write (a shared
# ledger on a read-only folder): opened read-only, nothing created or
# changed. As root (which may write anything) the reader runs as nobody.
. "$(dirname "$0")/lib.sh"
D=$T/data
mkdir -p "$D/photos" "$T/l"
cp "$IDP_TESTIMG/sharp.jpg" "$IDP_TESTIMG/back.jpg" "$D/photos/"
cat >"$D/c.csv" <<CSV
customer,front,back,full_name,account_email,id_type,id_expiry
Good One,photos/sharp.jpg,photos/back.jpg,Mario Rossi,m@example.com,id_card,2031-05-31
CSV
L=$T/l/ledger.sqlite
expect_exit 0 "$IDPACK" batch --csv "$D/c.csv" --out "$T/o" --ledger "$L" --date 2026-11-26
REF=$(/usr/bin/python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["rows"][0]["reference"])' "$T/o/report.json")
before=$(sha256sum "$L")
if [ "$(id -u)" -eq 0 ]; then
    chmod 755 "$T"
    chown -R 65534:65534 "$T/l"
    as() { setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; }
else
    as() { "$@"; }
fi
chmod 0400 "$L"
chmod 0555 "$T/l"
expect_exit 0 as "$IDPACK" track list --ledger "$L"
expect_grep "$REF +prepared" "$T/out" "track list"
expect_exit 0 as "$IDPACK" track list --ledger "$L" --json
expect_grep "\"$REF\"" "$T/out" "track list --json"
expect_exit 0 as "$IDPACK" track show "$REF" --ledger "$L"
expect_grep 'prepared' "$T/out" "track show"
[ "$(sha256sum "$L")" = "$before" ] && ok || fail "reading changed the ledger"
[ "$(ls -A "$T/l")" = ledger.sqlite ] && ok || fail "reading left files: $(ls -A "$T/l")"
# writing still says why it cannot
expect_exit 74 as "$IDPACK" track mark "$REF" submitted --case 12345678 --ledger "$L"
expect_grep "readonly" "$T/err"
chmod 0755 "$T/l"
finish
