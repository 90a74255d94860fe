# The realistic generator's camera is a phone's (docs/detection.md, "Round 21:
# a phone's camera"): a document is moved in space and projected once through
# a pinhole whose principal point is the frame's centre. For such a camera the
# two vanishing directions of a quad, read about the true principal point,
# are at right angles for one focal length, which is the camera's (0.7-0.9 x
# the long side), and the aspect read with it is the document's; read about
# another point they are not. So: 400 placements (real_draw.py, place) of
# cards and pages tilted up to 25 degrees, and the cut-off draws' moves, must
# read the document's aspect (within 0.5 %) and a phone's focal length about
# the frame's centre, all of them; about the quad's own centre (where the
# generator before round 21 put the principal point) nearly none may. Then
# the truth quads of a drawn photo, a cut-off corner and a cut-off side of
# tune draw 9070 (mkreal.py) read the same way.
. "$(dirname "$0")/lib.sh"
export IDP_REAL_CAMERA=phone  # the generator's camera (lib.sh keeps the old one for named photos)

need_numpy_python
cat >"$T/camera.py" <<'PYEOF'
import math, os, sys
import numpy as np
sys.path.insert(0, os.path.join(os.environ["IDP_SRC"], "tests", "realistic"))
from real_draw import Draw

def read(q, cx, cy):
    """(focal length, aspect) of the rectangle seen as q (TL TR BR BL) about
    the principal point (cx, cy), the focal length from the quad's vanishing
    directions at right angles (src/detect, idp_det_true_aspect); None when
    they cannot be."""
    m = [np.array([x - cx, y - cy, 1.0]) for x, y in q]
    m1, m2, m4, m3 = m
    c14 = np.cross(m1, m4)
    e2, e3 = np.cross(m2, m4) @ m3, np.cross(m3, m4) @ m2
    if abs(e2) < 1e-12 or abs(e3) < 1e-12:
        return None, None
    n2, n3 = (c14 @ m3) / e2 * m2 - m1, (c14 @ m2) / e3 * m3 - m1
    if abs(n2[2] * n3[2]) < 1e-12:
        return None, None
    f2 = -(n2[0] * n3[0] + n2[1] * n3[1]) / (n2[2] * n3[2])
    if f2 <= 0:
        return None, None
    a2 = (n2[0] ** 2 + n2[1] ** 2) / f2 + n2[2] ** 2
    a3 = (n3[0] ** 2 + n3[1] ** 2) / f2 + n3[2] ** 2
    return math.sqrt(f2), math.sqrt(a2 / a3)

def phone(q, W, H, aspect, cx, cy, tol=0.005):
    f, a = read(q, cx, cy)
    return f is not None and abs(a / aspect - 1) < tol and 0.69 * max(W, H) < f < 0.91 * max(W, H)

if sys.argv[1] == "place":
    d = Draw()
    at = {"frame": 0, "quad": 0}
    n = 0
    for i in range(400):
        rng = np.random.default_rng([21, i])
        W, H = (4000, 3000) if i % 3 else (3000, 4000)
        mm = (85.60, 53.98) if i % 2 else (125.0, 88.0)
        q = d.place(rng, W, H, mm, rng.uniform(0.4, 0.8), tilt=25)
        qs = [q]
        if i % 4 == 0:  # a cut-off draw's move: a corner pushed out
            qs.append(d.move((W * 0.3, -H * 0.1), ref=lambda qq: qq[0]))
        for q in qs:
            n += 1
            at["frame"] += phone(q, W, H, mm[0] / mm[1], W / 2, H / 2)
            at["quad"] += phone(q, W, H, mm[0] / mm[1], *q.mean(axis=0))
    print("placements %d: a phone's reading about the frame's centre %d, about the quad's %d"
          % (n, at["frame"], at["quad"]))
    sys.exit(0 if at["frame"] == n and at["quad"] < n // 10 else 1)
else:  # a drawn set's truth.tsv
    from PIL import Image
    d = sys.argv[2]
    rows = [l.rstrip("\n").split("\t") for l in open(os.path.join(d, "truth.tsv"))][1:]
    bad = 0
    for f, cat, kind, orient, quad, *_ in rows:
        W, H = Image.open(os.path.join(d, f)).size
        q = np.array([float(v) for v in quad.split()]).reshape(4, 2)
        aspect = 85.60 / 53.98 if kind == "id1" else 125.0 / 88.0
        ok = phone(q, W, H, aspect, W / 2, H / 2, tol=0.01)
        print("%s %s %s" % (f, kind, "a phone's" if ok else "NOT a phone's"))
        bad += not ok
    sys.exit(1 if bad or not rows else 0)
PYEOF
expect_exit 0 "$PY" "$T/camera.py" place
cat "$T/out"
expect_grep '^placements [0-9]+: .* frame.s centre ([0-9]+), about the quad.s [0-9]$' "$T/out" "placements"

draw_tune 9070 "$T/set" good-00-wood.jpg cut-corner-0.jpg cut-side-0.jpg
expect_exit 0 "$PY" "$T/camera.py" truth "$T/set"
cat "$T/out"
expect_grep "^cut-corner-0.jpg id[13] a phone's$" "$T/out" "the cut-off corner's quad"
expect_grep "^cut-side-0.jpg id[13] a phone's$" "$T/out" "the cut-off side's quad"
expect_grep "^good-00-wood.jpg id[13] a phone's$" "$T/out" "a good photo's quad"
finish
