#!/usr/bin/env bash
# idpack build records each package in the ledger; idpack track follows it
# (list, show, mark, note), flags it overdue after 48 hours, and refuses
# what it must refuse. The ledger is checked with the sqlite3 shell, or with
# psql when tests/pg_server.sh runs it against PostgreSQL.
. "$(dirname "$0")/lib.sh"
need_tools sqlite3 python3 sha256sum
FRONT=$IDP_TESTIMG/sharp.jpg
BACK=$IDP_TESTIMG/back.jpg
L=$(new_ledger l)
write_form "$T/form.txt" "Giulia Bianchi-Verdi" giulia@example.com passport 2031-05-31
# jget FILE PATH: the value at a JSON path ('$.a[0].b') of FILE, read by SQLite's
# JSON functions (python3 takes over a second to start here: it checks the
# shapes, once per command); JSON null prints as "".
jget() { sqlite3 :memory: "SELECT json_extract(CAST(readfile('$1') AS TEXT), '$2')"; }

# --help everywhere: stdout, exit 0
for sub in "" list show mark note; do
    # shellcheck disable=SC2086
    expect_exit 0 "$IDPACK" track $sub --help
    expect_grep '^Usage: idpack track' "$T/out" "track $sub --help"
    [ -s "$T/err" ] && fail "track $sub --help wrote to stderr" || ok
done
expect_exit 0 "$IDPACK" build --help
expect_grep 'no-ledger' "$T/out" "build --help"

# build records the package as prepared
P=$T/pk/pkg
mkdir -p "$T/pk"
expect_exit 0 "$IDPACK" build --front "$FRONT" --back "$BACK" --set id_type=id_card --form "$T/form.txt" --out "$P" \
    --date 2026-11-26 --ledger "$L" --json
cp "$T/out" "$T/build.json"
REF=$(jget "$T/build.json" '$.reference' 2>/dev/null || echo none)
[[ $REF =~ ^IDP-[0-9A-Z]{4}-[0-9A-Z]{4}$ ]] && ok || fail "build --json has no reference: $REF"
[ "$(jget "$T/build.json" '$.ledger')" = "$L" ] && ok || fail "build --json does not name the ledger"
if [ "$LEDGER_BACKEND" = sqlite ]; then
    [ "$(stat -c %a "$L" 2>/dev/null)" = 600 ] && ok || fail "the ledger is not mode 0600"
fi
[ ! -e "$XDG_DATA_HOME/idpack" ] && ok || fail "--ledger PATH still touched the default folder"

expect_exit 0 "$IDPACK" track list --ledger "$L"
expect_grep "^$REF +prepared +2026-11-26 " "$T/out" "track list"
expect_grep 'giulia@example\.com' "$T/out" "track list"
expect_exit 0 "$IDPACK" track list --ledger "$L" --json
cp "$T/out" "$T/list.json"
python3 - "$T/list.json" "$REF" "$(realpath "$P")" "$(sha256sum "$P/request.pdf" | cut -d' ' -f1)" <<'PY' && ok || fail "track list --json"
import json, sys
d = json.load(open(sys.argv[1]))
assert list(d) == ["ledger", "as_of", "overdue_hours", "packages"], list(d)
assert d["overdue_hours"] == 48, d
(p,) = d["packages"]
want = {"reference": sys.argv[2], "status": "prepared", "customer": None,
        "account_email": "giulia@example.com", "lang": "en", "folder": sys.argv[3],
        "pdf_sha256": sys.argv[4], "created": "2026-11-26T00:00:00Z", "submitted": None,
        "case_id": None, "overdue": False}
for k, v in want.items():
    assert p[k] == v, (k, p[k], v)
assert isinstance(p["overdue"], bool)
PY

# submitted with a case id at a given time; overdue after 48 hours, not at 48
expect_exit 0 "$IDPACK" track mark "$REF" submitted --case 1234567890 --at 2026-11-26T10:00:00Z --ledger "$L"
expect_grep "$REF: submitted at 2026-11-26T10:00:00Z \(case 1234567890\)" "$T/out"
for as_of_n in "2026-11-28T09:59:59Z 0" "2026-11-28T10:00:00Z 0" "2026-11-28T10:00:01Z 1" "2026-12-01 1"; do
    set -- $as_of_n
    expect_exit 0 "$IDPACK" track list --overdue --as-of "$1" --json --ledger "$L"
    n=$(sqlite3 :memory: "SELECT json_array_length(CAST(readfile('$T/out') AS TEXT), '$.packages')")
    [ "$n" = "$2" ] && ok || fail "list --overdue --as-of $1 gives $n packages, expected $2"
