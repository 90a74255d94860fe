#!/usr/bin/env python3
"""Test photos for the colour and screenshot checks (docs/checks.md).

Usage: mkcolour.py SHARP_PNG OUTDIR

SHARP_PNG is the good synthetic card photo made by mkphotos.c (sharp.png).
Writes, without any EXIF:
  sepia.jpg         sharp.png through the classic sepia filter, q85
  sepia-scan.jpg    the card alone (a scan), toned dark brown to cream, q75
  cyanotype.jpg     the card photo toned in one blue hue, q85
  bw-cast.jpg       black-and-white photo of a copy under warm light (chroma
                    proportional to luma), sensor noise, q80
  sepia-photo.jpg   a sepia print on a grey table photographed by a colour
                    camera (chroma noise in every channel), q85
  greydoc.jpg       COLOUR photo of a grey card on a grey desk with a small
                    skin-tone portrait and a red seal, sensor noise, q85
  wooddoc.jpg       COLOUR photo of a grey card (grey portrait) on a wooden
                    desk: one hue only besides grey (measured, see docs)
  cam-1080x1920.jpg camera-like photos of the card at screen sizes: sensor
  cam-2160x3840.jpg noise (shot + read), vignetting, slight optical blur,
  cam-1280x720.jpg  JPEG; messaging apps strip their EXIF like this
  screen-ios.png    1170x2532 iPhone screenshot: white status bar (clock,
                    signal, battery), the card photo, a home indicator
  screen-android.png 1080x2400 dark Android screenshot: black status bar,
                    the card photo in a viewer, 3-button navigation bar
  screen-ios.jpg    screen-ios.png saved as a q90 JPEG (as a messaging app
                    sends it)
  dark.jpg          greydoc.jpg's colour scene at 1/10 of the light (luma
                    < 32 nearly everywhere): its colour still shows
  dark-bw.jpg       a black-and-white photo at 1/10 of the light: too dark
                    to tell colour from grey
Deterministic (fixed seeds).
"""
import os
import sys

import numpy as np
from PIL import Image, ImageDraw, ImageFilter


def luma(a):
    return 0.299 * a[..., 0] + 0.587 * a[..., 1] + 0.114 * a[..., 2]


def save_jpg(a, path, q):
    Image.fromarray(np.clip(np.rint(a), 0, 255).astype(np.uint8), "RGB").save(
        path, "JPEG", quality=q, subsampling=2)


def camera(a, rng, read=1.2, shot=0.12, vignette=0.25, blur=0.6):
    """A camera's rendering of a scene (float RGB 0..255): vignetting, a
    little optical blur, shot noise (variance grows with the signal) and
    read noise, per channel (so the noise has chroma too)."""
    h, w = a.shape[:2]
    yy, xx = np.mgrid[0:h, 0:w]
    r2 = ((xx - w / 2) / (w / 2)) ** 2 + ((yy - h / 2) / (h / 2)) ** 2
    a = a * (1.0 - vignette * r2 / 2)[..., None]
    if blur > 0:
        img = Image.fromarray(np.clip(a, 0, 255).astype(np.uint8), "RGB")
        a = np.asarray(img.filter(ImageFilter.GaussianBlur(blur))).astype(np.float64)
    sigma = np.sqrt(read ** 2 + shot * np.maximum(a, 0))
    return a + rng.normal(0.0, 1.0, a.shape) * sigma


def toned(y, dark, mid, light):
    """Maps luma 0..255 through a one-hue tone curve dark -> mid -> light."""
    t = (y / 255.0)[..., None]
    d, m, li = (np.array(c, dtype=np.float64) for c in (dark, mid, light))
    lo = d + (m - d) * np.clip(t * 2, 0, 1)
    return np.where(t < 0.5, lo, m + (li - m) * np.clip(t * 2 - 1, 0, 1))


def fit(img, w, h):
    """Scales and centre-crops img to fill w x h."""
    s = max(w / img.width, h / img.height)
    img = img.resize((round(img.width * s), round(img.height * s)), Image.LANCZOS)
    x0, y0 = (img.width - w) // 2, (img.height - h) // 2
    return img.crop((x0, y0, x0 + w, y0 + h))


