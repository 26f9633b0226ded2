/* fuzz_raster.c - libFuzzer target: outlines and transforms built from the input bytes.
 *
 * Input layout (everything optional: missing bytes read as 0):
 *   u8 flags   bit0 control box from the input, not computed; bit1 transform from six raw
 *              entries, not geom_affine_glyph(); bit2 units_per_em raw (may be 0 or huge);
 *              bit3 up to 2200 verbs (past OUTLINE_MAX_*); bit4 point count skewed by an s8;
 *              bit5 a NULL verbs (bit6 clear) or points (bit6 set) array; bit7 box coordinates
 *              as raw float bits
 *   u16 units_per_em
 *   transform  glyph: u8 px, s8 rotation (degrees), s8 shear (/128), u8 x, u8 y, u8 fraction
 *              raw:   six entries, each a u8 selector: 0xF0 NaN, 0xF1 +Inf, 0xF2 -Inf, 0xF3 0,
 *                     0xF4 1e300, 0xF5 DBL_MAX, 0xF6 4096, 0xF7 1e-300, 0xF8.. raw double bits
 *                     from 8 bytes; else an s16 scaled to a sane range
 *   u16 verb count
 *   per verb   u8: verb = low 2 bits (0xFC..0xFF: that value, an unknown verb); bit6 points as
 *              raw float bits (4 bytes each), else s16 scaled to +-4 ems
 *   [4 box coordinates when flags bit0]
 *
 * Checks, beyond ASan/UBSan: raster_glyph_box() accepts only boxes within the limits; an outline
 * outline_check() accepts renders; coverage stays inside the transformed control box (and
 * within box area * 255); a second begin/add/sweep on the same rasterizer gives the same
 * bytes (the accumulator was reset) and leaves a wider stride's padding alone; refused calls
 * leave no coverage behind; the architecture's baseline edge engine draws the same bytes as
 * the one raster_create() picks (AVX2 on x86 where the CPU has it). All of it in the rows and
 * in the columns layout.
 */
#include "likeletter/geom.h"
#include "likeletter/outline.h"
#include "likeletter/raster.h"

#include "../../kiosk/text/raster-private.h" /* both layouts of the accumulation */

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef struct input {
    const uint8_t *p;
    size_t n;
} input_t;

static uint8_t take_u8(input_t *in)
{
    if (in->n == 0) {
        return 0;
    }
    in->n--;
    return *in->p++;
}

static uint16_t take_u16(input_t *in)
{
    uint16_t hi = take_u8(in);
    return (uint16_t)(hi << 8 | take_u8(in));
}

static uint32_t take_u32(input_t *in)
{
    uint32_t hi = take_u16(in);
    return hi << 16 | take_u16(in);
}

static float take_raw_float(input_t *in)
{
    uint32_t bits = take_u32(in);
    float f;
    memcpy(&f, &bits, sizeof f);
    return f;
}

static float take_coord(input_t *in, bool raw, double em)
{
    if (raw) {
        return take_raw_float(in);
    }
    return (float)((int16_t)take_u16(in) / 8192.0 * em);
}

static double take_entry(input_t *in, double sane)
{
    uint8_t sel = take_u8(in);
    switch (sel) {
    case 0xF0:
        return NAN;
    case 0xF1:
        return INFINITY;
    case 0xF2:
        return -INFINITY;
    case 0xF3:
        return 0;
    case 0xF4:
        return 1e300;
    case 0xF5:
        return DBL_MAX;
    case 0xF6:
        return 4096;
    case 0xF7:
        return 1e-300;
    default:
        break;
    }
    if (sel >= 0xF8) {
        uint64_t bits = (uint64_t)take_u32(in) << 32 | take_u32(in);
        double d;
        memcpy(&d, &bits, sizeof d);
        return d;
    }
    return (int16_t)take_u16(in) / 32768.0 * sane;
}

static void fail(const char *what)
{
    fprintf(stderr, "fuzz_raster: %s\n", what);
    abort();
}

