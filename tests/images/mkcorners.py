#!/usr/bin/env python3
"""Photos for the `corners` check: a finger, a coin, a pen or a flat object
of the desk's colour over one corner of a document, a document cut by the
frame, and clean controls.

Usage: mkcorners.py DIR

DIR holds the output of `idp_mkphotos --detect-set DIR` (the photos and
detect.tsv, the true corners TL, TR, BR, BL of each document). The script
paints occluders over the photos at the true corners and writes
DIR/corners.tsv: file, expected result (pass, covered, cut, cut-found: cut
off and the document found), the corner
(0-3 = TL, TR, BR, BL of the document; -1 none), what was done.

Sizes are physical: a finger is 16-18 mm wide (adult index finger at the
last joint), a 1-euro coin 23.25 mm across, a pen 9 mm; the document's
scale (px per mm) comes from its long side (85.60 mm ID-1, 125 mm ID-3).
Deterministic: a fixed seed.
"""
import math
import os
import sys

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

RNG = np.random.default_rng(20261203)


def read_tsv(d):
    shots = {}
    with open(os.path.join(d, "detect.tsv")) as f:
        next(f)
        for line in f:
            p = line.split()
            if p[1] == "none":
                continue
            q = np.array([float(v) for v in p[2:10]]).reshape(4, 2)
            shots[p[0]] = (p[1], q)
    return shots


def scale_mm(kind, q):
    long_px = max(np.linalg.norm(q[1] - q[0]), np.linalg.norm(q[2] - q[3]),
                  np.linalg.norm(q[3] - q[0]), np.linalg.norm(q[2] - q[1]))
    return long_px / (85.60 if kind == "id1" else 125.0)


def capsule_dist(h, w, a, b):
    """Distance of every pixel centre to the segment a-b."""
    ys, xs = np.mgrid[0:h, 0:w].astype(np.float64)
    xs += 0.5
    ys += 0.5
    ab = b - a
    t = ((xs - a[0]) * ab[0] + (ys - a[1]) * ab[1]) / max(ab @ ab, 1e-9)
    t = np.clip(t, 0, 1)
    dx = xs - (a[0] + t * ab[0])
    dy = ys - (a[1] + t * ab[1])
    return np.sqrt(dx * dx + dy * dy), t


def soft(dist, radius, ramp=1.2):
    """Coverage 0..1 of a shape whose edge is at dist == radius."""
    return np.clip((radius - dist) / ramp + 0.5, 0, 1)


def shadow(img, cover, off, sigma, depth):
    """Darkens img under a blurred copy of cover moved by off (px)."""
    m = Image.fromarray((cover * 255).astype(np.uint8))
    m = m.transform(m.size, Image.AFFINE, (1, 0, -off[0], 0, 1, -off[1]))
    m = m.filter(ImageFilter.GaussianBlur(sigma))
    a = np.asarray(m, np.float64)[..., None] / 255.0
    return img * (1 - depth * a)


def paint(img, cover, colour):
    c = cover[..., None]
    return img * (1 - c) + colour * c


def finger(img, q, kind, corner, angle_deg, reach_mm=9.0, width_mm=17.0):
    """A fingertip lying over the corner, coming from outside the document
    along the corner's diagonal turned by angle_deg; the tip reach_mm past
    the corner. Skin shaded as a cylinder, a nail, a soft shadow."""
    h, w = img.shape[:2]
    s = scale_mm(kind, q)
    c = q[corner]
    inward = q.mean(axis=0) - c
    inward /= np.linalg.norm(inward)
    a = math.radians(angle_deg)
    d = np.array([inward[0] * math.cos(a) - inward[1] * math.sin(a),
                  inward[0] * math.sin(a) + inward[1] * math.cos(a)])
    r = width_mm * s / 2
    tip = c + d * (reach_mm * s)
    base = tip - d * (90 * s)
    dist, t = capsule_dist(h, w, base, tip - d * r)
    cover = soft(dist, r)
    img = shadow(img, cover, (4 * s, 6 * s), 3.0 * s, 0.45)
    skin = np.array([222.0, 170.0, 140.0]) * RNG.uniform(0.85, 1.05)
    across = np.clip(dist / r, 0, 1)
    shade = (0.62 + 0.38 * np.sqrt(1 - across * across))[..., None]
    col = skin * shade
    # a lighter, pinker nail near the tip
    nail_c = tip - d * (0.45 * r + 5 * s)
    nd, _ = capsule_dist(h, w, nail_c - d * 2.5 * s, nail_c + d * 2.5 * s)
    nail = soft(nd, 0.55 * r)[..., None]
    col = col * (1 - 0.6 * nail) + np.array([236.0, 200.0, 190.0]) * shade * 0.6 * nail
    col = col + RNG.normal(0, 3, col.shape)
    return paint(img, cover, col)


