# Round 9, patterned surfaces (docs/detection.md "Round 9: patterned
# surfaces"): two photos of a draw of the realistic tune set
# (tests/realistic/mkreal.py --set tune --seed 7301), drawn with the draw's
# photos without a document. Before round 9 they were "no ID found":
# - pair-1-back, a card on a gingham tablecloth: the look past the pattern
#   judged its outline at 0.59 with 127 letters, and it was held back as
#   "the same object" as a twin whose one side was a line of the cloth,
#   refused because the cloth crossed that side. A crossed side refuses
#   the side, not the object: a later outline without that side is judged
#   on its own (the merged form, idp_detect.c's same_object).
# - dark-0, a card placed off the frame's centre under a strong tilt: its
#   true aspect with the principal point at the frame's centre is more than
#   10 % from an ID's; with the principal point at the document's centre
#   (the other hypothesis now tried) it is an ID-1 card.
# Both must now be found (IoU >= 0.9); no photo without a document gets a
# quad except the book of no-document-3-wood (a known wrong quad, see the
# docs): of the photos drawn (pair-1's front comes with its back) at most
# that one has a wrong quad. (The whole draw's ceiling, 3 wrong quads, is
# not asserted since round 12: no wrong quad on a whole draw is
# cli/test_realistic's floor, on the held-out set.)
. "$(dirname "$0")/lib.sh"

need_numpy_python
draw_tune 7301 "$T/set" pair-1-back.jpg dark-0.jpg 'no-document-*'
expect_grep '^pair-1-back.jpg	front-back	' "$T/set/truth.tsv" "the tablecloth pair is drawn"
expect_exit 0 "$PY" "$IDP_SRC/tests/realistic/evaluate.py" "$IDPACK" "$T/set" --json "$T/r.json" \
    --max-wrong-quads 1
cat "$T/out"
cat >"$T/found.py" <<'PYEOF'
import json, sys
r = {p["file"]: p for p in json.load(open(sys.argv[1]))["photos"]}
bad = False
for f in ("pair-1-back.jpg", "dark-0.jpg"):
    p = r[f]
    print(p["file"], p["quad_result"], p["iou"], p["failing"])
    bad = bad or p["quad_result"] != "correct" or "document" in p["failing"]
bad = bad or "corners" in r["pair-1-back.jpg"]["failing"]
for f, q in r.items():
    if q["category"] == "no-document" and q["found_quad"] is not None and f != "no-document-3-wood.jpg":
        print(f, "a quad where there is no document")
        bad = True
sys.exit(1 if bad else 0)
PYEOF
expect_exit 0 "$PY" "$T/found.py" "$T/r.json"
cat "$T/out"
finish
