#!/usr/bin/env python3
"""Screenshots against stored references, with a tolerance. A pixel differs when one of its
channels is more than THRESHOLD levels off; a screenshot matches when at most `limit` of the
pixels compared differ. Regions are (x, y, w, h) rectangles left out of that count:
  - masks: known to vary (a date, a blinking caret), not compared at all;
  - inked: drawn differently each run (handwriting from a random seed), compared only by how
    much ink they hold, which must be within INK_TOLERANCE of the reference's.
On a mismatch a diff image is written: the screenshot faded, differing pixels red, regions
outlined blue.

ImageMagick (`convert`, installed by scripts/setup with `import`, which takes the screenshots)
decodes and encodes the PNGs; the comparison itself is plain Python.
    shotcompare.py SHOT REFERENCE [X,Y,W,H | ink:X,Y,W,H ...]
prints the share of differing pixels and writes SHOT-diff.png.
"""
import collections
import os
import struct
import subprocess
import sys

# 48 of 255 levels: a blend or anti-aliased edge a little off (another renderer backend, a glyph
# a fraction of a pixel over) stays under it; text, lines, QR modules and buttons' borders that
# moved, changed colour or went missing are well over it. Faint fills (white on the cream
# background, 24 levels apart) are under it too: their borders and labels are what counts.
THRESHOLD = 48
# 0.02 % of 1280x800 is 205 pixels, fewer than the ink of one short label ("Blau", "Back": 260
# to 360 pixels over the threshold). The same code draws the same pixels outside the regions
# (0 differing in every run measured), so the limit is only a margin for a few stray pixels.
LIMIT = 0.0002
# Handwriting with another seed takes other shapes but about the same ink (measured within 2 %);
# a missing or extra line or word changes it by far more.
INK_TOLERANCE = 0.15

