#!/usr/bin/env bash
# HEIC, TIFF and PDF versions of one good photo read like the JPEG: the
# same verdict and near-identical values from `check --json`; `build` from
# them gives a package `verify` accepts, with JPEGs inside (pdfimages) and
# no metadata (exiftool). Multi-page TIFF and PDF, and a scanner's page
# with both sides, are the front and the back.
. "$(dirname "$0")/lib.sh"
need_tools heif-enc tiffcp tiffinfo convert img2pdf pdfimages exiftool
PY=/usr/bin/python3
DATE=2026-11-26
F=$T/f
mkdir "$F"
# half-size copies of the good photos (the card still 1170 px across):
# four times faster to encode and read, and the reference for the rest
FRONT=$F/front.jpg
BACK=$F/back.jpg
convert "$IDP_TESTIMG/sharp.jpg" -resize 1500x1000 -quality 95 "$FRONT"
convert "$IDP_TESTIMG/back.jpg" -resize 1500x1000 -quality 95 "$BACK"
cat >"$T/form.txt" <<'FORM'
full_name = Erika Mustermann
account_email = erika@example.com
id_type = id_card
id_expiry = 2031-05-31
marketplace = amazon.it
FORM

###### the variants of one photo
convert "$FRONT" "$F/front.png"
heif-enc -p preset=ultrafast -q 92 -o "$F/front.heic" "$F/front.png" >/dev/null
heif-enc -p preset=ultrafast -b 10 -q 92 -o "$F/front10.heic" "$F/front.png" >/dev/null
convert "$FRONT" -compress lzw "$F/lzw.tif"
tiffcp -c jpeg -r 16 "$F/lzw.tif" "$F/ycbcr-jpeg.tif"       # YCbCr 2x2, JPEG-in-TIFF
convert "$FRONT" -depth 16 -compress zip "$F/rgb16-deflate.tif"
convert "$FRONT" -colorspace cmyk -compress lzw "$F/cmyk.tif"
convert "$BACK" -colorspace cmyk -compress zip "$F/back-cmyk.tif"
convert "$FRONT" -define tiff:tile-geometry=256x256 -compress zip "$F/tiled.tif"
convert "$FRONT" -compress RLE "$F/packbits.tif"
convert "$FRONT" -rotate 90 -orient LeftBottom "$F/orient8.tif" # stored turned, tag 8 turns it back
convert "$FRONT" "$BACK" -compress lzw "$F/two.tif"
img2pdf --imgsize 300dpix300dpi "$FRONT" -o "$F/img.pdf"
img2pdf --imgsize 300dpix300dpi "$FRONT" "$BACK" -o "$F/two.pdf"
$PY "$IDP_SRC/tests/cli/mkformats.py" a4 "$F/a4-both.pdf" 1500 "$FRONT" "$BACK"
$PY "$IDP_SRC/tests/cli/mkformats.py" a4 "$F/a4-one.jpg" 1500 "$FRONT"
img2pdf "$F/a4-one.jpg" -o "$F/a4-one.pdf"

# the files are what they claim to be
tiffinfo "$F/ycbcr-jpeg.tif" 2>/dev/null | grep -q "Photometric Interpretation: YCbCr" && \
    tiffinfo "$F/ycbcr-jpeg.tif" 2>/dev/null | grep -q "Compression Scheme: JPEG" && ok || fail "ycbcr-jpeg.tif is not YCbCr JPEG"
tiffinfo "$F/rgb16-deflate.tif" 2>/dev/null | grep -q "Bits/Sample: 16" && ok || fail "rgb16-deflate.tif is not 16-bit"
tiffinfo "$F/cmyk.tif" 2>/dev/null | grep -q "Photometric Interpretation: separated" && ok || fail "cmyk.tif is not CMYK"
tiffinfo "$F/tiled.tif" 2>/dev/null | grep -q "Tile Width" && ok || fail "tiled.tif is not tiled"
tiffinfo "$F/orient8.tif" 2>/dev/null | grep -q "Orientation: row 0 lhs, col 0 bottom" && ok || fail "orient8.tif lacks its orientation tag"
[ "$(tiffinfo "$F/two.tif" 2>/dev/null | grep -c 'TIFF Directory')" = 2 ] && ok || fail "two.tif does not have 2 pages"

# one check per file (the duplicate check would compare them otherwise)
expect_exit 0 "$IDPACK" check --json "$FRONT"
cp "$T/out" "$T/ref.json"
for f in front.png front.heic front10.heic lzw.tif ycbcr-jpeg.tif rgb16-deflate.tif cmyk.tif tiled.tif \
    packbits.tif orient8.tif img.pdf; do
    "$IDPACK" check --json "$F/$f" >"$T/$f.json" 2>"$T/err" || true
    $PY - "$T/ref.json" "$T/$f.json" "$f" <<'PY' && ok || fail "$f does not read like the JPEG"
import json, sys
ref = json.load(open(sys.argv[1]))["images"][0]
got = json.load(open(sys.argv[2]))["images"][0]
name = sys.argv[3]
assert got["verdict"] == ref["verdict"], (name, got["verdict"], got.get("error"))
assert (got["width"], got["height"]) == (ref["width"], ref["height"]), (name, got["width"], got["height"])
r = {c["id"]: c for c in ref["checks"]}
g = {c["id"]: c for c in got["checks"]}
assert set(r) == set(g), (name, set(r) ^ set(g))
# relative tolerance per value: lossy re-encoding (HEIC, JPEG-in-TIFF, the
# CMYK round trip) moves the values a little
tol = {"resolution": 0.02, "sharpness": 0.15, "exposure": 0.02, "colour": 0.05, "document": 0.03,
       "corners": 0.05}
