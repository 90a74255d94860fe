#!/usr/bin/env bash
# kill -9 an idpack batch again and again (at least 22 kills) at moments
# spread over each run, early, middle and late (a seeded schedule, scaled
# to the work left): the first run is a fresh batch, every later one a
# --resume of the same folder, so the kills also land in --resume's own
# verification and in the writing of the reports. After each kill, once
# the run's cleanup guardian has ended (it holds an inherited lock), the
# output folder holds only package folders that verify and, if any, whole
# reports: no temporary or hidden entry at all; the ledger passes SQLite's
# integrity check. A last --resume finishes: every package verifies, one
# ledger row each.
. "$(dirname "$0")/lib.sh"
need_tools sqlite3 flock
DATE=2026-11-26
D=$T/data
N=6
mkdir -p "$D/photos"
FRONTS=(sharp.jpg camera.jpg gps.jpg cmyk.jpg)
for f in "${FRONTS[@]}" back.jpg; do cp "$IDP_TESTIMG/$f" "$D/photos/$f"; done
{
    echo "customer,full_name,account_email,id_type,id_expiry,lang,front,back"
    for i in $(seq -w 1 $N); do
        echo "Customer $i,Person Number $i,p$i@example.com,id_card,2031-05-31,en,photos/${FRONTS[$((10#$i % 4))]},photos/back.jpg"
    done
} >"$D/c.csv"
LEDGER=$T/ledger.sqlite
ms() { echo $(($(date +%s%N) / 1000000)); }

# The time of a whole batch, and of a --resume with nothing left to build.
t0=$(ms)
"$IDPACK" batch --csv "$D/c.csv" --out "$T/ref" -j 2 --date $DATE --no-ledger >/dev/null 2>&1 || fail "the reference batch failed"
DUR=$(($(ms) - t0))
t0=$(ms)
"$IDPACK" batch --csv "$D/c.csv" --out "$T/ref" -j 2 --date $DATE --no-ledger --resume >/dev/null 2>&1 || fail "the reference --resume failed"
SKIP=$(($(ms) - t0))
echo "a batch of $N takes $DUR ms, a --resume with nothing to do $SKIP ms" >&2

# Moments as thousandths of the estimated time left, seeded: spread over
# [0, 1.1], with the ends (start-up, the last rows, the reports) well covered.
mapfile -t FRACS < <(python3 - <<'PY'
import random
r = random.Random(7)
xs = [int((i + r.random()) / 24 * 1100) for i in range(24)]
xs += [int(r.random() * 80) for i in range(4)] + [int(950 + r.random() * 150) for i in range(8)]
r.shuffle(xs)
print("\n".join(str(x) for x in xs))
PY
)

declare -A seen # entry -> its "inode mtime" when it was last found whole
# check_round DIR WHEN: what a kill left is clean
check_round() {
    local dir=$1 when=$2 e key bad=0
    [ -d "$dir" ] || mkdir "$dir" # killed before the batch made it
    for e in $(ls -A "$dir"); do
        case "$e" in
        .*) fail "$when: hidden entry left: $e"; bad=1 ;;
        report.json | report.csv)
            key=$(stat -c '%i %Y %s' "$dir/$e")
            [ "${seen[$dir/$e]:-}" = "$key" ] && continue # unchanged since it was checked
            seen[$dir/$e]=$key ;;&
        report.json)
            python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert len(d["rows"]) == int(sys.argv[2])' "$dir/$e" $N 2>/dev/null \
                || { fail "$when: report.json is not whole"; bad=1; } ;;
        report.csv)
            [ "$(python3 -c 'import csv,sys; print(len(list(csv.reader(open(sys.argv[1])))))' "$dir/$e" 2>/dev/null)" = $((N + 1)) ] \
                || { fail "$when: report.csv is not whole"; bad=1; } ;;
        *)
            [ -d "$dir/$e" ] || { fail "$when: $e is not a package folder"; bad=1; continue; }
            key=$(stat -c '%i %Y' "$dir/$e" "$dir/$e/SHA256SUMS" 2>/dev/null | tr '\n' ' ')
            [ "${seen[$dir/$e]:-}" = "$key" ] && continue # unchanged since it verified
            if "$IDPACK" verify "$dir/$e" >/dev/null 2>&1; then seen[$dir/$e]=$key
            else fail "$when: $e does not verify"; bad=1; fi ;;
        esac
    done
    [ "$(sqlite3 "$LEDGER" 'PRAGMA integrity_check' 2>&1)" = ok ] || { fail "$when: the ledger fails integrity_check"; bad=1; }
    [ $bad -eq 0 ] && ok
}

