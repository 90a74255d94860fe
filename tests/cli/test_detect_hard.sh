#!/usr/bin/env bash
# The document finder on hard cases (tests/images/mkhard.py): rectangular
# clutter (an A4 letter, a book, a chair's mesh, a printer tray) is no
# document; a card half off the frame is never its portrait box; scans
# (an exact crop, a page with a white margin) are the whole document;
# cards on carpet, on a terminal and a passport page on a desk are found.
# A wrong quad fails, a document not found on striped wood does not (the
# finder may say it could not find it; docs/detection.md).
. "$(dirname "$0")/lib.sh"
PY=$(numpy_python) || { fail "needs python3 with numpy and PIL (Debian: python3-numpy python3-pil)"; finish; }
D=$T/hard
"$PY" "$IDP_SRC/tests/images/mkhard.py" "$D" || { fail "mkhard.py"; finish; }
files=$(tail -n +2 "$D/hard.tsv" | cut -f1 | sed "s|^|$D/|")
# shellcheck disable=SC2086
"$IDPACK" check --json $files >"$T/out" 2>"$T/err" || true
if "$PY" - "$T/out" "$D/hard.tsv" >"$T/py" 2>&1 <<'PY'; then ok; else fail "$(cat "$T/py")"; fi
import csv, json, os, sys
sys.path.insert(0, os.path.join(os.environ["IDP_SRC"], "tests", "realistic"))
from evaluate import iou  # the IoU code evaluate.py --selftest checks
images = {i["file"].rsplit("/", 1)[-1]: i for i in json.load(open(sys.argv[1]))["images"]}
errors = []
for row in csv.DictReader(open(sys.argv[2]), delimiter="\t"):
    doc = images[row["file"]]["document"]
    name = row["file"]
    assert 0 <= doc["confidence"] <= 1, doc
    if row["kind"] == "none":
        if doc["found"]:
            errors.append("%s: clutter taken for a document (%s)" % (name, doc))
        continue
    truth = [(float(row["x%d" % i]), float(row["y%d" % i])) for i in range(4)]
    v = iou(truth, [tuple(p) for p in doc["quad"]]) if doc["found"] else 0
    print("%s found=%s iou=%.3f conf=%s scan=%s" % (name, doc["found"], v, doc["confidence"], doc["scan"]))
    if doc["found"] and v < 0.8:
        errors.append("%s: a wrong quad, IoU %.3f" % (name, v))
    if row["category"] == "scan" and not (doc["found"] and doc["scan"] and v >= 0.9):
        errors.append("%s: not recognised as a scan (%s, IoU %.3f)" % (name, doc, v))
    if name in ("carpet.jpg", "terminal.jpg", "passport-desk.jpg") and not doc["found"]:
        errors.append("%s: not found" % name)
assert not errors, errors
PY
finish
