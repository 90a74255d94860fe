# Sourced by the CLI tests: strict mode, a private temp folder removed at
# exit, and small assertion helpers that say what failed.
set -euo pipefail
: "${IDPACK:?run through ctest}" "${IDP_CORPUS:?}" "${IDP_TESTIMG:?}" "${IDP_SRC:?}"
T=$(mktemp -d "${TMPDIR:-/tmp}/idpack-cli-XXXXXX")
trap 'rm -rf "$T"' EXIT
# Never touch the real user data, profile or ledger.
export XDG_DATA_HOME="$T/xdg-data" XDG_CONFIG_HOME="$T/xdg-config"
unset IDPACK_LEDGER
# The photos the tests draw by name (draw_tune, mkscenes.py, mkcloth.py, ...)
# were picked on the realistic generator's camera before round 21 (principal
# point on the document's centre): they keep those pixels, and the held-out
# floors (test_realistic) the camera they were measured on. Only the camera's
# test draws with a phone's (docs/detection.md, "Round 21: a phone's camera";
# tests/realistic/README.md).
export IDP_REAL_CAMERA=centred
FAILS=0
PASSES=0

fail() { echo "FAIL: $*" >&2; FAILS=$((FAILS + 1)); }
ok() { PASSES=$((PASSES + 1)); }

# expect_exit CODE CMD...: runs CMD, stdout to $T/out, stderr to $T/err.
expect_exit() {
    local want=$1; shift
    local got=0
    "$@" >"$T/out" 2>"$T/err" || got=$?
    if [ "$got" -ne "$want" ]; then
        fail "exit $got, expected $want: $*"; sed 's/^/  stderr: /' "$T/err" | head -5 >&2
    else ok; fi
}

# expect_grep PATTERN FILE [what]
expect_grep() {
    if grep -q -E -- "$1" "$2"; then ok; else fail "${3:-$2} lacks /$1/"; sed 's/^/  | /' "$2" | head -5 >&2; fi
}
expect_no_grep() {
    if grep -q -E -- "$1" "$2"; then fail "${3:-$2} has /$1/"; else ok; fi
}

# expect_glare DIR STATUS NAME...: `idpack check DIR/NAME.jpg` reports
# `glare` as STATUS (ok, warning or FAIL) for every NAME; each report printed.
expect_glare() {
    local dir=$1 status=$2 f
    shift 2
    for f in "$@"; do
        "$IDPACK" check "$dir/$f.jpg" >"$T/out" 2>&1 || true
        cat "$T/out"
        expect_grep "$status *glare" "$T/out" "$f: glare $status"
    done
}

# finish: prints the closing line CTest and humans read, exits non-zero on failure.
finish() {
    echo "$PASSES passed, $FAILS failed"
    [ "$FAILS" -eq 0 ]
}

