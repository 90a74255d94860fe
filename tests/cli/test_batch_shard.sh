#!/usr/bin/env bash
# batch --shard I/N and batch report DIR: the shards of a CSV together
# build every row exactly once, the same packages as one batch without
# shards; a row's shard depends on its customer label only (the SHA-256
# rule of docs/batch.md, recomputed here), not on other rows; two shards
# run at once into one folder and one SQLite ledger; a shard killed with
# kill -9 and resumed gives the packages of an uninterrupted run; the
# merged report equals the unsharded one; missing or disagreeing shards
# are refused; bad --shard values are usage errors. Shards beside agents
# writing the same ledger, on SQLite and PostgreSQL:
# test_batch_shard_ledger.sh.
. "$(dirname "$0")/lib.sh"
need_tools jq sqlite3 flock
DATE=2026-11-26
D=$T/data
mkdir -p "$D/photos"
for f in sharp.jpg camera.jpg gps.jpg cmyk.jpg back.jpg blurred.jpg; do cp "$IDP_TESTIMG/$f" "$D/photos/"; done
FRONTS=(sharp.jpg camera.jpg gps.jpg cmyk.jpg)
{
    echo "customer,full_name,account_email,id_type,id_expiry,front,back"
    for i in 1 2 3 4 5; do
        echo "Customer $i,Person $i,p$i@example.com,id_card,2031-05-31,photos/${FRONTS[$((i % 4))]},photos/back.jpg"
    done
    echo "Blurry Bob,Bob,b@example.com,id_card,2031-05-31,photos/blurred.jpg,photos/back.jpg" # fails its check
    echo "customer 3,Again,a@example.com,id_card,2031-05-31,photos/sharp.jpg,photos/back.jpg"  # the folder of row 3
} >"$D/c.csv"
NROWS=7
N=3
batch() { "$IDPACK" batch --csv "$D/c.csv" --date $DATE "$@"; }

# The reference: one batch without shards.
batch --out "$T/ref" --no-ledger -j 2 >/dev/null 2>&1 || true
[ -f "$T/ref/report.json" ] && ok || { fail "the unsharded batch wrote no report"; finish; }

# Shards 1 and 2 at the same time, then 3: one folder, one ledger.
O=$T/sh L=$T/ledger.sqlite
batch --out "$O" --ledger "$L" -j 1 --shard 1/$N >"$T/s1.out" 2>"$T/s1.err" & p1=$!
batch --out "$O" --ledger "$L" -j 1 --shard 2/$N >"$T/s2.out" 2>"$T/s2.err" & p2=$!
r1=0 r2=0
wait $p1 || r1=$?
wait $p2 || r2=$?
batch --out "$O" --ledger "$L" -j 1 --shard 3/$N >"$T/s3.out" 2>"$T/s3.err" || true
for i in 1 2 3; do
    [ -s "$O/report-shard-$i-of-$N.json" ] && [ -s "$O/report-shard-$i-of-$N.csv" ] && ok || fail "shard $i wrote no reports: $(cat "$T/s$i.err")"
done
grep -q "another idpack batch" "$T/s1.err" "$T/s2.err" && fail "two shards could not share the folder"
[ ! -e "$O/report.json" ] && ok || fail "a shard wrote report.json"
ls -A "$O" | grep -q '^\.' && fail "hidden entries left after whole shard runs: $(ls -A "$O" | grep '^\.')"

