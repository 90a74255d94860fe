#!/usr/bin/env python3
"""Writes the crafted photos of tests/cli/test_hostile.sh: inputs inside every
documented limit that once cost seconds to minutes or hundreds of megabytes
(docs/bad-input.md, "Bounded time and memory"). Writing only: nothing here
parses a format.

  mkhostile.py icc-mpet N IN.jpg OUT.jpg     ICC v4 RGB profile, D2B0/D2B1 mpet
                                             tags of N elements all at the same bytes
  mkhostile.py icc-mpet-png N OUT.png        the same in the iCCP of a 64x48 PNG
  mkhostile.py icc-mpet-cmyk N OUT.jpg       a 64x48 CMYK JPEG with a CMYK such profile
                                             (N = 0: the same JPEG without a profile)
  mkhostile.py icc-plain-png OUT.png         the same 64x48 PNG without a profile
  mkhostile.py icc OUT.icc KIND [N]          the profile alone (KIND: rgb-mpet, cmyk-mpet,
                                             rgb-matrix, lut16-big)
  mkhostile.py marker-flood N IN.jpg OUT.jpg N empty APP1 segments (FF E1 00 02) after SOI
  mkhostile.py scans N W H C OUT.jpg         a progressive W x H JPEG of C components
                                             and N+1 scans (the AC scan repeated)
  mkhostile.py png-1bit W H OUT.png          a W x H 1-bit grey PNG (blank)
  mkhostile.py png-rgba-adam7 W H OUT.png    a W x H RGBA Adam7-interlaced PNG (blank)
"""
import struct
import sys
import zlib

D50 = (0.9642, 1.0, 0.8249)


def s15(v):
    return struct.pack(">i", int(round(v * 65536)))


def xyz_tag(x, y, z):
    return b"XYZ \0\0\0\0" + s15(x) + s15(y) + s15(z)


def mluc(text):
    t = text.encode("utf-16-be")
    return b"mluc\0\0\0\0" + struct.pack(">II", 1, 12) + b"enUS" + struct.pack(">II", len(t), 28) + t


def mpet(n, cin, cout):
    """A multiProcessElementsType whose n position-table entries all point at
    one matrix element."""
    m = [1.0 if i % (cin + 1) == 0 else 0.0 for i in range(cin * cout)][: cin * cout]
    elem = b"matf\0\0\0\0" + struct.pack(">HH", cin, cout)
    elem += b"".join(struct.pack(">f", v * 0.5) for v in m) + struct.pack(">f", 0.0) * cout
    off = 16 + 8 * n
    table = struct.pack(">II", off, len(elem)) * n
    return b"mpet\0\0\0\0" + struct.pack(">HHI", cin, cout, n) + table + elem


def profile(tags, space=b"RGB ", cls=b"mntr", version=0x04300000):
    """An ICC profile from (signature, data) pairs; equal data is stored once."""
    count = len(tags)
    pos = 128 + 4 + 12 * count
    table, blob, seen = b"", b"", {}
    for sig, data in tags:
        if data not in seen:
            while (pos + len(blob)) % 4:
                blob += b"\0"
            seen[data] = pos + len(blob)
            blob += data
        table += sig + struct.pack(">II", seen[data], len(data))
    size = pos + len(blob)
    head = struct.pack(">I", size) + b"lcms" + struct.pack(">I", version) + cls + space + b"XYZ "
    head += struct.pack(">6H", 2024, 1, 1, 0, 0, 0) + b"acsp" + b"APPL" + b"\0" * 4
    head += b"\0" * 8 + b"\0" * 8 + struct.pack(">I", 0)
    head += s15(D50[0]) + s15(D50[1]) + s15(D50[2]) + b"lcms" + b"\0" * 16 + b"\0" * 28
    assert len(head) == 128
    return head + struct.pack(">I", count) + table + blob


