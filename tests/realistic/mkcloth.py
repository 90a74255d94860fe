#!/usr/bin/env python3
"""Good cards on a checked tablecloth (gingham), for the sides of the quad.

    mkcloth.py --set tune --corpus CORPUS [--seed S] [--count N] [--only FILE...] OUTDIR

Draws N scenes (default 12) of a document lying on a checked cloth of two
random colours, its checks 3-9 % of the frame (both halves of mkreal.py's
range: each half alone draws only the small or only the large checks), with
the tune set's textures and the generator's own ID-1 front; each scene twice:
`cloth-NN.jpg`, a 4032 x 3024 camera photo with EXIF, and `cloth-NN-720.jpg`,
a 16:9 camera frame (4032 x 2268) as a messaging app passes it on, resized to
1280 x 720, EXIF stripped, JPEG quality 70-85. truth.tsv as mkreal.py's
(evaluate.py scores the folder). The draws are mkreal.py's own (Gen), seeded
[seed, 300 + n]: never those of the tune or the held-out set.
(docs/detection.md, "Round 12: sides on a tablecloth".)"""
import os
import sys

import numpy as np
from PIL import Image, ImageFilter

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from mkreal import Gen  # noqa: E402
from real_base import ID1, ID3, parse_args  # noqa: E402


class Cloth(Gen):
    def half(self, rng, lo, hi):
        return rng.uniform(lo, hi)  # the whole range: small and large checks

    def upscaled(self, tex):
        def draw(g, w, h):
            im = tex.resize((w, h), Image.BICUBIC)
            return im.filter(ImageFilter.UnsharpMask(radius=max(1.0, w / tex.width * 0.6), percent=70,
                                                     threshold=2))
        return draw

    def one(self, n, name, W, H, small=None):
        rng = np.random.default_rng([self.seed, 300 + n])
        if rng.random() < 0.5:
            src, mm, kind = (lambda g, w, h: self.draw_front(g, w, h)), ID1, "id1"
        else:
            # the pages whose scan is large enough for a card half the frame
            # (the small ones are mkreal.py's 1600 x 1200 photos)
            big = [t for t in self.tex3 if max(t[1][2] - t[1][0], t[1][3] - t[1][1]) >= 450]
            t = big[rng.integers(len(big))]
            src, mm, kind = self.texture(t), ID3, "id3"
            if small:
                # upscaled at most 2.5x of the frame it ends in (mkreal.py's
                # limit), not of the 4032 px frame it is drawn in
                src = self.upscaled(src)
        frac = rng.uniform(0.8, 0.95) if small else rng.uniform(0.5, 0.8)
        img, q = self.scene(rng, "tablecloth", W, H, src, mm, frac)
        img = self.camera(rng, img)
        if small:
            k = small[0] / W
            img = img.resize(small, Image.LANCZOS)
            q = q * k
            self.save(rng, img, name, exif=False, quality=int(rng.integers(70, 86)))
        else:
            self.save(rng, img, name)
        # row() holds a card under 150 DPI to `fail:resolution`
        self.row(name, "cloth", kind, "landscape", q, "pass", strict="screenshot" if small else "-")

    def cloth(self, count):
        os.makedirs(self.out, exist_ok=True)
        for i in range(count):
            for j, (name, W, H, small) in enumerate([("cloth-%02d.jpg" % i, 4032, 3024, None),
                                                     ("cloth-%02d-720.jpg" % i, 4032, 2268, (1280, 720))]):
                if self.only and name not in self.only:
                    continue
                self.one(2 * i + j, name, W, H, small)
        self.write_truth()
        return len(self.rows)


def main():
    a = parse_args(
        __doc__.split("\n")[0], "mkcloth.py", "mrz/",
        seed_help="the draw (default 1001)",
        more=lambda ap: ap.add_argument("--count", type=int, default=12, help="scenes (two photos each)"),
        only_help="draw only these photos (the others' draws are skipped, not changed)")
    if a.set != "tune":
        sys.exit("mkcloth.py: only --set tune (the tune set's textures)")
    g = Cloth("tune", a.corpus, a.outdir, a.seed, a.only)
    n = g.cloth(a.count)
    print("mkcloth.py: %d photos in %s" % (n, a.outdir))


if __name__ == "__main__":
    main()
