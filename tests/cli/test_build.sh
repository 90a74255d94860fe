#!/usr/bin/env bash
# idpack build / verify / demo, end to end, checked with real tools:
# qpdf, pdffonts, pdftotext, pdfimages, pdftoppm + zbarimg, exiftool,
# sha256sum, openssl.
. "$(dirname "$0")/lib.sh"
need_tools qpdf pdffonts pdftotext pdfimages pdftoppm zbarimg exiftool sha256sum openssl identify
FRONT=$IDP_TESTIMG/sharp.jpg
BACK=$IDP_TESTIMG/back.jpg
DATE=2026-11-26
cat >"$T/form.txt" <<'FORM'
# the seller's details
full_name = Łukasz Żółć-Müller
account_email = lukasz@example.com
id_type = id_card
id_expiry = 2031-05-31
business_name = Società Esempio S.r.l.
seller_id = A1B2C3D4E5F6G7
marketplace = amazon.it
country = IT
steps_tried = cookies_cleared, other_browser_device, password_reset_tried
FORM

# build: JSON result, files, modes
P=$T/pk/pkg
mkdir -p "$T/pk"
expect_exit 0 "$IDPACK" build --front "$FRONT" --back "$BACK" --form "$T/form.txt" --out "$P" --date $DATE --json
cp "$T/out" "$T/build.json"
REF=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["reference"])' "$T/build.json" 2>/dev/null || echo none)
[[ $REF =~ ^IDP-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$ ]] && ok || fail "reference '$REF' malformed"
for f in request.pdf id-front.jpg id-back.jpg manifest.json SHA256SUMS; do
    [ -f "$P/$f" ] && ok || fail "$f missing from the package"
    [ "$(stat -c %a "$P/$f" 2>/dev/null)" = 600 ] && ok || fail "$f is not mode 0600"
done
[ "$(stat -c %a "$P")" = 700 ] && ok || fail "package folder is not mode 0700"
[ "$(ls -A "$T/pk" | wc -l)" -eq 1 ] && ok || fail "stray files next to the package: $(ls -A "$T/pk")"

# hashes: coreutils and idpack agree
(cd "$P" && sha256sum --quiet -c SHA256SUMS) && ok || fail "sha256sum -c SHA256SUMS"
expect_exit 0 "$IDPACK" verify "$P"
expect_grep 'OK' "$T/out" "verify"

# the PDF: valid, fonts embedded, texts with accents, two JPEGs as they are, QR = reference
qpdf --check "$P/request.pdf" >"$T/qpdf" 2>&1 && ok || { fail "qpdf --check"; cat "$T/qpdf" >&2; }
pdffonts "$P/request.pdf" >"$T/fonts"
[ "$(tail -n +3 "$T/fonts" | wc -l)" -ge 1 ] && ok || fail "pdffonts lists no font"
tail -n +3 "$T/fonts" | awk '{ if ($(NF-4) != "yes") exit 1 }' && ok || { fail "a font is not embedded"; cat "$T/fonts" >&2; }
pdftotext -enc UTF-8 "$P/request.pdf" "$T/text"
for s in "Łukasz Żółć-Müller" "lukasz@example.com" "Società Esempio S.r.l." "A1B2C3D4E5F6G7" "$REF"; do
    expect_grep "$s" "$T/text" "request.pdf text"
done
pdfimages -list "$P/request.pdf" >"$T/images"
[ "$(grep -c ' jpeg ' "$T/images")" -eq 2 ] && ok || { fail "pdfimages does not list two JPEGs"; cat "$T/images" >&2; }
fw=$(identify -format '%w %h' "$P/id-front.jpg")
awk -v w="${fw% *}" -v h="${fw#* }" '$0 ~ / jpeg / && $4 == w && $5 == h { found=1 } END { exit !found }' "$T/images" \
    && ok || fail "the embedded front image is not ${fw}"
pdftoppm -r 150 -f 1 -l 1 -png "$P/request.pdf" "$T/page"
qr=$(zbarimg -q --raw "$T"/page*.png 2>/dev/null | head -1)
[ "$qr" = "$REF" ] && ok || fail "QR code reads '$qr', expected '$REF'"

# the photos: no metadata left
for f in id-front.jpg id-back.jpg; do
    exiftool -a -G1 -s "$P/$f" >"$T/exif"
    expect_no_grep 'GPS|Make|Model|Orientation|ThumbnailImage|XMP|ICC_Profile|Comment' "$T/exif" "exiftool $f"
