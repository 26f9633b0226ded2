/* geom.c - see geom.h. */
#include "likeletter/geom.h"

#include <math.h>

geom_affine_t geom_affine_identity(void)
{
    return (geom_affine_t){1, 0, 0, 1, 0, 0};
}

geom_affine_t geom_affine_then(const geom_affine_t *a, const geom_affine_t *b)
{
    return (geom_affine_t){
        .xx = b->xx * a->xx + b->xy * a->yx,
        .yx = b->yx * a->xx + b->yy * a->yx,
        .xy = b->xx * a->xy + b->xy * a->yy,
        .yy = b->yx * a->xy + b->yy * a->yy,
        .x0 = b->xx * a->x0 + b->xy * a->y0 + b->x0,
        .y0 = b->yx * a->x0 + b->yy * a->y0 + b->y0,
    };
}

geom_affine_t geom_affine_glyph(double units_per_em, double px, double rotate_deg, double shear,
                                double x, double y)
{
    double s = units_per_em > 0 ? px / units_per_em : 0;
    /* Shear in y-up font space leans tops forward; then flip y and rotate on the page. */
    geom_affine_t shear_scale = {s, 0, s * shear, -s, 0, 0};
    double r = rotate_deg * (3.14159265358979323846 / 180.0);
    double c = cos(r), sn = sin(r);
    /* Counter-clockwise as seen on a y-down page. */
    geom_affine_t rot = {c, -sn, sn, c, x, y};
    return geom_affine_then(&shear_scale, &rot);
}
