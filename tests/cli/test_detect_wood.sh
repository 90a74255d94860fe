# Round 18 (docs/detection.md "Round 18: striped wood"): tune draw 8942's
# striped-wood-0, an ID-3 page whose long side lies along a groove between
# two planks that meets the page's edge at one corner (1 px apart there,
# 7.5 px outside at the other end, on the 500 px copy). The quad on the
# page's edge was marked down for that side "going on" past the corner
# (the groove, 2 degrees off the edge) and lost to a quad with its side on
# the wood beside the groove (IoU 0.904, failing `corners`). A line going
# on past a corner that, traced back along the side, lies outside it at a
# growing gap (a surface's line meeting the side at the corner) no longer
# counts against the side when the surface is on both sides of it past
# the corner (idp_run_crosses): found at IoU 0.998, passing.
# The draw's striped-wood photo without a document gets no quad.
. "$(dirname "$0")/lib.sh"

need_numpy_python
# expect_found (lib.sh) --min-iou 0.95: no wrong quad; each FILE found at IoU >= 0.95 (the
# side on the page's edge, not the groove beside it) and passing `document`
# and `corners`; no quad on a photo without a document

draw_tune 8942 "$T/wood" striped-wood-0.jpg 'no-document-3-wood*'
expect_found "$T/wood" "$T/w.json" --min-iou 0.95 striped-wood-0.jpg
finish
