#!/usr/bin/env bash
# idpack batch end to end: a CSV of a dozen customers with bad rows mixed
# in; the packages verify, the bad rows are reported with the right reason
# in report.json and report.csv; -j 1 and -j 4 give the same bytes, and the
# same bytes as idpack build; --resume rebuilds only what is missing or
# broken and removes temporary folders of a killed run; whole-batch errors;
# the progress bar only on a terminal; the ledger.
. "$(dirname "$0")/lib.sh"
DATE=2026-11-26
D=$T/data
mkdir -p "$D/photos"
for f in sharp.jpg back.jpg camera.jpg cmyk.jpg gps.jpg blurred.jpg png16.png; do
    cp "$IDP_TESTIMG/$f" "$D/photos/$f"
done
cp "$IDP_TESTIMG/sharp.jpg" "$T/outside.jpg"

F=full_name,account_email,id_type,id_expiry
cat >"$D/customers.csv" <<CSV
customer,$F,lang,front,back,phone,business_name
Acme S.r.l.,Mario Rossi,mario@example.com,id_card,2031-05-31,it,photos/sharp.jpg,photos/back.jpg,,
"Rossi, Mario",Mario Rossi,rossi@example.com,id_card,2031-05-31,en,photos/camera.jpg,photos/back.jpg,+39 333 1234567,
Blurry,Bea Blur,bea@example.com,id_card,2031-05-31,en,photos/blurred.jpg,photos/back.jpg,,
No Email,Nina Mail,,id_card,2031-05-31,en,photos/sharp.jpg,photos/back.jpg,,
Expired,Ed Old,ed@example.com,id_card,2020-01-31,en,photos/sharp.jpg,photos/back.jpg,,
Escaper,Eve Out,eve@example.com,id_card,2031-05-31,en,../outside.jpg,photos/back.jpg,,
Absolute,Abe Solute,abe@example.com,id_card,2031-05-31,en,$T/outside.jpg,photos/back.jpg,,
Missing Photo,Mia Sing,mia@example.com,id_card,2031-05-31,en,photos/nosuch.jpg,photos/back.jpg,,
Zoë Ünal,Zoë Ünal,zoe@example.com,driving_licence,2030-01-01,fr,photos/cmyk.jpg,photos/back.jpg,,"Zoë, ""Ünal"" & Co"
Passport Only,Pat Port,pat@example.com,passport,2032-02-29,en,photos/png16.png,,,
ACME S.R.L.,Someone Else,else@example.com,id_card,2031-05-31,en,photos/sharp.jpg,photos/back.jpg,,
Łukasz,Łukasz Żółć,lukasz@example.com,id_card,2031-05-31,de,photos/gps.jpg,photos/back.jpg,,
CSV
OKS="acme-s.r.l rossi-mario zoe-unal passport-only lukasz"

# judge REPORT_JSON REPORT_CSV: the report says what each row gave
judge() {
    python3 - "$1" "$2" <<'PY'
import csv, json, sys
doc = json.load(open(sys.argv[1], encoding="utf-8"))
raw = open(sys.argv[2], "rb").read()
if not raw.startswith(b"\xef\xbb\xbf\"row\",\"customer\",\"status\",\"package\",\"reference\",\"reasons\",\"warnings\"\r\n"):
    print("report.csv: no byte-order mark, or the header is not quoted: " + repr(raw[:80]))
    sys.exit(1)
with open(sys.argv[2], encoding="utf-8-sig", newline="") as f:
    table = list(csv.DictReader(f))
want = {  # row: (status, package, reason pattern)
    1: ("ok", "acme-s.r.l", None), 2: ("ok", "rossi-mario", None),
    3: ("failed", "", "sharpness"), 4: ("failed", "", "account_email"),
    5: ("failed", "", "expired"), 6: ("failed", "", "leaves the CSV's folder"),
    7: ("failed", "", "absolute"), 8: ("failed", "", "nosuch.jpg: no such file"),
    9: ("ok", "zoe-unal", None), 10: ("ok", "passport-only", None),
    11: ("failed", "", "already used by row 1"), 12: ("ok", "lukasz", None),
}
bad = []
rows = doc["rows"]
if [r["row"] for r in rows] != list(range(1, 13)):
    bad.append(f"rows {[r['row'] for r in rows]}")
if doc["summary"] != {"total": 12, "ok": 5, "failed": 7, "skipped": 0, "warned": sum(1 for r in rows if r.get("warnings"))}:
    bad.append(f"summary {doc['summary']}")
if len(table) != 12:
    bad.append(f"report.csv has {len(table)} rows")
for r, c in zip(rows, table):
    st, pkg, pat = want[r["row"]]
    if r["status"] != st or r["package"] != pkg:
        bad.append(f"row {r['row']}: {r['status']} {r['package']!r}, expected {st} {pkg!r}")
    if pat is None and (r["reasons"] or len(r["reference"]) != 13):
        bad.append(f"row {r['row']}: reasons {r['reasons']} reference {r['reference']!r}")
    if pat is not None and not any(pat in x for x in r["reasons"]):
        bad.append(f"row {r['row']}: no reason with {pat!r}: {r['reasons']}")
    # the CSV says the same as the JSON
    if (c["row"], c["customer"], c["status"], c["package"], c["reference"], c["reasons"], c["warnings"]) != \
       (str(r["row"]), r["customer"], r["status"], r["package"], r["reference"], "; ".join(r["reasons"]),
        "; ".join(r.get("warnings", []))):
        bad.append(f"report.csv row {c['row']} differs from report.json: {c}")
if rows[1]["customer"] != "Rossi, Mario" or rows[8]["customer"] != "Zoë Ünal":
    bad.append("customer labels not kept as written")
for line in bad:
    print(line)
sys.exit(1 if bad else 0)
PY
}

