# A page running off the right of the frame (tests/realistic/mkreal.py
# --set tune --seed 7776, `cut-side-0`; drawn with the draw's other
# cut-off page and its photos with no document). Its portrait box is supported
# on four sides and was judged instead of the page's own three sides:
# before round 11 the box (IoU 0.23 with the page) was returned, `corners`
# passed and `check` called the photo usable. Since round 11
# (docs/detection.md "Round 11: cut-off cards") the three-sided search
# runs in every look, kept only when its U encloses a quad found (the
# document's print inside its outline), and a U that holds wins over the
# quad inside it: the page is found and `corners` fails as cut off. The
# draw's photos with no document get no quad.
. "$(dirname "$0")/lib.sh"

need_numpy_python
draw_tune 7776 "$T/set" 'cut-side-*' 'no-document-*'
expect_grep '^cut-side-0.jpg	cut-off-side	' "$T/set/truth.tsv" "the cut-off page is drawn"
expect_exit 0 "$PY" "$IDP_SRC/tests/realistic/evaluate.py" "$IDPACK" "$T/set" --json "$T/r.json" \
    --max-wrong-quads 0
cat "$T/out"
expect_grep '^wrong quads: 0$' "$T/out" "no wrong quad, no quad without a document"
expect_grep '^cut-off-side  *2  *2/2  *0  *2/2' "$T/out" "both cut-off documents found, both fail corners"
expect_exit 1 "$IDPACK" check "$T/set/cut-side-0.jpg"
cat "$T/out"
expect_grep 'ok *document' "$T/out" "the cut-off page is found"
expect_grep 'FAIL *corners *A corner of the document is cut off' "$T/out" "and fails corners as cut off"

# Round 13 (docs/detection.md "Round 13: covered and cut-off cards"): tune
# 8020 `cut-corner-2`, a card on a patterned cloth with a corner past the
# top of the frame. The zoomed look judges its outline at 0.70, but a quad
# of the same look sharing three of its sides, refused because its fourth
# (a line inside the card) stops short of the frame, made it "the same
# object": main gives "no ID found". Now the refusal is that side's: the
# card is found (IoU >= 0.9) and fails `corners` as cut off.
draw_tune 8020 "$T/s8020" 'cut-corner-2.jpg'
expect_exit 0 "$PY" "$IDP_SRC/tests/realistic/evaluate.py" "$IDPACK" "$T/s8020" --json "$T/r2.json" \
    --max-wrong-quads 0
cat "$T/out"
expect_grep '^cut-off-corner  *1  *1/1  *0  *1/1' "$T/out" "the cut-off card found, failing corners"
expect_exit 1 "$IDPACK" check "$T/s8020/cut-corner-2.jpg"
cat "$T/out"
expect_grep 'ok *document' "$T/out" "the cut-off card is found"
expect_grep 'FAIL *corners *A corner of the document is cut off' "$T/out" "and fails corners as cut off"

# Round 15 (docs/detection.md "Round 15: cut-off pages"): tune 8026
# `cut-side-0`, an ID-3 page running off the right of the frame on a light
# desk. Its U (the page's top, left and bottom sides, both parallel ones
# seen up to the frame's edge) is not judged (the U kept for judging
# encloses another quad), and the box printed
# on its left (its portrait and the page's top-left corner, IoU 0.24 with
# the page) was returned alone: `corners` passed and `check` called the
# photo usable (exit 0). Now a box that such a U encloses fails `corners`
# as cut off.
draw_tune 8026 "$T/s8026" 'cut-side-0.jpg'
expect_exit 1 "$IDPACK" check "$T/s8026/cut-side-0.jpg"
cat "$T/out"
expect_grep 'FAIL *corners *A corner of the document is cut off' "$T/out" \
    "the box inside the cut-off page fails corners as cut off"
finish
