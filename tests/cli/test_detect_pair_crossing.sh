# A card's corner on a crossing of the tablecloth's lines (docs/detection.md
# "Round 19: the tablecloth pair's back").
# tests/realistic/mkreal.py --set tune --seed 8950, `pair-1-back` (drawn with
# its front): an ID-1 back a third of the frame across on teal and green
# gingham, one corner where two of the cloth's lines cross. Both of the
# card's sides there lie on the cloth's lines, which go on past the corner;
# the other three corners are clean. main read that as two lines going on
# (the corner factor 0.4) and the quad, every side supported 1.00 and 172
# letters inside, stayed at 0.394-0.396, under the bar: "no ID found". Now
# both lines going on past one corner only are read as one: found (IoU >=
# 0.9), `document` and `corners` pass. The photo of the cloth alone
# (`no-document-0-tablecloth`) still gets no quad.
. "$(dirname "$0")/lib.sh"

need_numpy_python
draw_tune 8950 "$T/set" 'pair-1-back.jpg' 'no-document-0-tablecloth.jpg'
# no wrong quad; found (IoU >= 0.9), passing `document` and `corners`; no
# quad on the cloth
expect_found "$T/set" "$T/r.json" pair-1-back.jpg
expect_grep '^pair-1-back.jpg correct' "$T/out" "the back at the cloth's crossing is found (IoU >= 0.9)"
finish
