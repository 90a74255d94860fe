#!/usr/bin/env python3
"""Writes the photos of the glare and exposure tests (test_glare.sh): the
bright documents that are NOT glare or badly exposed, and real-looking
specular glare over print. Deterministic (fixed seeds); needs numpy and PIL.

  mkglare.py OUTDIR

  back-mrz.jpg      card back, light tint, near-white MRZ band (clips at 250+)
                    along the bottom: printed white, not glare
  flatbed-white.jpg white card stock on a white flatbed lid, bright and even
  white-desk.jpg    white document on a light desk: mean luma ~215, print
                    with full contrast: readable
  glare-tiny.jpg    specular reflection over the print: ~0.4 % of the card
  glare-s.jpg       ~2 % of the card
  glare-m.jpg       ~4 % of the card
  glare-l.jpg       ~10 % of the card
  glare-white.jpg   ~6 % of a white card, over its print

A specular reflection is modelled as the sensor sees it: the reflected lamp
(an elliptical super-Gaussian, its peak several times full scale, so the
core clips) added equally to R, G and B (near neutral), after the lens blur,
so its halo falls off over tens of pixels; then sensor noise and JPEG.
"""
import os
import sys

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

W, H = 2400, 1600
CARD_W = 1870  # ~78 % of the frame, as mkphotos.c
CARD_H = int(round(CARD_W * 53.98 / 85.60))
FONTS = "/usr/share/fonts/truetype/dejavu/"


def font(name, size):
    try:
        return ImageFont.truetype(FONTS + name, size)
    except OSError:
        return ImageFont.load_default()


MONO = "DejaVuSansMono-Bold.ttf"
SANS = "DejaVuSans.ttf"
SANSB = "DejaVuSans-Bold.ttf"


def mrz_lines():
    return ["IDUTOT220001293<<<<<<<<<<<<<<<",
            "9005031X3509146UTO<<<<<<<<<<<2",
            "TESTPERSON<<ALEX<JORDAN<<<<<<<"]


def card_back(bg, band):
    """The back of an ID card: field text on a light tint, the MRZ band."""
    im = Image.new("RGB", (CARD_W, CARD_H), bg)
    d = ImageDraw.Draw(im)
    f, fb = font(SANS, 34), font(SANSB, 46)
    y = 60
    for label, value in [("PLACE OF BIRTH", "UTOPIA CITY"), ("ADDRESS", "12 MAIN STREET"),
                         ("HEIGHT", "175 CM"), ("AUTHORITY", "CITY HALL OF UTOPIA")]:
        d.text((70, y), label, fill=(70, 80, 90), font=f)
        d.text((70, y + 40), value, fill=(20, 20, 30), font=fb)
        y += 110
    d.rectangle((1250, 80, 1750, 480), outline=(90, 100, 120), width=4)
    d.text((1290, 260), "SIGNATURE", fill=(90, 100, 120), font=f)
    top = int(CARD_H * 0.62)
    d.rectangle((0, top, CARD_W, CARD_H), fill=band)
    fm = font(MONO, 66)
    for i, line in enumerate(mrz_lines()):
        d.text((90, top + 40 + i * 120), line, fill=(25, 25, 25), font=fm)
    return im


def card_front(bg):
    """A card front: header band, photo box, fields."""
    im = Image.new("RGB", (CARD_W, CARD_H), bg)
    d = ImageDraw.Draw(im)
    d.rectangle((0, 0, CARD_W, 170), fill=(40, 80, 160))
    d.text((220, 40), "REPUBLIC OF UTOPIA  IDENTITY CARD", fill=(255, 255, 255),
           font=font(SANSB, 60))
    d.rectangle((90, 240, 560, 840), fill=(160, 180, 210))
    d.ellipse((220, 330, 430, 580), fill=(200, 160, 130))
    d.rectangle((160, 600, 490, 840), fill=(50, 60, 90))
    f, fb = font(SANS, 34), font(SANSB, 52)
    y = 230
    for label, value in [("SURNAME", "TESTPERSON"), ("GIVEN NAMES", "ALEX JORDAN"),
                         ("DATE OF BIRTH", "03.05.1990"), ("NATIONALITY", "UTOPIAN"),
                         ("DATE OF EXPIRY", "14.09.2035")]:
        d.text((640, y), label, fill=(70, 80, 90), font=f)
        d.text((640, y + 38), value, fill=(15, 15, 25), font=fb)
        y += 118
    fm = font(MONO, 58)
    for i, line in enumerate(mrz_lines()):
        d.text((90, 905 + i * 88), line, fill=(25, 25, 25), font=fm)
    return im


def background(kind, rng):
    if kind == "wood":
        x = np.arange(W)[None, :]
        y = np.arange(H)[:, None]
        grain = np.sin(y / 9.0 + 3 * np.sin(x / 300.0)) * 18 + rng.normal(0, 4, (H, W))
        base = np.stack([120 + grain, 80 + grain * 0.7, 50 + grain * 0.5], axis=2)
    elif kind == "lid":  # a flatbed's white lid
        base = np.full((H, W, 3), 249.0)
    elif kind == "lightdesk":  # a light beige desk
        x = np.arange(W)[None, :]
        base = np.stack([np.full((H, W), 214.0) - x * 0.004, np.full((H, W), 205.0),
                         np.full((H, W), 188.0)], axis=2)
    else:
        raise ValueError(kind)
    return base


