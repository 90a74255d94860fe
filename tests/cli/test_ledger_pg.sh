#!/usr/bin/env bash
# PostgreSQL only (it runs itself under tests/pg_server.sh): URI forms, the
# password never printed (in a URI, a password= parameter, or from a
# PGPASSFILE), a server that cannot be reached, a connection lost during a
# write (it fails cleanly, records nothing, and the next try works), a
# batch whose connection is ended or whose server is stopped mid-batch (the
# rows fail cleanly, --resume records them), a role that may only read, and
# a database at a newer schema version.
if [ -z "${IDP_PG_HOST:-}" ]; then exec bash "$IDP_SRC/tests/pg_server.sh" bash "$0"; fi
. "$(dirname "$0")/lib.sh"
PW=$IDP_PG_PASSWORD
Q="host=$IDP_PG_HOST&port=$IDP_PG_PORT"
psql -q -X -v ON_ERROR_STOP=1 -c 'CREATE DATABASE pw OWNER pwuser' >/dev/null
write_form "$T/form.txt" "Mario Rossi" m@example.com passport 2031-05-31
no_pw() { # no_pw WHAT: neither out nor err holds the password
    if grep -q -F -- "$PW" "$T/out" "$T/err"; then fail "$1 printed the password"; else ok; fi
}

# the password in the URI: works, and is shown as ***
U="postgresql://pwuser:$PW@/pw?$Q"
expect_exit 0 "$IDPACK" build --front "$IDP_TESTIMG/sharp.jpg" --form "$T/form.txt" --out "$T/p1" \
    --date 2026-11-26 --ledger "$U" --json
no_pw "build --json"
expect_grep "\"ledger\": \"postgresql://pwuser:\*\*\*@/pw\?host=" "$T/out" "build --json"
REF=$(/usr/bin/python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["reference"])' "$T/out")
expect_exit 0 "$IDPACK" track list --ledger "$U" --json
no_pw "track list --json"
expect_grep "pwuser:\*\*\*@" "$T/out" "track list --json"
expect_exit 66 "$IDPACK" track show IDP-0000-0000 --ledger "$U"
no_pw "track show (unknown reference)"
expect_grep "pwuser:\*\*\*@" "$T/err"
# a wrong password: 74, a reason, never the password given
BAD="postgresql://pwuser:wrong-$PW@/pw?$Q"
expect_exit 74 "$IDPACK" track list --ledger "$BAD"
no_pw "a failed login"
expect_grep "cannot connect.*password authentication failed" "$T/err"
expect_exit 74 "$IDPACK" build --front "$IDP_TESTIMG/sharp.jpg" --form "$T/form.txt" --out "$T/p2" \
    --date 2026-11-26 --ledger "$BAD" --json
no_pw "build with a failed login"
expect_grep 'was written, but not recorded' "$T/err"
# the password as a parameter, and postgres:// 
IDPACK_LEDGER="postgres:///pw?$Q&user=pwuser&password=$PW" expect_exit 0 "$IDPACK" track list --json
no_pw "password= in the URI"
expect_grep "password=\*\*\*" "$T/out" "track list --json"
expect_grep "$REF" "$T/out" "track list through postgres://"
# from a password file (libpq's PGPASSFILE): no password anywhere on the command line
printf '*:*:pw:pwuser:%s\n' "$PW" >"$T/pgpass"
chmod 600 "$T/pgpass"
PGPASSFILE=$T/pgpass expect_exit 0 "$IDPACK" track note "$REF" "from the pgpass" --ledger "postgresql://pwuser@/pw?$Q"
PGPASSFILE=/nonexistent expect_exit 74 "$IDPACK" track note "$REF" "no password" --ledger "postgresql://pwuser@/pw?$Q"
expect_grep "no password supplied|password authentication failed" "$T/err"

# a malformed URI: 64, and libpq's message (which would quote the password) not shown
expect_exit 64 "$IDPACK" track list --ledger "postgresql://pwuser:%zz$PW@/pw?$Q"
no_pw "a malformed URI (a bad %-escape in the password)"
expect_grep "not a PostgreSQL URI libpq can read" "$T/err"
expect_exit 64 "$IDPACK" track note "$REF" x --ledger "postgresql://pwuser:$PW@/pw?$Q&no_such_key=1"
no_pw "a URI with an unknown parameter"

