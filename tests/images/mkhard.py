#!/usr/bin/env python3
"""Hard cases for the document finder that the photo generator does not
make: clutter that is rectangular (an A4 letter, a book, a chair's mesh, a
printer tray), a card on strongly striped wood and on carpet, a card half
off the frame with its portrait box in view, a card on a payment terminal,
and a scanner app's exact crop. Parametric and seeded; writes PNG/JPEG
photos and hard.tsv (file, kind or none, x0 y0 ... x3 y3 of the true
document, TL TR BR BL, category) into OUTDIR.

  mkhard.py OUTDIR
"""
import math
import os
import sys

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

W, H = 1600, 1200
rng = np.random.default_rng(20261203)


def rot(pts, cx, cy, deg):
    a = math.radians(deg)
    c, s = math.cos(a), math.sin(a)
    return [(cx + (x - cx) * c - (y - cy) * s, cy + (x - cx) * s + (y - cy) * c) for x, y in pts]


def card_face(w, h, paper=(232, 228, 218), band=(40, 80, 150), kind="id1"):
    """A card or passport page w x h: header band, portrait box, fields of
    letter-sized glyphs, a two-line MRZ; rounded corners (alpha)."""
    im = Image.new("RGB", (w, h), paper)
    d = ImageDraw.Draw(im)
    # a faint guilloche tint
    arr = np.asarray(im).astype(float)
    yy, xx = np.mgrid[0:h, 0:w]
    arr += 8 * np.sin(xx / 9.0 + 3 * np.sin(yy / 23.0))[..., None]
    im = Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8))
    d = ImageDraw.Draw(im)
    d.rectangle([0, 0, w, int(0.15 * h)], fill=band)
    px0, py0, px1, py1 = int(0.05 * w), int(0.24 * h), int(0.30 * w), int(0.70 * h)
    d.rectangle([px0, py0, px1, py1], fill=(175, 190, 205), outline=(60, 60, 70), width=2)
    d.ellipse([px0 + 0.25 * (px1 - px0), py0 + 0.15 * (py1 - py0), px1 - 0.25 * (px1 - px0),
               py0 + 0.6 * (py1 - py0)], fill=(200, 160, 130))
    d.rectangle([px0 + 0.1 * (px1 - px0), py0 + 0.65 * (py1 - py0), px1 - 0.1 * (px1 - px0), py1],
                fill=(50, 50, 80))
    short = min(w, h)
    mm = short / (54.0 if kind == "id1" else 88.0)
    lh = 2.2 * mm  # letters of 2.2 mm

    def words(x, y, x1, lh, ink=(25, 25, 35)):
        while x < x1:
            n = int(rng.integers(2, 9))
            for _ in range(n):
                cw = lh * 0.62
                if x + cw > x1:
                    return
                d.rectangle([x, y, x + cw * 0.8, y + lh], fill=ink)
                x += cw
            x += lh * 0.7

    y = 0.26 * h
    while y < 0.66 * h:
        words(0.35 * w, y, 0.35 * w + rng.uniform(0.15, 0.5) * w, lh * 0.7, (90, 100, 130))
        words(0.35 * w, y + lh, 0.35 * w + rng.uniform(0.15, 0.5) * w, lh)
        y += 2.6 * lh
    for k in range(2):
        yy0 = h - (2.6 - 1.3 * k) * 2.5 * mm - 3 * mm
        x = 0.05 * w
        while x + 2.5 * mm * 0.62 < 0.95 * w:
            d.rectangle([x, yy0, x + 2.5 * mm * 0.5, yy0 + 2.5 * mm], fill=(20, 20, 25))
            x += 2.5 * mm * 0.72
    mask = Image.new("L", (w, h), 0)
    r = int(3.18 / 85.6 * max(w, h))
    ImageDraw.Draw(mask).rounded_rectangle([0, 0, w - 1, h - 1], r, fill=255)
    return im, mask, (px0, py0, px1, py1)


