#!/usr/bin/env python3
"""Writes the hostile files of the bad-input tests (test_bad_input.sh,
test_valgrind.sh) that the photo generator does not make: decompression
bombs in PNG ancillary chunks, a pixel bomb within the side limit, EXIF
that loops or is huge. Writing only: nothing here parses a format.

  mkbad.py ztxt-bomb OUT.png       zTXt chunk inflating to 256 MB
  mkbad.py iccp-bomb OUT.png       iCCP profile inflating to 256 MB
  mkbad.py plain OUT.png           the same 64x48 PNG without the bomb
  mkbad.py pixel-bomb OUT.png      IHDR 20000x20000 (400 MP, each side allowed)
  mkbad.py exif-loop IN.jpg OUT    an EXIF IFD of 3000 entries pointing to itself
  mkbad.py exif-huge IN.jpg OUT    700 EXIF APP1 segments of 64 KB (~45 MB)
"""
import struct
import sys
import zlib


def chunk(kind, body):
    crc = zlib.crc32(kind + body) & 0xFFFFFFFF
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)


def inflates_to(size):
    c = zlib.compressobj(9)
    block = b"\0" * (1 << 20)
    return b"".join(c.compress(block) for _ in range(size >> 20)) + c.flush()


def png(path, extra=b"", w=64, h=48):
    rows = b"".join(b"\0" + bytes((x * 5 + y) & 255 for x in range(w * 3)) for y in range(h))
    ihdr = chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n" + ihdr + extra + chunk(b"IDAT", zlib.compress(rows))
                + chunk(b"IEND", b""))


def app1(payload):
    return b"\xff\xe1" + struct.pack(">H", len(payload) + 2) + payload


def with_segments(src, dst, segments):
    data = open(src, "rb").read()
    assert data[:2] == b"\xff\xd8", "not a JPEG"
    with open(dst, "wb") as f:
        f.write(data[:2] + b"".join(segments) + data[2:])


def main(argv):
    mode, args = argv[1], argv[2:]
    if mode == "ztxt-bomb":
        png(args[0], chunk(b"zTXt", b"Comment\0\0" + inflates_to(256 << 20)))
    elif mode == "iccp-bomb":
        png(args[0], chunk(b"iCCP", b"bomb\0\0" + inflates_to(256 << 20)))
    elif mode == "plain":
        png(args[0])
    elif mode == "pixel-bomb":
        side = 20000
        ihdr = chunk(b"IHDR", struct.pack(">IIBBBBB", side, side, 8, 2, 0, 0, 0))
        row = b"\0" * (1 + 3 * side)
        with open(args[0], "wb") as f:  # a few real rows, then the end
            f.write(b"\x89PNG\r\n\x1a\n" + ihdr + chunk(b"IDAT", zlib.compress(row * 4))
                    + chunk(b"IEND", b""))
    elif mode == "exif-loop":
        n = 3000
        ifd = struct.pack("<H", n) + struct.pack("<HHII", 0x0112, 3, 1, 6) * n
        ifd += struct.pack("<I", 8)  # the next IFD is this one again
        with_segments(args[0], args[1], [app1(b"Exif\0\0II*\0" + struct.pack("<I", 8) + ifd)])
    elif mode == "exif-huge":
        seg = app1(b"Exif\0\0II*\0\x08\0\0\0" + b"\xff" * 65000)
        with_segments(args[0], args[1], [seg] * 700)
    else:
        sys.exit(f"mkbad.py: unknown mode {mode!r}")


if __name__ == "__main__":
    main(sys.argv)
