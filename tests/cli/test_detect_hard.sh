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
import csv, json, sys
def area(p):
    return sum(p[i][0] * p[(i + 1) % len(p)][1] - p[(i + 1) % len(p)][0] * p[i][1] for i in range(len(p))) / 2
def iou(a, b):
    a = a if area(a) > 0 else a[::-1]
    b = b if area(b) > 0 else b[::-1]
    out = a
    for i in range(4):
        p, q = b[i], b[(i + 1) % 4]
        side = lambda r: (q[0] - p[0]) * (r[1] - p[1]) - (q[1] - p[1]) * (r[0] - p[0])
        inp, out = out, []
        for j in range(len(inp)):
            s, t = inp[j], inp[(j + 1) % len(inp)]
            if side(s) >= 0: out.append(s)
            if (side(s) >= 0) != (side(t) >= 0):
                k = side(s) / (side(s) - side(t))
                out.append((s[0] + k * (t[0] - s[0]), s[1] + k * (t[1] - s[1])))
        if not out: return 0.0
    inter = abs(area(out))
    return inter / (abs(area(a)) + abs(area(b)) - inter)
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
