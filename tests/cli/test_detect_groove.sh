# Round 11 (split out of cli/test_detect_pattern, which with this third
# draw ran past the suite's 600 s under load).
. "$(dirname "$0")/lib.sh"

need_numpy_python
# expect_found (lib.sh): no wrong quad; each FILE found (IoU >= 0.9) and passing `document`
# and `corners`; no quad on a photo without a document

# Round 11 (docs/detection.md "Round 11: good photos pass"): tune draw
# 7781's striped-wood-2, a card whose short side lies along the planks.
# The quad's side was the groove between two planks, which meets the
# card's edge at one corner and runs 3.25 mm outside it at the other: the
# card found (IoU 0.944) but failing `corners`. A side whose line goes on
# past a corner is now moved inward to the line that best separates the
# surface from the card (idp_quad_snap): found at IoU 0.976, passing. No
# photo of the draw without a document gets a quad (drawn with it: the
# draw's one other wrong quad is not, since round 12; no wrong quad on a
# whole draw is cli/test_realistic's floor, on the held-out set).
draw_tune 7781 "$T/groove" striped-wood-2.jpg 'no-document-*'
expect_found "$T/groove" "$T/g.json" striped-wood-2.jpg
finish
