#!/usr/bin/env python3
"""Scans as scanners and scanner apps write them, with ground truth: more of
the `scan` category of mkreal.py, drawn with what real scanner output has.

    mkscans.py [--corpus DIR] --set tune|heldout [--seed N] [--count N] [--only NAME...] OUTDIR

Writes OUTDIR/scan-*.jpg|png and OUTDIR/truth.tsv (the columns of mkreal.py,
category `scan`, expect `pass`). Deterministic for a seed (default 5001 for
tune, 6002 for heldout); the textures are the set's half of the real ones.
Styles, in turn (docs/detection.md, "Round 7"):

- `flat`: a flatbed scan: the document a little askew (under 1.5 degrees)
  on the lid's white (235-250), the glass's soft gradient (a few levels
  across the bed, a little more towards one end; in half of them a lamp
  lighting the bed unevenly, up to 12 % at the ends, as mkreal.py's
  camera model lights its flatbed scans), the shadow the
  document's thickness casts along one or two of its edges (the lamp
  lights it from one side: 2-8 px, 10-45 levels darker at the edge,
  fading out), sometimes a thin dark line along a side of the frame
  (the glass's edge or the bed's frame, 1-3 px), mild blur, JPEG q75-95
  or PNG.
- `app`: a scanner app's crop: the document squared and cropped, with a
  sliver (0-1.5 % of the side) of the desk left along one or two sides,
  the phone's uneven light, JPEG.
- `lit`: mkreal.py's flatbed scan (a flat border of 244, the card's soft
  shadow all round, the camera model's uneven light), more draws of it.
"""
import math
import os
import sys

import numpy as np
from PIL import Image, ImageFilter

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from real_base import homography, lowfreq, parse_args  # noqa: E402
from mkreal import Gen  # noqa: E402


