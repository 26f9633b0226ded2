/* raster-private.h - the sweep, shared by raster.c and the per-architecture raster-sweep.c. */
#ifndef LIKELETTER_RASTER_PRIVATE_H
#define LIKELETTER_RASTER_PRIVATE_H

#include <stddef.h>
#include <stdint.h>

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

extern const char raster_sweep_flavour[];

#endif
