/* reference.h - a slow, simple, trustworthy rasterization to measure accuracy against.
 *
 * Test-quality code for the benchmark and the tests: curves are flattened in double precision
 * to 1/1000 px, and each pixel's coverage is the fraction of a 16x16 grid of sample points
 * (at sample centres) inside the outline under the nonzero rule, scaled to 0..255 and rounded.
 * Thread-safe (no global state); allocates per call.
 */
#ifndef LIKELETTER_BENCH_REFERENCE_H
#define LIKELETTER_BENCH_REFERENCE_H

#include <stddef.h>
#include <stdint.h>

#include "likeletter/geom.h"
#include "likeletter/outline.h"

/* Renders outline o under m into dst, whose top-left pixel is box.x, box.y, box.width x
 * box.height pixels with row stride `stride` bytes. Overwrites dst. Returns 0 or -1 (out of
 * memory or invalid arguments). */
int reference_render(const outline_t *o, const geom_affine_t *m, geom_box_t box, uint8_t *dst,
                     ptrdiff_t stride);

/* Per-pixel absolute difference of two coverage images of the same size: adds the sum of
 * differences to *sum, the pixel count to *count and raises *max when exceeded. */
void reference_compare(const uint8_t *a, ptrdiff_t a_stride, const uint8_t *b, ptrdiff_t b_stride,
                       int32_t width, int32_t height, double *sum, uint64_t *count, int *max);

#endif
