#!/usr/bin/env python3
"""Cluttered scenes: an ID among the things that lie next to it on a real
desk, for counting the wrong quads clutter brings.

    mkscenes.py --set tune|heldout [--corpus DIR] [--seed N] [--count N] [--only NAME... --] OUTDIR

Writes OUTDIR/scene-NN-CATEGORY.jpg and OUTDIR/truth.tsv (mkreal.py's
columns; evaluate.py scores the folder). Photo n (from 0) is of category
CATEGORIES[n % 12] and is drawn by its own generator, seeded [seed, 400 + n]
(never a draw of mkreal.py, mkcloth.py or mkscans.py), so `--only NAME` (a
file name or a shell pattern) draws the same bytes and truth row as the
whole draw, and `--count` only adds or drops photos at the end. Default seed
8730 for tune, 9730 for heldout; the textures, the surfaces' parameter
halves and the skin tones are the set's half (mkreal.py's Gen).

Categories (docs/detection.md, "Round 15: cluttered scenes"):
- `desk`: a good ID (drawn ID-1 front or back, a real ID-1, or a real ID-3
  page) among 2-5 of: a phone (dark screen or lit with a home screen or a
  chat), a keyboard, a book, a receipt, a folded letter, a bank card (the
  same size as the ID: a quad on it is wrong), keys, coins, a laptop's palm
  rest. Flat things (paper, a book, a keyboard, a laptop) may lie under the
  ID, their edges crossing it but never within 15 % of its long side of a
  corner; the others keep off it. Must pass.
- `on-print`: the ID lying wholly on a newspaper page or a printed letter
  (their text lines and columns run next to and under its sides), 0-2 more
  things around. Must pass.
- `held-edge`: the ID held in a hand above the desk (the desk out of focus):
  the palm under it beyond one long side, the thumb over that side between
  its thirds, no corner covered. Must pass.
- `held-corner`: the same, the thumb over a corner (mkreal.py's fingertip).
  Must fail `corners`.
- `clutter-only`: no document: a bank card and a phone (the ID-shaped
  things) and 1-3 more. Must fail (or warn) `document`; any quad is wrong.

Frames: 12, 8, 3 and 2 MP, a third of them upright; a photo of a small real
specimen (250-380 px, upscaled at most 2.5x) is 1600 x 1200, as in mkreal.py.
The camera is mkreal.py's: light gradient, vignetting, a soft cast shadow,
blur within focus, signal-dependent sensor noise, JPEG q70-95 with EXIF;
the ID's perspective is mkreal.py's place() (a phone's: principal point at
the frame's centre; tilt up to 20 degrees), the
desk's things lie flat under a mild keystone of the whole frame.
"""
import fnmatch
import math
import os
import sys

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from mkreal import RESOLUTION_FAIL_PX, Gen, long_edge  # noqa: E402
from real_base import ID1, homography, parse_args  # noqa: E402
from scene_objects import Objects  # noqa: E402

CATEGORIES = ["desk", "desk", "on-print", "held-edge", "desk", "clutter-only",
              "desk", "held-corner", "on-print", "desk", "held-edge", "clutter-only"]
FLAT = {"letter", "receipt", "book", "keyboard", "laptop", "newspaper"}  # may lie under the ID
POOL = ["phone", "keyboard", "book", "receipt", "letter", "bankcard", "keys", "coins", "laptop"]
# frames: 12 MP and 8 MP camera photos, and the 3 MP and 2 MP copies
# messaging apps and "reduce size" settings send
FRAMES = [(4032, 3024), (4000, 3000), (3264, 2448), (2016, 1512), (1600, 1200)]
FRAME_P = [0.3, 0.15, 0.2, 0.2, 0.15]
# an ID's corner keeps clear of other things' edges by this share of its
# long side: enough for the corner's two sides to be seen on one background
# (mkreal.py's fingertips cover 19-24 % of the width; this is less)
CORNER_CLEAR = 0.15
LOW = 8  # the overlap tests run on masks at 1/LOW of the frame


