"""The objects of a cluttered desk for mkscenes.py: a phone, a keyboard, a
book, a receipt, a letter, a bank card, keys, coins, a laptop's palm rest, a
newspaper page, and a hand. Each is an RGBA raster of its real size in mm
(drawn at `ppm` pixels per mm, at most MAX_RASTER px on its long side: the
camera's warp upscales the rest), with the shading a photo shows: light
falling off across it, a darker or lighter rim where its edge turns away
(bevel), a glossy highlight on glass and metal. A mixin of mkreal's Gen (it
uses its fonts, set halves and drawing helpers)."""
import math

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

from real_base import font, lowfreq

MAX_RASTER = 3200  # px: a raster larger than this is drawn smaller and upscaled by the warp

# physical sizes, mm (width, height) as drawn upright
SIZES = {
    "phone": (71.5, 147.0),      # a 6.1" phone
    "keyboard": (285.0, 118.0),  # a compact keyboard
    "book": (155.0, 235.0),      # a paperback
    "receipt": (80.0, 0.0),      # thermal roll width; the length is drawn
    "letter": (210.0, 297.0),    # A4
    "bankcard": (85.60, 53.98),  # ISO/IEC 7810 ID-1: the same size as an ID card
    "keys": (95.0, 55.0),        # a ring with two or three keys
    "coins": (70.0, 45.0),       # two to four coins of 16-26 mm
    "laptop": (310.0, 210.0),    # a laptop's palm rest and the front of its keyboard
    "newspaper": (380.0, 290.0),  # a tabloid page, folded open
}
LOREM = ("Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt "
         "ut labore et dolore magna aliqua. Ut enim ad minim veniam, quis nostrud exercitation ullamco")


def _ppm(ppm, mm):
    return min(ppm, MAX_RASTER / max(mm))


def _rgba(a, mask):
    return Image.fromarray(np.dstack([np.clip(a, 0, 255), mask]).astype(np.uint8), "RGBA")


def _mask(w, h, radius):
    m = Image.new("L", (w * 2, h * 2), 0)
    ImageDraw.Draw(m).rounded_rectangle((0, 0, w * 2 - 1, h * 2 - 1), radius=max(0, radius * 2), fill=255)
    return np.asarray(m.resize((w, h), Image.LANCZOS), np.float32)


def _text_lines(d, rng, x0, y0, x1, y1, size, gap, ink, mono=False):
    """Lines of body text filling a box, ragged on the right."""
    f = font(size, mono=mono)
    y = y0
    while y + size < y1:
        n = int(rng.integers(20, len(LOREM)))
        s = LOREM[int(rng.integers(0, 40)):][:n]
        while s and d.textlength(s, font=f) > x1 - x0:
            s = s[:-4]
        d.text((x0, y), s, fill=ink, font=f)
        y += gap