done
expect_exit 0 "$IDPACK" track list --overdue --as-of 2026-11-28T10:00:01Z --ledger "$L"
expect_grep "^$REF +submitted .*1234567890 .*OVERDUE 48 h" "$T/out" "track list --overdue (text)"
expect_exit 0 "$IDPACK" track list --overdue --as-of 2026-11-28T10:00:00Z --ledger "$L"
expect_no_grep "$REF" "$T/out" "track list --overdue at exactly 48 h"
expect_exit 0 "$IDPACK" track list --overdue --hours 24 --as-of 2026-11-27T10:00:01Z --json --ledger "$L"
[ "$(jget "$T/out" '$.packages[0].reference') $(jget "$T/out" '$.packages[0].overdue')" = "$REF 1" ] && ok \
    || fail "--hours 24 does not make it overdue after 24 h"
expect_exit 0 "$IDPACK" track list --status submitted --json --ledger "$L"
[ "$(jget "$T/out" '$.packages[0].status') $(jget "$T/out" '$.packages[1]')" = "submitted " ] && ok || fail "--status submitted"
expect_exit 0 "$IDPACK" track list --status resolved --json --ledger "$L"
[ "$(jget "$T/out" '$.packages')" = "[]" ] && ok || fail "--status resolved"

# a note, then resolved: show lists every event in order
expect_exit 0 "$IDPACK" track note "$REF" "Amazon asked for a clearer back photo" --at 2026-11-27T09:00:00Z --ledger "$L"
expect_exit 0 "$IDPACK" track mark "$(echo "$REF" | tr 'A-Z' 'a-z')" resolved --note "account unlocked" \
    --at 2026-11-28T12:00:00Z --ledger "$L"
expect_exit 0 "$IDPACK" track show "$REF" --ledger "$L"
cp "$T/out" "$T/show.txt"
expect_grep "^$REF +resolved" "$T/show.txt" "track show"
grep -E '^  20[0-9-]+T' "$T/show.txt" | awk '{print $2}' | tr '\n' ' ' >"$T/kinds"
[ "$(cat "$T/kinds")" = "prepared submitted note resolved " ] && ok || fail "show lists events: $(cat "$T/kinds")"
expect_grep 'submitted +case 1234567890' "$T/show.txt" "track show"
expect_exit 0 "$IDPACK" track show "$REF" --json --ledger "$L"
python3 - "$T/out" "$REF" <<'PY' && ok || fail "track show --json"
import json, sys
d = json.load(open(sys.argv[1]))
assert set(d) == {"package", "events"}, d.keys()
assert d["package"]["reference"] == sys.argv[2] and d["package"]["status"] == "resolved"
assert d["package"]["submitted"] == "2026-11-26T10:00:00Z", d["package"]
assert d["package"]["case_id"] == "1234567890"
ev = d["events"]
assert [e["kind"] for e in ev] == ["prepared", "submitted", "note", "resolved"], ev
assert [e["at"] for e in ev] == sorted(e["at"] for e in ev), ev
assert ev[1]["case_id"] == "1234567890" and ev[2]["note"].startswith("Amazon asked"), ev
assert ev[3]["note"] == "account unlocked" and ev[3]["status"] == "resolved", ev
for e in ev:
    assert set(e) == {"at", "kind", "status", "case_id", "note", "agent"}, e
PY

