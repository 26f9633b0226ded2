/* reference.c - see reference.h. Point sampling: slow to converge, but with no clever geometry
 * to get wrong, which is what a yardstick for the real rasterizer needs.
 *
 * Steps: transform and flatten every contour into line edges (double precision), bucket each
 * edge's crossings by the sample rows it spans (so the work is O(crossings), not rows*edges),
 * then per sample row sort the crossings by x and count the samples of each pixel that lie
 * where the winding number is nonzero.
 */
#include "reference.h"

#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#define SS 16                 /* samples per pixel along each axis */
#define FLATNESS 0.001        /* max distance of a flattened curve from the true one, px */
#define MAX_CURVE_STEPS 16384 /* bounds the work for absurd coordinates */
#define MAX_DIM 16384         /* largest box side accepted, pixels */

/* One line edge, stored top to bottom (ya < yb) with the direction it had in the outline. */
typedef struct edge {
    double xa, ya, yb, dxdy;
    int dir; /* +1 when the contour runs downwards (y grows), -1 upwards */
} edge_t;

typedef struct crossing {
    double x;
    int dir;
} crossing_t;

/* Everything one call builds: the edges, then the crossings bucketed by sample row. */
typedef struct ref {
    geom_box_t box;
    int32_t sample_rows; /* box.height * SS */
    edge_t *edges;
    size_t edge_count, edge_cap;
    double cur_x, cur_y; /* pen position while flattening */
    size_t *row_start;   /* sample_rows + 1 offsets into crossings */
    crossing_t *crossings;
    bool failed; /* out of memory or a non-finite coordinate */
} ref_t;

/* ---- flattening ---- */

/* The first sample row at or below y: sample row k sits at box.y + (k + 0.5) / SS. The same
 * expression for both ends of every edge makes the half-open rule ya <= y < yb exact at shared
 * vertices: a sample row on a vertex is counted by exactly one of its two edges. */
static double sample_row_at(const ref_t *rf, double y)
{
    return ceil((y - rf->box.y) * SS - 0.5);
}

static void edge_push(ref_t *rf, double x0, double y0, double x1, double y1)
{
    if (!isfinite(x0) || !isfinite(y0) || !isfinite(x1) || !isfinite(y1)) {
        rf->failed = true;
        return;
    }
    if (y0 == y1) {
        return; /* horizontal: crosses no sample row under the half-open rule */
    }
    if (rf->edge_count == rf->edge_cap) {
        size_t cap = rf->edge_cap ? 2 * rf->edge_cap : 256;
        edge_t *e = realloc(rf->edges, cap * sizeof *e);
        if (!e) {
            rf->failed = true;
            return;
        }
        rf->edges = e;
        rf->edge_cap = cap;
    }
    int dir = y1 > y0 ? 1 : -1;
    if (dir < 0) {
        double t = x0;
        x0 = x1, x1 = t;
        t = y0, y0 = y1, y1 = t;
    }
    rf->edges[rf->edge_count++] =
        (edge_t){.xa = x0, .ya = y0, .yb = y1, .dxdy = (x1 - x0) / (y1 - y0), .dir = dir};
}

static void line_to(ref_t *rf, double x, double y)
{
    edge_push(rf, rf->cur_x, rf->cur_y, x, y);
    rf->cur_x = x;
    rf->cur_y = y;
}

/* Uniform steps enough for the tolerance: a step of h in t strays at most h^2/8 * max|B''|
 * from the chord, so n = sqrt(max|B''| / (8 * FLATNESS)) steps suffice. */
static int curve_steps(double second_derivative_bound)
{
    double n = ceil(sqrt(second_derivative_bound / (8.0 * FLATNESS)));
    if (!(n >= 1)) {
        return 1; /* also NaN: edge_push refuses the coordinates later */
    }
    return n > MAX_CURVE_STEPS ? MAX_CURVE_STEPS : (int)n;
}

static void quad_to(ref_t *rf, const double *c, const double *p)
{
    double x0 = rf->cur_x, y0 = rf->cur_y;
    /* B'' = 2 * (p0 - 2 c + p2) */
    int n = curve_steps(2.0 * hypot(x0 - 2 * c[0] + p[0], y0 - 2 * c[1] + p[1]));
    for (int i = 1; i < n; i++) {
        double t = (double)i / n, u = 1 - t;
        line_to(rf, u * u * x0 + 2 * u * t * c[0] + t * t * p[0],
                u * u * y0 + 2 * u * t * c[1] + t * t * p[1]);
    }
    line_to(rf, p[0], p[1]); /* the exact end point, so contours close exactly */
}

