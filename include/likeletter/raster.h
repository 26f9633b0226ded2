/* raster.h - likeletter's glyph rasterizing core.
 *
 * Turns outlines (font units) plus an affine transform into 8-bit coverage with exact-area
 * (signed-area accumulation) anti-aliasing and the nonzero winding rule. Curves are flattened
 * after the transform to within RASTER_FLATNESS_* pixels. Several outlines may be accumulated into
 * one box before the sweep, so a joined word's overlaps are covered once, not darkened.
 *
 * Usage: raster_glyph_box() (metrics) -> caller sizes its buffer -> raster_glyph_fill(); or
 * raster_begin(box), raster_add() per glyph, raster_sweep(dst).
 *
 * Memory: a raster_t owns a scratch accumulator that grows to the largest box seen (bounded by
 * RASTER_MAX_DIM / RASTER_MAX_AREA) and is reused; nothing is allocated per glyph. Coverage is
 * written into caller-owned buffers. A raster_t is not thread-safe; use one per thread.
 * Errors: functions returning int return 0 or a negative RASTER_E_* / OUTLINE_E_* code, and have
 * changed nothing visible when they fail. Nothing here logs: callers know the context.
 */
#ifndef LIKELETTER_RASTER_H
#define LIKELETTER_RASTER_H

#include <stddef.h>
#include <stdint.h>

#include "likeletter/geom.h"
#include "likeletter/outline.h"

#define RASTER_MAX_DIM 16384          /* widest or tallest box, pixels */
#define RASTER_MAX_AREA (4096 * 4096) /* largest box, pixels */
#define RASTER_MAX_SCALE 4096.0       /* largest |matrix entry| * units_per_em: pixels per em */
#define RASTER_MAX_GLYPH_EMS 16.0     /* a glyph's box may span at most this many ems */
#define RASTER_FLATNESS_QUAD 0.04     /* max distance of a flattened curve from the true one, */
#define RASTER_FLATNESS_CUBIC 0.1     /* px: under 5 um at 600 dpi */

typedef enum {
    RASTER_E_TRANSFORM = -20, /* non-finite, singular, or out-of-range transform */
    RASTER_E_TOO_LARGE = -21, /* the box exceeds RASTER_MAX_DIM/AREA or the glyph's em limit */
    RASTER_E_NOMEM = -22,     /* the scratch accumulator could not grow */
    RASTER_E_STATE = -23,     /* raster_add/sweep without raster_begin, or begin twice */
} raster_error_t;

typedef struct raster raster_t;

/* Creates a rasterizer with an empty scratch. Returns NULL when out of memory. */
raster_t *raster_create(void);

/* Frees it; accepts NULL. */
void raster_free(raster_t *r);

/* The SIMD flavour this build sweeps with: "sse2", "neon" or "portable". */
const char *raster_sweep_name(void);

/* The edge engine (what adds outlines to the accumulation) raster_create() picks on this CPU:
 * "avx2" where the build has it and the CPU runs it, else the build's "sse2", "neon" or
 * "portable". Both x86 engines give the same pixels. */
const char *raster_edges_name(void);

/* A short English description of a RASTER_E_* or OUTLINE_E_* code (static string). */
const char *raster_error_string(int err);

/* Metrics: the smallest integer pixel box that holds every pixel the transformed outline can
 * touch. An empty outline gives a 0x0 box. Checks the transform and the glyph's size limits;
 * the outline's points must be within its stored control box (outline_check()). */
int raster_glyph_box(const outline_t *o, const geom_affine_t *m, geom_box_t *box);

/* Starts accumulating into box (pixel coordinates; any position, 0 <= width, height within
 * the limits). Grows the scratch when needed (the only allocation). */
int raster_begin(raster_t *r, geom_box_t box);

/* Adds a transformed outline's signed area to the accumulator. Parts outside the box are
 * clipped exactly (coverage inside is as if the box were unbounded). */
int raster_add(raster_t *r, const outline_t *o, const geom_affine_t *m);

/* Resolves the accumulated area into coverage 0..255 (nonzero rule), writing box.width bytes
 * per row for box.height rows at dst (row stride in bytes, >= box.width), and resets the
 * accumulator for the next raster_begin(). */
int raster_sweep(raster_t *r, uint8_t *dst, ptrdiff_t stride);

/* Ends an accumulation without output (error paths). */
void raster_abort(raster_t *r);

/* One glyph: box = raster_glyph_box(); then begin, add, sweep into dst, which must hold
 * box.height rows of stride >= box.width bytes; box is the caller's (from a previous
 * raster_glyph_box() call with the same o and m). */
int raster_glyph_fill(raster_t *r, const outline_t *o, const geom_affine_t *m, geom_box_t box,
                      uint8_t *dst, ptrdiff_t stride);

#endif