def rgb_profile(n_mpet):
    curve = b"curv\0\0\0\0" + struct.pack(">IH", 1, 0x0233) + b"\0\0"  # gamma 2.2
    tags = [(b"desc", mluc("crafted")), (b"cprt", mluc("none")), (b"wtpt", xyz_tag(*D50)),
            (b"rXYZ", xyz_tag(0.4361, 0.2225, 0.0139)), (b"gXYZ", xyz_tag(0.3851, 0.7169, 0.0971)),
            (b"bXYZ", xyz_tag(0.1431, 0.0606, 0.7141)), (b"rTRC", curve), (b"gTRC", curve),
            (b"bTRC", curve)]
    if n_mpet:
        tags += [(b"D2B0", mpet(n_mpet, 3, 3)), (b"D2B1", mpet(n_mpet, 3, 3))]
    return profile(tags)


def cmyk_profile(n_mpet):
    tags = [(b"desc", mluc("crafted")), (b"cprt", mluc("none")), (b"wtpt", xyz_tag(*D50)),
            (b"D2B0", mpet(n_mpet, 4, 3)), (b"D2B1", mpet(n_mpet, 4, 3))]
    return profile(tags, space=b"CMYK", cls=b"prtr")


def lut16_big():
    """An RGB profile whose A2B0 lut16 declares a 255^3 grid in a small tag."""
    lut = b"mft2\0\0\0\0" + bytes([3, 3, 255, 0]) + s15(1) + s15(0) * 3 + s15(1) + s15(0) * 3 + s15(1)
    lut += struct.pack(">HH", 2, 2) + b"\0" * 64
    return profile([(b"desc", mluc("crafted")), (b"wtpt", xyz_tag(*D50)), (b"A2B0", lut)])


def icc_segments(icc):
    n = (len(icc) + 65518) // 65519
    out = b""
    for i in range(n):
        part = icc[i * 65519:(i + 1) * 65519]
        body = b"ICC_PROFILE\0" + bytes([i + 1, n]) + part
        out += b"\xff\xe2" + struct.pack(">H", len(body) + 2) + body
    return out


def after_soi(src, extra):
    data = open(src, "rb").read()
    assert data[:2] == b"\xff\xd8"
    return data[:2] + extra + data[2:]


def chunk(kind, body):
    crc = zlib.crc32(kind + body) & 0xFFFFFFFF
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)


def zeros_zlib(n):
    """A zlib stream of n zero bytes, fast: one 1 MiB block compressed after
    a full flush (which resets the compressor) is the same bytes every time,
    so it is written once and repeated."""
    block = b"\0" * (1 << 20)
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    chunk = c.compress(block) + c.flush(zlib.Z_FULL_FLUSH)
    full, rest = divmod(n, len(block))
    tail = c.compress(block[:rest]) + c.flush()
    adler = 1
    for _ in range(full):
        adler = zlib.adler32(block, adler)
    adler = zlib.adler32(block[:rest], adler)
    return b"\x78\xda" + chunk * full + tail + struct.pack(">I", adler)


def png(path, w, h, depth, ctype, interlace, row_bytes, extra=b""):
    # Blank rows: the filter byte and zeros (Adam7 reads the same zeros as
    # more, shorter rows: at most twice as many bytes; the rest is ignored
    # by the decoder's "extra compressed data" rule, which is benign).
    raw_len = h * (1 + row_bytes) if not interlace else h * (1 + row_bytes) * 2
    ihdr = chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, depth, ctype, 0, 0, interlace))
    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n" + ihdr + extra + chunk(b"IDAT", zeros_zlib(raw_len))
                + chunk(b"IEND", b""))


def small_png(path, extra=b""):
    w, h = 64, 48
    rows = b"".join(b"\0" + bytes((x * 5 + y) & 255 for x in range(w * 3)) for y in range(h))
    ihdr = chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n" + ihdr + extra + chunk(b"IDAT", zlib.compress(rows))
                + chunk(b"IEND", b""))


class Bits:
    def __init__(self):
        self.out, self.acc, self.n = bytearray(), 0, 0

    def put(self, code, length):
        for i in range(length - 1, -1, -1):
            self.acc = (self.acc << 1) | ((code >> i) & 1)
            self.n += 1
            if self.n == 8:
                self.out.append(self.acc)
                if self.acc == 0xFF:
                    self.out.append(0)
                self.acc, self.n = 0, 0

    def flush(self):
        while self.n:
            self.put(1, 1)
        return bytes(self.out)


