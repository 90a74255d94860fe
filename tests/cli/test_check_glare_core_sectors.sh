# Reflections on a bright card whose halo the short reading cannot see
# (docs/checks.md "Round 33: a halo read per direction, for every
# compact blob and for a frayed region's core"). Drawn through the phone's
# camera (tests/realistic/mkreal.py --set tune):
# - 9164 `glare-1`: a compact saturated blob on a bright card, its halo's
#   top broad and just under the level, so over the 8 px its paper is read
#   to first the paper falls 4 levels, under the 5 (`MIN_RAMP`) the
#   per-direction reading was gated on; it was never read, `glare` passed.
#   Read out to 24 px in 8 directions, the paper falls as a halo's in 7.
# - 9139 `glare-2` and 9154 `glare-1`: frayed regions (white print joined
#   by the halo) whose solid cores read the lamp's steep shoulder in the
#   print (over half the fall in 3 px) or a printed line further out, so
#   the core's print test refused them; the same per-direction reading of
#   the paper around the core finds the halo in 6 directions.
# A white card, a white document on a light desk and a card back with its
# light MRZ band, drawn with them, still pass `glare`.
. "$(dirname "$0")/lib.sh"

need_numpy_python
draw_tune_phone 9164 "$T/a" 'glare-1.jpg'
draw_tune_phone 9139 "$T/b" 'glare-2.jpg' 'white-stock-0.jpg' 'white-doc-light-desk-0.jpg' \
    'light-mrz-band-0.jpg'
draw_tune_phone 9154 "$T/c" 'glare-1.jpg'
for f in a/glare-1 b/glare-2 c/glare-1; do
    expect_grep "^${f#*/}.jpg	glare	" "$T/${f%/*}/truth.tsv" "$f: the reflection is drawn"
    "$IDPACK" check "$T/$f.jpg" >"$T/out" 2>&1 || true
    cat "$T/out"
    expect_grep 'ok *document' "$T/out" "$f: the document is found"
    expect_grep 'FAIL *glare' "$T/out" "$f: the reflection fails glare"
done
expect_glare "$T/b" ok white-stock-0 white-doc-light-desk-0 light-mrz-band-0
finish