RED, BLUE = b"\xff\x00\x00", b"\x00\x00\xff"
# The screenshot under the diff, faded to its upper half so red stands out and it still reads.
FADE = bytes(128 + v // 2 for v in range(256))


class Mismatch(Exception):
    pass


def png_size(path):
    """Width and height from a PNG's header (no decoding)."""
    with open(path, "rb") as f:
        head = f.read(24)
    if len(head) < 24 or head[:8] != b"\x89PNG\r\n\x1a\n" or head[12:16] != b"IHDR":
        raise Mismatch(f"{path} is not a PNG")
    return struct.unpack(">II", head[16:24])


def pixels(path):
    """(width, height, RGB bytes) of a PNG of any depth or colour type."""
    w, h = png_size(path)
    r = subprocess.run(["convert", path, "-alpha", "off", "-depth", "8", "rgb:-"],
                       capture_output=True)
    if r.returncode != 0 or len(r.stdout) != w * h * 3:
        raise Mismatch(f"convert could not decode {path}: {r.stderr.decode(errors='replace')}")
    return w, h, r.stdout


def write_png(path, w, h, rgb):
    subprocess.run(["convert", "-size", f"{w}x{h}", "-depth", "8", "rgb:-", "-strip", path],
                   input=bytes(rgb), check=True, capture_output=True)


def unmasked_spans(w, h, masks):
    """For each row, the [x0, x1) runs of pixels that no mask covers."""
    rows = [[(0, w)] for _ in range(h)]
    for mx, my, mw, mh in masks:
        for y in range(max(my, 0), min(my + mh, h)):
            cut = []
            for x0, x1 in rows[y]:
                cut += [s for s in ((x0, min(x1, mx)), (max(x0, mx + mw), x1)) if s[0] < s[1]]
            rows[y] = cut
    return rows


def far(a, i, b, j):
    """Whether the pixels at byte offsets i of a and j of b differ by more than THRESHOLD."""
    return max(abs(a[i] - b[j]), abs(a[i + 1] - b[j + 1]), abs(a[i + 2] - b[j + 2])) > THRESHOLD


def differing(w, h, a, b, masks):
    """The (x, y) of differing pixels outside the masks, and how many pixels were compared."""
    found, compared, stride = [], 0, 3 * w
    for y, spans in enumerate(unmasked_spans(w, h, masks)):
        for x0, x1 in spans:
            compared += x1 - x0
            s, e = y * stride + 3 * x0, y * stride + 3 * x1
            if a[s:e] == b[s:e]:
                continue  # most runs are identical: skip them at C speed
            found += [((i - s) // 3 + x0, y) for i in range(s, e, 3) if far(a, i, b, i)]
    return found, compared


def ink(w, rgb, region):
    """How many pixels of region differ from its most common colour (the paper) by more than
    THRESHOLD."""
    x, y, rw, rh = region
    rows = [rgb[3 * ((y + j) * w + x):3 * ((y + j) * w + x + rw)] for j in range(rh)]
    paper = collections.Counter(r[i:i + 3] for r in rows for i in range(0, 3 * rw, 3))
    p = paper.most_common(1)[0][0]
    return sum(far(r, i, p, 0) for r in rows for i in range(0, 3 * rw, 3))


def diff_image(w, h, shot, found, regions):
    out = bytearray(shot.translate(FADE))
    for x, y in found:
        out[3 * (y * w + x):3 * (y * w + x) + 3] = RED
    for mx, my, mw, mh in regions:
        x0, y0, x1, y1 = max(mx, 0), max(my, 0), min(mx + mw, w) - 1, min(my + mh, h) - 1
        edge = [(x, y) for x in range(x0, x1 + 1) for y in (y0, y1)]
        edge += [(x, y) for y in range(y0, y1 + 1) for x in (x0, x1)]
        for x, y in edge:
            out[3 * (y * w + x):3 * (y * w + x) + 3] = BLUE
    return out


def load(shot_path, ref_path):
    """(w, h, shot pixels, reference pixels); Mismatch when the sizes differ."""
    w, h, shot = pixels(shot_path)
    rw, rh, ref = pixels(ref_path)
    if (w, h) != (rw, rh):
        raise Mismatch(f"the screenshot {shot_path} is {w}x{h}, its reference {ref_path} {rw}x{rh}")
    return w, h, shot, ref


def problems(w, h, shot, ref, masks, inked, limit):
    """(share of differing pixels, their positions, what is wrong: a list of sentences)."""
    found, compared = differing(w, h, shot, ref, list(masks) + list(inked))
    got = len(found) / max(compared, 1)
    wrong = []
    if got > limit:
        wrong.append(f"{got:.3%} of the pixels differ from the reference by more than "
                     f"{THRESHOLD} levels, limit {limit:.3%}")
    for r in inked:
        a, b = ink(w, shot, r), ink(w, ref, r)
        if abs(a - b) > INK_TOLERANCE * b:
            wrong.append(f"the handwriting in {r} has {a} pixels of ink, the reference {b} "
                         f"(within {INK_TOLERANCE:.0%})")
    return got, found, wrong


def check(screen, shot_path, ref_path, masks=(), inked=(), limit=LIMIT, diff_paths=()):
    """The share of differing pixels when the screenshot matches. Otherwise the diff image goes
    to each of diff_paths and Mismatch names the screen, what differs and the first diff path."""
    try:
        w, h, shot, ref = load(shot_path, ref_path)
    except Mismatch as e:
        raise Mismatch(f"screen {screen}: {e}") from None
    got, found, wrong = problems(w, h, shot, ref, masks, inked, limit)
    if not wrong:
        return got
    rgb = diff_image(w, h, shot, found, list(masks) + list(inked))
    for path in diff_paths:
        os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
        write_png(path, w, h, rgb)
    where = diff_paths[0] if diff_paths else "(not written)"
    raise Mismatch(f"screen {screen} ({ref_path}): {'; '.join(wrong)}; diff image (red: "
                   f"differing, blue: regions not compared pixel by pixel) at {where}")


def main(argv):
    if len(argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    regions = {"": [], "ink": []}
    for arg in argv[3:]:
        kind, _, rect = arg.rpartition(":")
        regions[kind].append(tuple(int(n) for n in rect.split(",")))
    try:
        w, h, shot, ref = load(argv[1], argv[2])
    except Mismatch as e:
        print(e, file=sys.stderr)
        return 1
    got, found, wrong = problems(w, h, shot, ref, regions[""], regions["ink"], LIMIT)
    diff = os.path.splitext(argv[1])[0] + "-diff.png"
    write_png(diff, w, h, diff_image(w, h, shot, found, regions[""] + regions["ink"]))
    for r in regions["ink"]:
        print(f"ink in {r}: {ink(w, shot, r)}, reference {ink(w, ref, r)}")
    print(f"{got:.4%} differ ({len(found)} pixels); diff image {diff}")
    print("; ".join(wrong) or "matches")
    return 1 if wrong else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