# 1. the batch, -j 4, not on a terminal
O=$T/out4
expect_exit 1 "$IDPACK" batch --csv "$D/customers.csv" --out "$O" -j 4 --no-ledger --date $DATE
[ -s "$T/err" ] && { fail "stderr not empty when not a terminal"; head -3 "$T/err" >&2; } || ok
expect_grep '12 rows: 5 ok, 7 failed, 0 skipped' "$T/out" "summary"
judge "$O/report.json" "$O/report.csv" && ok || fail "report.json / report.csv"
for f in report.json report.csv; do
    [ "$(stat -c %a "$O/$f")" = 600 ] && ok || fail "$f is not mode 0600"
done
for p in $OKS; do
    expect_exit 0 "$IDPACK" verify "$O/$p"
done
[ "$(ls -A "$O" | sort | tr '\n' ' ')" = "acme-s.r.l lukasz passport-only report.csv report.json rossi-mario zoe-unal " ] \
    && ok || fail "unexpected entries in the output folder: $(ls -A "$O")"
[ -f "$O/passport-only/id-back.jpg" ] && fail "a passport row got a back photo" || ok
grep -q '"reference"' "$O/acme-s.r.l/manifest.json" && ok || fail "no manifest in acme-s.r.l"
grep -q '"lang": "it"' "$O/acme-s.r.l/manifest.json" && ok || fail "row lang 'it' not used"

# 2. -j 1 gives the same bytes; so does a single idpack build of row 1
O1=$T/out1
expect_exit 1 "$IDPACK" batch --csv "$D/customers.csv" --out "$O1" -j 1 --no-ledger --date $DATE
diff -r "$O" "$O1" >"$T/diff" && ok || { fail "-j 1 and -j 4 differ"; head -5 "$T/diff" >&2; }
expect_exit 0 "$IDPACK" build --front "$D/photos/sharp.jpg" --back "$D/photos/back.jpg" --lang it \
    --set full_name="Mario Rossi" --set account_email=mario@example.com --set id_type=id_card \
    --set id_expiry=2031-05-31 --out "$T/single" --date $DATE
diff -r "$O/acme-s.r.l" "$T/single" >"$T/diff" && ok || { fail "batch and build differ"; head -5 "$T/diff" >&2; }

# 3. --json prints the report
expect_exit 1 "$IDPACK" batch --csv "$D/customers.csv" --out "$T/outj" -j 2 --no-ledger --date $DATE --json
cmp -s "$T/out" "$T/outj/report.json" && ok || fail "--json output is not report.json"

# 4. without --resume, existing packages are left alone and their rows fail
sums() { (cd "$1" && find . -type f ! -name 'report.*' -printf '%p %s %T@ %i\n' | sort); }
sums "$O" >"$T/before"
expect_exit 1 "$IDPACK" batch --csv "$D/customers.csv" --out "$O" -j 2 --no-ledger --date $DATE --json
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); r=d["rows"][0]; assert r["status"]=="failed" and "resume the batch (--resume) to keep" in r["reasons"][0], r' "$T/out" \
    && ok || fail "an existing package is not reported as such"
sums "$O" | cmp -s - "$T/before" && ok || fail "existing packages were touched without --resume"

