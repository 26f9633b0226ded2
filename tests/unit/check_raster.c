/* check_raster.c - the rasterizer against exact areas, the reference renderer and hostile input.
 *
 * Expected coverage of polygons is computed exactly (shape_pixel_area: the polygon clipped to
 * each pixel); an exact-area rasterizer must match 255 * area within 1 (rounding). Curves are
 * judged against the 16x16-supersampled reference_render().
 */
#include "../../kiosk/text/raster-private.h" /* the sweep itself, against its contract */
#include "likeletter/outline.h"
#include "likeletter/raster.h"
#include "reference.h"
#include "shape.h"
#include "testutil.h"

#include <check.h>
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SENTINEL 0xAB

/* Limits against the reference, from the flattening tolerance the header promises: a chord may
 * stray `flat` px from its curve, which moves a pixel's coverage by up to flat * sqrt(2) (the
 * longest edge inside a pixel) times 255; the reference's own 16x16 sampling adds a few levels.
 * The mean is taken over edge pixels (where either image is strictly between 0 and 255), so it
 * does not shrink with the amount of empty or solid area in the box. */
#define REF_SAMPLING_SLACK 8
#define REF_MEAN_SLACK 4

static const double pi = 3.14159265358979323846;

static raster_t *ras;

/* The accumulation's layout every rasterizer of the running test uses: the tests of coverage run
 * once in each (raster_suite()). */
static raster_layout_t layout = RASTER_LAYOUT_AUTO;

static raster_t *raster_new(void)
{
    raster_t *r = raster_create();
    ck_assert_msg(r != NULL, "raster_create(): expected a rasterizer, got NULL");
    raster_layout_force(r, layout);
    return r;
}

static void raster_setup(void)
{
    ras = raster_new();
}

static void raster_setup_rows(void)
{
    layout = RASTER_LAYOUT_ROWS;
    raster_setup();
}

static void raster_setup_columns(void)
{
    layout = RASTER_LAYOUT_COLUMNS;
    raster_setup();
}

static void raster_teardown(void)
{
    raster_free(ras);
    ras = NULL;
}

/* ---- helpers ---- */

static size_t box_pixels(geom_box_t box)
{
    return (size_t)box.width * (size_t)box.height;
}

static uint8_t *buffer_new(geom_box_t box)
{
    size_t n = box_pixels(box);
    uint8_t *p = malloc(n ? n : 1);
    ck_assert_msg(p != NULL, "out of memory for a %dx%d buffer", box.width, box.height);
    memset(p, SENTINEL, n ? n : 1);
    return p;
}

static geom_box_t box_make(int32_t x, int32_t y, int32_t w, int32_t h)
{
    return (geom_box_t){.x = x, .y = y, .width = w, .height = h};
}

static geom_box_t box_grow(geom_box_t b, int32_t by)
{
    return box_make(b.x - by, b.y - by, b.width + 2 * by, b.height + 2 * by);
}

/* begin(box), add(o, m), sweep: every call must succeed. Returns a malloc'ed buffer. */
static uint8_t *render(raster_t *r, const outline_t *o, const geom_affine_t *m, geom_box_t box)
{
    uint8_t *dst = buffer_new(box);
    int e = raster_begin(r, box);
    ck_assert_msg(e == 0, "raster_begin(%dx%d at %d,%d): expected 0, got %d (%s)", box.width,
                  box.height, box.x, box.y, e, raster_error_string(e));
    e = raster_add(r, o, m);
    ck_assert_msg(e == 0, "raster_add(): expected 0, got %d (%s)", e, raster_error_string(e));
    e = raster_sweep(r, dst, box.width);
    ck_assert_msg(e == 0, "raster_sweep(): expected 0, got %d (%s)", e, raster_error_string(e));
    return dst;
}

/* raster_glyph_box() then raster_glyph_fill() into a buffer of exactly the box's size. */
static uint8_t *render_glyph(raster_t *r, const outline_t *o, const geom_affine_t *m,
                             geom_box_t *box)
{
    int e = raster_glyph_box(o, m, box);
    ck_assert_msg(e == 0, "raster_glyph_box(): expected 0, got %d (%s)", e, raster_error_string(e));
    uint8_t *dst = buffer_new(*box);
    e = raster_glyph_fill(r, o, m, *box, dst, box->width);
    ck_assert_msg(e == 0, "raster_glyph_fill(%dx%d): expected 0, got %d (%s)", box->width,
                  box->height, e, raster_error_string(e));
    return dst;
}

static double coverage_sum(const uint8_t *cov, geom_box_t box)
{
    double sum = 0;
    for (size_t i = 0; i < box_pixels(box); i++) {
        sum += cov[i];
    }
    return sum / 255.0;
}

static int coverage_max(const uint8_t *cov, geom_box_t box)
{
    int mx = 0;
    for (size_t i = 0; i < box_pixels(box); i++) {
        mx = cov[i] > mx ? cov[i] : mx;
    }
    return mx;
}

/* Exact per-pixel areas (0..1) of the pixel-space polygon xy[2n] over box; malloc'ed. */
static double *polygon_areas(const double *xy, int n, geom_box_t box)
{
    double *a = malloc((box_pixels(box) ? box_pixels(box) : 1) * sizeof *a);
    ck_assert_msg(a != NULL, "out of memory");
    for (int32_t j = 0; j < box.height; j++) {
        for (int32_t i = 0; i < box.width; i++) {
            a[(size_t)j * (size_t)box.width + (size_t)i] =
                shape_pixel_area(xy, n, box.x + i, box.y + j);
        }
    }
    return a;
}

/* Asserts |cov - 255*area| <= 1 everywhere in box, naming the worst pixel. */
static void expect_areas(const char *what, const uint8_t *cov, geom_box_t box, const double *area)
{
    double worst = -1;
    int32_t wx = 0, wy = 0;
    for (int32_t j = 0; j < box.height; j++) {
        for (int32_t i = 0; i < box.width; i++) {
            size_t k = (size_t)j * (size_t)box.width + (size_t)i;
            double d = fabs(cov[k] - 255.0 * area[k]);
            if (d > worst) {
                worst = d, wx = i, wy = j;
            }
        }
    }
    size_t k = (size_t)wy * (size_t)box.width + (size_t)wx;
    ck_assert_msg(worst <= 1.0 + 1e-9,
                  "%s: pixel (%d,%d): expected 255*area = %.3f (area %.6f) within 1, got %u", what,
                  box.x + wx, box.y + wy, 255.0 * area[k], area[k], cov[k]);
}

/* The largest flattening tolerance the outline's curves get (0 for polygons). */
static double outline_flatness(const outline_t *o)
{
    double flat = 0;
    for (uint32_t v = 0; v < o->verb_count; v++) {
        if (o->verbs[v] == OUTLINE_QUAD) {
            flat = fmax(flat, RASTER_FLATNESS_QUAD);
        } else if (o->verbs[v] == OUTLINE_CUBIC) {
            flat = fmax(flat, RASTER_FLATNESS_CUBIC);
        }
    }
    return flat;
}

/* Mean error over edge pixels and max error of cov against reference_render() over box. */
static void reference_error(const outline_t *o, const geom_affine_t *m, geom_box_t box,
                            const uint8_t *cov, double *edge_mean, int *max)
{
    uint8_t *ref = buffer_new(box);
    int e = reference_render(o, m, box, ref, box.width);
    ck_assert_msg(e == 0, "reference_render(): expected 0, got %d", e);
    double sum = 0;
    uint64_t count = 0;
    *max = 0;
    reference_compare(cov, box.width, ref, box.width, box.width, box.height, &sum, &count, max);
    size_t edges = 0;
    for (size_t k = 0; k < box_pixels(box); k++) {
        edges += (cov[k] % 255 != 0) || (ref[k] % 255 != 0);
    }
    *edge_mean = edges ? sum / (double)edges : 0;
    free(ref);
}

/* Asserts cov is within the flattening tolerance of the reference; extra_max allows for known
 * differences (edge crossings inside a pixel, see star_centre_filled_nonzero). */
static void expect_near_reference_within(const char *what, const outline_t *o,
                                         const geom_affine_t *m, geom_box_t box, const uint8_t *cov,
                                         int extra_max)
{
    double flat = outline_flatness(o);
    double mean_limit = 255 * flat * 0.5 + REF_MEAN_SLACK;
    int max_limit = (int)(255 * flat * sqrt(2.0)) + REF_SAMPLING_SLACK + extra_max;
    double mean;
    int max;
    reference_error(o, m, box, cov, &mean, &max);
    ck_assert_msg(mean <= mean_limit,
                  "%s: mean error over edge pixels vs reference: expected <= %.2f, got %.3f (max "
                  "%d)",
                  what, mean_limit, mean, max);
    ck_assert_msg(max <= max_limit,
                  "%s: max error vs reference: expected <= %d, got %d (edge mean %.3f)", what,
                  max_limit, max, mean);
}

static void expect_near_reference(const char *what, const outline_t *o, const geom_affine_t *m,
                                  geom_box_t box, const uint8_t *cov)
{
    expect_near_reference_within(what, o, m, box, cov, 0);
}

/* Asserts 255*lo - 1 <= cov <= 255*hi + 1 everywhere in box (for overlaps, where the exact
 * nonzero coverage (lo) and the clamped signed-area sum (hi) may differ inside a pixel). */
static void expect_between(const char *what, const uint8_t *cov, geom_box_t box, const double *lo,
                           const double *hi)
{
    for (int32_t j = 0; j < box.height; j++) {
        for (int32_t i = 0; i < box.width; i++) {
            size_t k = (size_t)j * (size_t)box.width + (size_t)i;
            ck_assert_msg(cov[k] >= 255.0 * lo[k] - 1 - 1e-9 && cov[k] <= 255.0 * hi[k] + 1 + 1e-9,
                          "%s: pixel (%d,%d): expected between %.3f and %.3f, got %u", what,
                          box.x + i, box.y + j, 255.0 * lo[k], 255.0 * hi[k], cov[k]);
        }
    }
}

/* Renders into box grown by 3 px and asserts no coverage falls outside box. */
static void expect_box_holds_all(const char *what, const outline_t *o, const geom_affine_t *m,
                                 geom_box_t box)
{
    geom_box_t big = box_grow(box, 3);
    uint8_t *cov = render(ras, o, m, big);
    for (int32_t j = 0; j < big.height; j++) {
        for (int32_t i = 0; i < big.width; i++) {
            int32_t x = big.x + i, y = big.y + j;
            bool inside =
                x >= box.x && x < box.x + box.width && y >= box.y && y < box.y + box.height;
            uint8_t c = cov[(size_t)j * (size_t)big.width + (size_t)i];
            ck_assert_msg(inside || c == 0,
                          "%s: pixel (%d,%d) outside the glyph box %dx%d at (%d,%d): expected "
                          "coverage 0, got %u",
                          what, x, y, box.width, box.height, box.x, box.y, c);
        }
    }
    free(cov);
}

/* The points of a polygon-only outline mapped to pixels (as floats were stored). */
static int outline_polygon_px(const outline_t *o, const geom_affine_t *m, double *xy, int cap)
{
    int n = (int)o->point_count;
    ck_assert_msg(n <= cap, "test polygon too large");
    for (int i = 0; i < n; i++) {
        xy[2 * i] = o->points[2 * i];
        xy[2 * i + 1] = o->points[2 * i + 1];
    }
    shape_map(m, xy, n, xy);
    return n;
}

/* ---- exact coverage of a unit square ---- */

static const double square_offsets[][2] = {
    {0, 0},           {0.25, 0},          {0, 0.75},      {0.5, 0.5},   {0.125, 0.875},
    {0.0625, 0.9375}, {0.96875, 0.03125}, {-0.25, -0.75}, {-3.5, 2.25}, {100.375, 37.625},
};
enum { SQUARE_OFFSETS = sizeof square_offsets / sizeof square_offsets[0] };

