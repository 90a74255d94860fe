# A later look's right quad is not vetoed as "the same object" by a quad
# refused for a side it does not have (docs/detection.md "Round 21: a veto
# for the wrong reason"). tests/realistic/mkreal.py --set tune --seed 9072
# through a phone's camera: `pair-1-back` (drawn with its front), an ID-1
# back on a gingham tablecloth, and `good-07-tablecloth`, a page on one.
# On the card the coarse looks formed page-shaped quads with a side on a
# line of the cloth (crossed); the zoomed look found the card (confidence
# 1.00) at IoU 0.80 with them, and that veto took no account of where the
# refusal lay. On the page a quad of the second look with a corner out of
# the frame was refused for a side stopping short of the frame's edge; the
# pattern look's page, every corner in view, was refused at IoU 0.79 with
# it. Both are now judged on their own evidence: found (IoU >= 0.9),
# `document` and `corners` pass. The cloth alone (`no-document-0-tablecloth`)
# still gets no quad.
. "$(dirname "$0")/lib.sh"
export IDP_REAL_CAMERA=phone # drawn as the tune draw 9072 was (lib.sh keeps the old camera)

need_numpy_python
draw_tune 9072 "$T/set" 'pair-1-back.jpg' 'good-07-tablecloth.jpg' 'no-document-0-tablecloth.jpg'
expect_found "$T/set" "$T/r.json" pair-1-back.jpg good-07-tablecloth.jpg
expect_grep '^pair-1-back.jpg correct' "$T/out" "the card refused for the cloth's crossed line is found"
expect_grep '^good-07-tablecloth.jpg correct' "$T/out" "the page refused for a side stopping short is found"
finish