class Objects:
    def shade(self, rng, im, ppm, bevel_mm=1.0, rim=-0.25, grad=0.10, gloss=0.0):
        """Light on an object raster: a gradient across it (the lamp on one
        side), its outer bevel_mm darker (rim < 0: an edge turning away) or
        lighter (rim > 0: a polished edge catching the light), and a broad
        glossy streak on glass (gloss: its strength in levels)."""
        a = np.asarray(im, np.float32).copy()
        h, w = a.shape[:2]
        yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
        ang = rng.uniform(0, 2 * math.pi)
        t = ((xx / w - 0.5) * math.cos(ang) + (yy / h - 0.5) * math.sin(ang))
        a[..., :3] *= (1 + grad * t)[..., None]
        k = max(3, int(round(bevel_mm * ppm)) * 2 + 1)
        inner = np.asarray(im.split()[3].filter(ImageFilter.MinFilter(min(k, 61))), np.float32)
        inner = np.asarray(Image.fromarray(inner.astype(np.uint8)).filter(ImageFilter.GaussianBlur(k / 4)), np.float32)
        r = np.clip((a[..., 3] - inner) / 255.0, 0, 1)[..., None]
        a[..., :3] *= 1 + rim * r
        if gloss:
            g = np.exp(-(((xx / w - 0.5) * math.sin(ang) - (yy / h - 0.5) * math.cos(ang) - rng.uniform(-0.2, 0.2))
                         / 0.12) ** 2)
            a[..., :3] += gloss * g[..., None]
        return Image.fromarray(np.clip(a, 0, 255).astype(np.uint8), "RGBA")

    def obj_phone(self, rng, ppm, lit=None):
        mm = SIZES["phone"]
        p = _ppm(ppm, mm)
        w, h = int(mm[0] * p), int(mm[1] * p)
        body = np.array(rng.choice([[20, 20, 24], [200, 200, 205], [60, 70, 90], [215, 190, 170]]), np.float32)
        a = np.empty((h, w, 3), np.float32)
        a[:] = body
        im = Image.fromarray(a.astype(np.uint8))
        d = ImageDraw.Draw(im)
        b = 2.2 * p  # the bezel
        sc = (int(b), int(b), int(w - b), int(h - b))
        lit = rng.random() < 0.5 if lit is None else lit
        if lit:
            bg = tuple(int(c) for c in rng.choice([[245, 245, 248], [28, 28, 32], [70, 120, 200], [40, 90, 70]]))
            d.rounded_rectangle(sc, radius=int(7 * p), fill=bg)
            fg = (20, 20, 20) if sum(bg) > 400 else (240, 240, 240)
            d.text((sc[0] + 5 * p, sc[1] + 2.5 * p), "9:41", fill=fg, font=font(3.2 * p, bold=True))
            if rng.random() < 0.5:  # a home screen: a grid of app icons
                s = (sc[2] - sc[0]) / 4
                for r in range(6):
                    for c in range(4):
                        x, y = sc[0] + c * s + s * 0.17, sc[1] + 12 * p + r * s * 1.25
                        d.rounded_rectangle((x, y, x + s * 0.66, y + s * 0.66), radius=int(s * 0.16),
                                            fill=tuple(int(v) for v in rng.uniform(40, 255, 3)))
            else:  # a chat: bubbles left and right
                y = sc[1] + 14 * p
                while y < sc[3] - 20 * p:
                    bw = (sc[2] - sc[0]) * rng.uniform(0.35, 0.7)
                    bh = rng.uniform(6, 14) * p
                    right = rng.random() < 0.5
                    x = sc[2] - 3 * p - bw if right else sc[0] + 3 * p
                    d.rounded_rectangle((x, y, x + bw, y + bh), radius=int(3 * p),
                                        fill=(0, 122, 255) if right else (200, 200, 205))
                    y += bh + 3 * p
                d.rounded_rectangle((sc[0] + 3 * p, sc[3] - 12 * p, sc[2] - 3 * p, sc[3] - 4 * p),
                                    radius=int(4 * p), outline=fg, width=max(1, int(0.4 * p)))
        else:
            d.rounded_rectangle(sc, radius=int(7 * p), fill=(8, 9, 12))
        d.rounded_rectangle((w / 2 - 6 * p, b + 1.2 * p, w / 2 + 6 * p, b + 4.5 * p), radius=int(1.6 * p),
                            fill=(0, 0, 0))  # the camera's island
        m = _mask(w, h, 9 * p)
        im = _rgba(np.asarray(im, np.float32), m)
        return self.shade(rng, im, p, bevel_mm=1.2, rim=rng.uniform(0.2, 0.5), grad=0.08,
                          gloss=rng.uniform(15, 40) if not lit else rng.uniform(5, 15)), mm

    def obj_keyboard(self, rng, ppm):
        mm = SIZES["keyboard"]
        p = _ppm(ppm, mm)
        w, h = int(mm[0] * p), int(mm[1] * p)
        dark = rng.random() < 0.6
        case = (38, 38, 42) if dark else (215, 215, 218)
        key = np.array((62, 62, 68) if dark else (245, 245, 247), np.float32)
        im = Image.new("RGB", (w, h), case)
        d = ImageDraw.Draw(im)
        k = 19.05 * p  # the standard key pitch
        cols = int((w - 6 * p) / k)
        f = font(4 * p)
        for r in range(5):
            y = 8 * p + r * k
            for c in range(cols):
                x = 4 * p + c * k
                # the key's skirt (darker), then its top face inset
                d.rounded_rectangle((x + 0.8 * p, y + 0.8 * p, x + k - 0.8 * p, y + k - 0.8 * p),
                                    radius=int(2 * p), fill=tuple(int(v) for v in key * 0.72))
                d.rounded_rectangle((x + 2 * p, y + 1.4 * p, x + k - 2 * p, y + k - 3 * p),
                                    radius=int(2 * p), fill=tuple(int(v) for v in key))
                d.text((x + 4 * p, y + 3 * p), "QWERTYUIOPASDFGHJKLZXCVBNM"[(r * 13 + c) % 26],
                       fill=(220, 220, 220) if dark else (40, 40, 40), font=f)
        im = _rgba(np.asarray(im, np.float32), _mask(w, h, 6 * p))
        return self.shade(rng, im, p, bevel_mm=2.5, rim=-0.3, grad=0.1), mm

    def obj_book(self, rng, ppm):
        mm = SIZES["book"]
        p = _ppm(ppm, mm)
        w, h = int(mm[0] * p), int(mm[1] * p)
        col = tuple(int(c) for c in rng.uniform(30, 210, 3))
        im = Image.new("RGB", (w, h), (236, 230, 214))  # the page block shows along three sides
        d = ImageDraw.Draw(im)
        for i in range(0, int(3 * p), max(1, int(p * 0.35))):  # the pages' edges, fine lines
            d.line((w - 1 - i, 0, w - 1 - i, h), fill=(205, 198, 180))
        e = 2.5 * p
        d.rectangle((0, 0, w - e, h - 0.6 * e), fill=col)
        d.rectangle((0, 0, 8 * p, h - 0.6 * e), fill=tuple(int(c * 0.7) for c in col))  # the hinge
        light = (240, 232, 205) if sum(col) < 400 else (25, 25, 30)
        d.text((w / 2, h * 0.22), ["THE ATLAS", "NORTHERN", "KITCHEN", "OCEANS"][rng.integers(4)], fill=light,
               font=font(13 * p, bold=True), anchor="mm")
        d.text((w / 2, h * 0.32), "A NOVEL", fill=light, font=font(6 * p), anchor="mm")
        box = (int(w * 0.18), int(h * 0.42), int(w * 0.82), int(h * 0.78))
        pic = lowfreq(rng, box[2] - box[0], box[3] - box[1], 4)[..., None] * rng.uniform(60, 220, 3)
        im.paste(Image.fromarray(np.clip(pic, 0, 255).astype(np.uint8)), box[:2])
        im = _rgba(np.asarray(im, np.float32), _mask(w, h, 1.5 * p))
        return self.shade(rng, im, p, bevel_mm=1.5, rim=-0.2, grad=0.12, gloss=rng.uniform(0, 20)), mm

    def obj_receipt(self, rng, ppm):
        mm = (SIZES["receipt"][0], float(rng.uniform(140, 260)))
        p = _ppm(ppm, mm)
        w, h = int(mm[0] * p), int(mm[1] * p)
        im = Image.new("RGB", (w, h), tuple(int(c) for c in rng.uniform([238, 238, 232], [252, 252, 250])))
        d = ImageDraw.Draw(im)
        f = font(2.6 * p, mono=True)
        d.text((w / 2, 8 * p), "SUPERMARKT NORD", fill=(30, 30, 30), font=font(4 * p, bold=True), anchor="mm")
        y = 16 * p
        while y < h - 30 * p:
            item = ["BREAD", "MILK 1L", "COFFEE", "APPLES", "PASTA", "TOMATOES", "CHEESE"][rng.integers(7)]
            d.text((5 * p, y), "%-14s %6.2f" % (item, rng.uniform(0.5, 9)), fill=(35, 35, 35), font=f)
            y += 4.2 * p
        d.text((5 * p, y + 3 * p), "TOTAL   %8.2f" % rng.uniform(10, 80), fill=(10, 10, 10), font=font(3.6 * p, True))
        m = np.full((h, w), 255, np.float32)
        # torn ends: a saw-tooth a millimetre deep
        xs = np.arange(w)
        tooth = (np.abs(np.mod(xs, 2.5 * p) - 1.25 * p) / (1.25 * p) * p).astype(int)
        for x in range(w):
            m[:tooth[x], x] = 0
            m[h - 1 - tooth[w - 1 - x]:, x] = 0
        a = np.asarray(im, np.float32)
        # curled: the roll's curl shades it across (a cylinder)
        a *= (0.9 + 0.1 * np.sin(np.linspace(0.3, math.pi - 0.3, w)))[None, :, None]
        return self.shade(rng, _rgba(a, m), p, bevel_mm=0.5, rim=-0.1, grad=0.08), mm

    def obj_letter(self, rng, ppm, fold=True):
        mm = SIZES["letter"]
        p = _ppm(ppm, mm)
        w, h = int(mm[0] * p), int(mm[1] * p)
        im = Image.new("RGB", (w, h), tuple(int(c) for c in rng.uniform([236, 236, 232], [250, 250, 248])))
        d = ImageDraw.Draw(im)
        ink = tuple(int(c) for c in rng.uniform(20, 60, 3))
        d.text((20 * p, 15 * p), ["City of Arcadia", "Norland Energy plc", "Elbonia Bank"][rng.integers(3)],
               fill=tuple(int(c) for c in rng.uniform(20, 160, 3)), font=font(7 * p, bold=True))
        d.line((20 * p, 26 * p, w - 20 * p, 26 * p), fill=ink, width=max(1, int(0.4 * p)))
        for i, s in enumerate(["Ms Anna Rossi", "Via Roma 12", "00100 Arcadia"]):
            d.text((20 * p, (45 + 5 * i) * p), s, fill=ink, font=font(3.5 * p))
        d.text((20 * p, 75 * p), "Re: your application", fill=ink, font=font(3.8 * p, bold=True))
        y = 85 * p
        for _ in range(int(rng.integers(3, 6))):
            y1 = min(h - 40 * p, y + rng.uniform(20, 40) * p)
            _text_lines(d, rng, 20 * p, y, w - 20 * p, y1, 3.5 * p, 5.2 * p, ink)
            y = y1 + 6 * p
            if y > h - 50 * p:
                break
        a = np.asarray(im, np.float32)
        if fold:  # folded in three: two creases, one side of each a little darker
            for yf in (h / 3, 2 * h / 3):
                yy = np.arange(h, dtype=np.float32)
                a *= (1 - 0.05 * np.exp(-((yy - yf) / (3 * p)) ** 2) * np.sign(yy - yf + 0.5) - 0.02)[:, None, None]
        return self.shade(rng, _rgba(a, np.full((h, w), 255, np.float32)), p, bevel_mm=0.4, rim=-0.06,
                          grad=0.08), mm

    def obj_bankcard(self, rng, ppm):
        mm = SIZES["bankcard"]
        p = _ppm(ppm, mm)
        w, h = int(mm[0] * p), int(mm[1] * p)
        c1, c2 = rng.uniform(10, 230, 3), rng.uniform(10, 230, 3)
        t = np.linspace(0, 1, w, dtype=np.float32)[None, :, None]
        a = np.broadcast_to(c1 * (1 - t) + c2 * t, (h, w, 3)).astype(np.float32).copy()
        a *= (0.9 + 0.2 * lowfreq(rng, w, h, 3))[..., None]
        im = Image.fromarray(np.clip(a, 0, 255).astype(np.uint8))
        d = ImageDraw.Draw(im)
        fg = (245, 245, 245) if a.mean() < 140 else (25, 25, 30)
        d.text((6 * p, 5 * p), ["ELBONIA BANK", "NORDBANK", "CREDIT UNION"][rng.integers(3)], fill=fg,
               font=font(4 * p, bold=True))
        d.rounded_rectangle((9 * p, 18 * p, 20 * p, 27 * p), radius=int(1.5 * p), fill=(205, 175, 95),
                            outline=(150, 120, 60), width=max(1, int(0.3 * p)))  # the chip
        d.text((7 * p, 33 * p), "4929 %04d %04d %04d" % tuple(rng.integers(1000, 9999, 3)), fill=fg,
               font=font(4.2 * p, mono=True))
        d.text((7 * p, 42 * p), "ANNA ROSSI      09/29", fill=fg, font=font(3 * p, mono=True))
        for i, c in enumerate([(235, 0, 27), (255, 160, 0)]):  # a scheme's two circles
            d.ellipse((w - (23 - 8 * i) * p, h - 16 * p, w - (11 - 8 * i) * p, h - 4 * p), fill=c)
        im = _rgba(np.asarray(im, np.float32), _mask(w, h, 3.18 * p))
        return self.shade(rng, im, p, bevel_mm=0.3, rim=rng.uniform(-0.15, 0.1), grad=0.1,
                          gloss=rng.uniform(0, 25)), mm

    def obj_keys(self, rng, ppm):
        mm = SIZES["keys"]
        p = _ppm(ppm, mm)
        w, h = int(mm[0] * p), int(mm[1] * p)
        a = np.zeros((h, w, 3), np.float32)
        m = Image.new("L", (w, h), 0)
        md = ImageDraw.Draw(m)
        cx, cy, r = 14 * p, h / 2, 11 * p
        md.ellipse((cx - r, cy - r, cx + r, cy + r), outline=255, width=max(2, int(1.3 * p)))  # the ring
        for i in range(int(rng.integers(2, 4))):
            ang = math.radians(-30 + 30 * i + rng.uniform(-8, 8))
            x0, y0 = cx + r * math.cos(ang), cy + r * math.sin(ang)
            L = rng.uniform(50, 70) * p
            ux, uy = math.cos(ang), math.sin(ang)
            hx, hy = x0 + ux * 12 * p, y0 + uy * 12 * p  # the bow
            md.ellipse((hx - 11 * p, hy - 11 * p, hx + 11 * p, hy + 11 * p), fill=255)
            bx, by = x0 + ux * L, y0 + uy * L
            nx, ny = -uy * 3.5 * p, ux * 3.5 * p
            md.polygon([(hx + nx, hy + ny), (bx + nx, by + ny), (bx - nx * 0.4, by - ny * 0.4), (hx - nx, hy - ny)],
                       fill=255)
        m = m.filter(ImageFilter.GaussianBlur(0.6))
        metal = np.array(rng.choice([[190, 190, 195], [200, 170, 90]]), np.float32)
        a[:] = metal
        a *= (0.75 + 0.5 * lowfreq(rng, w, h, 6))[..., None]  # brushed metal catching the light unevenly
        im = _rgba(a, np.asarray(m, np.float32))
        return self.shade(rng, im, p, bevel_mm=0.8, rim=-0.35, grad=0.2, gloss=rng.uniform(20, 50)), mm

    def obj_coins(self, rng, ppm):
        mm = SIZES["coins"]
        p = _ppm(ppm, mm)
        w, h = int(mm[0] * p), int(mm[1] * p)
        a = np.zeros((h, w, 3), np.float32)
        m = np.zeros((h, w), np.float32)
        yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
        for _ in range(int(rng.integers(2, 5))):
            r = rng.uniform(8, 13) * p
            cx, cy = rng.uniform(r, w - r), rng.uniform(r, h - r)
            d = np.hypot(xx - cx, yy - cy) / r
            disc = d < 1
            col = np.array(rng.choice([[200, 165, 80], [185, 185, 190], [175, 110, 70]]), np.float32)
            # a rim, a raised relief (noise), light from one side
            tone = 1 - 0.25 * ((d > 0.86) & (d < 0.92)) + 0.15 * (xx - cx) / r + \
                0.08 * (lowfreq(rng, w, h, 12) - 0.5)
            a[disc] = (col * tone[..., None])[disc]
            m[disc] = 255
        return self.shade(rng, _rgba(a, m), p, bevel_mm=0.5, rim=-0.3, grad=0.05, gloss=rng.uniform(10, 30)), mm

    def obj_laptop(self, rng, ppm):
        mm = SIZES["laptop"]
        p = _ppm(ppm, mm)
        w, h = int(mm[0] * p), int(mm[1] * p)
        alu = (rng.uniform(175, 215),) * 3 if rng.random() < 0.6 else (rng.uniform(45, 70),) * 3
        im = Image.new("RGB", (w, h), tuple(int(c) for c in alu))
        d = ImageDraw.Draw(im)
        k = 18 * p
        for r in range(5):  # the keyboard well: black keys in a recess
            for c in range(int((w - 30 * p) / k)):
                x, y = 15 * p + c * k, 8 * p + r * k
                d.rounded_rectangle((x, y, x + k * 0.85, y + k * 0.85), radius=int(1.5 * p), fill=(22, 22, 25))
        d.rounded_rectangle((w / 2 - 60 * p, h - 85 * p, w / 2 + 60 * p, h - 10 * p), radius=int(5 * p),
                            fill=tuple(int(c * 0.93) for c in alu))  # the trackpad
        im = _rgba(np.asarray(im, np.float32), _mask(w, h, 8 * p))
        return self.shade(rng, im, p, bevel_mm=2.0, rim=rng.uniform(0.15, 0.35), grad=0.1), mm

    def obj_newspaper(self, rng, ppm):
        mm = SIZES["newspaper"]
        p = _ppm(ppm, mm)
        w, h = int(mm[0] * p), int(mm[1] * p)
        paper = rng.uniform([218, 214, 198], [236, 232, 220])
        a = np.empty((h, w, 3), np.float32)
        a[:] = paper
        a *= (1 + 0.04 * (lowfreq(rng, w, h, 8) - 0.5))[..., None]
        im = Image.fromarray(a.astype(np.uint8))
        d = ImageDraw.Draw(im)
        ink = (40, 40, 42)
        d.text((12 * p, 8 * p), "THE ARCADIA HERALD", fill=ink, font=font(16 * p, bold=True))
        d.line((12 * p, 30 * p, w - 12 * p, 30 * p), fill=ink, width=max(1, int(0.8 * p)))
        ncol = 5
        cw = (w - 24 * p) / ncol
        for c in range(ncol):
            x0 = 12 * p + c * cw
            y = 36 * p
            while y < h - 20 * p:
                if rng.random() < 0.35:  # a headline
                    d.text((x0, y), ["Council votes", "Rain expected", "Market rises", "New bridge"]
                           [rng.integers(4)], fill=ink, font=font(6 * p, bold=True))
                    y += 10 * p
                if rng.random() < 0.2:  # a photo
                    ph = rng.uniform(30, 60) * p
                    pic = lowfreq(rng, int(cw - 4 * p), int(ph), 5)[..., None] * 200 + 20
                    im.paste(Image.fromarray(np.repeat(pic, 3, 2).astype(np.uint8)), (int(x0), int(y)))
                    y += ph + 4 * p
                y1 = min(h - 20 * p, y + rng.uniform(30, 80) * p)
                _text_lines(d, rng, x0, y, x0 + cw - 4 * p, y1, 2.6 * p, 3.4 * p, ink)
                y = y1 + 3 * p
            if c:
                d.line((x0 - 2 * p, 36 * p, x0 - 2 * p, h - 20 * p), fill=(120, 120, 120), width=max(1, int(0.2 * p)))
        a = np.asarray(im, np.float32)
        a *= (1 - 0.06 * np.exp(-((np.arange(w) - w / 2) / (8 * p)) ** 2))[None, :, None]  # the fold
        return self.shade(rng, _rgba(a, np.full((h, w), 255, np.float32)), p, bevel_mm=0.4, rim=-0.05,
                          grad=0.1), mm

    # ---- a hand ------------------------------------------------------------------
    def skin(self, rng):
        tone = self.half(rng, 0.45, 1.0)  # darker to lighter skin (mkreal's finger)
        return np.array([95 + 130 * tone, 60 + 110 * tone, 40 + 100 * tone], np.float32)

    def palm(self, rng, img, centre, rx, ry, ang, skin):
        """The palm and the fingers' roots beneath the card: an ellipse of
        skin, rounded by shading towards its rim, a soft shadow."""
        W, H = img.size
        s = 4  # drawn at a quarter of the frame, upscaled (it is soft)
        w, h = W // s, H // s
        yy, xx = np.mgrid[0:h, 0:w].astype(np.float32) * s
        ca, sa = math.cos(ang), math.sin(ang)
        u = ((xx - centre[0]) * ca + (yy - centre[1]) * sa) / rx
        v = (-(xx - centre[0]) * sa + (yy - centre[1]) * ca) / ry
        d = np.sqrt(u ** 2 + v ** 2)
        m = np.clip((1 - d) * 40, 0, 1)
        shade = (0.6 + 0.4 * np.sqrt(np.clip(1 - d ** 2, 0, 1))) * (0.94 + 0.12 * lowfreq(rng, w, h, 10))
        a = skin * shade[..., None]
        big = lambda x: Image.fromarray(x).resize((W, H), Image.BICUBIC)  # noqa: E731
        mask = big((m * 255).astype(np.uint8))
        sh = mask.filter(ImageFilter.GaussianBlur(max(W, H) * 0.01)).point(lambda x: int(x * 0.4))
        img.paste(Image.new("RGB", (W, H), (0, 0, 0)), (int(W * 0.006), int(H * 0.01)), sh)
        img.paste(big(np.clip(a, 0, 255).astype(np.uint8)), (0, 0), mask)

    def digit(self, rng, img, tip, d, fw, skin, length=None):
        """A finger (or thumb) of width fw whose tip lies at `tip`, pointing
        along unit vector d (from the knuckle to the tip): mkreal's
        fingertip (cylinder shading, nail, soft shadow), placed anywhere."""
        W, H = img.size
        h, w = int(fw), int(length or max(W, H) * 0.6)
        yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
        u = (yy - h / 2) / (h / 2)
        inside = (np.abs(u) <= 1) & ((xx >= h / 2) | ((xx - h / 2) ** 2 + (yy - h / 2) ** 2 <= (h / 2) ** 2))
        shade = np.sqrt(np.clip(1 - u ** 2, 0, 1)) * 0.5 + 0.5
        shade = shade * (1 - 0.12 * np.clip(xx / (h * 4), 0, 1)) * (0.94 + 0.12 * lowfreq(rng, w, h, 8))
        a = skin * shade[..., None]
        nail = ((xx - h * 0.62) / (h * 0.45)) ** 2 + (u / 0.55) ** 2 < 1
        a[nail] = a[nail] * 0.8 + np.array([235, 215, 205], np.float32) * 0.2
        edge = nail & ~(((xx - h * 0.62) / (h * 0.40)) ** 2 + (u / 0.49) ** 2 < 1)
        a[edge] *= 0.85
        for k in (1.9, 3.6):  # the joints' creases
            a[np.abs(xx - h * k) < max(1, h * 0.03)] *= 0.88
        a += rng.normal(0, 3, (h, w, 1)).astype(np.float32)
        f = _rgba(a, inside * 255.0).filter(ImageFilter.GaussianBlur(0.8))
        # the raster's tip is its left end: turn it so that it points along -d
        # from the knuckle (x grows towards the knuckle), then paste the tip on `tip`
        back = -np.asarray(d, float)
        ang = math.degrees(math.atan2(back[1], back[0]))
        f = f.rotate(-ang, expand=True, resample=Image.BICUBIC)
        cx, cy = f.width / 2, f.height / 2
        tx, ty = cx - back[0] * (w / 2), cy - back[1] * (w / 2)
        px, py = int(tip[0] - tx), int(tip[1] - ty)
        sh = f.split()[3].filter(ImageFilter.GaussianBlur(fw * 0.25))
        img.paste(Image.new("RGB", f.size, (0, 0, 0)), (px + int(fw * 0.15), py + int(fw * 0.2)),
                  sh.point(lambda v: int(v * 0.5)))
        img.paste(f, (px, py), f)
