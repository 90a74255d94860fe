# A card far away (tests/realistic/mkreal.py --extra, tune draw 7431,
# `far-2-dark`: 350 px long in a 2016 x 1512 photo, 2.4 % of the frame;
# docs/detection.md "Round 9"). Under the 4 % area floor of the usual
# look, the finder before round 9 found nothing ("no ID found"); the
# zoomed look finds it, so the photo fails `resolution` (350 px, under
# 506) as it should, not `document`; and no wrong quad.
. "$(dirname "$0")/lib.sh"

if ! PY=$(numpy_python /usr/bin/python3 python3); then
    echo "SKIP: python3 with numpy and PIL (python3-numpy, python3-pil) not found"
    exit 0
fi
expect_exit 0 "$PY" "$IDP_SRC/tests/realistic/mkreal.py" --corpus "$IDP_CORPUS" --set tune --seed 7431 \
    --extra --only far-2-dark.jpg -- "$T/set"
expect_grep '^far-2-dark.jpg	far	' "$T/set/truth.tsv" "the far card is drawn"
expect_exit 0 "$PY" "$IDP_SRC/tests/realistic/evaluate.py" "$IDPACK" "$T/set" --json "$T/r.json" \
    --max-wrong-quads 0
cat "$T/out"
expect_grep '^wrong quads: 0$' "$T/out" "no wrong quad"
expect_grep '^documents found [^:]*: 1 / 1 ' "$T/out" "the far card is found"
expect_exit 1 "$IDPACK" check "$T/set/far-2-dark.jpg"
cat "$T/out"
expect_grep 'ok *document' "$T/out" "the document is found"
expect_grep 'FAIL *resolution' "$T/out" "and fails resolution"
finish
