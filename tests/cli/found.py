"""found.py [--min-iou X] JSON FILE...: whether each FILE, a row of
tests/realistic/evaluate.py's --json output, was found (a quad at IoU
0.9 or more, or X) and passes `document` and `corners`, and whether every
photo without a document got no quad. Prints each row read; exits 1
when any of it fails. The cli tests of the document finder share it."""
import argparse
import json
import sys

ap = argparse.ArgumentParser()
ap.add_argument("--min-iou", type=float, default=0.9)
ap.add_argument("json")
ap.add_argument("files", nargs="*")
a = ap.parse_intermixed_args()
rows = {p["file"]: p for p in json.load(open(a.json))["photos"]}
bad = False
for f in a.files:
    p = rows[f]
    print(p["file"], p["quad_result"], p["iou"], p["failing"])
    bad = bad or p["quad_result"] != "correct" or (p["iou"] or 0) < a.min_iou
    bad = bad or "document" in p["failing"] or "corners" in p["failing"]
for f, q in rows.items():
    if q["category"] == "no-document" and q["found_quad"] is not None:
        print(f, "a quad where there is no document")
        bad = True
sys.exit(1 if bad else 0)
