# Light documents judged (docs/detection.md "Round 17: light documents
# judged"): drawn ID-1 cards on a printed letter among clutter
# (tests/realistic/mkscenes.py, tune draws 8730 scene-02-on-print and
# 8731 scene-09-desk). Round 16's light side forms each card's quad (IoU
# 0.96 and 0.99), but the strips beside its light sides are spread by the
# letter's text and the card's print, so their contrast read 0.43-0.82
# where 1.5 is full, and the evidence refused them (confidence 0.33,
# 0.21): `document` failed. Read as a step against the noise beside it,
# each light side is the card's edge: both cards are found, with no wrong
# quad, and the verdict is right (main fails `document` on both: the
# assertions fail there).
. "$(dirname "$0")/lib.sh"

need_numpy_python
expect_exit 0 "$PY" "$IDP_SRC/tests/realistic/mkscenes.py" --corpus "$IDP_CORPUS" --set tune \
    --seed 8730 --only scene-02-on-print.jpg -- "$T/set"
expect_exit 0 "$PY" "$IDP_SRC/tests/realistic/mkscenes.py" --corpus "$IDP_CORPUS" --set tune \
    --seed 8731 --only scene-09-desk.jpg -- "$T/set2"
mv "$T/set2/scene-09-desk.jpg" "$T/set/"
tail -n +2 "$T/set2/truth.tsv" >>"$T/set/truth.tsv"
expect_exit 0 "$PY" "$IDP_SRC/tests/realistic/evaluate.py" "$IDPACK" "$T/set" --jobs 1 \
    --max-wrong-quads 0
cat "$T/out"
expect_grep '^documents found .*: 2 / 2 ' "$T/out" "both cards with a light side are found"
expect_grep '^wrong quads: 0$' "$T/out" "no wrong quad"
expect_grep '^verdicts right: 2 / 2 ' "$T/out" "neither fails document"
finish
