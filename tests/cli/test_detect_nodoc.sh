# No invented documents: photos without a document on textured surfaces, with
# a book, an A4 sheet, a phone or a keyboard on them (tests/images/mknodoc.py,
# seed 9009: the first 12 of the draw docs/detection.md "Round 4" was written
# on, which gave 2 quads before it: an A4 letter and a book), get no quad;
# the white-card controls drawn with them give no wrong quad either.
# Round 10: a second draw (seed 9623) whose photos of a book and a phone on the
# carpet and on the dark desk gave quads before it (the dark ground between
# light letters read as print; docs/detection.md "Round 10: wrong quads").
. "$(dirname "$0")/lib.sh"

if ! PY=$(numpy_python /usr/bin/python3 python3); then
    echo "SKIP: python3 with numpy and PIL (python3-numpy, python3-pil) not found"
    exit 0
fi
expect_exit 0 "$PY" "$IDP_SRC/tests/images/mknodoc.py" --corpus "$IDP_CORPUS" --n 12 --seed 9009 "$T/set"
expect_grep 'nodoc-08-light.jpg	no-document	none' "$T/set/truth.tsv" "the A4 letter is drawn"
expect_exit 0 "$PY" "$IDP_SRC/tests/realistic/evaluate.py" "$IDPACK" "$T/set" --max-wrong-quads 0
cat "$T/out"
expect_grep '^wrong quads: 0$' "$T/out" "no quad on a photo without a document"
expect_grep '^no-document +12 ' "$T/out" "all twelve judged"

expect_exit 0 "$PY" "$IDP_SRC/tests/images/mknodoc.py" --corpus "$IDP_CORPUS" --n 12 --seed 9623 "$T/set2"
expect_grep 'nodoc-07-dark.jpg	no-document	none' "$T/set2/truth.tsv" "the dark desk with its clutter is drawn"
expect_exit 0 "$PY" "$IDP_SRC/tests/realistic/evaluate.py" "$IDPACK" "$T/set2" --max-wrong-quads 0
cat "$T/out"
expect_grep '^wrong quads: 0$' "$T/out" "no quad on the clutter of draw 9623"
expect_grep '^no-document +12 ' "$T/out" "all twelve of draw 9623 judged"
finish
