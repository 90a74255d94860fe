#!/usr/bin/env python3
"""The corpus's real scans as they also reach idpack: re-saved by a chat app,
cropped loosely on a scanner's lid, reduced to a thumbnail. Truth from
corpus-truth.tsv, moved with each change.

    mkvariants.py [--corpus DIR] [--seed N] OUTDIR

For each scan of corpus-truth.tsv (category `scan`):
- NAME-q50.jpg: re-saved at JPEG quality 50, as messaging apps re-compress;
  the same truth and verdict.
- NAME-border3.jpg, -border6.jpg, -border10.jpg: only for a scan cropped to
  its document (the truth quad within 3 px of two of the image's edges and
  4.2 % of the others: 100_id-si's strips; a scan with a border of its own
  would get a border around a border): on a lid of level
  238-250 with sensor noise (sigma 1.5), 3, 6 and 10 % of the long side wide
  (a scanner app's loose crop; 10 % of an ID's long side is 16 % of its short
  side, deeper than a flatbed's border), JPEG q88; the same verdict.
- NAME-offset.jpg: the same lid, 6 % of the long side on three sides and
  12 % of the short side below (a crop loose on one side), JPEG q88;
  NAME-white.jpg: 6 % all round on a lid of 248, as white as a card's
  light band (its edge there may not be seen at all: no outline is then
  right, the frame's edge is not).
- NAME-half.jpg: where the long side is >= 700 px, halved (a thumbnail):
  `resolution` fails when the document's long side falls under 506 px
  (corpus-truth.tsv's rule), else the scan's own verdict.
Writes OUTDIR/truth.tsv in evaluate.py's format. Deterministic for a seed
(default 77). Needs python3, numpy and PIL.
"""
import argparse
import os
import sys

import numpy as np
from PIL import Image

HERE = os.path.dirname(os.path.abspath(__file__))


def main():
    ap = argparse.ArgumentParser(description="Variants of the corpus's real scans, with truth.")
    ap.add_argument("--corpus", default=os.environ.get("IDP_CORPUS", ""))
    ap.add_argument("--seed", type=int, default=77)
    ap.add_argument("outdir")
    a = ap.parse_args()
    if not a.corpus or not os.path.isdir(os.path.join(a.corpus, "mrz")):
        sys.exit("mkvariants.py: need --corpus or IDP_CORPUS holding mrz/")
    os.makedirs(a.outdir, exist_ok=True)
    rng = np.random.default_rng(a.seed)
    rows = []
    for line in open(os.path.join(HERE, "corpus-truth.tsv")):
        if line.startswith("#") or line.startswith("file\t"):
            continue
        f, cat, kind, orient, quad, expect, _, _ = line.rstrip("\n").split("\t")
        if cat != "scan":
            continue
        im = Image.open(os.path.join(a.corpus, f)).convert("RGB")
        W, H = im.size
        q = np.array([float(v) for v in quad.split()]).reshape(4, 2)
        base = os.path.splitext(os.path.basename(f))[0]

        im.save(os.path.join(a.outdir, base + "-q50.jpg"), quality=50)
        rows.append((base + "-q50.jpg", kind, orient, q, expect))

        lo, hi = q.min(axis=0), q.max(axis=0)
        gaps = (lo[0], lo[1], W - hi[0], H - hi[1])
        tight = (sum(g <= 3 for g in gaps) >= 2
                 and max(gaps[0], gaps[2]) <= 0.042 * W and max(gaps[1], gaps[3]) <= 0.042 * H)
        for pc in (3, 6, 10) if tight else ():
            b = int(pc / 100 * max(W, H))
            level = rng.uniform(238, 250)
            lid = level + rng.normal(0, 1.5, (H + 2 * b, W + 2 * b, 1))
            canvas = Image.fromarray(np.clip(lid, 0, 255).repeat(3, 2).astype(np.uint8))
            canvas.paste(im, (b, b))
            name = "%s-border%d.jpg" % (base, pc)
            canvas.save(os.path.join(a.outdir, name), quality=88)
            rows.append((name, kind, orient, q + b, expect))
        if tight:
            b, below = int(0.06 * max(W, H)), int(0.12 * min(W, H))
            lid = rng.uniform(238, 250) + rng.normal(0, 1.5, (H + b + below, W + 2 * b, 1))
            canvas = Image.fromarray(np.clip(lid, 0, 255).repeat(3, 2).astype(np.uint8))
            canvas.paste(im, (b, b))
            canvas.save(os.path.join(a.outdir, base + "-offset.jpg"), quality=88)
            rows.append((base + "-offset.jpg", kind, orient, q + b, expect))
            b = int(0.06 * max(W, H))
            lid = 248 + rng.normal(0, 1.5, (H + 2 * b, W + 2 * b, 1))
            canvas = Image.fromarray(np.clip(lid, 0, 255).repeat(3, 2).astype(np.uint8))
            canvas.paste(im, (b, b))
            canvas.save(os.path.join(a.outdir, base + "-white.jpg"), quality=88)
            rows.append((base + "-white.jpg", kind, orient, q + b, expect))

        if max(W, H) >= 700:
            im.resize((W // 2, H // 2), Image.LANCZOS).save(
                os.path.join(a.outdir, base + "-half.jpg"), quality=90)
            qh = q / 2
            ext = qh.max(axis=0) - qh.min(axis=0)
            rows.append((base + "-half.jpg", kind, orient, qh,
                         "fail:resolution" if max(ext) < 506 else expect))

    with open(os.path.join(a.outdir, "truth.tsv"), "w") as out:
        out.write("file\tcategory\tkind\torientation\tquad\texpect\tpair\tstrict\n")
        for f, kind, orient, q, expect in rows:
            qs = " ".join("%.1f" % v for v in q.reshape(-1))
            out.write("\t".join([f, "scan", kind, orient, qs, expect, "-", "-"]) + "\n")


if __name__ == "__main__":
    main()