# The ledger's backend: sqlite, or postgresql when run by tests/pg_server.sh.
LEDGER_BACKEND=${IDP_TEST_LEDGER:-sqlite}
# new_ledger NAME: a ledger nobody has used yet: the file $T/NAME.sqlite,
# or the URI of a new, empty database NAME on the test's server.
new_ledger() {
    if [ "$LEDGER_BACKEND" = postgresql ]; then
        psql -q -X -v ON_ERROR_STOP=1 -c "CREATE DATABASE \"$1\"" >/dev/null
        echo "postgresql://idpack@/$1?host=$IDP_PG_HOST&port=$IDP_PG_PORT"
    else
        echo "$T/$1.sqlite"
    fi
}
# ledger_sql LEDGER SQL: the rows of a query, columns separated by '|'.
ledger_sql() {
    if [ "$LEDGER_BACKEND" = postgresql ]; then
        psql -X -A -t -q -v ON_ERROR_STOP=1 -d "$1" -c "$2"
    else
        sqlite3 "$1" "$2"
    fi
}
# ledger_integrity LEDGER: the database's own integrity check, then the
# ledger's rules checked again by queries. Prints what is wrong, one line
# each, and returns 1; prints nothing and returns 0 when the ledger is whole.
# SQLite: PRAGMA integrity_check and foreign_key_check. PostgreSQL:
# pg_amcheck (amcheck's heap check of both tables and B-tree check of every
# index of theirs, --heapallindexed --parent-check: each row found through
# each index), which must name both tables and at least six indexes.
ledger_integrity() {
    local l=$1 r n t bad=0
    if [ "$LEDGER_BACKEND" = postgresql ]; then
        if r=$("${IDP_PG_BIN:+$IDP_PG_BIN/}pg_amcheck" --install-missing --heapallindexed --parent-check \
            --verbose --table public.packages --table public.events "$l" 2>&1); then
            n=$(grep -c 'checking btree index' <<<"$r" || true)
            for t in packages events; do
                grep -q "checking heap table \"[^\"]*\.public\.$t\"" <<<"$r" \
                    || { echo "pg_amcheck did not check the table $t"; bad=1; }
            done
            [ "$n" -ge 6 ] || { echo "pg_amcheck checked $n indexes of the ledger, expected 6"; bad=1; }
        else
            echo "pg_amcheck: $(grep -v '^pg_amcheck: checking' <<<"$r" | head -3 | tr '\n' ' ')"
            bad=1
        fi
    else
        r=$(sqlite3 "$l" 'PRAGMA integrity_check')
        [ "$r" = ok ] || { echo "PRAGMA integrity_check: $r" | head -3; bad=1; }
        r=$(sqlite3 "$l" 'PRAGMA foreign_key_check')
        [ -z "$r" ] || { echo "PRAGMA foreign_key_check: $r" | head -3; bad=1; }
    fi
    r=$(ledger_sql "$l" "SELECT count(*) FROM (SELECT reference FROM packages GROUP BY reference HAVING count(*) > 1) d")
    [ "$r" = 0 ] || { echo "$r references are in the ledger twice"; bad=1; }
    r=$(ledger_sql "$l" "SELECT count(*) - count(DISTINCT id) FROM events")
    [ "$r" = 0 ] || { echo "$r event ids are used twice"; bad=1; }
    r=$(ledger_sql "$l" "SELECT count(*) FROM events e WHERE NOT EXISTS (SELECT 1 FROM packages p WHERE p.reference = e.reference)")
    [ "$r" = 0 ] || { echo "$r events of no package"; bad=1; }
    # Status changes are serialised per package: its last event carries its status.
    r=$(ledger_sql "$l" "SELECT count(*) FROM packages p WHERE p.status <> (SELECT e.status FROM events e
        WHERE e.reference = p.reference ORDER BY e.id DESC LIMIT 1)")
    [ "$r" = 0 ] || { echo "$r packages whose last event does not carry their status"; bad=1; }
    return $bad
}

# need_tools TOOL...: fails the test, and ends it, when a tool is not installed.
need_tools() {
    local t
    for t in "$@"; do
        command -v "$t" >/dev/null || { fail "$t is not installed"; finish; exit 1; }
    done
}