START_TEST(unit_square_exact_at_offset)
{
    double dx = square_offsets[_i][0], dy = square_offsets[_i][1];
    shape_t s;
    shape_init(&s, 64);
    shape_rect(&s, 0, 0, 64, 64, true);
    geom_affine_t m = shape_affine(1.0 / 64, 0, 0, 1.0 / 64, dx, dy);
    geom_box_t box;
    uint8_t *cov = render_glyph(ras, shape_outline(&s), &m, &box);

    int32_t ex = (int32_t)floor(dx), ey = (int32_t)floor(dy);
    int32_t ew = (int32_t)ceil(dx + 1) - ex, eh = (int32_t)ceil(dy + 1) - ey;
    ck_assert_msg(box.x == ex && box.y == ey && box.width == ew && box.height == eh,
                  "square at (%g,%g): expected the smallest box %dx%d at (%d,%d), got %dx%d at "
                  "(%d,%d)",
                  dx, dy, ew, eh, ex, ey, box.width, box.height, box.x, box.y);

    double px[8] = {dx, dy, dx + 1, dy, dx + 1, dy + 1, dx, dy + 1};
    double *area = polygon_areas(px, 4, box);
    expect_areas("unit square", cov, box, area);
    ck_assert_msg(fabs(coverage_sum(cov, box) - 1.0) <= 4.0 / 255,
                  "unit square at (%g,%g): expected total area 1, got %.4f", dx, dy,
                  coverage_sum(cov, box));
    expect_box_holds_all("unit square", shape_outline(&s), &m, box);
    free(area);
    free(cov);
}
END_TEST

/* ---- triangles ---- */

static const double triangles[][6] = {
    {1.3, 0.7, 7.8, 2.2, 3.1, 6.9},    /* general */
    {3.1, 6.9, 7.8, 2.2, 1.3, 0.7},    /* the same, other orientation */
    {0.5, 0.5, 20.25, 1.0, 0.5, 1.25}, /* thin sliver */
    {0, 0, 8, 0, 0, 8},                /* vertices on pixel corners */
    {2.1, 0.2, 2.6, 12.9, 4.0, 12.9},  /* steep edges */
    {-3.7, -2.2, 4.4, -5.1, 0.3, 3.3}, /* negative coordinates */
    {0.1, 0.1, 0.9, 0.2, 0.4, 0.8},    /* inside one pixel */
};
enum { TRIANGLES = sizeof triangles / sizeof triangles[0] };

/* Renders the triangle xy (pixels, identity transform) in its own box and checks every
 * pixel against the exact area and that nothing falls outside the box. */
static void expect_triangle_exact(const char *what, const double xy[6])
{
    shape_t s;
    shape_init(&s, 64);
    shape_polygon(&s, xy, 3);
    const outline_t *o = shape_outline(&s);
    geom_affine_t m = geom_affine_identity();
    geom_box_t box;
    uint8_t *cov = render_glyph(ras, o, &m, &box);
    double px[6];
    outline_polygon_px(o, &m, px, 3);
    double *area = polygon_areas(px, 3, box);
    expect_areas(what, cov, box, area);
    expect_box_holds_all(what, o, &m, box);
    free(area);
    free(cov);
}

START_TEST(triangle_exact)
{
    char what[64];
    snprintf(what, sizeof what, "triangle %d", _i);
    expect_triangle_exact(what, triangles[_i]);
}
END_TEST

/* Shallow edges whose row pieces span every width from two cells to dozens: the pieces the
 * accumulation adds as one vector of eight cells, and the wider ones it adds cell by cell. */
START_TEST(shallow_edges_exact)
{
    const double run = 1.0 + 1.37 * _i, x0 = 0.35 + 0.11 * _i;
    const double tri[6] = {x0, 0.2, x0 + run * 2.7, 2.9, x0 + 0.05, 5.6};
    char what[64];
    snprintf(what, sizeof what, "shallow triangle, %.2f px per row", run);
    expect_triangle_exact(what, tri);
}
END_TEST

/* The same triangles turned on their side: in the columns layout their steep edges make the
 * wide column pieces, across every count of cells from two to dozens (those within four, five
 * to eight, and wider are added three ways). */
START_TEST(steep_edges_exact)
{
    const double run = 1.0 + 1.37 * _i, y0 = 0.35 + 0.11 * _i;
    const double tri[6] = {0.2, y0, 2.9, y0 + run * 2.7, 5.6, y0 + 0.05};
    char what[64];
    snprintf(what, sizeof what, "steep triangle, %.2f px per column", run);
    expect_triangle_exact(what, tri);
}
END_TEST

/* A near-vertical edge far right in a wide box: its x steps by whole float ulps (~0.001 px
 * at x = 16000), so a row piece's width is noise against its slope. The coverage must stay
 * exact all the same (the slope the accumulation scales such pieces by is bounded). */
START_TEST(near_vertical_edge_far_right_exact)
{
    const double x = 16000.25, tilt = _i == 0 ? 0.0009765625 : -0.0009765625;
    const double quad[8] = {x, 2, x + tilt, 38, x + 3.25, 38, x + 3.25, 2};
    shape_t s;
    shape_init(&s, 64);
    shape_polygon(&s, quad, 4);
    const outline_t *o = shape_outline(&s);
    geom_affine_t m = geom_affine_identity();
    geom_box_t box = box_make(0, 0, 16010, 40);
    uint8_t *cov = render(ras, o, &m, box);
    double px[8];
    outline_polygon_px(o, &m, px, 4);
    double *area = polygon_areas(px, 4, box);
    expect_areas(_i == 0 ? "edge leaning right" : "edge leaning left", cov, box, area);
    free(area);
    free(cov);
}
END_TEST

/* A contour that creeps along a row in 300 steps, each covering the row by 0.4 units of the
 * accumulator (1/4080 px a unit), and returns in one line. Rounding each step's cover on its own
 * made them all 0 against the return's -120: a trail 8 levels dark ran on past the shape to the
 * box's end (the fuzzer found a trail of 2 levels). Along a row, and along a column, for the
 * columns layout; whole and clipped by the box's left side. */
START_TEST(creeping_contour_leaves_no_trail)
{
    enum { STEPS = 300 };
    /* Odd loops: a box whose left side cuts through the shape, so the lines are clipped. */
    const bool along_row = _i / 2 == 0, clipped = _i % 2 == 1;
    static double xy[2 * (STEPS + 3)];
    for (int i = 0; i <= STEPS; i++) {
        const double along = 2.0 + 0.04 * i, across = 3.3 + 0.4 / 4080.0 * i;
        xy[2 * i] = along_row ? along : across, xy[2 * i + 1] = along_row ? across : along;
    }
    const double far[4] = {14.0, 6.0, 2.0, 6.0};
    for (int k = 0; k < 2; k++) {
        xy[2 * (STEPS + 1 + k)] = along_row ? far[2 * k] : far[2 * k + 1];
        xy[2 * (STEPS + 1 + k) + 1] = along_row ? far[2 * k + 1] : far[2 * k];
    }
    shape_t s;
    shape_init(&s, 64);
    shape_polygon(&s, xy, STEPS + 3);
    const outline_t *o = shape_outline(&s);
    geom_affine_t m = geom_affine_identity();
    static double px[2 * (STEPS + 3)];
    outline_polygon_px(o, &m, px, STEPS + 3);
    double hi[2] = {-1e9, -1e9};
    for (int i = 0; i < STEPS + 3; i++) {
        hi[0] = fmax(hi[0], px[2 * i]), hi[1] = fmax(hi[1], px[2 * i + 1]);
    }
    geom_box_t box = clipped ? box_make(5, -1, 18, 24) : box_make(-1, -1, 24, 24);
    uint8_t *cov = render(ras, o, &m, box);
    for (int32_t y = 0; y < box.height; y++) {
        for (int32_t x = 0; x < box.width; x++) {
            const int32_t gx = box.x + x, gy = box.y + y;
            const uint8_t c = cov[(size_t)y * (size_t)box.width + (size_t)x];
            /* The pixel at the shape's end takes the last steps' shares, each rounded: it may
             * be a level off, the pixels past it not. */
            const bool beyond = gx >= hi[0] || gy >= hi[1];
            const bool past = gx >= hi[0] + 1.0 || gy >= hi[1] + 1.0;
            ck_assert_msg(past ? c == 0 : !beyond || c <= 1,
                          "%s%s: pixel (%d,%d) beyond the shape: expected %s, got %u",
                          along_row ? "along a row" : "along a column", clipped ? ", clipped" : "",
                          gx, gy, past ? "0" : "at most 1", c);
        }
    }
    free(cov);
}
END_TEST

/* A box far from the outline (its rows 2^31 away): every line lies outside it, nothing is
 * drawn, and the next glyph in a near box comes out as it should (nothing was left behind). */
START_TEST(box_far_from_outline_draws_nothing)
{
    static const geom_box_t far[3] = {
        {0, INT32_MIN + 1, 40, 30}, {0, INT32_MAX - 40, 40, 30}, {INT32_MAX - 50, 0, 40, 30}};
    shape_t s;
    shape_init(&s, 64);
    shape_polygon(&s, (const double[]){1.5, 1.5, 30.5, 4.5, 12.5, 25.5}, 3);
    const outline_t *o = shape_outline(&s);
    geom_affine_t m = geom_affine_identity();
    uint8_t *cov = render(ras, o, &m, far[_i]);
    ck_assert_msg(coverage_max(cov, far[_i]) == 0,
                  "box %d at (%d,%d): expected nothing drawn, got a pixel of %d", _i, far[_i].x,
                  far[_i].y, coverage_max(cov, far[_i]));
    free(cov);
    geom_box_t box;
    uint8_t *near = render_glyph(ras, o, &m, &box);
    ck_assert_msg(coverage_max(near, box) == 255,
                  "after box %d: the triangle in its own box, expected full pixels, got at most %d",
                  _i, coverage_max(near, box));
    free(near);
}
END_TEST

/* ---- circle area ---- */

START_TEST(circle_total_area)
{
    const double r = 20, cx = 25.3, cy = 24.7;
    shape_t s;
    shape_init(&s, 64);
    if (_i == 0) {
        shape_circle_cubics(&s, cx, cy, r, true);
    } else {
        shape_circle_quads(&s, cx, cy, r, 16);
    }
    geom_affine_t m = geom_affine_identity();
    geom_box_t box;
    uint8_t *cov = render_glyph(ras, shape_outline(&s), &m, &box);
    double got = coverage_sum(cov, box), want = pi * r * r;
    ck_assert_msg(fabs(got - want) <= 0.005 * want,
                  "circle of %s: expected area pi*r^2 = %.2f within 0.5%%, got %.2f (%+.3f%%)",
                  _i == 0 ? "cubics" : "quads", want, got, 100 * (got - want) / want);
    int32_t ci = (int32_t)cx - box.x, cj = (int32_t)cy - box.y;
    ck_assert_msg(cov[(size_t)cj * (size_t)box.width + (size_t)ci] == 255,
                  "circle: centre pixel expected 255, got %u",
                  cov[(size_t)cj * (size_t)box.width + (size_t)ci]);
    ck_assert_msg(cov[0] == 0, "circle: corner pixel of the box expected 0, got %u", cov[0]);
    expect_near_reference("circle", shape_outline(&s), &m, box, cov);
    free(cov);
}
END_TEST

/* ---- overlapping contours, same winding ---- */

/* Per-pixel areas of rectangles A, B and their intersection over box: lo/hi bounds for the
 * union (same winding: exact union .. clamped sum) or, with opposite windings, the symmetric
 * difference (clamped |difference| .. exact nonzero). Both arrays malloc'ed. */
static void rect_pair_bounds(const double a[4], const double b[4], bool opposite, geom_box_t box,
                             double **lo, double **hi)
{
    double pa[8] = {a[0], a[1], a[2], a[1], a[2], a[3], a[0], a[3]};
    double pb[8] = {b[0], b[1], b[2], b[1], b[2], b[3], b[0], b[3]};
    double ix0 = fmax(a[0], b[0]), iy0 = fmax(a[1], b[1]);
    double ix1 = fmin(a[2], b[2]), iy1 = fmin(a[3], b[3]);
    double pi_[8] = {ix0, iy0, ix1, iy0, ix1, iy1, ix0, iy1};
    double *aa = polygon_areas(pa, 4, box), *ab = polygon_areas(pb, 4, box);
    double *ai = ix0 < ix1 && iy0 < iy1 ? polygon_areas(pi_, 4, box)
                                        : calloc(box_pixels(box), sizeof(double));
    ck_assert_ptr_nonnull(ai);
    for (size_t k = 0; k < box_pixels(box); k++) {
        double l, h;
        if (opposite) {
            l = fabs(aa[k] - ab[k]), h = aa[k] + ab[k] - 2 * ai[k];
        } else {
            l = aa[k] + ab[k] - ai[k], h = fmin(aa[k] + ab[k], 1.0);
        }
        aa[k] = l, ab[k] = h;
    }
    free(ai);
    *lo = aa, *hi = ab;
}

