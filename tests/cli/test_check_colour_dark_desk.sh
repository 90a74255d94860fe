# A toned card on a black desk (docs/checks.md "Round 32: colour on a dark
# desk"), drawn through a phone's camera (tests/realistic/mkreal.py --set
# tune, seed 9159's `sepia-1.jpg`): the card covers 4.4 % of the frame and
# the desk is too dark (luma < 32) to show a colour, so `colour` only
# warned "too dark to tell" (under 5 % of the frame lit), and a sepia photo
# got no failure. The card is found and well exposed, so its colour is
# read on the card's box, where it is lit: toned, `colour` fails. The
# control: a colour card as small on a dark desk (the extra draw 9161's
# `far-2-dark.jpg`, 1 % of the frame lit) is read the same way and
# passes `colour`.
. "$(dirname "$0")/lib.sh"

need_numpy_python
draw_tune_phone 9159 "$T/set" 'sepia-1.jpg'
expect_grep '^sepia-1.jpg	sepia	.*	fail:colour	' "$T/set/truth.tsv" "the sepia card is drawn"
expect_check_fails "$T/set/sepia-1.jpg" colour
expect_grep '"message": *"The photo is toned in one colour, like sepia' "$T/check.json" \
    "the sepia photo is called toned, not too dark"
expect_exit 0 "$PY" -c '
import json, sys
im = json.load(open(sys.argv[1]))["images"][0]
sys.exit(0 if {c["id"]: c["status"] for c in im["checks"]}["exposure"] == "pass" else 1)' "$T/check.json"

(
    FAILS=0
    export IDP_REAL_CAMERA=phone
    expect_exit 0 "$PY" "$IDP_SRC/tests/realistic/mkreal.py" --corpus "$IDP_CORPUS" --set tune \
        --seed 9161 --extra --only far-2-dark.jpg -- "$T/far"
    exit "$FAILS"
) || fail "drawing the extra draw 9161's far card"
expect_exit 1 "$IDPACK" check --json "$T/far/far-2-dark.jpg"
cp "$T/out" "$T/far.json"
expect_exit 0 "$PY" -c '
import json, sys
im = json.load(open(sys.argv[1]))["images"][0]
c = {x["id"]: x for x in im["checks"]}
print(im["document"]["found"], c["exposure"]["status"], c["colour"]["status"], c["colour"]["value"])
sys.exit(0 if im["document"]["found"] and c["colour"]["status"] == "pass" else 1)' "$T/far.json"
cat "$T/out"
finish
