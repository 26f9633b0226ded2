#!/usr/bin/python3
"""make-seeds.py - writes the committed seed corpora for the fuzz targets.

Only for regenerating them: the build uses the files in corpus/ as they are. The raster seeds
follow the input layout described at the top of fuzz_raster.c; the font seeds are tiny fonts
made with fontTools (Debian: python3-fonttools), one glyf and one CFF.
"""
import math
import os
import struct

HERE = os.path.dirname(os.path.abspath(__file__))


def write(target, name, data):
    d = os.path.join(HERE, "corpus", target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


class RasterSeed:
    def __init__(self, flags, em):
        self.em = em
        self.b = bytearray(struct.pack(">BH", flags, em if flags & 4 else em - 16))
        self.verbs = []

    def glyph(self, px, rot, shear, x, y, frac):
        self.b += struct.pack(">BbbBBB", px - 1, rot, shear, x, y, frac)

    def matrix(self, entries):
        for e in entries:
            if isinstance(e, bytes):
                self.b += e
            else:  # an s16 fraction of the sane range
                self.b += struct.pack(">Bh", 0, max(-32768, min(32767, int(e * 32768))))

    def coord(self, v):
        return struct.pack(">h", max(-32768, min(32767, round(v / self.em * 8192))))

    def verb(self, verb, *pts, raw=False):
        out = bytes([verb | (0x40 if raw else 0)])
        for p in pts:
            out += struct.pack(">ff", *p) if raw else self.coord(p[0]) + self.coord(p[1])
        self.verbs.append(out)

    def bytes(self, tail=b""):
        return bytes(self.b) + struct.pack(">H", len(self.verbs)) + b"".join(self.verbs) + tail


def raster_seeds():
    s = RasterSeed(0, 1000)
    s.glyph(32, 0, 0, 4, 40, 128)
    s.verb(0, (100, 0)), s.verb(1, (700, 0)), s.verb(1, (700, 700)), s.verb(1, (100, 700))
    write("raster", "square", s.bytes())

    s = RasterSeed(0, 2048)
    s.glyph(48, 10, 20, 8, 60, 77)
    n, r = 12, 800
    s.verb(0, (1000 + r, 1000))
    for i in range(n):
        a, h = 2 * math.pi * i / n, math.pi / n
        rc = r / math.cos(h)
        s.verb(2, (1000 + rc * math.cos(a + h), 1000 + rc * math.sin(a + h)),
               (1000 + r * math.cos(a + 2 * h), 1000 + r * math.sin(a + 2 * h)))
    write("raster", "circle-quads", s.bytes())

    s = RasterSeed(0, 1000)
    s.glyph(64, -5, -30, 2, 70, 3)
    s.verb(0, (50, 50)), s.verb(3, (900, -100), (950, 900), (300, 800)), s.verb(2, (-50, 600), (50, 50))
    s.verb(0, (400, 400)), s.verb(1, (400, 500)), s.verb(3, (450, 550), (500, 500), (500, 400))
    write("raster", "cubic-blob-with-hole", s.bytes())

    s = RasterSeed(2, 1000)
    s.matrix([0.25, 0.0, 0.05, -0.25, 0.01, 0.1])
    s.verb(0, (0, 0)), s.verb(1, (500, 0)), s.verb(3, (600, 300), (300, 600), (0, 500))
    write("raster", "raw-matrix", s.bytes())

    s = RasterSeed(2, 1000)
    s.matrix([b"\xf0", 0.0, 0.0, 0.25, 0.0, b"\xf1"])
    s.verb(0, (0, 0)), s.verb(1, (500, 0)), s.verb(1, (0, 500))
    write("raster", "nan-inf-matrix", s.bytes())

    s = RasterSeed(0, 1000)
    s.glyph(40, 0, 0, 10, 50, 0)
    s.verb(0, (0, 0)), s.verb(1, (float("nan"), 3.0), raw=True), s.verb(1, (1e30, -1e30), raw=True)
    s.verb(1, (0, 500))
    write("raster", "nan-points", s.bytes())

    s = RasterSeed(1, 1000)
    s.glyph(40, 0, 0, 10, 50, 0)
    s.verb(0, (0, 0)), s.verb(1, (900, 0)), s.verb(1, (900, 900))
    write("raster", "lying-box", s.bytes(s.coord(0) + s.coord(0) + s.coord(300) + s.coord(300)))

    s = RasterSeed(8, 1000)
    s.glyph(20, 0, 0, 5, 30, 0)
    n = 2049
    for i in range(n):
        a = 2 * math.pi * i / n
        s.verb(0 if i == 0 else 1, (500 + 400 * math.cos(a), 500 + 400 * math.sin(a)))
    write("raster", "too-many-points", s.bytes())


def font_seeds():
    from fontTools.fontBuilder import FontBuilder
    from fontTools.pens.t2CharStringPen import T2CharStringPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen

    def draw(pen, name, cubic):
        if name == ".notdef":
            pen.moveTo((50, 0)), pen.lineTo((450, 0)), pen.lineTo((450, 700)), pen.lineTo((50, 700))
            pen.closePath()
        elif name == "A":
            pen.moveTo((0, 0)), pen.qCurveTo((250, 900), (500, 0)), pen.lineTo((400, 0))
            pen.qCurveTo((250, 600), (100, 0)), pen.closePath()
        elif name == "O" and cubic:
            pen.moveTo((300, 0)), pen.curveTo((600, 0), (600, 700), (300, 700))
            pen.curveTo((0, 700), (0, 0), (300, 0)), pen.closePath()
            pen.moveTo((300, 100)), pen.curveTo((100, 100), (100, 600), (300, 600))
            pen.curveTo((500, 600), (500, 100), (300, 100)), pen.closePath()
        elif name == "O":  # TrueType: implied on-curve points between off-curve ones
            pen.moveTo((300, 0)), pen.qCurveTo((550, 0), (550, 700), (300, 700))
            pen.qCurveTo((50, 700), (50, 0), (300, 0)), pen.closePath()
            pen.moveTo((300, 100)), pen.qCurveTo((150, 100), (150, 600), (300, 600))
            pen.qCurveTo((450, 600), (450, 100), (300, 100)), pen.closePath()

    order = [".notdef", "space", "A", "O"]
    cmap = {0x20: "space", 0x41: "A", 0x4F: "O"}
    metrics = {g: (600, 0) for g in order}
    for cff in (False, True):
        fb = FontBuilder(1000, isTTF=not cff)
        fb.setupGlyphOrder(order)
        fb.setupCharacterMap(cmap)
        if cff:
            glyphs = {}
            for g in order:
                pen = T2CharStringPen(600, None)
                draw(pen, g, True)
                glyphs[g] = pen.getCharString()
            fb.setupCFF("SeedCFF", {"FullName": "Seed CFF"}, glyphs, {})
        else:
            glyphs = {}
            for g in order:
                pen = TTGlyphPen(None)
                draw(pen, g, False)
                glyphs[g] = pen.glyph()
            fb.setupGlyf(glyphs)
        fb.setupHorizontalMetrics(metrics)
        fb.setupHorizontalHeader(ascent=800, descent=-200)
        fb.setupNameTable({"familyName": "Seed", "styleName": "Regular"})
        fb.setupOS2(sTypoAscender=800, sTypoDescender=-200, usWinAscent=800, usWinDescent=200)
        fb.setupPost()
        path = os.path.join(HERE, "corpus", "font", "seed-cff.otf" if cff else "seed-glyf.ttf")
        fb.save(path)
    write("font", "not-a-font", b"OTTO\x00\x01\x00\x00garbage")


if __name__ == "__main__":
    raster_seeds()
    font_seeds()
