# A maroon passport cover with gold print on a black desk (docs/checks.md
# "Round 30: a maroon cover"), drawn through a phone's camera
# (tests/realistic/mkreal.py --set tune, seed 9138's
# `good-portrait-doc-2.jpg`): each colour lies in its own luma bands (the
# desk dark, the cover dark red, the print bright gold), so no band holds
# two colours, and the two hues, 52 degrees apart, are under the 60 degrees
# the colour check asked of any two bands: `colour` failed a colour photo
# as toned "like sepia". Both bands are far from neutral (42 and 50 units),
# where a hue is read within 1-2 degrees, and a toning drifts by 25 at
# most: now two hues, and `colour` passes. The same draw's sepia and
# black-and-white photos still fail `colour`.
. "$(dirname "$0")/lib.sh"

need_numpy_python
draw_tune_phone 9138 "$T/set" 'good-portrait-doc-2.jpg' 'sepia-*' 'grey-*'
expect_grep '^good-portrait-doc-2.jpg	good-portrait-doc	' "$T/set/truth.tsv" "the cover is drawn"
"$IDPACK" check "$T/set/good-portrait-doc-2.jpg" >"$T/out" 2>&1 || true
cat "$T/out"
expect_grep 'ok *colour' "$T/out" "the maroon cover is in colour"
for f in sepia-0 sepia-1 grey-0 grey-1; do
    expect_check_fails "$T/set/$f.jpg" colour
done
finish
