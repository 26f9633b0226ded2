/* outline.c - see outline.h. */
#include "likeletter/outline.h"

#include <math.h>

const char *outline_error_string(int err)
{
    switch (err) {
    case OUTLINE_OK:
        return "ok";
    case OUTLINE_E_TOO_MANY:
        return "outline has too many points or segments";
    case OUTLINE_E_MALFORMED:
        return "outline's segments and points disagree";
    case OUTLINE_E_COORD:
        return "outline has a non-finite or huge coordinate";
    case OUTLINE_E_DEGENERATE:
        return "outline has a contour that encloses no area";
    case OUTLINE_E_EM:
        return "outline's units per em is out of range";
    case OUTLINE_E_BBOX:
        return "outline's bounding box does not contain its points";
    default:
        return "unknown outline error";
    }
}

void outline_bounds_update(outline_t *o)
{
    float x0 = 0, y0 = 0, x1 = 0, y1 = 0;
    for (uint32_t i = 0; i < o->point_count; i++) {
        float x = o->points[2 * i], y = o->points[2 * i + 1];
        if (i == 0 || x < x0)
            x0 = x;
        if (i == 0 || x > x1)
            x1 = x;
        if (i == 0 || y < y0)
            y0 = y;
        if (i == 0 || y > y1)
            y1 = y;
    }
    o->x_min = x0, o->y_min = y0, o->x_max = x1, o->y_max = y1;
}

/* A contour encloses area only when its points are not all on one line. */
bool outline_contour_has_area(const float *p, uint32_t n)
{
    uint32_t j = 1;
    while (j < n && p[2 * j] == p[0] && p[2 * j + 1] == p[1]) {
        j++;
    }
    if (j >= n) {
        return false;
    }
    double ax = (double)p[2 * j] - p[0], ay = (double)p[2 * j + 1] - p[1];
    for (uint32_t k = j + 1; k < n; k++) {
        double bx = (double)p[2 * k] - p[0], by = (double)p[2 * k + 1] - p[1];
        if (ax * by - ay * bx != 0.0) {
            return true;
        }
    }
    return false;
}

static outline_error_t check_points(const outline_t *o)
{
    for (uint32_t i = 0; i < 2 * o->point_count; i++) {
        float v = o->points[i];
        if (!isfinite(v) || fabsf(v) > OUTLINE_MAX_COORD) {
            return OUTLINE_E_COORD;
        }
    }
    for (uint32_t i = 0; i < o->point_count; i++) {
        float x = o->points[2 * i], y = o->points[2 * i + 1];
        if (x < o->x_min || x > o->x_max || y < o->y_min || y > o->y_max) {
            return OUTLINE_E_BBOX;
        }
    }
    return OUTLINE_OK;
}

/* Walks the verbs: each contour starts with MOVE, consumes exactly point_count points, and
 * encloses some area. */
static outline_error_t check_contours(const outline_t *o)
{
    uint32_t p = 0, start = 0;
    for (uint32_t v = 0; v < o->verb_count; v++) {
        uint8_t verb = o->verbs[v];
        if (verb > OUTLINE_CUBIC || (v == 0 && verb != OUTLINE_MOVE)) {
            return OUTLINE_E_MALFORMED;
        }
        if (verb == OUTLINE_MOVE && v > 0) {
            if (!outline_contour_has_area(o->points + 2 * start, p - start)) {
                return OUTLINE_E_DEGENERATE;
            }
            start = p;
        }
        if (o->point_count - p < outline_verb_points(verb)) {
            return OUTLINE_E_MALFORMED;
        }
        p += outline_verb_points(verb);
    }
    if (p != o->point_count) {
        return OUTLINE_E_MALFORMED;
    }
    if (o->verb_count > 0 && !outline_contour_has_area(o->points + 2 * start, p - start)) {
        return OUTLINE_E_DEGENERATE;
    }
    return OUTLINE_OK;
}

outline_error_t outline_check(const outline_t *o)
{
    if (o->units_per_em < 1 || o->units_per_em > 16384) {
        return OUTLINE_E_EM;
    }
    if (o->point_count > OUTLINE_MAX_POINTS || o->verb_count > OUTLINE_MAX_VERBS) {
        return OUTLINE_E_TOO_MANY;
    }
    if ((o->point_count > 0 && !o->points) || (o->verb_count > 0 && !o->verbs)) {
        return OUTLINE_E_MALFORMED;
    }
    outline_error_t e = check_points(o);
    return e != OUTLINE_OK ? e : check_contours(o);
}
