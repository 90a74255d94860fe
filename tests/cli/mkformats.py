#!/usr/bin/env python3
"""Lays photos out on a scanner's page for test_formats.sh: an A4 page at
300 DPI, white, holding the given photos one above the other (each scaled
to WIDTH px wide), saved as a PDF with one JPEG image (PIL). Writing only:
nothing here reads a format idpack reads, except the input photos.

  mkformats.py a4 OUT.pdf WIDTH PHOTO...   the page as a one-image PDF
  mkformats.py a4 OUT.jpg WIDTH PHOTO...   the same page as a JPEG
"""
import sys

from PIL import Image


def a4(out, width, photos):
    page = Image.new("RGB", (2480, 3508), "white")
    y = 240
    for p in photos:
        im = Image.open(p).convert("RGB")
        h = round(im.height * width / im.width)
        page.paste(im.resize((width, h), Image.LANCZOS), (240, y))
        y += h + 240
    if out.endswith(".pdf"):
        page.save(out, resolution=300.0, quality=92)
    else:
        page.save(out, quality=92, dpi=(300, 300))


def main(argv):
    if len(argv) < 5 or argv[1] != "a4":
        sys.exit(__doc__)
    a4(argv[2], int(argv[3]), argv[4:])


if __name__ == "__main__":
    main(sys.argv)
