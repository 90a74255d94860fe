#!/usr/bin/env bash
# idpack profile and idpack drop: the saved details, front/back from the
# file names or the order, the package next to the photos, never replacing
# one, and idpack-problems.txt in the profile's language when something
# is wrong.
. "$(dirname "$0")/lib.sh"
command -v sha256sum >/dev/null || { fail "sha256sum is not installed"; finish; }
DATE=2026-11-26
SHARP=$IDP_TESTIMG/sharp.jpg
BACK=$IDP_TESTIMG/back.jpg
PROFILE=$XDG_CONFIG_HOME/idpack/profile.ini
hash() { sha256sum "$1" 2>/dev/null | cut -d' ' -f1; }
# A fake notify-send that records its arguments, first on PATH.
mkdir -p "$T/bin"
cat >"$T/bin/notify-send" <<EOF
#!/bin/sh
printf '%s\n' "\$*" >>"$T/notify.log"
EOF
chmod +x "$T/bin/notify-send"
export PATH="$T/bin:$PATH"
drop() { "$IDPACK" drop --date $DATE "$@"; }

# ---- profile ------------------------------------------------------------
expect_exit 0 "$IDPACK" profile path
[ "$(cat "$T/out")" = "$PROFILE" ] && ok || fail "profile path is '$(cat "$T/out")', expected $PROFILE"
(unset XDG_CONFIG_HOME; HOME=$T/home "$IDPACK" profile path) >"$T/out2" 2>&1
[ "$(cat "$T/out2")" = "$T/home/.config/idpack/profile.ini" ] && ok || fail "profile path without XDG_CONFIG_HOME: $(cat "$T/out2")"
expect_exit 66 "$IDPACK" profile show
expect_grep 'profile set' "$T/err" "profile show without a profile"
expect_exit 64 "$IDPACK" profile frobnicate
expect_exit 64 "$IDPACK" profile set nonsense
# the same message as build for a malformed value, and nothing saved
expect_exit 65 "$IDPACK" profile set full_name="Erika Mustermann" account_email=bob@
expect_grep "account_email \(Account email\): not an email address" "$T/err" "profile set bad email"
[ ! -e "$PROFILE" ] && ok || fail "a rejected set wrote the profile"
"$IDPACK" build --front "$SHARP" --set full_name=X --set account_email=bob@ --set id_type=id_card \
    --set id_expiry=2031-05-31 --out "$T/nopkg" >/dev/null 2>"$T/build.err" || true
grep -o "account_email (Account email): not an email address" "$T/build.err" >/dev/null \
    && ok || fail "build does not say the same as profile set: $(cat "$T/build.err")"
expect_exit 65 "$IDPACK" profile set colour=blue
expect_grep "unknown field 'colour'" "$T/err" "profile set unknown key"
expect_exit 65 "$IDPACK" profile set lang=klingon
expect_exit 1 "$IDPACK" profile set id_expiry=2001-01-01
expect_grep 'expired' "$T/err" "profile set expired"
# a partial profile is fine
expect_exit 0 "$IDPACK" profile set "full_name = Erika Mustermann" account_email=erika@example.com
[ "$(stat -c %a "$PROFILE" 2>/dev/null)" = 600 ] && ok || fail "profile.ini is not mode 0600"
[ "$(stat -c %a "$(dirname "$PROFILE")" 2>/dev/null)" = 700 ] && ok || fail "the profile folder is not mode 0700"
expect_grep '^full_name = Erika Mustermann$' "$PROFILE"
expect_exit 0 "$IDPACK" profile show --json
python3 - "$T/out" <<'PY' && ok || fail "profile show --json: $(cat "$T/out")"
import json, sys
p = json.load(open(sys.argv[1]))
assert p["fields"]["full_name"] == "Erika Mustermann", p
assert p["missing"] == ["id_type", "id_expiry"], p
assert p["complete"] is False and p["lang"] is None, p
PY

# ---- drop with a partial profile: the missing fields, named -----------------
mkdir -p "$T/partial"
cp "$SHARP" "$T/partial/front.jpg"; cp "$BACK" "$T/partial/back.jpg"
expect_exit 65 drop "$T/partial/front.jpg" "$T/partial/back.jpg"
P=$T/partial/idpack-problems.txt
[ -f "$P" ] && ok || fail "no idpack-problems.txt for a partial profile"
expect_grep 'id_type' "$P"; expect_grep 'id_expiry' "$P"
expect_no_grep 'full_name' "$P" "problems of a profile that has full_name"
[ "$(stat -c %a "$P" 2>/dev/null)" = 600 ] && ok || fail "idpack-problems.txt is not mode 0600"
[ -z "$(ls -d "$T"/partial/idpack-package-* 2>/dev/null)" ] && ok || fail "a package was written for a partial profile"
expect_grep 'idpack-problems.txt' "$T/notify.log" "the notification"
expect_no_grep 'Erika|erika@' "$T/notify.log" "the notification (personal data)"

