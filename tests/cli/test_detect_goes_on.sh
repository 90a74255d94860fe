# A larger outline is the document only where it goes on as one: the
# stretch it adds separates colours as the side it continues does
# (docs/detection.md "Round 22: an outline that does not go on"). Drawn
# through a phone's camera (tests/realistic/mkreal.py --set tune):
# - seed 7399 `clutter-0.jpg`, an ID-1 back on striped wood. The card's quad
#   was grown outward onto a line of the wood: its top side runs on 160 px
#   past the card's corner over the wood, whose stripes give the edge
#   support the growth asked for, and the quad (IoU 0.88, read as a page)
#   passed `corners`.
# - seed 9134 `light-mrz-band-1.jpg`, an ID-1 back on striped wood. The
#   card was found (confidence 0.99), and a U of round 11 (a document cut
#   off by the frame) around it, its two sides the card's short sides run
#   on over the wood to the frame, won as "the outline of a document whose
#   print the card is" (IoU 0.34); `corners` failed a good photo.
# Both are now found (IoU >= 0.9) and pass `document` and `corners`. The
# outlines these rules keep (a page's U going on past the box printed in
# it, an outline grown past a printed line) are test_detect_cutside's and
# test_detect_inner's photos.
. "$(dirname "$0")/lib.sh"

need_numpy_python
(
    export IDP_REAL_CAMERA=phone # lib.sh keeps the old camera for the named draws
    draw_tune 7399 "$T/a" 'clutter-0.jpg'
    draw_tune 9134 "$T/b" 'light-mrz-band-1.jpg'
    exit "$FAILS"
) || fail "drawing the phone-camera photos"
expect_found "$T/a" "$T/a.json" clutter-0.jpg
expect_grep '^clutter-0.jpg correct' "$T/out" "the card, not the card grown onto the wood's line"
expect_found "$T/b" "$T/b.json" light-mrz-band-1.jpg
expect_grep '^light-mrz-band-1.jpg correct' "$T/out" "the card, not a U of the card's sides run on over the wood"
finish
