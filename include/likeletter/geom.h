/* geom.h - plain value types shared by the text and card modules. */
#ifndef LIKELETTER_GEOM_H
#define LIKELETTER_GEOM_H

#include <stdint.h>

/* An affine map, cairo's convention: x' = xx*x + xy*y + x0, y' = yx*x + yy*y + y0. */
typedef struct geom_affine {
    double xx, yx, xy, yy, x0, y0;
} geom_affine_t;

/* An integer pixel rectangle; y grows downwards. */
typedef struct geom_box {
    int32_t x, y, width, height;
} geom_box_t;

/* The identity map. */
geom_affine_t geom_affine_identity(void);

/* Font units (y up) to pixels (y down) at px pixels per em for a font of units_per_em,
 * rotated by rotate_deg (counter-clockwise as seen), sheared by shear (x += shear*y, italic
 * forward for shear > 0), with the glyph origin placed at pixel position (x, y). */
geom_affine_t geom_affine_glyph(double units_per_em, double px, double rotate_deg, double shear,
                                double x, double y);

/* a then b: returns b(a(p)). */
geom_affine_t geom_affine_then(const geom_affine_t *a, const geom_affine_t *b);

#endif