/* Two rectangles A and B as one outline: variant 0 both ccw, 1 both cw, 2 B = A (coincident).
 * Where both cover part of one pixel the nonzero rule's exact coverage (the union) and the
 * signed-area sum clamped to 255 differ; either is accepted there, exactness elsewhere. */
START_TEST(overlap_same_winding_covered_once)
{
    double a[4] = {2.25, 3.5, 12.75, 10.25}, b[4] = {6.5, 1.125, 15.375, 8.625};
    if (_i == 2) {
        memcpy(b, a, sizeof b);
    }
    shape_t s;
    shape_init(&s, 64);
    shape_rect(&s, a[0], a[1], a[2], a[3], _i != 1);
    shape_rect(&s, b[0], b[1], b[2], b[3], _i != 1);
    geom_affine_t m = geom_affine_identity();
    geom_box_t box;
    uint8_t *cov = render_glyph(ras, shape_outline(&s), &m, &box);
    double *lo, *hi;
    rect_pair_bounds(a, b, false, box, &lo, &hi);
    expect_between("overlapping rectangles", cov, box, lo, hi);
    ck_assert_msg(coverage_max(cov, box) == 255,
                  "overlapping rectangles: expected max coverage 255, got %d",
                  coverage_max(cov, box));
    if (_i != 2) {
        double uni = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) -
                     (fmin(a[2], b[2]) - fmax(a[0], b[0])) * (fmin(a[3], b[3]) - fmax(a[1], b[1]));
        ck_assert_msg(fabs(coverage_sum(cov, box) - uni) <= 0.005 * uni,
                      "overlapping rectangles: expected total = union area %.3f within 0.5%%, "
                      "got %.3f",
                      uni, coverage_sum(cov, box));
    }
    free(lo), free(hi), free(cov);
}
END_TEST

/* A five-pointed star drawn as one self-crossing contour: its centre has winding 2, which the
 * nonzero rule fills (even-odd would leave a hole). */
START_TEST(star_centre_filled_nonzero)
{
    double xy[10];
    for (int k = 0; k < 5; k++) {
        double ang = pi / 2 + k * 4 * pi / 5;
        xy[2 * k] = 20.5 + 18 * cos(ang);
        xy[2 * k + 1] = 20.5 + 18 * sin(ang);
    }
    shape_t s;
    shape_init(&s, 64);
    shape_polygon(&s, xy, 5);
    geom_affine_t m = geom_affine_identity();
    geom_box_t box;
    uint8_t *cov = render_glyph(ras, shape_outline(&s), &m, &box);
    uint8_t c = cov[(size_t)(20 - box.y) * (size_t)box.width + (size_t)(20 - box.x)];
    ck_assert_msg(c == 255, "star: centre pixel (winding 2) expected 255, got %u", c);
    /* Where two edges cross inside a pixel, the doubly wound sliver counts twice in the
     * signed-area sum (as in FreeType): up to a quarter pixel, 64 levels, at those pixels. */
    expect_near_reference_within("star", shape_outline(&s), &m, box, cov, 64);
    free(cov);
}
END_TEST

/* ---- opposite windings ---- */

/* Variant 0: inner rectangle wound the other way (a hole); 1: same way (nonzero: filled). */
START_TEST(opposite_winding_makes_hole)
{
    bool hole = _i == 0;
    shape_t s;
    shape_init(&s, 64);
    shape_rect(&s, 1, 1, 21, 21, true);
    shape_rect(&s, 6.5, 6.5, 15.5, 15.5, !hole);
    geom_affine_t m = geom_affine_identity();
    geom_box_t box;
    uint8_t *cov = render_glyph(ras, shape_outline(&s), &m, &box);
    double po[8] = {1, 1, 21, 1, 21, 21, 1, 21};
    double pin[8] = {6.5, 6.5, 15.5, 6.5, 15.5, 15.5, 6.5, 15.5};
    double *ao = polygon_areas(po, 4, box), *ai = polygon_areas(pin, 4, box);
    for (size_t k = 0; hole && k < box_pixels(box); k++) {
        ao[k] -= ai[k];
    }
    expect_areas(hole ? "square with a hole" : "square inside square", cov, box, ao);
    for (int32_t y = 7; y < 15; y++) {
        for (int32_t x = 7; x < 15; x++) {
            uint8_t c = cov[(size_t)(y - box.y) * (size_t)box.width + (size_t)(x - box.x)];
            ck_assert_msg(c == (hole ? 0 : 255),
                          "pixel (%d,%d) inside the inner square: expected "
                          "%d, got %u",
                          x, y, hole ? 0 : 255, c);
        }
    }
    free(ao), free(ai), free(cov);
}
END_TEST

START_TEST(ring_of_cubics_has_hole)
{
    shape_t s;
    shape_init(&s, 64);
    shape_circle_cubics(&s, 20.3, 19.6, 17, true);
    shape_circle_cubics(&s, 20.3, 19.6, 9, false);
    geom_affine_t m = geom_affine_identity();
    geom_box_t box;
    uint8_t *cov = render_glyph(ras, shape_outline(&s), &m, &box);
    double want = pi * (17 * 17 - 9 * 9), got = coverage_sum(cov, box);
    ck_assert_msg(fabs(got - want) <= 0.005 * want,
                  "ring: expected area %.2f within 0.5%%, got %.2f", want, got);
    uint8_t c = cov[(size_t)(19 - box.y) * (size_t)box.width + (size_t)(20 - box.x)];
    ck_assert_msg(c == 0, "ring: centre pixel expected 0 (hole), got %u", c);
    expect_near_reference("ring", shape_outline(&s), &m, box, cov);
    free(cov);
}
END_TEST

/* ---- curves against the reference ---- */

static void curve_shape(shape_t *s, int which)
{
    shape_init(s, 64);
    switch (which) {
    case 0:
        shape_circle_quads(s, 8.2, 7.9, 6.3, 8);
        break;
    case 1:
        shape_circle_cubics(s, 3.4, 3.1, 2.2, true); /* tiny */
        break;
    case 2:
        shape_circle_cubics(s, 45.1, 44.6, 40.7, false); /* large */
        break;
    case 3: /* a blob of one cubic and one quad */
        shape_move(s, 2, 2);
        shape_cubic(s, 30, -5, 35, 40, 10, 30);
        shape_quad(s, -5, 25, 2, 2);
        break;
    case 4: /* a lens of two quads */
        shape_move(s, 1, 10);
        shape_quad(s, 15, -5, 29, 10);
        shape_quad(s, 15, 25, 1, 10);
        break;
    case 5: /* a cubic that loops over itself */
        shape_move(s, 5, 5);
        shape_cubic(s, 40, 40, -10, 40, 25, 5);
        break;
    case 6: /* a thin crescent */
        shape_circle_cubics(s, 14, 14, 12, true);
        shape_circle_cubics(s, 15.2, 14.4, 11, false);
        break;
    default: /* sharp cubic cusps, like a calligraphic stroke end */
        shape_move(s, 0, 0);
        shape_cubic(s, 30, 2, 2, 30, 25, 25);
        shape_cubic(s, 10, 15, 15, 10, 0, 0);
        break;
    }
}
enum { CURVES = 8 };

START_TEST(curves_match_reference)
{
    shape_t s;
    curve_shape(&s, _i);
    const outline_t *o = shape_outline(&s);
    double a = 7 * pi / 180;
    /* A small rotation and shear, as a hand-written card uses. */
    geom_affine_t rot = shape_affine(cos(a), sin(a), -sin(a), cos(a), 2.3, 1.7);
    geom_affine_t sh = shape_affine(1, 0, 0.2, 1, 0, 0);
    geom_affine_t m = geom_affine_then(&sh, &rot);
    geom_box_t box;
    uint8_t *cov = render_glyph(ras, o, &m, &box);
    char what[32];
    snprintf(what, sizeof what, "curve shape %d", _i);
    expect_near_reference(what, o, &m, box, cov);
    expect_box_holds_all(what, o, &m, box);
    free(cov);
}
END_TEST

/* ---- rotation and shear ---- */

static geom_affine_t rot_shear(int which)
{
    const double s = 1.0 / 64;
    double a;
    switch (which) {
    case 0:
        a = 30 * pi / 180;
        return shape_affine(s * cos(a), s * sin(a), -s * sin(a), s * cos(a), 20.3, 4.1);
    case 1:
        a = 45 * pi / 180;
        return shape_affine(s * cos(a), s * sin(a), -s * sin(a), s * cos(a), 10.6, 0.2);
    case 2: /* rotated and flipped in y, as font units become pixels */
        a = 117 * pi / 180;
        return shape_affine(s * cos(a), -s * sin(a), -s * sin(a), -s * cos(a), 15.5, 30.25);
    case 3: /* italic shear */
        return shape_affine(s, 0, 0.4 * s, s, 0.3, 0.7);
    case 4: /* rotation, shear and non-uniform scale */
        a = 12 * pi / 180;
        return shape_affine(1.3 * s * cos(a), 1.3 * s * sin(a), s * (-0.8 * sin(a) - 0.3),
                            0.8 * s * cos(a), 5.1, 3.9);
    default: /* mirrored */
        return shape_affine(-s, 0, 0, s, 12.2, 0.45);
    }
}
enum { ROT_SHEARS = 6 };

START_TEST(rotated_sheared_square_exact)
{
    shape_t s;
    shape_init(&s, 64);
    shape_rect(&s, 0, 0, 640, 640, true);
    const outline_t *o = shape_outline(&s);
    geom_affine_t m = rot_shear(_i);
    geom_box_t box;
    uint8_t *cov = render_glyph(ras, o, &m, &box);
    double px[8];
    outline_polygon_px(o, &m, px, 4);
    double *area = polygon_areas(px, 4, box);
    char what[48];
    snprintf(what, sizeof what, "square under transform %d", _i);
    expect_areas(what, cov, box, area);
    double want = fabs(m.xx * m.yy - m.xy * m.yx) * 640 * 640, got = coverage_sum(cov, box);
    ck_assert_msg(fabs(got - want) <= 0.005 * want,
                  "%s: expected area |det|*640^2 = %.3f within 0.5%%, got %.3f", what, want, got);
    expect_near_reference(what, o, &m, box, cov);
    expect_box_holds_all(what, o, &m, box);
    free(area);
    free(cov);
}
END_TEST

/* ---- clipping at the box's edges ---- */

static geom_box_t clip_box(geom_box_t b, int which)
{
    int32_t w = b.width, h = b.height;
    switch (which) {
    case 0:
        return box_make(b.x, b.y, w / 2, h); /* left half */
    case 1:
        return box_make(b.x + w / 2, b.y, w - w / 2, h); /* right half */
    case 2:
        return box_make(b.x, b.y, w, h / 3); /* top third */
    case 3:
        return box_make(b.x, b.y + h / 2, w, h - h / 2); /* bottom half */
    case 4:
        return box_make(b.x + w / 4, b.y + h / 4, w / 2, h / 2); /* centre */
    case 5:
        return box_make(b.x - 5, b.y - 7, w + 11, h + 13); /* overhanging */
    case 6:
        return box_make(b.x - 20, b.y, 10, h); /* all left of it */
    case 7:
        return box_make(b.x + w + 3, b.y, 10, h); /* all right of it */
    case 8:
        return box_make(b.x, b.y - 30, w, 10); /* all above it */
    case 9:
        return box_make(b.x, b.y + h + 1, w, 5); /* all below it */
    case 10:
        return box_make(b.x + w / 2, b.y + h / 2, 1, 1); /* one pixel */
    case 11:
        return box_make(b.x + w / 2, b.y - 2, 1, h + 4); /* one column */
    case 12:
        return box_make(b.x - 2, b.y + h / 2, w + 4, 1); /* one row */
    case 13:
        return box_make(b.x - 4, b.y + 3, 8, 6); /* across the left edge */
    default:
        return box_make(b.x + w - 3, b.y + h - 2, 9, 7); /* bottom-right corner */
    }
}
enum { CLIP_BOXES = 15 };

