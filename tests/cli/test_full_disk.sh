#!/usr/bin/env bash
# A full disk: small tmpfs mounts (in a private mount namespace, so nothing
# outlives the test) sized so that the disk fills in the middle of writing.
# build, normalize and batch then fail with a message naming the file and
# "No space left on device", exit 74 (docs/exit-codes.md), and leave nothing
# partial and no temporary; the ledger on the same disk stays intact.
if [ -z "${IDP_FULL_DISK_NS:-}" ]; then
    export IDP_FULL_DISK_NS=1
    if [ "$(id -u)" -eq 0 ] && unshare -m --propagation private true 2>/dev/null; then
        exec unshare -m --propagation private bash "$0" "$@"
    elif unshare -rm true 2>/dev/null; then
        exec unshare -rm bash "$0" "$@"
    fi
    echo "SKIP: cannot make a private mount namespace (not root, and user namespaces are off): no tmpfs to fill"
    exit 0
fi
. "$(dirname "$0")/lib.sh"
trap 'for m in "$T"/*/; do umount "$m" 2>/dev/null || true; done; rm -rf "$T"' EXIT
need_tools sqlite3
DATE=2026-11-26
FRONT=$IDP_TESTIMG/sharp.jpg
BACK=$IDP_TESTIMG/back.jpg
write_form "$T/form.txt" "Disk Full-Test" disk@example.com id_card 2031-05-31

# disk NAME SIZE: a fresh tmpfs of SIZE at $T/NAME
disk() {
    mkdir "$T/$1"
    mount -t tmpfs -o "size=$2,mode=0700" "idpack-test-$1" "$T/$1" ||
        { fail "cannot mount a tmpfs of $2 at $T/$1 even in a private mount namespace"; finish; }
}
# nothing_left DIR WHAT [KEEP...]: DIR holds only the KEEP entries
nothing_left() {
    local dir=$1 what=$2 left
    shift 2
    left=$(ls -A "$dir" | grep -v -x -F "$(printf '%s\n' "$@" '')" | tr '\n' ' ' || true)
    [ -z "$left" ] && ok || fail "$what left: $left"
}

# The package (about 1.3 MB: request.pdf 0.7 MB first) into 800 KB: the
# disk fills while the second file is written.
disk b 800k
expect_exit 74 "$IDPACK" build --front "$FRONT" --back "$BACK" --form "$T/form.txt" --date $DATE --no-ledger --out "$T/b/pkg"
expect_grep 'pkg/id-front\.jpg: (write error|cannot sync|cannot create): No space left on device' "$T/err" "build on a full disk"
expect_grep 'Nothing was written' "$T/err" "build on a full disk"
nothing_left "$T/b" "build on a full disk"
grep -q -x ' *0' <<<"$(df --output=used -B1 "$T/b" | tail -1)" && ok || fail "the tmpfs still holds $(df --output=used -B1 "$T/b" | tail -1) bytes"
# the same with --json: the error names the file
expect_exit 74 "$IDPACK" build --front "$FRONT" --back "$BACK" --form "$T/form.txt" --date $DATE --no-ledger --out "$T/b/pkg" --json
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["status"]=="error" and d["error_kind"]=="io" and "No space left on device" in d["error"] and "id-front.jpg" in d["error"], d' \
    "$T/out" && ok || fail "build --json on a full disk: $(head -c 300 "$T/out")"
nothing_left "$T/b" "build --json on a full disk"

# normalize: a JPEG of about 320 KB into 160 KB
disk n 160k
expect_exit 74 "$IDPACK" normalize "$FRONT" -o "$T/n/front.jpg"
expect_grep 'front\.jpg: (write error|cannot sync): No space left on device' "$T/err" "normalize on a full disk"
nothing_left "$T/n" "normalize on a full disk"

# batch, with its ledger on the same disk: 3 MB holds two packages and a
# bit; the third fills it in the middle, and every later row fails too.
disk q 3m
mkdir "$T/csv"
cp "$FRONT" "$BACK" "$T/csv/"
{
    echo "customer,full_name,account_email,id_type,id_expiry,front,back"
    for i in 1 2 3 4 5; do echo "c$i,Person $i,p$i@example.com,id_card,2031-05-31,sharp.jpg,back.jpg"; done
} >"$T/csv/c.csv"
expect_exit 1 "$IDPACK" batch --csv "$T/csv/c.csv" --out "$T/q/out" -j 1 --date $DATE --ledger "$T/q/ledger.sqlite" --json
python3 - "$T/out" <<'PY' && ok || fail "batch on a full disk: $(head -c 600 "$T/out")"
import json, sys
d = json.load(open(sys.argv[1]))
s = d["summary"]
assert s["ok"] >= 1 and s["failed"] >= 1 and s["ok"] + s["failed"] == 5, s
for r in d["rows"]:
    if r["status"] == "failed":
        assert any("No space left on device" in x and "c%d/" % r["row"] in x for x in r["reasons"]), r
PY
for p in "$T"/q/out/*/; do
    expect_exit 0 "$IDPACK" verify "$p"
done
nothing_left "$T/q/out" "batch on a full disk" c1 c2 c3 c4 c5 report.json report.csv
[ "$(sqlite3 "$T/q/ledger.sqlite" 'PRAGMA integrity_check')" = ok ] && ok || fail "the ledger on the full disk is damaged"
n=$("$IDPACK" track list --ledger "$T/q/ledger.sqlite" --json 2>/dev/null | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["packages"]))' || echo none)
[ "$n" = "$(find "$T/q/out" -mindepth 1 -maxdepth 1 -type d | wc -l)" ] && ok || fail "the ledger lists $n packages"
# Now the disk is full to the last byte. The ledger cannot even be opened:
# exit 74, naming it and the reason. Without the ledger, not even the
# reports fit: exit 74 naming them, the previous reports left whole.
cp "$T/q/out/report.json" "$T/report.before"
dd if=/dev/zero of="$T/q/filler" bs=4k 2>/dev/null || true
expect_exit 74 "$IDPACK" batch --csv "$T/csv/c.csv" --out "$T/q/out" -j 1 --date $DATE --ledger "$T/q/ledger.sqlite" --resume
expect_grep 'ledger\.sqlite: .*No space left on device' "$T/err" "batch with its ledger on a full disk"
expect_exit 74 "$IDPACK" batch --csv "$T/csv/c.csv" --out "$T/q/out" -j 1 --date $DATE --no-ledger --resume
expect_grep 'report\.(json|csv): .*No space left on device' "$T/err" "batch reports on a full disk"
cmp -s "$T/report.before" "$T/q/out/report.json" && ok || fail "report.json changed although it could not be written"
nothing_left "$T/q/out" "batch reports on a full disk" c1 c2 c3 c4 c5 report.json report.csv
rm "$T/q/filler"
[ "$(sqlite3 "$T/q/ledger.sqlite" 'PRAGMA integrity_check')" = ok ] && ok || fail "the ledger on the full disk is damaged"
finish
