#!/usr/bin/env bash
# build, batch and drop record their packages through one place in the
# library (idp_build_record), as the agent --agent names, else
# $IDPACK_AGENT, else the login name, as track does; a name track refuses
# they refuse before building anything.
. "$(dirname "$0")/lib.sh"
DATE=2026-11-26
L=$(new_ledger agents)
# agent_of REF KIND: the agent of the package's event of that kind
agent_of() { ledger_sql "$L" "SELECT agent FROM events WHERE reference = '$1' AND kind = '$2'"; }
ref_of() { ledger_sql "$L" "SELECT reference FROM packages WHERE folder LIKE '%/$1'"; }
cat >"$T/form.txt" <<'FORM'
full_name = Mario Rossi
account_email = m@example.com
id_type = passport
id_expiry = 2031-05-31
FORM

# ---- build --------------------------------------------------------------
LOGNAME=login1 IDPACK_AGENT= expect_exit 0 "$IDPACK" build --front "$IDP_TESTIMG/sharp.jpg" \
    --form "$T/form.txt" --out "$T/b1" --date $DATE --ledger "$L" --agent "Anna B."
R1=$(ref_of b1)
[ -n "$R1" ] && ok || fail "build --agent: no package recorded"
[ "$(agent_of "$R1" prepared)" = "Anna B." ] && ok || fail "build --agent: agent '$(agent_of "$R1" prepared)'"
[ "$(ledger_sql "$L" "SELECT folder FROM packages WHERE reference = '$R1'")" = "$(realpath "$T/b1")" ] && ok \
    || fail "build: the folder is not recorded as its absolute path"
LOGNAME=login1 IDPACK_AGENT= expect_exit 0 "$IDPACK" build --front "$IDP_TESTIMG/sharp.jpg" \
    --form "$T/form.txt" --out "$T/b2" --date 2026-11-27 --ledger "$L"
[ "$(agent_of "$(ref_of b2)" prepared)" = login1 ] && ok || fail "build without --agent: not the login name"
# refused before anything is built: track's rules and exit codes
for bad in '' "$(printf 'a%.0s' $(seq 1 65))"; do
    expect_exit 64 "$IDPACK" build --front "$IDP_TESTIMG/sharp.jpg" --form "$T/form.txt" \
        --out "$T/bad" --date $DATE --ledger "$L" --agent "$bad"
done
expect_exit 65 "$IDPACK" build --front "$IDP_TESTIMG/sharp.jpg" --form "$T/form.txt" \
    --out "$T/bad" --date $DATE --ledger "$L" --agent $'two\nlines'
expect_grep "agent's name must be 1 to 64 bytes of text on one line" "$T/err" "build --agent with a line break"
expect_exit 64 "$IDPACK" build --front "$IDP_TESTIMG/sharp.jpg" --form "$T/form.txt" \
    --out "$T/bad" --date $DATE --no-ledger --agent x
[ ! -e "$T/bad" ] && ok || fail "a refused --agent still built a package"

# ---- batch --------------------------------------------------------------
mkdir -p "$T/csv"
cp "$IDP_TESTIMG/sharp.jpg" "$IDP_TESTIMG/back.jpg" "$T/csv/"
cat >"$T/csv/c.csv" <<'CSV'
customer,full_name,account_email,id_type,id_expiry,lang,front,back
Acme,Mario Rossi,mario@example.com,id_card,2031-05-31,en,sharp.jpg,back.jpg
CSV
LOGNAME=login1 IDPACK_AGENT= expect_exit 0 "$IDPACK" batch --csv "$T/csv/c.csv" --out "$T/batch" -j 1 \
    --date $DATE --ledger "$L" --agent batcher
RB=$(ledger_sql "$L" "SELECT reference FROM packages WHERE customer = 'Acme'")
[ -n "$RB" ] && [ "$(agent_of "$RB" prepared)" = batcher ] && ok || fail "batch --agent: agent '$(agent_of "$RB" prepared)'"
# --resume into another ledger: the package found in place is recorded there, by the agent given
L2=$(new_ledger agents2)
IDPACK_AGENT=envagent expect_exit 0 "$IDPACK" batch --csv "$T/csv/c.csv" --out "$T/batch" -j 1 \
    --date $DATE --ledger "$L2" --resume --agent resumer
[ "$(ledger_sql "$L2" "SELECT agent FROM events WHERE reference = '$RB'")" = resumer ] && ok \
    || fail "batch --resume --agent: $(ledger_sql "$L2" "SELECT agent FROM events")"
# and not twice when it is known
IDPACK_AGENT=envagent expect_exit 0 "$IDPACK" batch --csv "$T/csv/c.csv" --out "$T/batch" -j 1 \
    --date $DATE --ledger "$L2" --resume
[ "$(ledger_sql "$L2" "SELECT count(*) FROM events WHERE reference = '$RB'")" = 1 ] && ok \
    || fail "batch --resume recorded a known package again"
expect_exit 64 "$IDPACK" batch --csv "$T/csv/c.csv" --out "$T/batch2" --ledger "$L" --agent ''
expect_exit 65 "$IDPACK" batch --csv "$T/csv/c.csv" --out "$T/batch2" --ledger "$L" --agent $'a\tb'
[ ! -e "$T/batch2" ] && ok || fail "batch with a refused --agent made its folder"

# ---- drop ---------------------------------------------------------------
"$IDPACK" profile set full_name="Mario Rossi" account_email=m@example.com id_type=id_card \
    id_expiry=2031-05-31 lang=en >/dev/null 2>&1 || fail "profile set"
mkdir -p "$T/drop"
cp "$IDP_TESTIMG/sharp.jpg" "$T/drop/front.jpg"
cp "$IDP_TESTIMG/back.jpg" "$T/drop/back.jpg"
LOGNAME=login1 IDPACK_AGENT= expect_exit 0 "$IDPACK" drop --no-notify --date $DATE --ledger "$L" \
    --agent dropper "$T/drop/front.jpg" "$T/drop/back.jpg"
RD=$(ledger_sql "$L" "SELECT reference FROM packages WHERE folder LIKE '%/drop/idpack-package-%'")
[ -n "$RD" ] && [ "$(agent_of "$RD" prepared)" = dropper ] && ok || fail "drop --agent: agent '$(agent_of "$RD" prepared)'"
expect_exit 64 "$IDPACK" drop --no-notify --date $DATE --ledger "$L" --agent '' "$T/drop/front.jpg"

for cmd in build batch drop; do
    expect_exit 0 "$IDPACK" $cmd --help
    expect_grep '[-]-agent NAME' "$T/out" "$cmd --help"
done
finish