START_TEST(clipped_box_matches_unclipped)
{
    shape_t s;
    shape_init(&s, 64);
    shape_circle_cubics(&s, 12.3, 11.7, 9, true);
    shape_circle_cubics(&s, 12.3, 11.7, 4, false);
    shape_move(&s, 18, 2);
    shape_quad(&s, 30, 0, 28, 19);
    shape_line(&s, 14.5, 15.25);
    const outline_t *o = shape_outline(&s);
    double a = 9 * pi / 180;
    geom_affine_t m = shape_affine(cos(a), sin(a), -sin(a) + 0.15, cos(a), 3.3, 2.6);
    geom_box_t full;
    uint8_t *whole = render_glyph(ras, o, &m, &full);
    geom_box_t c = clip_box(full, _i);
    uint8_t *part = render(ras, o, &m, c);
    for (int32_t j = 0; j < c.height; j++) {
        for (int32_t i = 0; i < c.width; i++) {
            int32_t x = c.x + i, y = c.y + j;
            int want = 0;
            if (x >= full.x && x < full.x + full.width && y >= full.y && y < full.y + full.height) {
                want = whole[(size_t)(y - full.y) * (size_t)full.width + (size_t)(x - full.x)];
            }
            int got = part[(size_t)j * (size_t)c.width + (size_t)i];
            ck_assert_msg(abs(got - want) <= 1,
                          "clip box %d (%dx%d at %d,%d): pixel (%d,%d): expected %d as in the "
                          "unclipped render, got %d",
                          _i, c.width, c.height, c.x, c.y, x, y, want, got);
        }
    }
    free(part);
    free(whole);
}
END_TEST

/* ---- several outlines in one accumulation ---- */

START_TEST(accumulated_overlap_covered_once)
{
    double a[4] = {2.25, 3.5, 12.75, 10.25}, b[4] = {6.5, 1.125, 15.375, 8.625};
    bool opposite = _i == 1;
    shape_t sa, sb;
    shape_init(&sa, 64);
    shape_rect(&sa, a[0], a[1], a[2], a[3], true);
    shape_init(&sb, 64);
    shape_rect(&sb, b[0], b[1], b[2], b[3], !opposite);
    geom_affine_t m = geom_affine_identity();
    geom_box_t box = box_make(0, 0, 18, 13);
    uint8_t *cov = buffer_new(box);
    ck_assert_int_eq(raster_begin(ras, box), 0);
    ck_assert_int_eq(raster_add(ras, shape_outline(&sa), &m), 0);
    ck_assert_int_eq(raster_add(ras, shape_outline(&sb), &m), 0);
    ck_assert_int_eq(raster_sweep(ras, cov, box.width), 0);
    double *lo, *hi;
    rect_pair_bounds(a, b, opposite, box, &lo, &hi);
    /* Signed areas add across glyphs: same windings give the union, opposite windings cancel
     * where they overlap (winding 0 is outside under the nonzero rule). */
    expect_between(opposite ? "two glyphs, opposite winding: overlap cancels"
                            : "two glyphs, same winding: the union",
                   cov, box, lo, hi);
    ck_assert_msg(coverage_max(cov, box) == 255, "two glyphs: expected max 255, got %d",
                  coverage_max(cov, box));
    if (!opposite) {
        double uni = 10.5 * 6.75 + 8.875 * 7.5 - 6.25 * 5.125;
        ck_assert_msg(fabs(coverage_sum(cov, box) - uni) <= 0.005 * uni,
                      "two glyphs: expected total = union area %.3f within 0.5%%, got %.3f", uni,
                      coverage_sum(cov, box));
    }
    free(lo), free(hi), free(cov);
}
END_TEST

/* Two glyphs that share an edge must join without a seam: variant 0 a vertical edge at x=5.5,
 * variant 1 the diagonal of a square (two triangles). */
START_TEST(adjacent_glyphs_no_seam)
{
    shape_t sa, sb;
    shape_init(&sa, 64);
    shape_init(&sb, 64);
    if (_i == 0) {
        shape_rect(&sa, 2, 2, 5.5, 6, true);
        shape_rect(&sb, 5.5, 2, 9, 6, true);
    } else {
        shape_polygon(&sa, (const double[]){1.3, 1.3, 11.3, 1.3, 11.3, 11.3}, 3);
        shape_polygon(&sb, (const double[]){1.3, 1.3, 11.3, 11.3, 1.3, 11.3}, 3);
    }
    geom_affine_t m = geom_affine_identity();
    geom_box_t box = box_make(0, 0, 13, 13);
    uint8_t *cov = buffer_new(box);
    ck_assert_int_eq(raster_begin(ras, box), 0);
    ck_assert_int_eq(raster_add(ras, shape_outline(&sa), &m), 0);
    ck_assert_int_eq(raster_add(ras, shape_outline(&sb), &m), 0);
    ck_assert_int_eq(raster_sweep(ras, cov, box.width), 0);
    for (int32_t y = 0; y < box.height; y++) {
        for (int32_t x = 0; x < box.width; x++) {
            bool inner = _i == 0 ? (x >= 2 && x < 9 && y >= 2 && y < 6)
                                 : (x >= 2 && x < 11 && y >= 2 && y < 11);
            bool on_seam = _i == 0 ? x == 5 : x == y;
            uint8_t c = cov[(size_t)y * (size_t)box.width + (size_t)x];
            ck_assert_msg(!inner || c == 255,
                          "pixel (%d,%d)%s inside the joined square: expected 255, got %u", x, y,
                          on_seam ? " on the shared edge" : "", c);
        }
    }
    free(cov);
}
END_TEST

/* ---- the accumulator is reset by the sweep ---- */

START_TEST(sweep_resets_accumulator)
{
    shape_t a, b;
    curve_shape(&a, 6);
    curve_shape(&b, 3);
    geom_affine_t m = shape_affine(1, 0, 0.1, 1, 0.3, 0.6);
    geom_box_t box = box_make(-2, -2, 40, 40);
    uint8_t *first = render(ras, shape_outline(&a), &m, box);
    uint8_t *again = render(ras, shape_outline(&a), &m, box);
    ck_assert_msg(memcmp(first, again, box_pixels(box)) == 0,
                  "rendering the same outline twice: expected identical coverage");
    uint8_t *other = render(ras, shape_outline(&b), &m, box);
    free(other);
    uint8_t *third = render(ras, shape_outline(&a), &m, box);
    ck_assert_msg(memcmp(first, third, box_pixels(box)) == 0,
                  "A, B, then A again: expected the last A identical to the first");

    /* An abort discards the accumulation too. */
    ck_assert_int_eq(raster_begin(ras, box), 0);
    ck_assert_int_eq(raster_add(ras, shape_outline(&b), &m), 0);
    raster_abort(ras);
    uint8_t *after_abort = render(ras, shape_outline(&a), &m, box);
    ck_assert_msg(memcmp(first, after_abort, box_pixels(box)) == 0,
                  "after raster_abort(): expected a clean accumulator");

    /* A smaller box after a larger one: the scratch is reused, not stale. */
    geom_box_t small = box_make(3, 4, 9, 7);
    uint8_t *s1 = render(ras, shape_outline(&a), &m, small);
    raster_t *fresh = raster_new();
    uint8_t *s2 = render(fresh, shape_outline(&a), &m, small);
    raster_free(fresh);
    ck_assert_msg(memcmp(s1, s2, box_pixels(small)) == 0,
                  "a reused rasterizer on a smaller box: expected the same as a fresh one");
    free(first), free(again), free(third), free(after_abort), free(s1), free(s2);
}
END_TEST

START_TEST(sweep_honours_stride)
{
    shape_t s;
    curve_shape(&s, 0);
    geom_affine_t m = geom_affine_identity();
    geom_box_t box;
    uint8_t *tight = render_glyph(ras, shape_outline(&s), &m, &box);
    ptrdiff_t stride = box.width + 5;
    uint8_t *wide = malloc((size_t)stride * (size_t)box.height);
    ck_assert_ptr_nonnull(wide);
    memset(wide, SENTINEL, (size_t)stride * (size_t)box.height);
    int e = raster_glyph_fill(ras, shape_outline(&s), &m, box, wide, stride);
    ck_assert_msg(e == 0, "raster_glyph_fill(stride %td): expected 0, got %d", stride, e);
    for (int32_t j = 0; j < box.height; j++) {
        const uint8_t *row = wide + (size_t)j * (size_t)stride;
        ck_assert_msg(memcmp(row, tight + (size_t)j * (size_t)box.width, (size_t)box.width) == 0,
                      "row %d: expected the same coverage as with stride = width", j);
        for (int32_t k = box.width; k < stride; k++) {
            ck_assert_msg(row[k] == SENTINEL,
                          "row %d byte %d (padding past width %d): expected untouched 0x%X, got "
                          "0x%X",
                          j, k, box.width, SENTINEL, row[k]);
        }
    }
    free(wide);
    free(tight);
}
END_TEST

/* The sweep's contract (raster-private.h) computed plainly: coverage of one row. */
static uint8_t sweep_expected(const uint16_t *acc, int32_t i, uint16_t *sum)
{
    *sum = (uint16_t)(*sum + acc[i]);
    const int32_t v = (int32_t)(*sum ^ 0x8000u) - 0x8000;
    const int32_t c = ((v < 0 ? -v : v) + 8) >> 4;
    return (uint8_t)(c < 255 ? c : 255);
}

/* Random cells for the sweep tests, the same in a and b: rows of len cells of which the first
 * used may be nonzero. Every third row from sparse_row on is mostly zero (runs of untouched
 * cells), the rest dense; some cells are 0x8000, the extreme sum. */
static void cells_random(uint16_t *a, uint16_t *b, int32_t rows, int32_t len, int32_t used,
                         int32_t sparse_row, uint32_t *seed)
{
    for (int32_t k = 0; k < rows * len; k++) {
        *seed = *seed * 1664525u + 1013904223u;
        const int32_t r = (int32_t)(*seed >> 24);
        const bool touched = (k / len) % 3 == sparse_row ? r < 6 : r < 165;
        const uint16_t v = (uint16_t)(r < 3 ? 0x8000u : *seed >> 8);
        a[k] = b[k] = (uint16_t)(touched && k % len < used ? v : 0);
    }
}

/* Every width up to 200 (all block and tail cases, runs of untouched cells long and short):
 * both the dispatched sweep (AVX2 where the CPU has it) and the build's baseline flavour give
 * the contract's coverage and leave the accumulator zero. */
START_TEST(sweep_rows_match_contract)
{
    /* dst rows have PAD bytes beyond the width, which the sweep must leave alone. */
    enum { H = 5, MAXW = 200, LEN = (MAXW + 3 + 7) & ~7, PAD = 5 };
    static uint16_t acc[2][H * LEN] __attribute__((aligned(16)));
    static uint8_t dst[2][H * (MAXW + PAD)], want[H * (MAXW + PAD)];
    uint32_t seed = 12345u + (uint32_t)_i;
    for (int32_t w = 1; w <= MAXW; w++) {
        const int32_t len = (w + 3 + 7) & ~7, pitch = w + PAD;
        /* Rows 0 and 3 mostly untouched, the rest dense; cells past width + 3 zero. */
        cells_random(acc[0], acc[1], H, len, w + 3, 0, &seed);
        memset(want, 0xa5, sizeof want);
        memset(dst, 0xa5, sizeof dst);
        for (int32_t y = 0; y < H; y++) {
            uint16_t sum = 0;
            for (int32_t i = 0; i < w; i++) {
                want[y * pitch + i] = sweep_expected(acc[0] + y * len, i, &sum);
            }
        }
        raster_sweep_rows(acc[0], len, dst[0], pitch, w, H);
        raster_sweep_rows_baseline(acc[1], len, dst[1], pitch, w, H);
        for (int f = 0; f < 2; f++) {
            ck_assert_msg(memcmp(dst[f], want, sizeof want) == 0,
                          "%s sweep, width %d: expected the contract's coverage and the bytes "
                          "past each row's width untouched",
                          f ? "baseline" : "dispatched", w);
            for (int32_t k = 0; k < H * len; k++) {
                ck_assert_msg(acc[f][k] == 0, "%s sweep, width %d: cell %d left %u",
                              f ? "baseline" : "dispatched", w, k, acc[f][k]);
            }
        }
    }
}
END_TEST

