# idpack normalize, driven as a user would, checked with independent tools
# (ImageMagick identify/compare, exiftool, stat).
source "$(dirname "$0")/lib.sh"
: "${IDP_MKPHOTOS:?}"

ORIENT="$IDP_CORPUS/exif-orientation"
O="$T/res"   # every output goes here, so leftovers are easy to spot
mkdir -p "$O"

norm() { "$IDPACK" normalize "$@"; }

# size FILE: "WxH" as ImageMagick reads it.
size() { identify -format '%wx%h' "$1"; }

# rmse A B: ImageMagick's normalised RMSE (0..1) between two images of the
# same size. compare exits 1 when the images differ at all: not an error.
rmse() {
    local r
    r=$(compare -metric RMSE "$1" "$2" null: 2>&1 >/dev/null || true)
    r=${r#*(}; echo "${r%)*}"
}

# below X LIMIT: succeeds if the number X < LIMIT.
below() { python3 -c 'import sys; sys.exit(0 if float(sys.argv[1]) < float(sys.argv[2]) else 1)' "$1" "$2"; }

expect_size() { # FILE WxH
    local got
    got=$(size "$1" 2>/dev/null || echo "unreadable")
    if [ "$got" = "$2" ]; then ok; else fail "$1 is $got, expected $2"; fi
}

# The metadata tags that must never survive; exiftool prints only those present.
META_TAGS=(-EXIF:all -GPS:all -XMP:all -ICC_Profile:all -IPTC:all -Photoshop:all -MPF:all
           -Make -Model -Orientation -ThumbnailImage -PreviewImage -Comment)
meta_of() { exiftool -a -s -G1 "${META_TAGS[@]}" "$@" 2>&1 | grep -v -E '^(========|[[:space:]]*[0-9]+ image files read)' || true; }

# --- help and usage ---------------------------------------------------------
expect_exit 0 norm --help
for opt in --output --max-side --quality --force --json 'Exit status' 64 65 66 73; do
    expect_grep "$opt" "$T/out" "normalize --help"
done
expect_exit 0 norm -h

L1="$ORIENT/Landscape_1.jpg"
usage_case() { # ARGS...: must exit 64 with a one-line reason first on stderr
    expect_exit 64 norm "$@"
    expect_grep '^idpack normalize: ' "$T/err" "stderr of normalize $*"
    [ -e "$O/u.jpg" ] && { fail "normalize $* wrote output"; rm -f "$O/u.jpg"; }
    return 0
}
usage_case
usage_case "$L1"                                  # no -o
usage_case "$L1" -o                               # -o without a value
usage_case "$L1" "$ORIENT/Landscape_2.jpg" -o "$O/u.jpg"   # extra argument
usage_case "$L1" -o "$O/u.jpg" -o "$O/v.jpg"      # duplicate option
usage_case "$L1" -o "$O/u.jpg" --force --force
usage_case "$L1" -o "$O/u.jpg" --json --json
usage_case "$L1" -o "$O/u.jpg" --max-side 100 --max-side 200
usage_case "$L1" -o "$O/u.jpg" --max-side abc
usage_case "$L1" -o "$O/u.jpg" --max-side 0
usage_case "$L1" -o "$O/u.jpg" --max-side -5
usage_case "$L1" -o "$O/u.jpg" --max-side 12x
usage_case "$L1" -o "$O/u.jpg" --quality 0
usage_case "$L1" -o "$O/u.jpg" --quality 101
usage_case "$L1" -o "$O/u.jpg" --quality 80 --quality 70
usage_case "$L1" -o "$O/u.jpg" --bogus
usage_case "$L1" -o "$O/u.jpg" --force=yes
usage_case "$L1" -o "$O/u.jpg" -x

# --- orientation: every N matches _1 ----------------------------------------
# Threshold 0.08 normalised RMSE. Measured: the corpus photos differ from
# _1 by 0.02-0.05 once upright (each was JPEG-compressed separately in its
# stored orientation, and each carries its own digit N in the middle),
# while a wrong orientation of the same photo (rotated 180, mirrored) is
# 0.23-0.41 away. 0.08 sits well between the two.
for kind in Landscape Portrait; do
    if [ $kind = Landscape ]; then want=1800x1200; else want=1200x1800; fi
    expect_exit 0 norm "$ORIENT/${kind}_1.jpg" -o "$O/${kind}_1.jpg"
    expect_size "$O/${kind}_1.jpg" "$want"
    for n in 0 2 3 4 5 6 7 8; do
        out="$O/${kind}_$n.jpg"
        expect_exit 0 norm "$ORIENT/${kind}_$n.jpg" -o "$out"   # 0 is not an error
        expect_grep "^$out: $want, [0-9]+ bytes, quality 88\$" "$T/out" "summary of ${kind}_$n"
        expect_size "$out" "$want"
        [ -s "$out" ] || continue
        d=$(rmse "$O/${kind}_1.jpg" "$out")
        if below "$d" 0.08; then ok; else fail "${kind}_$n differs from ${kind}_1 by RMSE $d"; fi
    done
    # The threshold can fail: the _1 output turned by 180 degrees is far off.
    convert "$O/${kind}_1.jpg" -rotate 180 "$T/turned.png"
    d=$(rmse "$O/${kind}_1.jpg" "$T/turned.png")
    if below "$d" 0.08; then fail "a wrong orientation passes ($d)"; else ok; fi
done

# --- no metadata ------------------------------------------------------------
m=$(meta_of "$ORIENT/Landscape_6.jpg")
if [ -n "$m" ]; then ok; else fail "exiftool finds no metadata in Landscape_6 (the check is blind)"; fi
m=$(meta_of "$O"/*.jpg)
if [ -z "$m" ]; then ok; else fail "metadata left in outputs: $(echo "$m" | head -3)"; fi
for f in gps.jpg rotated6.jpg; do
    src="$IDP_TESTIMG/$f"
    if [ ! -s "$src" ]; then fail "$src is missing (made by idp_mkphotos)"; continue; fi
    m=$(meta_of "$src")
    if [ -n "$m" ]; then ok; else fail "$f carries no metadata to remove"; fi
    expect_exit 0 norm "$src" -o "$O/meta-$f"
    m=$(meta_of "$O/meta-$f")
    if [ -z "$m" ]; then ok; else fail "metadata left in normalised $f: $(echo "$m" | head -3)"; fi
    if grep -a -q -E 'GPS|Exif|http://ns.adobe.com|ICC_PROFILE' "$O/meta-$f"; then
        fail "normalised $f still holds a metadata signature"
    else ok; fi
done
m=$(exiftool -s -s -s -FileType -EncodingProcess -YCbCrSubSampling "$O/Landscape_6.jpg")
if grep -q 'Baseline DCT' <<<"$m" && grep -q '4:2:0' <<<"$m"; then ok
else fail "Landscape_6 output is not baseline 4:2:0: $m"; fi

# --- the long side ----------------------------------------------------------
convert -size 3000x2400 gradient:navy-orange "$T/big.jpg"
expect_exit 0 norm "$T/big.jpg" -o "$O/big-default.jpg"
expect_size "$O/big-default.jpg" 2000x1600
expect_exit 0 norm "$T/big.jpg" -o "$O/big-1000.jpg" --max-side 1000
expect_size "$O/big-1000.jpg" 1000x800
expect_grep '^'"$O"'/big-1000.jpg: 1000x800, [0-9]+ bytes, quality 88$' "$T/out"
convert -size 2400x3000 gradient:navy-orange "$T/tall.png"
expect_exit 0 norm "$T/tall.png" -o "$O/tall.jpg" --max-side 777
expect_size "$O/tall.jpg" 622x777
convert -size 300x200 gradient:white-black "$T/small.png"
expect_exit 0 norm "$T/small.png" -o "$O/small.jpg" --max-side 5000 --quality 70
expect_size "$O/small.jpg" 300x200   # never upscaled
expect_grep 'quality 70$' "$T/out"

# --json: the documented object, numbers that agree with the file.
expect_exit 0 norm "$ORIENT/Portrait_8.jpg" -o "$O/p8.jpg" --json
if python3 - "$T/out" "$O/p8.jpg" "$(stat -c %s "$O/p8.jpg")" <<'EOF'
import json, sys
j = json.load(open(sys.argv[1]))
assert j["output"] == sys.argv[2], j
assert j["file"].endswith("Portrait_8.jpg"), j
assert (j["width"], j["height"]) == (1200, 1800), j
assert j["bytes"] == int(sys.argv[3]), j
assert j["quality"] == 88, j
s = j["source"]
assert (s["width"], s["height"], s["orientation"], s["format"]) == (1200, 1800, 8, "jpeg"), s
EOF
then ok; else fail "--json output is wrong: $(head -c 400 "$T/out")"; fi

# --- files: mode, no overwrite, force, no leftovers --------------------------
mode=$(stat -c %a "$O/Landscape_1.jpg")
if [ "$mode" = 600 ]; then ok; else fail "output mode is $mode, expected 600"; fi
echo "precious" >"$O/keep.jpg"
cp "$O/keep.jpg" "$T/keep.orig"
expect_exit 73 norm "$L1" -o "$O/keep.jpg"
expect_grep 'keep.jpg' "$T/err"
if cmp -s "$O/keep.jpg" "$T/keep.orig"; then ok; else fail "existing output was modified"; fi
expect_exit 0 norm "$L1" -o "$O/keep.jpg" --force
expect_size "$O/keep.jpg" 1800x1200
mode=$(stat -c %a "$O/keep.jpg")
if [ "$mode" = 600 ]; then ok; else fail "replaced output mode is $mode, expected 600"; fi

expect_exit 73 norm "$L1" -o "$T/no-such-dir/x.jpg"   # cannot create
expect_grep 'no-such-dir/x.jpg' "$T/err"

# --- bad inputs ---------------------------------------------------------------
expect_exit 66 norm "$T/no-such-photo.jpg" -o "$O/missing.jpg"
expect_grep 'no-such-photo.jpg' "$T/err"
if [ -e "$O/missing.jpg" ]; then fail "output created for a missing input"; else ok; fi
if [ -s "$IDP_TESTIMG/truncated.jpg" ]; then
    expect_exit 65 norm "$IDP_TESTIMG/truncated.jpg" -o "$O/truncated.jpg"
    expect_grep 'truncated.jpg' "$T/err"
    if [ -e "$O/truncated.jpg" ]; then fail "output created for a corrupt input"; else ok; fi
else
    fail "$IDP_TESTIMG/truncated.jpg is missing (made by idp_mkphotos)"
fi
head -c 5000 "$L1" >"$T/cut.jpg"   # also a truncation made here
expect_exit 65 norm "$T/cut.jpg" -o "$O/cut.jpg"
if [ -e "$O/cut.jpg" ]; then fail "output created for a cut input"; else ok; fi

# --- a big CMYK photo: under the budget, colours not inverted -----------------
if "$IDP_MKPHOTOS" --big-cmyk "$T/cmyk.jpg" >/dev/null 2>&1 && [ -s "$T/cmyk.jpg" ]; then ok
else
    fail "'idp_mkphotos --big-cmyk' did not make a file; using ImageMagick instead"
    convert -size 6000x4000 plasma:tomato-navy -attenuate 0.5 +noise Gaussian -colorspace CMYK -quality 85 \
        "$T/cmyk.jpg"
fi
bytes=$(stat -c %s "$T/cmyk.jpg")
if [ "$bytes" -gt 11000000 ]; then ok; else fail "the CMYK input is only $bytes bytes"; fi
if [ "$(identify -ping -format %[colorspace] "$T/cmyk.jpg")" = CMYK ]; then ok; else fail "input not CMYK"; fi
# (--no-crop: the whole frame, to compare it with the input's)
expect_exit 0 norm --no-crop "$T/cmyk.jpg" -o "$O/cmyk-out.jpg"
if [ -s "$O/cmyk-out.jpg" ]; then
    bytes=$(stat -c %s "$O/cmyk-out.jpg")
    if [ "$bytes" -lt 9000000 ]; then ok; else fail "CMYK output is $bytes bytes"; fi
    w=$(identify -format %w "$O/cmyk-out.jpg"); h=$(identify -format %h "$O/cmyk-out.jpg")
    if [ "$w" -le 2000 ] && [ "$h" -le 2000 ] && { [ "$w" = 2000 ] || [ "$h" = 2000 ]; }; then ok
    else fail "CMYK output is ${w}x${h}"; fi
    # Mean colour of both in sRGB (ImageMagick converts the input itself),
    # and a thumbnail comparison: an inverted image is far off on both.
    convert -define jpeg:size=600x600 "$T/cmyk.jpg" -colorspace sRGB -resize 60x60! "$T/cmyk-in.png"
    convert "$O/cmyk-out.jpg" -resize 60x60! "$T/cmyk-out.png"
    if python3 - "$(convert "$T/cmyk-in.png" -format '%[fx:mean.r] %[fx:mean.g] %[fx:mean.b]' info:)" \
        "$(convert "$T/cmyk-out.png" -format '%[fx:mean.r] %[fx:mean.g] %[fx:mean.b]' info:)" <<'EOF'
import sys
a = [float(v) for v in sys.argv[1].split()]
b = [float(v) for v in sys.argv[2].split()]
sys.exit(0 if all(abs(x - y) < 0.06 for x, y in zip(a, b)) else 1)
EOF
    then ok; else fail "CMYK mean colour changed: $(convert "$T/cmyk-in.png" -format '%[fx:mean.r] %[fx:mean.g] %[fx:mean.b]' info:) -> $(convert "$T/cmyk-out.png" -format '%[fx:mean.r] %[fx:mean.g] %[fx:mean.b]' info:)"; fi
    d=$(rmse "$T/cmyk-in.png" "$T/cmyk-out.png")
    if below "$d" 0.1; then ok; else fail "CMYK output differs from the input by RMSE $d"; fi
fi

# --- a PNG with alpha: transparent becomes white -----------------------------
PNG="$IDP_CORPUS/pngsuite/png/basn6a08.png"   # alpha ramps from 0 (x=0) to 255
expect_exit 0 norm "$PNG" -o "$O/alpha.jpg"
expect_size "$O/alpha.jpg" 32x32
convert "$PNG" -background white -flatten "$T/on-white.png"
convert "$PNG" -background black -flatten "$T/on-black.png"
d=$(rmse "$T/on-white.png" "$O/alpha.jpg")
if below "$d" 0.06; then ok; else fail "alpha PNG differs from it on white by RMSE $d"; fi
d=$(rmse "$T/on-black.png" "$O/alpha.jpg")
if below "$d" 0.06; then fail "alpha PNG matches it on black ($d)"; else ok; fi
# the fully transparent first column is white
c=$(convert "$O/alpha.jpg" -crop 1x32+0+0 -format '%[fx:minima]' info:)
if below 0.93 "$c"; then ok; else fail "the transparent column is not white (darkest channel mean $c)"; fi

# --- nothing else left in the output folder ---------------------------------
left=$(find "$O" -mindepth 1 \( -name '*idpack-tmp*' -o -name '.*' \) | head -3)
if [ -z "$left" ]; then ok; else fail "temporary files left: $left"; fi
n_unexpected=$(find "$O" -type f ! -name '*.jpg' | wc -l)
if [ "$n_unexpected" -eq 0 ]; then ok; else fail "$n_unexpected unexpected files in the output folder"; fi

finish
