#!/usr/bin/env bash
# A photo that takes too long or too much memory costs its row, not the
# batch: each row runs in its own process, stopped at the row's time limit
# (IDPACK_BATCH_ROW_SECONDS) or refused memory past its limit
# (IDPACK_BATCH_ROW_MIB); the other rows are built; the row is reported
# failed with the reason, nothing of it is left behind, and --resume
# builds it when the limit allows.
. "$(dirname "$0")/lib.sh"
D=$T/data
mkdir -p "$D/photos"
cp "$IDP_TESTIMG/sharp.jpg" "$IDP_TESTIMG/back.jpg" "$D/photos/"
# a 10000x10000 1-bit PNG: 24 KB on disk, 300 MB as RGB
/usr/bin/python3 -c 'from PIL import Image; import sys; Image.new("1", (10000, 10000), 1).save(sys.argv[1], optimize=True)' "$D/photos/huge.png"
cat >"$D/c.csv" <<CSV
customer,front,back,full_name,account_email,id_type,id_expiry
Good One,photos/sharp.jpg,photos/back.jpg,Mario Rossi,m@example.com,id_card,2031-05-31
Huge,photos/huge.png,photos/back.jpg,Hugo Huge,h@example.com,id_card,2031-05-31
Good Two,photos/sharp.jpg,photos/back.jpg,Anna Bianchi,a@example.com,id_card,2031-05-31
CSV
status() { # status REPORT_JSON: "row:status" words
    /usr/bin/python3 -c 'import json,sys; print(" ".join("%d:%s" % (r["row"], r["status"]) for r in json.load(open(sys.argv[1]))["rows"]))' "$1"
}
leftovers() { find "$1" -name '.*idpack-*' | head -3; }

# 1. a time limit no row meets: every row stopped, reported, nothing left
#    behind; --resume with the default limit builds them all
O=$T/t
IDPACK_BATCH_ROW_SECONDS=0.01 "$IDPACK" batch --csv "$D/c.csv" --out "$O" --no-ledger -j 2 \
    --date 2026-11-26 >"$T/out" 2>"$T/err" && rc=0 || rc=$?
[ "$rc" -eq 1 ] && ok || fail "rows over the time limit: exit $rc, expected 1"
[ "$(status "$O/report.json")" = "1:failed 2:failed 3:failed" ] && ok || fail "statuses: $(status "$O/report.json")"
expect_grep 'took longer than the 0.01 seconds a row may take.*resume the batch \(--resume\) to try it again' "$O/report.csv"
[ -z "$(leftovers "$O")" ] && ok || fail "a stopped row left $(leftovers "$O")"
[ "$(ls "$O")" = "$(printf 'report.csv\nreport.json')" ] && ok || fail "a stopped row left a package: $(ls "$O")"
expect_exit 1 "$IDPACK" batch --csv "$D/c.csv" --out "$O" --no-ledger -j 2 --date 2026-11-26 --resume
[ "$(status "$O/report.json")" = "1:ok 2:failed 3:ok" ] && ok || fail "--resume after the time limit: $(status "$O/report.json")"
expect_exit 0 "$IDPACK" verify "$O/good-one"

# 2. the memory limit: the huge photo's row fails in its own process, the
#    others are built. (Under AddressSanitizer there is no address-space
#    limit: only the time limit holds.)
if grep -q __asan_init "$IDPACK"; then
    echo "skipped: the memory limit under AddressSanitizer"
else
    O=$T/m
    IDPACK_BATCH_ROW_MIB=64 /usr/bin/time -f "%M %e" -o "$T/time" "$IDPACK" batch --csv "$D/c.csv" \
        --out "$O" --no-ledger -j 2 --date 2026-11-26 >"$T/out" 2>"$T/err" && rc=0 || rc=$?
    [ "$rc" -eq 1 ] && ok || fail "a row over the memory limit: exit $rc, expected 1"
    [ "$(status "$O/report.json")" = "1:ok 2:failed 3:ok" ] && ok || fail "statuses: $(status "$O/report.json")"
    expect_grep 'row 2 \(Huge\): failed' "$T/out"
    /usr/bin/python3 - "$O/report.json" <<'PY' && ok || fail "the memory reason"
import json, re, sys
r = json.load(open(sys.argv[1]))["rows"][1]
assert any(re.search(r"memory|budget|too large", x) for x in r["reasons"]), r["reasons"]
PY
    read -r rss secs < <(tail -1 "$T/time")
    [ "$rss" -lt 262144 ] && ok || fail "peak RSS $rss KiB with a 64 MiB row limit"
    [ -z "$(leftovers "$O")" ] && ok || fail "a row over its limit left $(leftovers "$O")"
fi

# 3. a slow row does not hold the others: with -j 2 the good rows are built
#    by the other worker while the huge photo's row runs (a generous limit:
#    the machine running the tests may be loaded)
cp "$D/c.csv" "$D/slow.csv"
for i in 3 4 5 6; do
    echo "Good $i,photos/sharp.jpg,photos/back.jpg,Name $i,g$i@example.com,id_card,2031-05-31" >>"$D/slow.csv"
done
O=$T/s
start=$(date +%s.%N)
IDPACK_BATCH_ROW_SECONDS=60 "$IDPACK" batch --csv "$D/slow.csv" --out "$O" --no-ledger -j 2 \
    --date 2026-11-26 >"$T/out" 2>"$T/err" && rc=0 || rc=$?
end=$(date +%s.%N)
[ "$rc" -eq 1 ] && ok || fail "exit $rc, expected 1"
s=$(status "$O/report.json")
case "$s" in "1:ok 2:failed 3:ok 4:ok 5:ok 6:ok 7:ok") ok ;; *) fail "statuses: $s" ;; esac
echo "batch with a slow row: $(echo "$end - $start" | bc) s"
finish
