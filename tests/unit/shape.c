/* shape.c - see shape.h. */
#include "shape.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

static const double pi = 3.14159265358979323846;

void shape_init(shape_t *s, uint32_t units_per_em)
{
    s->verb_count = 0;
    s->point_count = 0;
    s->outline = (outline_t){.verbs = s->verbs, .points = s->points, .units_per_em = units_per_em};
}

static void push(shape_t *s, uint8_t verb, const double *xy, uint32_t n)
{
    if (s->verb_count >= SHAPE_MAX_VERBS || SHAPE_MAX_POINTS - s->point_count < n) {
        fprintf(stderr, "shape: test outline too large\n");
        abort();
    }
    s->verbs[s->verb_count++] = verb;
    for (uint32_t i = 0; i < n; i++) {
        s->points[2 * s->point_count] = (float)xy[2 * i];
        s->points[2 * s->point_count + 1] = (float)xy[2 * i + 1];
        s->point_count++;
    }
}

void shape_move(shape_t *s, double x, double y)
{
    push(s, OUTLINE_MOVE, (const double[]){x, y}, 1);
}

void shape_line(shape_t *s, double x, double y)
{
    push(s, OUTLINE_LINE, (const double[]){x, y}, 1);
}

void shape_quad(shape_t *s, double cx, double cy, double x, double y)
{
    push(s, OUTLINE_QUAD, (const double[]){cx, cy, x, y}, 2);
}

void shape_cubic(shape_t *s, double c1x, double c1y, double c2x, double c2y, double x, double y)
{
    push(s, OUTLINE_CUBIC, (const double[]){c1x, c1y, c2x, c2y, x, y}, 3);
}

void shape_rect(shape_t *s, double x0, double y0, double x1, double y1, bool ccw)
{
    shape_move(s, x0, y0);
    if (ccw) {
        shape_line(s, x1, y0);
        shape_line(s, x1, y1);
        shape_line(s, x0, y1);
    } else {
        shape_line(s, x0, y1);
        shape_line(s, x1, y1);
        shape_line(s, x1, y0);
    }
}

void shape_polygon(shape_t *s, const double *xy, int n)
{
    shape_move(s, xy[0], xy[1]);
    for (int i = 1; i < n; i++) {
        shape_line(s, xy[2 * i], xy[2 * i + 1]);
    }
}

void shape_circle_cubics(shape_t *s, double cx, double cy, double r, bool ccw)
{
    const double k = 0.5522847498307936 * r;
    double d = ccw ? 1.0 : -1.0; /* direction of y travel in the first quarter */
    shape_move(s, cx + r, cy);
    shape_cubic(s, cx + r, cy + d * k, cx + k, cy + d * r, cx, cy + d * r);
    shape_cubic(s, cx - k, cy + d * r, cx - r, cy + d * k, cx - r, cy);
    shape_cubic(s, cx - r, cy - d * k, cx - k, cy - d * r, cx, cy - d * r);
    shape_cubic(s, cx + k, cy - d * r, cx + r, cy - d * k, cx + r, cy);
}

void shape_circle_quads(shape_t *s, double cx, double cy, double r, int n)
{
    double half = pi / n, rc = r / cos(half);
    shape_move(s, cx + r, cy);
    for (int i = 0; i < n; i++) {
        double a = 2.0 * pi * i / n;
        shape_quad(s, cx + rc * cos(a + half), cy + rc * sin(a + half), cx + r * cos(a + 2 * half),
                   cy + r * sin(a + 2 * half));
    }
}

const outline_t *shape_outline(shape_t *s)
{
    s->outline.verbs = s->verbs;
    s->outline.points = s->points;
    s->outline.verb_count = s->verb_count;
    s->outline.point_count = s->point_count;
    outline_bounds_update(&s->outline);
    return &s->outline;
}

void shape_map(const geom_affine_t *m, const double *xy, int n, double *out)
{
    for (int i = 0; i < n; i++) {
        double x = xy[2 * i], y = xy[2 * i + 1];
        out[2 * i] = m->xx * x + m->xy * y + m->x0;
        out[2 * i + 1] = m->yx * x + m->yy * y + m->y0;
    }
}

double shape_polygon_area(const double *xy, int n)
{
    double a = 0;
    for (int i = 0; i < n; i++) {
        int j = (i + 1) % n;
        a += xy[2 * i] * xy[2 * j + 1] - xy[2 * j] * xy[2 * i + 1];
    }
    return fabs(a) / 2;
}

/* One Sutherland-Hodgman step: keeps the part of in[n] where sign*(coord[axis] - bound) >= 0.
 * Clipping a simple polygon against a convex window this way may leave zero-width slivers,
 * which add no area: the shoelace area of the result is the exact intersection area. */
static int clip(const double *in, int n, double *out, int axis, double bound, double sign)
{
    int m = 0;
    for (int i = 0; i < n; i++) {
        const double *p = in + 2 * i, *q = in + 2 * ((i + 1) % n);
        double dp = sign * (p[axis] - bound), dq = sign * (q[axis] - bound);
        if (dp >= 0) {
            out[2 * m] = p[0];
            out[2 * m + 1] = p[1];
            m++;
        }
        if ((dp >= 0) != (dq >= 0)) {
            double t = dp / (dp - dq);
            out[2 * m] = p[0] + t * (q[0] - p[0]);
            out[2 * m + 1] = p[1] + t * (q[1] - p[1]);
            m++;
        }
    }
    return m;
}

double shape_pixel_area(const double *xy, int n, int32_t px, int32_t py)
{
    /* Each step at most doubles the vertex count (a kept vertex plus a crossing per edge). */
    static double a[2 * 16 * SHAPE_MAX_POINTS], b[2 * 16 * SHAPE_MAX_POINTS];
    if (n < 3 || n > SHAPE_MAX_POINTS) {
        return 0;
    }
    n = clip(xy, n, a, 0, px, 1);
    n = clip(a, n, b, 0, px + 1.0, -1);
    n = clip(b, n, a, 1, py, 1);
    n = clip(a, n, b, 1, py + 1.0, -1);
    return n < 3 ? 0 : shape_polygon_area(b, n);
}

geom_affine_t shape_affine(double xx, double yx, double xy, double yy, double x0, double y0)
{
    return (geom_affine_t){.xx = xx, .yx = yx, .xy = xy, .yy = yy, .x0 = x0, .y0 = y0};
}
