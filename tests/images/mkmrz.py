#!/usr/bin/python3
"""Synthetic ID backs (TD1) and passport pages (TD3) with a valid
machine-readable zone, photographed as a phone would: on a desk, in
perspective, blurred, noisy, JPEG. The zone is printed in OCR-B
(fonts-ocr-b) with check digits computed here (ICAO 9303, 7-3-1), apart
from the reader under test.

  mkmrz.py OUT.jpg KIND [key=value...]
    KIND td1 | td3 | front (an ID card's front: a photo and fields, no zone)
    surname=MUELLER given=ANNA<MARIA number=C01X00T47 birth=850312
    expiry=341231 sex=F state=D nat=D seed=1 width=1600 height=1200
    swap=1       swap two digits of the birth date after the check digits
    tilt=0.06    perspective strength, blur=1.2 (px), noise=4, quality=85
Prints the two or three lines on stdout (for the test to compare).
"""
import os
import sys

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

FONTS = ["/usr/share/fonts/opentype/ocr-b/OCRB.otf",
         "/usr/share/fonts/truetype/ocr-b/OCRB.ttf"]


def value(c):
    if c.isdigit():
        return int(c)
    if "A" <= c <= "Z":
        return ord(c) - 55
    return 0


def check(s):
    return str(sum(value(c) * (7, 3, 1)[i % 3] for i, c in enumerate(s)) % 10)


def pad(s, n):
    return (s + "<" * n)[:n]


def lines_td3(a):
    l1 = pad("P<" + a["state"] + a["surname"] + "<<" + a["given"], 44)
    num = pad(a["number"], 9)
    opt = pad(a.get("optional", ""), 14)
    l2 = (num + check(num) + a["nat"] + a["birth"] + check(a["birth"]) + a["sex"] +
          a["expiry"] + check(a["expiry"]) + opt + check(opt))
    comp = l2[0:10] + l2[13:20] + l2[21:43]
    return [l1, l2 + check(comp)]


def lines_td1(a):
    num = pad(a["number"], 9)
    l1 = pad("I<" + a["state"] + num + check(num) + a.get("optional", ""), 30)
    l2 = pad(a["birth"] + check(a["birth"]) + a["sex"] + a["expiry"] + check(a["expiry"]) +
             a["nat"], 29)
    comp = l1[5:30] + l2[0:7] + l2[8:15] + l2[18:29]
    l2 += check(comp)
    l3 = pad(a["surname"] + "<<" + a["given"], 30)
    return [l1, l2, l3]