static geom_affine_t take_transform(input_t *in, uint8_t flags, double em)
{
    if (flags & 2) {
        double s = 128.0 / em; /* up to 128 px per em */
        geom_affine_t m;
        m.xx = take_entry(in, s), m.yx = take_entry(in, s);
        m.xy = take_entry(in, s), m.yy = take_entry(in, s);
        m.x0 = take_entry(in, 512), m.y0 = take_entry(in, 512);
        return m;
    }
    double px = 1 + take_u8(in) % 128;
    double rot = (int8_t)take_u8(in);
    double shear = (int8_t)take_u8(in) / 128.0;
    double x = take_u8(in), y = take_u8(in), frac = take_u8(in) / 256.0;
    return geom_affine_glyph(em, px, rot, shear, x + frac, y + frac);
}

static const uint8_t verb_points[4] = {1, 1, 2, 3};

typedef struct built {
    outline_t o;
    uint8_t *verbs;
    float *points;
} built_t;

/* Reads the verbs and points into arrays of exactly their size (ASan sees over-reads). */
static void take_outline(input_t *in, uint8_t flags, uint32_t em_raw, double em, built_t *b)
{
    uint32_t verbs = take_u16(in) % ((flags & 8) ? 2200u : 200u);
    b->verbs = malloc(verbs + 1);
    b->points = malloc(sizeof(float) * 2 * (3 * (size_t)verbs + 8));
    if (!b->verbs || !b->points) {
        fail("out of memory");
    }
    uint32_t points = 0;
    for (uint32_t v = 0; v < verbs; v++) {
        uint8_t byte = take_u8(in);
        uint8_t verb = byte >= 0xFC ? byte : (uint8_t)(byte & 3);
        b->verbs[v] = verb;
        uint32_t n = verb <= OUTLINE_CUBIC ? verb_points[verb] : 1;
        for (uint32_t k = 0; k < n; k++, points++) {
            b->points[2 * points] = take_coord(in, byte & 0x40, em);
            b->points[2 * points + 1] = take_coord(in, byte & 0x40, em);
        }
    }
    if (flags & 16) {                      /* disagree with the verbs, within what was allocated */
        for (uint32_t k = 0; k < 4; k++) { /* the points a positive skew adds */
            b->points[2 * (points + k)] = (float)k;
            b->points[2 * (points + k) + 1] = (float)(k * k);
        }
        int skew = (int8_t)take_u8(in) % 4;
        points = skew < 0 && (uint32_t)-skew > points ? 0 : (uint32_t)((int)points + skew);
    }
    /* Shrink to the exact sizes, so any over-read is caught. */
    uint8_t *vv = malloc(verbs ? verbs : 1);
    float *pp = malloc(sizeof(float) * 2 * (points ? points : 1));
    if (!vv || !pp) {
        fail("out of memory");
    }
    memcpy(vv, b->verbs, verbs);
    memcpy(pp, b->points, sizeof(float) * 2 * points);
    free(b->verbs), free(b->points);
    b->verbs = vv, b->points = pp;
    b->o = (outline_t){.verbs = vv,
                       .points = pp,
                       .verb_count = verbs,
                       .point_count = points,
                       .units_per_em = em_raw};
    outline_bounds_update(&b->o);
    if (flags & 1) {
        bool raw = flags & 0x80;
        b->o.x_min = take_coord(in, raw, em), b->o.y_min = take_coord(in, raw, em);
        b->o.x_max = take_coord(in, raw, em), b->o.y_max = take_coord(in, raw, em);
    }
    if ((flags & 32) && !(flags & 64)) {
        b->o.verbs = verbs ? NULL : b->o.verbs;
    } else if (flags & 32) {
        b->o.points = points ? NULL : b->o.points;
    }
}

static size_t box_pixels(geom_box_t b)
{
    return (size_t)b.width * (size_t)b.height;
}

/* True when the pixel square at (x, y) lies farther than margin outside the parallelogram
 * corner + s*e1 + t*e2 (s, t in [0, 1]), by separating axes along the edge normals. */
