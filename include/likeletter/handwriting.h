/* handwriting.h - the seeded variation that makes a card look written by a hand.
 *
 * Everything a hand does differently each time it writes, as numbers the card renderer applies
 * per line and per glyph: a baseline that bends and drifts in slope, a wandering left margin,
 * breathing line and word spacing, and per glyph a small rotation, scale, shear, baseline offset
 * and ink weight. Neighbours are correlated (1-D value noise over the line or glyph index mixed
 * with a smaller independent part), so the letters of a word drift together slightly instead of
 * jittering. Independent of fonts and shaping.
 *
 * Reproducible: the numbers depend only on the seed, the params and the indices asked for - not
 * on the order of calls, the platform or the thread. All randomness comes from SplitMix64 (integer
 * arithmetic); floats are made with plain IEEE 754 double +, -, *, / and exact int->double
 * conversions only (no libm call, no x87, no fused multiply-add: handwriting.c turns FP_CONTRACT
 * off), so x86_64 and arm64 give bit-identical results. The baseline bend is a polynomial wave,
 * not sin(). handwriting_glyph_affine() calls geom_affine_glyph(), which uses sin/cos.
 *
 * No two repeated letters identical: every glyph index in a line gets its own parameters, and
 * consecutive glyphs of a line always differ in rotation by at least HANDWRITING_MIN_TURN of the
 * rotation bound (0.25 deg with the defaults; whenever glyph_rotate_deg > 0), so a double letter
 * ("ll", "tt") never rasterizes as two copies of one bitmap. Where the font has alternates (salt,
 * calt, ss01-ss20), handwriting_alternate_pick() chooses among them, and consecutive glyphs get
 * different picks.
 *
 * Units: em offsets are fractions of the font size; positive dy moves down the page (the pixel
 * y direction). Angles are degrees, positive counter-clockwise as seen (geom_affine_glyph()).
 *
 * Usage: handwriting_params_default(seed) (optionally adjust, or set plain) ->
 * handwriting_create() -> handwriting_line() per line, handwriting_glyph() and
 * handwriting_glyph_affine() per glyph, handwriting_word_space() per space ->
 * handwriting_free().
 *
 * Memory: a handwriting_t holds a copy of its params and is freed by handwriting_free(); queries
 * fill caller-owned structs and allocate nothing. Threads: a handwriting_t never changes after
 * handwriting_create(), so any number of threads may query one at once. Nothing here logs.
 */
#ifndef LIKELETTER_HANDWRITING_H
#define LIKELETTER_HANDWRITING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "likeletter/geom.h"

/* Upper limits handwriting_create() accepts for each amplitude (beyond them text stops being
 * legible, or a scale could reach zero). */
#define HANDWRITING_MAX_ROTATE_DEG 15.0
#define HANDWRITING_MAX_SCALE 0.25
#define HANDWRITING_MAX_SHEAR 0.5
#define HANDWRITING_MAX_DY_EM 0.5
#define HANDWRITING_MAX_BEND_EM 1.0
#define HANDWRITING_MAX_SLOPE_DEG 5.0
#define HANDWRITING_MAX_MARGIN_EM 2.0
#define HANDWRITING_MAX_LINE_SPACING 0.5
#define HANDWRITING_MAX_WORD_SPACE 0.9

/* Consecutive glyphs' rotations differ by at least this fraction of glyph_rotate_deg. */
#define HANDWRITING_MIN_TURN 0.1

/* How much a hand varies. Each amplitude is a bound: values are drawn from [-a, +a] around the
 * neutral value (0, or 1 for factors), except ink, drawn from [glyph_ink_min, 1]. */
typedef struct handwriting_params {
    uint64_t seed;           /* same seed and params -> the same numbers, everywhere */
    bool plain;              /* all variation off: identity transforms, zero offsets, factors 1 */
    double glyph_rotate_deg; /* rotation, degrees (default 2.5) */
    double glyph_scale;      /* scale 1 +- this (default 0.04: 0.96..1.04) */
    double glyph_shear;      /* shear, x += shear * y (default 0.06) */
    double glyph_dy_em;      /* baseline offset, em (default 0.04) */
    double glyph_ink_min;    /* ink weight in [this, 1] (default 0.85) */
    double line_bend_em;     /* baseline bend amplitude over a line, em (default 0.08) */
    double line_slope_deg;   /* baseline slope drift, degrees (default 0.8) */
    double line_margin_em;   /* left margin wander, em (default 0.15) */
    double line_spacing;     /* line spacing factor 1 +- this (default 0.04) */
    double word_space;       /* word space factor 1 +- this (default 0.15 of a space) */
} handwriting_params_t;