# Every row exactly once over the shards, each where the rule puts it.
jq -r --argjson n $N 'input_filename as $f | .shard.index as $i | .rows[] | "\(.row) \($i)"' "$O"/report-shard-*-of-$N.json | sort -n >"$T/rows"
[ "$(cut -d' ' -f1 "$T/rows" | tr '\n' ' ')" = "$(seq 1 $NROWS | tr '\n' ' ')" ] && ok || fail "rows over the shards: $(cut -d' ' -f1 "$T/rows" | tr '\n' ' ')"
/usr/bin/python3 - "$D/c.csv" "$T/rows" $N <<'PY' && ok || fail "a row is not in the shard the SHA-256 rule gives"
import csv, hashlib, sys
rows = list(csv.DictReader(open(sys.argv[1], encoding="utf-8")))
got = dict(l.split() for l in open(sys.argv[2]))
n = int(sys.argv[3])
for k, r in enumerate(rows, 1):
    want = int.from_bytes(hashlib.sha256(r["customer"].encode()).digest()[:8], "big") % n + 1
    assert int(got[str(k)]) == want, (k, got[str(k)], want)
PY
for i in $(seq 1 $N); do
    [ "$(jq '.summary.total' "$O/report-shard-$i-of-$N.json")" -ge 1 ] && ok || fail "shard $i got no row (the fixture needs one in each)"
done

# The same packages, byte for byte, as the unsharded batch.
[ "$(ls "$T/ref" | grep -v '^report' | tr '\n' ' ')" = "$(ls "$O" | grep -v '^report' | tr '\n' ' ')" ] && ok \
    || fail "package folders differ: $(ls "$T/ref" | tr '\n' ' ') / $(ls "$O" | tr '\n' ' ')"
