#!/usr/bin/env bash
# kill -9 an idpack batch at different moments: whatever package folder is
# there verifies (packages appear whole or not at all), and --resume then
# finishes the batch: every package verifies, no temporary folder is left,
# the ledger is intact. Also a --resume that is itself killed.
. "$(dirname "$0")/lib.sh"
command -v sqlite3 >/dev/null || { fail "sqlite3 is not installed"; finish; }
DATE=2026-11-26
D=$T/data
N=20
mkdir -p "$D/photos"
FRONTS=(sharp.jpg camera.jpg gps.jpg cmyk.jpg)
for f in "${FRONTS[@]}" back.jpg; do cp "$IDP_TESTIMG/$f" "$D/photos/$f"; done
{
    echo "customer,full_name,account_email,id_type,id_expiry,lang,front,back"
    for i in $(seq -w 1 $N); do
        echo "Customer $i,Person Number $i,p$i@example.com,id_card,2031-05-31,en,photos/${FRONTS[$((10#$i % 4))]},photos/back.jpg"
    done
} >"$D/c.csv"

# check_present DIR WHEN: every visible package folder verifies
check_present() {
    local d n=0 bad=0
    for d in $(find "$1" -mindepth 1 -maxdepth 1 -type d ! -name '.*' | sort); do
        n=$((n + 1))
        "$IDPACK" verify "$d" >/dev/null 2>&1 || { bad=$((bad + 1)); fail "$2: $(basename "$d") does not verify"; }
    done
    [ $bad -eq 0 ] && ok
    echo "$2: $n package(s) present, all verify" >&2
}

# resume_all DIR WHEN: --resume finishes; all N verify; no temporary left
resume_all() {
    expect_exit 0 "$IDPACK" batch --csv "$D/c.csv" --out "$1" --resume -j 2 --date $DATE --ledger "$T/ledger.sqlite" --json
    python3 -c 'import json,sys; s=json.load(open(sys.argv[1]))["summary"]; assert s["total"]==int(sys.argv[2]) and s["failed"]==0 and s["ok"]+s["skipped"]==s["total"], s' \
        "$T/out" $N && ok || fail "$2: resume summary: $(tail -7 "$T/out" | tr -d '\n ')"
    local n
    n=$(find "$1" -mindepth 1 -maxdepth 1 -type d ! -name '.*' | wc -l)
    [ "$n" -eq $N ] && ok || fail "$2: $n packages after --resume, expected $N"
    check_present "$1" "$2 after --resume"
    if find "$1" -mindepth 1 -maxdepth 1 -name '.*idpack-*' | grep -q .; then
        fail "$2: temporary left after --resume: $(find "$1" -mindepth 1 -maxdepth 1 -name '.*idpack-*')"
    else ok; fi
}

# kill_at DIR SECONDS [ARGS]: starts a batch into DIR, kills it with -9
kill_at() {
    local dir=$1 delay=$2 pid; shift 2
    "$IDPACK" batch --csv "$D/c.csv" --out "$dir" -j 2 --date $DATE --ledger "$T/ledger.sqlite" "$@" \
        >/dev/null 2>&1 &
    pid=$!
    sleep "$delay"
    if kill -9 "$pid" 2>/dev/null; then
        wait "$pid" 2>/dev/null || true
        echo "killed after ${delay}s" >&2
    else
        wait "$pid" 2>/dev/null || true
        echo "the batch ended before ${delay}s" >&2
    fi
}

round=0
for delay in 0.3 0.7 1.2 1.8; do
    round=$((round + 1))
    O=$T/out$round
    kill_at "$O" $delay
    check_present "$O" "killed after ${delay}s"
    echo "  temporaries left by the kill: $(find "$O" -mindepth 1 -maxdepth 1 -name '.*idpack-*' | wc -l)" >&2
    resume_all "$O" "round $round"
done

# a --resume killed in turn, then resumed again
O=$T/outr
kill_at "$O" 1.0
rm -rf "$O/customer-03" "$O/customer-11" "$O/customer-17"
kill_at "$O" 0.6 --resume
check_present "$O" "--resume killed"
resume_all "$O" "resume of a killed resume"

# the ledger survived every kill: intact, one row per package
[ "$(sqlite3 "$T/ledger.sqlite" 'PRAGMA integrity_check')" = ok ] && ok || fail "ledger integrity_check"
n=$("$IDPACK" track list --ledger "$T/ledger.sqlite" --json 2>/dev/null |
    python3 -c 'import json,sys; print(len(json.load(sys.stdin)["packages"]))' 2>/dev/null || echo none)
[ "$n" = $N ] && ok || fail "the ledger holds $n packages, expected $N (one per reference)"
finish
