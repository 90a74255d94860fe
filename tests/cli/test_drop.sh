#!/usr/bin/env bash
# idpack profile and idpack drop: the saved details, front/back from the
# file names or the order, the package next to the photos, never replacing
# one, and idpack-problems.txt in the profile's language when something
# is wrong.
. "$(dirname "$0")/lib.sh"
need_tools sha256sum
DATE=2026-11-26
SHARP=$IDP_TESTIMG/sharp.jpg
BACK=$IDP_TESTIMG/back.jpg
PROFILE=$XDG_CONFIG_HOME/idpack/profile.ini
hash() { sha256sum "$1" 2>/dev/null | cut -d' ' -f1; }
# A fake notify-send and xdg-open that record their arguments, first on PATH.
mkdir -p "$T/bin"
cat >"$T/bin/notify-send" <<EOF
#!/bin/sh
printf '%s\n' "\$*" >>"$T/notify.log"
EOF
cat >"$T/bin/xdg-open" <<EOF
#!/bin/sh
printf '%s\n' "\$*" >>"$T/open.log"
EOF
chmod +x "$T/bin/notify-send" "$T/bin/xdg-open"
export DISPLAY=:99 # a desktop session: xdg-open is run only in one
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

grep -qxF "$PROFILE" "$T/open.log" && ok || fail "a partial profile was not opened in the editor"

# ---- no profile at all: a profile to fill in, opened in the text editor -------
mv "$PROFILE" "$T/profile.saved"
: >"$T/open.log"; : >"$T/notify.log"
expect_exit 66 drop "$T/partial/front.jpg" "$T/partial/back.jpg"
P=$T/partial/idpack-problems.txt
expect_grep "$PROFILE" "$P" "problems without a profile"
expect_no_grep 'terminal' "$P" "problems without a profile"
expect_no_grep 'terminal' "$T/err" "drop's message without a profile"
[ -f "$PROFILE" ] && ok || fail "drop without a profile made none to fill in"
[ "$(stat -c %a "$PROFILE" 2>/dev/null)" = 600 ] && ok || fail "the profile to fill in is not mode 0600"
for k in full_name account_email id_type id_expiry phone; do
    expect_grep "^$k =\$" "$PROFILE" "the profile to fill in"
done
expect_grep '^# .*passport, id_card' "$PROFILE" "the profile to fill in (id_type's choices)"
grep -qxF "$PROFILE" "$T/open.log" && ok || fail "the profile to fill in was not opened: $(cat "$T/open.log")"
expect_grep "$PROFILE" "$T/notify.log" "the notification without a profile"
# details lacking that no ID gives: the photos are checked on their own; a
# file that is not there is said not to exist, not to be unreadable
expect_exit 65 drop "$T/partial/nosuch.jpg" "$T/partial/back.jpg"
expect_grep 'lack: full_name' "$P" "problems of a blank profile"
expect_grep '^Photo "nosuch.jpg" \(front of the ID\):$' "$P" "a missing photo's problems"
expect_grep '^  - this file does not exist \(was it moved or renamed\?\)' "$P" "a missing photo's problems"
expect_no_grep 'cannot be (read|opened) as a photo' "$P" "a missing photo's problems"
# filled in as a seller would, in the editor: then drop builds
sed -i 's/^full_name =$/full_name = Erika Mustermann/; s/^account_email =$/account_email = erika@example.com/
        s/^id_type =$/id_type = id_card/; s/^id_expiry =$/id_expiry = 2031-05-31/' "$PROFILE"
mkdir -p "$T/filled"; cp "$SHARP" "$T/filled/front.jpg"; cp "$BACK" "$T/filled/back.jpg"
echo stale >"$T/filled/idpack-problems.txt"
expect_exit 0 drop --no-notify "$T/filled/front.jpg" "$T/filled/back.jpg"
[ ! -e "$T/filled/idpack-problems.txt" ] && ok || fail "a successful drop left the stale idpack-problems.txt"
# Italian for an Italian desktop; --no-notify opens nothing
rm "$PROFILE"; : >"$T/open.log"
LC_ALL=it_IT.UTF-8 "$IDPACK" drop --no-notify --date $DATE "$T/partial/front.jpg" "$T/partial/back.jpg" \
    >/dev/null 2>&1 || true
expect_grep 'trascina di nuovo' "$P" "Italian problems without a profile"
expect_grep '^# .*obbligatorio' "$PROFILE" "the Italian profile to fill in"
expect_grep '^lang = it$' "$PROFILE" "the Italian profile to fill in"
[ ! -s "$T/open.log" ] && ok || fail "drop --no-notify opened the editor"
rm "$PROFILE"
(unset DISPLAY WAYLAND_DISPLAY; "$IDPACK" drop --date $DATE "$T/partial/front.jpg" "$T/partial/back.jpg" \
    >/dev/null 2>&1) || true
[ ! -s "$T/open.log" ] && ok || fail "drop without a desktop session ran xdg-open"
expect_grep "$PROFILE" "$P" "problems without a profile and a desktop session"
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
    got=$(hash "$d"/idpack-package-$DATE-*/id-front.jpg)
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
expect_grep 'back of the document .* is missing.*add it \(drop both photos together\)$' \
    "$T/single/idpack-problems.txt" "one photo of an ID card"
