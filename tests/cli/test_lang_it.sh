#!/usr/bin/env bash
# With the language set to Italian (profile lang=it, --lang it) every
# sentence the tool writes is Italian: a known English sentence anywhere in
# the output of these commands is a failure.
. "$(dirname "$0")/lib.sh"
unset SOURCE_DATE_EPOCH
FRONT=$IDP_TESTIMG/sharp.jpg
BACK=$IDP_TESTIMG/back.jpg
ENGLISH='Saved in|Profile:|Complete:|Missing for|Package written|Nothing was|not a |not one of|is required|required but|has expired|is missing|the file is empty|corrupt|Premature|cannot be read|does not exist|No such file|  reference |  front |  back |  date |  files |Your details|Open a terminal|These problems|could not make'
all=$T/all.txt
: >"$all"
run() { # EXIT CMD...: runs it, keeps both outputs for the English hunt
    expect_exit "$@"
    { cat "$T/out" "$T/err"; } >>"$all"
}
run 65 "$IDPACK" profile set lang=it full_name="Mario Rossi" account_email=mario@example.it \
    id_type=carta id_expiry=31/12/2030
grep -q 'id_type (Tipo di documento): non è uno di' "$T/err" && ok || fail "profile set: bad id_type not reported in Italian"
run 65 "$IDPACK" profile set lang=it full_name="Mario Rossi" account_email=mario@ \
    id_type=carta id_expiry=2020-01-01 phone=x
expect_grep 'account_email \(Email dell.account\): non è un indirizzo email' "$T/err" "profile set: email"
expect_grep 'phone \(Numero di telefono\): non è un numero di telefono' "$T/err" "profile set: phone"
expect_grep 'id_type \(Tipo di documento\): non è uno di' "$T/err" "profile set: id_type"
expect_grep 'Non è stato salvato nulla' "$T/err" "profile set: nothing saved"
run 0 "$IDPACK" profile set lang=it full_name="Mario Rossi" account_email=mario@example.it \
    id_type=id_card id_expiry=31/12/2030
expect_grep '^Salvato in ' "$T/out" "profile set"
run 0 "$IDPACK" profile show
expect_grep '^Completo' "$T/out" "profile show"

mkdir -p "$T/one" "$T/two" "$T/bad"
cp "$FRONT" "$T/one/fronte.jpg"
run 65 "$IDPACK" drop --no-notify --no-ledger --date 2026-11-26 "$T/one/fronte.jpg"
expect_grep 'manca il retro' "$T/one/idpack-problems.txt" "drop: one photo of an ID card"
cat "$T/one/idpack-problems.txt" >>"$all"
cp "$FRONT" "$T/two/fronte.jpg"; cp "$BACK" "$T/two/retro.jpg"
run 0 "$IDPACK" drop --no-notify --no-ledger --date 2026-11-26 "$T/two/fronte.jpg" "$T/two/retro.jpg"
expect_grep '^Pacchetto scritto' "$T/out" "drop: package written"
# the same photos dropped again: the same package, said in Italian too
run 0 "$IDPACK" drop --no-notify --no-ledger --date 2026-11-26 "$T/two/fronte.jpg" "$T/two/retro.jpg"
expect_grep '^  riferimento  IDP-' "$T/out" "drop again: the reference"
expect_grep '^  retro        ' "$T/out" "drop again: the back"
: >"$T/bad/fronte.jpg"; cp "$BACK" "$T/bad/retro.jpg"
run 65 "$IDPACK" drop --no-notify --no-ledger --date 2026-11-26 "$T/bad/fronte.jpg" "$T/bad/retro.jpg"
cat "$T/bad/idpack-problems.txt" >>"$all"

run 0 "$IDPACK" build --lang it --front "$FRONT" --back "$BACK" --set full_name="Mario Rossi" \
    --set account_email=mario@example.it --set id_type=id_card --set id_expiry=31/12/2030 \
    --out "$T/pkg" --date 2026-11-26 --no-ledger
run 65 "$IDPACK" build --lang it --front "$FRONT" --set account_email=x --set id_type=id_card \
    --set id_expiry=2031-02-30 --out "$T/pkg2" --date 2026-11-26 --no-ledger
expect_grep 'full_name \(Nome e cognome\) è obbligatorio' "$T/err" "build: missing field"
run 65 "$IDPACK" build --lang it --front "$T/bad/fronte.jpg" --back "$BACK" --set full_name="Mario Rossi" \
    --set account_email=mario@example.it --set id_type=id_card --set id_expiry=31/12/2030 \
    --out "$T/pkg3" --date 2026-11-26 --no-ledger
expect_grep 'illeggibile' "$T/err" "build: unreadable photo"
run 65 "$IDPACK" check --lang it "$T/bad/fronte.jpg" "$IDP_TESTIMG/truncated.jpg"
expect_grep 'illeggibile' "$T/out" "check: unreadable"
run 66 "$IDPACK" check --lang it "$T/nosuch.jpg"

# check writes messages only, and they exist in en and it: de is refused, not
# answered in English
expect_exit 64 "$IDPACK" check --lang de "$FRONT"
expect_grep 'messages are in en, it' "$T/err" "check --lang de"

if grep -E -n -- "$ENGLISH" "$all" >"$T/english"; then
    fail "English with lang=it:"; sed 's/^/  | /' "$T/english" >&2
else ok; fi
finish
