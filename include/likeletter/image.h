/* image.h - writing images to files (PNG through libpng).
 *
 * Files are written durably: to a temporary file beside the target, fsync'ed, renamed over the
 * target, and the directory fsync'ed; a failure leaves any existing file untouched.
 */
#ifndef LIKELETTER_IMAGE_H
#define LIKELETTER_IMAGE_H

#include <stddef.h>
#include <stdint.h>

typedef enum { IMAGE_GRAY8 = 1, IMAGE_RGB8 = 3 } image_format_t;

/* A view of pixels the caller owns. */
typedef struct image_view {
    const uint8_t *pixels;
    int32_t width, height;
    ptrdiff_t stride; /* bytes per row */
    image_format_t format;
    double dpi; /* written as pHYs when > 0 */
} image_view_t;

/* Writes img as a PNG file at path. Returns 0, or -1 with the reason logged (names the path). */
int image_png_write(const image_view_t *img, const char *path);

#endif
