# A passport page on a light desk among a phone and a keypad (tests/realistic/
# mkreal.py --set tune --seed 7371, `clutter-1`). The page's far end is
# divided from its data by a printed line across it; main took that line for
# the page's side and gave an ID-1-shaped quad inside the page (IoU 0.74,
# confidence 0.53), which passed: the crop would cut off the portrait. The
# page's long sides run on past the quad's corner along its MRZ, and the
# overrun test took the MRZ's steps beside the line for texture. Since round
# 15 (docs/detection.md "Round 15: a page cut at a printed line") steps on
# one side of the line only are not texture: the inner quad is refused and
# the page's own outline is found.
. "$(dirname "$0")/lib.sh"

need_numpy_python
draw_tune 7371 "$T/set" 'clutter-1.jpg'
expect_exit 0 "$PY" "$IDP_SRC/tests/realistic/evaluate.py" "$IDPACK" "$T/set" --json "$T/r.json" \
    --max-wrong-quads 0
cat "$T/out"
expect_grep '^wrong quads: 0$' "$T/out" "no quad inside the page"
expect_grep '^documents found [^:]*: 1 / 1 ' "$T/out" "the page's outline is found"
expect_exit 0 "$IDPACK" check --json "$T/set/clutter-1.jpg"
expect_grep '"kind": "id3"' "$T/out" "as a passport page"
finish
