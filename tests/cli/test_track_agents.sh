#!/usr/bin/env bash
# Agencies: each change records its agent (--agent, else $IDPACK_AGENT, else
# the login name), shown by track show; track list filters by agent, by
# customer and for packages never submitted. SQLite, or PostgreSQL under
# tests/pg_server.sh.
. "$(dirname "$0")/lib.sh"
L=$(new_ledger a)
# jget FILE EXPR: a Python expression on the JSON document d of FILE
jget() { /usr/bin/python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$1" "$2"; }
# a build makes the ledger (answered at once: it stays out of the lists below),
# then three packages as a batch records them (customers c1..c3)
write_form "$T/form.txt" "Mario Rossi" m@example.com passport 2031-05-31
IDPACK_AGENT=builder expect_exit 0 "$IDPACK" build --front "$IDP_TESTIMG/sharp.jpg" --form "$T/form.txt" \
    --out "$T/pkg" --date 2026-11-20 --ledger "$L" --json
BREF=$(jget "$T/out" 'd["reference"]')
expect_exit 0 "$IDPACK" track mark "$BREF" resolved --at 2026-11-21 --ledger "$L"
[ "$(ledger_sql "$L" "SELECT agent FROM events WHERE kind = 'prepared'")" = builder ] && ok || fail "build's agent"
for i in 1 2 3; do
    ref=$(printf 'IDP-%04d-0000' "$i")
    ledger_sql "$L" "INSERT INTO packages (reference, customer, account_email, lang, folder, created, status, updated)
        VALUES ('$ref', 'c$i', 'x@example.com', 'en', '/srv/p$i', $((1795651200 + i)), 'prepared', 1795651200);
        INSERT INTO events (reference, at, kind, status, note) VALUES ('$ref', 1795651200, 'prepared', 'prepared', '/srv/p$i')" >/dev/null \
        || fail "seeding $ref"
done

# who: --agent, else IDPACK_AGENT, else LOGNAME
LOGNAME=login1 IDPACK_AGENT= expect_exit 0 "$IDPACK" track mark IDP-0001-0000 submitted --at 2026-11-26T10:00Z --ledger "$L"
LOGNAME=login1 IDPACK_AGENT=envagent expect_exit 0 "$IDPACK" track note IDP-0001-0000 "called the customer" --at 2026-11-26T11:00Z --ledger "$L"
LOGNAME=login1 IDPACK_AGENT=envagent expect_exit 0 "$IDPACK" track mark IDP-0002-0000 rejected --agent "Maria R." \
    --at 2026-11-26T12:00Z --ledger "$L" --json
[ "$(jget "$T/out" 'd["events"][-1]["agent"]')" = "Maria R." ] && ok || fail "mark --json: the event's agent"
expect_exit 0 "$IDPACK" track show IDP-0001-0000 --ledger "$L" --json
[ "$(jget "$T/out" '[x["agent"] for x in d["events"]]')" = "[None, 'login1', 'envagent']" ] && ok \
    || fail "show --json: agents $(jget "$T/out" '[x["agent"] for x in d["events"]]')"
expect_exit 0 "$IDPACK" track show IDP-0001-0000 --ledger "$L"
expect_grep 'note .*called the customer  by envagent$' "$T/out" "track show (text)"
[ "$(ledger_sql "$L" "SELECT agent FROM events WHERE kind = 'submitted'")" = login1 ] && ok || fail "agent column"

# filters
expect_exit 0 "$IDPACK" track list --agent envagent --ledger "$L" --json
[ "$(jget "$T/out" '[p["reference"] for p in d["packages"]]')" = "['IDP-0001-0000']" ] && ok || fail "list --agent envagent"
expect_exit 0 "$IDPACK" track list --agent nobody-at-all --ledger "$L"
expect_grep '^No packages match' "$T/out" "list --agent (none)"
expect_exit 0 "$IDPACK" track list --customer c2 --ledger "$L" --json
[ "$(jget "$T/out" '[p["reference"] for p in d["packages"]]')" = "['IDP-0002-0000']" ] && ok || fail "list --customer c2"
expect_exit 0 "$IDPACK" track list --never-submitted --ledger "$L" --json
[ "$(jget "$T/out" '[p["reference"] for p in d["packages"]]')" = "['IDP-0003-0000']" ] && ok || fail "list --never-submitted"
expect_exit 0 "$IDPACK" track list --never-submitted --customer c1 --ledger "$L" --json
[ "$(jget "$T/out" 'd["packages"]')" = "[]" ] && ok || fail "list --never-submitted --customer c1"
# overdue: the longest wait first, on the ledger's own order too
LOGNAME=x expect_exit 0 "$IDPACK" track mark IDP-0003-0000 submitted --at 2026-11-25T09:00Z --ledger "$L"
expect_exit 0 "$IDPACK" track list --overdue --as-of 2026-11-30 --ledger "$L" --json
[ "$(jget "$T/out" '[(p["reference"], p["waiting_hours"]) for p in d["packages"]]')" = \
  "[('IDP-0003-0000', 111), ('IDP-0001-0000', 86)]" ] && ok || fail "list --overdue: $(jget "$T/out" '[(p["reference"], p["waiting_hours"]) for p in d["packages"]]')"

# refusals
expect_exit 64 "$IDPACK" track list --agent '' --ledger "$L"
expect_exit 64 "$IDPACK" track list --never-submitted --overdue --ledger "$L"
expect_exit 64 "$IDPACK" track show IDP-0001-0000 --customer c1 --ledger "$L"
expect_exit 64 "$IDPACK" track note IDP-0001-0000 x --agent "$(printf 'a%.0s' $(seq 1 65))" --ledger "$L"
expect_exit 65 "$IDPACK" track note IDP-0001-0000 x --agent $'two\nlines' --ledger "$L"
[ "$(ledger_sql "$L" "SELECT count(*) FROM events WHERE note = 'x'")" = 0 ] && ok || fail "a refused agent recorded a note"
for sub in list mark note; do
    expect_exit 0 "$IDPACK" track $sub --help
    expect_grep '[-]-agent NAME' "$T/out" "track $sub --help"
done
finish
