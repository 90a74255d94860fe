#!/usr/bin/env bash
# Many writers on one ledger (SQLite, or PostgreSQL under tests/pg_server.sh):
# four processes, each an agent, mark and note the same packages at once;
# two builds of the same photos record the same reference at once. Every
# event is there with its agent, no reference twice, and the database's own
# integrity check passes (SQLite: PRAGMA integrity_check; PostgreSQL:
# pg_amcheck on the ledger's tables and indexes, and its constraints).
. "$(dirname "$0")/lib.sh"
L=$(new_ledger w)
N=8 # packages
FRONT=$IDP_TESTIMG/sharp.jpg
write_form "$T/form.txt" "Mario Rossi" m@example.com passport 2031-05-31

# two builds of the same photos into two folders at once: one reference, one row
mkdir -p "$T/b"
pids=()
for i in 1 2; do
    IDPACK_AGENT=builder$i "$IDPACK" build --front "$FRONT" --form "$T/form.txt" --out "$T/b/p$i" \
        --date 2026-11-26 --ledger "$L" >"$T/build$i.out" 2>"$T/build$i.err" &
    pids+=($!)
done
for p in "${pids[@]}"; do wait "$p" && ok || fail "a concurrent build failed: $(cat "$T"/build*.err)"; done
[ "$(ledger_sql "$L" 'SELECT count(*) FROM packages')" = 1 ] && ok || fail "two builds of one package made two rows"
[ "$(ledger_sql "$L" "SELECT kind FROM events ORDER BY kind" | tr '\n' ' ')" = "prepared rebuilt " ] \
    && ok || fail "two builds of one package: not one prepared and one rebuilt event"
[ "$(ledger_sql "$L" "SELECT count(DISTINCT agent) FROM events")" = 2 ] && ok || fail "the builders' agents"

# N packages, as a batch would record them (one SQL script: one client start)
for i in $(seq 1 $N); do
    ref=$(printf 'IDP-%04d-0000' "$i")
    echo "INSERT INTO packages (reference, customer, account_email, lang, folder, created, status, updated)
        VALUES ('$ref', 'c$i', 'x@example.com', 'en', '/srv/p$i', 1795651200, 'prepared', 1795651200);
        INSERT INTO events (reference, at, kind, status, note) VALUES ('$ref', 1795651200, 'prepared', 'prepared', '/srv/p$i');"
done >"$T/seed.sql"
ledger_sql "$L" "$(cat "$T/seed.sql")" >/dev/null || fail "seeding"

# four agents at once: each notes every package, agent 1 also marks each submitted
writer() {
    local a=$1 rc=0
    for i in $(seq 1 $N); do
        ref=$(printf 'IDP-%04d-0000' "$i")
        "$IDPACK" track note "$ref" "agent $a was here" --at 2026-11-27 --agent "agent$a" --ledger "$L" \
            >/dev/null 2>>"$T/w$a.err" || rc=1
        if [ "$a" = 1 ]; then
            "$IDPACK" track mark "$ref" submitted --case "C$i" --at 2026-11-27 --agent "agent$a" --ledger "$L" \
                >/dev/null 2>>"$T/w$a.err" || rc=1
        fi
    done
    return $rc
}
pids=()
for a in 1 2 3 4; do writer $a & pids+=($!); done
for p in "${pids[@]}"; do wait "$p" && ok || fail "a writer failed: $(cat "$T"/w*.err | head -3)"; done

[ "$(ledger_sql "$L" "SELECT count(*) FROM events WHERE kind = 'note'")" = $((4 * N)) ] && ok \
    || fail "notes lost: $(ledger_sql "$L" "SELECT count(*) FROM events WHERE kind = 'note'") of $((4 * N))"
[ "$(ledger_sql "$L" "SELECT count(*) FROM events WHERE kind = 'submitted' AND agent = 'agent1'")" = $N ] && ok \
    || fail "submissions lost"
for a in 1 2 3 4; do
    [ "$(ledger_sql "$L" "SELECT count(*) FROM events WHERE kind = 'note' AND agent = 'agent$a' AND note = 'agent $a was here'")" = $N ] \
        && ok || fail "agent$a's notes are not all there with their agent"
done
[ "$(ledger_sql "$L" "SELECT count(*) FROM packages WHERE status = 'submitted'")" = $N ] && ok || fail "statuses"
[ "$(ledger_sql "$L" "SELECT count(*) FROM (SELECT reference FROM packages GROUP BY reference HAVING count(*) > 1) d")" = 0 ] \
    && ok || fail "a reference is in the ledger twice"
[ "$(ledger_sql "$L" "SELECT count(*) FROM events e WHERE NOT EXISTS (SELECT 1 FROM packages p WHERE p.reference = e.reference)")" = 0 ] \
    && ok || fail "an event of no package"
[ "$(ledger_sql "$L" "SELECT count(DISTINCT id) = count(*) FROM events")" = "$([ "$LEDGER_BACKEND" = sqlite ] && echo 1 || echo t)" ] \
    && ok || fail "two events with one id"
# track list --agent sees what each agent touched
expect_exit 0 "$IDPACK" track list --agent agent3 --json --ledger "$L"
[ "$(grep -c '"reference"' "$T/out")" = $N ] && ok || fail "track list --agent agent3"

# the database's own integrity check (PRAGMA integrity_check, or pg_amcheck)
r=$(ledger_integrity "$L") && ok || fail "ledger integrity: $r"
[ "$LEDGER_BACKEND" = sqlite ] \
    || [ "$(ledger_sql "$L" "SELECT count(*) FROM pg_constraint WHERE conrelid IN ('packages'::regclass, 'events'::regclass) AND convalidated")" -ge 4 ] \
    && ok || fail "the ledger's constraints"
finish