# refusals: each with its exit code and a one-line reason
expect_exit 65 "$IDPACK" track mark "$REF" rejected --ledger "$L"
expect_grep "$REF.*resolved" "$T/err"
expect_exit 66 "$IDPACK" track show IDP-0000-0000 --ledger "$L"
expect_grep 'IDP-0000-0000.*no such package' "$T/err"
expect_exit 66 "$IDPACK" track mark IDP-0000-0000 submitted --ledger "$L"
expect_exit 66 "$IDPACK" track note IDP-0000-0000 hello --ledger "$L"
expect_exit 65 "$IDPACK" track show not-a-ref --ledger "$L"
expect_grep "'not-a-ref' is not a package reference" "$T/err"
expect_exit 64 "$IDPACK" track mark "$REF" answered --ledger "$L"
expect_grep "not 'answered'" "$T/err"
expect_exit 64 "$IDPACK" track mark "$REF" prepared --ledger "$L"
expect_exit 64 "$IDPACK" track mark "$REF" --ledger "$L"
expect_exit 65 "$IDPACK" track mark "$REF" submitted --case 'x; DROP TABLE packages' --ledger "$L"
expect_exit 64 "$IDPACK" track list --as-of yesterday --ledger "$L"
expect_exit 64 "$IDPACK" track list --hours 0 --ledger "$L"
expect_exit 64 "$IDPACK" track list --status lost --ledger "$L"
expect_exit 64 "$IDPACK" track list --json --json --ledger "$L"
expect_exit 64 "$IDPACK" track list --case 1 --ledger "$L"
expect_exit 64 "$IDPACK" track list extra --ledger "$L"
expect_exit 64 "$IDPACK" track frobnicate
expect_exit 64 "$IDPACK" track
[ "$(wc -l <"$T/err")" -eq 2 ] && ok || fail "a usage error is not a reason and a hint"
[ -s "$T/out" ] && fail "a usage error wrote to stdout" || ok
expect_exit 64 "$IDPACK" build --front "$FRONT" --form "$T/form.txt" --out "$T/x" --ledger "$L" --no-ledger
expect_grep 'exclude each other' "$T/err"

# the ledger: current schema, no images, no personal data beyond the e-mail
[ "$(ledger_sql "$L" 'SELECT count(*) FROM packages')" = 1 ] && ok || fail "packages rows"
[ "$(ledger_sql "$L" 'SELECT count(*) FROM events')" = 4 ] && ok || fail "events rows"
if [ "$LEDGER_BACKEND" = sqlite ]; then
    [ "$(ledger_sql "$L" 'PRAGMA user_version')" = 3 ] && ok || fail "schema_version is not 3"
    [ "$(ledger_sql "$L" 'PRAGMA journal_mode')" = wal ] && ok || fail "the ledger is not in WAL mode"
    for tab in packages events; do
        [ "$(ledger_sql "$L" "SELECT count(*) FROM pragma_table_info('$tab') WHERE type NOT IN ('TEXT', 'INTEGER')")" = 0 ] \
            && ok || fail "the $tab table has a column that is neither TEXT nor INTEGER"
    done
    [ "$(ledger_sql "$L" "SELECT count(*) FROM packages WHERE typeof(customer) = 'blob' OR typeof(folder) = 'blob'
         OR typeof(account_email) = 'blob' OR typeof(pdf_sha256) = 'blob'")" = 0 ] && ok || fail "blob values"
    ledger_sql "$L" .dump >"$T/dump.sql"
    LC_ALL=C grep -q -a $'\xff\xd8\xff' "$L" && fail "the ledger holds JPEG data" || ok
    [ "$(stat -c %s "$L")" -lt 200000 ] && ok || fail "the ledger is $(stat -c %s "$L") bytes"
