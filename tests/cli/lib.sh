# Sourced by the CLI tests: strict mode, a private temp folder removed at
# exit, and small assertion helpers that say what failed.
set -euo pipefail
: "${IDPACK:?run through ctest}" "${IDP_CORPUS:?}" "${IDP_TESTIMG:?}" "${IDP_SRC:?}"
T=$(mktemp -d "${TMPDIR:-/tmp}/idpack-cli-XXXXXX")
trap 'rm -rf "$T"' EXIT
# Never touch the real user data, profile or ledger.
export XDG_DATA_HOME="$T/xdg-data" XDG_CONFIG_HOME="$T/xdg-config"
unset IDPACK_LEDGER
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

# write_form FILE FULL_NAME EMAIL ID_TYPE ID_EXPIRY: a form with just the
# required fields.
write_form() {
    printf 'full_name = %s\naccount_email = %s\nid_type = %s\nid_expiry = %s\n' "$2" "$3" "$4" "$5" >"$1"
}