def paste(bg, face, mask, x, y, deg):
    """Pastes face turned by deg about its centre with its top-left corner
    at (x, y) before the turn; returns the true quad."""
    w, h = face.size
    big = face.rotate(-deg, resample=Image.BICUBIC, expand=True)
    bm = mask.rotate(-deg, resample=Image.BICUBIC, expand=True)
    cx, cy = x + w / 2, y + h / 2
    bg.paste(big, (int(round(cx - big.size[0] / 2)), int(round(cy - big.size[1] / 2))), bm)
    ox = int(round(cx - big.size[0] / 2)) - (cx - big.size[0] / 2)
    oy = int(round(cy - big.size[1] / 2)) - (cy - big.size[1] / 2)
    q = rot([(x, y), (x + w, y), (x + w, y + h), (x, y + h)], cx, cy, deg)
    return [(px + ox, py + oy) for px, py in q]


def camera(im, blur=0.8, noise=3.0):
    im = im.filter(ImageFilter.GaussianBlur(blur))
    a = np.asarray(im).astype(float)
    a += rng.normal(0, noise, a.shape)
    return Image.fromarray(np.clip(a, 0, 255).astype(np.uint8))


def desk(colour=(120, 110, 100), amp=6):
    a = np.ones((H, W, 3)) * np.array(colour, float)
    a += rng.normal(0, amp, (H, W, 1))
    return Image.fromarray(np.clip(a, 0, 255).astype(np.uint8)).filter(ImageFilter.GaussianBlur(2))


def striped_wood():
    yy, xx = np.mgrid[0:H, 0:W].astype(float)
    ph = yy / 14.0 + 1.5 * np.sin(xx / 210.0) + 0.6 * np.sin(xx / 53.0 + yy / 300.0)
    s = np.sign(np.sin(ph)) * 0.5 + 0.5 * np.sin(ph)
    a = np.stack([150 + 45 * s, 95 + 35 * s, 55 + 25 * s], -1)
    return Image.fromarray(np.clip(a, 0, 255).astype(np.uint8))