static void cubic_to(ref_t *rf, const double *c1, const double *c2, const double *p)
{
    double x0 = rf->cur_x, y0 = rf->cur_y;
    /* |B''| <= 6 * max(|p0 - 2 c1 + c2|, |c1 - 2 c2 + p3|) */
    double d1 = hypot(x0 - 2 * c1[0] + c2[0], y0 - 2 * c1[1] + c2[1]);
    double d2 = hypot(c1[0] - 2 * c2[0] + p[0], c1[1] - 2 * c2[1] + p[1]);
    int n = curve_steps(6.0 * fmax(d1, d2));
    for (int i = 1; i < n; i++) {
        double t = (double)i / n, u = 1 - t;
        double a = u * u * u, b = 3 * u * u * t, cc = 3 * u * t * t, d = t * t * t;
        line_to(rf, a * x0 + b * c1[0] + cc * c2[0] + d * p[0],
                a * y0 + b * c1[1] + cc * c2[1] + d * p[1]);
    }
    line_to(rf, p[0], p[1]);
}

/* Walks the verbs, transforming points as they come; -1 when verbs and points disagree. */
static int outline_flatten(ref_t *rf, const outline_t *o, const geom_affine_t *m)
{
    static const uint32_t verb_points[4] = {1, 1, 2, 3};
    double start_x = 0, start_y = 0;
    uint32_t p = 0;
    for (uint32_t v = 0; v < o->verb_count && !rf->failed; v++) {
        uint8_t verb = o->verbs[v];
        if (verb > OUTLINE_CUBIC || (v == 0 && verb != OUTLINE_MOVE) ||
            o->point_count - p < verb_points[verb]) {
            return -1;
        }
        double q[6];
        for (uint32_t i = 0; i < verb_points[verb]; i++, p++) {
            double x = o->points[2 * p], y = o->points[2 * p + 1];
            q[2 * i] = m->xx * x + m->xy * y + m->x0;
            q[2 * i + 1] = m->yx * x + m->yy * y + m->y0;
        }
        if (verb == OUTLINE_MOVE) {
            if (v > 0) {
                line_to(rf, start_x, start_y); /* close the previous contour */
            }
            start_x = rf->cur_x = q[0];
            start_y = rf->cur_y = q[1];
        } else if (verb == OUTLINE_LINE) {
            line_to(rf, q[0], q[1]);
        } else if (verb == OUTLINE_QUAD) {
            quad_to(rf, q, q + 2);
        } else {
            cubic_to(rf, q, q + 2, q + 4);
        }
    }
    if (o->verb_count > 0) {
        line_to(rf, start_x, start_y);
    }
    return rf->failed ? -1 : 0;
}

/* ---- crossings, bucketed by sample row ---- */

/* The sample rows [*k0, *k1) an edge crosses, clipped to the box. False when none. */
static bool edge_rows(const ref_t *rf, const edge_t *e, int32_t *k0, int32_t *k1)
{
    double a = fmax(sample_row_at(rf, e->ya), 0);
    double b = fmin(sample_row_at(rf, e->yb), rf->sample_rows);
    if (!(a < b)) {
        return false;
    }
    *k0 = (int32_t)a;
    *k1 = (int32_t)b;
    return true;
}

/* Counting sort by sample row: count each row's crossings into row_start[k + 1], prefix-sum
 * into start offsets, fill using row_start[k] as row k's cursor (which leaves it at row k + 1's
 * start), then shift the offsets back by one row. */
static int crossings_build(ref_t *rf)
{
    size_t rows = (size_t)rf->sample_rows;
    int32_t k0, k1;
    rf->row_start = calloc(rows + 1, sizeof *rf->row_start);
    if (!rf->row_start) {
        return -1;
    }
    for (size_t i = 0; i < rf->edge_count; i++) {
        if (edge_rows(rf, &rf->edges[i], &k0, &k1)) {
            for (int32_t k = k0; k < k1; k++) {
                rf->row_start[k + 1]++;
            }
        }
    }
    for (size_t k = 0; k < rows; k++) {
        rf->row_start[k + 1] += rf->row_start[k];
    }
    size_t total = rf->row_start[rows];
    rf->crossings = malloc((total ? total : 1) * sizeof *rf->crossings);
    if (!rf->crossings) {
        return -1;
    }
    for (size_t i = 0; i < rf->edge_count; i++) {
        const edge_t *e = &rf->edges[i];
        if (!edge_rows(rf, e, &k0, &k1)) {
            continue;
        }
        for (int32_t k = k0; k < k1; k++) {
            double y = rf->box.y + (k + 0.5) / SS;
            rf->crossings[rf->row_start[k]++] = (crossing_t){e->xa + (y - e->ya) * e->dxdy, e->dir};
        }
    }
    memmove(rf->row_start + 1, rf->row_start, rows * sizeof *rf->row_start);
    rf->row_start[0] = 0;
    return 0;
}