def coin(img, q, kind, corner, diameter_mm=23.25, inset_mm=2.0):
    h, w = img.shape[:2]
    s = scale_mm(kind, q)
    c = q[corner]
    inward = q.mean(axis=0) - c
    inward /= np.linalg.norm(inward)
    centre = c + inward * (inset_mm * s)
    r = diameter_mm * s / 2
    dist, _ = capsule_dist(h, w, centre, centre)
    cover = soft(dist, r)
    img = shadow(img, cover, (3 * s, 4 * s), 2.0 * s, 0.5)
    ys, xs = np.mgrid[0:h, 0:w].astype(np.float64)
    lit = np.clip(((xs - centre[0]) - (ys - centre[1])) / (2 * r), -0.5, 0.5)
    gold = np.array([196.0, 160.0, 80.0])
    col = gold[None, None, :] * (0.85 + 0.5 * lit)[..., None]
    rim = ((dist > 0.82 * r) & (dist < 0.9 * r))[..., None]
    col = np.where(rim, col * 0.7, col) + RNG.normal(0, 4, col.shape)
    return paint(img, cover, col)


def pen(img, q, kind, corner, cross_mm=5.0, width_mm=9.0):
    """A pen lying across the corner, perpendicular to its diagonal,
    crossing the diagonal cross_mm inside the corner."""
    h, w = img.shape[:2]
    s = scale_mm(kind, q)
    c = q[corner]
    inward = q.mean(axis=0) - c
    inward /= np.linalg.norm(inward)
    along = np.array([-inward[1], inward[0]])
    mid = c + inward * (cross_mm * s)
    r = width_mm * s / 2
    dist, _ = capsule_dist(h, w, mid - along * 70 * s, mid + along * 70 * s)
    cover = soft(dist, r)
    img = shadow(img, cover, (3 * s, 5 * s), 2.5 * s, 0.5)
    body = np.array([30.0, 45.0, 110.0])
    ys, xs = np.mgrid[0:h, 0:w].astype(np.float64)
    side = ((xs - mid[0]) * inward[0] + (ys - mid[1]) * inward[1]) / r
    col = body[None, None, :] * (0.7 + 0.3 * np.cos(np.clip(side, -1, 1) * 1.4))[..., None]
    hl = np.exp(-((side + 0.35) / 0.12) ** 2)[..., None]
    col = col * (1 - 0.7 * hl) + 230.0 * 0.7 * hl
    return paint(img, cover, col + RNG.normal(0, 3, col.shape))


def desk_colour(img, q, kind, corner):
    """The desk's mean colour 3-10 mm from the corner, ahead of it (past
    the document's outline)."""
    h, w = img.shape[:2]
    s = scale_mm(kind, q)
    c = q[corner]
    out = c - q.mean(axis=0)
    out /= np.linalg.norm(out)
    ys, xs = np.mgrid[0:h, 0:w].astype(np.float64)
    d = np.hypot(xs - c[0], ys - c[1])
    ahead = (xs - c[0]) * out[0] + (ys - c[1]) * out[1] > 0.7 * d
    return img[(d > 3 * s) & (d < 10 * s) & ahead].mean(axis=0)


def desk_disc(img, q, kind, corner, diameter_mm=24.0, inset_mm=2.0):
    """A flat round object of the desk's own colour over the corner (a
    leather wallet on a table of the same brown; a finger on a brown
    gingham is as close): nothing foreign lies there, yet both sides of
    the corner are hidden."""
    h, w = img.shape[:2]
    s = scale_mm(kind, q)
    c = q[corner]
    col = desk_colour(img, q, kind, corner)
    inward = q.mean(axis=0) - c
    inward /= np.linalg.norm(inward)
    centre = c + inward * (inset_mm * s)
    dist, _ = capsule_dist(h, w, centre, centre)
    cover = soft(dist, diameter_mm * s / 2)
    return paint(img, cover, col[None, None, :] + RNG.normal(0, 3, img.shape))


def crop_rb(img, q, kind, right_mm, bottom_mm):
    """Crops the frame so that the document's rightmost point is right_mm
    beyond the right edge and its lowest bottom_mm below the bottom edge."""
    s = scale_mm(kind, q)
    x1 = int(q[:, 0].max() - right_mm * s)
    y1 = int(q[:, 1].max() - bottom_mm * s)
    x0 = max(0, int(q[:, 0].min() - 0.5 * (q[:, 0].max() - q[:, 0].min())))
    y0 = max(0, int(q[:, 1].min() - 0.3 * (q[:, 1].max() - q[:, 1].min())))
    return img[y0:y1, x0:x1]


def crop_r(img, q, kind, right_mm):
    """Crops the frame so that the document's rightmost point is right_mm
    beyond the right edge; the other three sides stay well inside (a side
    cut off, and only a little of it: round 9)."""
    s = scale_mm(kind, q)
    x1 = int(q[:, 0].max() - right_mm * s)
    x0 = max(0, int(q[:, 0].min() - 0.5 * (q[:, 0].max() - q[:, 0].min())))
    y0 = max(0, int(q[:, 1].min() - 0.3 * (q[:, 1].max() - q[:, 1].min())))
    y1 = min(img.shape[0], int(q[:, 1].max() + 0.3 * (q[:, 1].max() - q[:, 1].min())))
    return img[y0:y1, x0:x1]