# no server there: 74 naming the URI
expect_exit 74 "$IDPACK" track list --ledger "postgresql://idpack@/pw?host=$IDP_PG_HOST&port=1"
expect_grep "cannot connect to the ledger's server" "$T/err"
[ "$(wc -l <"$T/err")" -le 2 ] && ok || fail "the connection error is not short"

# a connection lost during a write: the writer waits for a locked row, the
# server ends its session; the note fails with 74 and is not recorded
L=$(new_ledger lost)
expect_exit 0 "$IDPACK" build --front "$IDP_TESTIMG/sharp.jpg" --form "$T/form.txt" --out "$T/p3" \
    --date 2026-11-26 --ledger "$L" --json
(echo 'BEGIN;'; echo "SELECT 1 FROM packages FOR UPDATE;"; echo 'SELECT pg_sleep(4);'; echo 'COMMIT;') \
    | psql -X -q -d "$L" >/dev/null 2>&1 &
LOCKER=$!
sleep 1
"$IDPACK" track note "$REF" "lost on the way" --ledger "$L" >"$T/out" 2>"$T/err" &
W=$!
sleep 1
psql -X -q -At -c "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
    WHERE application_name = 'idpack' AND datname = 'lost'" >"$T/killed"
rc=0; wait "$W" || rc=$?
wait "$LOCKER" 2>/dev/null || true
[ "$(cat "$T/killed")" = 1 ] && ok || fail "no idpack session to end ($(cat "$T/killed"))"
[ "$rc" = 74 ] && ok || fail "a lost connection gives exit $rc, expected 74"
expect_grep "lost the connection to the ledger's server" "$T/err"
[ "$(ledger_sql "$L" "SELECT count(*) FROM events WHERE note = 'lost on the way'")" = 0 ] && ok \
    || fail "the interrupted note was recorded"
expect_exit 0 "$IDPACK" track note "$REF" "lost on the way" --ledger "$L"
[ "$(ledger_sql "$L" "SELECT count(*) FROM events WHERE note = 'lost on the way'")" = 1 ] && ok \
    || fail "the note again, once the server is reachable"

# a batch whose connection is lost after its first row: the row being recorded
# then fails ("in place but not recorded"), the next rows reconnect, and
# --resume records what is missing
B=$(new_ledger batch)
# ROWS rows: enough that the batch is still running when the test ends its
# session or stops the server after the first row (with 4 the last rows could
# all be built and recorded in the moment psql took to connect)
ROWS=12
D=$T/data
mkdir -p "$D/photos"
cp "$IDP_TESTIMG/sharp.jpg" "$IDP_TESTIMG/back.jpg" "$D/photos/"
{ echo "customer,front,back,full_name,account_email,id_type,id_expiry"
  for i in $(seq 1 "$ROWS"); do echo "C$i,photos/sharp.jpg,photos/back.jpg,Mario Rossi$i,m$i@example.com,id_card,2031-05-31"; done; } >"$D/c.csv"
"$IDPACK" batch --csv "$D/c.csv" --out "$T/o" --ledger "$B" --date 2026-11-26 -j 1 >"$T/out" 2>"$T/err" &
BATCH=$!
for _ in $(seq 1 600); do # the first row recorded (at most 60 s)
    [ "$(ledger_sql "$B" "SELECT count(*) FROM packages" 2>/dev/null)" = 1 ] && break
    sleep 0.1
done
psql -X -q -At -c "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
    WHERE application_name = 'idpack' AND datname = 'batch'" >"$T/killed"
rc=0; wait "$BATCH" || rc=$?
[ "$(cat "$T/killed")" = 1 ] && ok || fail "no batch session to end"
[ "$rc" = 1 ] && ok || fail "batch with a lost connection: exit $rc, expected 1"
failed=$(grep -c "not recorded in the ledger.*lost the connection" "$T/out" || true)
[ "$failed" -ge 1 ] && ok || fail "no row says its package was not recorded"
expect_grep "not recorded in the ledger: postgresql://idpack@/batch\?host=" "$T/out" "the row's reason (the whole URI)"
[ $(($(ledger_sql "$B" "SELECT count(*) FROM packages") + failed)) = "$ROWS" ] && ok \
    || fail "rows after the lost connection were not recorded"
