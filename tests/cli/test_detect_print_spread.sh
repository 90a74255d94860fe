# A quad whose print fills a corner of it (docs/detection.md "Round 28:
# print in one corner of the quad"). Drawn through a phone's camera
# (tests/realistic/mkreal.py --set tune): seed 9167's `glare-2.jpg`, a card
# with a reflection on it, lying on a gingham tablecloth. The finder's
# second look took a rectangle of the cloth's lines with the card in one
# corner of it (IoU 0.143, confidence 0.610 over the bar: the card's print
# inside it passed the content test) and `check` only warned. That
# rectangle's print covers an eighth of it; an ID prints from margin to
# margin. Now the card's own outline wins and `glare` fails the photo.
. "$(dirname "$0")/lib.sh"

need_numpy_python
draw_tune_phone 9167 "$T/g" 'glare-2.jpg'
expect_found "$T/g" "$T/g.json" --min-iou 0.95 glare-2.jpg
expect_check_fails "$T/g/glare-2.jpg" glare
finish
