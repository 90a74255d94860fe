#!/usr/bin/env bash
# The letter says what is true: the documents given (a passport's data
# page; front and back of the others, refused without the back), the
# country by name, the new phone to register, "today" on the seller's own
# calendar, and one page at the longest allowed fields in every language
# and paper size.
. "$(dirname "$0")/lib.sh"
need_tools pdftotext pdfinfo
unset SOURCE_DATE_EPOCH
FRONT=$IDP_TESTIMG/sharp.jpg
BACK=$IDP_TESTIMG/back.jpg
base=(--set full_name="Erika Mustermann" --set account_email=erika@example.com --no-ledger)
letter() { pdftotext -l 1 "$1/request.pdf" - 2>/dev/null | tr '\n' ' ' | tr -s ' '; }
pages_of_letter() { # the footer of the letter's last page says n/N with N = letter + photos
    pdftotext -f 1 -l 1 "$1/request.pdf" - | grep -oE '[0-9]+/[0-9]+' | tail -1
}

# ---- documents --------------------------------------------------------------
expect_exit 65 "$IDPACK" build --front "$FRONT" "${base[@]}" --set id_type=id_card \
    --set id_expiry=2031-05-31 --out "$T/noback" --date 2026-11-26
expect_grep 'back of the document \(identity card\) is missing.*photograph the back too and add it \(--back PHOTO\)$' \
    "$T/err" "ID card without its back: build's own option added"
[ ! -e "$T/noback" ] && ok || fail "a refused build left a folder"
expect_exit 65 "$IDPACK" build --lang it --front "$FRONT" "${base[@]}" --set id_type=driving_licence \
    --set id_expiry=2031-05-31 --out "$T/noback" --date 2026-11-26
expect_grep 'manca il retro del documento \(patente di guida\).*aggiungilo \(--back FOTO\)$' "$T/err" \
    "licence without its back (it)"
expect_exit 65 "$IDPACK" build --front "$FRONT" --back "$BACK" "${base[@]}" --set id_type=passport \
    --set id_expiry=2031-05-31 --out "$T/twopass" --date 2026-11-26
expect_grep 'passport needs one photo only.*leave out the second photo \(--back\)$' "$T/err" \
    "a passport with two photos"

for lang in en it de fr es; do
    expect_exit 0 "$IDPACK" build --lang $lang --front "$FRONT" "${base[@]}" --set id_type=passport \
        --set id_expiry=2031-05-31 --set country=GB --out "$T/pass-$lang" --date 2026-11-26
    letter "$T/pass-$lang" >"$T/pass-$lang.txt"
    expect_exit 0 "$IDPACK" build --lang $lang --front "$FRONT" --back "$BACK" "${base[@]}" \
        --set id_type=residence_permit --set id_expiry=2031-05-31 --set country=DE \
        --out "$T/card-$lang" --date 2026-11-26
    letter "$T/card-$lang" >"$T/card-$lang.txt"