def main():
    out, kind = sys.argv[1], sys.argv[2]
    a = {"surname": "MUELLER", "given": "ANNA<MARIA", "number": "C01X00T47", "birth": "850312",
         "expiry": "341231", "sex": "F", "state": "D<<", "nat": "D<<", "seed": "1",
         "width": "1600", "height": "1200", "swap": "0", "tilt": "0.06", "blur": "1.0",
         "noise": "4", "quality": "85"}
    for kv in sys.argv[3:]:
        k, v = kv.split("=", 1)
        a[k] = v
    rng = np.random.default_rng(int(a["seed"]))
    lines = lines_td3(a) if kind == "td3" else [] if kind == "front" else lines_td1(a)
    if a["swap"] == "1":  # a transposition the check digits must catch
        i = 13 if kind == "td3" else 0
        li = 1
        s = lines[li]
        lines[li] = s[:i + 2] + s[i + 3] + s[i + 2] + s[i + 4:]
        if lines[li][i + 2] == lines[li][i + 3]:
            sys.exit("swap: the two digits are equal, nothing would change")
    font_path = next((f for f in FONTS if os.path.exists(f)), None)
    if font_path is None:
        sys.exit("OCR-B font not found (package fonts-ocr-b)")

    ppm = 12.0  # pixels per mm on the flat document
    wmm, hmm = (125.0, 88.0) if kind == "td3" else (85.6, 53.98)
    W, H = int(wmm * ppm), int(hmm * ppm)
    doc = Image.new("RGB", (W, H), (236, 232, 218))
    px = np.asarray(doc).astype(np.float32)
    yy, xx = np.mgrid[0:H, 0:W]
    px[..., 0] += 6 * np.sin(xx / 9.0 + yy / 23.0)  # a faint guilloche
    px[..., 2] += 8 * np.sin(yy / 7.0)
    doc = Image.fromarray(np.clip(px, 0, 255).astype(np.uint8))
    d = ImageDraw.Draw(doc)
    # a passport page: a photo and fields above the zone; an ID card's
    # back: a few lines of print
    label = ImageFont.truetype(font_path, int(2.0 * ppm))
    if kind == "td3":
        d.rectangle([int(6 * ppm), int(12 * ppm), int(32 * ppm), int(50 * ppm)], fill=(150, 140, 130))
        for k, t in enumerate(["SPECIMEN", a["surname"], a["given"].replace("<", " "), "12 MAR 1985"]):
            d.text((int(38 * ppm), int((12 + 8 * k) * ppm)), t, font=label, fill=(40, 40, 60))
    elif kind == "front":
        # an ID card's front as issued: a title, the portrait, and each
        # field under its label (names, birth, sex, nationality, number,
        # expiry), the least a card carries; a front with four words and
        # no labels prints less than a bank card does (docs/detection.md,
        # "Round 16: a bank card")
        small = ImageFont.truetype(font_path, int(1.4 * ppm))
        d.rectangle([int(5 * ppm), int(12 * ppm), int(27 * ppm), int(44 * ppm)], fill=(150, 140, 130))
        d.text((int(32 * ppm), int(3 * ppm)), "IDENTITY CARD", font=label, fill=(40, 40, 60))
        e, b = a["expiry"], a["birth"]
        fields = [(32, 9, "SURNAME", a["surname"].replace("<", "-")), (32, 15.5, "GIVEN NAMES", a["given"].replace("<", " ")),
                  (32, 22, "DATE OF BIRTH", "%s.%s.19%s" % (b[4:6], b[2:4], b[0:2])), (66, 22, "SEX", a["sex"]),
                  (32, 28.5, "NATIONALITY", a["nat"].strip("<")), (55, 28.5, "DOCUMENT NO", a["number"]),
                  (32, 35, "DATE OF EXPIRY", "%s.%s.20%s" % (e[4:6], e[2:4], e[0:2]))]
        for x, y, lab, val in fields:
            d.text((int(x * ppm), int(y * ppm)), lab, font=small, fill=(70, 70, 90))
            d.text((int(x * ppm), int((y + 1.8) * ppm)), val, font=label, fill=(40, 40, 60))
        d.text((int(32 * ppm), int(42.5 * ppm)), "SPECIMEN", font=label, fill=(40, 40, 60))
    else:
        for k, t in enumerate(["RESIDENCE: MAIN STREET 1", "HEIGHT 170", "ISSUED 01.01.2024"]):
            d.text((int(6 * ppm), int((5 + 5 * k) * ppm)), t, font=label, fill=(40, 40, 60))
    # the zone: OCR-B at a pitch of 2.54 mm, lines 4.2 mm apart
    pitch = 2.54 * ppm
    size = 10
    while ImageFont.truetype(font_path, size + 1).getlength("<") <= pitch:
        size += 1
    f = ImageFont.truetype(font_path, size)
    n = len(lines)
    x0 = (W - pitch * len(lines[0])) / 2 if lines else 0
    y0 = H - (4.2 * n + 2.5) * ppm
    for i, line in enumerate(lines):
        for j, c in enumerate(line):
            d.text((x0 + j * pitch, y0 + i * 4.2 * ppm), c, font=f, fill=(25, 25, 30))

    # the photo: a desk, the document in perspective
    OW, OH = int(a["width"]), int(a["height"])
    desk = rng.normal(90, 12, (OH, OW, 3)).clip(0, 255).astype(np.uint8)
    desk = Image.fromarray(desk).filter(ImageFilter.GaussianBlur(3))
    t = float(a["tilt"])
    scale = 0.75 * min(OW / W, OH / H)
    cw, ch = W * scale, H * scale
    cx, cy = OW / 2, OH / 2
    j = lambda: rng.uniform(-t, t)
    quad = [(cx - cw / 2 + j() * cw, cy - ch / 2 + j() * ch), (cx + cw / 2 + j() * cw, cy - ch / 2 + j() * ch),
            (cx + cw / 2 + j() * cw, cy + ch / 2 + j() * ch), (cx - cw / 2 + j() * cw, cy + ch / 2 + j() * ch)]
    src = [(0, 0), (W, 0), (W, H), (0, H)]
    # PIL wants the map from output to input
    A = []
    B = []
    for (X, Y), (x, y) in zip(quad, src):
        A.append([X, Y, 1, 0, 0, 0, -x * X, -x * Y])
        A.append([0, 0, 0, X, Y, 1, -y * X, -y * Y])
        B += [x, y]
    coef = np.linalg.solve(np.array(A, float), np.array(B, float))
    warped = doc.transform((OW, OH), Image.PERSPECTIVE, tuple(coef), Image.BILINEAR)
    mask = Image.new("L", (W, H), 255).transform((OW, OH), Image.PERSPECTIVE, tuple(coef),
                                                 Image.BILINEAR)
    desk.paste(warped, (0, 0), mask)
    img = desk.filter(ImageFilter.GaussianBlur(float(a["blur"])))
    arr = np.asarray(img).astype(np.float32)
    arr += rng.normal(0, float(a["noise"]), arr.shape)
    img = Image.fromarray(arr.clip(0, 255).astype(np.uint8))
    img.save(out, quality=int(a["quality"]))
    print("\n".join(lines))


if __name__ == "__main__":
    main()
