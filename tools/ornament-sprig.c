/* ornament-sprig.c - draws assets/ornament-sprig.png, the card's optional corner ornament: a
 * small botanical sprig (a tapering curved stem, alternate leaves with a pale midrib, three
 * berries at the tip), dark on white, 8-bit grey at 300 dpi. It uses likeletter's own
 * rasterizer, so the file is reproducible byte for byte from this source.
 *
 * Run once after changing it (from the repository root, with a built core library):
 *   cc -std=c17 -O2 -Iinclude tools/ornament-sprig.c build/card/liblikeletter_core.a \
 *      -lpng -lm -o /tmp/ornament-sprig && /tmp/ornament-sprig assets/ornament-sprig.png
 */
#include "likeletter/image.h"
#include "likeletter/raster.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define W 180 /* 15.2 mm at 300 dpi */
#define H 132 /* 11.2 mm */
#define DPI 300.0
#define MAX_PTS 512
#define PI 3.14159265358979323846

/* One contour under construction, in pixels with y up (the rasterizer's font-unit convention;
 * the map below flips it). */
typedef struct shape {
    uint8_t verbs[MAX_PTS];
    float pts[2 * MAX_PTS];
    uint32_t nv, np;
} shape_t;

static void shape_put(shape_t *s, uint8_t verb, const double *xy, int n)
{
    s->verbs[s->nv++] = verb;
    for (int i = 0; i < 2 * n; i++) {
        s->pts[2 * s->np + (uint32_t)i] = (float)xy[i];
    }
    s->np += (uint32_t)n;
}

/* A cubic Bezier's point and unit normal at t. */
static void cubic_at(const double c[8], double t, double *x, double *y, double *nx, double *ny)
{
    double u = 1 - t;
    *x = u * u * u * c[0] + 3 * u * u * t * c[2] + 3 * u * t * t * c[4] + t * t * t * c[6];
    *y = u * u * u * c[1] + 3 * u * u * t * c[3] + 3 * u * t * t * c[5] + t * t * t * c[7];
    double dx = 3 * u * u * (c[2] - c[0]) + 6 * u * t * (c[4] - c[2]) + 3 * t * t * (c[6] - c[4]);
    double dy = 3 * u * u * (c[3] - c[1]) + 6 * u * t * (c[5] - c[3]) + 3 * t * t * (c[7] - c[5]);
    double len = sqrt(dx * dx + dy * dy);
    *nx = -dy / len, *ny = dx / len;
}

/* The stem: the curve c widened from w0 at its start to w1 at its end, as one polygon. */
static void stem(shape_t *s, const double c[8], double w0, double w1, int steps)
{
    for (int side = 0; side < 2; side++) {
        for (int i = 0; i <= steps; i++) {
            double t = side == 0 ? (double)i / steps : 1.0 - (double)i / steps;
            double x, y, nx, ny, w = (w0 + (w1 - w0) * t) / 2 * (side == 0 ? 1 : -1);
            cubic_at(c, t, &x, &y, &nx, &ny);
            double p[2] = {x + nx * w, y + ny * w};
            shape_put(s, s->nv == 0 ? OUTLINE_MOVE : OUTLINE_LINE, p, 1);
        }
    }
}

/* A leaf from (x, y) along angle a (radians), length len, half-width len * fat: two quadratic
 * arcs. reverse draws it the other way round (a hole, for the midrib). */
static void leaf(shape_t *s, double x, double y, double a, double len, double fat, bool reverse)
{
    double ca = cos(a), sa = sin(a), nx = -sa, ny = ca;
    double tip[2] = {x + ca * len, y + sa * len}, base[2] = {x, y};
    double left[2] = {x + ca * len * 0.45 + nx * len * fat * 2,
                      y + sa * len * 0.45 + ny * len * fat * 2};
    double right[2] = {x + ca * len * 0.55 - nx * len * fat * 2,
                       y + sa * len * 0.55 - ny * len * fat * 2};
    double q1[4] = {(reverse ? right : left)[0], (reverse ? right : left)[1], tip[0], tip[1]};
    double q2[4] = {(reverse ? left : right)[0], (reverse ? left : right)[1], base[0], base[1]};
    shape_put(s, OUTLINE_MOVE, base, 1);
    shape_put(s, OUTLINE_QUAD, q1, 2);
    shape_put(s, OUTLINE_QUAD, q2, 2);
}

