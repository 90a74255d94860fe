"""cutoff.py CHECK_JSON ROW_JSON none|page: whether `idpack check --json`'s
verdict on a page the frame cuts off (CHECK_JSON) and tests/realistic/
evaluate.py's row for it (ROW_JSON, its --json output of that one photo)
say what the finder's cut-off rules promise. `none`: no quad, the document
marked cut off, `document` failing with the cut-off advice (round 24).
`unseen`: no quad, not marked cut off (a corner on the frame's edge,
round 27), `document` and `corners` failing as nothing found.
`page`: the page's own outline (IoU >= 0.9 with the page or its part in
the frame), running out of the frame, `document` passing and only
`corners` failing among the judged checks (round 25). `none` and `page`:
`corners` failing as cut off. Prints what is wrong, or ok; exits 1 when anything is.
The cli tests of cut-off pages share it."""
import json
import sys

im = json.load(open(sys.argv[1]))["images"][0]
row = json.load(open(sys.argv[2]))["photos"][0]
want = sys.argv[3]
doc = im["document"]
checks = {c["id"]: c for c in im["checks"]}
bad = []
if want in ("none", "unseen"):
    if doc["found"] or doc["quad"] is not None:
        bad.append("a quad was given: %s" % doc["quad"])
    if doc["cut_off"] is not (want == "none"):
        bad.append("marked cut off" if doc["cut_off"] else "not marked cut off")
    if checks["document"]["status"] != "fail":
        bad.append("document is %s" % checks["document"]["status"])
    says = "The document runs out of the photo" if want == "none" else "No ID card or passport"
    if not checks["document"]["message"].startswith(says):
        bad.append("document says: " + checks["document"]["message"])
else:
    # the page's outline (the box printed on it is IoU 0.22-0.31)
    if row["quad_result"] != "correct" or (row["iou"] or 0) < 0.9:
        bad.append("the page is not found: %s %s" % (row["quad_result"], row["iou"]))
    if row["failing"] != ["corners"]:
        bad.append("failing: %s (only corners expected)" % row["failing"])
    pts = doc["quad"] or []
    if not any(x < 0 or y < 0 or x > im["width"] or y > im["height"] for x, y in pts):
        bad.append("no corner outside the frame: %s" % doc["quad"])
    if checks["document"]["status"] != "pass":
        bad.append("document is %s" % checks["document"]["status"])
if checks["corners"]["status"] != "fail":
    bad.append("corners is %s" % checks["corners"]["status"])
says = "No document was found" if want == "unseen" else "A corner of the document is cut off"
if not checks["corners"]["message"].startswith(says):
    bad.append("corners says: " + checks["corners"]["message"])
print("\n".join(bad) or "ok")
sys.exit(1 if bad else 0)
