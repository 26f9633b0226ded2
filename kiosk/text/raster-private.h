/* raster-private.h - the sweep, shared by raster.c and the per-architecture raster-sweep.c. */
#ifndef LIKELETTER_RASTER_PRIVATE_H
#define LIKELETTER_RASTER_PRIVATE_H

#include "likeletter/raster.h"

#include <stddef.h>
#include <stdint.h>

/* The accumulation's layout (see raster.c): chosen per box, or forced by the tests. */
typedef enum { RASTER_LAYOUT_AUTO, RASTER_LAYOUT_ROWS, RASTER_LAYOUT_COLUMNS } raster_layout_t;
void raster_layout_force(raster_t *r, raster_layout_t layout);
/* The layout raster_begin() picks for a box when none is forced. */
raster_layout_t raster_layout_for_box(geom_box_t box);

/* The edge engine a rasterizer runs (see raster-edges.h): the best this CPU runs, as
 * raster_create() picks it, or the architecture's baseline. The tests compare the two. */
typedef enum { RASTER_EDGES_AUTO, RASTER_EDGES_BASELINE } raster_edges_choice_t;
void raster_edges_force(raster_t *r, raster_edges_choice_t choice);

/* Columns layout: the rows below the box's height that pieces may touch. */
#define RASTER_COLUMNS_SLACK 10

/* Prefix-sums each of height accumulator rows (acc_len cells apart) into coverage,
 * dst[i] = min((|sum acc[0..i]| + 8) >> 4, 255) for i < width, with the sum taken as a signed
 * 16-bit value (modulo 2^16; 4080 is full coverage), and zeroes the rows' acc[0..acc_len).
 * dst's rows are stride bytes apart. acc is 16-byte aligned; acc_len is a multiple of 8 and
 * >= width + 3 (edges may touch the three cells after the width). */
void raster_sweep_rows(uint16_t *acc, int32_t acc_len, uint8_t *dst, ptrdiff_t stride,
                       int32_t width, int32_t height);

/* The same without run-time CPU dispatch: the build's flavour as it is (the SSE2 flavour picks
 * AVX2 rows where the CPU has them). The tests compare the two. */
void raster_sweep_rows_baseline(uint16_t *acc, int32_t acc_len, uint8_t *dst, ptrdiff_t stride,
                                int32_t width, int32_t height);

/* The columns layout: the sums run down each column. acc has height + RASTER_COLUMNS_SLACK
 * rows of acc_len cells (a multiple of 16, >= width, 16-byte aligned); run is scratch of acc_len
 * cells, 16-byte aligned. dst[y][x] = min((|sum acc[0..y][x]| + 8) >> 4, 255) for x < width,
 * y < height, the sum as in raster_sweep_rows(); all of acc's rows are zeroed. Cells past the
 * width stay zero throughout (no piece reaches them). */
void raster_sweep_cols(uint16_t *acc, int32_t acc_len, uint16_t *run, uint8_t *dst,
                       ptrdiff_t stride, int32_t width, int32_t height);
/* The same without run-time CPU dispatch (see raster_sweep_rows_baseline()). */
void raster_sweep_cols_baseline(uint16_t *acc, int32_t acc_len, uint16_t *run, uint8_t *dst,
                                ptrdiff_t stride, int32_t width, int32_t height);

extern const char raster_sweep_flavour[];

#endif
