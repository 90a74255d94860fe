# tests/realistic/mkreal.py --only on the main set (docs/testing.md,
# "Drawing only the photos a test checks"). That a photo drawn with --only
# is the photo of the whole draw, byte for byte, was proved against whole
# draws (there; a whole draw is too slow for the suite). Here, cheaply:
# what else is drawn does not change a photo (tiny-1 of draw SEED alone and
# after a duplicate and tiny-0: the same bytes, the same truth row); a
# duplicate's copy brings its original, which its row names; truth.tsv lists
# what was written, in the whole draw's order; a name no photo has fails.
. "$(dirname "$0")/lib.sh"

need_numpy_python
SEED=7850
draw_tune $SEED "$T/a" tiny-1.jpg
draw_tune $SEED "$T/b" 'tiny-*' dup-0-copy.jpg
files() { (cd "$1" && LC_ALL=C ls | tr '\n' ' '); }
rows() { tail -n +2 "$1/truth.tsv" | cut -f1 | tr '\n' ' '; }
[ "$(files "$T/a")" = "tiny-1.jpg truth.tsv " ] && ok || fail "tiny-1 alone wrote $(files "$T/a")"
[ "$(rows "$T/a")" = "tiny-1.jpg " ] && ok || fail "tiny-1 alone: truth rows $(rows "$T/a")"
[ "$(files "$T/b")" = "dup-0-copy.jpg dup-0-original.jpg tiny-0.jpg tiny-1.jpg truth.tsv " ] && ok \
    || fail "tiny-* and dup-0-copy wrote $(files "$T/b")"
[ "$(rows "$T/b")" = "dup-0-original.jpg dup-0-copy.jpg tiny-0.jpg tiny-1.jpg " ] && ok \
    || fail "tiny-* and dup-0-copy: truth rows $(rows "$T/b")"
cmp "$T/a/tiny-1.jpg" "$T/b/tiny-1.jpg" && ok || fail "tiny-1 differs when drawn after other photos"
[ "$(grep '^tiny-1.jpg	' "$T/a/truth.tsv")" = "$(grep '^tiny-1.jpg	' "$T/b/truth.tsv")" ] && ok \
    || fail "tiny-1's truth row differs when drawn after other photos"
expect_grep '^dup-0-copy.jpg	duplicate	.*	fail:duplicate	dup-0-original.jpg	' "$T/b/truth.tsv" \
    "the copy's row names its original"
expect_exit 1 "$PY" "$IDP_SRC/tests/realistic/mkreal.py" --corpus "$IDP_CORPUS" --set tune --seed $SEED \
    --only tiny-1.jpg 'tiny-9*' -- "$T/c"
expect_grep 'no photo of the tune set is tiny-9\*' "$T/err" "a name no photo has"
finish
