# No invented documents: photos without a document on textured surfaces, with
# a book, an A4 sheet, a phone or a keyboard on them (tests/images/mknodoc.py),
# get no quad; the white-card controls drawn with them give no wrong quad
# either. One draw per line below: its seed, how many photos without a
# document, a photo its truth must list (the draw is the one the docs speak
# of), and why it is here.
#   9009: the first 12 of the draw docs/detection.md "Round 4" was written
#         on, which gave 2 quads before it (an A4 letter and a book).
#   9623: round 10: photos of a book and a phone on the carpet and on the
#         dark desk gave quads before it (the dark ground between light
#         letters read as print; "Round 10: wrong quads").
#   8020: round 15: a book on wood (nodoc-10) whose sharp cover reads 15
#         print components on two short lines gave a quad before it (a
#         sharp copy with fewer than 20 is no ID's side; "Round 15: no
#         document").
# Then draw 9622, whose phone on the striped planks (nodoc-20) was a quad
# before round 11 (its icons read as 11 light letters, no line of a word, on
# a sharp copy; "Round 11: wrong quads"); its plain rectangle on the
# tablecloth (nodoc-04: no print at all, 0.45) is still a quad, known.
. "$(dirname "$0")/lib.sh"

if ! PY=$(numpy_python /usr/bin/python3 python3); then
    echo "SKIP: python3 with numpy and PIL (python3-numpy, python3-pil) not found"
    exit 0
fi
while read -r seed n drawn why; do
    set="$T/set-$seed"
    expect_exit 0 "$PY" "$IDP_SRC/tests/images/mknodoc.py" --corpus "$IDP_CORPUS" --n "$n" --seed "$seed" "$set"
    expect_grep "$drawn	no-document	none" "$set/truth.tsv" "draw $seed: $drawn is drawn"
    expect_exit 0 "$PY" "$IDP_SRC/tests/realistic/evaluate.py" "$IDPACK" "$set" --max-wrong-quads 0
    cat "$T/out"
    expect_grep '^wrong quads: 0$' "$T/out" "draw $seed: no quad on a photo without a document ($why)"
    expect_grep "^no-document +$n " "$T/out" "draw $seed: all $n judged"
done <<'DRAWS'
9009 12 nodoc-08-light.jpg an A4 letter and a book
9623 12 nodoc-07-dark.jpg a book and a phone on the dark desk
8020 12 nodoc-10-wood.jpg a book on wood, its sharp cover with too little print
DRAWS

expect_exit 0 "$PY" "$IDP_SRC/tests/images/mknodoc.py" --corpus "$IDP_CORPUS" --n 24 --seed 9622 "$T/set-9622"
expect_grep 'nodoc-20-striped-wood.jpg	no-document	none' "$T/set-9622/truth.tsv" "draw 9622: the phone on the planks is drawn"
expect_exit 0 "$PY" "$IDP_SRC/tests/realistic/evaluate.py" "$IDPACK" "$T/set-9622"
cat "$T/out"
expect_no_grep 'nodoc-20-striped-wood.jpg .*quad on a photo' "$T/out" "draw 9622: no quad on the phone"
expect_grep '^wrong quads: [01]$' "$T/out" "draw 9622: at most the plain rectangle on the tablecloth"
expect_grep '^no-document +24 ' "$T/out" "draw 9622: all 24 judged"
finish
