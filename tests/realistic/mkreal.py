#!/usr/bin/env python3
"""Realistic ID photos with ground truth, for judging idpack on photos it was
not tuned on.

    mkreal.py [--corpus DIR] --set tune|heldout [--seed N] [--extra] [--only FILE... --] OUTDIR

Writes OUTDIR/*.jpg|png and OUTDIR/truth.tsv (see README.md). Deterministic:
the same --set and --seed give the same files, and --only FILE... gives for
the photos it names the same files and truth rows as the whole set (each
photo, or pair, has its own generator seeded [seed, n]; a photo skipped
takes its generator and draws nothing from it). Document textures are the
real ID images in $IDP_CORPUS/mrz (read by path, never copied), warped onto
their true physical aspect; fronts without an MRZ and portrait-format
documents are drawn.
Needs python3, numpy and PIL (Debian: python3-numpy, python3-pil).
"""
import fnmatch
import math
import os
import sys

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from real_base import ID1, ID3, TEXTURES, font, parse_args  # noqa: E402
from real_draw import Draw  # noqa: E402


# the resolution check's fail limit: an ID-1 card's 85.6 mm at 150 DPI
RESOLUTION_FAIL_PX = 506


def long_edge(q):
    """The longest side of a quad, in px: what the resolution check reads."""
    q = np.asarray(q, float).reshape(4, 2)
    return max(float(np.linalg.norm(q[i] - q[(i + 1) % 4])) for i in range(4))