class Scans(Gen):
    def flatbed(self, rng, doc, kind):
        dw = doc.width
        bw = int(dw * rng.uniform(0.02, 0.05))
        W = doc.width + 2 * bw + int(rng.integers(0, 40))
        H = doc.height + 2 * bw + int(rng.integers(0, 20))
        lid = rng.uniform(235, 250)
        base = np.full((H, W, 3), lid, np.float32)
        base *= np.array([1.0, 1.0, rng.uniform(0.985, 1.0)], np.float32)
        img = Image.fromarray(np.clip(base, 0, 255).astype(np.uint8))
        ang = math.radians(rng.uniform(-1.2, 1.2))
        c, s_ = math.cos(ang), math.sin(ang)
        cx = W / 2 + rng.uniform(-0.3, 0.3) * (W - doc.width - 2 * bw + 1)
        cy = H / 2
        hw, hh = doc.width / 2, doc.height / 2
        q = np.array([[cx + c * x - s_ * y, cy + s_ * x + c * y]
                      for x, y in [(-hw, -hh), (hw, -hh), (hw, hh), (-hw, hh)]])
        # the shadow of the document's edge on the lid: along one or two of
        # its sides (the lamp on one side), dark at the edge, fading out
        alpha = Image.new("L", (W, H), 0)
        src = [(0, 0), (doc.width, 0), (doc.width, doc.height), (0, doc.height)]
        coeffs = homography([tuple(p) for p in q], src)
        a_doc = doc.split()[3].transform((W, H), Image.PERSPECTIVE, coeffs, Image.BICUBIC)
        a_np = np.asarray(a_doc, np.float32) / 255
        sides = [int(rng.integers(4))]
        if rng.random() < 0.5:
            sides.append((sides[0] + 1 + 2 * int(rng.integers(2))) % 4)  # an adjacent side
        arr = np.asarray(img, np.float32).copy()
        for sd in sides:
            width = rng.uniform(2, 8)
            depth = rng.uniform(10, 45)
            dx, dy = [(0, -1), (1, 0), (0, 1), (-1, 0)][sd]  # top, right, bottom, left
            # the shadow band: the document's mask shifted out by k px
            sh = np.zeros((H, W), np.float32)
            for k in range(1, int(width * 2.5) + 1):
                m = np.roll(np.roll(a_np, int(round(dx * k * c - dy * k * s_)), axis=1),
                            int(round(dy * k * c + dx * k * s_)), axis=0)
                sh = np.maximum(sh, m * math.exp(-k / width))
            arr *= (1 - depth / lid * sh)[..., None]
        img = Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8))
        img.paste(doc.transform((W, H), Image.PERSPECTIVE, coeffs, Image.BICUBIC).convert("RGB"), (0, 0), a_doc)
        a = np.asarray(img, np.float32).copy()
        # the glass's soft gradient: a few levels across the bed, more at one end
        g = 1 + (lowfreq(rng, W, H, 2) - 0.5) * rng.uniform(0.01, 0.04)
        yy, xx = np.mgrid[0:H, 0:W].astype(np.float32)
        end = int(rng.integers(4))
        t = [yy / H, 1 - xx / W, 1 - yy / H, xx / W][end]
        g *= 1 - rng.uniform(0.0, 0.05) * np.clip(1 - t * 4, 0, 1) ** 2
        if rng.random() < 0.5:
            # a lamp that lights the bed unevenly (the camera model's light,
            # which mkreal.py's flatbed scans get): up to 12 % at the ends
            g *= 1 + rng.uniform(-0.25, 0.25) * (xx / W - 0.5) + rng.uniform(-0.25, 0.25) * (yy / H - 0.5)
        a *= g[..., None]
        # a thin dark line along a side of the frame: the glass's edge
        if rng.random() < 0.5:
            sd = int(rng.integers(4))
            n = int(rng.integers(1, 4))
            lvl = rng.uniform(40, 160)
            sl = [np.s_[:n, :], np.s_[:, W - n:], np.s_[H - n:, :], np.s_[:, :n]][sd]
            a[sl] = a[sl] * 0.3 + lvl * 0.7
        img = Image.fromarray(np.clip(a, 0, 255).astype(np.uint8))
        img = img.filter(ImageFilter.GaussianBlur(rng.uniform(0.3, 0.7)))
        a = np.asarray(img, np.float32).copy()
        a += rng.uniform(0.8, 2.0) * self.noise(rng, W, H)
        return Image.fromarray(np.clip(a, 0, 255).astype(np.uint8)), q

    def app(self, rng, doc):
        W0, H0 = doc.size
        sl = [0, 0, 0, 0]  # slivers: left, top, right, bottom
        for sd in rng.choice(4, size=int(rng.integers(1, 3)), replace=False):
            sl[sd] = int(round((W0 if sd % 2 == 0 else H0) * rng.uniform(0.004, 0.015)))
        W, H = W0 + sl[0] + sl[2], H0 + sl[1] + sl[3]
        surf = ["wood", "dark", "tablecloth", "carpet"][int(rng.integers(4))]
        img = self.surface(rng, surf, W, H, angle=rng.uniform(0, math.pi))
        img.paste(doc.convert("RGB"), (sl[0], sl[1]), doc)
        q = np.array([[sl[0], sl[1]], [sl[0] + W0, sl[1]], [sl[0] + W0, sl[1] + H0], [sl[0], sl[1] + H0]], float)
        img = self.camera(rng, img, vignette=False, cast=False, blur=0.4, noise=0.5)
        return img, q

    def lit(self, rng, doc):
        # mkreal.py's flatbed: a flat 244 border, the card's soft shadow all
        # round, and the camera model's light (up to 12 % at the ends)
        dw = doc.width
        bw = int(dw * rng.uniform(0.02, 0.05))
        img = Image.new("RGB", (doc.width + 2 * bw + int(rng.integers(0, 40)), doc.height + 2 * bw), (244, 244, 242))
        ang = math.radians(rng.uniform(-1.2, 1.2))
        c, s_ = math.cos(ang), math.sin(ang)
        hw, hh = doc.width / 2, doc.height / 2
        q = np.array([[img.width / 2 + c * x - s_ * y, img.height / 2 + s_ * x + c * y]
                      for x, y in [(-hw, -hh), (hw, -hh), (hw, hh), (-hw, hh)]])
        self.paste_doc(rng, img, doc, q, shadow=0.1)
        return self.camera(rng, img, vignette=False, cast=False, blur=0.4, noise=0.3), q

    def scans(self, count):
        os.makedirs(self.out, exist_ok=True)
        for i in range(count):
            style = ["flat", "lit", "app", "flat", "lit", "flat"][i % 6]
            if self.only and "scan-%s-%02d" % (style, i) not in self.only:
                continue  # each scan draws from its own generator: the others are unchanged
            rng = np.random.default_rng([self.seed, i])
            kind = "id1" if i % 2 == 0 else "id3"
            s, mm = self.pick(rng, kind)
            dpi = rng.choice([300, 600]) if kind == "id1" else rng.choice([200, 330])
            dw = int(mm[0] / 25.4 * dpi)
            doc = self.doc_raster(rng, s, mm, dw)
            if style == "flat":
                img, q = self.flatbed(rng, doc, kind)
            elif style == "lit":
                img, q = self.lit(rng, doc)
            else:
                img, q = self.app(rng, doc)
            png = style == "flat" and rng.random() < 0.2
            name = "scan-%s-%02d.%s" % (style, i, "png" if png else "jpg")
            self.save(rng, img, name, exif=False, quality=int(rng.integers(75, 96)), png=png)
            self.row(name, "scan", kind, "landscape", q, "pass")
        self.write_truth()
        return len(self.rows)


def main():
    a = parse_args(
        __doc__.split("\n")[0], "mkscans.py", "mrz/",
        more=lambda ap: ap.add_argument("--count", type=int, default=12),
        only_metavar="NAME",
        only_help="draw only these scans (names without the extension, e.g. scan-lit-13)")
    seed = a.seed if a.seed is not None else (5001 if a.set == "tune" else 6002)
    g = Scans(a.set, a.corpus, a.outdir, seed, a.only)
    n = g.scans(a.count)
    print("mkscans.py: %d scans in %s" % (n, a.outdir))


if __name__ == "__main__":
    main()
