/* raster-private.h - the sweep, shared by raster.c and the per-architecture raster-sweep.c. */
#ifndef LIKELETTER_RASTER_PRIVATE_H
#define LIKELETTER_RASTER_PRIVATE_H

#include <stdint.h>

/* Prefix-sums one accumulator row into coverage, dst[i] = min((|sum acc[0..i]| + 8) >> 4, 255)
 * for i < width, with the sum taken as a signed 16-bit value (modulo 2^16; 4080 is full
 * coverage), and zeroes acc[0..acc_len). acc is 16-byte aligned; acc_len is a multiple of 8
 * and >= width. */
void raster_sweep_row(uint16_t *acc, uint8_t *dst, int32_t width, int32_t acc_len);

extern const char raster_sweep_flavour[];

#endif
