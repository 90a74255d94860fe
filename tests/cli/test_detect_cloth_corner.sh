# A card's side continued by a line of the tablecloth (docs/detection.md
# "Round 18: front and back on a tablecloth").
# (a) tests/realistic/mkreal.py --set tune --seed 8750, `pair-1-back`
# (drawn with its front): an ID-1 back on green and pink gingham, found
# (IoU 0.99) and then failed by `corners` as cut off, 550 px from the
# frame's edge: a line of the checks goes on past one corner along the
# card's side to the frame's edge, between colours within the match of
# the card's and the cloth's. The card's other side at that corner is seen
# up to it, ends there and has the same cloth outside it: the outline
# turns there, and the line is the cloth's. Now `document` and `corners`
# pass (main: `corners` fails as cut off).
# (b) tune 8951 `cut-corner-1`: a card cut off by the frame, whose side
# runs out where the other side is too faint to judge, still fails
# `corners` as cut off.
. "$(dirname "$0")/lib.sh"

need_numpy_python
draw_tune 8750 "$T/pair" 'pair-1-back.jpg'
# no wrong quad; found (IoU >= 0.9), passing `document` and `corners`
expect_found "$T/pair" "$T/r.json" pair-1-back.jpg
expect_grep '^pair-1-back.jpg correct' "$T/out" "the back on the tablecloth is found (IoU >= 0.9)"
# (the exit code is the card's: its MRZ's expiry date has passed)
"$IDPACK" check "$T/pair/pair-1-back.jpg" >"$T/out" 2>&1 || true
cat "$T/out"
expect_grep 'ok *document' "$T/out" "the back passes document"
expect_grep 'ok *corners' "$T/out" "the back passes corners (the cloth's line is not the card running out)"

draw_tune 8951 "$T/cut" 'cut-corner-1.jpg'
"$IDPACK" check "$T/cut/cut-corner-1.jpg" >"$T/out" 2>&1 || true
cat "$T/out"
expect_grep 'FAIL *corners *A corner of the document is cut off' "$T/out" "a cut-off card still fails corners"
finish
