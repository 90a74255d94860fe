#!/usr/bin/env bash
# build --mrz: the form cross-checked against the machine-readable zone of
# generated passport pages and ID backs (tests/images/mkmrz.py): id_type and
# id_expiry left out are filled from the zone (the letter says them); a name
# written another way the ICAO way passes; a wrong name, expiry or type
# fails with the zone's answer, in English and Italian; the policy relaxes
# the name; a card's back given as the front is reported as swapped; the
# document number and the zone's lines are in no file written.
. "$(dirname "$0")/lib.sh"
need_tools pdftotext
PY=$(numpy_python) || { fail "no python3 with numpy and PIL for tests/images/mkmrz.py"; finish; }
MK="$IDP_SRC/tests/images/mkmrz.py"
DATE=2026-11-26
# Small photos (1000 x 750): the reader costs seconds a photo.
gen() {
    local name=$1; shift
    "$PY" "$MK" "$T/$name.jpg" "$@" width=1000 height=750 >"$T/$name.txt" || fail "mkmrz.py $name"
}
gen pass td3 seed=3 number=X4R7P0Q12 surname=MUELLER given=ANNA expiry=351130
gen back td1 seed=4 number=L01X00T47 "surname=KOWALSKA<KWIATKOWSKA" given=LUKASZ expiry=330615
gen front front seed=9 blur=0.3 "surname=KOWALSKA<KWIATKOWSKA" given=LUKASZ
SECRETS=(-e X4R7P0Q12 -e L01X00T47)
for f in pass back; do
    while read -r line; do SECRETS+=(-e "$line"); done <"$T/$f.txt"
done
# no_secrets WHAT PATH...: neither number nor any zone line in these files
no_secrets() {
    local what=$1; shift
    if grep -r -a -l -F "${SECRETS[@]}" "$@" 2>/dev/null; then
        fail "$what: a document number or a zone line is on disk"
    else ok; fi
}
build() { "$IDPACK" build --mrz --date $DATE "$@"; }
# letter PKG: the letter's text on one line (pdftotext wraps it)
letter() { pdftotext "$1/request.pdf" - | tr '\n' ' ' >"$1.txt"; }

# 1. A passport, id_type and id_expiry left out, the name as the seller
#    writes it (Müller, surname first): filled from the zone.
cat >"$T/anna.txt" <<'FORM'
full_name = Müller Anna
account_email = anna@example.com
FORM
expect_exit 0 build --front "$T/pass.jpg" --form "$T/anna.txt" --out "$T/p1" --json
letter "$T/p1"
expect_grep "data page of my passport" "$T/p1.txt" "letter: id_type from the zone"
expect_grep "valid until 30 November 2035" "$T/p1.txt" "letter: id_expiry from the zone"
expect_grep "My name is Müller Anna" "$T/p1.txt" "letter: the name as written"
no_secrets "build" "$T/p1" "$T/xdg-data"
[ -n "$(find "$T/xdg-data" -name '*.sqlite' 2>/dev/null)" ] && ok || fail "no ledger written to search"
# --json shows the number masked, never whole
expect_grep '"document_number": *"\*\*\*\*\*\*Q12"' "$T/out" "build --json: masked number"
no_secrets "build output" "$T/out" "$T/err"
# without --mrz: read all the same (the default)
expect_exit 0 "$IDPACK" build --front "$T/pass.jpg" --form "$T/anna.txt" --out "$T/p0" --no-ledger
# with reading off (policy mrz.read 0) the fields are required, as before
echo '{"mrz": {"read": 0}}' >"$T/nomrz.json"
expect_exit 65 "$IDPACK" build --front "$T/pass.jpg" --form "$T/anna.txt" --out "$T/p00" --no-ledger \
    --policy "$T/nomrz.json"
expect_grep "id_expiry" "$T/err" "build with mrz.read 0"

# 1b. A zone whose name shows a letter the template reader is measured to
#    make of another (F for E: "KFTTY" printed, as read of a KETTY): built,
#    with the warning; a letter it is not measured to make (F for I) fails.
gen kfz td3 seed=5 surname=MAUS given=KFTTY expiry=351130
printf 'full_name = Ketty Maus\naccount_email = k@example.com\n' >"$T/ketty.txt"
expect_exit 0 build --front "$T/kfz.jpg" --form "$T/ketty.txt" --out "$T/pk" --no-ledger
expect_grep "^Warning: one letter of the name on the ID .* could not be read with certainty" \
    "$T/out" "build: the misread letter's warning"
