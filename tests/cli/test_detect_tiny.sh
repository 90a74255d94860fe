# A card far away whose short sides are short in the zoomed copy
# (tests/realistic/mkreal.py --extra, tune draw 7700, `far-5-light-grey`:
# 293 px long in a 2592 x 1944 photo, 1.18 % of the frame, under the
# 1.34 % of a card at the `resolution` limit in 12 MP; docs/detection.md
# "Round 10"). Its short sides are ~70 px in the zoomed copy, and the
# zoomed copy's vote floor was 45 (6 % of its short side) until round 10:
# they were not lines, the finder found nothing ("no ID found"). With the
# vote floor scaled to the zoomed copy's area floor (22) it is found and
# the photo fails `resolution` (293 px, under 506), not `document`; and
# no wrong quad.
. "$(dirname "$0")/lib.sh"

if ! PY=$(numpy_python /usr/bin/python3 python3); then
    echo "SKIP: python3 with numpy and PIL (python3-numpy, python3-pil) not found"
    exit 0
fi
expect_exit 0 "$PY" "$IDP_SRC/tests/realistic/mkreal.py" --corpus "$IDP_CORPUS" --set tune --seed 7700 \
    --extra --only far-5-light-grey.jpg -- "$T/set"
expect_grep '^far-5-light-grey.jpg	far	' "$T/set/truth.tsv" "the far card is drawn"
expect_exit 0 "$PY" "$IDP_SRC/tests/realistic/evaluate.py" "$IDPACK" "$T/set" --json "$T/r.json" \
    --max-wrong-quads 0
cat "$T/out"
expect_grep '^wrong quads: 0$' "$T/out" "no wrong quad"
expect_grep '^documents found [^:]*: 1 / 1 ' "$T/out" "the far card is found"
expect_exit 1 "$IDPACK" check "$T/set/far-5-light-grey.jpg"
cat "$T/out"
expect_grep 'ok *document' "$T/out" "the document is found"
expect_grep 'FAIL *resolution' "$T/out" "and fails resolution"

# A far card on a checked tablecloth (--extra, tune draw 7906,
# `far-3-tablecloth`: 392 px long in a 2016 x 1512 photo, 3.4 % of the
# frame; docs/detection.md "Round 12: small cards"). Three of its sides
# are lines of the zoomed copy; the fourth is not among its 32 (the
# cloth's lines outvote it). Until round 12 nothing was found ("no ID
# found"); the side recovered from the other three of the U (idp_closing.c)
# closes it, and the photo fails `resolution`, not `document`.
expect_exit 0 "$PY" "$IDP_SRC/tests/realistic/mkreal.py" --corpus "$IDP_CORPUS" --set tune --seed 7906 \
    --extra --only far-3-tablecloth.jpg -- "$T/cloth"
expect_grep '^far-3-tablecloth.jpg	far	' "$T/cloth/truth.tsv" "the far card on the cloth is drawn"
expect_exit 0 "$PY" "$IDP_SRC/tests/realistic/evaluate.py" "$IDPACK" "$T/cloth" --json "$T/c.json" \
    --max-wrong-quads 0
cat "$T/out"
expect_grep '^wrong quads: 0$' "$T/out" "no wrong quad on the cloth"
expect_grep '^documents found [^:]*: 1 / 1 ' "$T/out" "the far card on the cloth is found"
expect_exit 1 "$IDPACK" check "$T/cloth/far-3-tablecloth.jpg"
cat "$T/out"
expect_grep 'ok *document' "$T/out" "the card on the cloth is found"
expect_grep 'FAIL *resolution' "$T/out" "and fails resolution"
# A small photo on a carpet (tune draws 7981 and 7986, `tiny-1`: 560 x
# 420, cards of 247 and 226 px; docs/detection.md "Round 13: small photos
# and striped wood"). No larger than the 640 px working copy, so the copy
# is the photo itself, not a 2 x 2 average, and no zoomed look follows:
# the carpet's grain at its own scale (gradient noise 83.1 and 59.3 before
# smoothing) buried the card's sides, and nothing was found ("no ID
# found"). Since round 13 a copy of factor 1 whose noise is at least 47.5 is
# smoothed like the zoomed copy; the photos fail `resolution`, not
# `document`. (The clean small scans whose edges the smoothing would soften,
# noise 25 and under, are left sharp: cli/test_detect_scans.)
for s in 7981 7986; do
    expect_exit 0 "$PY" "$IDP_SRC/tests/realistic/mkreal.py" --corpus "$IDP_CORPUS" --set tune \
        --seed "$s" --only tiny-1.jpg -- "$T/carpet$s"
    expect_grep '^tiny-1.jpg	tiny	' "$T/carpet$s/truth.tsv" "the small photo $s is drawn"
    expect_exit 0 "$PY" "$IDP_SRC/tests/realistic/evaluate.py" "$IDPACK" "$T/carpet$s" \
        --json "$T/t$s.json" --max-wrong-quads 0
    cat "$T/out"
    expect_grep '^wrong quads: 0$' "$T/out" "no wrong quad on the carpet ($s)"
    expect_grep '^documents found [^:]*: 1 / 1 ' "$T/out" "the card on the carpet is found ($s)"
    expect_exit 1 "$IDPACK" check "$T/carpet$s/tiny-1.jpg"
    cat "$T/out"
    expect_grep 'ok *document' "$T/out" "the card on the carpet is found ($s)"
    expect_grep 'FAIL *resolution' "$T/out" "and fails resolution ($s)"
done
finish
