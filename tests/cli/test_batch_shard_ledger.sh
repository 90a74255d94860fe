#!/usr/bin/env bash
# The shards of a batch and the agents on one ledger: SQLite, or PostgreSQL
# when run by tests/pg_server.sh (cli/test_batch_shard_ledger_pg). Two shards
# build one CSV at once into one folder and one ledger; then four processes
# note and mark those packages while two shards of a second CSV build into
# the same ledger: every event is there with its agent, no reference twice,
# the database's own integrity check passes (ledger_integrity in lib.sh:
# PRAGMA integrity_check, or pg_amcheck). A shard killed with SIGKILL in
# the middle of its rows and run again with --resume gives the packages
# (byte for byte) and the ledger rows of its uninterrupted run.
. "$(dirname "$0")/lib.sh"
for t in jq flock $([ "$LEDGER_BACKEND" = sqlite ] && echo sqlite3); do
    command -v "$t" >/dev/null || { fail "$t is not installed"; finish; }
done
DATE=2026-11-26
D=$T/data
mkdir -p "$D/photos"
FRONTS=(sharp.jpg camera.jpg gps.jpg cmyk.jpg)
for f in "${FRONTS[@]}" back.jpg; do cp "$IDP_TESTIMG/$f" "$D/photos/"; done
CUSTOMERS=(1 2 3 4 5 7) # 2, 3 and 7 in shard 1 of 2, the others in shard 2
{
    echo "customer,full_name,account_email,id_type,id_expiry,front,back"
    for i in "${CUSTOMERS[@]}"; do
        echo "Customer $i,Person $i,p$i@example.com,id_card,2031-05-31,photos/${FRONTS[$((i % 4))]},photos/back.jpg"
    done
} >"$D/c.csv"
{
    echo "customer,full_name,account_email,id_type,id_expiry,front,back"
    for i in 1 4; do echo "Second $i,S $i,s$i@example.com,id_card,2031-05-31,photos/${FRONTS[$((i % 4))]},photos/back.jpg"; done
} >"$D/c2.csv"
# The fixture's split, by the rule of docs/batch.md (SHA-256 of the label).
shard_of() { /usr/bin/python3 -c 'import hashlib, sys
print(*(int.from_bytes(hashlib.sha256(a.encode()).digest()[:8], "big") % 2 + 1 for a in sys.argv[1:]))' "$@"; }
[ "$(shard_of "Customer 1" "Customer 2" "Customer 3" "Customer 4" "Customer 5" "Customer 7" "Second 1" "Second 4")" = \
  "2 1 1 2 2 1 1 2" ] && ok || fail "the fixture's rows are not split as this test expects"
batch() { "$IDPACK" batch --date $DATE -j 1 "$@"; }
refs_of() { jq -r '.rows[] | select(.status == "ok") | .reference' "$@" | sort | tr '\n' ' '; }

# Two shards at once into one folder and one ledger.
L=$(new_ledger shards)
O=$T/sh
batch --csv "$D/c.csv" --out "$O" --ledger "$L" --shard 1/2 >"$T/s1.out" 2>"$T/s1.err" & p1=$!
batch --csv "$D/c.csv" --out "$O" --ledger "$L" --shard 2/2 >"$T/s2.out" 2>"$T/s2.err" & p2=$!
for i in 1 2; do
    rc=0; wait $((i == 1 ? p1 : p2)) || rc=$?
    [ $rc = 0 ] && ok || fail "shard $i/2: exit $rc: $(head -3 "$T/s$i.err")"
    [ "$(jq '.summary.ok' "$O/report-shard-$i-of-2.json" 2>/dev/null)" = 3 ] && ok || fail "shard $i/2 did not build its 3 rows"
done
NOK=${#CUSTOMERS[@]}
[ "$(ledger_sql "$L" 'SELECT count(*), count(DISTINCT reference) FROM packages')" = "$NOK|$NOK" ] && ok \
    || fail "ledger after two shards: $(ledger_sql "$L" 'SELECT count(*), count(DISTINCT reference) FROM packages'), expected $NOK|$NOK"
[ "$(ledger_sql "$L" 'SELECT reference FROM packages ORDER BY reference' | tr '\n' ' ')" = "$(refs_of "$O"/report-shard-*-of-2.json)" ] \
    && ok || fail "the ledger's references are not the shards' reports'"
[ "$(ledger_sql "$L" "SELECT count(*) FROM events WHERE kind = 'prepared'")" = $NOK ] && ok || fail "prepared events"
r=$(ledger_integrity "$L") && ok || fail "ledger after two shards: $r"

# Four processes noting and marking those packages while two shards of the
# second CSV build into the same ledger.
mapfile -t REFS < <(ledger_sql "$L" 'SELECT reference FROM packages ORDER BY reference')
writer() { # K: 8 notes spread over the packages, then marks package K submitted
    local k=$1 j
    for j in 1 2 3 4 5 6 7 8; do
        "$IDPACK" track note "${REFS[$(((k + j) % NOK))]}" "call $k.$j" --agent "agent$k" --ledger "$L" \
            >/dev/null 2>>"$T/w$k.err" || echo "note $k.$j failed" >>"$T/w$k.err"
    done
    "$IDPACK" track mark "${REFS[$k]}" submitted --case "C-$k" --agent "agent$k" --ledger "$L" \
        >/dev/null 2>>"$T/w$k.err" || echo "mark $k failed" >>"$T/w$k.err"
}
pids=()
for k in 0 1 2 3; do writer $k & pids+=($!); done
for i in 1 2; do batch --csv "$D/c2.csv" --out "$T/sh2" --ledger "$L" --shard $i/2 >/dev/null 2>"$T/b$i.err" & pids+=($!); done
for p in "${pids[@]}"; do wait "$p" || true; done
cat "$T"/w?.err "$T"/b?.err >"$T/werr"
[ ! -s "$T/werr" ] && ok || fail "writers beside the shards: $(head -3 "$T/werr")"
[ "$(ledger_sql "$L" "SELECT count(*), count(DISTINCT note) FROM events WHERE kind = 'note'")" = "32|32" ] && ok \
    || fail "notes: $(ledger_sql "$L" "SELECT count(*), count(DISTINCT note) FROM events WHERE kind = 'note'"), expected 32|32"
for k in 0 1 2 3; do
    [ "$(ledger_sql "$L" "SELECT count(*) FROM events WHERE agent = 'agent$k' AND (note LIKE 'call $k.%' OR kind = 'submitted')")" = 9 ] \
        && ok || fail "agent$k's 9 events are not all there with their agent"
done
[ "$(ledger_sql "$L" "SELECT reference FROM packages WHERE status = 'submitted' ORDER BY reference" | tr '\n' ' ')" = \
  "${REFS[0]} ${REFS[1]} ${REFS[2]} ${REFS[3]} " ] && ok || fail "marks lost"
[ "$(ledger_sql "$L" "SELECT count(*) FROM packages WHERE case_id LIKE 'C-%'")" = 4 ] && ok || fail "case ids lost"
[ "$(ledger_sql "$L" 'SELECT count(*), count(DISTINCT reference) FROM packages')" = "$((NOK + 2))|$((NOK + 2))" ] && ok \
    || fail "packages after the second CSV: $(ledger_sql "$L" 'SELECT count(*), count(DISTINCT reference) FROM packages')"
[ "$(ledger_sql "$L" "SELECT count(*) FROM events WHERE kind = 'prepared'")" = $((NOK + 2)) ] && ok || fail "prepared events"
[ "$(ledger_sql "$L" "SELECT count(*) FROM events")" = $((NOK + 2 + 32 + 4)) ] && ok \
    || fail "events: $(ledger_sql "$L" 'SELECT kind, count(*) FROM events GROUP BY kind ORDER BY kind' | tr '\n' ' ')"
r=$(ledger_integrity "$L") && ok || fail "ledger after the concurrent writers: $r"
expect_exit 0 "$IDPACK" batch report "$T/sh2" --json
first=$(printf "'%s'," "${REFS[@]}")
[ "$(refs_of "$T/out")" = "$(ledger_sql "$L" "SELECT reference FROM packages WHERE reference NOT IN (${first%,}) ORDER BY reference" | tr '\n' ' ')" ] \
    && ok || fail "the second CSV's packages are not the ledger's new ones"

# kill -9 of shard 1 after its first package, then --resume: the packages
# and the ledger rows of its uninterrupted run above.
want=$(jq -r '.rows[] | select(.status == "ok") | .package' "$O/report-shard-1-of-2.json" | sort | tr '\n' ' ')
P=$T/killed
L2=$(new_ledger killed)
( flock 9 && exec "$IDPACK" batch --csv "$D/c.csv" --out "$P" --date $DATE -j 1 --ledger "$L2" --shard 1/2 ) \
    9>"$T/klock" >/dev/null 2>&1 &
pid=$!
for _ in $(seq 1 600); do # until its first package is in place (at most 60 s)
    [ -n "$(find "$P" -mindepth 1 -maxdepth 1 -type d ! -name '.*' 2>/dev/null)" ] && break
    sleep 0.1
done
kill -9 $pid 2>/dev/null && ok || fail "the shard ended before it could be killed"
wait $pid 2>/dev/null || true
flock -w 20 "$T/klock" true || fail "the killed shard's guardian did not end"
built=$(find "$P" -mindepth 1 -maxdepth 1 -type d ! -name '.*' | wc -l)
[ "$built" -ge 1 ] && [ "$built" -lt 3 ] && ok || fail "the kill did not land between rows: $built of 3 built"
[ -z "$(ls -A "$P" | grep '^\.' | grep -v '^\.report-shard-1-of-2\.lock$')" ] && ok || fail "the kill left: $(ls -A "$P" | grep '^\.')"
recorded=$(ledger_sql "$L2" 'SELECT count(*) FROM packages')
[ "$recorded" -le "$built" ] && ok || fail "the ledger holds $recorded packages, $built were in place"
r=$(ledger_integrity "$L2") && ok || fail "ledger after the kill: $r"
expect_exit 0 "$IDPACK" batch --csv "$D/c.csv" --out "$P" --date $DATE -j 1 --ledger "$L2" --shard 1/2 --resume --json
[ "$(jq '.summary.skipped' "$T/out")" = "$built" ] && ok || fail "--resume did not keep the $built packages built before the kill"
[ "$(ls "$P" | grep -v '^report' | sort | tr '\n' ' ')" = "$want" ] && ok || fail "after --resume: $(ls "$P" | tr '\n' ' '), expected $want"
for p in $want; do diff -r "$O/$p" "$P/$p" >/dev/null && ok || fail "$p differs from the uninterrupted shard's"; done
[ "$(ledger_sql "$L2" 'SELECT reference FROM packages ORDER BY reference' | tr '\n' ' ')" = "$(refs_of "$O/report-shard-1-of-2.json")" ] \
    && ok || fail "the resumed shard's ledger differs from its uninterrupted run's"
[ "$(ledger_sql "$L2" "SELECT kind, count(*) FROM events GROUP BY kind")" = "prepared|3" ] && ok \
    || fail "ledger events after --resume: $(ledger_sql "$L2" 'SELECT kind, count(*) FROM events GROUP BY kind' | tr '\n' ' ')"
r=$(ledger_integrity "$L2") && ok || fail "ledger after --resume: $r"
finish