class Gen(Draw):
    def __init__(self, which, corpus, out, seed=None, only=None):
        self.only = only
        self.which = which
        self.corpus = corpus
        self.out = out
        self.seed = seed if seed is not None else (1001 if which == "tune" else 2002)
        self.rows = []
        self.names = ()  # every photo the set holds, drawn or not (see unknown())
        self.tex = [t for t in TEXTURES if t[3] == which]
        self.tex1 = [t for t in self.tex if t[2] == "id1"]
        self.tex3 = [t for t in self.tex if t[2] == "id3"]
        self._cache = {}

    # ---- parameters: each set draws from its own half of a range ----------
    def half(self, rng, lo, hi):
        mid = (lo + hi) / 2
        return rng.uniform(lo, mid) if self.which == "tune" else rng.uniform(mid, hi)

    def texture(self, t):
        if t[0] not in self._cache:
            im = Image.open(os.path.join(self.corpus, "mrz", t[0])).convert("RGB")
            self._cache[t[0]] = im.crop(t[1])
        return self._cache[t[0]]

    def row(self, f, cat, kind, orient, quad, expect, pair="-", strict="-"):
        if expect == "pass" and quad is not None and long_edge(quad) < RESOLUTION_FAIL_PX:
            # a document whose long edge is under 150 DPI (506 px for ID-1's
            # 85.6 mm, PRODUCT.md: the resolution check's fail limit) is too
            # small to read, whatever else is right; every photo drawn (a pair's
            # side, a light desk, a control in mknodoc.py) is held to it
            expect = "fail:resolution"
        qs = "-" if quad is None else " ".join("%.1f" % v for v in np.asarray(quad).reshape(-1))
        self.rows.append((f, cat, kind, orient, qs, expect, pair, strict))

    # ---- one photo ----------------------------------------------------------------
    def scene(self, rng, surface, W, H, doc_src, mm, frac, clutter=(), tilt=25.0, margin=0.04, rot=None,
              center=None, bg=None):
        if not callable(doc_src):
            # a real texture is upscaled at most 2.5x: beyond that it is a blurred
            # scan, not a sharp card (the small specimens are 250-380 px wide)
            frac = min(frac, 2.5 * max(doc_src.size) / min(W, H))
        img = bg.copy() if bg is not None else self.surface(rng, surface, W, H, angle=rng.uniform(0, math.pi))
        quad = self.place(rng, W, H, mm, frac, tilt=tilt, margin=margin, rot=rot, center=center)
        if surface == "striped-wood" and bg is None:
            # planks run along the card's sides: redraw with the card's angle
            ang = math.atan2(quad[1][1] - quad[0][1], quad[1][0] - quad[0][0])
            img = self.surface(rng, surface, W, H, angle=ang)
        lo, hi = quad.min(axis=0), quad.max(axis=0)
        avoid = [(lo[0] - 0.03 * W, lo[1] - 0.03 * H, hi[0] + 0.03 * W, hi[1] + 0.03 * H)]
        for c in clutter:
            self.clutter(rng, img, c, avoid)
        side = max(np.linalg.norm(quad[1] - quad[0]), np.linalg.norm(quad[3] - quad[0]))
        doc = self.doc_raster(rng, doc_src, mm, int(side * 1.1))
        self.paste_doc(rng, img, doc, quad)
        return img, quad

    def pick(self, rng, kind):
        lst = self.tex1 if kind == "id1" else self.tex3
        t = lst[rng.integers(len(lst))]
        return self.texture(t), (ID1 if kind == "id1" else ID3)

    def size(self, rng, portrait=False):
        L = int(rng.choice([1600, 2016, 2592, 3024, 3264, 4000], p=[.25, .25, .2, .15, .1, .05]))
        S = int(L * 3 / 4)
        return (S, L) if portrait else (L, S)

    def run(self):
        os.makedirs(self.out, exist_ok=True)
        n = [0]

        def R():
            n[0] += 1
            return np.random.default_rng([self.seed, n[0]])

        def skip(*names):
            """True when --only names none of these photos (one draw writes
            them all): the caller has taken its generator with R() and drawn
            nothing from it, so the photos after it are drawn unchanged."""
            self.names += names
            return not any(self.wanted(f) for f in names)

        surfaces = ["wood", "carpet", "tablecloth", "light", "dark", "wood", "dark", "tablecloth"]
        photo_bg = "photo:Landscape_1" if self.which == "tune" else "photo:Portrait_1"
        photo_nodoc = "photo:Portrait_1" if self.which == "tune" else "photo:Landscape_1"

        def good(name, cat, surf, kind=None, portrait=False, clutter=(), strict="-", exif=True, size=None,
                 frac=None, src=None, needed_by=()):
            rng = R()
            if skip(name, *needed_by):
                return None
            W, H = size or self.size(rng, portrait)
            kind = kind or ("id1" if rng.random() < 0.4 else "id3")
            s, mm = src if src else self.pick(rng, kind)
            if size is None and not callable(s) and max(s.size) < 400:
                W, H = (1600, 1200) if not portrait else (1200, 1600)
            img, q = self.scene(rng, surf, W, H, s, mm, frac or rng.uniform(0.5, 0.8), clutter=clutter)
            sheen = None
            if rng.random() < 0.35:
                # a broad soft sheen on the laminate, no saturated core: real
                # photos have it and it hides nothing, so it is not glare
                p = q.mean(axis=0) + (q[1] - q[0]) * rng.uniform(-0.3, 0.3)
                sheen = (p[0], p[1], np.linalg.norm(q[1] - q[0]) * rng.uniform(0.15, 0.25), rng.uniform(25, 45))
            img = self.camera(rng, img, sheen=sheen)
            self.save(rng, img, name, exif=exif)
            # row() holds a card under 150 DPI to `fail:resolution`: the 1280x720
            # frame holds its card at 50-80 % of 720 px, 360-576 px (docs/checks.md,
            # "Round 10: the checks")
            self.row(name, cat, kind, "landscape", q, "pass", strict=strict)
            return img, q, kind

        for i, surf in enumerate(surfaces):
            good("good-%02d-%s.jpg" % (i, surf), "good", surf, portrait=(i % 3 == 2))
        good("good-photo-bg.jpg", "good", photo_bg, size=(1800, 1200) if "Land" in photo_bg else (1200, 1800))
        for i in range(3):
            good("striped-wood-%d.jpg" % i, "striped-wood", "striped-wood", portrait=(i == 1))
        for i in range(2):
            good("carpet-%d.jpg" % i, "carpet", "carpet")
        for i in range(3):
            good("clutter-%d.jpg" % i, "clutter", ["wood", "light", "dark"][i],
                 clutter=["phone", "a4", ["keyboard", "terminal", "book"][i]])

        # portrait-format documents: vertical ID-1 and a passport cover
        for i in range(3):
            rng = R()
            name = "good-portrait-doc-%d.jpg" % i
            if skip(name):
                continue
            W, H = self.size(rng, portrait=True)
            if i < 2:
                src, mm = (lambda r, w, h: self.draw_front(r, w, h, portrait_fmt=True)), (ID1[1], ID1[0])
                kind = "id1"
            else:
                src, mm, kind = self.draw_cover, (ID3[1], ID3[0]), "id3"
            img, q = self.scene(rng, surfaces[i + 2], W, H, src, mm, rng.uniform(0.6, 0.85))
            img = self.camera(rng, img)
            self.save(rng, img, name)
            self.row(name, "good-portrait-doc", kind, "portrait", q, "pass")

        # scans: an app's exact crop, and a flatbed with a thin white border
        for i in range(4):
            rng = R()
            name = "scan-%d.%s" % (i, "png" if i == 3 else "jpg")
            if skip(name):
                continue
            kind = "id1" if i % 2 == 0 else "id3"
            s, mm = self.pick(rng, kind)
            dpi = 600 if kind == "id1" else 330
            dw = int(mm[0] / 25.4 * dpi)
            doc = self.doc_raster(rng, s, mm, dw)
            if i < 2:
                img = Image.new("RGB", doc.size, (250, 250, 250))
                img.paste(doc, (0, 0), doc)
                q = np.array([[0, 0], [doc.width, 0], [doc.width, doc.height], [0, doc.height]], float)
            else:
                bw = int(dw * rng.uniform(0.02, 0.05))
                img = Image.new("RGB", (doc.width + 2 * bw + int(rng.integers(0, 40)), doc.height + 2 * bw), (244, 244, 242))
                ang = math.radians(rng.uniform(-1.2, 1.2))
                c, s_ = math.cos(ang), math.sin(ang)
                hw, hh = doc.width / 2, doc.height / 2
                q = np.array([[img.width / 2 + c * x - s_ * y, img.height / 2 + s_ * x + c * y]
                              for x, y in [(-hw, -hh), (hw, -hh), (hw, hh), (-hw, hh)]])
                self.paste_doc(rng, img, doc, q, shadow=0.1)
            img = self.camera(rng, img, vignette=False, cast=False, blur=0.4, noise=0.3)
            self.save(rng, img, name, exif=False, quality=92, png=(i == 3))
            self.row(name, "scan", kind, "landscape", q, "pass")

        # front/back pairs on one table: same background and light, two documents
        # (one generator draws both: naming either writes both, and each row
        # names the other, which evaluate.py checks with it)
        for i in range(2):
            rng = R()
            names = ["pair-%d-front.jpg" % i, "pair-%d-back.jpg" % i]
            if skip(*names):
                continue
            W, H = self.size(rng)
            surf = ["wood", "tablecloth"][i]
            bg = self.surface(rng, surf, W, H, angle=rng.uniform(0, math.pi))
            light = int(rng.integers(1 << 30))
            for j, name in enumerate(names):
                if j == 0:
                    src, mm = (lambda r, w, h: self.draw_front(r, w, h)), ID1
                else:
                    src, mm = self.pick(rng, "id1")
                img, q = self.scene(rng, surf, W, H, src, mm, rng.uniform(0.55, 0.75), bg=bg)
                img = self.camera(np.random.default_rng(light), img)
                self.save(rng, img, name)
                self.row(name, "front-back", "id1", "landscape", q, "pass", pair=names[1 - j])

        # duplicates: a good photo re-saved smaller and recompressed (the copy
        # is made of the original's pixels: naming the copy writes the
        # original too, which its row names and evaluate.py checks it with)
        for i in range(2):
            name = "dup-%d-original.jpg" % i
            dname = "dup-%d-copy.jpg" % i
            drawn = good(name, "good", surfaces[i], needed_by=(dname,))
            rng = R()
            if drawn is None or skip(dname):
                continue
            img, q, kind = drawn
            f = rng.uniform(0.45, 0.7)
            small = img.resize((int(img.width * f), int(img.height * f)), Image.BICUBIC)
            self.save(rng, small, dname, exif=False, quality=int(rng.integers(60, 75)))
            self.row(dname, "duplicate", kind, "landscape", q * [small.width / img.width, small.height / img.height],
                     "fail:duplicate", pair=name)

        # cut off: a corner, or a whole side (the portrait side kept in the frame)
        for i in range(3):
            rng = R()
            name = "cut-corner-%d.jpg" % i
            if skip(name):
                continue
            W, H = self.size(rng)
            kind = "id1" if i == 0 else "id3"
            s, mm = self.pick(rng, kind)
            q0 = self.place(rng, W, H, mm, rng.uniform(0.55, 0.75), tilt=15)
            k = int(rng.integers(4))
            d = q0[k] - q0.mean(axis=0)
            # push the chosen corner out of the frame by 4-9 % of the card's width
            edge = [np.array([-q0[k][0], 0]), np.array([W - q0[k][0], 0]), np.array([0, -q0[k][1]]),
                    np.array([0, H - q0[k][1]])]
            e = min(edge, key=lambda v: np.linalg.norm(v))
            dw = np.linalg.norm(q0[1] - q0[0])
            shift = e + e / (np.linalg.norm(e) + 1e-9) * dw * rng.uniform(0.04, 0.09)
            img = self.surface(rng, surfaces[i], W, H, angle=rng.uniform(0, 3))
            # the card moved in space (the phone held elsewhere) until that corner is there
            q = self.move(shift, ref=lambda qq, k=k: qq[k])
            doc = self.doc_raster(rng, s, mm, int(dw * 1.1))
            self.paste_doc(rng, img, doc, q)
            img = self.camera(rng, img)
            self.save(rng, img, name)
            self.row(name, "cut-off-corner", kind, "landscape", q, "fail:corners")
        for i in range(2):
            rng = R()
            name = "cut-side-%d.jpg" % i
            if skip(name):
                continue
            W, H = self.size(rng)
            kind = "id3" if i == 0 else "id1"
            s, mm = self.pick(rng, kind)
            q0 = self.place(rng, W, H, mm, rng.uniform(0.6, 0.75), tilt=8, rot=math.radians(rng.uniform(-6, 6)))
            # right side (away from the portrait, which is on the left) out by 10-15 %
            dw = np.linalg.norm(q0[1] - q0[0])
            shift = np.array([W - max(q0[1][0], q0[2][0]) + dw * rng.uniform(0.10, 0.15), 0])
            # moved in space until its right side is there (its centre's height kept)
            q = self.move(shift, ref=lambda qq: np.array([max(qq[1][0], qq[2][0]), qq.mean(axis=0)[1]]))
            img = self.surface(rng, surfaces[i + 3], W, H, angle=rng.uniform(0, 3))
            self.paste_doc(rng, img, self.doc_raster(rng, s, mm, int(dw * 1.1)), q)
            img = self.camera(rng, img)
            self.save(rng, img, name)
            self.row(name, "cut-off-side", kind, "landscape", q, "fail:corners")

        # a finger over a corner
        for i in range(3):
            rng = R()
            name = "covered-corner-%d.jpg" % i
            if skip(name):
                continue
            W, H = self.size(rng)
            kind = "id1" if i != 1 else "id3"
            s, mm = self.pick(rng, kind)
            img, q = self.scene(rng, surfaces[i + 1], W, H, s, mm, rng.uniform(0.5, 0.7), margin=0.12)
            self.finger(rng, img, q, int(rng.integers(4)))
            img = self.camera(rng, img)
            self.save(rng, img, name)
            self.row(name, "covered-corner", kind, "landscape", q, "fail:corners")

        # specular glare with halo over the printed text
        for i in range(3):
            rng = R()
            name = "glare-%d.jpg" % i
            if skip(name):
                continue
            W, H = self.size(rng)
            kind = "id3" if i != 2 else "id1"
            s, mm = self.pick(rng, kind)
            img, q = self.scene(rng, surfaces[i], W, H, s, mm, rng.uniform(0.55, 0.75))
            # text area: right half of the document, middle height
            u, v = rng.uniform(0.5, 0.75), rng.uniform(0.35, 0.6)
            top = q[0] + (q[1] - q[0]) * u
            bot = q[3] + (q[2] - q[3]) * u
            p = top + (bot - top) * v
            r = np.linalg.norm(q[1] - q[0]) * rng.uniform(0.07, 0.11)
            img = self.camera(rng, img, glare=(p[0], p[1], r))
            self.save(rng, img, name)
            self.row(name, "glare", kind, "landscape", q, "fail:glare")

        # defocus (a Gaussian; hand shake, a motion smear: mkshake.py), dark,
        # black-and-white, sepia
        for i in range(3):
            rng = R()
            name = "blurred-%d.jpg" % i
            if skip(name):
                continue
            W, H = self.size(rng)
            kind = "id3" if i else "id1"
            s, mm = self.pick(rng, kind)
            img, q = self.scene(rng, surfaces[i + 2], W, H, s, mm, rng.uniform(0.55, 0.8))
            img = self.camera(rng, img, blur=max(W, H) / 1000 * rng.uniform(3.5, 6.0))
            self.save(rng, img, name)
            self.row(name, "blurred", kind, "landscape", q, "fail:sharpness")
        for i in range(3):
            rng = R()
            name = "dark-%d.jpg" % i
            if skip(name):
                continue
            W, H = self.size(rng)
            kind = "id3" if i else "id1"
            s, mm = self.pick(rng, kind)
            img, q = self.scene(rng, surfaces[i], W, H, s, mm, rng.uniform(0.55, 0.8))
            img = self.camera(rng, img, gain=rng.uniform(0.08, 0.16), noise=2.5)
            self.save(rng, img, name)
            self.row(name, "dark", kind, "landscape", q, "fail:exposure")
        for i in range(4):
            rng = R()
            name = "grey-%d.jpg" % i if i < 2 else "sepia-%d.jpg" % (i - 2)
            if skip(name):
                continue
            W, H = self.size(rng)
            kind = "id3" if i % 2 else "id1"
            s, mm = self.pick(rng, kind)
            img, q = self.scene(rng, surfaces[i + 1], W, H, s, mm, rng.uniform(0.55, 0.8))
            img = self.camera(rng, img)
            g = np.asarray(img.convert("L"), np.float32)
            if i < 2:
                cat = "grey"
                a = np.dstack([g, g, g])
            else:
                cat = "sepia"
                a = np.dstack([g * 1.07 + 8, g * 0.96, g * 0.78])
            self.save(rng, Image.fromarray(np.clip(a, 0, 255).astype(np.uint8)), name)
            self.row(name, cat, kind, "landscape", q, "fail:colour")

        # tiny: the card ~350 px across, far away in the frame or a small photo
        for i in range(2):
            rng = R()
            name = "tiny-%d.jpg" % i
            if skip(name):
                continue
            W, H = (1600, 1200) if i == 0 else (560, 420)
            s, mm = self.pick(rng, "id1")
            img, q = self.scene(rng, surfaces[i], W, H, s, mm, 350 / min(W, H) * 0.75, tilt=10)
            img = self.camera(rng, img)
            self.save(rng, img, name)
            self.row(name, "tiny", "id1", "landscape", q, "fail:resolution")

        # white card on a light desk (exposure must pass), light MRZ band and
        # white card stock (glare must pass)
        for i in range(2):
            rng = R()
            name = "white-doc-light-desk-%d.jpg" % i
            if skip(name):
                continue
            W, H = self.size(rng)
            if i == 0 and any(t[0] == "100_pass-uto.jpg" for t in self.tex):
                src, mm, kind = self.texture([t for t in self.tex if t[0] == "100_pass-uto.jpg"][0]), ID3, "id3"
            else:
                src, mm, kind = (lambda r, w, h: self.draw_front(r, w, h, white=True)), ID1, "id1"
            img, q = self.scene(rng, "light", W, H, src, mm, rng.uniform(0.55, 0.75))
            img = self.camera(rng, img, gain=rng.uniform(1.0, 1.1))
            self.save(rng, img, name)
            self.row(name, "white-doc-light-desk", kind, "landscape", q, "pass", strict="exposure")
        for i in range(2):
            rng = R()
            name = "light-mrz-band-%d.jpg" % i
            if skip(name):
                continue
            W, H = self.size(rng)
            img, q = self.scene(rng, surfaces[i + 4], W, H, self.draw_back, ID1, rng.uniform(0.55, 0.8))
            img = self.camera(rng, img)
            self.save(rng, img, name)
            self.row(name, "light-mrz-band", "id1", "landscape", q, "pass", strict="glare")
        for i in range(2):
            rng = R()
            name = "white-stock-%d.jpg" % i
            if skip(name):
                continue
            W, H = self.size(rng)
            img, q = self.scene(rng, ["dark", "wood"][i], W, H, lambda r, w, h: self.draw_front(r, w, h, white=True),
                                ID1, rng.uniform(0.55, 0.8))
            img = self.camera(rng, img)
            self.save(rng, img, name)
            self.row(name, "white-stock", "id1", "landscape", q, "pass", strict="glare")

        # no document at all
        nodoc = [("tablecloth", []), ("tray", []), ("mesh", []), ("wood", ["book"]), ("light", ["a4"]),
                 (photo_nodoc, []), ("dark", ["keyboard", "phone"])]
        for i, (surf, cl) in enumerate(nodoc):
            rng = R()
            name = "no-document-%d-%s.jpg" % (i, surf.replace("photo:", ""))
            if skip(name):
                continue
            if surf.startswith("photo:"):
                W, H = (1800, 1200) if "Land" in surf else (1200, 1800)
            else:
                W, H = self.size(rng)
            img = self.surface(rng, surf, W, H, angle=rng.uniform(0, 3))
            av = []
            for c in cl:
                self.clutter(rng, img, c, av)
            img = self.camera(rng, img)
            self.save(rng, img, name)
            self.row(name, "no-document", "none", "-", None, "fail:document")

        # screenshots of a card shown in a phone's photo viewer; and camera frames
        # with screen-like sizes whose EXIF was stripped (not screenshots)
        for i in range(2):
            rng = R()
            name = "screenshot-%d.png" % i
            if skip(name):
                continue
            W, H = 1170, 2532
            ui = Image.new("RGB", (W, H), (255, 255, 255) if i == 0 else (0, 0, 0))
            d = ImageDraw.Draw(ui)
            fg = (0, 0, 0) if i == 0 else (255, 255, 255)
            d.text((90, 60), "9:41", fill=fg, font=font(48, bold=True))
            d.rounded_rectangle((W - 170, 62, W - 90, 100), radius=10, outline=fg, width=4)
            d.rectangle((W - 165, 67, W - 110, 95), fill=fg)
            d.rectangle((0, 150, W, 290), fill=(242, 242, 247) if i == 0 else (28, 28, 30))
            d.text((W // 2, 220), "Photo", fill=fg, font=font(52, bold=True), anchor="mm")
            d.text((40, 220), "< Albums", fill=(0, 122, 255), font=font(44), anchor="lm")
            ph = int(W * 0.75)
            s, mm = self.pick(rng, "id1")
            photo, q = self.scene(rng, "wood", W, ph, s, mm, 0.85, tilt=10)
            photo = self.camera(rng, photo)
            y0 = (H - ph) // 2
            ui.paste(photo, (0, y0))
            d.rectangle((0, H - 300, W, H), fill=(242, 242, 247) if i == 0 else (28, 28, 30))
            for k in range(4):
                x = int(W * (0.15 + 0.23 * k))
                d.rounded_rectangle((x - 35, H - 230, x + 35, H - 160), radius=12, outline=(0, 122, 255), width=6)
            d.rounded_rectangle((W // 2 - 200, H - 40, W // 2 + 200, H - 28), radius=6, fill=fg)
            self.save(rng, ui, name, png=True)
            self.row(name, "screenshot", "id1", "landscape", q + [0, y0], "fail:screenshot")
        for i, (W, H) in enumerate([(1080, 1920), (2160, 3840), (1280, 720)]):
            good("stripped-camera-%dx%d.jpg" % (W, H), "stripped-camera", surfaces[i], exif=False, size=(W, H),
                 strict="screenshot")

        self.write_truth()
        return len(self.rows)

    def wanted(self, name):
        """Whether --only names this photo (a name or a shell pattern, e.g.
        'no-document-*'); every photo is without --only."""
        return self.only is None or any(fnmatch.fnmatchcase(name, p) for p in self.only)

    def unknown(self):
        """The names or patterns --only gave that match no photo of the set
        (a typo would otherwise draw nothing and pass unnoticed)."""
        return sorted(p for p in set(self.only or ()) if not any(fnmatch.fnmatchcase(f, p) for f in self.names))

    def write_truth(self):
        with open(os.path.join(self.out, "truth.tsv"), "w") as f:
            f.write("file\tcategory\tkind\torientation\tquad\texpect\tpair\tstrict\n")
            for r in self.rows:
                f.write("\t".join(r) + "\n")

    def edge(self, rng, doc, amount):
        """Darkens (amount < 0) or lightens the outer ~0.3 mm of the RGBA
        document raster: the card's cut edge seen at a slant, or the bright
        rim of a laminate catching the light."""
        a = np.asarray(doc, np.float32).copy()
        alpha = a[..., 3]
        k = max(3, int(round(doc.width / 85.6 * 0.3)) * 2 + 1)
        inner = np.asarray(doc.split()[3].filter(ImageFilter.MinFilter(k)), np.float32)
        rim = np.clip((alpha - inner) / 255.0, 0, 1)[..., None]
        a[..., :3] = np.clip(a[..., :3] * (1 + amount * rim), 0, 255)
        return Image.fromarray(a.astype(np.uint8), "RGBA")

    def extra(self):
        """The extra set (--extra): cards on light surfaces (a white or light
        grey desk, a white tablecloth, paper) with a soft shadow, a darker or
        lighter rim, uneven light and JPEG noise; and cards photographed from
        far away (the long edge 250-480 px: under 506 px, fail resolution)."""
        os.makedirs(self.out, exist_ok=True)
        n = [100]  # draws of their own: not those of run()

        def R():
            n[0] += 1
            return np.random.default_rng([self.seed, n[0]])

        def skip(name):
            self.names += (name,)
            return not self.wanted(name)

        surfs = ["light", "light-grey", "white-cloth", "paper"]
        for i in range(12):
            rng = R()
            if skip("light-%02d-%s.jpg" % (i, surfs[i % 4])):
                continue
            W, H = self.size(rng, portrait=(i % 4 == 3))
            surf = surfs[i % 4]
            pick = i % 3
            if pick == 0:
                src, mm, kind = (lambda r, w, h: self.draw_front(r, w, h, white=True)), ID1, "id1"
            elif pick == 1:
                blue = tuple(float(c) for c in rng.uniform([205, 220, 236], [225, 236, 250]))
                src, mm, kind = (lambda r, w, h, b=blue: self.draw_front(r, w, h, stock=b)), ID1, "id1"
            else:
                kind = "id1" if rng.random() < 0.5 else "id3"
                src, mm = self.pick(rng, kind)
                if max(src.size) < 400:
                    W, H = (1600, 1200) if W > H else (1200, 1600)
            frac = rng.uniform(0.5, 0.8)
            if not callable(src):
                frac = min(frac, 2.5 * max(src.size) / min(W, H))
            img = self.surface(rng, surf, W, H, angle=rng.uniform(0, math.pi))
            q = self.place(rng, W, H, mm, frac)
            side = max(np.linalg.norm(q[1] - q[0]), np.linalg.norm(q[3] - q[0]))
            doc = self.edge(rng, self.doc_raster(rng, src, mm, int(side * 1.1)),
                            rng.uniform(-0.12, -0.03) if rng.random() < 0.6 else rng.uniform(0.02, 0.06))
            self.paste_doc(rng, img, doc, q, shadow=rng.uniform(0.05, 0.3))
            img = self.camera(rng, img, gain=rng.uniform(0.95, 1.1))
            name = "light-%02d-%s.jpg" % (i, surf)
            self.save(rng, img, name)
            self.row(name, "light-desk", kind, "landscape", q, "pass")
        far = ["wood", "light", "dark", "tablecloth", "carpet", "light-grey"]
        for i, surf in enumerate(far):
            rng = R()
            if skip("far-%d-%s.jpg" % (i, surf)):
                continue
            W, H = self.size(rng)
            W, H = max(W, 2016), max(H, 1512)
            kind = "id1" if i % 2 == 0 else "id3"
            src, mm = self.pick(rng, kind)
            px = rng.uniform(250, 480)  # the long edge in the photo
            img, q = self.scene(rng, surf, W, H, src, mm, px / min(W, H), tilt=15)
            img = self.camera(rng, img)
            name = "far-%d-%s.jpg" % (i, surf)
            self.save(rng, img, name)
            self.row(name, "far", kind, "landscape", q, "fail:resolution")
        self.write_truth()
        return len(self.rows)


def main():
    a = parse_args(
        __doc__.split("\n")[0], "mkreal.py", "mrz/ and exif-orientation/",
        seed_help="another draw of the same set's textures and parameter halves "
                  "(default: 1001 for tune, 2002 for heldout)",
        more=lambda ap: ap.add_argument(
            "--extra", action="store_true",
            help="write the extra set instead: cards on light surfaces, cards far away"),
        only_help="draw only these photos (file names as in truth.tsv, or shell patterns: 'no-document-*'), "
                  "the same pixels and truth rows as in the whole set: the others' draws are skipped, not "
                  "changed; a pair's front or back writes both, a duplicate's copy its original too")
    g = Gen(a.set, a.corpus, a.outdir, a.seed, a.only)
    n = g.extra() if a.extra else g.run()
    if g.unknown():
        sys.exit("mkreal.py: no photo of the %s set is %s (truth.tsv of a whole draw lists the names)"
                 % ("extra" if a.extra else a.set, ", ".join(g.unknown())))
    print("mkreal.py: %d photos in %s" % (n, a.outdir))


if __name__ == "__main__":
    main()
