"""Shared pieces of the realistic photo generator (mkreal.py): the documents'
sizes, the real textures, the fonts and cameras, small geometry helpers, and
the command line both generators (mkreal.py, mkscans.py) share."""
import argparse
import math
import os
import sys

import numpy as np
from PIL import Image, ImageFont

def parse_args(description, prog, holding, seed_help=None, more=None, only_metavar="FILE",
               only_help=None):
    """The generators' options: --set, --corpus (or IDP_CORPUS), --seed, the
    generator's own (more(ap) adds them), --only and the output folder; exits
    naming `holding` when the corpus lacks mrz/."""
    ap = argparse.ArgumentParser(description=description)
    ap.add_argument("--set", choices=["tune", "heldout"], required=True)
    ap.add_argument("--corpus", default=os.environ.get("IDP_CORPUS", ""))
    ap.add_argument("--seed", type=int, default=None, help=seed_help)
    if more is not None:
        more(ap)
    ap.add_argument("--only", nargs="+", metavar=only_metavar, help=only_help)
    ap.add_argument("outdir")
    a = ap.parse_args()
    if not a.corpus or not os.path.isdir(os.path.join(a.corpus, "mrz")):
        sys.exit("%s: need --corpus or IDP_CORPUS holding %s" % (prog, holding))
    return a


ID1 = (85.60, 53.98)  # ISO/IEC 7810 ID-1, mm
ID3 = (125.0, 88.0)   # ISO/IEC 7810 ID-3 (passport page), mm
RADIUS_MM = 3.18      # ISO/IEC 7810 corner radius

# Real textures: file in $IDP_CORPUS/mrz, crop box of the document inside the
# image (x0, y0, x1, y1, measured by eye and with `convert -trim`), kind, and
# the set it belongs to (disjoint halves: tune on one, report on the other).
# Skipped: 100_pass-lux.jpg (a photo of an open booklet, not a flat page) and
# 0_id-esp.png (a cropped fragment with a caption, not a whole document).
TEXTURES = [
    ("100_id-mac.jpg", (0, 0, 283, 178), "id1", "tune"),
    ("53_id-d.jpg", (0, 0, 250, 159), "id1", "tune"),
    ("100_id-si.jpg", (0, 2, 553, 352), "id1", "heldout"),
    ("100_pass-cze.jpg", (0, 0, 597, 422), "id3", "tune"),
    ("100_visa-polx.jpg", (8, 5, 594, 414), "id3", "tune"),
    ("24_pass-egy.jpg", (0, 0, 268, 188), "id3", "tune"),
    ("43_pass-fra.jpg", (0, 0, 376, 264), "id3", "tune"),
    ("98_pass-nld.jpg", (0, 1, 453, 330), "id3", "tune"),
    ("100_pass-isl.png", (0, 1, 599, 409), "id3", "tune"),
    ("100_pass-bdr.jpg", (0, 0, 1874, 1326), "id3", "heldout"),
    ("100_pass-uto.jpg", (30, 19, 768, 523), "id3", "heldout"),
    ("27_pass-gbr.jpg", (0, 0, 272, 185), "id3", "heldout"),
    ("79_pass-can.jpg", (12, 9, 489, 307), "id3", "heldout"),
    ("100_pass-fin.png", (0, 1, 600, 426), "id3", "heldout"),
    ("62_pass-pol.png", (0, 0, 600, 416), "id3", "heldout"),
]

FONT_DIR = "/usr/share/fonts/truetype/dejavu"
CAMERAS = [("Apple", "iPhone 13", 5.1, 1.6), ("samsung", "SM-S911B", 5.4, 1.8),
           ("Google", "Pixel 7", 6.8, 1.9), ("Xiaomi", "2201117TG", 4.7, 1.8),
           ("Apple", "iPhone SE (2nd generation)", 3.99, 1.8)]


def font(size, mono=False, bold=False):
    name = "DejaVuSansMono" if mono else "DejaVuSans"
    name += "-Bold" if bold else ""
    try:
        return ImageFont.truetype(os.path.join(FONT_DIR, name + ".ttf"), max(6, int(size)))
    except OSError:
        return ImageFont.load_default()


def lowfreq(rng, w, h, cells):
    """Smooth noise in [0, 1] with about `cells` bumps across."""
    gw, gh = cells + 2, max(3, int(cells * h / max(w, 1)) + 2)
    g = rng.uniform(0, 255, (gh, gw)).astype(np.uint8)
    return np.asarray(Image.fromarray(g).resize((w, h), Image.BICUBIC), np.float32) / 255


def cover(p, w, h):
    s = max(w / p.width, h / p.height)
    p = p.resize((int(math.ceil(p.width * s)), int(math.ceil(p.height * s))), Image.BICUBIC)
    x, y = (p.width - w) // 2, (p.height - h) // 2
    return p.crop((x, y, x + w, y + h))


def overlap(a, b):
    return not (a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1])


def homography(src, dst):
    """Coefficients (a..h) mapping points src -> dst, as PIL's PERSPECTIVE wants
    (it maps output pixels to input pixels: pass src=output quad, dst=input)."""
    A, b = [], []
    for (x, y), (u, v) in zip(src, dst):
        A.append([x, y, 1, 0, 0, 0, -u * x, -u * y])
        A.append([0, 0, 0, x, y, 1, -v * x, -v * y])
        b += [u, v]
    return np.linalg.solve(np.array(A, float), np.array(b, float)).tolist()


def tilted_rect(wmm, hmm, th, ax, ay):
    """The corners (TL TR BR BL, mm, 3-D) of a wmm x hmm rectangle centred on
    the origin, turned by th in its plane, then tilted by ax about x and ay
    about y."""
    pts = np.array([[-wmm / 2, -hmm / 2, 0], [wmm / 2, -hmm / 2, 0], [wmm / 2, hmm / 2, 0], [-wmm / 2, hmm / 2, 0]])
    rz = np.array([[math.cos(th), -math.sin(th), 0], [math.sin(th), math.cos(th), 0], [0, 0, 1]])
    rx = np.array([[1, 0, 0], [0, math.cos(ax), -math.sin(ax)], [0, math.sin(ax), math.cos(ax)]])
    ry = np.array([[math.cos(ay), 0, math.sin(ay)], [0, 1, 0], [-math.sin(ay), 0, math.cos(ay)]])
    return pts @ rz.T @ rx.T @ ry.T