def seg(marker, body):
    return bytes([0xFF, marker]) + struct.pack(">H", len(body) + 2) + body


def progressive(path, scans, w, h, comps):
    """A flat grey progressive JPEG: one DC scan, then `scans` AC scans
    (1..63, Ah=Al=0) cycling over the components; each a run of EOBs."""
    bw, bh = (w + 7) // 8, (h + 7) // 8
    out = [b"\xff\xd8" + seg(0xDB, b"\x00" + b"\x01" * 64)]
    out.append(seg(0xC2, struct.pack(">BHHB", 8, h, w, comps)
               + b"".join(bytes([i + 1, 0x11, 0]) for i in range(comps))))
    # DC table 0: symbol 0 (no difference), code "0".
    out.append(seg(0xC4, b"\x00" + bytes([1] + [0] * 15) + b"\x00"))
    # AC table 0: EOB0..EOB14 (0x00, 0x10, ..., 0xE0), 4-bit codes.
    out.append(seg(0xC4, b"\x10" + bytes([0, 0, 0, 15] + [0] * 12) + bytes(i << 4 for i in range(15))))
    out.append(seg(0xDA, bytes([comps]) + b"".join(bytes([i + 1, 0]) for i in range(comps)) + b"\x00\x00\x00"))
    # one "0" bit per block: whole zero bytes, then the last bits
    n = bw * bh * comps
    b = Bits()
    b.out = bytearray(n // 8)
    for _ in range(n % 8):
        b.put(0, 1)
    out.append(b.flush())
    for s in range(scans):
        out.append(seg(0xDA, bytes([1, s % comps + 1, 0]) + b"\x01\x3f\x00"))
        b, left = Bits(), bw * bh
        while left:
            r = min(left, 32767)
            k = r.bit_length() - 1
            b.put(k, 4)
            b.put(r - (1 << k), k)
            left -= r
        out.append(b.flush())
    with open(path, "wb") as f:
        f.write(b"".join(out) + b"\xff\xd9")


def main(a):
    what = a[0]
    if what == "icc-mpet":
        open(a[3], "wb").write(after_soi(a[2], icc_segments(rgb_profile(int(a[1])))))
    elif what == "icc-mpet-png":
        icc = rgb_profile(int(a[1]))
        small_png(a[2], chunk(b"iCCP", b"crafted\0\0" + zlib.compress(icc, 9)))
    elif what == "icc-plain-png":
        small_png(a[1])
    elif what == "icc-mpet-cmyk":
        from PIL import Image
        import io
        im = Image.new("CMYK", (64, 48))
        im.putdata([((x * 4) & 255, (y * 5) & 255, 40, 10) for y in range(48) for x in range(64)])
        buf = io.BytesIO()
        im.save(buf, "JPEG", quality=90)
        data = buf.getvalue()
        icc = icc_segments(cmyk_profile(int(a[1]))) if int(a[1]) > 0 else b""
        open(a[2], "wb").write(data[:2] + icc + data[2:])
    elif what == "icc":
        kind, n = a[2], int(a[3]) if len(a) > 3 else 50
        icc = {"rgb-mpet": lambda: rgb_profile(n), "cmyk-mpet": lambda: cmyk_profile(n),
               "rgb-matrix": lambda: rgb_profile(0), "lut16-big": lut16_big}[kind]()
        open(a[1], "wb").write(icc)
    elif what == "marker-flood":
        open(a[3], "wb").write(after_soi(a[2], b"\xff\xe1\x00\x02" * int(a[1])))
    elif what == "scans":
        progressive(a[5], int(a[1]), int(a[2]), int(a[3]), int(a[4]))
    elif what == "png-1bit":
        w, h = int(a[1]), int(a[2])
        png(a[3], w, h, 1, 0, 0, (w + 7) // 8)
    elif what == "png-rgba-adam7":
        w, h = int(a[1]), int(a[2])
        png(a[3], w, h, 8, 6, 1, w * 4)
    else:
        sys.exit("unknown: " + what)


if __name__ == "__main__":
    main(sys.argv[1:])