def card_scene(w, h, desk, rng, portrait_rgb=None, seal=True):
    """A grey ID card on a desk, as a float RGB scene."""
    a = np.empty((h, w, 3))
    a[:] = desk
    cw, ch = int(w * 0.72), int(w * 0.72 / 1.586)
    x0, y0 = (w - cw) // 2, (h - ch) // 2
    img = Image.new("RGB", (w, h))
    img.paste(Image.fromarray(np.clip(a, 0, 255).astype(np.uint8)))
    d = ImageDraw.Draw(img)
    d.rounded_rectangle((x0, y0, x0 + cw, y0 + ch), radius=cw // 30, fill=(206, 206, 204))
    d.rectangle((x0, y0 + ch // 12, x0 + cw, y0 + ch // 5), fill=(120, 120, 120))
    for i in range(7):  # text lines
        ty = y0 + ch // 4 + i * ch // 11
        d.rectangle((x0 + cw * 2 // 5, ty, x0 + cw * 2 // 5 + cw // 3 - (i % 3) * cw // 12,
                     ty + ch // 30), fill=(45, 45, 48))
    px0, py0 = x0 + cw // 20, y0 + ch // 4
    pw, ph = cw // 4, ch * 3 // 5
    d.rectangle((px0, py0, px0 + pw, py0 + ph), fill=(170, 172, 175))
    face = portrait_rgb if portrait_rgb is not None else (150, 150, 150)
    hair = (70, 50, 35) if portrait_rgb is not None else (60, 60, 60)
    d.ellipse((px0 + pw // 5, py0 + ph // 12, px0 + pw * 4 // 5, py0 + ph * 2 // 3), fill=hair)
    d.ellipse((px0 + pw // 4, py0 + ph // 6, px0 + pw * 3 // 4, py0 + ph * 2 // 3), fill=face)
    d.rectangle((px0 + pw // 8, py0 + ph * 3 // 4, px0 + pw * 7 // 8, py0 + ph), fill=(60, 62, 70))
    for i in range(2):  # machine-readable zone
        ty = y0 + ch * 4 // 5 + i * ch // 12
        d.rectangle((x0 + cw // 20, ty, x0 + cw * 19 // 20, ty + ch // 28), fill=(40, 40, 40))
    if seal:
        sx, sy, r = x0 + cw * 4 // 5, y0 + ch * 3 // 5, ch // 9
        d.ellipse((sx - r, sy - r, sx + r, sy + r), outline=(190, 30, 35), width=max(2, r // 6))
        d.ellipse((sx - r // 2, sy - r // 2, sx + r // 2, sy + r // 2), fill=(190, 30, 35))
    return np.asarray(img).astype(np.float64)


def wood(w, h, rng):
    yy, xx = np.mgrid[0:h, 0:w]
    grain = np.sin(yy / h * 60 + 3 * np.sin(xx / w * 7)) * 0.5 + 0.5
    base = np.array([150, 100, 60.0])
    return base * (0.8 + 0.3 * grain)[..., None]


def status_bar(d, w, h0, fg, scale):
    """Clock at the left, signal bars and a battery at the right."""
    s = scale
    x = 50 * s // 3
    for ch in "941":  # blocky digits: vertical strokes and a colon
        d.rectangle((x, 20 * s, x + 6 * s, 36 * s), fill=fg)
        d.rectangle((x + 12 * s, 20 * s, x + 18 * s, 36 * s), fill=fg)
        d.rectangle((x, 20 * s, x + 18 * s, 23 * s), fill=fg)
        x += 26 * s
        if ch == "9":
            d.rectangle((x - 4 * s, 24 * s, x - 1 * s, 27 * s), fill=fg)
            d.rectangle((x - 4 * s, 31 * s, x - 1 * s, 34 * s), fill=fg)
            x += 4 * s
    xr = w - 30 * s
    d.rounded_rectangle((xr - 26 * s, 22 * s, xr, 34 * s), radius=3 * s, fill=fg)  # battery
    for i in range(4):  # signal bars
        bx = xr - 70 * s + i * 7 * s
        d.rectangle((bx, (32 - 3 * i) * s, bx + 4 * s, 35 * s), fill=fg)


def screenshot_ios(photo, path):
    w, h = 1170, 2532
    img = Image.new("RGB", (w, h), (255, 255, 255))
    d = ImageDraw.Draw(img)
    status_bar(d, w, 141, (0, 0, 0), 3)
    d.rectangle((0, 141, w, 300), fill=(247, 247, 247))  # toolbar
    d.rectangle((40, 190, 90, 250), fill=(10, 132, 255))  # back chevron
    d.rectangle((w // 2 - 150, 200, w // 2 + 150, 240), fill=(0, 0, 0))  # title
    ph = round(w / photo.width * photo.height)
    img.paste(photo.resize((w, ph), Image.LANCZOS), (0, 520))
    d.rectangle((0, h - 300, w, h), fill=(247, 247, 247))  # tab bar
    for i in range(4):
        d.rectangle((90 + i * 290, h - 270, 150 + i * 290, h - 210), fill=(140, 140, 145))
    d.rounded_rectangle((w // 2 - 201, h - 36, w // 2 + 201, h - 21), radius=7, fill=(0, 0, 0))
    img.save(path)


def screenshot_android(photo, path):
    w, h = 1080, 2400
    img = Image.new("RGB", (w, h), (0, 0, 0))
    d = ImageDraw.Draw(img)
    status_bar(d, w, 72, (255, 255, 255), 2)
    ph = round(w / photo.width * photo.height)
    img.paste(photo.resize((w, ph), Image.LANCZOS), (0, (h - ph) // 2))
    d.rectangle((0, h - 132, w, h), fill=(18, 18, 18))  # navigation bar
    cy = h - 66
    d.polygon([(w // 4 + 20, cy - 22), (w // 4 + 20, cy + 22), (w // 4 - 18, cy)], fill=(230, 230, 230))
    d.ellipse((w // 2 - 22, cy - 22, w // 2 + 22, cy + 22), outline=(230, 230, 230), width=5)
    d.rectangle((w * 3 // 4 - 20, cy - 20, w * 3 // 4 + 20, cy + 20), outline=(230, 230, 230), width=5)
    img.save(path)


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: mkcolour.py SHARP_PNG OUTDIR")
    src, out = sys.argv[1], sys.argv[2]
    os.makedirs(out, exist_ok=True)
    rng = np.random.default_rng(20261203)
    photo = Image.open(src).convert("RGB")
    a = np.asarray(photo).astype(np.float64)
    y = luma(a)

    sep = np.stack([a @ np.array(c) for c in ((0.393, 0.769, 0.189), (0.349, 0.686, 0.168),
                                              (0.272, 0.534, 0.131))], axis=-1)
    save_jpg(sep, os.path.join(out, "sepia.jpg"), 85)
    w, h = photo.size
    card = y[int(h * 0.16):int(h * 0.84), int(w * 0.11):int(w * 0.89)]
    save_jpg(toned(card, (40, 25, 15), (150, 115, 80), (250, 240, 220)),
             os.path.join(out, "sepia-scan.jpg"), 75)
    save_jpg(toned(y, (10, 25, 60), (60, 110, 170), (235, 245, 255)),
             os.path.join(out, "cyanotype.jpg"), 85)
    warm = y[..., None] * np.array([1.06, 1.0, 0.86])
    save_jpg(camera(warm, rng), os.path.join(out, "bw-cast.jpg"), 80)
    table = np.empty((2000, 3000, 3))
    table[:] = (105, 105, 108)
    ty, tx = (2000 - card.shape[0]) // 2, (3000 - card.shape[1]) // 2
    table[ty:ty + card.shape[0], tx:tx + card.shape[1]] = toned(
        card, (40, 25, 15), (150, 115, 80), (250, 240, 220))
    save_jpg(camera(table, rng), os.path.join(out, "sepia-photo.jpg"), 85)

    scene = card_scene(3000, 2000, (118, 118, 120), rng, portrait_rgb=(224, 172, 140))
    save_jpg(camera(scene, rng), os.path.join(out, "greydoc.jpg"), 85)
    scene = card_scene(3000, 2000, (0, 0, 0), rng, seal=False)
    mask = (scene.sum(axis=2) == 0)[..., None]
    scene = np.where(mask, wood(3000, 2000, rng), scene)
    save_jpg(camera(scene, rng), os.path.join(out, "wooddoc.jpg"), 85)

    for (cw, ch, q, read) in ((1080, 1920, 90, 1.5), (2160, 3840, 92, 1.0), (1280, 720, 85, 1.5)):
        frame = fit(photo if cw > ch else photo.rotate(90, expand=True), cw, ch)
        f = np.asarray(frame).astype(np.float64)
        save_jpg(camera(f, rng, read=read), os.path.join(out, f"cam-{cw}x{ch}.jpg"), q)

    screenshot_ios(photo, os.path.join(out, "screen-ios.png"))
    screenshot_android(photo, os.path.join(out, "screen-android.png"))
    Image.open(os.path.join(out, "screen-ios.png")).save(
        os.path.join(out, "screen-ios.jpg"), "JPEG", quality=90)

    rng = np.random.default_rng(20261204)  # its own: the photos above stay as they were
    scene = card_scene(3000, 2000, (118, 118, 120), rng, portrait_rgb=(224, 172, 140))
    save_jpg(camera(scene * 0.1, rng), os.path.join(out, "dark.jpg"), 85)
    # the black-and-white filter runs after the sensor: its noise is grey too
    grey_dark = camera(np.repeat(y[..., None], 3, axis=2) * 0.1, rng)[..., 1:2]
    save_jpg(np.repeat(grey_dark, 3, axis=2), os.path.join(out, "dark-bw.jpg"), 85)


if __name__ == "__main__":
    main()
