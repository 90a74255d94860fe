#!/usr/bin/env python3
"""How often the finder's readings of a document's kind (ID-1 card or ID-3
page) are right, for two camera models (docs/detection.md, "Round 20: the
document's kind, traced (not merged)").

- physical: a phone photo as taken. The document lies anywhere in the frame,
  tilted; it is projected through a pinhole whose principal point is the
  frame's centre (an uncropped photo).
- generator: mkreal.py's camera before round 21 (real_draw.py, `place`,
  now a phone's, the `physical` model): the document is
  projected about its own centre, then the projected quad is shifted in the
  frame, which puts the principal point at the document's centre.

For each, the corners (with 1.5 px of noise) are read as src/detect does
(idp_det_true_aspect_f: the aspect of a rectangle seen in perspective, with
the focal length from the quad or a phone's 0.85 x the long side) and four
rules are scored: `either` (every reading at both principal points, the one
nearest either kind: the finder's), `document` (both focal lengths at the
document's centre agree on a kind, else `either`), `frame` (the frame's
centre's reading nearest either kind) and `frame-first` (both focal lengths
at the frame's centre agree, else `either`).

    kind_camera.py [--n N] [--seed S]
"""
import argparse
import math
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from real_base import tilted_rect  # noqa: E402

ID1 = 85.60 / 53.98
ID3 = 125.0 / 88.0
TOL = 0.10  # ASPECT_TOL, src/detect/idp_detect_int.h
W, H = 4000, 3000


def true_aspect(q, cx, cy, long_px, fixed_f):
    """The aspect of the rectangle whose image is q (TL TR BR BL), principal
    point (cx, cy); fixed_f 0: the focal length from the quad itself."""
    m1, m2 = np.array([q[0][0] - cx, q[0][1] - cy, 1.0]), np.array([q[1][0] - cx, q[1][1] - cy, 1.0])
    m3, m4 = np.array([q[3][0] - cx, q[3][1] - cy, 1.0]), np.array([q[2][0] - cx, q[2][1] - cy, 1.0])
    c14 = np.cross(m1, m4)
    d2, d3 = c14 @ m3, c14 @ m2
    e2, e3 = np.cross(m2, m4) @ m3, np.cross(m3, m4) @ m2
    if abs(e2) < 1e-12 or abs(e3) < 1e-12:
        return 0.0
    n2, n3 = d2 / e2 * m2 - m1, d3 / e3 * m3 - m1
    f2 = (fixed_f * long_px) ** 2
    if fixed_f <= 0 and abs(n2[2] * n3[2]) > 1e-9:
        f2 = (0.85 * long_px) ** 2
        est = -(n2[0] * n3[0] + n2[1] * n3[1]) / (n2[2] * n3[2])
        if 0.16 * long_px**2 < est < 9.0 * long_px**2:
            f2 = est
    a2 = (n2[0] ** 2 + n2[1] ** 2) / f2 + n2[2] ** 2
    a3 = (n3[0] ** 2 + n3[1] ** 2) / f2 + n3[2] ** 2
    if a2 <= 0 or a3 <= 0:
        return 0.0
    r = math.sqrt(a2 / a3)
    return r if r >= 1 else 1 / r


def kind_of(r):
    if not r or r <= 0:
        return None
    d1, d3 = abs(math.log(r / ID1)), abs(math.log(r / ID3))
    if min(d1, d3) > TOL:
        return None
    return "id1" if d1 <= d3 else "id3"


def nearest(rs):
    rs = [r for r in rs if r > 0]
    if not rs:
        return None
    return kind_of(min(rs, key=lambda r: min(abs(math.log(r / ID1)), abs(math.log(r / ID3)))))


def draw(rng, model, tilt):
    kind = "id1" if rng.random() < 0.5 else "id3"
    wmm, hmm = (85.60, 53.98) if kind == "id1" else (125.0, 88.0)
    f = rng.uniform(0.7, 0.9) * W  # phones: 0.7-0.9 x the long side
    th = rng.uniform(-math.pi, math.pi)
    ax, ay = math.radians(rng.uniform(-tilt, tilt)), math.radians(rng.uniform(-tilt, tilt))
    p = tilted_rect(wmm, hmm, th, ax, ay)
    frac = rng.uniform(0.35, 0.8)  # the long side over the frame's short side
    z = f * max(wmm, hmm) / (frac * H)
    if model == "physical":
        u = rng.uniform(-0.5, 0.5) * (W - frac * H * 1.1)
        v = rng.uniform(-0.5, 0.5) * (H - frac * H * 1.1)
        c = p + [u * z / f, v * z / f, z]
        q = c[:, :2] / c[:, 2:3] * f + [W / 2, H / 2]
    else:
        c = p + [0, 0, z]
        q = c[:, :2] / c[:, 2:3] * f
        q -= q.mean(axis=0)
        lo, hi = q.min(axis=0), q.max(axis=0)
        q += [rng.uniform(0.04 * W - lo[0], 0.96 * W - hi[0]) if hi[0] - lo[0] < 0.92 * W else W / 2,
              rng.uniform(0.04 * H - lo[1], 0.96 * H - hi[1]) if hi[1] - lo[1] < 0.92 * H else H / 2]
    if q.min() < 0 or (q[:, 0] > W).any() or (q[:, 1] > H).any():
        return None
    return kind, q + rng.normal(0, 1.5, q.shape)


def rules(q):
    dcx, dcy = q.mean(axis=0)
    fr = [true_aspect(q, W / 2, H / 2, W, ff) for ff in (0, 0.85)]
    dc = [true_aspect(q, dcx, dcy, W, ff) for ff in (0, 0.85)]
    either = nearest(fr + dc)

    def agree(rs):
        a, b = kind_of(rs[0]), kind_of(rs[1])
        return a if a is not None and a == b else either

    return {"either": either, "document": agree(dc), "frame": nearest(fr), "frame-first": agree(fr)}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=3000)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    rng = np.random.default_rng(a.seed)
    print("camera     tilt  n     " + "  ".join("%-11s" % r for r in ("either", "document", "frame", "frame-first")))
    for model in ("physical", "generator"):
        for tilt in (15, 25, 35):
            right, n = {}, 0
            while n < a.n:
                d = draw(rng, model, tilt)
                if d is None:
                    continue
                n += 1
                for r, k in rules(d[1]).items():
                    right[r] = right.get(r, 0) + (k == d[0])
            print("%-10s %2d°   %d  " % (model, tilt, n) +
                  "  ".join("%-11s" % ("%.1f %%" % (100.0 * right[r] / n)) for r in ("either", "document", "frame", "frame-first")))


if __name__ == "__main__":
    main()