for p in "$T/ref"/*/; do
    diff -r "$p" "$O/$(basename "$p")" >/dev/null && ok || fail "$(basename "$p") differs from the unsharded batch's"
done

# The ledger: every built package once, its integrity whole.
NOK=$(jq '[.rows[] | select(.status == "ok")] | length' "$T/ref/report.json")
[ "$(sqlite3 "$L" 'SELECT COUNT(*), COUNT(DISTINCT reference) FROM packages')" = "$NOK|$NOK" ] && ok \
    || fail "ledger: $(sqlite3 "$L" 'SELECT COUNT(*), COUNT(DISTINCT reference) FROM packages'), expected $NOK|$NOK"
[ "$(jq -r '.rows[] | select(.status == "ok") | .reference' "$T/ref/report.json" | sort | tr '\n' ' ')" = \
  "$(sqlite3 "$L" 'SELECT reference FROM packages ORDER BY reference' | tr '\n' ' ')" ] && ok || fail "the ledger's references are not the unsharded batch's"
[ "$(sqlite3 "$L" 'PRAGMA integrity_check')" = ok ] && ok || fail "ledger integrity_check"

# batch report: the merge equals the unsharded report.
expect_exit 1 "$IDPACK" batch report "$O" # a row failed, as in the unsharded batch
expect_grep "Merged 3 shards: $NROWS rows: $NOK ok, $((NROWS - NOK)) failed" "$T/out"
[ "$(jq -S '.rows' "$O/report.json")" = "$(jq -S '.rows' "$T/ref/report.json")" ] && ok || fail "merged rows differ from the unsharded report's"
[ "$(jq -S '.summary' "$O/report.json")" = "$(jq -S '.summary' "$T/ref/report.json")" ] && ok || fail "merged summary differs"
[ "$(jq -cS '.today' "$O/report.json")" = "$(jq -cS '.today' "$T/ref/report.json")" ] && \
  [ "$(jq -r '.today.date' "$O/report.json")" = $DATE ] && ok || fail "merged today: $(jq -c '.today' "$O/report.json")"
jq -e 'has("shard") | not' "$O/report.json" >/dev/null && ok || fail "the merged report.json has a shard member"
cmp -s "$O/report.csv" "$T/ref/report.csv" && ok || fail "merged report.csv differs from the unsharded one"
[ "$(stat -c %a "$O/report.json" "$O/report.csv" | sort -u)" = 600 ] && ok || fail "merged reports not mode 0600"
expect_exit 1 "$IDPACK" batch report "$O" --json
cmp -s "$T/out" "$O/report.json" && ok || fail "--json does not print report.json"
expect_exit 1 "$IDPACK" batch report --lang it "$O"
expect_grep "^Uniti 3 shard: $NROWS righe" "$T/out"

# A missing shard: named, exit 66, nothing written.
M=$T/missing
mkdir "$M"
cp "$O/report-shard-1-of-$N.json" "$O/report-shard-3-of-$N.json" "$M/"
expect_exit 66 "$IDPACK" batch report "$M"
expect_grep "shards 2 of 3 are missing" "$T/err"
[ ! -e "$M/report.json" ] && [ ! -e "$M/report.csv" ] && ok || fail "a report was written with a shard missing"
expect_exit 66 "$IDPACK" batch report "$M" --json
[ "$(jq -c '.missing' "$T/out")" = "[2]" ] && ok || fail "--json does not list the missing shard: $(cat "$T/out")"
rm "$M/report-shard-3-of-$N.json"
expect_exit 66 "$IDPACK" batch report "$M"
expect_grep "shards 2-3 of 3 are missing" "$T/err"
expect_exit 66 "$IDPACK" batch report "$T/nosuch"
mkdir "$T/empty"
expect_exit 66 "$IDPACK" batch report "$T/empty"
expect_grep "no shard reports" "$T/err"
# the library's sentence in its own terms, the tool's command line after it
expect_no_grep "reports.*--shard" "$T/err"
expect_grep "^A shard runs as: idpack batch CSV --shard I/N --out DIR" "$T/err"
expect_exit 66 "$IDPACK" batch report "$T/empty" --lang it
expect_grep "^Uno shard si esegue così: idpack batch CSV --shard I/N --out DIR" "$T/err"

# Shards that disagree: another split, another CSV, a report edited.
cp "$O/report-shard-2-of-$N.json" "$O/report-shard-3-of-$N.json" "$M/"
cp "$O/report-shard-1-of-$N.json" "$M/report-shard-1-of-2.json"
expect_exit 65 "$IDPACK" batch report "$M"
expect_grep "different splits \(into 2 and 3 shards\)" "$T/err"
rm "$M/report-shard-1-of-2.json"
sed 's/"csv_sha256": "./"csv_sha256": "0/' "$O/report-shard-3-of-$N.json" >"$M/report-shard-3-of-$N.json"
expect_exit 65 "$IDPACK" batch report "$M"
expect_grep "different CSVs" "$T/err"
cp "$O/report-shard-3-of-$N.json" "$M/"
[ ! -e "$M/report.json" ] && ok || fail "a report was written from disagreeing shards"
expect_exit 1 "$IDPACK" batch report "$M" # whole again: merges
[ "$(jq -S '.rows' "$M/report.json")" = "$(jq -S '.rows' "$T/ref/report.json")" ] && ok || fail "merge of copied reports differs"
# Shards that judged their rows against different days: the merge says no one day.
sed 's/"today": {"date": "[0-9-]*"/"today": {"date": "2026-11-27"/' "$O/report-shard-2-of-$N.json" >"$M/report-shard-2-of-$N.json"
expect_exit 1 "$IDPACK" batch report "$M"
jq -e 'has("today") | not' "$M/report.json" >/dev/null && [ "$(jq '.summary.total' "$M/report.json")" = $NROWS ] && ok \
    || fail "shards of two days merged into one today: $(jq -c '.today' "$M/report.json")"
sed 's/"today": {"date": "[0-9-]*"/"today": {"date": "26 Nov 2026"/' "$O/report-shard-2-of-$N.json" >"$M/report-shard-2-of-$N.json"
expect_exit 65 "$IDPACK" batch report "$M"
expect_grep "its today is not a day" "$T/err"
cp "$O/report-shard-2-of-$N.json" "$M/"

# The same shard twice at once: the second stops (73), the first's work untouched.
expect_exit 73 flock -n "$O/.report-shard-1-of-$N.lock" "$IDPACK" batch --csv "$D/c.csv" --out "$O" --date $DATE \
    --no-ledger --resume --shard 1/$N
expect_grep "shard 1/3: is already running" "$T/err"
rm -f "$O/.report-shard-1-of-$N.lock"
# A batch without --shard while the folder is a shard's: refused too.
( flock -s 9 && exec "$IDPACK" batch --csv "$D/c.csv" --out "$O" --no-ledger --resume --date $DATE ) 9<"$O" >"$T/out" 2>"$T/err" && rc=0 || rc=$?
[ $rc -eq 73 ] && ok || fail "an unsharded batch ran beside a shard: exit $rc"
# ... and the merge waits for every batch to end.
( flock -s 9 && exec "$IDPACK" batch report "$O" ) 9<"$O" >"$T/out" 2>"$T/err" && rc=0 || rc=$?
[ $rc -eq 73 ] && grep -q "still writing" "$T/err" && ok || fail "the merge ran beside a batch: exit $rc"

# A row's shard does not move when other rows change: 40 customers whose
# photos are missing (their rows fail at once, nothing is built), before
# and after rows are inserted, removed, reordered and edited.
shardmap() { # CSV -> "customer shard" lines
    rm -rf "$T/m"
    for i in 1 2 3 4; do "$IDPACK" batch --csv "$1" --out "$T/m" --no-ledger --date $DATE --shard $i/4 >/dev/null 2>&1 || true; done
    jq -r '.shard.index as $i | .rows[] | "\(.customer)\t\($i)"' "$T/m"/report-shard-*-of-4.json | sort
}
{ echo "customer,full_name,account_email,id_type,id_expiry,front"
  for i in $(seq 1 40); do echo "Client $i,P $i,c$i@example.com,id_card,2031-05-31,none/$i.jpg"; done; } >"$D/m1.csv"
{ echo "customer,full_name,account_email,id_type,id_expiry,front"
  echo "Newcomer,N,n@example.com,id_card,2031-05-31,none/n.jpg"
  for i in $(seq 40 -1 1); do
      [ $((i % 7)) -eq 0 ] && continue # removed
      echo "Client $i,Changed $i,x$i@example.com,passport,2032-01-01,none/$i.jpg"
  done; } >"$D/m2.csv"
shardmap "$D/m1.csv" >"$T/map1"
# The seller's local day (no --date): the merge says it as one batch does,
# the day and the zone; shards run in two zones: no one day.
for i in 1 2; do TZ=JST-9 "$IDPACK" batch --csv "$D/m1.csv" --out "$T/lt" --no-ledger --shard $i/2 >/dev/null 2>&1 || true; done
TZ=JST-9 "$IDPACK" batch --csv "$D/m1.csv" --out "$T/lu" --no-ledger >/dev/null 2>&1 || true
expect_exit 1 "$IDPACK" batch report "$T/lt"
[ "$(jq -cS '.today' "$T/lt/report.json")" = "$(jq -cS '.today' "$T/lu/report.json")" ] && \
  [ "$(jq -r '.today.zone' "$T/lt/report.json")" != "UTC (fixed date)" ] && jq -e '.today.date | test("^[0-9]{4}-[0-9]{2}-[0-9]{2}$")' "$T/lt/report.json" >/dev/null \
    && ok || fail "merged local today: $(jq -c '.today' "$T/lt/report.json"), unsplit: $(jq -c '.today' "$T/lu/report.json")"
TZ=UTC "$IDPACK" batch --csv "$D/m1.csv" --out "$T/lt" --no-ledger --resume --shard 2/2 >/dev/null 2>&1 || true
expect_exit 1 "$IDPACK" batch report "$T/lt"
jq -e 'has("today") | not' "$T/lt/report.json" >/dev/null && ok || fail "shards of two zones merged into one today"
shardmap "$D/m2.csv" >"$T/map2"
[ "$(wc -l <"$T/map1")" -eq 40 ] && ok || fail "the 4 shards do not hold 40 rows: $(wc -l <"$T/map1")"
[ "$(cut -f2 "$T/map1" | sort -u | wc -l)" -eq 4 ] && ok || fail "a shard got none of 40 rows"
join -t $'\t' "$T/map1" "$T/map2" | awk -F'\t' '$2 != $3 {bad++} END {exit bad > 0}' && ok || fail "a customer moved to another shard after other rows changed"
[ "$(join -t $'\t' "$T/map1" "$T/map2" | wc -l)" -eq 35 ] && ok || fail "the edited CSV's customers are not all found"

# kill -9 of a shard in the middle of its rows, then --resume: the same
# packages (byte for byte) and ledger entries as its uninterrupted run.
K=$(cut -d' ' -f2 "$T/rows" | sort | uniq -c | sort -rn | awk 'NR == 1 {print $2}')
want=$(jq -r '.rows[] | select(.status == "ok") | .package' "$O/report-shard-$K-of-$N.json" | sort | tr '\n' ' ')
P=$T/killed L2=$T/ledger2.sqlite
( flock 9 && exec "$IDPACK" batch --csv "$D/c.csv" --out "$P" --date $DATE -j 1 --ledger "$L2" --shard $K/$N ) 9>"$T/klock" >/dev/null 2>&1 &
pid=$!
# Temporaries with the shard's process id, as another machine's or
# container's process with the same id would write them: one of a package
# of another shard (its guardian must leave it), one of this shard's.
mine=$(echo $want | cut -d' ' -f1)
mkdir -p "$P/.stranger.idpack-tmp-$pid-AbCdEf" "$P/.$mine.idpack-tmp-$pid-AbCdEf"
echo x >"$P/.stranger.idpack-tmp-$pid-AbCdEf/request.pdf"
echo x >"$P/.$mine.idpack-tmp-$pid-AbCdEf/request.pdf"
for _ in $(seq 1 200); do # until its first package is in place
    [ -n "$(find "$P" -mindepth 1 -maxdepth 1 -type d ! -name '.*' 2>/dev/null)" ] && break
    sleep 0.05
done
kill -9 $pid 2>/dev/null && ok || fail "shard $K ended before it could be killed"
wait $pid 2>/dev/null || true
flock -w 20 "$T/klock" true || fail "the killed shard's guardian did not end"
built=$(find "$P" -mindepth 1 -maxdepth 1 -type d ! -name '.*' | wc -l)
[ "$built" -ge 1 ] && [ "$built" -lt "$(echo $want | wc -w)" ] && ok || fail "the kill did not land between rows: $built built of: $want"
[ -z "$(ls -A "$P" | grep '^\.' | grep -v -e "^\.report-shard-$K-of-$N\.lock$" -e '^\.stranger\.')" ] && ok || fail "the kill left: $(ls -A "$P" | grep '^\.')"
[ -f "$P/.stranger.idpack-tmp-$pid-AbCdEf/request.pdf" ] && ok || fail "the killed shard's guardian removed another shard's temporary"
rc=$(jq '.summary.failed | if . > 0 then 1 else 0 end' "$O/report-shard-$K-of-$N.json")
expect_exit "$rc" "$IDPACK" batch --csv "$D/c.csv" --out "$P" --date $DATE -j 1 --ledger "$L2" --shard $K/$N --resume --json
[ "$(jq '.summary.skipped' "$T/out")" -eq "$built" ] && ok || fail "--resume did not keep the $built packages built before the kill"
[ "$(ls "$P" | grep -v '^report' | sort | tr '\n' ' ')" = "$want" ] && ok || fail "after --resume: $(ls "$P" | tr '\n' ' '), expected $want"
for p in $want; do diff -r "$O/$p" "$P/$p" >/dev/null && ok || fail "$p differs from the uninterrupted shard's"; done
[ -d "$P/.stranger.idpack-tmp-$pid-AbCdEf" ] && ok || fail "the resumed shard removed another shard's temporary"
[ "$(sqlite3 "$L2" 'SELECT reference FROM packages ORDER BY reference' | tr '\n' ' ')" = \
  "$(jq -r '.rows[] | select(.status == "ok") | .reference' "$O/report-shard-$K-of-$N.json" | sort | tr '\n' ' ')" ] && ok \
    || fail "the resumed shard's ledger differs from its uninterrupted run's"
[ "$(sqlite3 "$L2" "SELECT COUNT(*) FROM events WHERE kind = 'prepared'")" -eq "$(echo $want | wc -w)" ] && ok \
    || fail "ledger events: $(sqlite3 "$L2" 'SELECT kind, COUNT(*) FROM events GROUP BY kind')"
[ "$(sqlite3 "$L2" 'PRAGMA integrity_check')" = ok ] && ok || fail "ledger integrity after the kill"

# Bad --shard values: usage errors that say what is wanted.
for v in 0/3 4/3 1/0 3 /3 3/ a/b 1/1001 1001/1001 01/3 1/03 " 1/3" 1/3x -1/3 1/-3 +1/3 "1 /3" 1//3 1/3/3 ""; do
    expect_exit 64 "$IDPACK" batch --csv "$D/c.csv" --out "$T/bad" --no-ledger --shard "$v"
    grep -q "shard needs I/N" "$T/err" && ok || fail "--shard '$v': $(head -1 "$T/err")"
done
[ ! -e "$T/bad" ] && ok || fail "a bad --shard created the folder"
expect_exit 64 "$IDPACK" batch --csv "$D/c.csv" --out "$T/bad" --shard 1/2 --shard 2/2
expect_exit 64 "$IDPACK" batch --lang it --csv "$D/c.csv" --out "$T/bad" --shard 5/4
expect_grep "shard vuole I/N" "$T/err"
expect_exit 66 "$IDPACK" batch --csv "$D/nosuch.csv" --out "$T/bad" --shard 1000/1000 # accepted: the CSV is what is missing
expect_exit 64 "$IDPACK" batch report
expect_exit 64 "$IDPACK" batch report "$O" "$M"
# Options before the subcommand, as for every command; batch's own refused there.
expect_exit 1 "$IDPACK" batch --json report "$O"
cmp -s "$T/out" "$O/report.json" && ok || fail "'batch --json report DIR' does not print report.json"
expect_exit 64 "$IDPACK" batch --csv "$D/c.csv" report "$O"
expect_grep "unknown option '--csv'" "$T/err"
expect_exit 0 "$IDPACK" batch report --help
expect_grep "^Usage: idpack batch report DIR" "$T/out"

# Bash completion: the subcommand, its options, --shard's values.
complete_words() {
    PATH="$(dirname "$IDPACK"):$PATH" bash -c '
        shopt -s extglob
        . "$1"; shift
        COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1))
        _idpack 2>/dev/null
        printf "%s\n" "${COMPREPLY[@]}"' complete "$IDP_SRC/data/idpack.bash-completion" "$@"
}
complete_words idpack batch "" >"$T/c"
expect_grep '^report$' "$T/c" "completion after batch"
expect_grep '^--shard$' "$T/c" "completion after batch"
complete_words idpack batch report -- >"$T/c"
[ "$(sort "$T/c" | tr '\n' ' ')" = "--help --json --lang " ] && ok || fail "'batch report --<TAB>': $(cat "$T/c" | tr '\n' ' ')"
complete_words idpack batch --shard "" >"$T/c"
[ -s "$T/c" ] && ! grep -qvE '^[1-9][0-9]*/[1-9][0-9]*$' "$T/c" && ok || fail "'--shard <TAB>': $(cat "$T/c" | tr '\n' ' ')"
complete_words idpack batch --shard 1/2 --csv x -- >"$T/c"
expect_grep '^--resume$' "$T/c" "completion after --shard I/N"
finish