done
while read -r lang both page gb de cap; do
    both=${both//_/ }; page=${page//_/ }; gb=${gb//_/ }
    expect_no_grep "$both" "$T/pass-$lang.txt" "$lang passport letter"
    expect_grep "$page" "$T/pass-$lang.txt" "$lang passport letter"
    expect_grep "$both" "$T/card-$lang.txt" "$lang residence permit letter"
    expect_no_grep "$page" "$T/card-$lang.txt" "$lang residence permit letter"
    expect_grep "$gb" "$T/pass-$lang.txt" "$lang country name"
    expect_grep "$de" "$T/card-$lang.txt" "$lang country name"
    expect_no_grep ': GB |: DE ' "$T/pass-$lang.txt" "$lang country code"
    # the photo's page says what it shows: a passport's data page, a card's front
    pdftotext -f 2 -l 2 "$T/pass-$lang/request.pdf" "$T/pass-$lang.p2.txt"
    pdftotext -f 2 -l 2 "$T/card-$lang/request.pdf" "$T/card-$lang.p2.txt"
    expect_grep "${cap//_/ }" "$T/pass-$lang.p2.txt" "$lang passport photo page"
    expect_no_grep "${cap//_/ }" "$T/card-$lang.p2.txt" "$lang residence permit photo page"
done <<'WORDS'
en front_and_back data_page United_Kingdom Germany Passport_-_data_page
it fronte_e_retro pagina_dei_dati Regno_Unito Germania Passaporto_-_pagina_dei_dati
de Vorder-_und_Rückseite Datenseite Vereinigtes_Königreich Deutschland Reisepass_-_Datenseite
fr recto_et_verso page_de_données Royaume-Uni Allemagne Passeport_-_page_des_données
es anverso_y_reverso página_de_datos Reino_Unido Alemania Pasaporte_-_página_de_datos
WORDS

# ---- the new phone to register ------------------------------------------------
expect_exit 0 "$IDPACK" build --front "$FRONT" "${base[@]}" --set id_type=passport \
    --set id_expiry=2031-05-31 --set phone="+44 20 7946 0958" --set new_phone="+39 333 123 4567" \
    --out "$T/newphone" --date 2026-11-26
letter "$T/newphone" >"$T/newphone.txt"
expect_grep 'register for two-step verification is \+39 333 123 4567' "$T/newphone.txt" "new phone"
expect_grep 'my phone number is \+44 20 7946 0958' "$T/newphone.txt" "phone to reach"
expect_exit 65 "$IDPACK" build --front "$FRONT" "${base[@]}" --set id_type=passport \
    --set id_expiry=2031-05-31 --set new_phone=12 --out "$T/badphone" --date 2026-11-26
expect_grep 'new_phone \(New phone number for two-step verification\): not a phone number' "$T/err" "bad new phone"

# ---- every error at once, dates per language -------------------------------------
expect_exit 65 "$IDPACK" build --front "$FRONT" --set full_name="Erika Mustermann" \
    --set account_email=nope --set id_type=spaceship --set id_expiry=2031-02-30 --set phone=x \
    --out "$T/bad3" --date 2026-11-26 --no-ledger
for k in account_email id_type id_expiry phone; do expect_grep "$k \(" "$T/err" "all errors: $k"; done
expect_no_grep 'nope|spaceship' "$T/err" "a value quoted"
expect_exit 65 "$IDPACK" build --lang it --front "$FRONT" --set full_name="Mario Rossi" \
    --set account_email=nope --set id_type=passport --set id_expiry=2031-02-30 \
    --out "$T/bad3" --date 2026-11-26 --no-ledger
expect_grep 'account_email \(Email dell.account\): non è un indirizzo email' "$T/err" "Italian field error"
expect_grep 'id_expiry \(Scadenza del documento\): non è una data reale' "$T/err" "Italian date error"
expect_no_grep 'not a|missing|required' "$T/err" "English in an Italian field error"
expect_exit 0 "$IDPACK" build --lang it --front "$FRONT" "${base[@]}" --set id_type=passport \
    --set id_expiry=31/12/2030 --out "$T/itdate" --date 2026-11-26
expect_grep 'valido fino al 31 dicembre 2030' <(letter "$T/itdate") "Italian dd/mm/yyyy"
expect_exit 65 "$IDPACK" build --front "$FRONT" "${base[@]}" --set id_type=passport \
    --set id_expiry=03/04/2031 --out "$T/endate" --date 2026-11-26
expect_grep 'day/month or month/day' "$T/err" "ambiguous English date"

# batch: a row with three bad fields gives three reasons, none quoting a
# value; a row with an ID card and no back fails saying so
mkdir -p "$T/b/photos"; cp "$FRONT" "$T/b/photos/f.jpg"; cp "$BACK" "$T/b/photos/b.jpg"
cat >"$T/b/c.csv" <<'CSV'
customer,full_name,account_email,id_type,id_expiry,new_phone,front,back
Three,Tre Errori,nope,spaceship,2031-02-30,+39 333 123 4567,photos/f.jpg,photos/b.jpg
NoBack,Solo Fronte,solo@example.com,id_card,31/12/2030,,photos/f.jpg,
Fine,Tutto Bene,bene@example.com,id_card,31/12/2030,+39 333 123 4567,photos/f.jpg,photos/b.jpg
CSV
expect_exit 1 "$IDPACK" batch --lang it --no-ledger -j 1 --date 2026-11-26 --out "$T/b/out" --csv "$T/b/c.csv"
/usr/bin/python3 - "$T/b/out/report.json" <<'PY' && ok || fail "batch: every error of a row, back missing, Italian dates"
import json, sys
rows = {r["customer"]: r for r in json.load(open(sys.argv[1]))["rows"]}
three = " | ".join(rows["Three"]["reasons"])
assert len(rows["Three"]["reasons"]) >= 3, rows["Three"]
for k in ("account_email", "id_type", "id_expiry"):
    assert k + " (" in three, (k, three)
assert "nope" not in three and "spaceship" not in three, three
noback = " ".join(rows["NoBack"]["reasons"])
assert "manca il retro" in noback and noback.endswith("aggiungilo (la colonna back del CSV)"), noback
assert "--back" not in noback, noback
assert rows["Fine"]["status"] == "ok", rows["Fine"]
PY

# ---- today is the seller's day -------------------------------------------------
# 02:00 UTC on 4 December is 18:00 on 3 December in Los Angeles: an ID that
# expires on 3 December is still valid there, and the letter is dated the 3rd.
export IDPACK_NOW=2026-12-04T02:00:00Z
TZ=America/Los_Angeles expect_exit 0 "$IDPACK" build --json --front "$FRONT" "${base[@]}" \
    --set id_type=passport --set id_expiry=2026-12-03 --out "$T/la"
/usr/bin/python3 - "$T/out" <<'PY' && ok || fail "build --json today in Los Angeles"
import json, sys
j = json.load(open(sys.argv[1]))
assert j["today"]["date"] == "2026-12-03", j["today"]
assert "-0800" in j["today"]["zone"], j["today"]
PY
expect_grep 'Date: 3 December 2026' <(letter "$T/la") "the letter's date in Los Angeles"
expect_grep 'idpack-package|IDP-' "$T/out" "la json"
TZ=UTC expect_exit 1 "$IDPACK" build --front "$FRONT" "${base[@]}" --set id_type=passport \
    --set id_expiry=2026-12-03 --out "$T/utc"
expect_grep 'expired.*2026-12-04' "$T/err" "expired in UTC"
# 23:30 UTC on 3 December is already 4 December in Rome.
IDPACK_NOW=2026-12-03T23:30:00Z TZ=Europe/Rome expect_exit 1 "$IDPACK" build --front "$FRONT" \
    "${base[@]}" --set id_type=passport --set id_expiry=2026-12-03 --out "$T/rome"
IDPACK_NOW=nonsense expect_exit 64 "$IDPACK" build --front "$FRONT" "${base[@]}" \
    --set id_type=passport --set id_expiry=2031-12-03 --out "$T/bad-now"
unset IDPACK_NOW

# ---- one page at the limits ---------------------------------------------------------
W100=$(printf 'WMW%.0s' {1..40} | head -c 100)
/usr/bin/python3 - "$IDP_SRC/src/fill/idp_countries.c" >"$T/longest" <<'PY'
import re, sys
rows = re.findall(r'\{"([A-Z]{2})", \{(.*)\}\},', open(sys.argv[1], encoding="utf-8").read())
for i, lang in enumerate(["en", "it", "de", "fr", "es"]):
    best = max(rows, key=lambda r: len(re.findall(r'"((?:[^"\\]|\\.)*)"', r[1])[i]))
    print(lang, best[0])
PY
words() { /usr/bin/python3 -c 'import sys; n=int(sys.argv[1]); w="WMWMWMWMW MWMWMW WMWMWMWMWM "; print((w*50)[:n].strip().ljust(n,"W"))' "$1"; }
LOCAL=$(printf 'w%.0s' {1..64}); DOMAIN=$(printf "m%.0s" {1..59})
# the longest phone numbers allowed: 15 digits, a separator between each
PHONE_DASHES="+1-2-3-4-5-6-7-8-9-0-1-2-3-4-5" PHONE_SPACES="+9 8 7 6 5 4 3 2 1 0 9 8 7 6 5"
EMAIL="$LOCAL@$DOMAIN.$DOMAIN.$DOMAIN.example"
while read -r lang code; do
    for paper in a4 letter; do
        o=$T/long-$lang-$paper
        expect_exit 0 "$IDPACK" build --lang $lang --paper $paper --front "$FRONT" --back "$BACK" --no-ledger \
            --set full_name="$(words 100)" --set account_email="$EMAIL" --set id_type=residence_permit \
            --set id_expiry=2031-12-31 --set phone="$PHONE_DASHES" --set new_phone="$PHONE_SPACES" \
            --set business_name="$(words 120)" --set store_name="$(words 120)" --set seller_id=AWWWWWWWWWWWWWW \
            --set marketplace=amazon.com.mx --set country=$code --set reason="$(words 300)" \
            --set steps_tried=email_password_checked,no_pasted_spaces,latest_code_only,cookies_cleared,other_browser_device,account_email_confirmed,password_reset_tried \
            --out "$o" --date 2026-11-26
        # letter + front + back = 3 pages; the letter's footer says 1/3
        [ "$(pages_of_letter "$o")" = "1/3" ] && ok || fail "$lang $paper: the letter at the limits is not one page ($(pages_of_letter "$o"))"
        [ "$(pdfinfo "$o/request.pdf" 2>/dev/null | awk '/^Pages:/ {print $2}')" = 3 ] && ok || fail "$lang $paper: not 3 pages"
        # each phone number whole on one line of the letter (never broken
        # at a space or a dash), its spaces plain spaces in the text
        pdftotext -layout -f 1 -l 1 "$o/request.pdf" "$T/layout.txt"
        for ph in "$PHONE_DASHES" "$PHONE_SPACES"; do
            grep -q -F -- "$ph" "$T/layout.txt" && ok || fail "$lang $paper: the phone $ph is not on one line: $(grep -n -F -- "${ph:0:4}" "$T/layout.txt")"
        done
    done
done <"$T/longest"
finish
