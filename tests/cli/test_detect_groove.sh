# Round 11 (split out of cli/test_detect_pattern, which with this third
# draw ran past the suite's 600 s under load).
. "$(dirname "$0")/lib.sh"

need_numpy_python
# found.py JSON FILE...: each FILE found (IoU >= 0.9) and passing
# `document` and `corners`; no quad on a photo without a document
cat >"$T/found.py" <<'PYEOF'
import json, sys
r = {p["file"]: p for p in json.load(open(sys.argv[1]))["photos"]}
bad = False
for f in sys.argv[2:]:
    p = r[f]
    print(p["file"], p["quad_result"], p["iou"], p["failing"])
    bad = bad or p["quad_result"] != "correct" or "document" in p["failing"] or "corners" in p["failing"]
for f, q in r.items():
    if q["category"] == "no-document" and q["found_quad"] is not None:
        print(f, "a quad where there is no document")
        bad = True
sys.exit(1 if bad else 0)
PYEOF

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
expect_exit 0 "$PY" "$IDP_SRC/tests/realistic/evaluate.py" "$IDPACK" "$T/groove" --json "$T/g.json" \
    --max-wrong-quads 0
expect_exit 0 "$PY" "$T/found.py" "$T/g.json" striped-wood-2.jpg
cat "$T/out"
finish