no_pw "batch"
expect_exit 0 "$IDPACK" batch --csv "$D/c.csv" --out "$T/o" --ledger "$B" --date 2026-11-26 -j 1 --resume
[ "$(ledger_sql "$B" "SELECT count(*) FROM packages")" = "$ROWS" ] && ok || fail "--resume did not record the rest"
[ "$(ledger_sql "$B" "SELECT count(*) FROM events")" = "$ROWS" ] && ok || fail "--resume recorded a package twice"

# the server stopped during a batch: the row being recorded and every later
# one fail ("in place but not recorded"), their packages in place; once the
# server is back, --resume records them all, once
S=$(new_ledger stopped)
"$IDPACK" batch --csv "$D/c.csv" --out "$T/st" --ledger "$S" --date 2026-11-26 -j 1 >"$T/out" 2>"$T/err" &
BATCH=$!
for _ in $(seq 1 600); do # the first row recorded (at most 60 s)
    [ "$(ledger_sql "$S" "SELECT count(*) FROM packages" 2>/dev/null)" = 1 ] && break
    sleep 0.1
done
"$IDP_PG_CTL" stop -m fast >/dev/null && ok || fail "pg_ctl stop"
rc=0; wait "$BATCH" || rc=$?
[ "$rc" = 1 ] && ok || fail "batch with the server stopped: exit $rc, expected 1"
failed=$(grep -c "not recorded in the ledger: postgresql://idpack@/stopped?host=.*server" "$T/out" || true)
[ "$failed" -ge 1 ] && ok || fail "no row says its package was not recorded: $(head -3 "$T/out")"
expect_grep "cannot reconnect to the ledger's server .*try again when the server is back" "$T/out" "a later row's reason"
[ "$(ls "$T/st" | grep -vc '^report')" = "$ROWS" ] && ok || fail "the packages are not all in place: $(ls "$T/st" | tr '\n' ' ')"
for p in "$T"/st/*/; do (cd "$p" && sha256sum -c --quiet SHA256SUMS) && ok || fail "$p does not verify"; done
[ -z "$(ls -A "$T/st" | grep '^\.')" ] && ok || fail "temporaries left: $(ls -A "$T/st" | grep '^\.')"
"$IDP_PG_CTL" start >/dev/null && ok || fail "pg_ctl start"
[ $(($(ledger_sql "$S" "SELECT count(*) FROM packages") + failed)) = "$ROWS" ] && ok \
    || fail "$failed rows failed, $(ledger_sql "$S" "SELECT count(*) FROM packages") recorded, of $ROWS"
expect_exit 0 "$IDPACK" batch --csv "$D/c.csv" --out "$T/st" --ledger "$S" --date 2026-11-26 -j 1 --resume --json
[ "$(jq '.summary.skipped' "$T/out")" = "$ROWS" ] && ok || fail "--resume rebuilt packages that were in place"
[ "$(ledger_sql "$S" "SELECT count(*), count(DISTINCT reference) FROM packages")" = "$ROWS|$ROWS" ] && ok \
    || fail "--resume did not record the rest"
[ "$(ledger_sql "$S" "SELECT kind, count(*) FROM events GROUP BY kind")" = "prepared|$ROWS" ] && ok \
    || fail "--resume recorded a package twice"
r=$(ledger_integrity "$S") && ok || fail "ledger after the stopped server: $r"

# a role that may only read: list and show work, a change fails with 74 and a reason
psql -q -X -v ON_ERROR_STOP=1 -d lost -c "CREATE ROLE viewer LOGIN; GRANT SELECT ON ALL TABLES IN SCHEMA public TO viewer" >/dev/null
V="postgresql://viewer@/lost?$Q"
expect_exit 0 "$IDPACK" track list --ledger "$V" --json
expect_grep "\"$REF\"" "$T/out" "track list as a reader"
expect_exit 0 "$IDPACK" track show "$REF" --ledger "$V"
expect_exit 74 "$IDPACK" track note "$REF" "a reader's note" --ledger "$V"
expect_grep "permission denied" "$T/err"
[ "$(ledger_sql "$L" "SELECT count(*) FROM events WHERE note = 'a reader''s note'")" = 0 ] && ok || fail "a reader wrote"

# a database at a newer schema version: refused, untouched
ledger_sql "$L" "UPDATE idpack_schema SET version = 99" >/dev/null
expect_exit 65 "$IDPACK" track note "$REF" "newer" --ledger "$L"
expect_grep "schema version 99 is newer" "$T/err"
expect_exit 65 "$IDPACK" track list --ledger "$L"
finish