/* The columns sweep: every width up to 300 (the AVX2 sweep's strips: one, two and three), the
 * sums down each column as the contract says, the bytes past each row's width untouched, every
 * accumulator row zero after (those below the box too, which pieces may touch). */
START_TEST(sweep_cols_match_contract)
{
    enum { H = 6, MAXW = 300, LEN = (MAXW + 15) & ~15, ROWS = H + RASTER_COLUMNS_SLACK, PAD = 5 };
    static uint16_t acc[2][ROWS * LEN] __attribute__((aligned(16)));
    static uint16_t run[LEN] __attribute__((aligned(16)));
    static uint8_t dst[2][H * (MAXW + PAD)], want[H * (MAXW + PAD)];
    uint32_t seed = 777u + (uint32_t)_i;
    for (int32_t w = 1; w <= MAXW; w++) {
        const int32_t len = (w + 15) & ~15, pitch = w + PAD;
        /* The slack rows below the box too; cells past the width stay zero. */
        cells_random(acc[0], acc[1], ROWS, len, w, 1, &seed);
        memset(want, 0xa5, sizeof want);
        memset(dst, 0xa5, sizeof dst);
        for (int32_t i = 0; i < w; i++) {
            uint16_t sum = 0;
            for (int32_t y = 0; y < H; y++) {
                want[y * pitch + i] = sweep_expected(acc[0] + y * len, i, &sum);
            }
        }
        for (int f = 0; f < 2; f++) {
            memset(run, 0x5a, sizeof run); /* scratch: the sweep must not rely on it */
            (f ? raster_sweep_cols_baseline : raster_sweep_cols)(acc[f], len, run, dst[f], pitch, w,
                                                                 H);
            ck_assert_msg(memcmp(dst[f], want, sizeof want) == 0,
                          "%s columns sweep, width %d: expected the contract's coverage and the "
                          "bytes past each row's width untouched",
                          f ? "baseline" : "dispatched", w);
            for (int32_t k = 0; k < ROWS * len; k++) {
                ck_assert_msg(acc[f][k] == 0,
                              "%s columns sweep, width %d: cell %d (row %d) left %u",
                              f ? "baseline" : "dispatched", w, k, k / len, acc[f][k]);
            }
        }
    }
}
END_TEST

/* ---- the two layouts ---- */

/* Rows for small boxes, columns from 1024 px on (raster.c measures why). */
START_TEST(layout_by_area)
{
    const struct {
        int32_t w, h;
        raster_layout_t want;
    } cases[] = {{0, 0, RASTER_LAYOUT_ROWS},       {31, 33, RASTER_LAYOUT_ROWS},
                 {32, 31, RASTER_LAYOUT_ROWS},     {32, 32, RASTER_LAYOUT_COLUMNS},
                 {1024, 1, RASTER_LAYOUT_COLUMNS}, {1, 1023, RASTER_LAYOUT_ROWS},
                 {600, 90, RASTER_LAYOUT_COLUMNS}, {16384, 1024, RASTER_LAYOUT_COLUMNS}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const geom_box_t b = box_make(-3, 5, cases[i].w, cases[i].h);
        ck_assert_msg(raster_layout_for_box(b) == cases[i].want,
                      "a %dx%d box: expected the %s layout", b.width, b.height,
                      cases[i].want == RASTER_LAYOUT_ROWS ? "rows" : "columns");
    }
}
END_TEST

/* Shapes of several sizes and transforms: the rows and the columns layouts agree within a level
 * per pixel (only their roundings differ; a handful of pixels do), and a rasterizer left to
 * choose draws exactly as the layout chosen for the box. */
enum { LAYOUT_CASES = 8 };

START_TEST(layouts_agree)
{
    shape_t s;
    curve_shape(&s, _i % CURVES);
    const outline_t *o = shape_outline(&s);
    /* Scaled to boxes of about these areas: both sides of the threshold, near and far. */
    const double target[LAYOUT_CASES] = {150, 700, 960, 1000, 1060, 1150, 6000, 40000};
    const double a = (double)(_i * 11) * pi / 180;
    geom_affine_t m = shape_affine(cos(a), sin(a), 0.15 - sin(a), cos(a), 0.37 + _i, 0.81);
    geom_box_t box;
    ck_assert_int_eq(raster_glyph_box(o, &m, &box), 0);
    const double k = sqrt(target[_i] / (double)box_pixels(box));
    m = shape_affine(k * m.xx, k * m.yx, k * m.xy, k * m.yy, m.x0, m.y0);
    ck_assert_int_eq(raster_glyph_box(o, &m, &box), 0);
    raster_t *r[3];
    uint8_t *cov[3];
    const raster_layout_t layouts[3] = {RASTER_LAYOUT_ROWS, RASTER_LAYOUT_COLUMNS,
                                        RASTER_LAYOUT_AUTO};
    for (int i = 0; i < 3; i++) {
        r[i] = raster_create();
        ck_assert_ptr_nonnull(r[i]);
        raster_layout_force(r[i], layouts[i]);
        cov[i] = render(r[i], o, &m, box);
        raster_free(r[i]);
    }
    int worst = 0;
    for (size_t p = 0; p < box_pixels(box); p++) {
        const int d = abs(cov[0][p] - cov[1][p]);
        worst = d > worst ? d : worst;
    }
    ck_assert_msg(worst <= 1,
                  "shape %d in %dx%d: rows and columns differ by %d levels, expected "
                  "at most 1",
                  _i, box.width, box.height, worst);
    const bool big = raster_layout_for_box(box) == RASTER_LAYOUT_COLUMNS;
    ck_assert_msg(memcmp(cov[2], cov[big ? 1 : 0], box_pixels(box)) == 0,
                  "shape %d in %dx%d: expected the chosen layout (%s) byte for byte", _i, box.width,
                  box.height, big ? "columns" : "rows");
    for (int i = 0; i < 3; i++) {
        free(cov[i]);
    }
}
END_TEST

/* ---- the two edge engines ---- */

static uint32_t lcg_next(uint32_t *state)
{
    *state = *state * 1664525u + 1013904223u;
    return *state >> 8;
}

static double lcg_range(uint32_t *state, double lo, double hi)
{
    return lo + (hi - lo) * (double)(lcg_next(state) & 0xffff) / 65535.0;
}

/* A random outline of one to three contours of lines, quads and cubics (font units, em 1000). */
static void random_outline(shape_t *s, uint32_t *state)
{
    shape_init(s, 1000);
    const int contours = 1 + (int)(lcg_next(state) % 3);
    for (int c = 0; c < contours; c++) {
        const double cx = lcg_range(state, 200, 800), cy = lcg_range(state, 200, 800);
        shape_move(s, cx + lcg_range(state, -250, 250), cy + lcg_range(state, -250, 250));
        const int segs = 3 + (int)(lcg_next(state) % 20);
        for (int k = 0; k < segs; k++) {
            double p[6];
            for (int j = 0; j < 6; j++) {
                p[j] = (j % 2 ? cy : cx) + lcg_range(state, -250, 250);
            }
            const uint32_t kind = lcg_next(state) % 3;
            if (kind == 0) {
                shape_line(s, p[0], p[1]);
            } else if (kind == 1) {
                shape_quad(s, p[0], p[1], p[2], p[3]);
            } else {
                shape_cubic(s, p[0], p[1], p[2], p[3], p[4], p[5]);
            }
        }
    }
}

/* The engine raster_create() picks (AVX2 where the build and CPU have it) and the baseline run
 * the same code with other instructions and no FMA: their pixels must agree byte for byte, in
 * both layouts, from glyph sizes to 600 dpi card sizes, clipped or not. (Where the CPU lacks
 * AVX2 both are the baseline, and this compares it with itself.) */
START_TEST(edge_engines_agree)
{
    uint32_t state = 0x5eed0000u + (uint32_t)_i;
    shape_t s;
    random_outline(&s, &state);
    const outline_t *o = shape_outline(&s);
    const double px = 8.0 * pow(2.0, _i % 7), a = lcg_range(&state, -0.3, 0.3);
    const double k = px / 1000.0, shear = lcg_range(&state, -0.2, 0.2);
    geom_affine_t m = shape_affine(k * cos(a), k * sin(a), k * (shear - sin(a)), k * cos(a),
                                   lcg_range(&state, 0, 1), lcg_range(&state, 0, 1));
    geom_box_t box;
    ck_assert_int_eq(raster_glyph_box(o, &m, &box), 0);
    if (_i % 3 == 2) {
        box = box_make(box.x + box.width / 4, box.y + box.height / 5, box.width / 2,
                       box.height / 2); /* clipped on every side */
    }
    for (int l = 0; l < 2; l++) {
        raster_t *r[2];
        uint8_t *cov[2];
        for (int e = 0; e < 2; e++) {
            r[e] = raster_create();
            ck_assert_ptr_nonnull(r[e]);
            raster_layout_force(r[e], l == 0 ? RASTER_LAYOUT_ROWS : RASTER_LAYOUT_COLUMNS);
            raster_edges_force(r[e], e == 0 ? RASTER_EDGES_BASELINE : RASTER_EDGES_AUTO);
            cov[e] = render(r[e], o, &m, box);
            raster_free(r[e]);
        }
        size_t differ = 0;
        for (size_t p = 0; p < box_pixels(box); p++) {
            differ += cov[0][p] != cov[1][p];
        }
        ck_assert_msg(differ == 0,
                      "outline %d at %.0f px in %dx%d, %s: engine %s differs from the baseline in "
                      "%zu pixels",
                      _i, px, box.width, box.height, l == 0 ? "rows" : "columns",
                      raster_edges_name(), differ);
        free(cov[0]);
        free(cov[1]);
    }
}
END_TEST

/* ---- the verbs' check ---- */

/* raster_add() checks the verbs eight at a time: against the rule as written (the first is a
 * MOVE, each is 0 to 3, and they take exactly the points there are: max(verb, 1) each), for
 * random verbs of every length up to 40, most of them valid. */
START_TEST(verbs_checked_as_defined)
{
    static float pts[2 * 200];
    for (int i = 0; i < 200; i++) {
        pts[2 * i] = (float)(i % 7), pts[2 * i + 1] = (float)(i % 5);
    }
    uint32_t state = 0xfeed0000u + (uint32_t)_i;
    geom_affine_t m = geom_affine_identity();
    for (int trial = 0; trial < 400; trial++) {
        uint8_t verbs[40];
        const uint32_t n = lcg_next(&state) % 41;
        uint32_t need = 0;
        bool valid = true;
        for (uint32_t v = 0; v < n; v++) {
            const uint32_t pick = lcg_next(&state) % 64;
            const uint8_t unknown = (uint8_t)(4 + lcg_next(&state) % 252);
            verbs[v] = v == 0 && pick < 60 ? OUTLINE_MOVE
                       : pick < 62         ? (uint8_t)(pick % 4)
                                           : unknown;
            valid &= verbs[v] <= OUTLINE_CUBIC && (v > 0 || verbs[v] == OUTLINE_MOVE);
            need += verbs[v] == 0 ? 1 : verbs[v];
        }
        const uint32_t skew = lcg_next(&state) % 8;
        const uint32_t points = skew == 0 && need > 0 ? need - 1 : skew == 1 ? need + 1 : need;
        valid &= points == need;
        outline_t o = {verbs, pts, n, points, 1000, 0.0f, 0.0f, 6.0f, 4.0f};
        ck_assert_int_eq(raster_begin(ras, box_make(0, 0, 8, 8)), 0);
        const int e = raster_add(ras, &o, &m);
        raster_abort(ras);
        ck_assert_msg(valid ? e == 0 : e == OUTLINE_E_MALFORMED,
                      "%u verbs (first %u), %u points for %u needed: expected %s, got %d", n,
                      n ? verbs[0] : 0, points, need, valid ? "0" : "OUTLINE_E_MALFORMED", e);
    }
}
END_TEST

