/* shape.h - outlines built by hand for the tests, and the exact areas to judge coverage by.
 *
 * A shape_t is a fixed-size outline builder (no allocation); shape_outline() returns a view of
 * it with the control box filled in. The area helpers work in pixel coordinates on polygons:
 * shape_pixel_area() clips a simple polygon to one pixel and returns the exact area inside,
 * which is what an exact-area rasterizer must produce (times 255).
 */
#ifndef LIKELETTER_TEST_SHAPE_H
#define LIKELETTER_TEST_SHAPE_H

#include <stdbool.h>
#include <stdint.h>

#include "likeletter/geom.h"
#include "likeletter/outline.h"

#define SHAPE_MAX_POINTS 1024
#define SHAPE_MAX_VERBS 1024

typedef struct shape {
    uint8_t verbs[SHAPE_MAX_VERBS];
    float points[2 * SHAPE_MAX_POINTS];
    uint32_t verb_count, point_count;
    outline_t outline;
} shape_t;

/* Empties s; its outline will report units_per_em. */
void shape_init(shape_t *s, uint32_t units_per_em);

/* Path building in font units (y up). Abort on overflow: a bug in the test. */
void shape_move(shape_t *s, double x, double y);
void shape_line(shape_t *s, double x, double y);
void shape_quad(shape_t *s, double cx, double cy, double x, double y);
void shape_cubic(shape_t *s, double c1x, double c1y, double c2x, double c2y, double x, double y);

/* An axis-aligned rectangle contour: counter-clockwise (y up) when ccw, else clockwise. */
void shape_rect(shape_t *s, double x0, double y0, double x1, double y1, bool ccw);

/* A polygon contour through n vertices xy[2n]. */
void shape_polygon(shape_t *s, const double *xy, int n);

/* A circle contour from 4 cubics (radial error 0.03%), counter-clockwise when ccw. */
void shape_circle_cubics(shape_t *s, double cx, double cy, double r, bool ccw);

/* A circle contour from n quadratic arcs (n >= 8 keeps the radial error under 0.4%). */
void shape_circle_quads(shape_t *s, double cx, double cy, double r, int n);

/* The outline view with its control box updated. Valid while s lives and is not changed. */
const outline_t *shape_outline(shape_t *s);

/* Maps n points xy[2n] through m into out[2n] (may alias xy). */
void shape_map(const geom_affine_t *m, const double *xy, int n, double *out);

/* The exact area (0..1) of the part of the simple polygon xy[2n] (pixel coordinates, either
 * orientation) that lies in pixel (px, py) = [px, px+1] x [py, py+1]. n <= SHAPE_MAX_POINTS. */
double shape_pixel_area(const double *xy, int n, int32_t px, int32_t py);

/* The absolute area of the simple polygon xy[2n]. */
double shape_polygon_area(const double *xy, int n);

/* An affine map from its six entries (cairo order: xx, yx, xy, yy, x0, y0). */
geom_affine_t shape_affine(double xx, double yx, double xy, double yy, double x0, double y0);

#endif
