# tests/realistic/mkscenes.py, the cluttered scenes (docs/detection.md,
# "Round 15: cluttered scenes"): --only draws the same bytes and truth rows
# as the whole draw (two names: the first desk and the newspaper or letter
# scene, drawn alone, against a whole draw of three); each truth quad lies
# where the document is (the mean colour inside the quad, shrunk to 70 %
# about its centre, differs from that of a ring 15-35 % outside it: a quad
# off the card would read the desk on both); a name no photo has fails.
. "$(dirname "$0")/lib.sh"

need_numpy_python
SEED=8790
GEN=("$PY" "$IDP_SRC/tests/realistic/mkscenes.py" --corpus "$IDP_CORPUS" --set tune --seed $SEED)
expect_exit 0 "${GEN[@]}" --count 3 "$T/all"
expect_exit 0 "${GEN[@]}" --count 3 --only scene-02-on-print.jpg 'scene-00-*' -- "$T/only"
files() { (cd "$1" && LC_ALL=C ls | tr '\n' ' '); }
[ "$(files "$T/all")" = "scene-00-desk.jpg scene-01-desk.jpg scene-02-on-print.jpg truth.tsv " ] && ok \
    || fail "the whole draw wrote $(files "$T/all")"
[ "$(files "$T/only")" = "scene-00-desk.jpg scene-02-on-print.jpg truth.tsv " ] && ok \
    || fail "--only wrote $(files "$T/only")"
for f in scene-00-desk.jpg scene-02-on-print.jpg; do
    cmp "$T/all/$f" "$T/only/$f" && ok || fail "$f differs drawn alone"
    [ "$(grep "^$f	" "$T/all/truth.tsv")" = "$(grep "^$f	" "$T/only/truth.tsv")" ] && ok \
        || fail "$f's truth row differs drawn alone"
done
expect_grep '^scene-02-on-print.jpg	on-print	id[13]	landscape	[0-9. ]+	pass	-	-$' "$T/all/truth.tsv" \
    "the on-print row"
# the quads: inside against a ring outside, per photo
"$PY" - "$T/all" >"$T/quads" 2>&1 <<'PYEOF' && ok || { fail "a truth quad is not on its document"; sed 's/^/  | /' "$T/quads" >&2; }
import os, sys
import numpy as np
from PIL import Image, ImageDraw
d = sys.argv[1]
bad = 0
for line in list(open(os.path.join(d, "truth.tsv")))[1:]:
    f, quad = line.split("\t")[0], line.split("\t")[4]
    q = np.array([float(v) for v in quad.split()]).reshape(4, 2)
    im = Image.open(os.path.join(d, f)).convert("RGB")
    a = np.asarray(im, np.float32)
    c = q.mean(axis=0)
    def m(k):
        g = Image.new("1", im.size, 0)
        ImageDraw.Draw(g).polygon([tuple(c + (p - c) * k) for p in q], fill=1)
        return np.asarray(g, bool)
    inside, ring = m(0.7), m(1.35) & ~m(1.15)
    diff = float(np.linalg.norm(a[inside].mean(axis=0) - a[ring].mean(axis=0)))
    print("%s inside-ring colour difference %.1f" % (f, diff))
    bad += diff < 20
sys.exit(1 if bad else 0)
PYEOF
expect_exit 1 "${GEN[@]}" --count 3 --only scene-00-desk.jpg scene-07-held-corner.jpg -- "$T/bad"
expect_grep 'no photo of the tune draw is scene-07-held-corner.jpg' "$T/err" "a name past --count"
expect_exit 1 "${GEN[@]}" --only 'nothing-*' -- "$T/bad"
expect_grep "no photo of the tune draw is nothing-\*" "$T/err" "a pattern no photo has"
finish