done

# the manifest holds no personal data
expect_no_grep 'ukasz|example\.com|A1B2C3D4E5F6G7|Esempio|sharp\.jpg' "$P/manifest.json" "manifest.json"

# determinism: the same inputs and date give identical bytes
expect_exit 0 "$IDPACK" build --front "$FRONT" --back "$BACK" --form "$T/form.txt" --out "$T/pkg2" --date $DATE
for f in request.pdf id-front.jpg id-back.jpg manifest.json SHA256SUMS; do
    cmp -s "$P/$f" "$T/pkg2/$f" && ok || fail "$f differs between two identical builds"
done

# a changed byte makes verify fail, naming the file
cp -a "$P" "$T/tampered"
printf '\x00' | dd of="$T/tampered/id-front.jpg" bs=1 seek=1000 conv=notrunc status=none
expect_exit 1 "$IDPACK" verify "$T/tampered"
expect_grep 'id-front\.jpg' "$T/out" "verify of a tampered package"
rm "$T/tampered/id-back.jpg"; echo extra >"$T/tampered/notes.txt"
expect_exit 1 "$IDPACK" verify --json "$T/tampered"
python3 - "$T/out" <<'PY' && ok || fail "verify --json problems"
import json, sys
d = json.load(open(sys.argv[1]))
kinds = {(p["file"], p["problem"]) for p in d["problems"]}
assert d["status"] == "mismatch", d
assert ("id-back.jpg", "missing") in kinds and ("notes.txt", "extra") in kinds, kinds
assert any(f == "id-front.jpg" for f, _ in kinds), kinds
PY

# signature: openssl accepts it; idpack verify checks it
openssl genpkey -algorithm ed25519 -out "$T/key.pem" 2>/dev/null
openssl pkey -in "$T/key.pem" -pubout -out "$T/pub.pem"
expect_exit 0 "$IDPACK" build --front "$FRONT" --back "$BACK" --form "$T/form.txt" --out "$T/signed" --date $DATE --sign "$T/key.pem"
openssl pkeyutl -verify -pubin -inkey "$T/pub.pem" -rawin -in "$T/signed/manifest.json" \
    -sigfile "$T/signed/manifest.json.sig" >/dev/null && ok || fail "openssl rejects the signature"
expect_exit 0 "$IDPACK" verify --pubkey "$T/pub.pem" "$T/signed"
expect_grep 'signature valid' "$T/out"
openssl genpkey -algorithm ed25519 -out "$T/other.pem" 2>/dev/null
openssl pkey -in "$T/other.pem" -pubout -out "$T/otherpub.pem"
expect_exit 1 "$IDPACK" verify --pubkey "$T/otherpub.pem" "$T/signed"

# each language: the letter shows the filled fields, accents included
for lang in en it de fr es; do
    [ -f "$IDP_SRC/templates/2fa-reset.$lang.json" ] || continue
    expect_exit 0 "$IDPACK" build --front "$FRONT" --back "$BACK" --form "$T/form.txt" --out "$T/l-$lang" --date $DATE --lang $lang
    pdftotext -enc UTF-8 "$T/l-$lang/request.pdf" "$T/text-$lang"
    expect_grep "Łukasz Żółć-Müller" "$T/text-$lang" "letter in $lang"
    expect_grep "Società Esempio" "$T/text-$lang" "letter in $lang"
done
[ -f "$T/l-it/request.pdf" ] && ok || fail "no Italian template"
expect_grep 'Gentile|Spett' "$T/text-it" "Italian letter"

# paper: A4 by default, Letter by option and for amazon.com
grep -q 'A4' <<<"$(pdfinfo "$P/request.pdf")" && ok || fail "default paper is not A4"
expect_exit 0 "$IDPACK" build --front "$FRONT" --back "$BACK" --form "$T/form.txt" --set marketplace=amazon.com --out "$T/us" --date $DATE
grep -q 'letter' <<<"$(pdfinfo "$T/us/request.pdf")" && ok || fail "amazon.com does not default to Letter"

