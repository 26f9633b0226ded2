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

/* Where a stream of bytes goes (a print job, a memory buffer, a file descriptor): write() takes
 * all len bytes or fails, returning 0 or -1 with errno set (EIO when there is no better cause).
 * what names the destination in log lines ("job 12 on ipp://...", "fd 5"). */
typedef struct image_sink {
    int (*write)(void *ctx, const uint8_t *data, size_t len);
    void *ctx;
    const char *what;
} image_sink_t;

/* A sink writing to fd (not closed, not synced); ctx must point at the int fd, alive while the
 * sink is used. */
int image_sink_fd_write(void *ctx, const uint8_t *data, size_t len);

/* A growing memory buffer as a sink's ctx (image_sink_memory_write): data is malloc'ed, the
 * caller frees it; limit caps its size (write fails with EFBIG past it). */
typedef struct image_memory {
    uint8_t *data;
    size_t len, cap, limit;
} image_memory_t;
int image_sink_memory_write(void *ctx, const uint8_t *data, size_t len);

/* Pixels owned by the caller after a decode: free(pixels). */
typedef struct image_buffer {
    uint8_t *pixels;
    int32_t width, height;
    ptrdiff_t stride;
    image_format_t format;
    double dpi; /* from pHYs, 0 when absent */
} image_buffer_t;

/* img turned a quarter clockwise into a new buffer (A5 cards are drawn open, landscape; the
 * printer takes the sheet portrait). Returns 0, or -1 (out of memory, logged). */
int image_rotate_cw(const image_view_t *img, image_buffer_t *out);

/* Writes img as a PNG file at path. Returns 0, or -1 with the reason logged (names the path). */
int image_png_write(const image_view_t *img, const char *path);

/* The same PNG stream into sink. Returns 0, or -1 with the reason logged (names sink->what). */
int image_png_write_sink(const image_view_t *img, const image_sink_t *sink);

/* Decodes a PNG of at most max_side pixels a side from memory into RGB8 (gray, palette and
 * 16-bit images are converted; alpha is composited on white). Returns 0 with *out filled, or -1
 * with the reason logged (names what) and *out zeroed. Thread-safe. */
int image_png_read_memory(const uint8_t *data, size_t len, int32_t max_side, const char *what,
                          image_buffer_t *out);

/* Writes img as a one-page PWG raster file at path, durably as above: "sgray_8" for IMAGE_GRAY8,
 * "srgb_8" for IMAGE_RGB8, HWResolution = img->dpi, which must be a whole number from 1 to 9600.
 * The header's page size is the image's physical size (pixels / dpi, rounded to whole points).
 * media_pwg_name names the media ("iso_a6_105x148mm"); the image must be that size within a
 * pixel (portrait as the name gives it), else -1. NULL, or a name libcups does not know (logged
 * as a warning), names the media from the image's size: a standard size within 0.5 mm, else
 * "custom_WxHmm_WxHmm". Returns 0, or -1 with the reason logged (names the path).
 * Thread-safe (libcups keeps its media and error state per thread). */
int image_pwg_write(const image_view_t *img, const char *path, const char *media_pwg_name);

/* The same PWG raster stream, written to fd from its current position (a file, pipe or socket
 * the caller owns: it is neither closed nor synced). An invalid view or media writes nothing;
 * a failed write may leave part of a stream behind. Writing to a pipe or socket whose reader
 * has gone raises SIGPIPE unless the caller ignores it. Returns 0, or -1 with the reason logged
 * (names the fd). Thread-safe. */
int image_pwg_write_fd(const image_view_t *img, int fd, const char *media_pwg_name);

/* The same PWG raster stream into sink, through cupsRasterOpenIO (a print job's request body).
 * Returns 0, or -1 with the reason logged (names sink->what). Thread-safe. */
int image_pwg_write_sink(const image_view_t *img, const image_sink_t *sink,
                         const char *media_pwg_name);

/* Writes img as a one-page PDF file at path through cairo, durably as above: the page is exactly
 * width_mm x height_mm (each 1 to 5080 mm; points = mm / 25.4 * 72) and the image, at most
 * 32767 pixels a side, is stretched to fill it without interpolation (the pixels are already at
 * print resolution). img->dpi is not used. Title and Creator are "likeletter"; no creation date,
 * so the same image gives the same bytes. Returns 0, or -1 with the reason logged (names the
 * path). Thread-safe. */
int image_pdf_write(const image_view_t *img, const char *path, double width_mm, double height_mm);

/* The same PDF into sink. Returns 0, or -1 with the reason logged (names sink->what). */
int image_pdf_write_sink(const image_view_t *img, const image_sink_t *sink, double width_mm,
                         double height_mm);

#endif