expect_no_grep '--back' "$T/single/idpack-problems.txt" "drop's problems name build's option"
expect_exit 0 "$IDPACK" profile set lang=it
expect_exit 65 drop "$T/single/passport.jpg"
expect_grep 'manca il retro del documento' "$T/single/idpack-problems.txt" "one photo of an ID card (it)"
expect_exit 0 "$IDPACK" profile set lang=en id_type=passport
expect_exit 0 drop "$T/single/passport.jpg"
[ "$(hash "$T"/single/idpack-package-$DATE-*/id-front.jpg)" = "$HS" ] && ok || fail "single photo not the front"
[ -z "$(ls "$T"/single/idpack-package-$DATE-*/id-back.jpg 2>/dev/null)" ] && ok || fail "single photo made a back"
mkdir -p "$T/twopass"
cp "$SHARP" "$T/twopass/one.jpg"
cp "$BACK" "$T/twopass/two.jpg"
expect_exit 65 drop "$T/twopass/one.jpg" "$T/twopass/two.jpg"
expect_grep 'passport needs one photo only.*second photo \(drop the data page alone\)$' \
    "$T/twopass/idpack-problems.txt" "two photos of a passport"
expect_exit 0 "$IDPACK" profile set id_type=id_card

# ---- the same photos again: the same package, reported again, never a copy ------
d=$T/case1
pkg=$(ls -d "$d"/idpack-package-*)
[[ $pkg =~ /idpack-package-$DATE-[0-9a-f]{8}$ ]] && ok || fail "the package folder is not named by day and key: $pkg"
before=$(hash "$pkg/manifest.json")
echo stale >"$d/idpack-problems.txt"
: >"$T/notify.log"
expect_exit 0 drop "$d/retro.jpg" "$d/fronte.jpg"
expect_grep "already made this package" "$T/out" "a repeated drop"
expect_exit 0 drop "$d/fronte.jpg" "$d/retro.jpg"
[ "$(ls -d "$d"/idpack-package-* | wc -l)" = 1 ] && ok || fail "repeated drops made copies: $(ls "$d")"
[ "$(hash "$pkg/manifest.json")" = "$before" ] && ok || fail "a repeated drop changed the package"
[ ! -e "$d/idpack-problems.txt" ] && ok || fail "a successful drop left the stale idpack-problems.txt"
expect_grep "$(basename "$pkg")" "$T/notify.log" "the success notification"
REF=$(sed -n 's/^  reference  //p' "$T/out")
[[ $REF =~ ^IDP- ]] && ok || fail "a repeated drop printed no reference"
"$IDPACK" verify "$pkg" >"$T/v.out" 2>&1 && ok || fail "the dropped package does not verify"
grep -q "reference $REF)" "$T/v.out" && ok || fail "the reference printed is not the package's"
# the ledger records it (default ledger under XDG_DATA_HOME), unless --no-ledger
expect_exit 0 "$IDPACK" track list
expect_grep "$REF" "$T/out" "track list after drop"
expect_grep "erika@example.com" "$T/out" "track list after drop"
# another detail, another day, or a damaged package: a new folder
expect_exit 0 "$IDPACK" profile set phone=+390212345678
expect_exit 0 drop "$d/retro.jpg" "$d/fronte.jpg"
expect_exit 0 "$IDPACK" profile unset phone
expect_exit 0 "$IDPACK" drop --date 2026-11-27 "$d/retro.jpg" "$d/fronte.jpg"
[ "$(ls -d "$d"/idpack-package-$DATE-* | wc -l)" = 2 ] && ok || fail "a changed detail did not make a new package: $(ls "$d")"
[ "$(ls -d "$d"/idpack-package-2026-11-27-* | wc -l)" = 1 ] && ok || fail "another day did not make a new package: $(ls "$d")"
expect_exit 0 drop "$d/retro.jpg" "$d/fronte.jpg"
[ "$(ls -d "$d"/idpack-package-$DATE-* | wc -l)" = 2 ] && ok || fail "back to the first details: a copy: $(ls "$d")"
chmod u+w "$pkg/request.pdf"; printf 'x' >>"$pkg/request.pdf"
expect_exit 0 drop "$d/retro.jpg" "$d/fronte.jpg"
[ -d "$pkg-2" ] && ok || fail "a damaged package was reported again, not rebuilt next to it: $(ls "$d")"
"$IDPACK" verify "$pkg-2" >/dev/null 2>&1 && ok || fail "the package rebuilt next to a damaged one does not verify"
[ "$(tail -c 1 "$pkg/request.pdf")" = x ] && ok || fail "the damaged package was replaced"
rm -rf "$pkg-2"
mv "$XDG_DATA_HOME/idpack" "$T/ledger.saved"
rm -rf "$pkg"
expect_exit 0 drop --no-ledger "$d/retro.jpg" "$d/fronte.jpg"
[ ! -e "$XDG_DATA_HOME/idpack/ledger.sqlite" ] && ok || fail "drop --no-ledger wrote the ledger"
expect_exit 64 drop --ledger x.sqlite --no-ledger "$d/retro.jpg"

# ---- a new problem replaces the old problems file -------------------------------------
mkdir -p "$T/again"; cp "$IDP_TESTIMG/blurred.jpg" "$T/again/front.jpg"; cp "$BACK" "$T/again/back.jpg"
expect_exit 1 drop "$T/again/front.jpg" "$T/again/back.jpg"
expect_grep 'sharpness' "$T/again/idpack-problems.txt"
cp "$IDP_TESTIMG/text.jpg" "$T/again/front.jpg"
expect_exit 65 drop "$T/again/front.jpg" "$T/again/back.jpg"
expect_no_grep 'sharpness' "$T/again/idpack-problems.txt" "the problems file after a new problem"
expect_grep 'cannot be opened as a photo' "$T/again/idpack-problems.txt" "the problems file after a new problem"

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
expect_grep '^  - this file does not exist' "$T/blur/idpack-problems.txt" "a missing photo (built)"

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