# refusals: each leaves nothing behind
mkdir "$T/r"
refuse() { # CODE PATTERN ARGS...
    local code=$1 pat=$2; shift 2
    expect_exit "$code" "$IDPACK" build --date $DATE --out "$T/r/pkg" "$@"
    expect_grep "$pat" "$T/err" "build $*"
    [ -z "$(ls -A "$T/r")" ] && ok || { fail "left behind after a refusal: $(ls -A "$T/r")"; rm -rf "${T:?}/r/"* "$T"/r/.[!.]*; }
}
refuse 1 'expired' --front "$FRONT" --back "$BACK" --form "$T/form.txt" --set id_expiry=2020-01-31
grep -v '^account_email' "$T/form.txt" >"$T/noemail.txt"
refuse 65 'account_email' --front "$FRONT" --back "$BACK" --form "$T/noemail.txt"
refuse 65 'colour' --front "$FRONT" --back "$BACK" --form "$T/form.txt" --set colour=blue
refuse 65 'account_email' --front "$FRONT" --back "$BACK" --form "$T/form.txt" --set account_email=bob@
refuse 1 'duplicate' --front "$FRONT" --back "$FRONT" --form "$T/form.txt"
refuse 1 'sharpness' --front "$IDP_TESTIMG/blurred.jpg" --back "$BACK" --form "$T/form.txt"
refuse 66 'nosuch\.jpg' --front "$T/nosuch.jpg" --back "$BACK" --form "$T/form.txt"
refuse 65 'truncated\.jpg' --front "$IDP_TESTIMG/truncated.jpg" --back "$BACK" --form "$T/form.txt"
refuse 65 'U\+1F600' --front "$FRONT" --back "$BACK" --form "$T/form.txt" --set "store_name=Shop 😀"
# unwritable output folder (a path under a regular file: fails even for root)
touch "$T/afile"
expect_exit 73 "$IDPACK" build --front "$FRONT" --back "$BACK" --form "$T/form.txt" --out "$T/afile/pkg" --date $DATE
# an existing package is never overwritten without --force
sha256sum "$P"/* >"$T/before"
expect_exit 73 "$IDPACK" build --front "$FRONT" --back "$BACK" --form "$T/form.txt" --out "$P" --date 2026-11-28
expect_grep 'already exists' "$T/err"
sha256sum "$P"/* | cmp -s - "$T/before" && ok || fail "existing package was modified"
expect_exit 0 "$IDPACK" build --front "$FRONT" --back "$BACK" --form "$T/form.txt" --out "$P" --date 2026-11-27 --force
sha256sum "$P"/* | cmp -s - "$T/before" && fail "--force did not replace the package" || ok
[ "$(ls -A "$T/pk" | wc -l)" -eq 1 ] && ok || fail "stray files after --force"

# usage errors
expect_exit 64 "$IDPACK" build --back "$BACK" --form "$T/form.txt" --out "$T/x"
expect_exit 64 "$IDPACK" build --front "$FRONT" --form "$T/form.txt"
expect_exit 64 "$IDPACK" build --front "$FRONT" --out "$T/x"
expect_exit 64 "$IDPACK" build --front "$FRONT" --form "$T/form.txt" --out "$T/x" --paper a5
expect_exit 64 "$IDPACK" build --front "$FRONT" --form "$T/form.txt" --out "$T/x" --date 2026-02-30
expect_exit 64 "$IDPACK" verify
expect_exit 66 "$IDPACK" verify "$T/nosuchdir"

# a 12 MB CMYK photo still gives files under 10 MB
"$IDP_MKPHOTOS" --big-cmyk "$T/big.jpg"
[ "$(stat -c %s "$T/big.jpg")" -gt 11000000 ] && ok || fail "the big CMYK photo is not over 11 MB"
expect_exit 0 "$IDPACK" build --front "$T/big.jpg" --back "$BACK" --form "$T/form.txt" --out "$T/big" --date $DATE
for f in "$T"/big/*; do
    [ "$(stat -c %s "$f")" -lt 10000000 ] && ok || fail "$f is over 10 MB"
done

# demo: the whole flow on the specimen
(cd "$T" && SOURCE_DATE_EPOCH=1795651200 "$IDPACK" demo --out demo >"$T/demo.out" 2>&1) && ok || { fail "idpack demo"; cat "$T/demo.out" >&2; }
expect_exit 0 "$IDPACK" verify "$T/demo"
pdftotext "$T/demo/request.pdf" "$T/demo.txt"
expect_grep 'Mustermann' "$T/demo.txt" "demo letter"
finish