def carpet():
    a = rng.normal(0, 40, (H // 2, W // 2, 1)) + np.array([110, 95, 90], float)
    a += rng.normal(0, 15, (H // 2, W // 2, 3))
    im = Image.fromarray(np.clip(a, 0, 255).astype(np.uint8)).resize((W, H), Image.NEAREST)
    return im.filter(ImageFilter.GaussianBlur(0.7))


def line(rows, name, kind, quad, cat):
    q = " ".join("%.2f %.2f" % p for p in quad) if quad else " ".join(["0"] * 8)
    rows.append("%s\t%s\t%s\t%s" % (name, kind, q.replace(" ", "\t"), cat))


def main(out):
    os.makedirs(out, exist_ok=True)
    rows = []
    # a card on strongly striped wood, turned 4 degrees
    bg = striped_wood()
    face, mask, _ = card_face(760, 479)
    q = paste(bg, face, mask, 420, 360, 4)
    camera(bg).save(os.path.join(out, "wood-stripes.jpg"), quality=88)
    line(rows, "wood-stripes.jpg", "id1", q, "texture")
    # on carpet
    bg = carpet()
    face, mask, _ = card_face(700, 441)
    q = paste(bg, face, mask, 450, 380, -7)
    camera(bg, 0.6).save(os.path.join(out, "carpet.jpg"), quality=88)
    line(rows, "carpet.jpg", "id1", q, "texture")
    # a passport page on a plain desk
    bg = desk((70, 80, 95))
    face, mask, _ = card_face(880, 620, band=(150, 40, 60), kind="id3")
    q = paste(bg, face, mask, 360, 290, 3)
    camera(bg).save(os.path.join(out, "passport-desk.jpg"), quality=88)
    line(rows, "passport-desk.jpg", "id3", q, "plain")
    # a scanner app's exact crop
    face, mask, _ = card_face(1012, 638)
    camera(face, 0.5, 2).save(os.path.join(out, "scan-crop.jpg"), quality=90)
    line(rows, "scan-crop.jpg", "id1", [(0, 0), (1012, 0), (1012, 638), (0, 638)], "scan")
    # a passport page scanned on white with a margin
    face, mask, _ = card_face(1250, 880, band=(150, 40, 60), kind="id3")
    sc = Image.new("RGB", (1310, 940), (252, 252, 250))
    sc.paste(face, (30, 30))
    camera(sc, 0.5, 1.5).save(os.path.join(out, "scan-margin.png"))
    line(rows, "scan-margin.png", "id3", [(30, 30), (1280, 30), (1280, 910), (30, 910)], "scan")
    # a card running off the right and the bottom: its portrait box in view
    bg = desk((95, 75, 60))
    face, mask, box = card_face(1500, 946)
    q = paste(bg, face, mask, 640, 520, 2)
    camera(bg).save(os.path.join(out, "card-off-frame.jpg"), quality=88)
    line(rows, "card-off-frame.jpg", "id1", q, "cut")
    # a card on a payment terminal: its lower part over the dark body
    bg = desk((190, 185, 175))
    d = ImageDraw.Draw(bg)
    d.rectangle([380, 700, 1300, 1200], fill=(35, 35, 40))
    face, mask, _ = card_face(720, 454)
    q = paste(bg, face, mask, 380, 380, 0)
    camera(bg).save(os.path.join(out, "terminal.jpg"), quality=88)
    line(rows, "terminal.jpg", "id1", q, "clutter")
    # an A4 letter (1.414, a passport page's aspect) with 2.5 mm text
    bg = desk((110, 100, 90))
    sheet = Image.new("RGB", (560, 792), (245, 245, 240))
    d = ImageDraw.Draw(sheet)
    mm = 560 / 210.0
    y = 25 * mm
    while y < 270 * mm:
        x = 25 * mm
        x1 = 185 * mm if rng.random() > 0.15 else rng.uniform(60, 150) * mm
        while x < x1:
            n = int(rng.integers(2, 10))
            for _ in range(n):
                d.rectangle([x, y, x + 1.3 * mm, y + 2.2 * mm], fill=(30, 30, 30))
                x += 1.6 * mm
            x += 1.8 * mm
        y += 5 * mm if rng.random() > 0.1 else 12 * mm
    m = Image.new("L", sheet.size, 255)
    paste(bg, sheet, m, 520, 200, -5)
    camera(bg).save(os.path.join(out, "a4-letter.jpg"), quality=88)
    line(rows, "a4-letter.jpg", "none", None, "clutter")
    # a book (cover 150 x 225 mm, 1.5) lying on the desk
    bg = desk((150, 140, 125))
    cover = Image.new("RGB", (420, 630), (120, 30, 35))
    d = ImageDraw.Draw(cover)
    d.rectangle([40, 80, 380, 200], outline=(210, 180, 90), width=4)
    for k in range(7):
        d.rectangle([70 + 40 * k, 110, 95 + 40 * k, 170], fill=(210, 180, 90))
    m = Image.new("L", cover.size, 255)
    paste(bg, cover, m, 600, 280, 12)
    camera(bg).save(os.path.join(out, "book.jpg"), quality=88)
    line(rows, "book.jpg", "none", None, "clutter")
    # a chair's mesh back: a frame with a lattice of strands
    bg = desk((200, 200, 195))
    mesh = Image.new("RGB", (900, 600), (40, 40, 45))
    d = ImageDraw.Draw(mesh)
    for yy in range(30, 570, 22):
        for xx in range(30, 870, 22):
            d.rectangle([xx, yy, xx + 13, yy + 13], fill=(185, 185, 180))
    m = Image.new("L", mesh.size, 255)
    paste(bg, mesh, m, 350, 300, 2)
    camera(bg, 1.0).save(os.path.join(out, "mesh.jpg"), quality=88)
    line(rows, "mesh.jpg", "none", None, "clutter")
    # a printer's paper tray: ridges and a slot
    bg = desk((60, 60, 65))
    tray = Image.new("RGB", (1000, 660), (200, 202, 205))
    d = ImageDraw.Draw(tray)
    for xx in range(60, 950, 70):
        d.rectangle([xx, 40, xx + 10, 620], fill=(150, 152, 156))
        d.rectangle([xx + 10, 40, xx + 14, 620], fill=(235, 236, 238))
    d.rectangle([430, 560, 570, 620], fill=(90, 92, 96))
    m = Image.new("L", tray.size, 255)
    paste(bg, tray, m, 300, 270, -3)
    camera(bg).save(os.path.join(out, "tray.jpg"), quality=88)
    line(rows, "tray.jpg", "none", None, "clutter")
    with open(os.path.join(out, "hard.tsv"), "w") as f:
        f.write("file\tkind\tx0\ty0\tx1\ty1\tx2\ty2\tx3\ty3\tcategory\n")
        f.write("\n".join(rows) + "\n")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
