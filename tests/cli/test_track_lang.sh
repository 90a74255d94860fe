#!/usr/bin/env bash
# idpack track speaks English or Italian as the other commands do: --lang,
# else the saved profile's language, else the locale's; its list, show,
# mark and note in either, the same values (references, statuses, times)
# in both, and an unknown --lang refused.
. "$(dirname "$0")/lib.sh"
need_tools sqlite3
L=$(new_ledger l)
write_form "$T/form.txt" "Giulia Bianchi-Verdi" giulia@example.com passport 2031-05-31
unset LC_ALL LC_MESSAGES LANG
expect_exit 0 "$IDPACK" build --front "$IDP_TESTIMG/sharp.jpg" --form "$T/form.txt" --out "$T/pkg" \
    --date 2026-11-26 --ledger "$L" --lang en
REF=$(sed -n 's/^  reference  //p' "$T/out")
[[ $REF =~ ^IDP-[0-9A-Z]{4}-[0-9A-Z]{4}$ ]] && ok || fail "no reference from build: $(head -3 "$T/out")"

# list: the headings in the language, the values as they are
expect_exit 0 "$IDPACK" track list --ledger "$L" --lang it
expect_grep '^RIFERIMENTO +STATO +CREATO +INVIATO +CASO +CLIENTE / ACCOUNT$' "$T/out" "list --lang it"
expect_grep "^$REF +prepared +2026-11-26 " "$T/out" "list --lang it: the row"
expect_exit 0 "$IDPACK" track list --ledger "$L" --lang en
expect_grep '^REFERENCE +STATUS +CREATED +SUBMITTED +CASE +CUSTOMER / ACCOUNT$' "$T/out" "list --lang en"
# the columns line up in both: the reference column is as wide
[ "$(awk 'NR==1{print index($0, "STATO")}' <("$IDPACK" track list --ledger "$L" --lang it))" = \
  "$(awk 'NR==1{print index($0, "STATUS")}' <("$IDPACK" track list --ledger "$L" --lang en))" ] && ok ||
    fail "the Italian headings do not line up with the English"

# the default: the locale's, then the profile's over it
LANG=it_IT.UTF-8 expect_exit 0 "$IDPACK" track list --ledger "$L"
expect_grep '^RIFERIMENTO ' "$T/out" "list in an Italian locale"
LC_ALL=C expect_exit 0 "$IDPACK" track list --ledger "$L"
expect_grep '^REFERENCE ' "$T/out" "list in the C locale"
expect_exit 0 "$IDPACK" profile set lang=it
LC_ALL=C expect_exit 0 "$IDPACK" track list --ledger "$L"
expect_grep '^RIFERIMENTO ' "$T/out" "list with a profile in Italian"
expect_exit 0 "$IDPACK" profile set lang=en
LANG=it_IT.UTF-8 expect_exit 0 "$IDPACK" track list --ledger "$L"
expect_grep '^REFERENCE ' "$T/out" "list with a profile in English, an Italian locale"
LANG=it_IT.UTF-8 expect_exit 0 "$IDPACK" track list --ledger "$L" --lang en
expect_grep '^REFERENCE ' "$T/out" "--lang over the locale"

# mark, note, show
expect_exit 0 "$IDPACK" track mark "$REF" submitted --case CASE-77 --at 2026-11-26T10:00:00Z \
    --ledger "$L" --lang it
expect_grep "^$REF: submitted il 2026-11-26T10:00:00Z \\(caso CASE-77\\)$" "$T/out" "mark --lang it"
expect_exit 0 "$IDPACK" track note "$REF" "chiamato il cliente" --at 2026-11-26T11:00:00Z \
    --ledger "$L" --lang it
expect_grep "^$REF: nota aggiunta il 2026-11-26T11:00:00Z$" "$T/out" "note --lang it"
expect_exit 0 "$IDPACK" track show "$REF" --ledger "$L" --lang it --as-of 2026-11-29T10:00:00Z
expect_grep "^$REF  submitted  IN RITARDO \\(inviato 72 h fa\\)$" "$T/out" "show --lang it: overdue"
expect_grep '^  cliente        -$' "$T/out" "show --lang it: a label"
expect_grep '^  email account  giulia@example\.com$' "$T/out" "show --lang it: a label"
expect_grep '^  caso           CASE-77$' "$T/out" "show --lang it: the case"
expect_grep '^Eventi:$' "$T/out" "show --lang it: events"
expect_grep '^  2026-11-26T10:00:00Z  submitted  caso CASE-77' "$T/out" "show --lang it: an event"
expect_exit 0 "$IDPACK" track show "$REF" --ledger "$L" --lang en --as-of 2026-11-29T10:00:00Z
expect_grep "^$REF  submitted  OVERDUE \\(submitted 72 h ago\\)$" "$T/out" "show --lang en: overdue"
expect_grep '^  account email  giulia@example\.com$' "$T/out" "show --lang en: a label"
expect_grep '^Events:$' "$T/out" "show --lang en: events"
# --json is the same in every language
"$IDPACK" track show "$REF" --ledger "$L" --json --lang it --as-of 2026-11-29T10:00:00Z >"$T/it.json"
"$IDPACK" track show "$REF" --ledger "$L" --json --lang en --as-of 2026-11-29T10:00:00Z >"$T/en.json"
cmp -s "$T/it.json" "$T/en.json" && [ -s "$T/en.json" ] && ok || fail "track show --json differs by language"

# what goes wrong, in Italian
expect_exit 65 "$IDPACK" track show NOT-A-REF --ledger "$L" --lang it
expect_grep "^idpack track show: 'NOT-A-REF' non è un riferimento di pacchetto" "$T/err" "a bad reference"
expect_exit 0 "$IDPACK" track list --ledger "$T/none.sqlite" --lang it
expect_grep '^Nessun pacchetto nel registro .*none\.sqlite \(non esiste ancora\)\.$' "$T/out" "no ledger"
expect_exit 0 "$IDPACK" track list --ledger "$T/none.sqlite" --lang it --status resolved
expect_grep '^Nessun pacchetto corrisponde nel registro ' "$T/out" "no ledger, a filter"
[ ! -e "$T/none.sqlite" ] && ok || fail "track list made a ledger"
expect_exit 66 "$IDPACK" track show "$REF" --ledger "$T/none.sqlite" --lang it
expect_grep 'pacchetto inesistente: il registro .* non esiste ancora$' "$T/err" "show, no ledger"

# refused
expect_exit 64 "$IDPACK" track list --ledger "$L" --lang de
expect_grep "unknown language 'de': the messages are in en, it" "$T/err" "--lang de"
expect_exit 64 "$IDPACK" track list --ledger "$L" --lang it --lang en
expect_grep 'lang given twice' "$T/err" "--lang twice"
finish
