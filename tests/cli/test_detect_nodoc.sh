# No invented documents: photos without a document on textured surfaces, with
# a book, an A4 sheet, a phone or a keyboard on them (tests/images/mknodoc.py,
# seed 9009: the first 12 of the draw docs/detection.md "Round 4" was written
# on, which gave 2 quads before it: an A4 letter and a book), get no quad;
# the white-card controls drawn with them give no wrong quad either.
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
finish
