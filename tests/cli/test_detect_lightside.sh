# The light side (docs/detection.md "Round 16: the light side"): a drawn
# ID-1 back on a white desk among clutter (tests/realistic/mkscenes.py,
# tune draw 8732, scene-04-desk). One short side (light stock on the
# white desk) is in no look's line list, and the finder before round 16
# found nothing; its three other sides make a U, the fourth side is found
# by its colour steps in the band a card's aspect puts it in, and the quad
# so formed passes the evidence and the content as any other: the card is
# found (IoU >= 0.9), with no wrong quad. (Main finds nothing on it: the
# assertion fails there.)
. "$(dirname "$0")/lib.sh"

need_numpy_python
expect_exit 0 "$PY" "$IDP_SRC/tests/realistic/mkscenes.py" --corpus "$IDP_CORPUS" --set tune \
    --seed 8732 --only scene-04-desk.jpg -- "$T/set"
expect_exit 0 "$PY" "$IDP_SRC/tests/realistic/evaluate.py" "$IDPACK" "$T/set" --jobs 1 \
    --max-wrong-quads 0
cat "$T/out"
expect_grep '^documents found .*: 1 / 1 ' "$T/out" "the card with a light side is found"
expect_grep '^wrong quads: 0$' "$T/out" "no wrong quad"
finish
