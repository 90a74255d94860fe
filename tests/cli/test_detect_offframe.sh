# Things running out of the frame are not a cut-off document
# (docs/detection.md, "Round 16: things running out of the frame"): two
# cluttered scenes without a document (tests/realistic/mkscenes.py, tune),
# each with a thing cut off by the frame's edge that main read as a cut-off
# ID-3 page (a U of three lines, its fourth side placed out of view, no
# print at all in view, judged 0.45 as a plain rectangle) and failed
# `corners` with the advice to step back:
#   8732 scene-05: a phone with a dark screen running out of the top;
#   8731 scene-11: a book's dark picture box running out of the left.
# Now no quad on either, and `document` fails; `corners` fails as not seen
# (no document), never as cut off. The cut-off IDs stay found and failing
# `corners` as cut off (cli/test_detect_cutside).
. "$(dirname "$0")/lib.sh"

need_numpy_python
while read -r seed name what; do
    dir="$T/s$seed"
    expect_exit 0 "$PY" "$IDP_SRC/tests/realistic/mkscenes.py" --corpus "$IDP_CORPUS" --set tune \
        --seed "$seed" --only "$name" -- "$dir"
    expect_grep "^$name	clutter-only	none	" "$dir/truth.tsv" "$seed $name is drawn"
    expect_exit 1 "$IDPACK" check --json "$dir/$name"
    cp "$T/out" "$T/$seed.json"
    expect_grep '"id": "document",' "$T/$seed.json" "$seed: a document check"
    "$PY" - "$T/$seed.json" <<'PYEOF' && ok || fail "$seed $name ($what): a quad, or document not failing"
import json, sys
im = json.load(open(sys.argv[1]))["images"][0]
doc = im["document"]
checks = {c["id"]: c["status"] for c in im["checks"]}
corners = next(c["message"] for c in im["checks"] if c["id"] == "corners")
print(doc, checks.get("document"), checks.get("corners"), corners)
sys.exit(0 if not doc["found"] and doc["quad"] is None and checks.get("document") == "fail"
         and corners.startswith("No document was found") else 1)
PYEOF
done <<'SCENES'
8732 scene-05-clutter-only.jpg a phone with a dark screen
8731 scene-11-clutter-only.jpg a book's picture box
SCENES
finish
