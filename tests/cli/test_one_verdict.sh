#!/usr/bin/env bash
# One verdict: idpack check, build, batch and drop measure a photo the same
# way. For several photos (JPEG 12 MP and 3 MP, PNG, EXIF-rotated) every
# check's status and value in `check --json` equals the one build records
# in manifest.json and batch in its package's manifest.json (to the
# decimals check --json gives each check, docs/exit-codes.md); a photo that warns
# or fails says the same sentence in check, in batch's report.json and in
# drop's idpack-problems.txt.
. "$(dirname "$0")/lib.sh"
: "${IDP_MKPHOTOS:?run through ctest}"
DATE=2026-11-26
D=$T/data
mkdir -p "$D/photos"
"$IDP_MKPHOTOS" --phone 4000 3000 90 "$D/photos/p12.jpg"
"$IDP_MKPHOTOS" --phone 2000 1500 90 "$D/photos/p3.jpg"
for f in sharp.png rotated6.jpg back.jpg slightly-blurred.jpg blurred.jpg; do
    cp "$IDP_TESTIMG/$f" "$D/photos/$f"
done
FRONTS="p12.jpg p3.jpg sharp.png rotated6.jpg slightly-blurred.jpg"
write_form "$T/form.txt" "Alex Jordan" alex@example.com id_card 2031-05-31

# same CHECK_JSON MANIFEST_JSON WHAT: the check's values and statuses, photo
# by photo, are the manifest's
same() {
    python3 - "$1" "$2" "$3" <<'PY'
import json, sys
chk = json.load(open(sys.argv[1], encoding="utf-8"))["images"]
man = json.load(open(sys.argv[2], encoding="utf-8"))["photos"]
what = sys.argv[3]
bad = []
def num(v):
    return None if v is None else float(f"{v:.6g}")
# check --json rounds each number to what it means (docs/exit-codes.md,
# "Numbers"); the manifest keeps 6 significant digits.
DEC = {"resolution": 0, "duplicate": 0, "sharpness": 1, "limits": 1, "colour": 4}
def decimals(k, v):
    if k in ("exposure", "corners"):
        return 1 if abs(v) > 1 else 3
    return DEC.get(k, 3)
def same_num(k, c, m):
    if c is None or m is None:
        return c is None and m is None
    return abs(c - num(m)) <= 0.5 * 10 ** -decimals(k, m) * 1.001 + 1e-9
if len(chk) != len(man):
    bad.append(f"{len(chk)} photos checked, {len(man)} in the manifest")
for c, m in zip(chk, man):
    name = c["file"].rsplit("/", 1)[-1]
    if c["verdict"] != m["verdict"]:
        bad.append(f"{name}: verdict {c['verdict']} in check, {m['verdict']} in {what}")
    cc = {x["id"]: x for x in c["checks"]}
    mc = {x["id"]: x for x in m["checks"]}
    if sorted(cc) != sorted(mc):
        bad.append(f"{name}: checks {sorted(cc)} in check, {sorted(mc)} in {what}")
    for k in sorted(set(cc) & set(mc)):
        a, b = cc[k], mc[k]
        if a["status"] != b["status"] or not same_num(k, a["value"], b["value"]) \
                or not same_num(k, a["limit"], b["limit"]):
            bad.append(f"{name} {k}: {a['status']} {a['value']} (limit {a['limit']}) in check, "
                       f"{b['status']} {b['value']} (limit {b['limit']}) in {what}")
for b in bad:
    print(b)
sys.exit(1 if bad else 0)
PY
}

# 1. build: each front with back.jpg
for f in $FRONTS; do
    expect_exit 0 "$IDPACK" check --json "$D/photos/$f" "$D/photos/back.jpg"
    cp "$T/out" "$T/check-$f.json"
    expect_exit 0 "$IDPACK" build --front "$D/photos/$f" --back "$D/photos/back.jpg" \
        --form "$T/form.txt" --out "$T/build-$f" --date $DATE
    if same "$T/check-$f.json" "$T/build-$f/manifest.json" build >"$T/diff"; then ok; else
        fail "check and build measure $f differently"; sed 's/^/  /' "$T/diff" >&2
    fi
done
# the photos were measured on their documents, and the 12 MP one decoded
# at a reduced scale (its sharpness is not the full-size one's)
python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))["images"][0]
assert d["document"]["found"], "no document in p12.jpg"
assert d["width"] == 4000, d["width"]
' "$T/check-p12.jpg.json" && ok || fail "p12.jpg: no document or wrong size"

# 2. batch: the same photos, one row each, plus a blurred one that fails
{
    echo "customer,full_name,account_email,id_type,id_expiry,front,back"
    for f in $FRONTS blurred.jpg; do
        echo "c-${f%%.*},Alex Jordan,alex@example.com,id_card,2031-05-31,photos/$f,photos/back.jpg"
    done
} >"$D/customers.csv"
expect_exit 1 "$IDPACK" batch --csv "$D/customers.csv" --out "$T/batch" -j 2 --no-ledger --date $DATE
for f in $FRONTS; do
    if same "$T/check-$f.json" "$T/batch/c-${f%%.*}/manifest.json" batch >"$T/diff"; then ok; else
        fail "check and batch measure $f differently"; sed 's/^/  /' "$T/diff" >&2
    fi
done
# the sentences: a warning on a built row, the reason of a failed one
expect_exit 1 "$IDPACK" check --json "$D/photos/blurred.jpg" "$D/photos/back.jpg"
cp "$T/out" "$T/check-blurred.jpg.json"
python3 - "$T/batch/report.json" "$T/check-slightly-blurred.jpg.json" "$T/check-blurred.jpg.json" <<'PY' >"$T/diff" && ok || { fail "batch's report.json and check say different things"; sed 's/^/  /' "$T/diff" >&2; }
import json, sys
rows = {r["customer"]: r for r in json.load(open(sys.argv[1], encoding="utf-8"))["rows"]}
bad = []
for cust, path, key, status in (("c-slightly-blurred", sys.argv[2], "warnings", "warn"),
                                ("c-blurred", sys.argv[3], "reasons", "fail")):
    front = json.load(open(path, encoding="utf-8"))["images"][0]
    msgs = [c["message"] for c in front["checks"] if c["status"] == status]
    said = " ".join(rows[cust].get(key, []))
    if not msgs:
        bad.append(f"{cust}: check gives no {status}")
    for m in msgs:
        if m not in said:
            bad.append(f"{cust}: report.json {key} lack {m!r}: {said!r}")
for b in bad:
    print(b)
sys.exit(1 if bad else 0)
PY

# 3. drop without a profile checks the photos alone: the same sentences
cp "$D/photos/blurred.jpg" "$T/drop-front.jpg"
cp "$D/photos/back.jpg" "$T/drop-back.jpg"
expect_exit 66 "$IDPACK" drop --no-notify --date $DATE "$T/drop-front.jpg" "$T/drop-back.jpg"
python3 - "$T/idpack-problems.txt" "$T/check-blurred.jpg.json" <<'PY' >"$T/diff" && ok || { fail "drop and check say different things"; sed 's/^/  /' "$T/diff" >&2; }
import json, sys
text = open(sys.argv[1], encoding="utf-8").read()
front = json.load(open(sys.argv[2], encoding="utf-8"))["images"][0]
bad = [c["message"] for c in front["checks"] if c["status"] == "fail" and c["message"] not in text]
for b in bad:
    print(f"idpack-problems.txt lacks {b!r}")
sys.exit(1 if bad else 0)
PY
finish
