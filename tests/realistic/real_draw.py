"""Drawing for the realistic photo generator (mkreal.py): the documents, the
scenes they lie in, and the camera that photographs them. A mixin of mkreal's
Gen: the methods use its random state, its set's parameter halves and its
output folder. The camera is a phone's (place): the document is moved in
space and projected through a pinhole whose principal point is the frame's
centre."""
import math
import os

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, TiffImagePlugin

from real_base import CAMERAS, ID1, ID3, RADIUS_MM, cover, font, homography, lowfreq, overlap, tilted_rect


class Draw:
    # ---- documents ----------------------------------------------------------
    def doc_raster(self, rng, src, mm, px_long):
        """RGBA raster of a document of physical size mm, px_long px on its
        long side, rounded corners, with fine print restored after upscaling."""
        wmm, hmm = mm
        ppm = px_long / max(wmm, hmm)
        w, h = int(round(wmm * ppm)), int(round(hmm * ppm))
        im = src(rng, w, h) if callable(src) else src.resize((w, h), Image.BICUBIC)
        if not callable(src) and w > src.width * 1.3:
            im = im.filter(ImageFilter.UnsharpMask(radius=max(1.0, w / src.width * 0.6),
                                                   percent=70, threshold=2))
        a = np.asarray(im, dtype=np.float32)
        # Microprint: real cards carry fine guilloche lines that survive any
        # scale; an upscaled scan lacks them. Low contrast, multiplicative.
        yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
        per = ppm * rng.uniform(0.35, 0.6)
        g = np.sin((xx + 7 * np.sin(yy / (per * 9))) / per * 2 * np.pi) * \
            np.sin((yy + 5 * np.sin(xx / (per * 11))) / per * 1.7 * np.pi)
        a *= (1 - 0.035 * (g[..., None] + 1) / 2)
        # paper/plastic grain
        a += rng.normal(0, 2.0, (h, w, 1)).astype(np.float32)
        im = Image.fromarray(np.clip(a, 0, 255).astype(np.uint8))
        mask = Image.new("L", (w * 2, h * 2), 0)
        ImageDraw.Draw(mask).rounded_rectangle((0, 0, w * 2 - 1, h * 2 - 1),
                                               radius=RADIUS_MM * ppm * 2, fill=255)
        im.putalpha(mask.resize((w, h), Image.LANCZOS))
        return im

    def guilloche(self, rng, w, h, base, ink):
        yy, xx = np.mgrid[0:h, 0:w].astype(np.float32) / max(w, h)
        a = np.empty((h, w, 3), np.float32)
        a[:] = base
        f1, f2 = rng.uniform(20, 40), rng.uniform(15, 30)
        v = np.sin(2 * np.pi * (f1 * xx + 0.8 * np.sin(2 * np.pi * 3 * yy)))
        v2 = np.sin(2 * np.pi * (f2 * np.hypot(xx - 0.7, yy - 0.5) + 0.5 * np.sin(6 * np.pi * xx)))
        line = np.clip(1 - np.abs(v) * 6, 0, 1) * 0.5 + np.clip(1 - np.abs(v2) * 6, 0, 1) * 0.5
        a = a * (1 - 0.25 * line[..., None]) + np.array(ink, np.float32) * 0.25 * line[..., None]
        # large soft colour wash
        wash = lowfreq(rng, w, h, 3)[..., None]
        a += (wash - 0.5) * np.array([18, -6, 10], np.float32)
        return a

    def draw_front(self, rng, w, h, white=False, portrait_fmt=False, stock=None):
        """A plausible ID-1 front without MRZ (landscape or vertical); stock:
        the card's plain base colour (white or light-blue stock), else a
        printed guilloche on a random light base."""
        ppm = max(w, h) / (ID1[0])
        base = (248, 248, 246) if white else tuple(rng.uniform(205, 240, 3))
        if stock is not None:
            white, base = True, stock
        ink = tuple(rng.uniform(90, 190, 3))
        a = self.guilloche(rng, w, h, base, ink) if not white else \
            np.full((h, w, 3), base, np.float32)
        im = Image.fromarray(np.clip(a, 0, 255).astype(np.uint8))
        d = ImageDraw.Draw(im)
        band = tuple(int(c) for c in rng.uniform([20, 40, 90], [120, 120, 170]))
        bh = int(9 * ppm)
        d.rectangle((0, 0, w, bh), fill=band)
        country = ["REPUBLIC OF ARCADIA", "KINGDOM OF ELBONIA", "FEDERAL STATE OF NORLAND",
                   "REPUBBLICA DI SANMARINA", "ESTADO DE VALVERDE"][rng.integers(5)]
        d.text((int(3 * ppm), int(1.5 * ppm)), country, fill=(250, 250, 250),
               font=font(3.0 * ppm, bold=True))
        d.text((int(3 * ppm), int(5.4 * ppm)), "IDENTITY CARD / CARTE D'IDENTITE",
               fill=(235, 235, 235), font=font(2.0 * ppm))
        if portrait_fmt:
            px0, py0, pw, ph = int(w * 0.25), int(bh + 3 * ppm), int(w * 0.5), int(w * 0.62)
            tx0, ty0 = int(3 * ppm), py0 + ph + int(3 * ppm)
        else:
            px0, py0, pw, ph = int(3 * ppm), int(bh + 3 * ppm), int(24 * ppm), int(31 * ppm)
            tx0, ty0 = px0 + pw + int(4 * ppm), int(bh + 3 * ppm)
        self.portrait(rng, im, (px0, py0, px0 + pw, py0 + ph))
        labels = ["Surname / Nom", "Given names / Prenoms", "Date of birth", "Sex  Nationality",
                  "Date of expiry", "Document no."]
        vals = [["MUSTERFRAU", "ROSSI", "NOWAK", "JANSSEN", "SILVA"][rng.integers(5)],
                ["ANNA MARIA", "ERIKA", "LUCA", "PIETER", "JOANA"][rng.integers(5)],
                "%02d.%02d.%d" % (rng.integers(1, 28), rng.integers(1, 12), rng.integers(1950, 2004)),
                "F   ARC", "%02d.%02d.%d" % (rng.integers(1, 28), rng.integers(1, 12), rng.integers(2028, 2035)),
                "%s%07d" % ("CA"[rng.integers(2)], rng.integers(10 ** 6, 10 ** 7))]
        y = ty0
        for lab, val in zip(labels, vals):
            if y > h - 6 * ppm:
                break
            d.text((tx0, y), lab, fill=(90, 90, 110), font=font(1.6 * ppm))
            d.text((tx0, y + int(1.9 * ppm)), val, fill=(20, 20, 30), font=font(2.6 * ppm, bold=True))
            y += int(5.6 * ppm)
        # signature scribble
        pts = [(tx0 + i * ppm * 1.2, h - 5 * ppm + math.sin(i * 1.7) * 1.5 * ppm) for i in range(14)]
        if pts[-1][0] < w:
            d.line(pts, fill=(30, 30, 90), width=max(1, int(0.3 * ppm)))
        return im

    def portrait(self, rng, im, box):
        x0, y0, x1, y1 = box
        w, h = x1 - x0, y1 - y0
        yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
        bg = np.array(rng.uniform(170, 225, 3), np.float32)
        a = np.empty((h, w, 3), np.float32)
        a[:] = bg
        a *= (0.9 + 0.1 * yy / h)[..., None]
        skin = np.array([rng.uniform(150, 225), rng.uniform(110, 170), rng.uniform(80, 140)], np.float32)
        face = ((xx - w / 2) / (w * 0.26)) ** 2 + ((yy - h * 0.42) / (h * 0.27)) ** 2 < 1
        body = ((xx - w / 2) / (w * 0.55)) ** 2 + ((yy - h * 1.05) / (h * 0.35)) ** 2 < 1
        hair = ((xx - w / 2) / (w * 0.31)) ** 2 + ((yy - h * 0.36) / (h * 0.3)) ** 2 < 1
        a[hair] = rng.uniform(20, 110, 3)
        a[body] = rng.uniform(20, 120, 3)
        shade = np.clip(1.1 - 0.5 * np.abs(xx - w / 2) / (w * 0.26), 0.5, 1.1)
        a[face] = (skin * shade[..., None])[face]
        for ex in (0.4, 0.6):  # eyes and mouth, dark marks
            m = ((xx - w * ex) / (w * 0.04)) ** 2 + ((yy - h * 0.4) / (h * 0.015)) ** 2 < 1
            a[m] = (40, 30, 30)
        m = ((xx - w / 2) / (w * 0.08)) ** 2 + ((yy - h * 0.55) / (h * 0.012)) ** 2 < 1
        a[m] = (120, 50, 50)
        p = Image.fromarray(np.clip(a, 0, 255).astype(np.uint8)).filter(ImageFilter.GaussianBlur(w / 150))
        im.paste(p, (x0, y0))

    def draw_back(self, rng, w, h):
        """ID-1 back with a very light (near white) TD1 MRZ band."""
        ppm = w / ID1[0]
        a = self.guilloche(rng, w, h, tuple(rng.uniform(215, 240, 3)), tuple(rng.uniform(100, 180, 3)))
        im = Image.fromarray(np.clip(a, 0, 255).astype(np.uint8))
        d = ImageDraw.Draw(im)
        y0 = int(h - 19 * ppm)
        d.rectangle((0, y0, w, h), fill=(252, 252, 250))
        f = font(2.9 * ppm, mono=True)
        lines = ["IDARC%09d<<<<<<<<<<<<<<<" % rng.integers(10 ** 8, 10 ** 9),
                 "%06d2F%06d3ARC<<<<<<<<<<<8" % (rng.integers(10 ** 5, 10 ** 6), rng.integers(10 ** 5, 10 ** 6)),
                 "ROSSI<<ANNA<MARIA<<<<<<<<<<<<<"]
        for i, ln in enumerate(lines):
            d.text((int(3 * ppm), y0 + int((2 + 5.5 * i) * ppm)), ln, fill=(25, 25, 25), font=f)
        d.text((int(4 * ppm), int(4 * ppm)), "Address / Adresse", fill=(80, 80, 100), font=font(1.6 * ppm))
        d.text((int(4 * ppm), int(6.2 * ppm)), "VIA ROMA 12, 00100 ARCADIA", fill=(20, 20, 30),
               font=font(2.5 * ppm, bold=True))
        d.text((int(4 * ppm), int(11 * ppm)), "Height 168 cm   Eyes BROWN", fill=(20, 20, 30),
               font=font(2.5 * ppm))
        return im

    def draw_cover(self, rng, w, h):
        """Passport booklet cover, portrait 88x125 mm: dark cloth, gold print."""
        ppm = h / ID3[0]
        col = [(110, 20, 35), (25, 35, 80), (20, 60, 40), (40, 20, 25)][rng.integers(4)]
        a = np.empty((h, w, 3), np.float32)
        a[:] = col
        a += rng.normal(0, 6, (h, w, 1)).astype(np.float32)  # cloth grain
        a *= (0.9 + 0.2 * lowfreq(rng, w, h, 3))[..., None]
        im = Image.fromarray(np.clip(a, 0, 255).astype(np.uint8))
        d = ImageDraw.Draw(im)
        gold = (205, 170, 90)
        d.text((w // 2, int(18 * ppm)), "REPUBLIC OF ARCADIA", fill=gold, font=font(4.5 * ppm, bold=True), anchor="mm")
        cx, cy, r = w // 2, int(55 * ppm), int(17 * ppm)
        d.ellipse((cx - r, cy - r, cx + r, cy + r), outline=gold, width=max(2, int(ppm)))
        d.polygon([(cx, cy - r * 0.7), (cx + r * 0.6, cy + r * 0.5), (cx - r * 0.6, cy + r * 0.5)], outline=gold,
                  width=max(2, int(0.7 * ppm)))
        d.text((w // 2, int(92 * ppm)), "PASSPORT", fill=gold, font=font(6 * ppm, bold=True), anchor="mm")
        d.rectangle((cx - int(5 * ppm), int(108 * ppm), cx + int(5 * ppm), int(115 * ppm)), outline=gold,
                    width=max(1, int(0.5 * ppm)))
        return im

    # ---- scenes ----------------------------------------------------------------
    def surface(self, rng, kind, W, H, angle=0.0):
        s = min(1.0, 1400.0 / max(W, H))
        w, h = max(8, int(W * s)), max(8, int(H * s))
        yy, xx = np.mgrid[0:h, 0:w].astype(np.float32) / s
        ca, sa = math.cos(angle), math.sin(angle)
        u = xx * ca + yy * sa
        v = -xx * sa + yy * ca
        L = max(W, H)
        if kind in ("wood", "striped-wood"):
            base = np.array([self.half(rng, 120, 200), self.half(rng, 75, 130), self.half(rng, 40, 80)], np.float32)
            warp = lowfreq(rng, w, h, 6) * 40 * L / 1000
            grain = np.sin(2 * np.pi * (v + warp) / (L * self.half(rng, 0.006, 0.02)))
            fine = np.sin(2 * np.pi * (v + warp * 0.3) / (L * 0.0021))
            t = 1 + 0.10 * grain + 0.04 * fine + 0.12 * (lowfreq(rng, w, h, 4) - 0.5)
            if kind == "striped-wood":
                pw = L * self.half(rng, 0.07, 0.16)  # plank width: strong lines along the card
                ph = np.mod(v + rng.uniform(0, pw), pw)
                t *= np.where(ph < L * 0.004, 0.35, 1.0)
                t *= 1 + 0.12 * np.sin(np.floor(v / pw) * 2.3)[...]
                t *= 1 + 0.08 * np.sign(np.sin(2 * np.pi * v / (L * 0.025)))
            a = base * t[..., None]
        elif kind == "carpet":
            base = np.array(rng.uniform(60, 170, 3), np.float32)
            n = rng.normal(0, 1, (h, w)).astype(np.float32)
            loops = np.sin(u / (L * 0.0025)) * np.sin(v / (L * 0.0025))
            a = base * (1 + 0.18 * n + 0.12 * loops + 0.15 * (lowfreq(rng, w, h, 5) - 0.5))[..., None]
        elif kind == "tablecloth":
            c1 = np.array(rng.uniform(150, 240, 3), np.float32)
            c2 = np.array(rng.uniform(40, 200, 3), np.float32)
            per = L * self.half(rng, 0.03, 0.09)
            wob = lowfreq(rng, w, h, 4) * per * 0.5
            gx = (np.mod(u + wob, per) < per / 2).astype(np.float32)
            gy = (np.mod(v + wob, per) < per / 2).astype(np.float32)
            m = (gx + gy) / 2
            a = c1 * (1 - m[..., None]) + c2 * m[..., None]
            a *= (1 + 0.05 * np.sin(u / (L * 0.0015)) * np.sin(v / (L * 0.0015)))[..., None]
        elif kind == "light":
            a = np.full((h, w, 3), self.half(rng, 215, 245), np.float32) * np.array([1.0, 0.99, 0.96], np.float32)
            a *= (1 + 0.03 * (lowfreq(rng, w, h, 5) - 0.5))[..., None]
        elif kind == "light-grey":
            # a light grey laminate desk: flat, a faint mottle
            a = np.full((h, w, 3), self.half(rng, 180, 215), np.float32) * np.array([1.0, 1.0, 0.98], np.float32)
            a *= (1 + 0.04 * (lowfreq(rng, w, h, 6) - 0.5))[..., None]
        elif kind == "white-cloth":
            # a white tablecloth: a fine weave (threads ~0.4-0.7 % of the
            # frame) and soft folds, low-frequency shading of a few per cent
            per = L * self.half(rng, 0.002, 0.004)
            weave = np.sin(2 * np.pi * u / per) * np.sin(2 * np.pi * v / per)
            folds = lowfreq(rng, w, h, 3) - 0.5
            a = np.full((h, w, 3), self.half(rng, 225, 248), np.float32) * np.array([1.0, 1.0, 0.985], np.float32)
            a *= (1 + 0.025 * weave + 0.10 * folds)[..., None]
        elif kind == "paper":
            # white printer paper under the card: bright, fibre noise
            n = rng.normal(0, 1, (h, w)).astype(np.float32)
            a = np.full((h, w, 3), self.half(rng, 232, 250), np.float32) * np.array([0.99, 1.0, 1.0], np.float32)
            a *= (1 + 0.01 * n + 0.02 * (lowfreq(rng, w, h, 5) - 0.5))[..., None]
        elif kind == "dark":
            a = np.full((h, w, 3), self.half(rng, 22, 55), np.float32) * np.array(rng.uniform(0.9, 1.1, 3), np.float32)
            a *= (1 + 0.2 * (lowfreq(rng, w, h, 5) - 0.5))[..., None]
        elif kind == "mesh":
            per = L * self.half(rng, 0.006, 0.012)
            m = np.clip(np.abs(np.sin(np.pi * u / per)) * np.abs(np.sin(np.pi * v / per)) * 3, 0, 1)
            a = (20 + 50 * m)[..., None] * np.array([1, 1, 1.1], np.float32)
        elif kind == "tray":
            a = np.full((h, w, 3), self.half(rng, 120, 180), np.float32)
            per = L * 0.06
            slot = (np.mod(u, per) < per * 0.35) & (np.mod(v, L * 0.4) < L * 0.33)
            a[slot] *= 0.3
            a *= (1 + 0.05 * (lowfreq(rng, w, h, 4) - 0.5))[..., None]
        elif kind in ("photo:Landscape_1", "photo:Portrait_1"):
            p = Image.open(os.path.join(self.corpus, "exif-orientation", kind[6:] + ".jpg")).convert("RGB")
            p = cover(p, w, h)
            a = np.asarray(p, np.float32)
        else:
            raise ValueError(kind)
        im = Image.fromarray(np.clip(a, 0, 255).astype(np.uint8))
        if (w, h) != (W, H):
            im = im.resize((W, H), Image.BICUBIC)
        return im

    def clutter(self, rng, img, what, avoid):
        """Draws a clutter object onto img outside the boxes in avoid."""
        W, H = img.size
        L = max(W, H)
        if what == "a4":
            ow, oh = int(L * 0.32), int(L * 0.32 * 297 / 210)
            o = Image.new("RGB", (ow, oh), (245, 245, 240))
            d = ImageDraw.Draw(o)
            d.rectangle((0, 0, ow, int(oh * 0.07)), fill=tuple(int(c) for c in rng.uniform(30, 200, 3)))
            for i in range(int(oh * 0.1), int(oh * 0.92), max(3, int(oh * 0.018))):
                d.text((int(ow * 0.08), i), "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do"[:rng.integers(30, 64)],
                       fill=(40, 40, 40), font=font(oh * 0.012))
        elif what == "book":
            ow, oh = int(L * 0.28), int(L * 0.38)
            col = tuple(int(c) for c in rng.uniform(30, 200, 3))
            o = Image.new("RGB", (ow, oh), col)
            d = ImageDraw.Draw(o)
            d.rectangle((0, 0, int(ow * 0.06), oh), fill=tuple(int(c * 0.6) for c in col))
            d.text((ow // 2, int(oh * 0.3)), "THE ATLAS", fill=(240, 230, 200), font=font(oh * 0.07, bold=True), anchor="mm")
            d.rectangle((int(ow * 0.15), int(oh * 0.45), int(ow * 0.85), int(oh * 0.75)), fill=(200, 190, 160))
        elif what == "phone":
            ow, oh = int(L * 0.13), int(L * 0.27)
            o = Image.new("RGB", (ow, oh), (15, 15, 18))
            d = ImageDraw.Draw(o)
            sc = (int(ow * 0.05), int(oh * 0.04), int(ow * 0.95), int(oh * 0.96))
            d.rectangle(sc, fill=(70, 120, 200))
            for r in range(5):
                for c in range(4):
                    x = sc[0] + int((c + 0.25) * (sc[2] - sc[0]) / 4)
                    y = sc[1] + int((r + 0.5) * (sc[3] - sc[1]) / 6)
                    s = int((sc[2] - sc[0]) / 7)
                    d.rounded_rectangle((x, y, x + s, y + s), radius=s // 4,
                                        fill=tuple(int(v) for v in rng.uniform(100, 255, 3)))
        elif what == "keyboard":
            ow, oh = int(L * 0.5), int(L * 0.17)
            o = Image.new("RGB", (ow, oh), (40, 40, 44))
            d = ImageDraw.Draw(o)
            k = ow / 15
            for r in range(5):
                for c in range(15):
                    d.rounded_rectangle((int(c * k + k * 0.1), int(r * k * 0.95 + k * 0.3), int(c * k + k * 0.9),
                                         int(r * k * 0.95 + k * 1.1)), radius=int(k * 0.1), fill=(70, 70, 76))
        elif what == "terminal":
            ow, oh = int(L * 0.12), int(L * 0.22)
            o = Image.new("RGB", (ow, oh), (35, 35, 38))
            d = ImageDraw.Draw(o)
            d.rectangle((int(ow * 0.1), int(oh * 0.08), int(ow * 0.9), int(oh * 0.38)), fill=(150, 190, 160))
            for r in range(4):
                for c in range(3):
                    d.ellipse((int(ow * (0.15 + c * 0.25)), int(oh * (0.45 + r * 0.12)),
                               int(ow * (0.32 + c * 0.25)), int(oh * (0.53 + r * 0.12))), fill=(200, 200, 200))
        else:
            raise ValueError(what)
        ang = rng.uniform(-40, 40)
        o = o.convert("RGBA").rotate(ang, expand=True, resample=Image.BICUBIC)
        for _ in range(60):
            x = int(rng.uniform(-o.width * 0.3, W - o.width * 0.7))
            y = int(rng.uniform(-o.height * 0.3, H - o.height * 0.7))
            box = (x, y, x + o.width, y + o.height)
            if all(not overlap(box, b) for b in avoid):
                break
        else:
            return
        sh = o.split()[3].filter(ImageFilter.GaussianBlur(L * 0.006))
        dark = Image.new("RGB", o.size, (0, 0, 0))
        img.paste(dark, (x + int(L * 0.006), y + int(L * 0.008)), sh.point(lambda v: int(v * 0.45)))
        img.paste(o, (x, y), o)
        avoid.append(box)

    # ---- the camera's geometry --------------------------------------------------
    # A phone photo as taken: the document is turned and tilted (tilted_rect),
    # moved in space, and projected once through a pinhole whose principal
    # point is the frame's centre. Phones' main cameras have a focal length of
    # 0.7-0.9 x the long side (24-32 mm equivalent lenses; the range of
    # kind_camera.py); the distance follows from the size wanted (frac).
    FOCAL_LO, FOCAL_HI = 0.7, 0.9

    def _focal(self, rng, W, H):
        """The focal length (px) of this photo's camera, drawn without
        advancing rng, so the rest of a photo draws as before the camera
        became a phone's."""
        st = rng.bit_generator.state.get("state", {})
        sub = np.random.default_rng(st.get("state", 0) if isinstance(st, dict) else 0)
        return sub.uniform(self.FOCAL_LO, self.FOCAL_HI) * max(W, H)

    @staticmethod
    def _project(p, t, f, W, H):
        """Image (px) of the 3-D points p (mm) moved by t, principal point the
        frame's centre."""
        c = p + t
        return c[:, :2] / c[:, 2:3] * f + [W / 2, H / 2]

    def _at(self, p, z, f, W, H, target, ref):
        """The move (parallel to the image plane at depth z) that puts ref(quad)
        on target, and the quad: a few steps of the pinhole's inverse."""
        t = np.array([(target[0] - W / 2) * z / f, (target[1] - H / 2) * z / f, z])
        for _ in range(6):
            q = self._project(p, t, f, W, H)
            d = np.asarray(target, float) - ref(q)
            if abs(d).max() < 0.01:
                break
            t[:2] += d * z / f
        return t, self._project(p, t, f, W, H)

    def place(self, rng, W, H, mm, frac, tilt=25.0, margin=0.04, rot=None, center=None):
        """Projected quad (TL TR BR BL of the upright document) for a document of
        size mm whose long side spans about frac of the image's short side,
        photographed by a phone (principal point at the frame's centre). With
        center, the quad's centre lands there; else anywhere with margin clear.
        The pose is kept (self.pose) for move()."""
        if os.environ.get("IDP_REAL_CAMERA") == "centred":
            return self._place_centred(rng, W, H, mm, frac, tilt, margin, rot, center)
        wmm, hmm = mm
        th = rng.uniform(-math.pi, math.pi) if rot is None else rot
        ax, ay = math.radians(rng.uniform(-tilt, tilt)), math.radians(rng.uniform(-tilt, tilt))
        p = tilted_rect(wmm, hmm, th, ax, ay)
        f = self._focal(rng, W, H)
        span = max(np.ptp(p[:, 0]), np.ptp(p[:, 1]))  # mm, as seen face on
        z = f * span / (frac * min(W, H))
        centre = lambda q: q.mean(axis=0)  # noqa: E731
        mx, my = margin * W, margin * H
        if center is not None:
            t, q = self._at(p, z, f, W, H, center, centre)
            self.pose = (p, t, f, W, H)
            return q
        # the two uniforms of the placement, drawn once: where in the free room
        u = rng.uniform(0, 1, 2)
        for _ in range(40):
            t, q = self._at(p, z, f, W, H, (W / 2, H / 2), centre)
            if np.ptp(q[:, 0]) < W - 2 * mx and np.ptp(q[:, 1]) < H - 2 * my:
                # the same share of the free room as before; the shape changes a
                # little with the position (perspective), so settle it
                for _ in range(6):
                    lo, hi = q.min(axis=0) - q.mean(axis=0), q.max(axis=0) - q.mean(axis=0)
                    tgt = (mx - lo[0] + u[0] * (W - 2 * mx - hi[0] + lo[0]),
                           my - lo[1] + u[1] * (H - 2 * my - hi[1] + lo[1]))
                    t, q = self._at(p, z, f, W, H, tgt, centre)
                if q[:, 0].min() >= mx - 0.5 and q[:, 0].max() <= W - mx + 0.5 and \
                        q[:, 1].min() >= my - 0.5 and q[:, 1].max() <= H - my + 0.5:
                    self.pose = (p, t, f, W, H)
                    return q
            z /= 0.92  # farther away: smaller
        raise RuntimeError("cannot place")

    def move(self, shift, ref=None):
        """The last placed document moved in space, parallel to the image plane,
        so that ref(quad) (default its centre) moves by shift px: a phone held
        elsewhere, not a shifted picture. Returns the new quad."""
        if isinstance(self.pose[0], str):  # the camera before round 21 (centred)
            self.pose = ("centred", self.pose[1] + shift)
            return self.pose[1]
        p, t, f, W, H = self.pose
        ref = ref or (lambda q: q.mean(axis=0))
        q0 = self._project(p, t, f, W, H)
        t, q = self._at(p, t[2], f, W, H, ref(q0) + np.asarray(shift, float), ref)
        self.pose = (p, t, f, W, H)
        return q

    def _place_centred(self, rng, W, H, mm, frac, tilt, margin, rot, center):
        """The camera before round 21, kept (IDP_REAL_CAMERA=centred) for the
        tests whose photos were picked on it: the document projected about its
        own centre, then the picture shifted in the frame, which puts the
        principal point on the document's centre. Not a phone's camera."""
        wmm, hmm = mm
        th = rng.uniform(-math.pi, math.pi) if rot is None else rot
        ax, ay = math.radians(rng.uniform(-tilt, tilt)), math.radians(rng.uniform(-tilt, tilt))
        p = tilted_rect(wmm, hmm, th, ax, ay)
        dist = max(wmm, hmm) * 2.2  # phone at ~2 document lengths: strong perspective
        q = p[:, :2] / (p[:, 2:3] + dist) * dist
        q -= q.mean(axis=0)
        span = max(np.ptp(q[:, 0]), np.ptp(q[:, 1]))
        scale = frac * min(W, H) / span
        for _ in range(40):
            qq = q * scale
            lo, hi = qq.min(axis=0), qq.max(axis=0)
            mx, my = margin * W, margin * H
            if center is None:
                if hi[0] - lo[0] < W - 2 * mx and hi[1] - lo[1] < H - 2 * my:
                    cx = rng.uniform(mx - lo[0], W - mx - hi[0])
                    cy = rng.uniform(my - lo[1], H - my - hi[1])
                    self.pose = ("centred", qq + [cx, cy])
                    return self.pose[1]
                scale *= 0.92
            else:
                self.pose = ("centred", qq + center)
                return self.pose[1]
        raise RuntimeError("cannot place")

    def paste_doc(self, rng, img, doc, quad, shadow=0.35):
        """Warps the RGBA doc raster onto quad (TL TR BR BL) of img (RGB, in place)."""
        W, H = img.size
        x0, y0 = max(0, int(math.floor(quad[:, 0].min())) - 40), max(0, int(math.floor(quad[:, 1].min())) - 40)
        x1, y1 = min(W, int(math.ceil(quad[:, 0].max())) + 40), min(H, int(math.ceil(quad[:, 1].max())) + 40)
        if x1 <= x0 or y1 <= y0:
            return
        src = [(0, 0), (doc.width, 0), (doc.width, doc.height), (0, doc.height)]
        coeffs = homography([(x - x0, y - y0) for x, y in quad], src)
        warped = doc.transform((x1 - x0, y1 - y0), Image.PERSPECTIVE, coeffs, Image.BICUBIC)
        alpha = warped.split()[3]
        L = max(W, H)
        if shadow > 0:
            sh = alpha.filter(ImageFilter.GaussianBlur(L * 0.004))
            off = (int(x0 + L * 0.002), int(y0 + L * 0.003))
            img.paste(Image.new("RGB", sh.size, (0, 0, 0)), off, sh.point(lambda v: int(v * shadow)))
        img.paste(warped.convert("RGB"), (x0, y0), alpha)

    def finger(self, rng, img, quad, corner):
        """A fingertip over a corner of the document: skin, shading, nail, shadow."""
        W, H = img.size
        c = quad[corner]
        ctr = quad.mean(axis=0)
        dw = np.linalg.norm(quad[1] - quad[0])
        fw = dw * rng.uniform(0.19, 0.24)
        fl = max(W, H) * 0.6
        d = (c - ctr) / np.linalg.norm(c - ctr)
        tip = c - d * fw * rng.uniform(0.55, 0.9)
        h, w = int(fw), int(fl)
        yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
        u = (yy - h / 2) / (h / 2)
        inside = (np.abs(u) <= 1) & ((xx >= h / 2) | ((xx - h / 2) ** 2 + (yy - h / 2) ** 2 <= (h / 2) ** 2))
        tone = self.half(rng, 0.45, 1.0)  # darker to lighter skin
        skin = np.array([95 + 130 * tone, 60 + 110 * tone, 40 + 100 * tone], np.float32)
        # cylinder shading across, a little darker towards the knuckle, blotches
        shade = np.sqrt(np.clip(1 - u ** 2, 0, 1)) * 0.5 + 0.5
        shade = shade * (1 - 0.12 * np.clip(xx / (h * 4), 0, 1)) * (0.94 + 0.12 * lowfreq(rng, w, h, 8))
        a = skin * shade[..., None]
        nail = ((xx - h * 0.62) / (h * 0.45)) ** 2 + (u / 0.55) ** 2 < 1
        a[nail] = a[nail] * 0.8 + np.array([235, 215, 205], np.float32) * 0.2
        edge = nail & ~(((xx - h * 0.62) / (h * 0.40)) ** 2 + (u / 0.49) ** 2 < 1)
        a[edge] *= 0.85
        a += rng.normal(0, 3, (h, w, 1)).astype(np.float32)
        rgba = np.dstack([np.clip(a, 0, 255), inside * 255.0]).astype(np.uint8)
        f = Image.fromarray(rgba, "RGBA").filter(ImageFilter.GaussianBlur(0.8))
        ang = math.degrees(math.atan2(d[1], d[0]))
        f = f.rotate(-ang, expand=True, resample=Image.BICUBIC)
        # the tip (local (0, h/2)) after rotation sits at the image centre minus
        # half the length along d: paste so that point lands on tip
        cx, cy = f.width / 2, f.height / 2
        tx, ty = cx - d[0] * (w / 2), cy - d[1] * (w / 2)
        px, py = int(tip[0] - tx), int(tip[1] - ty)
        sh = f.split()[3].filter(ImageFilter.GaussianBlur(fw * 0.25))
        img.paste(Image.new("RGB", f.size, (0, 0, 0)), (px + int(fw * 0.15), py + int(fw * 0.2)),
                  sh.point(lambda v: int(v * 0.5)))
        img.paste(f, (px, py), f)

    # ---- camera ------------------------------------------------------------------
    def camera(self, rng, img, gain=1.0, glare=None, blur=None, vignette=True, noise=1.0, cast=True, sheen=None):
        W, H = img.size
        L = max(W, H)
        if blur is None:
            blur = rng.uniform(0.3, 0.8) * L / 3000
        if blur > 0.25:
            img = img.filter(ImageFilter.GaussianBlur(blur))
        a = np.asarray(img, np.float32)
        # lighting on a small grid, upscaled: gradient, vignetting, a soft cast shadow
        s = 0.1
        w, h = max(4, int(W * s)), max(4, int(H * s))
        yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
        xn, yn = xx / w - 0.5, yy / h - 0.5
        g = 1 + rng.uniform(-0.25, 0.25) * xn + rng.uniform(-0.25, 0.25) * yn
        if vignette:
            g *= 1 - rng.uniform(0.15, 0.35) * (xn ** 2 + yn ** 2) * 2
        if cast and rng.random() < 0.5:
            m = Image.new("L", (w, h), 0)
            cx, cy = rng.uniform(0, w), rng.uniform(-h * 0.2, h * 0.2) + (0 if rng.random() < 0.5 else h)
            ImageDraw.Draw(m).ellipse((cx - w * 0.5, cy - h * 0.3, cx + w * 0.5, cy + h * 0.3), fill=255)
            m = np.asarray(m.filter(ImageFilter.GaussianBlur(w * 0.06)), np.float32) / 255
            g *= 1 - rng.uniform(0.15, 0.3) * m
        gi = Image.fromarray(np.clip(g * 100, 0, 255).astype(np.uint8)).resize((W, H), Image.BICUBIC)
        a *= (np.asarray(gi, np.float32) / 100 * gain)[..., None]
        if glare is not None:
            gx, gy, r = glare
            x0, x1 = int(max(0, gx - 4 * r)), int(min(W, gx + 4 * r))
            y0, y1 = int(max(0, gy - 4 * r)), int(min(H, gy + 4 * r))
            yy, xx = np.mgrid[y0:y1, x0:x1].astype(np.float32)
            el = rng.uniform(0.5, 1.0)
            ang = rng.uniform(0, math.pi)
            du = (xx - gx) * math.cos(ang) + (yy - gy) * math.sin(ang)
            dv = (-(xx - gx) * math.sin(ang) + (yy - gy) * math.cos(ang)) / el
            d2 = (du ** 2 + dv ** 2) / r ** 2
            core = np.exp(-d2 ** 2 * 1.5) * 400  # saturated flat top
            halo = np.exp(-d2 / 4.5) * 110       # soft Gaussian falloff
            a[y0:y1, x0:x1] += ((core + halo)[..., None] * np.array([1.0, 0.99, 0.95], np.float32))
        if sheen is not None:
            gx, gy, r, amp = sheen
            x0, x1 = int(max(0, gx - 3 * r)), int(min(W, gx + 3 * r))
            y0, y1 = int(max(0, gy - 3 * r)), int(min(H, gy + 3 * r))
            yy, xx = np.mgrid[y0:y1, x0:x1].astype(np.float32)
            a[y0:y1, x0:x1] += (np.exp(-((xx - gx) ** 2 + (yy - gy) ** 2) / (2 * r * r)) * amp)[..., None]
        # sensor noise: shot (signal-dependent) + read noise, a little chroma.
        # The noise is in the charge the sensor collects, before the ADC
        # clips at full scale: a pixel driven past full scale (a reflection's
        # core, an overexposed white page) reads a flat 255, not 255 minus
        # noise (clipping first and adding the noise after made every clipped
        # core a speckle averaging ~251, which no camera records). The noise
        # of such a pixel is that of full scale.
        k = noise * rng.uniform(0.15, 0.45)
        np.clip(a, 0, None, out=a)
        sig = np.sqrt(np.minimum(a, 255) * k + 1.5)
        a += sig * self.noise(rng, W, H)
        np.clip(a, 0, 255, out=a)
        return Image.fromarray(a.astype(np.uint8))

    def noise(self, rng, W, H):
        """Unit Gaussian noise, mostly luminance with some chroma, cut at a
        random offset from one bank per run (drawing 12 M normals per photo was
        most of the run time)."""
        if not hasattr(self, "_bank"):
            r = np.random.default_rng(self.seed)
            n = 1536
            self._bank = (r.standard_normal((n, n, 1), dtype=np.float32) * 0.85 +
                          0.35 * r.standard_normal((n, n, 3), dtype=np.float32))
        b = self._bank
        n = b.shape[0]
        ry, rx = int(rng.integers(n)), int(rng.integers(n))
        b = np.roll(b, (ry, rx), axis=(0, 1))
        reps = (H // n + 1, W // n + 1, 1)
        return np.tile(b, reps)[:H, :W]

    def save(self, rng, img, name, exif=True, quality=None, png=False):
        path = os.path.join(self.out, name)
        if png:
            img.save(path, optimize=False, compress_level=3)
            return
        q = int(quality if quality is not None else rng.integers(70, 96))
        kw = {}
        if exif:
            make, model, focal, fnum = CAMERAS[rng.integers(len(CAMERAS))]
            ex = Image.Exif()
            ex[0x010F], ex[0x0110], ex[0x0112] = make, model, 1
            ex[0x0131] = "17.1" if make == "Apple" else "%s camera" % make
            dt = "2026:%02d:%02d %02d:%02d:%02d" % (rng.integers(1, 12), rng.integers(1, 28), rng.integers(7, 22),
                                                     rng.integers(0, 60), rng.integers(0, 60))
            ex[0x0132] = dt
            ex[0x8769] = {0x829A: TiffImagePlugin.IFDRational(1, int(rng.choice([30, 60, 120, 250]))),
                          0x829D: TiffImagePlugin.IFDRational(int(fnum * 10), 10),
                          0x8827: int(rng.choice([50, 100, 200, 400, 800])), 0x9003: dt, 0x9004: dt,
                          0x920A: TiffImagePlugin.IFDRational(int(focal * 100), 100),
                          0xA002: img.width, 0xA003: img.height}
            kw["exif"] = ex.tobytes()
        img.save(path, quality=q, subsampling=2 if q < 90 else 0, **kw)