# ---- no profile at all ------------------------------------------------------
mv "$PROFILE" "$T/profile.saved"
expect_exit 66 drop "$T/partial/front.jpg" "$T/partial/back.jpg"
expect_grep 'idpack profile set' "$T/partial/idpack-problems.txt" "problems without a profile"
mv "$T/profile.saved" "$PROFILE"
expect_exit 0 "$IDPACK" profile set id_type=id_card id_expiry=2031-05-31
expect_exit 0 "$IDPACK" profile unset id_expiry
expect_no_grep 'id_expiry' "$PROFILE"
expect_exit 0 "$IDPACK" profile set id_expiry=2031-05-31
expect_exit 0 "$IDPACK" profile show
expect_grep 'Complete' "$T/out" "profile show of a complete profile"

# ---- which photo is the front: reference hashes from explicit builds --------
expect_exit 0 "$IDPACK" build --front "$SHARP" --back "$BACK" --set full_name=X \
    --set account_email=x@example.com --set id_type=id_card --set id_expiry=2031-05-31 \
    --out "$T/ref" --date $DATE
HS=$(hash "$T/ref/id-front.jpg"); HB=$(hash "$T/ref/id-back.jpg")
[ -n "$HS" ] && [ "$HS" != "$HB" ] && ok || fail "reference package missing"
n=0
# case: FIRST-NAME FIRST-CONTENT SECOND-NAME SECOND-CONTENT EXPECTED-FRONT-CONTENT
while read -r a ca b cb want; do
    n=$((n + 1)); d=$T/case$n; mkdir -p "$d"
    [ "$ca" = S ] && cp "$SHARP" "$d/$a" || cp "$BACK" "$d/$a"
    [ "$cb" = S ] && cp "$SHARP" "$d/$b" || cp "$BACK" "$d/$b"
    expect_exit 0 drop "$d/$a" "$d/$b"
    got=$(hash "$d/idpack-package-$DATE/id-front.jpg")
    [ "$want" = S ] && w=$HS || w=$HB
    [ "$got" = "$w" ] && ok || fail "drop $a $b: id-front.jpg is not the $want photo"
done <<'CASES'
retro.jpg B fronte.jpg S S
ID_fronte.jpg S ID_retro.jpg B S
scan-BACK-2.JPG B x.jpg S S
a.jpg B Vorderseite.jpg S S
Rückseite.jpg B b.jpg S S
RÜCKSEITE.jpg B b.jpg S S
rueckseite.jpg B anverso.jpg S S
ruckseite.jpg B c.jpg S S
verso.jpg B recto.jpg S S
reverso.jpg B d.jpg S S
retro-2.JPG B IMG_1.jpg S S
one.jpg S two.jpg B S
two.jpg B one.jpg S B
backyard.jpg S z.jpg B S
z.jpg S frontier.jpg B S
front-and-back.jpg B z.jpg S B
CASES

# a single photo: refused for an ID card (its back is missing, in the
# profile's language), the front of a passport
mkdir -p "$T/single"; cp "$SHARP" "$T/single/passport.jpg"
expect_exit 65 drop "$T/single/passport.jpg"
expect_grep 'back of the document .* is missing' "$T/single/idpack-problems.txt" "one photo of an ID card"
expect_exit 0 "$IDPACK" profile set lang=it
expect_exit 65 drop "$T/single/passport.jpg"
expect_grep 'manca il retro del documento' "$T/single/idpack-problems.txt" "one photo of an ID card (it)"
expect_exit 0 "$IDPACK" profile set lang=en id_type=passport
expect_exit 0 drop "$T/single/passport.jpg"
[ "$(hash "$T/single/idpack-package-$DATE/id-front.jpg")" = "$HS" ] && ok || fail "single photo not the front"
[ ! -e "$T/single/idpack-package-$DATE/id-back.jpg" ] && ok || fail "single photo made a back"
expect_exit 65 drop "$T/case1/one.jpg" "$T/case1/two.jpg"
expect_grep 'passport needs one photo only' "$T/case1/idpack-problems.txt" "two photos of a passport"
expect_exit 0 "$IDPACK" profile set id_type=id_card