static bool pixel_outside(double x, double y, const double c[2], const double e1[2],
                          const double e2[2], double margin)
{
    const double *edges[2] = {e1, e2}, *others[2] = {e2, e1};
    for (int k = 0; k < 2; k++) {
        double nx = -edges[k][1], ny = edges[k][0], len = hypot(nx, ny);
        if (len == 0) {
            continue;
        }
        nx /= len, ny /= len;
        double a = nx * c[0] + ny * c[1], b = a + nx * others[k][0] + ny * others[k][1];
        double lo = fmin(a, b) - margin, hi = fmax(a, b) + margin;
        double p0 = nx * x + ny * y, dx = nx, dy = ny;
        double plo = p0 + fmin(0, dx) + fmin(0, dy), phi = p0 + fmax(0, dx) + fmax(0, dy);
        if (phi < lo || plo > hi) {
            return true;
        }
    }
    return false;
}

/* Coverage of an outline that outline_check() accepts lies inside its transformed control box
 * (the convex hull of every curve): winding is 0 outside it, so a pixel farther out than float
 * rounding must stay 0. (No bound on the total beyond box area * 255: the signed-area sum is
 * clamped per pixel, so overlapping or multiply wound contours may legitimately add up to more
 * than the hull's area inside thin pixels.) */
static void check_hull(const outline_t *o, const geom_affine_t *m, geom_box_t box,
                       const uint8_t *cov)
{
    double w = (double)o->x_max - o->x_min, h = (double)o->y_max - o->y_min;
    double c[2] = {m->xx * o->x_min + m->xy * o->y_min + m->x0,
                   m->yx * o->x_min + m->yy * o->y_min + m->y0};
    double e1[2] = {m->xx * w, m->yx * w}, e2[2] = {m->xy * h, m->yy * h};
    double margin =
        0.05 + 1e-6 * (fabs(c[0]) + fabs(c[1]) + hypot(e1[0], e1[1]) + hypot(e2[0], e2[1]));
    uint64_t total = 0;
    for (int32_t j = 0; j < box.height; j++) {
        for (int32_t i = 0; i < box.width; i++) {
            uint8_t v = cov[(size_t)j * (size_t)box.width + (size_t)i];
            total += v;
            if (v > 1 && pixel_outside(box.x + i, box.y + j, c, e1, e2, margin)) {
                fprintf(stderr, "pixel (%d,%d) = %u lies outside the transformed control box\n",
                        box.x + i, box.y + j, v);
                fail("coverage outside the outline's hull");
            }
        }
    }
    if (total > 255 * (uint64_t)box_pixels(box)) {
        fail("more coverage than the box can hold");
    }
}

