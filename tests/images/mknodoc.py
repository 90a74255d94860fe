#!/usr/bin/env python3
"""Photos with NO document on textured surfaces, and white cards with soft
drop shadows on light desks: the two sides of the "a side supported by
texture, not by a line" rule (docs/detection.md, "Round 4").

    mknodoc.py [--corpus DIR] [--seed N] [--n N] OUTDIR

Writes OUTDIR/*.jpg and OUTDIR/truth.tsv in the format of
tests/realistic/mkreal.py (evaluate.py scores it). It reuses mkreal.py's
surfaces, clutter and camera, with the surface parameters drawn from their
WHOLE range (neither the tune nor the held-out half), and only the tune
set's document textures, so it adds hard cases without drawing the
held-out photos. Scenes without a document: wood grain (fine and coarse),
striped planks, carpet, tablecloth, the two real photos, a dark desk, each
alone or with a book, an A4 sheet, a phone or a keyboard on it. Controls:
a white card (drawn, white stock) or a light specimen on a light desk with
its soft drop shadow, which must still be found.
Needs python3, numpy and PIL (Debian: python3-numpy, python3-pil).
"""
import argparse
import importlib.util
import os
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
_spec = importlib.util.spec_from_file_location("mkreal", os.path.join(HERE, "..", "realistic", "mkreal.py"))
mkreal = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(mkreal)


class Whole(mkreal.Gen):
    """The tune set's textures, surface parameters over their whole range."""

    def half(self, rng, lo, hi):
        return rng.uniform(lo, hi)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--corpus", default=os.environ.get("IDP_CORPUS", ""))
    ap.add_argument("--seed", type=int, default=9009)
    ap.add_argument("--n", type=int, default=24, help="photos without a document (controls: n / 3)")
    ap.add_argument("outdir")
    a = ap.parse_args()
    if not a.corpus or not os.path.isdir(os.path.join(a.corpus, "mrz")):
        sys.exit("mknodoc.py: need --corpus or IDP_CORPUS holding mrz/ and exif-orientation/")
    g = Whole("tune", a.corpus, a.outdir, a.seed)
    os.makedirs(a.outdir, exist_ok=True)
    surfaces = ["wood", "wood", "striped-wood", "carpet", "tablecloth", "photo:Landscape_1", "photo:Portrait_1",
                "dark", "light"]
    clutters = [[], [], ["book"], ["a4"], ["phone"], ["keyboard"], ["book", "phone"]]
    for i in range(a.n):
        rng = np.random.default_rng([a.seed, i])
        surf = surfaces[i % len(surfaces)]
        cl = clutters[int(rng.integers(len(clutters)))] if not surf.startswith("photo:") else []
        if surf == "light" and not cl:
            cl = ["book"]
        if surf.startswith("photo:"):
            W, H = (1800, 1200) if "Land" in surf else (1200, 1800)
        else:
            W, H = g.size(rng, portrait=rng.random() < 0.3)
        img = g.surface(rng, surf, W, H, angle=rng.uniform(0, 3.14))
        av = []
        for c in cl:
            g.clutter(rng, img, c, av)
        img = g.camera(rng, img)
        name = "nodoc-%02d-%s.jpg" % (i, surf.replace("photo:", ""))
        g.save(rng, img, name)
        g.row(name, "no-document", "none", "-", None, "fail:document")
    # controls: white or light documents with a soft drop shadow on a light desk
    for i in range(max(1, a.n // 3)):
        rng = np.random.default_rng([a.seed, 1000 + i])
        W, H = g.size(rng)
        if i % 2 == 0:
            src, mm, kind = (lambda r, w, h: g.draw_front(r, w, h, white=True)), mkreal.ID1, "id1"
        else:
            kind = "id1" if rng.random() < 0.4 else "id3"
            src, mm = g.pick(rng, kind)
        img, q = g.scene(rng, "light", W, H, src, mm, rng.uniform(0.4, 0.8))
        img = g.camera(rng, img)
        name = "white-%02d.jpg" % i
        g.save(rng, img, name)
        g.row(name, "white-doc-light-desk", kind, "landscape", q, "pass")
    with open(os.path.join(a.outdir, "truth.tsv"), "w") as f:
        f.write("file\tcategory\tkind\torientation\tquad\texpect\tpair\tstrict\n")
        for r in g.rows:
            f.write("\t".join(r) + "\n")
    print("mknodoc.py: %d photos in %s" % (len(g.rows), a.outdir))


if __name__ == "__main__":
    main()
