#!/usr/bin/env bash
# "Today" is one day the tool works out (the seller's local day, or the
# UTC day of a fixed --date / SOURCE_DATE_EPOCH; IDPACK_NOW replaces the
# clock) and hands to the library: check, build and batch judge the
# expiry read from the machine-readable zone against it, and say it in
# their JSON (check --json, build --json, batch's report.json).
. "$(dirname "$0")/lib.sh"
need_tools jq
PY=$(numpy_python) || { fail "no python3 with numpy and PIL for tests/images/mkmrz.py"; finish; }
# an ID card's back whose zone says it expires on 2033-06-15
"$PY" "$IDP_SRC/tests/images/mkmrz.py" "$T/back.jpg" td1 seed=4 number=L01X00T47 surname=ROSSI \
    given=MARIO expiry=330615 >/dev/null || fail "mkmrz.py"
# a card front with no zone (the generated sharp.jpg carries one in a pixel
# font, which would be cross-checked against the form)
"$PY" "$IDP_SRC/tests/images/mkmrz.py" "$T/front.jpg" front seed=9 surname=ROSSI given=MARIO \
    >/dev/null || fail "mkmrz.py front"
echo '{"mrz": {"read": 1}}' >"$T/mrz.json"
export TZ=America/Los_Angeles

# expiry_of FILE JQPATH: the status of the expiry check in the JSON
expiry_of() { jq -r "[$2 | select(.id == \"expiry\") | .status] | join(\",\")" "$1"; }

# --- check: the day it expires passes, the next fails -----------------------
for c in "2033-06-15T12:00:00Z pass 2033-06-15" "2033-06-16T12:00:00Z fail 2033-06-16" \
    "2033-06-16T03:00:00Z pass 2033-06-15"; do # 20:00 on the 15th in Los Angeles
    set -- $c
    IDPACK_NOW=$1 "$IDPACK" check --json --policy "$T/mrz.json" "$T/back.jpg" >"$T/c.json" 2>"$T/err" || true
    got=$(expiry_of "$T/c.json" '.images[0].checks[]')
    [ "$got" = "$2" ] && ok || fail "check at $1: expiry '$got', expected $2"
    [ "$(jq -r .today.date "$T/c.json")" = "$3" ] && ok || fail "check at $1: today $(jq -c .today "$T/c.json")"
done
jq -e '.today.zone | test("^P[DS]T ")' "$T/c.json" >/dev/null && ok || fail "check: the zone $(jq -c .today "$T/c.json")"
SOURCE_DATE_EPOCH=2002000000 "$IDPACK" check --json "$T/front.jpg" >"$T/c.json" 2>/dev/null || true
jq -e '.today == {"date": "2033-06-10", "zone": "UTC (fixed date)"}' "$T/c.json" >/dev/null && ok ||
    fail "check with SOURCE_DATE_EPOCH: today $(jq -c .today "$T/c.json")"
IDPACK_NOW=nonsense expect_exit 64 "$IDPACK" check --json "$T/front.jpg"
expect_grep 'IDPACK_NOW' "$T/err"

# --- build: the same day, through the photos' own checks --------------------
# id_expiry left out: build takes it from the zone (docs/mrz.md, cross-check)
form=(--set "full_name=Mario Rossi" --set account_email=m@example.com --set id_type=id_card)
IDPACK_NOW=2033-06-16T03:00:00Z expect_exit 0 "$IDPACK" build --json --no-ledger --policy "$T/mrz.json" \
    --front "$T/front.jpg" --back "$T/back.jpg" --out "$T/b1" "${form[@]}"
[ "$(expiry_of "$T/out" '.photos[].checks[]')" = pass ] && ok || fail "build on the last day: $(expiry_of "$T/out" '.photos[].checks[]')"
jq -e '.today.date == "2033-06-15"' "$T/out" >/dev/null && ok || fail "build: today $(jq -c .today "$T/out")"
IDPACK_NOW=2033-06-16T12:00:00Z expect_exit 1 "$IDPACK" build --json --no-ledger --policy "$T/mrz.json" \
    --front "$T/front.jpg" --back "$T/back.jpg" --out "$T/b2" "${form[@]}"
[ "$(expiry_of "$T/out" '.photos[].checks[]')" = fail ] && ok || fail "build the day after: $(expiry_of "$T/out" '.photos[].checks[]')"
[ -e "$T/b2" ] && fail "an expired ID was built" || ok

# --- batch: every row judged against the same day, said in report.json -----
cat >"$T/c.csv" <<CSV
customer,front,back,full_name,account_email,id_type,id_expiry
Mario,front.jpg,back.jpg,Mario Rossi,m@example.com,id_card,2033-06-15
CSV
IDPACK_NOW=2033-06-16T03:00:00Z expect_exit 0 "$IDPACK" batch --csv "$T/c.csv" --out "$T/o1" --no-ledger \
    --policy "$T/mrz.json" -j 1
jq -e '.today.date == "2033-06-15" and (.today.zone | test("^P[DS]T ")) and .rows[0].status == "ok"' \
    "$T/o1/report.json" >/dev/null && ok || fail "batch on the last day: $(jq -c '[.today, .rows[0].status]' "$T/o1/report.json")"
IDPACK_NOW=2033-06-16T12:00:00Z expect_exit 1 "$IDPACK" batch --csv "$T/c.csv" --out "$T/o2" --no-ledger \
    --policy "$T/mrz.json" -j 1
jq -e '.today.date == "2033-06-16" and .rows[0].status == "failed" and (.rows[0].reasons[0] | test("expiry"))' \
    "$T/o2/report.json" >/dev/null && ok || fail "batch the day after: $(jq -c '[.today, .rows[0]]' "$T/o2/report.json")"
# a fixed --date: its UTC day, said so
expect_exit 0 "$IDPACK" batch --csv "$T/c.csv" --out "$T/o3" --no-ledger --date 2026-11-26 -j 1
jq -e '.today == {"date": "2026-11-26", "zone": "UTC (fixed date)"}' "$T/o3/report.json" >/dev/null && ok ||
    fail "batch --date: today $(jq -c .today "$T/o3/report.json")"
finish
