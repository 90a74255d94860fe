# Round 10, the checks (docs/checks.md "Round 10: the checks"): a sharp
# card small in a large frame, from a draw of the realistic tune set
# (tests/realistic/mkreal.py --set tune --seed 7642, its two photos).
# - stripped-camera-2160x3840: an ID-1 card 608 px long in a 4K frame is
#   158 px on the 1000 px copy (1.85 px/mm), where the blur width's floor
#   (0.22-0.69 px on the photos that must pass) read 0.32 mm: it failed
#   `sharpness` as blurred. Read on the decode's pixels it is 0.09 mm.
#   The same photo blurred by a Gaussian of 0.2 mm must still pass the
#   width (it read 0.42 mm before), and one of 0.4 mm must fail it.
# - stripped-camera-1280x720: its card is 364 px long, under the 506 px of
#   150 DPI; the generator expects `resolution` to fail (it expected a
#   pass), and `screenshot` must still pass (a camera frame).
# - A pair's back under 150 DPI (phone draw 9138 `pair-0-back`, its card
#   476-497 px long): labelled `fail:resolution` like any photo under
#   506 px (the generator labelled pairs `pass` whatever their size until
#   round 32), and idpack fails it on `resolution`, the card found; its
#   front, 506 px or more, is labelled `pass`.
. "$(dirname "$0")/lib.sh"

need_numpy_python
draw_tune 7642 "$T/set" stripped-camera-2160x3840.jpg stripped-camera-1280x720.jpg
expect_grep '^stripped-camera-1280x720.jpg	stripped-camera	.*	fail:resolution	-	screenshot$' \
    "$T/set/truth.tsv" "the 720p frame's card under 150 DPI is expected to fail resolution"
"$PY" - "$T/set/stripped-camera-2160x3840.jpg" "$T" <<'PYEOF' || fail "blurred copies not written"
import sys
from PIL import Image, ImageFilter
im = Image.open(sys.argv[1])
# the card: 608 px for 85.6 mm, 7.1 px/mm
for mm in (0.2, 0.4):
    im.filter(ImageFilter.GaussianBlur(mm * 7.1)).save("%s/blur-%.1f.jpg" % (sys.argv[2], mm), quality=92)
PYEOF
cat >"$T/judge.py" <<'PYEOF'
import json, sys
im = json.load(open(sys.argv[1]))["images"][0]
c = {x["id"]: x for x in im["checks"]}
print(sys.argv[1], im["document"]["found"], {k: (v["status"], v["value"]) for k, v in c.items()
                                            if k in ("resolution", "sharpness", "screenshot")})
ok = im["document"]["found"]
for rule in sys.argv[2:]:
    k, want = rule.split("=")
    ok = ok and ((c[k]["status"] != "fail") if want == "nofail" else (c[k]["status"] == want))
sys.exit(0 if ok else 1)
PYEOF
check_one() {
    f=$1
    shift
    expect_exit 1 "$IDPACK" check --json "$f"
    cp "$T/out" "$T/one.json"
    expect_exit 0 "$PY" "$T/judge.py" "$T/one.json" "$@"
    cat "$T/out"
}
check_one "$T/set/stripped-camera-2160x3840.jpg" sharpness=nofail
check_one "$T/blur-0.2.jpg" sharpness=nofail
check_one "$T/blur-0.4.jpg" sharpness=fail
check_one "$T/set/stripped-camera-1280x720.jpg" resolution=fail screenshot=pass

draw_tune_phone 9138 "$T/pair" pair-0-back.jpg
expect_grep '^pair-0-back.jpg	front-back	.*	fail:resolution	pair-0-front.jpg	-$' "$T/pair/truth.tsv" \
    "a pair's back under 150 DPI is expected to fail resolution"
expect_grep '^pair-0-front.jpg	front-back	.*	pass	pair-0-back.jpg	-$' "$T/pair/truth.tsv" \
    "a pair's front over 150 DPI is expected to pass"
check_one "$T/pair/pair-0-back.jpg" resolution=fail
finish
