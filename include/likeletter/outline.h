/* outline.h - a glyph outline in font units, as the rasterizer consumes it.
 *
 * An outline is a plain view: verbs and points live in memory owned by whoever built it (the
 * font cache, a test, the fuzzer). Verbs: MOVE takes 1 point, LINE 1, QUAD 2 (control, end),
 * CUBIC 3 (control, control, end). Every contour starts with MOVE and is closed implicitly.
 * Coordinates are float font units, y up.
 */
#ifndef LIKELETTER_OUTLINE_H
#define LIKELETTER_OUTLINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum { OUTLINE_MOVE = 0, OUTLINE_LINE = 1, OUTLINE_QUAD = 2, OUTLINE_CUBIC = 3 };

/* The points a known verb (OUTLINE_MOVE to OUTLINE_CUBIC) takes: max(verb, 1). */
static inline uint32_t outline_verb_points(uint8_t verb)
{
    return verb == OUTLINE_MOVE ? 1u : verb;
}

/* Limits on any outline the rasterizer accepts. Real glyphs stay far below them (the largest
 * glyph in DejaVu Sans has a few hundred points); hostile ones are refused before any work. */
#define OUTLINE_MAX_POINTS 2048
#define OUTLINE_MAX_VERBS 2048
#define OUTLINE_MAX_COORD 65536.0f /* |x|, |y| in font units */

typedef struct outline {
    const uint8_t *verbs; /* verb_count OUTLINE_* values */
    const float *points;  /* 2*point_count floats: x0,y0,x1,y1,... */
    uint32_t verb_count;
    uint32_t point_count;
    uint32_t units_per_em;            /* the em the coordinates are in; 1..16384 */
    float x_min, y_min, x_max, y_max; /* control box of the points; all 0 when empty */
} outline_t;

/* Error codes shared by outline_check() and the rasterizer. */
typedef enum {
    OUTLINE_OK = 0,
    OUTLINE_E_TOO_MANY = -1,   /* more points or verbs than the limits */
    OUTLINE_E_MALFORMED = -2,  /* verbs and points disagree, or a contour lacks its MOVE */
    OUTLINE_E_COORD = -3,      /* a non-finite or huge coordinate */
    OUTLINE_E_DEGENERATE = -4, /* a contour that encloses no area (fewer than 3 distinct points
                                  or all on one line) */
    OUTLINE_E_EM = -5,         /* units_per_em out of range */
    OUTLINE_E_BBOX = -6,       /* the stored control box does not contain the points */
} outline_error_t;

/* Checks a whole outline against the limits above, including that its stored control box
 * contains every point. Returns OUTLINE_OK or the first problem found. O(points). */
outline_error_t outline_check(const outline_t *o);

/* A short English description of an OUTLINE_E_* code (static string). */
const char *outline_error_string(int err);

/* True when the n points (2n floats) of one contour are not all on one line. */
bool outline_contour_has_area(const float *points, uint32_t n);

/* Computes x_min..y_max from the points (all 0 for an empty outline). */
void outline_bounds_update(outline_t *o);

#endif
