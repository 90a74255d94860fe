#!/usr/bin/env python3
"""Hand shake: documents smeared by the phone's motion during the exposure.

    mkshake.py [--corpus DIR] --set tune|heldout [--seed N] [--count N] [--only NAME...] OUTDIR

Draws N scenes (default 6) with mkreal.py's documents, surfaces and camera:
in turn a drawn ID-1 front, a drawn ID-1 back and one of the set's ID-3
pages, on the usual frame sizes (1600-4000 px, every fourth one upright).
Each scene twice, the same scene, camera and JPEG, only the smear differs:

- `shake-NN.jpg`: the scene smeared, before the camera's defocus, light,
  noise and JPEG, along a line of length L at a random angle (in half of
  them bent into a slight arc, its sagitta up to 15 % of L), L 1.6-2.8 mm
  of the document. Expect `fail:sharpness`.
- `steady-NN.jpg`: the same smear drawn 0.05-0.3 mm long. Expect `pass`
  (or `fail:resolution` when the document's long edge is under 506 px).

Why those lengths (docs/checks.md, "Round 15: hand shake"): the smallest
print that must stay legible is a date of 1.9 mm cap height; letters need
about 2 cycles per letter height, 1.05 cycles/mm. A box of length L keeps
sinc(f L) of that contrast: 10 % at L = 0.86 mm, none at 0.95 mm; the
sharpness limit's own measure agrees (a box rises 10-90 % over 0.8 L, the
rise of a Gaussian of sigma 0.3 mm, the limit, at L = 0.3 * 2.563 / 0.8 =
0.96 mm). So a smear of 1.6 mm (1.7x that) or more leaves the date
unreadable across the motion, and one under a third of it (0.3 mm) keeps
it. truth.tsv as mkreal.py's (evaluate.py scores the folder; category
`shake` or `steady`). Each scene has its own generators, seeded
[seed, 500 + n] (the scene) and [seed, 500 + n, k] (the smears, the
camera), so `--only shake-03` draws the same bytes as the whole set.
"""
import math
import os
import sys

import numpy as np
from PIL import Image

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from mkreal import RESOLUTION_FAIL_PX, Gen, long_edge  # noqa: E402
from real_base import ID1, parse_args  # noqa: E402

SHAKE_MM = (1.6, 2.8)    # fails: 1.7-2.9x the 0.95 mm where the date's contrast is gone
STEADY_MM = (0.05, 0.3)  # passes: under a third of it


def motion_kernel(length, angle, sagitta):
    """A normalised 2-D kernel: a path of `length` px at `angle`, bent into a
    parabolic arc of `sagitta` px, sampled every 0.25 px and spread onto
    the pixel grid bilinearly (the exposure's light spread evenly along the
    path: a steady sweep)."""
    r = int(math.ceil(length / 2 + abs(sagitta))) + 2
    k = np.zeros((2 * r + 1, 2 * r + 1), np.float64)
    ux, uy = math.cos(angle), math.sin(angle)
    n = max(2, int(math.ceil(length * 4)) + 1)
    for t in np.linspace(-0.5, 0.5, n):
        bend = sagitta * (1 - 4 * t * t)
        x = r + t * length * ux - bend * uy
        y = r + t * length * uy + bend * ux
        ix, iy = int(math.floor(x)), int(math.floor(y))
        fx, fy = x - ix, y - iy
        k[iy, ix] += (1 - fx) * (1 - fy)
        k[iy, ix + 1] += fx * (1 - fy)
        k[iy + 1, ix] += (1 - fx) * fy
        k[iy + 1, ix + 1] += fx * fy
    return k / k.sum()


def smear(img, k):
    """img (RGB) convolved with kernel k, the frame's edges extended (FFT,
    one channel at a time)."""
    r = k.shape[0] // 2
    a = np.asarray(img, np.float32)
    p = np.pad(a, ((r, r), (r, r), (0, 0)), mode="edge")
    H, W = p.shape[:2]
    kk = np.zeros((H, W), np.float64)
    kk[:k.shape[0], :k.shape[1]] = k
    kk = np.roll(kk, (-r, -r), axis=(0, 1))  # the kernel's centre at (0, 0)
    kf = np.fft.rfft2(kk)
    out = np.empty_like(a)
    for c in range(3):
        o = np.fft.irfft2(np.fft.rfft2(p[..., c]) * kf, s=(H, W))
        out[..., c] = o[r:H - r, r:W - r]
    return Image.fromarray(np.clip(np.rint(out), 0, 255).astype(np.uint8))


class Shake(Gen):
    def one(self, n, names):
        rng = np.random.default_rng([self.seed, 500 + n])
        which = n % 3
        W, H = self.size(rng, portrait=(n % 4 == 3))
        if which == 0:
            src, mm, kind = (lambda r, w, h: self.draw_front(r, w, h)), ID1, "id1"
        elif which == 1:
            src, mm, kind = self.draw_back, ID1, "id1"
        else:
            kind = "id3"
            src, mm = self.pick(rng, kind)
            if max(src.size) < 400:  # as mkreal.py's good photos: small specimens in a small frame
                W, H = (1600, 1200) if W > H else (1200, 1600)
        surf = ["wood", "carpet", "tablecloth", "light", "dark"][n % 5]
        scene, q = self.scene(rng, surf, W, H, src, mm, rng.uniform(0.5, 0.8))
        # px per mm of the document: its two long sides' mean over its width
        ppm = (np.linalg.norm(q[1] - q[0]) + np.linalg.norm(q[2] - q[3])) / 2 / mm[0]
        small = long_edge(q) < RESOLUTION_FAIL_PX
        for v, (name, (lo, hi)) in enumerate(zip(names, (SHAKE_MM, STEADY_MM))):
            if self.only and name not in self.only:
                continue
            krng = np.random.default_rng([self.seed, 500 + n, v])
            length = krng.uniform(lo, hi) * ppm
            angle = krng.uniform(0, math.pi)
            sag = krng.uniform(0, 0.15) * length * (1 if krng.random() < 0.5 else 0)
            img = smear(scene, motion_kernel(length, angle, sag))
            crng = np.random.default_rng([self.seed, 500 + n, 2])  # the same camera for both
            img = self.camera(crng, img)
            self.save(crng, img, name)
            if v == 0:
                expect = "fail:sharpness" + (",resolution" if small else "")
            else:
                expect = "fail:resolution" if small else "pass"
            self.row(name, "shake" if v == 0 else "steady", kind, "landscape", q, expect)

    def shake(self, count):
        os.makedirs(self.out, exist_ok=True)
        for n in range(count):
            names = ["shake-%02d.jpg" % n, "steady-%02d.jpg" % n]
            self.names += tuple(names)
            if self.only and not any(f in self.only for f in names):
                continue  # each scene draws from its own generators: the others are unchanged
            self.one(n, names)
        self.write_truth()
        return len(self.rows)


def main():
    a = parse_args(
        __doc__.split("\n")[0], "mkshake.py", "mrz/",
        seed_help="the draw (default 1001 for tune, 2002 for heldout)",
        more=lambda ap: ap.add_argument("--count", type=int, default=6, help="scenes (two photos each)"),
        only_help="draw only these photos (e.g. shake-03.jpg): the same bytes as in the whole set")
    g = Shake(a.set, a.corpus, a.outdir, a.seed, a.only)
    n = g.shake(a.count)
    if a.only:
        bad = sorted(set(a.only) - set(g.names))
        if bad:
            sys.exit("mkshake.py: no photo of the set is %s" % ", ".join(bad))
    print("mkshake.py: %d photos in %s" % (n, a.outdir))


if __name__ == "__main__":
    main()
