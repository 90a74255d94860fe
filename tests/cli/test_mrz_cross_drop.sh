#!/usr/bin/env bash
# drop --mrz and batch --mrz: the profile and the CSV may leave out id_type
# and id_expiry (the zone gives them); a name the zone contradicts is a
# problem said in idpack-problems.txt (Italian profile) and in the batch's
# reports, with both spellings; neither the document number nor a zone
# line is written anywhere (packages, ledger, problems file, reports).
. "$(dirname "$0")/lib.sh"
need_tools jq pdftotext
PY=$(numpy_python) || { fail "no python3 with numpy and PIL for tests/images/mkmrz.py"; finish; }
MK="$IDP_SRC/tests/images/mkmrz.py"
DATE=2026-11-26
D=$T/photos
mkdir -p "$D"
gen() {
    local name=$1; shift
    "$PY" "$MK" "$D/$name.jpg" "$@" width=1000 height=750 >"$T/$name.txt" || fail "mkmrz.py $name"
}
gen pass td3 seed=3 number=X4R7P0Q12 surname=MUELLER given=ANNA expiry=351130
# a state that writes Ü as U, and a second given name
gen muller td3 seed=11 number=M7Q2R4Z19 surname=MULLER "given=ANNA<MARIA" expiry=310228
SECRETS=(-e X4R7P0Q12 -e M7Q2R4Z19)
while read -r line; do SECRETS+=(-e "$line"); done < <(cat "$T/pass.txt" "$T/muller.txt")
no_secrets() {
    local what=$1; shift
    if grep -r -a -l -F "${SECRETS[@]}" "$@" 2>/dev/null; then
        fail "$what: the document number or a zone line is on disk"
    else ok; fi
}

# ---- drop -------------------------------------------------------------------
expect_exit 0 "$IDPACK" profile set "full_name=Anna Müller" account_email=anna@example.com
expect_exit 0 "$IDPACK" drop --mrz --no-notify --date $DATE "$D/pass.jpg"
pkg=$(find "$D" -maxdepth 1 -type d -name 'idpack-package-*' | head -1)
[ -n "$pkg" ] && [ -f "$pkg/request.pdf" ] && ok || fail "drop --mrz: no package"
[ ! -e "$D/idpack-problems.txt" ] && ok || fail "drop --mrz: a problems file"
# without --mrz: read all the same (the default), the same package
expect_exit 0 "$IDPACK" drop --no-notify --date $DATE "$D/pass.jpg"
[ ! -e "$D/idpack-problems.txt" ] && ok || fail "drop without --mrz: a problems file"
[ "$(find "$D" -maxdepth 1 -type d -name 'idpack-package-*' | wc -l)" -eq 1 ] && ok ||
    fail "drop without --mrz: another package"
# a name that is not the ID's: said in the profile's language, both spellings
expect_exit 0 "$IDPACK" profile set "full_name=Maria Rossi" lang=it
expect_exit 1 "$IDPACK" drop --mrz --no-notify --date $DATE "$D/pass.jpg"
expect_grep "non corrispondono alla zona a lettura ottica" "$D/idpack-problems.txt" "drop: mismatch (it)"
expect_grep 'full_name "Maria Rossi" \(MARIA ROSSI, come lo scrive un documento\)' "$D/idpack-problems.txt" "drop: the form's spelling"
expect_grep "cognome MUELLER, nomi ANNA" "$D/idpack-problems.txt" "drop: the zone's spelling"
no_secrets "drop" "$D" "$T/xdg-data" "$T/xdg-config"
# an ID card dropped back first, its file names saying nothing: the photo
# with the card's zone is taken as the back
mkdir -p "$T/card"
"$PY" "$MK" "$T/card/img1.jpg" td1 seed=4 number=L01X00T47 "surname=KOWALSKA<KWIATKOWSKA" given=LUKASZ \
    expiry=330615 width=1000 height=750 >/dev/null || fail "mkmrz.py img1"
"$PY" "$MK" "$T/card/img2.jpg" front seed=9 blur=0.3 width=1000 height=750 >/dev/null || fail "mkmrz.py img2"
expect_exit 0 "$IDPACK" profile set "full_name=Łukasz Kowalska-Kwiatkowska" lang=en
expect_exit 0 "$IDPACK" drop --mrz --no-notify --date $DATE "$T/card/img1.jpg" "$T/card/img2.jpg"
expect_grep "^  front +.*img2.jpg" "$T/out" "drop: the order corrected by the zone"
expect_grep "^  back +.*img1.jpg" "$T/out" "drop: the order corrected by the zone"
if grep -r -a -l -e L01X00T47 "$T/card" "$T/xdg-data" 2>/dev/null; then fail "drop: the number on disk"; else ok; fi

# ---- batch ------------------------------------------------------------------
# no id_type or id_expiry column; two rows agree (MUELLER and MULLER both
# Müller, given names hyphenated), one does not
cat >"$D/customers.csv" <<'CSV'
customer,front,full_name,account_email
anna,pass.jpg,Anna Müller,anna@example.com
maria,pass.jpg,Maria Rossi,maria@example.com
annamaria,muller.jpg,Anna-Maria Müller,am@example.com
CSV
echo '{"mrz": {"read": 0}}' >"$T/nomrz.json"
expect_exit 65 "$IDPACK" batch --csv "$D/customers.csv" --out "$T/b0" --no-ledger --date $DATE \
    --policy "$T/nomrz.json"
expect_grep 'no "id_type" column' "$T/err" "batch with mrz.read 0"
expect_exit 1 "$IDPACK" batch --mrz --csv "$D/customers.csv" --out "$T/b1" -j 2 --date $DATE --lang en
for c in anna annamaria; do
    jq -e --arg c $c '[.rows[] | select(.customer == $c)][0].status == "ok"' "$T/b1/report.json" >/dev/null &&
        ok || fail "batch --mrz: row $c, which agrees with its zone, failed"
done
expect_grep "valid until 28 February 2031" <(pdftotext "$T/b1/annamaria/request.pdf" - | tr '\n' ' ') "batch: id_expiry from the zone"
jq -r '[.rows[] | select(.customer == "maria")][0].reasons[]' "$T/b1/report.json" >"$T/reasons" 2>/dev/null
expect_grep 'full_name "Maria Rossi" \(MARIA ROSSI, as an ID writes it\) is not the name in the machine-readable zone of pass.jpg: surname MUELLER, given names ANNA' "$T/reasons" "batch: mismatch reason"
expect_grep "surname MUELLER" "$T/b1/report.csv" "batch: report.csv"
no_secrets "batch" "$T/b1" "$T/xdg-data"
finish
