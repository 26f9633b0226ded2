/* raster-edges.h - the rasterizer's state, and its edge engine: what adds an outline's lines
 * and curves to the accumulation (raster-edges.c). The engine is built for the architecture's
 * baseline and, on x86, again for AVX2 (raster-edges-avx2.c): the same code, whose vector
 * operations then take three registers and no copies (7% fewer ns per glyph at 16 px). No FMA:
 * both builds give the same pixels, which check_raster compares. raster_create() picks the
 * engine the CPU runs. Private to raster.c and raster-edges.c. */
#ifndef LIKELETTER_RASTER_EDGES_H
#define LIKELETTER_RASTER_EDGES_H

#include "likeletter/outline.h"
#include "likeletter/raster.h"
#include "raster-private.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define RASTER_SEG_BATCH 256    /* lines flattened before they are added, in one loop */
#define RASTER_PIECE_BATCH 1024 /* row pieces cut from lines before they are added, in one loop */

typedef struct raster_edges {
    const char *name; /* sse2, avx2, neon or portable */
    /* Transforms n points (x, y pairs) by (mm[0] mm[1], mm[2] mm[3]) plus (mm[4], mm[5]), each
     * coordinate as the scalar m * px + m * py + t would be, and stores them at dst unless it
     * is NULL. lohi gets the results' smallest x, y and largest x, y; big the largest |source
     * coordinate| (may drop a NaN); probe a sum of all results (NaN and infinity survive it). */
    void (*points_map)(const float *src, uint32_t n, const float mm[6], float *dst, float lohi[4],
                       float *big, float *probe);
    /* Adds the outline o to r's active accumulation: its verbs checked, its points already in
     * r->pts (box-relative pixels; x and y swapped in the columns layout) and r->clip set. */
    void (*outline_add)(raster_t *r, const outline_t *o);
} raster_edges_t;

extern const raster_edges_t raster_edges_baseline;
#if defined(LIKELETTER_EDGES_AVX2)
extern const raster_edges_t raster_edges_avx2;
#endif

struct raster {
    uint16_t *acc;  /* zero everywhere whenever no accumulation is active */
    size_t acc_cap; /* cells */
    geom_box_t box; /* the active accumulation's box */
    int32_t stride; /* cells per accumulator row: width + 3 rounded up to 8 (columns: width, 16) */
    float pts[2 * OUTLINE_MAX_POINTS]; /* the current outline's points, box-relative pixels */
    /* The vertices waiting for segments_flush(): a line from each to the next (a NaN vertex
     * breaks contours, see contour_start()), with room for a vector's lanes past the last. */
    float vx[RASTER_SEG_BATCH + 8], vy[RASTER_SEG_BATCH + 8];
    /* The waiting lines set up (see lines4_add()), and those that cross more than one row. */
    float line_x0[RASTER_SEG_BATCH + 4], line_y0[RASTER_SEG_BATCH + 4];
    float line_y1[RASTER_SEG_BATCH + 4], line_dxdy[RASTER_SEG_BATCH + 4];
    float line_dir[RASTER_SEG_BATCH + 4], line_slope[RASTER_SEG_BATCH + 4];
    int32_t tall_idx[RASTER_SEG_BATCH + 4];
    int32_t tall_count;
    int32_t vertex_count; /* at least 1 while an outline is walked: the current point */
    /* Row pieces waiting for pieces_flush(): a line's pieces are written four at a time, with
     * room for the lanes past its last piece, which the next line overwrites. */
    float piece_x[RASTER_PIECE_BATCH + 8], piece_xn[RASTER_PIECE_BATCH + 8];
    float piece_slope[RASTER_PIECE_BATCH + 8];
    int32_t piece_base[RASTER_PIECE_BATCH + 8]; /* the index in acc of the piece's row */
    int32_t piece_di[RASTER_PIECE_BATCH + 8];   /* d in whole units, see pieces4_store() */
    int32_t piece_count;
    int32_t lane_base[4];                     /* 0, 1, 2 and 3 rows down, in cells */
    int32_t row_step;                         /* cells from one piece row to the next */
    uint16_t *run;                            /* columns: the running sums down each column */
    size_t run_cap;                           /* cells */
    raster_layout_t layout_forced;            /* RASTER_LAYOUT_AUTO but in tests */
    bool cols;                                /* the active accumulation's layout is columns */
    int32_t wide_idx[RASTER_PIECE_BATCH + 4]; /* pieces across three or more cells, as listed */
    const raster_edges_t *edges;              /* the edge engine this rasterizer runs */
    bool active;
    bool clip;  /* the current outline crosses the box's left or right side, as pieces see it */
    float w, h; /* box width and height as floats */
};

#endif
