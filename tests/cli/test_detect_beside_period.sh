# A side along a row of a checked tablecloth (docs/detection.md "Round 29:
# a cloth's period beside a side"). Drawn through a phone's camera
# (tests/realistic/mkreal.py --set tune): seed 9137's
# `good-07-tablecloth.jpg`, a passport page on a gingham whose top edge lies
# along a boundary between two rows of checks. That boundary goes on past
# both of the page's top corners, and the evidence read it as the page's
# side going on (a piece of a longer sheet): the page's right quad scored
# 0.399, under the bar, and the page was not found. The cloth's next
# boundaries of the same sign lie one and two check periods beside it on
# both sides, beyond the 20 px the evidence looked at; now they are seen,
# the line going on is the cloth's, and the page is found.
#
# Seed 9164's `good-photo-bg.jpg` (a passport page on a landscape photo)
# keeps what makes it a period: lines at one distance on both sides of a
# line going on past a corner are there in the photo too, and taken alone
# they let a rectangle of the photo beside the page win the first look
# (0.403, IoU 0); lines at twice that distance are not.
. "$(dirname "$0")/lib.sh"

need_numpy_python
draw_tune_phone 9137 "$T/g" 'good-07-tablecloth.jpg'
expect_found "$T/g" "$T/g.json" --min-iou 0.95 good-07-tablecloth.jpg
draw_tune_phone 9164 "$T/p" 'good-photo-bg.jpg'
expect_found "$T/p" "$T/p.json" --min-iou 0.95 good-photo-bg.jpg
finish