# ---- never overwrites; success removes a stale problems file ------------------
d=$T/case1
before=$(hash "$d/idpack-package-$DATE/manifest.json")
echo stale >"$d/idpack-problems.txt"
: >"$T/notify.log"
expect_exit 0 drop "$d/retro.jpg" "$d/fronte.jpg"
expect_exit 0 drop "$d/retro.jpg" "$d/fronte.jpg"
for s in "" -2 -3; do
    [ -f "$d/idpack-package-$DATE$s/request.pdf" ] && ok || fail "idpack-package-$DATE$s missing"
done
[ "$(hash "$d/idpack-package-$DATE/manifest.json")" = "$before" ] && ok || fail "the first package was changed"
[ ! -e "$d/idpack-problems.txt" ] && ok || fail "a successful drop left the stale idpack-problems.txt"
expect_grep "idpack-package-$DATE-3" "$T/notify.log" "the success notification"
"$IDPACK" verify "$d/idpack-package-$DATE-3" >/dev/null 2>&1 && ok || fail "the dropped package does not verify"
# the ledger records it (default ledger under XDG_DATA_HOME), unless --no-ledger
REF=$(sed -n 's/^  reference  //p' "$T/out")
[[ $REF =~ ^IDP- ]] && ok || fail "drop printed no reference"
expect_exit 0 "$IDPACK" track list
expect_grep "$REF" "$T/out" "track list after drop"
expect_grep "erika@example.com" "$T/out" "track list after drop"
rm -rf "$d/idpack-package-$DATE-3"
mv "$XDG_DATA_HOME/idpack" "$T/ledger.saved"
expect_exit 0 drop --no-ledger "$d/retro.jpg" "$d/fronte.jpg"
[ ! -e "$XDG_DATA_HOME/idpack/ledger.sqlite" ] && ok || fail "drop --no-ledger wrote the ledger"
expect_exit 64 drop --ledger x.sqlite --no-ledger "$d/retro.jpg"

# ---- problems: a blurred photo (en, then it), an unreadable file, counts ------
mkdir -p "$T/blur"; cp "$IDP_TESTIMG/blurred.jpg" "$T/blur/front.jpg"
cp "$BACK" "$T/blur/back.jpg"
expect_exit 1 drop "$T/blur/front.jpg" "$T/blur/back.jpg"
expect_grep 'front.jpg' "$T/blur/idpack-problems.txt"
expect_grep 'sharpness' "$T/blur/idpack-problems.txt"
expect_no_grep 'back.jpg"' "$T/blur/idpack-problems.txt" "problems of a good back photo"
expect_exit 0 "$IDPACK" profile set lang=it
expect_exit 1 drop "$T/blur/front.jpg" "$T/blur/back.jpg"
expect_grep 'nitidezza' "$T/blur/idpack-problems.txt" "Italian problems"
expect_grep 'Cosa fare' "$T/blur/idpack-problems.txt" "Italian problems"
[ -z "$(ls -d "$T"/blur/idpack-package-* 2>/dev/null)" ] && ok || fail "a package was written for a blurred photo"
expect_exit 0 "$IDPACK" profile set lang=en
cp "$IDP_TESTIMG/text.jpg" "$T/blur/fronte.jpg"
expect_exit 65 drop "$T/blur/fronte.jpg" "$T/blur/back.jpg"
expect_grep 'fronte.jpg' "$T/blur/idpack-problems.txt" "problems of an unreadable photo"
expect_exit 64 drop "$T/blur/front.jpg" "$T/blur/back.jpg" "$T/blur/fronte.jpg"
expect_grep '3 files' "$T/blur/idpack-problems.txt" "problems of three files"
expect_exit 64 drop
expect_exit 66 drop "$T/blur/nosuch.jpg" "$T/blur/back.jpg"
expect_grep 'nosuch.jpg' "$T/blur/idpack-problems.txt" "problems of a missing photo"

# ---- an expired ID (the file edited by hand) ----------------------------------
sed -i 's/^id_expiry = .*/id_expiry = 2020-01-31/' "$PROFILE"
expect_exit 1 drop "$T/partial/front.jpg" "$T/partial/back.jpg"
expect_grep 'expired on 2020-01-31' "$T/partial/idpack-problems.txt" "problems of an expired ID"
[ -z "$(ls -d "$T"/partial/idpack-package-* 2>/dev/null)" ] && ok || fail "a package was written for an expired ID"

# ---- a notify-send that hangs does not hold drop for long -----------------------
printf '#!/bin/sh\nsleep 30\n' >"$T/bin/notify-send"
start=$(date +%s)
expect_exit 1 drop "$T/partial/front.jpg" "$T/partial/back.jpg"
[ $(($(date +%s) - start)) -lt 10 ] && ok || fail "drop waited for a hanging notify-send"
finish
