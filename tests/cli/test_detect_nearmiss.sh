# Round 18, quads just off the document (docs/detection.md "Round 18: quads
# just off the document"): stripped-camera-1280x720 of the realistic tune
# draw 8751 (tests/realistic/mkreal.py --set tune --seed 8751), a card on a
# gingham tablecloth in a 1280 x 720 photo. The look past the pattern
# leaves out the direction bands the cloth's rows fill, the card's long
# edges among them; its outline had both long sides on rows of the cloth
# crossing the card's edges at a slight angle (IoU 0.89: a wrong quad, and
# `corners` failed on it). Each such side is now moved onto the line the
# steps across it hold (idp_turned.c): the quad must be right (IoU >= 0.9)
# or absent, found preferred; found, its corners are in view.
. "$(dirname "$0")/lib.sh"

need_numpy_python
draw_tune 8751 "$T/set" stripped-camera-1280x720.jpg
expect_found "$T/set" "$T/r.json" stripped-camera-1280x720.jpg
finish