# Chains: a fresh batch, then --resume runs of the same folder; a new chain
# (a new folder) starts after 11 runs or when a run ends unkilled (then
# the estimates shrink by a quarter).
chain=0 in_chain=11
killed=0 round=0 early=0 late=0 waited_max=0
while [ $killed -lt 22 ] && [ $round -lt 40 ]; do
    resume=(--resume)
    if [ $in_chain -ge 11 ]; then
        chain=$((chain + 1)) in_chain=0 resume=()
        O=$T/pk$chain
    fi
    missing=$N
    [ -d "$O" ] && missing=$((N - $(find "$O" -mindepth 1 -maxdepth 1 -type d | wc -l)))
    est=$((SKIP + DUR * missing / N))
    d=$((FRACS[round % ${#FRACS[@]}] * est / 1000))
    round=$((round + 1))
    delay=$(printf '%d.%03d' $((d / 1000)) $((d % 1000)))
    ( flock 9 && exec "$IDPACK" batch --csv "$D/c.csv" --out "$O" -j 2 --date $DATE \
        --ledger "$LEDGER" "${resume[@]}" ) 9>"$T/lock$round" >/dev/null 2>&1 &
    pid=$!
    sleep "$delay"
    kill -9 "$pid" 2>/dev/null || true
    rc=0
    { wait "$pid" || rc=$?; } 2>/dev/null
    in_chain=$((in_chain + 1))
    if [ $rc -ne 137 ]; then # it ended before the kill: the machine is faster than measured
        in_chain=11 DUR=$((DUR * 3 / 4)) SKIP=$((SKIP * 3 / 4))
    fi
    if [ $rc -eq 137 ]; then
        killed=$((killed + 1))
        [ $((FRACS[(round - 1) % ${#FRACS[@]}])) -lt 250 ] && early=$((early + 1))
        [ $((FRACS[(round - 1) % ${#FRACS[@]}])) -gt 750 ] && late=$((late + 1))
    fi
    t0=$(ms)
    flock -w 20 "$T/lock$round" true || fail "round $round: the guardian did not end within 20 s"
    t0=$(($(ms) - t0))
    [ $t0 -gt $waited_max ] && waited_max=$t0
    t1=$(ms)
    check_round "$O" "round $round (chain $chain, ${resume[*]:-fresh}, $missing missing, killed after ${delay}s, exit $rc)"
    [ -n "${KILL_TRACE:-}" ] && echo "round $round: missing $missing delay $delay rc $rc guardian ${t0}ms check $(($(ms) - t1))ms" >&2
done
echo "$round runs in $chain chains, $killed killed ($early early, $late late); the guardian ended at most $waited_max ms after a kill" >&2
[ $killed -ge 22 ] && ok || fail "only $killed runs were killed"
[ $early -ge 3 ] && [ $late -ge 3 ] && ok || fail "kills not spread: $early early, $late late"

# A last --resume finishes: all N verify, nothing else, one ledger row each.
expect_exit 0 "$IDPACK" batch --csv "$D/c.csv" --out "$O" --resume -j 2 --date $DATE --ledger "$LEDGER" --json
python3 -c 'import json,sys; s=json.load(open(sys.argv[1]))["summary"]; assert s["total"]==int(sys.argv[2]) and s["failed"]==0 and s["ok"]+s["skipped"]==s["total"], s' \
    "$T/out" $N && ok || fail "the last --resume: $(tail -7 "$T/out" | tr -d '\n ')"
[ "$(find "$O" -mindepth 1 -maxdepth 1 -type d | wc -l)" -eq $N ] && ok || fail "not $N packages at the end"
check_round "$O" "after the last --resume"
for p in "$T/ref"/*/; do
    diff -r "$p" "$O/$(basename "$p")" >/dev/null && ok || fail "$(basename "$p") differs from the uninterrupted batch's"
done
n=$("$IDPACK" track list --ledger "$LEDGER" --json 2>/dev/null |
    python3 -c 'import json,sys; print(len(json.load(sys.stdin)["packages"]))' 2>/dev/null || echo none)
[ "$n" = $N ] && ok || fail "the ledger holds $n packages, expected $N (one per reference)"
finish