else
    [ "$(ledger_sql "$L" 'SELECT version FROM idpack_schema')" = 3 ] && ok || fail "schema_version is not 3"
    [ "$(ledger_sql "$L" "SELECT count(*) FROM information_schema.columns WHERE table_schema = 'public'
         AND table_name IN ('packages', 'events') AND data_type NOT IN ('text', 'bigint', 'integer')")" = 0 ] \
        && ok || fail "a column is neither text nor a number"
    # the same tables and columns, in the same order, as the SQLite ledger
    cols=$(ledger_sql "$L" "SELECT string_agg(column_name, ',' ORDER BY ordinal_position) FROM information_schema.columns
         WHERE table_schema = 'public' AND table_name IN ('packages', 'events') GROUP BY table_name ORDER BY table_name" | tr '\n' ' ')
    [ "$cols" = "id,reference,at,kind,status,note,case_id,agent reference,customer,account_email,lang,folder,pdf_sha256,created,status,case_id,updated,submitted " ] \
        && ok || fail "the PostgreSQL columns differ from SQLite's: $cols"
    pg_dump --no-owner -d "$L" >"$T/dump.sql"
fi
[ "$(ledger_sql "$L" "SELECT max(length(note)) FROM events")" -lt 200 ] && ok || fail "an event holds a large value"
expect_no_grep 'Giulia|Bianchi|2031-05-31|id_card|JFIF|Exif|PNG' "$T/dump.sql" "the ledger's dump"
[ -s "$T/dump.sql" ] && ok || fail "the ledger's dump is empty"

# a rebuild (--force) of the same package: one row, one more event, status kept
expect_exit 0 "$IDPACK" build --front "$FRONT" --back "$BACK" --set id_type=id_card --form "$T/form.txt" --out "$P" \
    --date 2026-11-26 --ledger "$L" --force
[ "$(ledger_sql "$L" 'SELECT count(*) FROM packages')" = 1 ] && ok || fail "a rebuild duplicated the row"
[ "$(ledger_sql "$L" "SELECT kind || ' ' || status FROM events ORDER BY id DESC LIMIT 1")" = "rebuilt resolved" ] \
    && ok || fail "a rebuild is not a 'rebuilt' event keeping the status"

# --no-ledger records nothing, not even with IDPACK_LEDGER set
before=$(ledger_sql "$L" 'SELECT count(*) FROM events')
IDPACK_LEDGER=$L expect_exit 0 "$IDPACK" build --front "$FRONT" --form "$T/form.txt" --out "$T/nl" \
    --date 2026-11-26 --no-ledger --json
[ "$(jget "$T/out" '$.status')/$(jget "$T/out" '$.ledger')" = "ok/" ] && ok || fail "--no-ledger: build --json names a ledger"
[ "$(ledger_sql "$L" 'SELECT count(*) FROM events')" = "$before" ] && ok || fail "--no-ledger recorded an event"
[ ! -e "$XDG_DATA_HOME/idpack" ] && ok || fail "--no-ledger created the default ledger"

# IDPACK_LEDGER chooses the file
E=$(new_ledger env)
IDPACK_LEDGER=$E expect_exit 0 "$IDPACK" build --front "$FRONT" --form "$T/form.txt" --out "$T/envpkg" --date 2026-11-27
[ "$(ledger_sql "$E" 'SELECT count(*) FROM packages')" = 1 ] && ok || fail "IDPACK_LEDGER was not used"
IDPACK_LEDGER=$E expect_exit 0 "$IDPACK" track list --json
[ "$(jget "$T/out" '$.ledger')" = "$E" ] && ok || fail "track list ignores IDPACK_LEDGER"

if [ "$LEDGER_BACKEND" = sqlite ]; then # the default is always a file
# the default: $XDG_DATA_HOME/idpack/ledger.sqlite, folder 0700, file 0600
expect_exit 0 "$IDPACK" build --front "$FRONT" --form "$T/form.txt" --out "$T/defpkg" --date 2026-11-28
D=$XDG_DATA_HOME/idpack/ledger.sqlite
[ -f "$D" ] && ok || fail "no ledger at $D"
[ "$(stat -c %a "$XDG_DATA_HOME/idpack" 2>/dev/null)" = 700 ] && ok || fail "the ledger's folder is not 0700"
[ "$(stat -c %a "$D" 2>/dev/null)" = 600 ] && ok || fail "the default ledger is not 0600"
for f in "$D"-wal "$D"-shm; do
    [ ! -e "$f" ] || [ "$(stat -c %a "$f")" = 600 ] && ok || fail "$f is not 0600"
done
expect_exit 0 "$IDPACK" track list
expect_grep 'prepared +2026-11-28' "$T/out" "track list (default ledger)"
expect_no_grep "$REF" "$T/out" "track list (default ledger)"
# XDG_DATA_HOME unset: ~/.local/share
mkdir -p "$T/home"
HOME=$T/home XDG_DATA_HOME='' expect_exit 0 "$IDPACK" build --front "$FRONT" --form "$T/form.txt" \
    --out "$T/homepkg" --date 2026-11-29
[ -f "$T/home/.local/share/idpack/ledger.sqlite" ] && ok || fail "no ledger under ~/.local/share"

# no folder for the ledger: nothing is built (73)
: >"$T/not-a-folder"
XDG_DATA_HOME=$T/not-a-folder expect_exit 73 "$IDPACK" build --front "$FRONT" --form "$T/form.txt" \
    --out "$T/nofolder" --date 2026-11-26
expect_grep "not-a-folder/idpack" "$T/err"
[ ! -e "$T/nofolder" ] && ok || fail "a package was built without a ledger folder"

fi

# a ledger that does not exist yet: list says so, show 66, nothing created
N=$(new_ledger none)
[ "$LEDGER_BACKEND" = sqlite ] && rm -f "$N"
expect_exit 0 "$IDPACK" track list --ledger "$N"
expect_grep 'does not exist yet' "$T/out"
expect_exit 66 "$IDPACK" track show "$REF" --ledger "$N"
if [ "$LEDGER_BACKEND" = sqlite ]; then
    [ ! -e "$N" ] && ok || fail "track created a ledger"
else
    [ "$(ledger_sql "$N" "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")" = 0 ] && ok \
        || fail "track list or show created tables"
fi

if [ "$LEDGER_BACKEND" = sqlite ]; then
# a damaged ledger: reads fail with 65 naming the file; after a build, 74 and the package stays
C=$T/corrupt.sqlite
head -c 20000 /dev/urandom >"$C"
expect_exit 65 "$IDPACK" track list --ledger "$C"
expect_grep "corrupt\.sqlite" "$T/err"
expect_exit 74 "$IDPACK" build --front "$FRONT" --form "$T/form.txt" --out "$T/cpkg" --date 2026-11-26 --ledger "$C"
expect_grep "corrupt\.sqlite" "$T/err"
expect_grep 'was written, but not recorded' "$T/err"
expect_exit 0 "$IDPACK" verify "$T/cpkg"

# a locked ledger: the writer waits 5 s, then exit 74 naming the file
(echo 'BEGIN IMMEDIATE;'; echo "INSERT INTO events (reference, at, kind, status) VALUES ('$REF', 0, 'note', 'resolved');"; sleep 9; echo 'COMMIT;') \
    | sqlite3 "$L" >/dev/null 2>&1 &
LOCKER=$!
sleep 1
start=$(date +%s)
expect_exit 74 "$IDPACK" track note "$REF" "while locked" --ledger "$L"
[ $(($(date +%s) - start)) -ge 4 ] && ok || fail "the writer did not wait for the lock"
expect_grep "l\.sqlite.*locked" "$T/err"
expect_exit 0 "$IDPACK" track show "$REF" --ledger "$L" # readers are not blocked (WAL)
kill "$LOCKER" 2>/dev/null; wait "$LOCKER" 2>/dev/null || true
expect_exit 0 "$IDPACK" track note "$REF" "after the lock" --at 2026-12-01 --ledger "$L" --json
[ "$(jget "$T/out" '$.events[#-1].kind') $(jget "$T/out" '$.events[#-1].note')" = "note after the lock" ] \
    && ok || fail "track note --json does not end with the new note"

else
# a database holding someone else's tables: 65 naming it, nothing touched; after
# a build, 74 and the package stays
C=$(new_ledger other)
ledger_sql "$C" "CREATE TABLE packages (name text); INSERT INTO packages VALUES ('x')" >/dev/null
expect_exit 65 "$IDPACK" track list --ledger "$C"
expect_grep "not an idpack ledger" "$T/err"
expect_exit 74 "$IDPACK" build --front "$FRONT" --form "$T/form.txt" --out "$T/cpkg" --date 2026-11-26 --ledger "$C"
expect_grep "/other\?" "$T/err"
expect_grep 'was written, but not recorded' "$T/err"
expect_exit 0 "$IDPACK" verify "$T/cpkg"
[ "$(ledger_sql "$C" "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")" = 1 ] && ok \
    || fail "a database of other tables was changed"

# a locked package row: the writer waits 5 s (lock_timeout), then exit 74
(echo 'BEGIN;'; echo "LOCK TABLE packages IN EXCLUSIVE MODE;"; echo 'SELECT pg_sleep(9);'; echo 'COMMIT;') \
    | psql -X -q -d "$L" >/dev/null 2>&1 &
LOCKER=$!
sleep 1
start=$(date +%s)
expect_exit 74 "$IDPACK" track note "$REF" "while locked" --ledger "$L"
[ $(($(date +%s) - start)) -ge 4 ] && ok || fail "the writer did not wait for the lock"
expect_grep "/l\?.*locked" "$T/err"
expect_exit 0 "$IDPACK" track show "$REF" --ledger "$L" # readers are not blocked
kill "$LOCKER" 2>/dev/null; wait "$LOCKER" 2>/dev/null || true
psql -X -q -c "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query LIKE '%pg_sleep%' AND pid <> pg_backend_pid()" >/dev/null
expect_exit 0 "$IDPACK" track note "$REF" "after the lock" --at 2026-12-01 --ledger "$L" --json
[ "$(jget "$T/out" '$.events[#-1].kind') $(jget "$T/out" '$.events[#-1].note')" = "note after the lock" ] \
    && ok || fail "track note --json does not end with the new note"

fi
finish