/* One line's drift. The baseline at a point of the line, x_px pixels right of the line's
 * start, is offset by handwriting_line_y(line, x_px / line_width_px) * px_per_em
 * - slope * x_px pixels (down positive): the bend, then the slope. */
typedef struct handwriting_line {
    double margin_em;  /* shift of the line's left edge, em (positive: right) */
    double slope_deg;  /* baseline slope, degrees (positive: rising to the right) */
    double slope;      /* the same slope as rise per unit of advance (tan(slope_deg)) */
    double bend_em;    /* bend amplitude, em, within +-line_bend_em */
    double bend_phase; /* where on its wave the bend starts, 0 <= phase < 1 */
    double spacing;    /* factor on the distance from the previous line's baseline */
} handwriting_line_t;

/* One glyph instance's variation. */
typedef struct handwriting_glyph {
    double rotate_deg; /* about the glyph's origin on the baseline, counter-clockwise as seen */
    double scale;      /* uniform, about the origin */
    double shear;      /* x += shear * y in font space (positive leans forward) */
    double dy_em;      /* baseline offset, em (positive: down) */
    double ink;        /* ink weight 0..1, multiplies coverage or colour density */
} handwriting_glyph_t;

typedef struct handwriting handwriting_t;

/* The default, legible variation (the bounds in the comments above) for seed; plain is false. */
handwriting_params_t handwriting_params_default(uint64_t seed);

/* Creates a handwriting from params (copied). Returns NULL with errno EINVAL when params is NULL
 * or an amplitude is negative, not finite or above its HANDWRITING_MAX_* (glyph_ink_min must be
 * in [0, 1]); with errno ENOMEM when out of memory. With plain set, amplitudes are not checked.
 * The caller frees the result with handwriting_free(). */
handwriting_t *handwriting_create(const handwriting_params_t *params);

/* Frees it; accepts NULL. */
void handwriting_free(handwriting_t *h);

/* Fills *line with line line_index's drift (0 = the first line). Plain: all zero, spacing 1. */
void handwriting_line(const handwriting_t *h, size_t line_index, handwriting_line_t *line);

/* The bend's baseline offset, em (positive: down), at x_fraction of the line's width: a smooth
 * (continuous first derivative) wave of amplitude |line->bend_em|, so the result lies within
 * +-|bend_em|. x_fraction is clamped to [0, 1] (NaN counts as 0). */
double handwriting_line_y(const handwriting_line_t *line, double x_fraction);

/* Fills *g with the variation of glyph glyph_index (0 = the line's first) of line line_index.
 * Neighbouring indices are correlated; consecutive ones differ in rotation by at least
 * HANDWRITING_MIN_TURN * glyph_rotate_deg. Each value stays within its bound in the params. Plain:
 * rotation 0, scale 1, shear 0, dy 0, ink 1. */
void handwriting_glyph(const handwriting_t *h, size_t line_index, size_t glyph_index,
                       handwriting_glyph_t *g);

/* The factor on the width of the space after word word_index (0 = the first) of line
 * line_index, within 1 +- word_space. Plain: 1. */
double handwriting_word_space(const handwriting_t *h, size_t line_index, size_t word_index);

/* Which of n_alternates forms of a glyph to draw at glyph_index of line line_index: an index in
 * [0, n_alternates), 0 when n_alternates < 2 or in plain mode. For the same n_alternates >= 2,
 * consecutive glyph indices always get different picks (a double letter uses two forms). */
size_t handwriting_alternate_pick(const handwriting_t *h, size_t line_index, size_t glyph_index,
                                  size_t n_alternates);

/* The glyph's font-units-to-pixels map: g's scale, shear and rotation about the glyph's origin,
 * with the origin at pixel (pen_x, baseline_y + g->dy_em * px), for a font of units_per_em drawn
 * at px pixels per em. With a plain g this equals
 * geom_affine_glyph(units_per_em, px, 0, 0, pen_x, baseline_y) exactly. */
geom_affine_t handwriting_glyph_affine(const handwriting_glyph_t *g, double units_per_em, double px,
                                       double pen_x, double baseline_y);

/* The next SplitMix64 output from *state (Steele, Lea and Flood; Vigna's splitmix64.c): adds
 * 0x9E3779B97F4A7C15 to *state and returns its mix. All variation here derives from this
 * function; other modules may use it for their own reproducible choices. */
uint64_t handwriting_splitmix64_next(uint64_t *state);

#endif