for k, t in tol.items():
    a, b = r[k].get("value"), g[k].get("value")
    assert (a is None) == (b is None), (name, k, a, b)
    if a is not None:
        assert abs(a - b) <= t * max(abs(a), 1.0), (name, k, a, b)
    assert r[k]["status"] == g[k]["status"], (name, k, r[k]["status"], g[k]["status"])
PY
done

# a photo turned by its EXIF orientation: img2pdf turns the page (/Rotate),
# the image stays as stored; idpack takes the image at its native size and
# turns it as the page shows it
convert "$IDP_TESTIMG/rotated6.jpg" -resize 50% -quality 95 "$F/r6.jpg"
img2pdf "$F/r6.jpg" -o "$F/r6.pdf"
expect_exit 0 "$IDPACK" check --json "$F/r6.jpg"
cp "$T/out" "$T/r6-jpg.json"
expect_exit 0 "$IDPACK" check --json "$F/r6.pdf"
$PY - "$T/r6-jpg.json" "$T/out" <<'PY' && ok || fail "r6.pdf does not read like r6.jpg"
import json, sys
a = json.load(open(sys.argv[1]))["images"][0]
b = json.load(open(sys.argv[2]))["images"][0]
assert (a["width"], a["height"]) == (b["width"], b["height"]) == (1500, 1000), (a["width"], b["width"], b["height"])
assert a["verdict"] == b["verdict"], (a["verdict"], b["verdict"])
va = {c["id"]: c.get("value") for c in a["checks"]}
vb = {c["id"]: c.get("value") for c in b["checks"]}
assert abs(va["document"] - vb["document"]) < 0.05 and abs(va["sharpness"] - vb["sharpness"]) < 0.1 * va["sharpness"], (va, vb)
PY

###### multi-page: two TIFF pages, two PDF pages, both sides on one A4 page
for f in two.tif two.pdf a4-both.pdf; do
    "$IDPACK" check --json "$F/$f" >"$T/out" 2>"$T/err" || true
    $PY - "$T/out" "$f" <<'PY' && ok || fail "check $f: not two photos"
import json, sys
imgs = json.load(open(sys.argv[1]))["images"]
assert len(imgs) == 2, [i.get("error") for i in imgs]
assert [i["page"] for i in imgs] == [1, 2] and all(i["pages"] == 2 for i in imgs), imgs
assert all(i["verdict"] in ("pass", "warn") for i in imgs), [(i["verdict"], i.get("error")) for i in imgs]
# front and back are told apart: not duplicates of each other
dup = [c for i in imgs for c in i["checks"] if c["id"] == "duplicate"]
assert len(dup) == 2 and all(c["status"] == "pass" for c in dup), dup
PY
done
# a one-page scan of one card is one photo
expect_exit 0 "$IDPACK" check --json "$F/a4-one.pdf"
$PY -c 'import json,sys; i=json.load(open(sys.argv[1]))["images"]; assert len(i)==1 and "page" not in i[0], i' "$T/out" \
    && ok || fail "a4-one.pdf is not one photo"
expect_exit 0 "$IDPACK" check "$F/two.tif"
expect_grep "two\.tif \(page 2 of 2\)" "$T/out" "check two.tif"
expect_exit 0 "$IDPACK" check --lang it "$F/two.tif"
expect_grep "two\.tif \(pagina 2 di 2\)" "$T/out" "check --lang it two.tif"

###### build: JPEG inside, no metadata, verify accepts it
check_package() { # DIR PHOTOS
    local p=$1 n=$2
    expect_exit 0 "$IDPACK" verify "$p"
    [ "$(ls "$p"/id-*.jpg | wc -l)" = "$n" ] && ok || fail "$p: expected $n photos, got: $(ls "$p")"
    for j in "$p"/id-*.jpg; do
        [ "$(head -c 3 "$j" | od -An -tx1 | tr -d ' ')" = ffd8ff ] && ok || fail "$j is not a JPEG"
        exiftool -j -G -a "$j" >"$T/exif.json"
        $PY -c 'import json,sys; d=json.load(open(sys.argv[1]))[0]; bad=[k for k in d if k.split(":")[0] in ("EXIF","XMP","ICC_Profile","GPS","MakerNotes","IPTC")]; sys.exit(1 if bad else 0)' \
            "$T/exif.json" && ok || fail "$j keeps metadata"
    done
    pdfimages -list "$p/request.pdf" >"$T/imgs"
    [ "$(awk 'NR>2 && $3=="image" && $9=="jpeg"' "$T/imgs" | wc -l)" = "$n" ] && ok || fail "$p/request.pdf: not $n JPEG images: $(cat "$T/imgs")"
}
expect_exit 0 "$IDPACK" build --front "$F/front.heic" --back "$F/back-cmyk.tif" --form "$T/form.txt" --out "$T/p1" --date $DATE --no-ledger
check_package "$T/p1" 2
# a two-page file alone is the front and the back
for f in two.tif two.pdf a4-both.pdf; do
    expect_exit 0 "$IDPACK" build --front "$F/$f" --form "$T/form.txt" --out "$T/p-$f" --date $DATE --no-ledger --json
    check_package "$T/p-$f" 2
done
# with --back given, each file must be one photo
expect_exit 64 "$IDPACK" build --front "$F/two.tif" --back "$BACK" --form "$T/form.txt" --out "$T/p2" --date $DATE --no-ledger
expect_grep "two\.tif: the file holds 2 pages" "$T/err" "build --front two.tif --back"
[ ! -e "$T/p2" ] && ok || fail "a refused build left a folder"
finish