# 5. --resume after deleting one package rebuilds only it; a broken one is rebuilt;
#    temporary folders of a killed run are removed, nothing else
rm -rf "$O/rossi-mario"
printf '\x00' | dd of="$O/zoe-unal/id-front.jpg" bs=1 seek=2000 conv=notrunc status=none
sums "$O" | grep -v -e rossi-mario -e zoe-unal >"$T/before"
mkdir "$O/.lukasz.idpack-tmp-Ab12Cd" "$O/.keep.me" "$O/.lukasz.idpack-tmp-notours"
echo partial >"$O/.lukasz.idpack-tmp-Ab12Cd/request.pdf"
echo partial >"$O/.report.json.idpack-tmp-xY9z0Q"
expect_exit 1 "$IDPACK" batch --csv "$D/customers.csv" --out "$O" -j 4 --resume --no-ledger --date $DATE --json
python3 - "$T/out" <<'PY' && ok || fail "--resume statuses"
import json, sys
d = json.load(open(sys.argv[1]))
st = {r["package"] or r["row"]: r["status"] for r in d["rows"]}
assert st["rossi-mario"] == "ok" and st["zoe-unal"] == "ok", st
assert st["acme-s.r.l"] == st["passport-only"] == st["lukasz"] == "skipped", st
assert {k: v for k, v in d["summary"].items() if k != "warned"} == {"total": 12, "ok": 2, "failed": 7, "skipped": 3}, d["summary"]
PY
sums "$O" | grep -v -e rossi-mario -e zoe-unal | cmp -s - "$T/before" && ok \
    || fail "--resume touched packages that verified"
for p in $OKS; do
    expect_exit 0 "$IDPACK" verify "$O/$p"
done
diff -r "$O/zoe-unal" "$O1/zoe-unal" >/dev/null && ok || fail "the rebuilt package differs from the first build"
[ -e "$O/.lukasz.idpack-tmp-Ab12Cd" ] && fail "stray temporary folder not removed" || ok
[ -e "$O/.report.json.idpack-tmp-xY9z0Q" ] && fail "stray temporary report not removed" || ok
[ -d "$O/.keep.me" ] && [ -d "$O/.lukasz.idpack-tmp-notours" ] && ok || fail "--resume removed a folder that is not a temporary one"

# 6. --allow-outside accepts the escaping and absolute rows
head -1 "$D/customers.csv" >"$D/outside.csv"
grep -E '^(Escaper|Absolute),' "$D/customers.csv" >>"$D/outside.csv"
expect_exit 0 "$IDPACK" batch --csv "$D/outside.csv" --out "$T/outo" --allow-outside --no-ledger --date $DATE
expect_exit 0 "$IDPACK" verify "$T/outo/escaper"
expect_exit 0 "$IDPACK" verify "$T/outo/absolute"
# a link inside the folder pointing out is refused like ../
ln -s "$T/outside.jpg" "$D/photos/link.jpg"
sed 's#\.\./outside\.jpg#photos/link.jpg#' "$D/outside.csv" | head -2 >"$D/link.csv"
expect_exit 1 "$IDPACK" batch --csv "$D/link.csv" --out "$T/outl" --no-ledger --date $DATE --json
expect_grep "leaves the CSV's folder" "$T/out" "a link leaving the folder"

# 7. whole-batch errors: nothing built
expect_exit 66 "$IDPACK" batch --csv "$D/nosuch.csv" --out "$T/e1" --no-ledger
expect_grep 'nosuch\.csv' "$T/err"
sed '1s/$/,colour/' "$D/customers.csv" >"$D/unknown.csv"
expect_exit 65 "$IDPACK" batch --csv "$D/unknown.csv" --out "$T/e2" --no-ledger
expect_grep '"colour"' "$T/err"
sed '1s/,account_email//' "$D/customers.csv" | cut -d, -f1-2,4- >"$D/nocol.csv"
expect_exit 65 "$IDPACK" batch --csv "$D/nocol.csv" --out "$T/e3" --no-ledger
expect_grep '"account_email" column' "$T/err"
printf 'customer,front\n"a,b\n' >"$D/badquote.csv"
expect_exit 65 "$IDPACK" batch --csv "$D/badquote.csv" --out "$T/e4" --no-ledger
printf 'customer,front,%s\ncaf\xe9,x.jpg,a,b,c,d\n' "$F" >"$D/latin1.csv"
expect_exit 65 "$IDPACK" batch --csv "$D/latin1.csv" --out "$T/e5" --no-ledger
expect_grep 'UTF-8' "$T/err"
touch "$T/afile"
expect_exit 73 "$IDPACK" batch --csv "$D/customers.csv" --out "$T/afile/x" --no-ledger
for e in e1 e2 e3 e4 e5; do [ -e "$T/$e" ] && fail "$e created after a whole-batch error" || ok; done
# one batch at a time per output folder
"$IDPACK" batch --csv "$D/customers.csv" --out "$T/busy" -j 1 --no-ledger --date $DATE >/dev/null 2>&1 &
busy=$!
for _ in $(seq 50); do [ -e "$T/busy" ] && break; sleep 0.05; done; sleep 0.1
expect_exit 73 "$IDPACK" batch --csv "$D/customers.csv" --out "$T/busy" --no-ledger --date $DATE
expect_grep 'another idpack batch' "$T/err"
wait $busy || true
expect_exit 64 "$IDPACK" batch --csv "$D/customers.csv" --out "$T/x" -j 0
expect_exit 64 "$IDPACK" batch --csv "$D/customers.csv" --out "$T/x" --ledger "$T/l" --no-ledger
expect_exit 64 "$IDPACK" batch --csv "$D/customers.csv"
expect_exit 64 "$IDPACK" batch --out "$T/x"
expect_exit 64 "$IDPACK" batch --csv "$D/customers.csv" --out "$T/x" --resume --resume
expect_exit 0 "$IDPACK" batch --help
expect_grep 'report\.json' "$T/out" "batch --help"

