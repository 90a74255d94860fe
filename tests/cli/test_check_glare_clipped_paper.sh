# A white document whose paper the exposure clipped is not a reflection
# (docs/checks.md "Round 34: the paper itself clipped"). Drawn through the
# phone's camera (tests/realistic/mkreal.py --set tune): 9136 and 9164
# `white-doc-light-desk-*`, a white card on a light desk so bright that all
# its paper clips. The clipped region is the card's paper, bounded by its
# header band, its portrait and the desk, which darkens away from the card
# like a halo; the middle of the region is blank, so no print tells it from
# a lamp's image, and `glare` failed. Two thirds of the light pixels of
# each copy clip (a reflection's photo: under a fifth), so there is no paper
# below the level for a reflection to outshine: `glare` passes. The
# reflections drawn with them still fail.
. "$(dirname "$0")/lib.sh"

need_numpy_python
draw_tune_phone 9136 "$T/a" 'white-doc-light-desk-0.jpg' 'glare-1.jpg'
draw_tune_phone 9164 "$T/b" 'white-doc-light-desk-1.jpg' 'glare-0.jpg'
for f in a/white-doc-light-desk-0 b/white-doc-light-desk-1; do
    expect_grep "^${f#*/}.jpg	white-doc-light-desk	.*	pass	" "$T/${f%/*}/truth.tsv" \
        "$f: drawn to pass"
    "$IDPACK" check "$T/$f.jpg" >"$T/out" 2>&1 || true
    cat "$T/out"
    expect_grep 'ok *document' "$T/out" "$f: the document is found"
    expect_grep 'ok *glare' "$T/out" "$f: the clipped paper is not glare"
    expect_grep 'ok *exposure' "$T/out" "$f: and the card can be read"
done
for f in a/glare-1 b/glare-0; do
    expect_grep "^${f#*/}.jpg	glare	" "$T/${f%/*}/truth.tsv" "$f: the reflection is drawn"
done
expect_glare "$T/a" FAIL glare-1
expect_glare "$T/b" FAIL glare-0
finish