# name, base photo, what, corner, parameter
SHOTS = [
    ("fing-wood-tl", "wood-0.jpg", "finger", 0, 0),
    ("fing-wood-br", "wood-0.jpg", "finger", 2, 25),
    ("fing-busy-tr", "busy-0.jpg", "finger", 1, -30),
    ("fing-cloth-bl", "cloth-tilt10.jpg", "finger", 3, 15),
    ("fing-dark-tr", "plain-dark-tilt.jpg", "finger", 1, 35),
    ("fing-light-bl", "plain-light.jpg", "finger", 3, -20),
    ("fing-pass-br", "passport-wood.jpg", "finger", 2, 0),
    ("fing-back-tl", "back-0.jpg", "finger", 0, -35),
    ("fing-shadow-tr", "wood-shadow.jpg", "finger", 1, 10),
    ("coin-cloth-tr", "cloth-tilt10.jpg", "coin", 1, 0),
    ("coin-light-tl", "plain-light.jpg", "coin", 0, 0),
    ("coin-back-br", "back-0.jpg", "coin", 2, 0),
    ("pen-wood-bl", "wood-0.jpg", "pen", 3, 0),
    ("pen-dark-tl", "plain-dark-tilt.jpg", "pen", 0, 0),
    ("mid-wood", "wood-0.jpg", "thumb-mid", -1, 0),
    ("mid-light", "plain-light.jpg", "thumb-mid", -1, 0),
    ("cut-rb-wood", "wood-0.jpg", "crop-rb", -1, 0),
    ("cut-rb-light", "plain-light.jpg", "crop-rb", -1, 0),
    # after the rows above (the seeded draws of those stay as they were)
    ("disc-wood-tr", "wood-0.jpg", "desk-disc", 1, 0),
    ("disc-cloth-bl", "cloth-tilt10.jpg", "desk-disc", 3, 0),
    # round 9: a card 7 mm past the right edge, its three other sides in
    # view (not found before round 9: the fourth side, 10 % nearer, would
    # have been in the frame)
    ("cut-r-wood", "wood-0.jpg", "crop-r", -1, 7),
    # round 11: the same card 10 mm past the right edge (not found before
    # round 11: the best of the quads had four supported sides, so the
    # three-sided search was not run, and was refused; the card's U
    # encloses boxes printed on it)
    ("cut-r10-wood", "wood-0.jpg", "crop-r", -1, 10),
    # round 20: a fingertip only 3 mm past the corner: the corner is
    # hidden, the sides are seen past the finger's edge, and the finger's
    # shading and nail made steps of the outline's contrast over the rest
    # of the stretch (main passed all three; docs/detection.md "Round 20: a
    # finger over a corner")
    ("tip-pass-tl", "passport-wood.jpg", "finger-tip", 0, -40),
    ("tip-wood-bl", "wood-0.jpg", "finger-tip", 3, 40),
    ("tip-wood-br", "wood-0.jpg", "finger-tip", 2, -40),
]


def thumb_mid(img, q, kind):
    """A thumb over the middle of the bottom long side (holding the card):
    no corner covered."""
    qq = q.copy()
    mid = 0.5 * (q[2] + q[3])
    # a pseudo-corner at the side's middle, so finger() comes from outside
    qq[2] = mid
    return finger(img, qq, kind, 2, 0, reach_mm=7.0)


def main():
    d = sys.argv[1]
    shots = read_tsv(d)
    out = open(os.path.join(d, "corners.tsv"), "w")
    out.write("file\texpect\tcorner\twhat\n")
    for name, base, what, corner, par in SHOTS:
        kind, q = shots[base]
        img = np.asarray(Image.open(os.path.join(d, base)).convert("RGB"), np.float64)
        expect = "covered"
        if what == "finger":
            img = finger(img, q, kind, corner, par)
        elif what == "finger-tip":
            img = finger(img, q, kind, corner, par, reach_mm=3.0)
        elif what == "desk-disc":
            img = desk_disc(img, q, kind, corner)
        elif what == "coin":
            img = coin(img, q, kind, corner)
        elif what == "pen":
            img = pen(img, q, kind, corner)
        elif what == "thumb-mid":
            img = thumb_mid(img, q, kind)
            expect = "pass"
        elif what == "crop-r":
            img = crop_r(img, q, kind, par)
            expect = "cut-found"
        elif what == "crop-rb":
            img = crop_rb(img, q, kind, 12.0, 10.0)
            expect = "cut"
        img = np.clip(img + 0.5, 0, 255).astype(np.uint8)
        Image.fromarray(img).save(os.path.join(d, name + ".jpg"), quality=90)
        out.write("%s.jpg\t%s\t%d\t%s\n" % (name, expect, corner, what))
    out.close()


if __name__ == "__main__":
    main()