/* ---- hostile input ---- */

/* A hostile outline in heap arrays of exactly its size, so ASan sees any over-read. */
typedef struct hostile {
    outline_t o;
    uint8_t *verbs;
    float *points;
    int expect;       /* outline_check() result */
    bool rendered_ok; /* the rasterizer may accept it (degenerate, lying box) */
    const char *name;
} hostile_t;

static void hostile_from_shape(hostile_t *h, const shape_t *s)
{
    h->verbs = malloc(s->verb_count ? s->verb_count : 1);
    h->points = malloc((s->point_count ? s->point_count : 1) * 2 * sizeof(float));
    ck_assert(h->verbs && h->points);
    memcpy(h->verbs, s->verbs, s->verb_count);
    memcpy(h->points, s->points, s->point_count * 2 * sizeof(float));
    h->o = s->outline;
    h->o.verbs = h->verbs;
    h->o.points = h->points;
    h->o.verb_count = s->verb_count;
    h->o.point_count = s->point_count;
    outline_bounds_update(&h->o);
}

static void hostile_polygon(hostile_t *h, uint32_t n)
{
    h->verbs = malloc(n);
    h->points = malloc(2 * n * sizeof(float));
    ck_assert(h->verbs && h->points);
    for (uint32_t i = 0; i < n; i++) {
        double a = 2 * pi * i / n;
        h->verbs[i] = i == 0 ? OUTLINE_MOVE : OUTLINE_LINE;
        h->points[2 * i] = (float)(32 + 30 * cos(a));
        h->points[2 * i + 1] = (float)(32 + 30 * sin(a));
    }
    h->o = (outline_t){.verbs = h->verbs,
                       .points = h->points,
                       .verb_count = n,
                       .point_count = n,
                       .units_per_em = 64};
    outline_bounds_update(&h->o);
}

static void hostile_build(hostile_t *h, int which)
{
    shape_t s;
    shape_init(&s, 64);
    shape_rect(&s, 2, 2, 20, 20, true);
    memset(h, 0, sizeof *h);
    h->expect = OUTLINE_E_COORD;
    switch (which) {
    case 0:
        h->name = "NaN x in a middle point";
        s.points[2 * 2] = NAN;
        break;
    case 1:
        h->name = "NaN in the first point (and so the control box)";
        s.points[1] = NAN;
        break;
    case 2:
        h->name = "+Inf y";
        s.points[2 * 1 + 1] = INFINITY;
        break;
    case 3:
        h->name = "-Inf x";
        s.points[2 * 3] = -INFINITY;
        break;
    case 4:
        h->name = "x just over OUTLINE_MAX_COORD";
        s.points[2 * 1] = OUTLINE_MAX_COORD * 1.0001f;
        break;
    case 5:
        h->name = "y = -1e30";
        s.points[2 * 2 + 1] = -1e30f;
        break;
    case 6:
        h->name = "a contour lacking its MOVE";
        h->expect = OUTLINE_E_MALFORMED;
        s.verbs[0] = OUTLINE_LINE;
        break;
    case 7:
        h->name = "verbs needing more points than given";
        h->expect = OUTLINE_E_MALFORMED;
        shape_cubic(&s, 5, 5, 6, 6, 7, 8);
        s.point_count -= 2; /* the cubic has only one of its three points */
        break;
    case 8:
        h->name = "points left over after the last verb";
        h->expect = OUTLINE_E_MALFORMED;
        shape_line(&s, 9, 9);
        s.verb_count--;
        break;
    case 9:
        h->name = "an unknown verb 4";
        h->expect = OUTLINE_E_MALFORMED;
        s.verbs[2] = 4;
        break;
    case 10:
        h->name = "an unknown verb 255";
        h->expect = OUTLINE_E_MALFORMED;
        s.verbs[3] = 255;
        break;
    case 11:
        h->name = "a two-point contour";
        h->expect = OUTLINE_E_DEGENERATE;
        h->rendered_ok = true;
        shape_init(&s, 64);
        shape_move(&s, 1, 1);
        shape_line(&s, 9, 7);
        break;
    case 12:
        h->name = "a contour on one line";
        h->expect = OUTLINE_E_DEGENERATE;
        h->rendered_ok = true;
        shape_init(&s, 64);
        shape_move(&s, 1, 1);
        shape_line(&s, 5, 3);
        shape_quad(&s, 9, 5, 3, 2);
        shape_line(&s, 13, 7);
        break;
    case 13:
        h->name = "a MOVE alone";
        h->expect = OUTLINE_E_DEGENERATE;
        h->rendered_ok = true;
        shape_init(&s, 64);
        shape_move(&s, 3, 3);
        break;
    case 14:
        h->name = "all points equal";
        h->expect = OUTLINE_E_DEGENERATE;
        h->rendered_ok = true;
        shape_init(&s, 64);
        shape_move(&s, 3, 3);
        shape_line(&s, 3, 3);
        shape_cubic(&s, 3, 3, 3, 3, 3, 3);
        break;
    case 15:
        h->name = "units_per_em 0";
        h->expect = OUTLINE_E_EM;
        s.outline.units_per_em = 0;
        break;
    case 16:
        h->name = "units_per_em 16385";
        h->expect = OUTLINE_E_EM;
        s.outline.units_per_em = 16385;
        break;
    default:
        break;
    }
    hostile_from_shape(h, &s);
    switch (which) {
    case 17:
        h->name = "a control box that misses a point";
        h->expect = OUTLINE_E_BBOX;
        h->rendered_ok = true;
        h->o.x_max = 10;
        break;
    case 18:
        h->name = "NULL verbs with verb_count 4";
        h->expect = OUTLINE_E_MALFORMED;
        h->o.verbs = NULL;
        break;
    case 19:
        h->name = "NULL points with point_count 4";
        h->expect = OUTLINE_E_MALFORMED;
        h->o.points = NULL;
        break;
    case 20:
        free(h->verbs), free(h->points);
        h->name = "OUTLINE_MAX_POINTS + 1 points";
        h->expect = OUTLINE_E_TOO_MANY;
        hostile_polygon(h, OUTLINE_MAX_POINTS + 1);
        break;
    case 21:
        free(h->verbs), free(h->points);
        h->name = "OUTLINE_MAX_VERBS + 1 verbs";
        h->expect = OUTLINE_E_TOO_MANY;
        hostile_polygon(h, OUTLINE_MAX_VERBS + 1);
        h->o.point_count = OUTLINE_MAX_POINTS; /* also malformed: too-many comes first */
        break;
    case 22: /* the control box was computed before the point moved */
        h->name = "a point at 1e26 outside a lying control box";
        h->expect = OUTLINE_E_COORD;
        h->points[2 * 2] = 1e26f;
        h->points[2 * 2 + 1] = 1e26f;
        break;
    case 23: /* a zero-size glyph box far beyond int32 */
        h->name = "every point at 1e26 inside a lying control box";
        h->expect = OUTLINE_E_COORD;
        for (uint32_t i = 0; i < 2 * h->o.point_count; i++) {
            h->points[i] = 1e26f;
        }
        break;
    default:
        break;
    }
}
enum { HOSTILE_OUTLINES = 24 };

static bool all_equal(const uint8_t *p, size_t n, uint8_t v)
{
    for (size_t i = 0; i < n; i++) {
        if (p[i] != v) {
            return false;
        }
    }
    return true;
}

/* begin(box), add(good), add(extra) when extra is not NULL, sweep. */
static uint8_t *render_pair(raster_t *r, const outline_t *good, const outline_t *extra,
                            const geom_affine_t *m, geom_box_t box)
{
    uint8_t *dst = buffer_new(box);
    ck_assert_int_eq(raster_begin(r, box), 0);
    ck_assert_int_eq(raster_add(r, good, m), 0);
    if (extra) {
        ck_assert_int_eq(raster_add(r, extra, m), 0);
    }
    ck_assert_int_eq(raster_sweep(r, dst, box.width), 0);
    return dst;
}

/* A line crossing the box's top edge over a span too small for float (y from -1e-40 to
 * 1e-40) has an infinite slope; it must neither write outside the box nor smear coverage. */
START_TEST(tiny_span_across_top_edge)
{
    static const uint8_t verbs[] = {OUTLINE_MOVE, OUTLINE_LINE, OUTLINE_LINE};
    static const float pts[] = {0.0f, -1e-40f, 50.0f, 1e-40f, 50.0f, 50.0f};
    outline_t o = {verbs, pts, 3, 3, 1000, 0.0f, -1e-40f, 50.0f, 50.0f};
    geom_affine_t m = geom_affine_identity();
    geom_box_t box = box_make(0, 0, 100, 100);
    uint8_t *cov = buffer_new(box);
    ck_assert_int_eq(raster_begin(ras, box), 0);
    int e = raster_add(ras, &o, &m);
    ck_assert_msg(e == 0, "raster_add(tiny span across the top): expected 0, got %d (%s)", e,
                  raster_error_string(e));
    ck_assert_int_eq(raster_sweep(ras, cov, box.width), 0);
    ck_assert_msg(cov[10 * 100 + 40] == 255,
                  "pixel (40,10) inside the triangle: expected 255, got %d", cov[10 * 100 + 40]);
    ck_assert_msg(cov[10 * 100 + 60] == 0, "pixel (60,10) right of it: expected 0, got %d",
                  cov[10 * 100 + 60]);
    ck_assert_msg(cov[40 * 100 + 10] == 0, "pixel (10,40) below the diagonal: expected 0, got %d",
                  cov[40 * 100 + 10]);
    free(cov);
}
END_TEST

START_TEST(hostile_outline_refused)
{
    hostile_t h;
    hostile_build(&h, _i);
    int e = outline_check(&h.o);
    ck_assert_msg(e == h.expect, "outline_check(%s): expected %d (%s), got %d (%s)", h.name,
                  h.expect, outline_error_string(h.expect), e, outline_error_string(e));

    /* raster_add() consumes the points: it must refuse (or, for harmless problems, draw
     * correctly) and leave what was accumulated before it, and the accumulation itself, as
     * they were: the sweep still works and shows only the earlier glyph. */
    shape_t good;
    shape_init(&good, 64);
    shape_rect(&good, 22.5, 3, 30, 28.25, true);
    geom_affine_t m = geom_affine_identity();
    geom_box_t box = box_make(0, 0, 32, 32);
    uint8_t *cov = buffer_new(box);
    ck_assert_int_eq(raster_begin(ras, box), 0);
    ck_assert_int_eq(raster_add(ras, shape_outline(&good), &m), 0);
    e = raster_add(ras, &h.o, &m);
    if (!(h.rendered_ok && e == 0)) {
        ck_assert_msg(e == h.expect, "raster_add(%s): expected %d (%s), got %d (%s)", h.name,
                      h.expect, outline_error_string(h.expect), e, raster_error_string(e));
    }
    int sw = raster_sweep(ras, cov, box.width);
    ck_assert_msg(sw == 0,
                  "raster_sweep after raster_add(%s) returned %d: expected 0 (a refused add "
                  "changes nothing, the accumulation is still open), got %d (%s)",
                  h.name, e, sw, raster_error_string(sw));
    uint8_t *want;
    if (e != 0 || h.expect == OUTLINE_E_DEGENERATE) {
        want = render_pair(ras, shape_outline(&good), NULL, &m, box);
    } else { /* a lying control box, accepted: drawn as with the true one */
        outline_t honest = h.o;
        outline_bounds_update(&honest);
        want = render_pair(ras, shape_outline(&good), &honest, &m, box);
    }
    ck_assert_msg(memcmp(want, cov, box_pixels(box)) == 0,
                  "raster_add(%s) returned %d: expected the coverage of %s", h.name, e,
                  e != 0 || h.expect == OUTLINE_E_DEGENERATE
                      ? "the earlier glyph alone"
                      : "the earlier glyph and the outline with its true control box");
    free(want);

    /* The one-glyph path: refused by raster_glyph_box(), or else by the fill, which then
     * leaves the buffer untouched. A non-finite control box must be refused by the box. */
    geom_box_t gb = box_make(0, 0, 0, 0);
    e = raster_glyph_box(&h.o, &m, &gb);
    bool box_finite =
        isfinite(h.o.x_min) && isfinite(h.o.y_min) && isfinite(h.o.x_max) && isfinite(h.o.y_max);
    ck_assert_msg(box_finite || e < 0,
                  "raster_glyph_box(%s) with a non-finite control box: expected a negative "
                  "code, got %d and a %dx%d box",
                  h.name, e, gb.width, gb.height);
    ck_assert_msg(e <= 0, "raster_glyph_box(%s): expected 0 or a negative code, got %d", h.name, e);
    if (e == 0 && box_pixels(gb) <= 1u << 20) {
        uint8_t *dst = buffer_new(gb);
        e = raster_glyph_fill(ras, &h.o, &m, gb, dst, gb.width);
        if (!(h.rendered_ok && e == 0)) {
            ck_assert_msg(e == h.expect, "raster_glyph_fill(%s): expected %d (%s), got %d (%s)",
                          h.name, h.expect, outline_error_string(h.expect), e,
                          raster_error_string(e));
            ck_assert_msg(all_equal(dst, box_pixels(gb) ? box_pixels(gb) : 1, SENTINEL),
                          "raster_glyph_fill(%s) failed: expected the buffer untouched", h.name);
        }
        free(dst);
    }

    /* Still usable: nothing left begun, and a curved glyph renders as on a fresh rasterizer. */
    e = raster_begin(ras, box);
    ck_assert_msg(e == 0,
                  "after refusing %s (raster_add, raster_glyph_fill): expected the rasterizer "
                  "idle, raster_begin() = 0, got %d (%s)",
                  h.name, e, raster_error_string(e));
    raster_abort(ras);
    shape_t curve;
    curve_shape(&curve, 0);
    uint8_t *after = render(ras, shape_outline(&curve), &m, box);
    raster_t *fresh = raster_new();
    uint8_t *clean = render(fresh, shape_outline(&curve), &m, box);
    raster_free(fresh);
    ck_assert_msg(memcmp(after, clean, box_pixels(box)) == 0,
                  "after refusing %s: expected a later render identical to a fresh rasterizer's",
                  h.name);
    free(after), free(clean), free(cov), free(h.verbs), free(h.points);
}
END_TEST

