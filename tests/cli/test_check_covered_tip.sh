# A finger over a corner whose sides stay "seen" (docs/detection.md, "Round
# 20: a finger over a corner"). mkreal.py --set tune --seed 9046
# `covered-corner-0`: an ID-1 card found at IoU 1.00 with a finger over its
# corner 1; the sides there read 0.75 and 0.67 on main (the finger's
# shading and nail edge made steps of the outline's contrast), so `corners`
# passed a photo whose corner is hidden. A step now sees the outline only
# when one of its two colours is the document's or the desk's (nearer to
# one read along the middle of the sides than to the colour across the
# step): the finger's steps are skin on both sides, and both sides read
# 0.00. The good photos of the same draw still pass `corners`. The
# fingertips 3 mm past a corner of tests/images/mkcorners.py (`tip-*`)
# are asserted in unit/test_corners.
. "$(dirname "$0")/lib.sh"

need_numpy_python
draw_tune 9046 "$T/set" 'covered-corner-0.jpg' 'good-0*'
expect_grep '^covered-corner-0.jpg	covered-corner	' "$T/set/truth.tsv" "the covered card is drawn"
expect_exit 1 "$IDPACK" check "$T/set/covered-corner-0.jpg"
cat "$T/out"
expect_grep 'ok *document' "$T/out" "the covered card is found"
expect_grep 'FAIL *corners *A corner of the document is hidden' "$T/out" \
    "and fails corners as covered"
n=0
for f in "$T"/set/good-0*.jpg; do
    "$IDPACK" check "$f" >"$T/out" 2>&1 || true # the specimens are expired
    if grep -q -E 'ok *document' "$T/out"; then
        n=$((n + 1))
        expect_grep 'ok *corners' "$T/out" "$(basename "$f") keeps passing corners"
    fi
done
[ "$n" -ge 6 ] && ok || fail "only $n good photos found"
finish
