/* raster-private.h - the sweep, shared by raster.c and the per-architecture raster-sweep.c. */
#ifndef LIKELETTER_RASTER_PRIVATE_H
#define LIKELETTER_RASTER_PRIVATE_H

#include <stdint.h>

/* Prefix-sums one accumulator row into coverage: dst[i] = min(round(|sum acc[0..i]|), 255) for
 * i < width (the accumulator is scaled so that 255 is full coverage; non-finite or huge sums
 * give some value in 0..255), and zeroes acc[0..acc_len). acc is 16-byte aligned; acc_len is a
 * multiple of 4 and >= width. */
void raster_sweep_row(float *acc, uint8_t *dst, int32_t width, int32_t acc_len);

extern const char raster_sweep_flavour[];

#endif