static void check_glyph(raster_t *r, raster_t *base, const outline_t *o, const geom_affine_t *m,
                        int check)
{
    geom_box_t box = {7, 7, 7, 7};
    int e = raster_glyph_box(o, m, &box);
    if (e > 0) {
        fail("raster_glyph_box returned a positive value");
    }
    if (e != 0) {
        /* Untouched, or emptied (check_raster pins which one the header means). */
        bool untouched = box.x == 7 && box.y == 7 && box.width == 7 && box.height == 7;
        if (!untouched && (box.width != 0 || box.height != 0)) {
            fail("raster_glyph_box left a non-empty box behind when it failed");
        }
        return;
    }
    if (box.width < 0 || box.height < 0 || box.width > RASTER_MAX_DIM ||
        box.height > RASTER_MAX_DIM || box_pixels(box) > (size_t)RASTER_MAX_AREA) {
        fail("raster_glyph_box accepted a box over the limits");
    }
    size_t n = box_pixels(box);
    uint8_t *dst = malloc(n ? n : 1);
    if (!dst) {
        fail("out of memory");
    }
    e = raster_glyph_fill(r, o, m, box, dst, box.width);
    if (check == OUTLINE_OK && e != 0 && e != RASTER_E_NOMEM) {
        fprintf(stderr, "raster_glyph_fill: %d (%s)\n", e, raster_error_string(e));
        fail("a checked outline with an accepted box did not render");
    }
    if (e == 0) {
        if (check == OUTLINE_OK) {
            check_hull(o, m, box, dst);
        }
        uint8_t *same = malloc(n ? n : 1);
        if (!same) {
            fail("out of memory");
        }
        if (raster_glyph_fill(base, o, m, box, same, box.width) != 0) {
            fail("the baseline edge engine refused what the chosen one drew");
        }
        if (memcmp(same, dst, n) != 0) {
            fail("the baseline edge engine drew other bytes than the chosen one");
        }
        free(same);
        /* Again on the same rasterizer, into rows with padding. */
        ptrdiff_t stride = box.width + 3;
        uint8_t *again = malloc((size_t)stride * (size_t)box.height + 1);
        if (!again) {
            fail("out of memory");
        }
        memset(again, 0xA5, (size_t)stride * (size_t)box.height + 1);
        if (raster_begin(r, box) != 0 || raster_add(r, o, m) != 0 ||
            raster_sweep(r, again, stride) != 0) {
            fail("begin/add/sweep failed where raster_glyph_fill succeeded");
        }
        for (int32_t j = 0; j < box.height; j++) {
            const uint8_t *row = again + (size_t)j * (size_t)stride;
            if (memcmp(row, dst + (size_t)j * (size_t)box.width, (size_t)box.width) != 0) {
                fail("a second render differs: the accumulator was not reset");
            }
            if (row[box.width] != 0xA5 || row[box.width + 1] != 0xA5 ||
                row[box.width + 2] != 0xA5) {
                fail("the sweep wrote past the box width into the stride padding");
            }
        }
        free(again);
    }
    free(dst);
}

/* raster_add() into a fixed box: clipping of whatever the outline is, and refusals that leave
 * nothing behind. */
static void check_add(raster_t *r, const outline_t *o, const geom_affine_t *m, int check)
{
    geom_box_t box = {-8, -8, 48, 40};
    uint8_t dst[48 * 40];
    if (raster_begin(r, box) != 0) {
        fail("raster_begin of a small box failed");
    }
    int e = raster_add(r, o, m);
    if (check != OUTLINE_OK && check != OUTLINE_E_DEGENERATE && check != OUTLINE_E_BBOX && e == 0) {
        fprintf(stderr, "outline_check %d (%s) but raster_add accepted it\n", check,
                outline_error_string(check));
        fail("raster_add accepted an outline outline_check refuses");
    }
    if (raster_sweep(r, dst, box.width) != 0) {
        fail("raster_sweep after raster_add failed");
    }
    if (e != 0) {
        for (size_t i = 0; i < sizeof dst; i++) {
            if (dst[i] != 0) {
                fail("a refused raster_add left coverage behind");
            }
        }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static raster_t *r, *base;
    if ((!r && !(r = raster_create())) || (!base && !(base = raster_create()))) {
        fail("raster_create failed");
    }
    raster_edges_force(base, RASTER_EDGES_BASELINE);
    input_t in = {data, size};
    uint8_t flags = take_u8(&in);
    uint16_t em_bits = take_u16(&in);
    uint32_t em_raw = (flags & 4) ? em_bits : 16u + em_bits % 4081u;
    double em = em_raw < 1 ? 1 : em_raw > 16384 ? 16384 : em_raw;
    geom_affine_t m = take_transform(&in, flags, em);
    built_t b;
    take_outline(&in, flags, em_raw, em, &b);

    int check = outline_check(&b.o);
    if (check > 0 || check < OUTLINE_E_BBOX) {
        fail("outline_check returned an unknown code");
    }
    /* In both layouts of the accumulation, whichever the box would pick. */
    const raster_layout_t layouts[2] = {RASTER_LAYOUT_ROWS, RASTER_LAYOUT_COLUMNS};
    for (int i = 0; i < 2; i++) {
        raster_layout_force(r, layouts[i]);
        raster_layout_force(base, layouts[i]);
        check_glyph(r, base, &b.o, &m, check);
        check_add(r, &b.o, &m, check);
    }
    free(b.verbs);
    free(b.points);
    return 0;
}
