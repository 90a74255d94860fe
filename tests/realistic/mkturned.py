#!/usr/bin/env python3
"""Turns a drawn set (mkreal.py / mkscans.py output, or the corpus with corpus-truth.tsv) by
90/180/270 degrees and/or mirrors it, with its truth: the same photos as a phone whose EXIF a
messaging app stripped would send them (the pixels themselves turned).

  mkturned.py SRC OUT --turn K [--mirror] [--truth FILE]
  mkturned.py --compare LABEL=RESULT.json ...


K counts quarter turns counter-clockwise (0-3); --mirror flips left-right after the turn. The
EXIF orientation tag of a photo is applied first (its truth is on the photo as shown) and then
dropped; the rest of the EXIF (camera, date) is kept. truth.tsv's quads are mapped with the
pixels (the corner order stays that of the document: IoU does not depend on it).
--compare reads evaluate.py --json results of the same set in several orientations and prints,
for each, documents found, wrong quads (with their IoU) and verdicts right, then the photos whose
outcome (quad none/correct/wrong, or the verdict) is not the same in all of them. Used by
docs/detection.md "Round 9: turned photos" and "Round 10: turned photos"; evaluate.py judges OUT like any set.
"""
import argparse
import json
import os
import sys

from PIL import Image, ImageOps


def map_point(x, y, w, h, turn, mirror):
    """(x, y) on a w x h photo -> the same point after `turn` CCW quarter turns, then a mirror."""
    for _ in range(turn):
        x, y, w, h = y, w - x, h, w
    if mirror:
        x = w - x
    return x, y


def turn_image(im, turn, mirror):
    for _ in range(turn):
        im = im.transpose(Image.ROTATE_90)
    if mirror:
        im = im.transpose(Image.FLIP_LEFT_RIGHT)
    return im


def exif_bytes(exif):
    """The EXIF to write. PIL cannot write back image data stored in several strips (some
    of the corpus's photos hold such tags): then the camera's tags alone (IFD0 without the
    strip and thumbnail pointers, and its Exif sub-IFD)."""
    try:
        return exif.tobytes()
    except NotImplementedError:
        bare = Image.Exif()
        drop = (0x0111, 0x0116, 0x0117, 0x0201, 0x0202, 0x8769, 0x8825)  # strips, thumbnail, IFDs
        for k, v in exif.items():
            if k not in drop:  # the Exif sub-IFD is added back below
                bare[k] = v
        sub = exif.get_ifd(0x8769)
        if sub:
            bare[0x8769] = dict(sub)
        return bare.tobytes()


def compare(args):
    """Per orientation: found, wrong quads, verdicts; then the photos whose outcome differs."""
    outcome = {}
    for arg in args:
        label, _, path = arg.partition("=")
        with open(path) as f:
            photos = json.load(f)["photos"]
        found = sum(p["quad_result"] == "correct" for p in photos)
        wrong = ["%s %.2f" % (p["file"], p["iou"] or 0) for p in photos if p["quad_result"] == "wrong"]
        right = sum(bool(p["verdict_ok"]) for p in photos)
        print("%-10s found %d  wrong %d  verdicts %d/%d  %s"
              % (label, found, len(wrong), right, len(photos), "; ".join(wrong)))
        for p in photos:
            outcome.setdefault(p["file"], {})[label] = (p["quad_result"], bool(p["verdict_ok"]))
    differ = [k for k, v in outcome.items() if len(set(v.values())) > 1]
    print("photos whose outcome differs: %d" % len(differ))
    for k in differ:
        print("  %s  %s" % (k, "  ".join("%s:%s/%s" % (lb, q, "ok" if ok else "wrong-verdict")
                                          for lb, (q, ok) in outcome[k].items())))
    return 0


def main():
    if len(sys.argv) > 1 and sys.argv[1] == "--compare":
        return compare(sys.argv[2:])
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("src")
    ap.add_argument("out")
    ap.add_argument("--turn", type=int, default=1, choices=range(4))
    ap.add_argument("--mirror", action="store_true")
    ap.add_argument("--truth", help="truth file (default: SRC/truth.tsv)")
    a = ap.parse_args()
    lines = open(a.truth or os.path.join(a.src, "truth.tsv")).read().splitlines()
    out, head = [], None
    for line in lines:
        if head is None or not line.strip() or line.startswith("#"):
            out.append(line)  # comments, and the header: the first other line
            head = head or (None if not line.strip() or line.startswith("#") else line)
            continue
        c = line.split("\t")
        path = os.path.join(a.src, c[0])
        im = Image.open(path)
        fmt = im.format
        exif = im.getexif()
        im = ImageOps.exif_transpose(im)
        w, h = im.size
        r = turn_image(im, a.turn, a.mirror)
        dst = os.path.join(a.out, c[0])
        os.makedirs(os.path.dirname(dst), exist_ok=True)
        kw = {}
        if fmt == "JPEG":
            kw["quality"] = 92
            if len(exif):
                exif[0x0112] = 1  # the pixels are upright as shown: no orientation tag to apply
                kw["exif"] = exif_bytes(exif)
        r.save(dst, format=fmt, **kw)
        if c[4] != "-":
            v = [float(t) for t in c[4].split()]
            q = [map_point(v[i], v[i + 1], w, h, a.turn, a.mirror) for i in range(0, 8, 2)]
            c[4] = " ".join("%.1f" % t for p in q for t in p)
        out.append("\t".join(c))
    with open(os.path.join(a.out, "truth.tsv"), "w") as f:
        f.write("\n".join(out) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
