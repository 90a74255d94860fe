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
  mkbad.py heif-huge IN.heic OUT   the HEIC's ispe boxes claiming W x H (argv: W H after OUT)
  mkbad.py tiff-huge OUT.tif W H   a TIFF header claiming W x H RGB (a few bytes of data)
  mkbad.py tiff-pages OUT.tif N    a TIFF of N one-pixel pages
  mkbad.py pdf-page OUT.pdf W H    a one-page PDF whose page is W x H points
  mkbad.py pdf-image OUT.pdf N     an A4 page drawing an image that claims N x N pixels
  mkbad.py cut IN OUT              the first half of IN
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


def tiff(pages):
    """Little-endian TIFF, one IFD per page: 8-bit RGB, one strip of 3
    bytes (whatever the claimed size)."""
    out = bytearray(b"II*\0" + struct.pack("<I", 8))
    for n, (w, h) in enumerate(pages):
        start = len(out)
        entries = [(256, 4, 1, w), (257, 4, 1, h), (258, 3, 1, 8), (259, 3, 1, 1),
                   (262, 3, 1, 2), (273, 4, 1, 0), (277, 3, 1, 3), (278, 4, 1, h),
                   (279, 4, 1, 3)]
        size = 2 + 12 * len(entries) + 4
        data_at = start + size
        last = n == len(pages) - 1
        ifd = struct.pack("<H", len(entries))
        for tag, typ, cnt, val in entries:
            if tag == 273:
                val = data_at
            if typ == 3:
                ifd += struct.pack("<HHIHH", tag, typ, cnt, val, 0)
            else:
                ifd += struct.pack("<HHII", tag, typ, cnt, val)
        ifd += struct.pack("<I", 0 if last else data_at + 4)
        out += ifd + b"\x80\x80\x80\0"
    return bytes(out)


def pdf(w, h, image_side):
    """A one-page PDF with its cross-reference table; with image_side, the
    page draws an image claiming that many pixels a side, whose data is a
    few rows of zeros."""
    content = b"q 595 0 0 842 0 0 cm /Im0 Do Q" if image_side else b"0 0 m 10 10 l S"
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %g %g] /Resources << /XObject << "
            b"/Im0 5 0 R >> >> /Contents 4 0 R >>" % (w, h),
            b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream"]
    if image_side:
        data = zlib.compress(b"\0" * (image_side * 3 * 4))
        objs.append(b"<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceRGB "
                    b"/BitsPerComponent 8 /Filter /FlateDecode /Length %d >>\nstream\n"
                    % (image_side, image_side, len(data)) + data + b"\nendstream")
    else:
        objs.append(b"null")
    out, offs = b"%PDF-1.4\n", []
    for i, o in enumerate(objs):
        offs.append(len(out))
        out += b"%d 0 obj\n" % (i + 1) + o + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offs)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    return out


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
    elif mode == "heif-huge":
        data = bytearray(open(args[0], "rb").read())
        i = data.find(b"ispe")
        assert i > 0, "no ispe box"
        while i > 0:  # every image property of the file
            data[i + 8:i + 16] = struct.pack(">II", int(args[2]), int(args[3]))
            i = data.find(b"ispe", i + 16)
        open(args[1], "wb").write(bytes(data))
    elif mode == "tiff-huge":
        w, h = int(args[1]), int(args[2])
        open(args[0], "wb").write(tiff([(w, h)]))
    elif mode == "tiff-pages":
        open(args[0], "wb").write(tiff([(1, 1)] * int(args[1])))
    elif mode == "pdf-page":
        open(args[0], "wb").write(pdf(float(args[1]), float(args[2]), None))
    elif mode == "pdf-image":
        open(args[0], "wb").write(pdf(595, 842, int(args[1])))
    elif mode == "cut":
        data = open(args[0], "rb").read()
        open(args[1], "wb").write(data[:len(data) // 2])
    else:
        sys.exit(f"mkbad.py: unknown mode {mode!r}")


if __name__ == "__main__":
    main(sys.argv)
