# A reflection's halo across a printed line (tests/realistic/mkreal.py
# --set tune --seed 8750, `glare-0`): a lamp's reflection on an ID-3 page,
# its saturated core hiding part of the data. Its saturated region is
# frayed by the white print its halo lifts, so its solid core is judged;
# the print around the core falls as a halo's does, but 16-18 px out the
# rings cross a printed line, which dips the print by 32 levels over 3 px
# and is left behind (the print rises again past it). Read as the end of
# a printed white field, that dip refused the core: `glare` passed. Since
# round 18 (docs/checks.md "Round 18: a halo across a printed line") a fall
# counts only as far as the print stays down after it: `glare` fails. A
# white card on a light desk and a card back with its light MRZ band, drawn
# with it, still pass `glare`.
. "$(dirname "$0")/lib.sh"

need_numpy_python
draw_tune 8750 "$T/set" 'glare-0.jpg' 'white-stock-0.jpg' 'light-mrz-band-0.jpg'
expect_grep '^glare-0.jpg	glare	id3	' "$T/set/truth.tsv" "the reflection is drawn"
"$IDPACK" check "$T/set/glare-0.jpg" >"$T/out" 2>&1 || true
cat "$T/out"
expect_grep 'ok *document' "$T/out" "the page is found"
expect_grep 'FAIL *glare' "$T/out" "the reflection fails glare"
expect_glare "$T/set" ok white-stock-0 light-mrz-band-0
finish