def place(bg, card, angle, shadow=True):
    """Pastes the card, turned by angle degrees, at the frame's centre."""
    mask = Image.new("L", card.size, 255)
    card = card.rotate(angle, resample=Image.BICUBIC, expand=True, fillcolor=(0, 0, 0))
    mask = mask.rotate(angle, resample=Image.BICUBIC, expand=True, fillcolor=0)
    ox, oy = (W - card.size[0]) // 2, (H - card.size[1]) // 2
    c = np.asarray(card, dtype=np.float64)
    m = np.asarray(mask, dtype=np.float64)[:, :, None] / 255.0
    out = bg.copy()
    if shadow:  # a soft contact shadow, down and right
        sh = Image.fromarray((m[:, :, 0] * 255).astype(np.uint8)).filter(
            ImageFilter.GaussianBlur(14))
        s = np.asarray(sh, dtype=np.float64)[:, :, None] / 255.0 * 0.35
        region = out[oy + 10:oy + 10 + c.shape[0], ox + 12:ox + 12 + c.shape[1]]
        region *= 1 - s
    region = out[oy:oy + c.shape[0], ox:ox + c.shape[1]]
    region[:] = region * (1 - m) + c * m
    return out, (ox + card.size[0] / 2, oy + card.size[1] / 2)


def lens(a, sigma):
    """The lens's point spread: a Gaussian blur of sigma px at full size
    (separable, as shifted sums; edges repeated)."""
    r = int(3 * sigma + 0.5)
    k = np.exp(-0.5 * (np.arange(-r, r + 1) / sigma) ** 2)
    k /= k.sum()
    for axis in (0, 1):
        p = np.pad(a, [(r, r) if i == axis else (0, 0) for i in range(3)], mode="edge")
        n = a.shape[axis]
        a = sum(k[i] * np.take(p, np.arange(i, i + n), axis=axis) for i in range(2 * r + 1))
    return a


def specular(cx, cy, sx, sy, peak, angle=0.4):
    """The reflected lamp: an elliptical super-Gaussian (a flat-topped disc
    with Gaussian-like shoulders), peak x full scale, added to R, G and B."""
    y, x = np.mgrid[0:H, 0:W].astype(np.float64)
    ca, sa = np.cos(angle), np.sin(angle)
    u = ((x - cx) * ca + (y - cy) * sa) / sx
    v = (-(x - cx) * sa + (y - cy) * ca) / sy
    r2 = u * u + v * v
    return peak * 255.0 * np.exp(-0.5 * r2 ** 1.25)


def finish(a, rng, path, noise=2.5, quality=92):
    a = a + rng.normal(0, noise, a.shape[:2])[:, :, None]
    a = np.clip(np.round(a), 0, 255).astype(np.uint8)
    Image.fromarray(a, "RGB").save(path, quality=quality, subsampling=2)


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    rng = np.random.default_rng(20261203)

    # The back: light grey-blue tint; the MRZ band white paper that clips.
    bg = background("wood", rng)
    a, _ = place(bg, card_back((226, 231, 236), (255, 255, 253)), 2.0)
    a = lens(a, 1.0) * 1.0
    a[:, :, :] += 6  # bright room: the white band clips, the tint stays below
    finish(a, rng, os.path.join(out, "back-mrz.jpg"))

    # A white card on a flatbed: lid 249, card stock 254, even light, sharp.
    a, _ = place(background("lid", rng), card_front((254, 254, 252)), 0.3, shadow=False)
    a = lens(a, 0.7)
    finish(a, rng, os.path.join(out, "flatbed-white.jpg"), noise=1.2)

    # A white document on a light desk: readable, mean luma ~215.
    a, _ = place(background("lightdesk", rng) + 8, card_front((250, 250, 246)), -1.5)
    a = lens(a, 1.0)
    finish(a, rng, os.path.join(out, "white-desk.jpg"))

    # Specular glare over the print of a normal card, several sizes.
    base = place(background("wood", rng), card_front((218, 226, 232)), 2.0)
    clean = lens(base[0], 1.0)
    cx, cy = base[1]
    for name, s, peak in [("glare-tiny", 22, 3.0), ("glare-s", 55, 3.0), ("glare-m", 75, 3.5),
                          ("glare-l", 115, 4.0)]:
        g = specular(cx + 120, cy - 60, s * 1.4, s, peak)
        finish(clean + g[:, :, None], rng, os.path.join(out, name + ".jpg"))

    # The same on a white card.
    base = place(background("wood", rng), card_front((240, 240, 236)), -2.0)
    clean = lens(base[0], 1.0)
    cx, cy = base[1]
    g = specular(cx - 200, cy + 40, 95 * 1.4, 95, 3.5)
    finish(clean + g[:, :, None], rng, os.path.join(out, "glare-white.jpg"))


if __name__ == "__main__":
    main()