# numpy_python [CANDIDATE...]: prints the first python3 (of python3 and
# /usr/bin/python3 unless told) that has numpy and PIL, the generators'
# needs (a pyenv shim may come first on the PATH without them); fails if
# none has.
numpy_python() {
    local p
    [ $# -gt 0 ] || set -- python3 /usr/bin/python3
    for p in "$@"; do
        if command -v "$p" >/dev/null && "$p" -c 'import numpy, PIL' 2>/dev/null; then
            echo "$p"
            return 0
        fi
    done
    return 1
}

# need_numpy_python: sets PY to numpy_python's pick (/usr/bin/python3 first),
# or ends the test as skipped when no python3 has numpy and PIL.
need_numpy_python() {
    if ! PY=$(numpy_python /usr/bin/python3 python3); then
        echo "SKIP: python3 with numpy and PIL (python3-numpy, python3-pil) not found"
        exit 0
    fi
}

# draw_tune SEED DIR NAME...: draws into DIR only the named photos of the
# realistic tune set's draw SEED (tests/realistic/mkreal.py --set tune --seed
# SEED --only NAME...: the same pixels and truth rows as in the whole draw;
# a NAME may be a shell pattern, e.g. 'no-document-*'; a pair's front or
# back brings the other, a duplicate's copy its original). DIR/truth.tsv
# lists what was drawn. Needs PY (need_numpy_python).
draw_tune() {
    local seed=$1 dir=$2
    shift 2
    expect_exit 0 "$PY" "$IDP_SRC/tests/realistic/mkreal.py" --corpus "$IDP_CORPUS" --set tune \
        --seed "$seed" --only "$@" -- "$dir"
}

# draw_tune_phone SEED DIR NAME...: draw_tune through a phone's camera
# (IDP_REAL_CAMERA=phone, the realistic sets' camera since round 21), for
# the photos picked on it; lib.sh keeps the old camera for the others.
draw_tune_phone() {
    (
        FAILS=0
        export IDP_REAL_CAMERA=phone
        draw_tune "$@"
        exit "$FAILS"
    ) || fail "drawing seed $1's phone-camera photos"
}

# expect_no_wrong_quad DIR JSON WHAT: tests/realistic/evaluate.py over the
# photos drawn in DIR (rows to JSON), no wrong quad allowed; its summary
# printed and left in $T/out.
expect_no_wrong_quad() {
    expect_exit 0 "$PY" "$IDP_SRC/tests/realistic/evaluate.py" "$IDPACK" "$1" \
        --json "$2" --max-wrong-quads 0
    cat "$T/out"
    expect_grep '^wrong quads: 0$' "$T/out" "$3: no wrong quad"
}

# eval_one SEED DIR: tests/realistic/evaluate.py over the one photo drawn in
# DIR (rows to $T/rSEED.json), no wrong quad allowed and its verdict right.
eval_one() {
    expect_no_wrong_quad "$2" "$T/r$1.json" "seed $1"
    expect_grep '^verdicts right: 1 / 1 ' "$T/out" "seed $1: the verdict expected"
}

# expect_found DIR JSON [--min-iou X] FILE...: tests/realistic/evaluate.py
# over the photos drawn in DIR (rows to JSON) with no wrong quad allowed,
# then tests/cli/found.py: each FILE found (IoU >= 0.9, or X) and passing
# `document` and `corners`, no quad on a photo without a document. Both
# outputs are printed; $T/out holds found.py's.
expect_found() {
    local dir=$1 json=$2
    shift 2
    expect_no_wrong_quad "$dir" "$json" "$dir"
    expect_exit 0 "$PY" "$IDP_SRC/tests/cli/found.py" "$json" "$@"
    cat "$T/out"
}

# expect_check_fails FILE ID...: `idpack check --json FILE` exits 1, its
# verdict is fail and each check ID fails; the JSON left in $T/check.json.
expect_check_fails() {
    local file=$1
    shift
    expect_exit 1 "$IDPACK" check --json "$file"
    cp "$T/out" "$T/check.json"
    expect_exit 0 "$PY" -c '
import json, sys
im = json.load(open(sys.argv[1]))["images"][0]
st = {c["id"]: c["status"] for c in im["checks"]}
print(im["verdict"], st)
sys.exit(0 if im["verdict"] == "fail" and all(st.get(i) == "fail" for i in sys.argv[2:]) else 1)
' "$T/check.json" "$@"
    cat "$T/out"
}

# write_form FILE FULL_NAME EMAIL ID_TYPE ID_EXPIRY: a form with just the
# required fields.
write_form() {
    printf 'full_name = %s\naccount_email = %s\nid_type = %s\nid_expiry = %s\n' "$2" "$3" "$4" "$5" >"$1"
}

# window_start ARGS...: `idpack window ARGS` in the background, stdout in
# $T/url, stderr in $T/werr; sets WPID, and URL to the first line the window
# prints (its address). It waits for that line as long as a window may take
# to start, 120 s (a sanitizer build on a loaded machine takes seconds),
# or until the window has ended; URL is empty then.
window_start() {
    : >"$T/url"
    "$IDPACK" window "$@" >"$T/url" 2>"$T/werr" &
    WPID=$!
    for _ in $(seq 1200); do
        [ -s "$T/url" ] && break
        kill -0 "$WPID" 2>/dev/null || break
        sleep 0.1
    done
    URL=$(head -n 1 "$T/url")
}

# window_stop [SIGNAL]: sends SIGNAL (INT, as Ctrl-C does, by default) to
# the window of window_start and waits for it, at most 60 s: a window still
# running then is killed and fails the test, as does an exit status other
# than 0. Never waits without a bound, so a lost signal cannot hang a run.
window_stop() {
    local sig=${1:-INT} rc=0
    kill -"$sig" "$WPID" 2>/dev/null || true
    for _ in $(seq 600); do
        kill -0 "$WPID" 2>/dev/null || break
        sleep 0.1
    done
    if kill -0 "$WPID" 2>/dev/null; then
        kill -KILL "$WPID" 2>/dev/null || true
        wait "$WPID" 2>/dev/null || true
        fail "idpack window did not stop within 60 s of SIG$sig"
        return 0
    fi
    wait "$WPID" || rc=$?
    [ "$rc" -eq 0 ] && ok || fail "idpack window exit $rc"
}