# 8. the progress bar, on a terminal only (script gives a pty)
if command -v script >/dev/null; then
    head -3 "$D/customers.csv" >"$D/two.csv"
    script -qec "'$IDPACK' batch --csv '$D/two.csv' --out '$T/outp' --no-ledger --date $DATE -j 2 >/dev/null" \
        "$T/typescript" >/dev/null 2>&1 </dev/null && ok || fail "batch under script"
    expect_grep '\[#+\] 2/2  ok 2  failed 0' "$T/typescript" "progress bar on a terminal"
    grep -q $'\r' "$T/typescript" && ok || fail "the bar is not redrawn in place"
fi

# 9. the ledger records each ok row, with the customer label: an explicit
#    one, then the default one under XDG_DATA_HOME
ledger_check() { # LEDGER OUTDIR: the ledger lists exactly the ok rows of the report
    "$IDPACK" track list --ledger "$1" --json >"$T/track.json" 2>"$T/track.err" || true
    python3 - "$T/track.json" "$2" <<'PY' && ok || fail "the ledger $1 does not match the report of $2"
import hashlib, json, os, sys
track = json.load(open(sys.argv[1]))["packages"]
out = os.path.realpath(sys.argv[2])
report = json.load(open(os.path.join(out, "report.json")))
want = {r["reference"]: r for r in report["rows"] if r["status"] in ("ok", "skipped")}
got = {p["reference"]: p for p in track}
assert len(want) == 5 and set(got) == set(want), (sorted(got), sorted(want))
for ref, r in want.items():
    p = got[ref]
    folder = os.path.join(out, r["package"])
    pdf = hashlib.sha256(open(os.path.join(folder, "request.pdf"), "rb").read()).hexdigest()
    assert p["status"] == "prepared" and p["customer"] == r["customer"], p
    assert p["folder"] == folder and p["pdf_sha256"] == pdf, p
    assert p["created"].startswith("2026-11-26"), p
assert any(p["customer"] == "Rossi, Mario" and p["account_email"] == "rossi@example.com" for p in track)
PY
}
expect_exit 1 "$IDPACK" batch --csv "$D/customers.csv" --out "$T/outl2" -j 2 --ledger "$T/ledger.sqlite" --date $DATE
expect_no_grep 'ledger' "$T/out" "batch output with a ledger"
ledger_check "$T/ledger.sqlite" "$T/outl2"
expect_exit 1 "$IDPACK" batch --csv "$D/customers.csv" --out "$T/outl3" -j 3 --date $DATE
ledger_check "$XDG_DATA_HOME/idpack/ledger.sqlite" "$T/outl3"
# packages built but never recorded (a run killed between the two, or --no-ledger):
# --resume records them once, and only once
expect_exit 1 "$IDPACK" batch --csv "$D/customers.csv" --out "$T/outl4" -j 2 --no-ledger --date $DATE
for k in 1 2; do
    expect_exit 1 "$IDPACK" batch --csv "$D/customers.csv" --out "$T/outl4" -j 2 --resume --ledger "$T/late.sqlite" --date $DATE
    expect_grep '0 ok, 7 failed, 5 skipped' "$T/out" "resume with a ledger"
    ledger_check "$T/late.sqlite" "$T/outl4"
done
ref=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["rows"][0]["reference"])' "$T/outl4/report.json")
"$IDPACK" track show "$ref" --ledger "$T/late.sqlite" --json >"$T/show.json" 2>/dev/null || true
python3 -c 'import json,sys; e=json.load(open(sys.argv[1]))["events"]; assert len(e)==1, e' "$T/show.json" \
    && ok || fail "a package recorded on --resume got more than one event: $(head -c 300 "$T/show.json")"
finish