static geom_affine_t hostile_transform(int which, bool *either_code)
{
    const double s = 1.0 / 64;
    *either_code = false;
    switch (which) {
    case 0:
        return shape_affine(NAN, 0, 0, s, 0, 0);
    case 1:
        return shape_affine(s, 0, 0, INFINITY, 0, 0);
    case 2:
        return shape_affine(s, -INFINITY, 0, s, 0, 0);
    case 3:
        return shape_affine(s, 0, 0, s, NAN, 0);
    case 4:
        return shape_affine(s, 0, 0, s, 0, -INFINITY);
    case 5:
        return shape_affine(0, 0, 0, 0, 0, 0); /* singular: all zero */
    case 6:
        return shape_affine(s, 2 * s, 2 * s, 4 * s, 0, 0); /* singular: rank 1 */
    case 7:
        return shape_affine(s, 0, s, 0, 0, 0); /* singular: y ignored */
    case 8:
        return shape_affine(1e6, 0, 0, 1e6, 0, 0); /* pixels per em far over the max */
    case 9:
        return shape_affine(s, 0, 4097.0 / 64, s, 0, 0); /* one entry just over */
    case 10:
        return shape_affine(DBL_MAX, 0, 0, DBL_MAX, 0, 0);
    default: /* a translation beyond any int32 pixel */
        *either_code = true;
        return shape_affine(s, 0, 0, s, 1e15, -3e12);
    }
}
enum { HOSTILE_TRANSFORMS = 12 };

START_TEST(hostile_transform_refused)
{
    bool either;
    geom_affine_t m = hostile_transform(_i, &either);
    shape_t s;
    shape_init(&s, 64);
    shape_rect(&s, 0, 0, 640, 640, true);
    geom_box_t gb = box_make(111, 222, 333, 444);
    int e = raster_glyph_box(shape_outline(&s), &m, &gb);
    bool ok = e == RASTER_E_TRANSFORM || (either && e == RASTER_E_TOO_LARGE);
    ck_assert_msg(ok,
                  "raster_glyph_box(transform %d = {%g %g %g %g %g %g}): expected %d (%s)%s, "
                  "got %d (%s)",
                  _i, m.xx, m.yx, m.xy, m.yy, m.x0, m.y0, RASTER_E_TRANSFORM,
                  raster_error_string(RASTER_E_TRANSFORM), either ? " or RASTER_E_TOO_LARGE" : "",
                  e, raster_error_string(e));

    geom_box_t box = box_make(0, 0, 16, 16);
    uint8_t *cov = buffer_new(box);
    ck_assert_int_eq(raster_begin(ras, box), 0);
    e = raster_add(ras, shape_outline(&s), &m);
    ok = e == RASTER_E_TRANSFORM || (either && e == RASTER_E_TOO_LARGE);
    ck_assert_msg(ok, "raster_add(transform %d): expected %d (%s), got %d (%s)", _i,
                  RASTER_E_TRANSFORM, raster_error_string(RASTER_E_TRANSFORM), e,
                  raster_error_string(e));
    ck_assert_int_eq(raster_sweep(ras, cov, box.width), 0);
    ck_assert_msg(all_equal(cov, box_pixels(box), 0),
                  "after a refused transform: expected no coverage");
    free(cov);
}
END_TEST

/* Glyph boxes over the em limit or the raster's size limits; the last cases are just inside. */
typedef struct big_case {
    const char *name;
    uint32_t upem;
    double x0, y0, x1, y1, scale;
    int expect;
} big_case_t;

static const big_case_t big_cases[] = {
    {"60 ems at 16 px/em", 64, 0, 0, 3840, 64, 0.25, RASTER_E_TOO_LARGE},
    {"17.2 ems wide, thin", 64, 0, 0, 1100, 10, 1, RASTER_E_TOO_LARGE},
    {"32768 px wide at the max scale", 16384, -65536, -10, 65536, 10, 0.25, RASTER_E_TOO_LARGE},
    {"4400x4400 px: over RASTER_MAX_AREA", 1024, 0, 0, 1100, 1100, 4, RASTER_E_TOO_LARGE},
    {"15.5 ems wide", 64, 0, 0, 992, 10, 1, 0},
    {"1000 ems small and tiny", 16, 0, 0, 16000, 16, 1.0 / 4096, RASTER_E_TOO_LARGE},
};
enum { BIG_CASES = sizeof big_cases / sizeof big_cases[0] };

START_TEST(glyph_box_too_large_refused)
{
    const big_case_t *c = &big_cases[_i];
    shape_t s;
    shape_init(&s, c->upem);
    shape_rect(&s, c->x0, c->y0, c->x1, c->y1, true);
    geom_affine_t m = shape_affine(c->scale, 0, 0, c->scale, 0.5, 0.5);
    geom_box_t gb = box_make(111, 222, 333, 444);
    int e = raster_glyph_box(shape_outline(&s), &m, &gb);
    ck_assert_msg(e == c->expect, "raster_glyph_box(%s): expected %d (%s), got %d (%s) box %dx%d",
                  c->name, c->expect, raster_error_string(c->expect), e, raster_error_string(e),
                  gb.width, gb.height);
    /* Into a small box raster_add() either refuses the same way or clips exactly: the box lies
     * wholly inside the rectangle, so everything is covered. */
    geom_box_t box = box_make(1, 1, 8, 2);
    uint8_t *cov = buffer_new(box);
    ck_assert_int_eq(raster_begin(ras, box), 0);
    e = raster_add(ras, shape_outline(&s), &m);
    ck_assert_msg(e == 0 || e == RASTER_E_TOO_LARGE,
                  "raster_add(%s): expected 0 or %d, got %d (%s)", c->name, RASTER_E_TOO_LARGE, e,
                  raster_error_string(e));
    ck_assert_int_eq(raster_sweep(ras, cov, box.width), 0);
    bool inside = c->scale * c->x0 + 0.5 <= 1 && c->scale * c->x1 + 0.5 >= 9 &&
                  c->scale * c->y0 + 0.5 <= 1 && c->scale * c->y1 + 0.5 >= 3;
    ck_assert_msg(all_equal(cov, box_pixels(box), e == 0 && inside ? 255 : 0),
                  "raster_add(%s) returned %d: expected every pixel %d", c->name, e,
                  e == 0 && inside ? 255 : 0);
    free(cov);
}
END_TEST

/* The header: a failing call has "changed nothing visible"; raster_glyph_box()'s box is the
 * caller's, so a refusal must leave it as it was. Tried with every hostile outline, transform
 * and oversized glyph above; reports the first that changes it and how many do. */
START_TEST(failed_glyph_box_leaves_box)
{
    int changed = 0, refused = 0;
    char first[160] = "";
    for (int i = 0; i < HOSTILE_OUTLINES + HOSTILE_TRANSFORMS + BIG_CASES; i++) {
        hostile_t h = {0};
        shape_t s;
        geom_affine_t m = geom_affine_identity();
        const outline_t *o;
        char what[96];
        if (i < HOSTILE_OUTLINES) {
            hostile_build(&h, i);
            o = &h.o;
            snprintf(what, sizeof what, "outline with %s", h.name);
        } else if (i < HOSTILE_OUTLINES + HOSTILE_TRANSFORMS) {
            bool either;
            m = hostile_transform(i - HOSTILE_OUTLINES, &either);
            shape_init(&s, 64);
            shape_rect(&s, 0, 0, 640, 640, true);
            o = shape_outline(&s);
            snprintf(what, sizeof what, "hostile transform %d", i - HOSTILE_OUTLINES);
        } else {
            const big_case_t *c = &big_cases[i - HOSTILE_OUTLINES - HOSTILE_TRANSFORMS];
            shape_init(&s, c->upem);
            shape_rect(&s, c->x0, c->y0, c->x1, c->y1, true);
            m = shape_affine(c->scale, 0, 0, c->scale, 0.5, 0.5);
            o = shape_outline(&s);
            snprintf(what, sizeof what, "glyph %s", c->name);
        }
        geom_box_t gb = box_make(111, 222, 333, 444);
        int e = raster_glyph_box(o, &m, &gb);
        if (e != 0) {
            refused++;
            if (gb.x != 111 || gb.y != 222 || gb.width != 333 || gb.height != 444) {
                if (changed++ == 0) {
                    snprintf(first, sizeof first, "%s (code %d) left %dx%d at (%d,%d)", what, e,
                             gb.width, gb.height, gb.x, gb.y);
                }
            }
        }
        free(h.verbs), free(h.points);
    }
    ck_assert_msg(changed == 0,
                  "a refused raster_glyph_box(): expected the box untouched (333x444 at 111,222); "
                  "%d of %d refusals changed it, first: %s",
                  changed, refused, first);
}
END_TEST

typedef struct begin_case {
    geom_box_t box;
    bool ok;
} begin_case_t;

static const begin_case_t begin_cases[] = {
    {{0, 0, RASTER_MAX_DIM + 1, 1}, false},
    {{0, 0, 1, RASTER_MAX_DIM + 1}, false},
    {{0, 0, 4097, 4096}, false},
    {{-7, 3, 8192, 2049}, false}, /* area just over */
    {{0, 0, -1, 5}, false},
    {{0, 0, 5, -1}, false},
    {{0, 0, INT32_MIN, INT32_MIN}, false},
    {{0, 0, INT32_MAX, INT32_MAX}, false},
    {{0, 0, RASTER_MAX_DIM, 1}, true},
    {{0, 0, 1, RASTER_MAX_DIM}, true},
    {{-3, 5, 4096, 4096}, true},
    {{0, 0, 0, 0}, true},
    {{-5000, -7000, 3, 3}, true},
};
enum { BEGIN_CASES = sizeof begin_cases / sizeof begin_cases[0] };