expect_exit 0 build --front "$T/kfz.jpg" --form "$T/ketty.txt" --out "$T/pk-it" --no-ledger --lang it
expect_grep "^Attenzione: .*non si è potuta leggere con certezza" "$T/out" "build: the warning in Italian"
expect_exit 0 build --front "$T/kfz.jpg" --form "$T/ketty.txt" --out "$T/pk2" --no-ledger --json
jq -e '.warnings | length == 1 and (.[0] | test("could not be read with certainty"))' "$T/out" \
    >/dev/null && ok || fail "build --json: no warning for the misread letter"
expect_exit 0 build --front "$T/pass.jpg" --form "$T/anna.txt" --out "$T/pk3" --no-ledger --json
jq -e '.warnings == []' "$T/out" >/dev/null && ok || fail "build --json: a warning for an exact name"
printf 'full_name = Kitty Maus\naccount_email = k@example.com\n' >"$T/kitty.txt"
expect_exit 1 build --front "$T/kfz.jpg" --form "$T/kitty.txt" --out "$T/pk4" --no-ledger
expect_grep "given names KFTTY" "$T/err" "a letter the reader does not make of another"

# 2. A form the zone contradicts: name, type and expiry, each with the
#    zone's answer; the form's expiry is not quoted; nothing written.
write_form "$T/bad.txt" "Maria Rossi" anna@example.com id_card 2035-11-03
expect_exit 1 build --front "$T/pass.jpg" --form "$T/bad.txt" --out "$T/p2" --no-ledger
expect_grep 'full_name "Maria Rossi" \(MARIA ROSSI, as an ID writes it\) is not the name in the machine-readable zone of .*pass.jpg: surname MUELLER, given names ANNA' "$T/err" "name mismatch"
expect_grep "id_type is id_card, but the machine-readable zone of .*pass.jpg says passport" "$T/err" "type mismatch"
expect_grep "set id_expiry=2035-11-30" "$T/err" "expiry mismatch"
expect_no_grep "2035-11-03" "$T/err" "expiry mismatch"
[ ! -e "$T/p2" ] && ok || fail "a package was written despite the mismatch"
no_secrets "mismatch message" "$T/err"
expect_exit 1 build --lang it --front "$T/pass.jpg" --form "$T/bad.txt" --out "$T/p2" --no-ledger
expect_grep "non è il nome nella zona a lettura ottica di .*pass.jpg: cognome MUELLER, nomi ANNA" "$T/err" "name mismatch (it)"
expect_grep "id_type è id_card, ma la zona a lettura ottica di .*pass.jpg indica passport" "$T/err" "type mismatch (it)"
expect_grep "imposta id_expiry=2035-11-30" "$T/err" "expiry mismatch (it)"

# 3. The policy relaxes the name only.
printf 'full_name = Maria Rossi\naccount_email = anna@example.com\n' >"$T/rossi.txt"
echo '{"mrz": {"read": 1, "name_match": 0}}' >"$T/relaxed.json"
expect_exit 0 "$IDPACK" build --policy "$T/relaxed.json" --date $DATE --front "$T/pass.jpg" \
    --form "$T/rossi.txt" --out "$T/p3" --no-ledger

# 4. An ID card: the zone on the back, a two-part surname and Ł.
cat >"$T/lukasz.txt" <<'FORM'
full_name = Łukasz Kowalska-Kwiatkowska
account_email = lukasz@example.com
FORM
expect_exit 0 build --front "$T/front.jpg" --back "$T/back.jpg" --form "$T/lukasz.txt" --out "$T/p4" --no-ledger
letter "$T/p4"
expect_grep "photo ID \(identity card\), front and back, valid until 15 June 2033" "$T/p4.txt" "letter: card fields from the zone"
no_secrets "build (card)" "$T/p4"

# 5. The back given as the front: probably swapped.
expect_exit 1 build --front "$T/back.jpg" --back "$T/front.jpg" --form "$T/lukasz.txt" --out "$T/p5" --no-ledger
expect_grep "back.jpg, given as the front, shows a machine-readable zone .* probably swapped\. Give them the other way round \(--front and --back\)$" "$T/err" "swapped"
[ ! -e "$T/p5" ] && ok || fail "a package was written from swapped photos"
finish