class Scenes(Gen, Objects):
    def name(self, n):
        return "scene-%02d-%s.jpg" % (n, CATEGORIES[n % len(CATEGORIES)])

    def frame(self, rng):
        W, H = FRAMES[int(rng.choice(len(FRAMES), p=FRAME_P))]
        return (H, W) if rng.random() < 0.33 else (W, H)

    def pick_id(self, rng):
        r = rng.random()
        if r < 0.25:
            return (lambda g, w, h: self.draw_front(g, w, h)), ID1, "id1"
        if r < 0.4:
            return self.draw_back, ID1, "id1"
        kind = "id1" if r < 0.65 else "id3"
        s, mm = self.pick(rng, kind)
        return s, mm, kind

    def keystone(self, rng, W, H):
        """The whole frame's mild perspective (the phone a little off the
        vertical): each frame corner moved by up to 4 % of the frame, as a
        point map for the flat things' quads."""
        src = [(0, 0), (W, 0), (W, H), (0, H)]
        dst = [(x + rng.uniform(-0.04, 0.04) * W, y + rng.uniform(-0.04, 0.04) * H) for x, y in src]
        a, b, c, d, e, f, g, h = homography(src, dst)

        def m(pts):
            pts = np.asarray(pts, float)
            den = g * pts[:, 0] + h * pts[:, 1] + 1
            return np.stack([(a * pts[:, 0] + b * pts[:, 1] + c) / den, (d * pts[:, 0] + e * pts[:, 1] + f) / den], 1)
        return m

    def mask(self, W, H, quad=None, outline=0, disks=()):
        m = Image.new("1", (W // LOW + 1, H // LOW + 1), 0)
        d = ImageDraw.Draw(m)
        if quad is not None:
            pts = [tuple(p) for p in np.asarray(quad) / LOW]
            if outline:
                d.line(pts + pts[:1], fill=1, width=max(1, int(outline / LOW)))
            else:
                d.polygon(pts, fill=1)
        for (x, y), r in disks:
            d.ellipse(((x - r) / LOW, (y - r) / LOW, (x + r) / LOW, (y + r) / LOW), fill=1)
        return np.asarray(m, bool)

    def put(self, rng, img, what, ppm, ks, id_q, taken, inside=None, lit=None):
        """Draws one thing of the desk onto img: flat things' edges keep
        CORNER_CLEAR off the ID's corners, the others keep off the ID (they
        may touch its surroundings). inside: a point its quad must hold (the
        paper the ID lies on). Returns its quad, or None when no place was
        found in 80 tries (nothing drawn)."""
        W, H = img.size
        if what == "phone":
            o, mm = self.obj_phone(rng, ppm, lit=lit)
        else:
            o, mm = getattr(self, "obj_" + what)(rng, ppm)
        hw, hh = mm[0] * ppm / 2, mm[1] * ppm / 2
        if what == "receipt":
            hh = hw * o.height / o.width
        rect = np.array([[-hw, -hh], [hw, -hh], [hw, hh], [-hw, hh]])
        for _ in range(80):
            if inside is not None:
                c = inside + rng.uniform(-0.3, 0.3, 2) * [hw, hh]
                ang = rng.uniform(-math.pi, math.pi)
            else:
                c = rng.uniform([0.02 * W, 0.02 * H], [0.98 * W, 0.98 * H])
                ang = rng.uniform(-math.pi, math.pi)
            R = np.array([[math.cos(ang), -math.sin(ang)], [math.sin(ang), math.cos(ang)]])
            q = ks(rect @ R.T + c)
            if id_q is not None:
                L = long_edge(id_q)
                disks = [(p, CORNER_CLEAR * L) for p in id_q]
                zone = self.mask(W, H, disks=disks)
                if what in FLAT:
                    if (self.mask(W, H, q, outline=0.01 * max(W, H)) & zone).any():
                        continue
                    if inside is not None and not (self.mask(W, H, q) | ~zone).all():
                        continue  # the ID lies wholly on it
                elif (self.mask(W, H, q) & self.mask(W, H, id_q, outline=0.004 * max(W, H))).any() or \
                        (self.mask(W, H, q) & self.mask(W, H, id_q)).any():
                    continue
            if what in ("bankcard", "phone") and any((self.mask(W, H, q) & t).any() for t in taken):
                continue  # the ID-shaped things keep their own outline
            break
        else:
            return None
        thick = {"phone": 8, "keyboard": 10, "book": 15, "laptop": 12, "keys": 3, "coins": 2}.get(what, 0.3)
        self.lay(img, o, q, ppm, thick)
        if what not in FLAT:
            taken.append(self.mask(W, H, q))
        return q

    def lay(self, img, o, q, ppm, thick_mm):
        """Warps raster o onto quad q with the shadow its thickness casts
        (offset and blur grow with it: a letter's is a hairline, a book's
        a few mm)."""
        W, H = img.size
        pad = int(thick_mm * ppm * 0.6 + 40)
        x0, y0 = max(0, int(q[:, 0].min()) - pad), max(0, int(q[:, 1].min()) - pad)
        x1, y1 = min(W, int(q[:, 0].max()) + pad), min(H, int(q[:, 1].max()) + pad)
        if x1 <= x0 or y1 <= y0:
            return
        src = [(0, 0), (o.width, 0), (o.width, o.height), (0, o.height)]
        coeffs = homography([(x - x0, y - y0) for x, y in q], src)
        warped = o.transform((x1 - x0, y1 - y0), Image.PERSPECTIVE, coeffs, Image.BICUBIC)
        alpha = warped.split()[3]
        blur = max(1.0, thick_mm * ppm * 0.25)
        sh = alpha.filter(ImageFilter.GaussianBlur(blur)).point(lambda v: int(v * 0.45))
        off = int(thick_mm * ppm * 0.3) + 1
        img.paste(Image.new("RGB", sh.size, (0, 0, 0)), (x0 + off, y0 + off), sh)
        img.paste(warped.convert("RGB"), (x0, y0), alpha)

    def id_on(self, rng, W, H, mm, src, frac, tilt=20.0, margin=0.08):
        if not callable(src):
            # a real texture is upscaled at most 2.5x (mkreal.py's limit)
            frac = min(frac, 2.5 * max(src.size) / min(W, H))
        q = self.place(rng, W, H, mm, frac, tilt=tilt, margin=margin)
        ppm = (np.linalg.norm(q[1] - q[0]) + np.linalg.norm(q[2] - q[3])) / 2 / mm[0]
        return q, ppm

    def paste_id(self, rng, img, src, mm, q):
        side = max(np.linalg.norm(q[1] - q[0]), np.linalg.norm(q[3] - q[0]))
        self.paste_doc(rng, img, self.doc_raster(rng, src, mm, int(side * 1.1)), q)

    def one(self, n):
        rng = np.random.default_rng([self.seed, 400 + n])
        cat = CATEGORIES[n % len(CATEGORIES)]
        name = self.name(n)
        src, mm, kind = self.pick_id(rng)
        W, H = self.frame(rng)
        if not callable(src) and max(src.size) < 400:
            # the small specimens (250-380 px) are upscaled at most 2.5x:
            # mkreal.py puts them in a 1600 x 1200 photo, and so does this
            W, H = (1600, 1200) if W > H else (1200, 1600)
        surf = ["wood", "light-grey", "dark", "light", "white-cloth"][int(rng.integers(5))]
        img = self.surface(rng, surf, W, H, angle=rng.uniform(0, math.pi))
        ks = self.keystone(rng, W, H)
        taken = []
        # the ID's long side: 30-50 % of the frame's short side on a desk
        # (room for the things around it), at least 640 px (over the 506 px
        # resolution limit with a tilt's shortening); 45-70 % when held
        lo = max(0.3, 640.0 / min(W, H))
        if cat == "clutter-only":
            ppm = rng.uniform(lo, max(lo, 0.5)) * min(W, H) / ID1[0]
            things = ["bankcard", "phone"] + list(rng.choice([t for t in POOL if t not in ("bankcard", "phone")],
                                                             int(rng.integers(1, 4)), replace=False))
            things.sort(key=lambda t: t not in FLAT)
            for t in things:
                self.put(rng, img, t, ppm, ks, None, taken)
            img = self.camera(rng, img)
            self.save(rng, img, name)
            self.row(name, cat, "none", "-", None, "fail:document")
            return
        expect = "pass"
        if cat in ("held-edge", "held-corner"):
            # held above the desk: the desk is out of focus
            img = img.filter(ImageFilter.GaussianBlur(max(W, H) * rng.uniform(0.002, 0.005)))
            q, ppm = self.id_on(rng, W, H, mm, src, rng.uniform(max(0.45, lo), 0.7), margin=0.12)
            skin = self.skin(rng)
            if cat == "held-edge":
                top = rng.random() < 0.5  # the long side the hand holds: top (q0-q1) or bottom (q3-q2)
                a, b = (q[0], q[1]) if top else (q[3], q[2])
                out = (a + b) / 2 - q.mean(axis=0)
                out /= np.linalg.norm(out)
                along = (b - a) / np.linalg.norm(b - a)
                self.palm(rng, img, (a + b) / 2 + out * rng.uniform(20, 35) * ppm, rng.uniform(40, 55) * ppm,
                          rng.uniform(35, 45) * ppm, math.atan2(along[1], along[0]), skin)
                self.paste_id(rng, img, src, mm, q)
                fw = rng.uniform(18, 23) * ppm  # a thumb
                # between the side's thirds: its width over the side stays
                # clear of both corners (fw/2 <= 11.5 mm < 85.6/3 - 14 mm)
                t = rng.uniform(1 / 3, 2 / 3)
                ang = rng.uniform(-0.35, 0.35)
                dn = -out * math.cos(ang) + along * math.sin(ang)
                tip = a + (b - a) * t + dn * rng.uniform(8, 16) * ppm
                self.digit(rng, img, tip, dn, fw, skin, length=rng.uniform(60, 80) * ppm)  # a thumb's visible length
            else:
                k = int(rng.integers(4))
                out = q[k] - q.mean(axis=0)
                out /= np.linalg.norm(out)
                self.palm(rng, img, q[k] + out * rng.uniform(15, 30) * ppm, rng.uniform(40, 55) * ppm,
                          rng.uniform(35, 45) * ppm, rng.uniform(0, math.pi), skin)
                self.paste_id(rng, img, src, mm, q)
                self.finger(rng, img, q, k)
                expect = "fail:corners"
        else:
            q, ppm = self.id_on(rng, W, H, mm, src, rng.uniform(lo, max(lo, 0.5)))
            if cat == "on-print":
                paper = "newspaper" if rng.random() < 0.5 else "letter"
                if self.put(rng, img, paper, ppm, ks, q, taken, inside=q.mean(axis=0)) is None:
                    raise RuntimeError("%s: no place for the %s under the ID" % (name, paper))
                things = list(rng.choice(["phone", "keys", "coins", "bankcard", "receipt"], int(rng.integers(0, 3)),
                                         replace=False))
            else:
                things = list(rng.choice(POOL, int(rng.integers(2, 6)), replace=False))
                things.sort(key=lambda t: t not in FLAT)
            for t in things:
                self.put(rng, img, t, ppm, ks, q, taken)
            self.paste_id(rng, img, src, mm, q)
        img = self.camera(rng, img)
        self.save(rng, img, name)
        if long_edge(q) < RESOLUTION_FAIL_PX:
            expect = "fail:resolution"
        self.row(name, cat, kind, "landscape", q, expect)

    def scenes(self, count):
        os.makedirs(self.out, exist_ok=True)
        self.names = tuple(self.name(n) for n in range(count))
        for n in range(count):
            if self.wanted(self.name(n)):
                self.one(n)
        self.write_truth()
        return len(self.rows)

    def wanted(self, name):
        return self.only is None or any(fnmatch.fnmatchcase(name, p) for p in self.only)


def main():
    a = parse_args(
        __doc__.split("\n")[0], "mkscenes.py", "mrz/",
        seed_help="the draw (default 8730 for tune, 9730 for heldout)",
        more=lambda ap: ap.add_argument("--count", type=int, default=12, help="photos (default 12)"),
        only_metavar="NAME",
        only_help="draw only these photos (file names or shell patterns: 'scene-*-desk.jpg'), the same bytes "
                  "and truth rows as in the whole draw")
    seed = a.seed if a.seed is not None else (8730 if a.set == "tune" else 9730)
    g = Scenes(a.set, a.corpus, a.outdir, seed, a.only)
    if g.only:
        g.names = tuple(g.name(n) for n in range(a.count))
        if g.unknown():
            sys.exit("mkscenes.py: no photo of the %s draw is %s" % (a.set, ", ".join(g.unknown())))
    n = g.scenes(a.count)
    print("mkscenes.py: %d photos in %s" % (n, a.outdir))


if __name__ == "__main__":
    main()