/* ---- sampling ---- */

/* Insertion sort: rows hold a handful of crossings. */
static void crossings_sort(crossing_t *c, size_t n)
{
    for (size_t i = 1; i < n; i++) {
        crossing_t t = c[i];
        size_t j = i;
        while (j > 0 && c[j - 1].x > t.x) {
            c[j] = c[j - 1];
            j--;
        }
        c[j] = t;
    }
}

/* Adds one to each pixel for every sample centre x = box.x + (j + 0.5) / SS in [xa, xb). */
static void span_count(const ref_t *rf, double xa, double xb, uint16_t *inside)
{
    double limit = (double)rf->box.width * SS;
    double a = fmax(ceil((xa - rf->box.x) * SS - 0.5), 0);
    double b = fmin(ceil((xb - rf->box.x) * SS - 0.5), limit);
    if (!(a < b)) {
        return;
    }
    int64_t j = (int64_t)a, j1 = (int64_t)b;
    while (j < j1) {
        int64_t px = j / SS, end = (px + 1) * SS < j1 ? (px + 1) * SS : j1;
        inside[px] = (uint16_t)(inside[px] + (end - j));
        j = end;
    }
}

/* One sample row: walk the crossings left to right, counting where the winding is nonzero. */
static void sample_row(const ref_t *rf, int32_t k, uint16_t *inside)
{
    crossing_t *c = rf->crossings + rf->row_start[k];
    size_t n = rf->row_start[k + 1] - rf->row_start[k];
    crossings_sort(c, n);
    int winding = 0;
    double span_x = 0;
    for (size_t i = 0; i < n; i++) {
        int before = winding;
        winding += c[i].dir;
        if (before == 0 && winding != 0) {
            span_x = c[i].x;
        } else if (before != 0 && winding == 0) {
            span_count(rf, span_x, c[i].x, inside);
        }
    }
}

static int ref_sample(ref_t *rf, uint8_t *dst, ptrdiff_t stride)
{
    uint16_t *inside = malloc(((size_t)rf->box.width + 1) * sizeof *inside);
    if (!inside) {
        return -1;
    }
    for (int32_t row = 0; row < rf->box.height; row++) {
        memset(inside, 0, (size_t)rf->box.width * sizeof *inside);
        for (int32_t s = 0; s < SS; s++) {
            sample_row(rf, row * SS + s, inside);
        }
        uint8_t *out = dst + row * stride;
        for (int32_t x = 0; x < rf->box.width; x++) {
            out[x] = (uint8_t)((inside[x] * 255 + SS * SS / 2) / (SS * SS));
        }
    }
    free(inside);
    return 0;
}

static bool args_valid(const outline_t *o, const geom_affine_t *m, geom_box_t box,
                       const uint8_t *dst, ptrdiff_t stride)
{
    if (!o || !m || box.width < 0 || box.height < 0 || box.width > MAX_DIM ||
        box.height > MAX_DIM || (box.width > 0 && box.height > 0 && !dst) || stride < box.width) {
        return false;
    }
    if ((o->verb_count > 0 && !o->verbs) || (o->point_count > 0 && !o->points)) {
        return false;
    }
    return isfinite(m->xx) && isfinite(m->yx) && isfinite(m->xy) && isfinite(m->yy) &&
           isfinite(m->x0) && isfinite(m->y0);
}

int reference_render(const outline_t *o, const geom_affine_t *m, geom_box_t box, uint8_t *dst,
                     ptrdiff_t stride)
{
    if (!args_valid(o, m, box, dst, stride)) {
        return -1;
    }
    if (box.width == 0 || box.height == 0) {
        return 0;
    }
    ref_t rf = {.box = box, .sample_rows = box.height * SS};
    int rc = -1;
    if (outline_flatten(&rf, o, m) == 0 && crossings_build(&rf) == 0) {
        rc = ref_sample(&rf, dst, stride);
    }
    free(rf.edges);
    free(rf.row_start);
    free(rf.crossings);
    return rc;
}

void reference_compare(const uint8_t *a, ptrdiff_t a_stride, const uint8_t *b, ptrdiff_t b_stride,
                       int32_t width, int32_t height, double *sum, uint64_t *count, int *max)
{
    uint64_t total = 0;
    int worst = *max;
    for (int32_t y = 0; y < height; y++) {
        const uint8_t *ra = a + y * a_stride, *rb = b + y * b_stride;
        for (int32_t x = 0; x < width; x++) {
            int d = abs((int)ra[x] - (int)rb[x]);
            total += (uint64_t)d;
            worst = d > worst ? d : worst;
        }
    }
    *sum += (double)total;
    *count += (uint64_t)(width > 0 && height > 0 ? (int64_t)width * height : 0);
    *max = worst;
}
