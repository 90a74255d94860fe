# A good card whose corner is only faint, not covered (docs/detection.md,
# "Round 21: a corner that is only the desk"). mkreal.py --extra, draw
# 9062 `light-11-paper`: a white card on white paper found at IoU 0.99;
# next to its corner 1 the outline's step is 0.04-0.09 (under the floor of
# 0.10), so both sides read as lost (0.33 and 0.00) and the rule for both
# sides lost at once called the corner covered: `corners` refused a good
# photo. Those faint steps still lie between the document's colour inside
# (0.01-0.03 from it) and the desk's outside (0.00-0.05), each nearer than
# the step's own contrast: the outline is there, and the corner passes.
# A finger over a card on the same kind of light desk (tune draw 8750
# `covered-corner-2`) puts skin inside the side (0.23-0.26 from the
# document's colours): still covered.
. "$(dirname "$0")/lib.sh"

need_numpy_python
expect_exit 0 "$PY" "$IDP_SRC/tests/realistic/mkreal.py" --corpus "$IDP_CORPUS" --set tune --seed 9062 \
    --extra --only light-11-paper.jpg -- "$T/light"
expect_grep '^light-11-paper.jpg	light-desk	' "$T/light/truth.tsv" "the white card is drawn"
expect_found "$T/light" "$T/light.json" --min-iou 0.97 light-11-paper.jpg

draw_tune 8750 "$T/set" 'covered-corner-2.jpg'
expect_grep '^covered-corner-2.jpg	covered-corner	' "$T/set/truth.tsv" "the covered card is drawn"
expect_exit 1 "$IDPACK" check "$T/set/covered-corner-2.jpg"
cat "$T/out"
expect_grep 'ok *document' "$T/out" "the covered card is found"
expect_grep 'FAIL *corners *A corner of the document is hidden' "$T/out" \
    "and fails corners as covered"
finish