START_TEST(begin_box_limits)
{
    const begin_case_t *c = &begin_cases[_i];
    geom_box_t b = c->box;
    int e = raster_begin(ras, b);
    if (!c->ok) {
        ck_assert_msg(e == RASTER_E_TOO_LARGE, "raster_begin(%dx%d): expected %d (%s), got %d (%s)",
                      b.width, b.height, RASTER_E_TOO_LARGE,
                      raster_error_string(RASTER_E_TOO_LARGE), e, raster_error_string(e));
        /* Nothing begun: add is a state error, and a good begin works. */
        shape_t s;
        curve_shape(&s, 0);
        geom_affine_t m = geom_affine_identity();
        e = raster_add(ras, shape_outline(&s), &m);
        ck_assert_msg(
            e == RASTER_E_STATE, "raster_add() after a failed begin: expected %d (%s), got %d (%s)",
            RASTER_E_STATE, raster_error_string(RASTER_E_STATE), e, raster_error_string(e));
        e = raster_begin(ras, box_make(0, 0, 4, 4));
        ck_assert_msg(e == 0, "raster_begin() after a failed one: expected 0, got %d (%s)", e,
                      raster_error_string(e));
        raster_abort(ras);
        return;
    }
    ck_assert_msg(e == 0, "raster_begin(%dx%d at %d,%d): expected 0, got %d (%s)", b.width,
                  b.height, b.x, b.y, e, raster_error_string(e));
    /* A square covering the whole box, so every pixel must come out 255. */
    shape_t s;
    shape_init(&s, 4096); /* 1 px per unit is 4096 px per em: the largest scale allowed */
    shape_rect(&s, b.x - 1.0, b.y - 1.0, b.x + b.width + 1.0, b.y + b.height + 1.0, true);
    geom_affine_t m = geom_affine_identity();
    e = raster_add(ras, shape_outline(&s), &m);
    ck_assert_msg(e == 0, "raster_add(covering square): expected 0, got %d (%s)", e,
                  raster_error_string(e));
    uint8_t *dst = buffer_new(b);
    ck_assert_int_eq(raster_sweep(ras, dst, b.width > 0 ? b.width : 1), 0);
    ck_assert_msg(box_pixels(b) == 0 || all_equal(dst, box_pixels(b), 255),
                  "%dx%d box fully covered: expected every pixel 255", b.width, b.height);
    ck_assert_msg(box_pixels(b) != 0 || dst[0] == SENTINEL, "0x0 box: expected nothing written");
    free(dst);
}
END_TEST

START_TEST(state_errors)
{
    shape_t s;
    curve_shape(&s, 0);
    geom_affine_t m = geom_affine_identity();
    uint8_t dst[16 * 16];
    int e = raster_add(ras, shape_outline(&s), &m);
    ck_assert_msg(e == RASTER_E_STATE, "raster_add() before begin: expected %d, got %d",
                  RASTER_E_STATE, e);
    e = raster_sweep(ras, dst, 16);
    ck_assert_msg(e == RASTER_E_STATE, "raster_sweep() before begin: expected %d, got %d",
                  RASTER_E_STATE, e);
    geom_box_t box = box_make(0, 0, 16, 16);
    ck_assert_int_eq(raster_begin(ras, box), 0);
    ck_assert_int_eq(raster_add(ras, shape_outline(&s), &m), 0);
    e = raster_begin(ras, box_make(0, 0, 3, 3));
    ck_assert_msg(e == RASTER_E_STATE, "raster_begin() twice: expected %d, got %d", RASTER_E_STATE,
                  e);
    /* The first accumulation is intact. */
    ck_assert_int_eq(raster_sweep(ras, dst, 16), 0);
    uint8_t *want = render(ras, shape_outline(&s), &m, box);
    ck_assert_msg(memcmp(want, dst, sizeof dst) == 0,
                  "begin twice: expected the first accumulation unchanged");
    e = raster_sweep(ras, dst, 16);
    ck_assert_msg(e == RASTER_E_STATE, "raster_sweep() twice: expected %d, got %d", RASTER_E_STATE,
                  e);
    raster_abort(ras); /* harmless when nothing is begun */
    free(want);
}
END_TEST

START_TEST(empty_outline_zero_box)
{
    outline_t o = {.units_per_em = 1000};
    ck_assert_int_eq(outline_check(&o), OUTLINE_OK);
    geom_affine_t m = shape_affine(0.05, 0, 0, -0.05, 12.5, 30.25);
    geom_box_t box = box_make(111, 222, 333, 444);
    int e = raster_glyph_box(&o, &m, &box);
    ck_assert_msg(e == 0, "raster_glyph_box(empty): expected 0, got %d (%s)", e,
                  raster_error_string(e));
    ck_assert_msg(box.width == 0 && box.height == 0,
                  "raster_glyph_box(empty): expected a 0x0 box, got %dx%d", box.width, box.height);
    uint8_t dst[4] = {SENTINEL, SENTINEL, SENTINEL, SENTINEL};
    e = raster_glyph_fill(ras, &o, &m, box, dst, 1);
    ck_assert_msg(e == 0, "raster_glyph_fill(empty, 0x0): expected 0, got %d (%s)", e,
                  raster_error_string(e));
    ck_assert_msg(all_equal(dst, sizeof dst, SENTINEL), "0x0 fill: expected nothing written");
    /* And added into a real box it draws nothing. */
    uint8_t *cov = render(ras, &o, &m, box_make(0, 0, 8, 8));
    ck_assert_msg(all_equal(cov, 64, 0), "empty outline in an 8x8 box: expected all 0");
    free(cov);
}
END_TEST

START_TEST(names_and_strings)
{
    const char *n = raster_sweep_name();
    ck_assert_msg(
        n && (strcmp(n, "sse2") == 0 || strcmp(n, "neon") == 0 || strcmp(n, "portable") == 0),
        "raster_sweep_name(): expected sse2, neon or portable, got %s", n ? n : "NULL");
    const char *e = raster_edges_name();
    ck_assert_msg(e && (strcmp(e, "avx2") == 0 || strcmp(e, n) == 0),
                  "raster_edges_name(): expected avx2 or the sweep's %s, got %s", n,
                  e ? e : "NULL");
    const int codes[] = {RASTER_E_TRANSFORM, RASTER_E_TOO_LARGE,   RASTER_E_NOMEM,
                         RASTER_E_STATE,     OUTLINE_E_TOO_MANY,   OUTLINE_E_MALFORMED,
                         OUTLINE_E_COORD,    OUTLINE_E_DEGENERATE, OUTLINE_E_EM,
                         OUTLINE_E_BBOX};
    enum { N = sizeof codes / sizeof codes[0] };
    for (int i = 0; i < N; i++) {
        const char *a = raster_error_string(codes[i]);
        ck_assert_msg(a && *a, "raster_error_string(%d): expected a message, got none", codes[i]);
        for (int j = 0; j < i; j++) {
            ck_assert_msg(strcmp(a, raster_error_string(codes[j])) != 0,
                          "raster_error_string(%d) and (%d): expected different messages, both "
                          "\"%s\"",
                          codes[i], codes[j], a);
        }
    }
}
END_TEST

/* A test case run in one layout of the accumulation (or, for NULL, not tied to one). */
static TCase *tcase(Suite *s, const char *name, const char *layout_name)
{
    enum { NAMES = 64 };
    static char names[NAMES][96];
    static int used;
    if (used == NAMES) {
        fprintf(stderr, "check_raster: more than %d test cases, raise NAMES\n", NAMES);
        exit(EXIT_FAILURE);
    }
    char *full = names[used++];
    snprintf(full, sizeof names[0], "%s%s%s", name, layout_name ? ", in " : "",
             layout_name ? layout_name : "");
    TCase *tc = tcase_create(full);
    if (!layout_name) {
        tcase_add_checked_fixture(tc, raster_setup, raster_teardown);
    } else if (strcmp(layout_name, "rows") == 0) {
        tcase_add_checked_fixture(tc, raster_setup_rows, raster_teardown);
    } else {
        tcase_add_checked_fixture(tc, raster_setup_columns, raster_teardown);
    }
    suite_add_tcase(s, tc);
    return tc;
}

/* Everything that draws, in one layout. */
static void raster_drawing_cases(Suite *s, const char *in)
{
    TCase *tc = tcase(s, "exact coverage of a unit square", in);
    tcase_add_loop_test(tc, unit_square_exact_at_offset, 0, SQUARE_OFFSETS);

    tc = tcase(s, "exact coverage of triangles", in);
    tcase_add_loop_test(tc, triangle_exact, 0, TRIANGLES);
    tcase_add_loop_test(tc, shallow_edges_exact, 0, 24);
    tcase_add_loop_test(tc, steep_edges_exact, 0, 24);
    tcase_add_loop_test(tc, near_vertical_edge_far_right_exact, 0, 2);
    tcase_add_loop_test(tc, creeping_contour_leaves_no_trail, 0, 4);
    tcase_add_loop_test(tc, box_far_from_outline_draws_nothing, 0, 3);

    tc = tcase(s, "circle area", in);
    tcase_add_loop_test(tc, circle_total_area, 0, 2);

    tc = tcase(s, "overlapping contours", in);
    tcase_add_loop_test(tc, overlap_same_winding_covered_once, 0, 3);
    tcase_add_test(tc, star_centre_filled_nonzero);

    tc = tcase(s, "opposite windings", in);
    tcase_add_loop_test(tc, opposite_winding_makes_hole, 0, 2);
    tcase_add_test(tc, ring_of_cubics_has_hole);

    tc = tcase(s, "conic and cubic curves", in);
    tcase_add_loop_test(tc, curves_match_reference, 0, CURVES);

    tc = tcase(s, "rotation and shear", in);
    tcase_add_loop_test(tc, rotated_sheared_square_exact, 0, ROT_SHEARS);

    tc = tcase(s, "clipping at the box edges", in);
    tcase_add_loop_test(tc, clipped_box_matches_unclipped, 0, CLIP_BOXES);

    tc = tcase(s, "several glyphs in one accumulation", in);
    tcase_add_loop_test(tc, accumulated_overlap_covered_once, 0, 2);
    tcase_add_loop_test(tc, adjacent_glyphs_no_seam, 0, 2);

    tc = tcase(s, "accumulator reset after sweep", in);
    tcase_add_test(tc, sweep_resets_accumulator);
    tcase_add_test(tc, sweep_honours_stride);

    tc = tcase(s, "hostile outlines refused", in);
    tcase_add_loop_test(tc, hostile_outline_refused, 0, HOSTILE_OUTLINES);
    tcase_add_test(tc, tiny_span_across_top_edge);

    tc = tcase(s, "a refused call changes nothing", in);
    tcase_add_test(tc, failed_glyph_box_leaves_box);
}

static Suite *raster_suite(void)
{
    Suite *s = suite_create("raster");
    raster_drawing_cases(s, "rows");
    raster_drawing_cases(s, "columns");

    TCase *tc = tcase(s, "the layout chosen by the box", NULL);
    tcase_add_test(tc, layout_by_area);
    tcase_add_loop_test(tc, layouts_agree, 0, LAYOUT_CASES);

    tc = tcase(s, "the edge engines agree", NULL);
    tcase_add_loop_test(tc, edge_engines_agree, 0, 42);

    tc = tcase(s, "the verbs' check", NULL);
    tcase_add_loop_test(tc, verbs_checked_as_defined, 0, 5);

    tc = tcase(s, "the sweeps against their contracts", NULL);
    tcase_add_loop_test(tc, sweep_rows_match_contract, 0, 3);
    tcase_add_loop_test(tc, sweep_cols_match_contract, 0, 3);

    tc = tcase(s, "hostile transforms refused", NULL);
    tcase_add_loop_test(tc, hostile_transform_refused, 0, HOSTILE_TRANSFORMS);

    tc = tcase(s, "boxes over the size limits refused", NULL);
    tcase_add_loop_test(tc, glyph_box_too_large_refused, 0, BIG_CASES);
    tcase_add_loop_test(tc, begin_box_limits, 0, BEGIN_CASES);

    tc = tcase(s, "calls out of order", NULL);
    tcase_add_test(tc, state_errors);

    tc = tcase(s, "empty outline", NULL);
    tcase_add_test(tc, empty_outline_zero_box);
    tcase_add_test(tc, names_and_strings);
    return s;
}

int main(void)
{
    return testutil_suite_run(raster_suite());
}