/* A berry: a circle of radius r at (x, y), four cubic quarters. */
static void berry(shape_t *s, double x, double y, double r)
{
    const double k = 0.5522847498 * r;
    double p0[2] = {x + r, y};
    double q[4][6] = {{x + r, y + k, x + k, y + r, x, y + r},
                      {x - k, y + r, x - r, y + k, x - r, y},
                      {x - r, y - k, x - k, y - r, x, y - r},
                      {x + k, y - r, x + r, y - k, x + r, y}};
    shape_put(s, OUTLINE_MOVE, p0, 1);
    for (int i = 0; i < 4; i++) {
        shape_put(s, OUTLINE_CUBIC, q[i], 3);
    }
}

static int shape_add(raster_t *r, shape_t *s, const geom_affine_t *m)
{
    outline_t o = {.verbs = s->verbs,
                   .points = s->pts,
                   .verb_count = s->nv,
                   .point_count = s->np,
                   .units_per_em = 1000};
    outline_bounds_update(&o);
    int rc = outline_check(&o);
    rc = rc == 0 ? raster_add(r, &o, m) : rc;
    s->nv = s->np = 0;
    return rc;
}

/* The whole sprig: every contour in one accumulation, so overlaps are covered once and the
 * reversed midribs cut pale veins into their leaves. */
static int sprig_draw(raster_t *r, const geom_affine_t *m)
{
    static shape_t s;
    const double c[8] = {12, 14, 78, 14, 98, 84, 160, 112}; /* bottom left to top right */
    int rc = 0;
    stem(&s, c, 4.2, 1.2, 48);
    rc = rc ? rc : shape_add(r, &s, m);
    for (int i = 0; i < 7 && rc == 0; i++) {
        double t = 0.12 + 0.12 * i, x, y, nx, ny;
        cubic_at(c, t, &x, &y, &nx, &ny);
        double side = i % 2 ? -1 : 1, along = atan2(-nx, ny); /* the tangent */
        double a = along + side * (0.75 - 0.04 * i), len = 36 - 3.0 * i;
        leaf(&s, x, y, a, len, 0.21, false);
        leaf(&s, x + cos(a) * len * 0.08, y + sin(a) * len * 0.08, a, len * 0.78, 0.012, true);
        rc = shape_add(r, &s, m);
    }
    const double berries[][3] = {{163, 115, 3.3}, {155, 119, 2.7}, {166, 106, 2.5}};
    for (int i = 0; i < 3 && rc == 0; i++) {
        berry(&s, berries[i][0], berries[i][1], berries[i][2]);
        rc = shape_add(r, &s, m);
    }
    return rc;
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: %s OUT.png\n", argv[0]);
        return 2;
    }
    static uint8_t cov[W * H], grey[W * H];
    geom_affine_t m = {1, 0, 0, -1, 0, H}; /* y up to y down */
    raster_t *r = raster_create();
    int rc = r ? raster_begin(r, (geom_box_t){0, 0, W, H}) : RASTER_E_NOMEM;
    rc = rc ? rc : sprig_draw(r, &m);
    rc = rc ? rc : raster_sweep(r, cov, W);
    raster_free(r);
    if (rc != 0) {
        fprintf(stderr, "ornament-sprig: %s\n", raster_error_string(rc));
        return 1;
    }
    for (size_t i = 0; i < sizeof cov; i++) {
        grey[i] = (uint8_t)(255 - cov[i]);
    }
    image_view_t v = {grey, W, H, W, IMAGE_GRAY8, DPI};
    return image_png_write(&v, argv[1]) == 0 ? 0 : 1;
}
