/* image-png.c - PNG files through libpng, written durably (temp, fsync, rename, fsync dir). */
#include "likeletter/image.h"

#include "image-private.h"
#include "likeletter/durable.h"
#include "likeletter/log.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <png.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Where libpng's writes go, and the first errno a write failed with. */
typedef struct png_out {
    const image_sink_t *sink;
    int err;
} png_out_t;

static void out_write(png_structp png, png_bytep data, size_t len)
{
    png_out_t *out = png_get_io_ptr(png);
    if (out->sink->write(out->sink->ctx, data, len) != 0) {
        out->err = errno ? errno : EIO;
        png_error(png, "write failed");
    }
}

static void out_flush(png_structp png)
{
    (void)png;
}

/* libpng reports errors by longjmp; keep everything it touches in this one function. */
static int png_encode(png_out_t *out, const image_view_t *img)
{
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
    png_infop info = png ? png_create_info_struct(png) : NULL;
    if (!info) {
        png_destroy_write_struct(&png, NULL);
        return -1;
    }
    if (setjmp(png_jmpbuf(png))) {
        png_destroy_write_struct(&png, &info);
        return -1;
    }
    png_set_write_fn(png, out, out_write, out_flush);
    int type = img->format == IMAGE_RGB8 ? PNG_COLOR_TYPE_RGB : PNG_COLOR_TYPE_GRAY;
    png_set_IHDR(png, info, (png_uint_32)img->width, (png_uint_32)img->height, 8, type,
                 PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    if (img->dpi > 0) {
        png_uint_32 ppm = (png_uint_32)(img->dpi / 0.0254 + 0.5);
        png_set_pHYs(png, info, ppm, ppm, PNG_RESOLUTION_METER);
    }
    png_write_info(png, info);
    for (int32_t y = 0; y < img->height; y++) {
        png_write_row(png, img->pixels + (ptrdiff_t)y * img->stride);
    }
    png_write_end(png, info);
    png_destroy_write_struct(&png, &info);
    return 0;
}

/* Encodes into sink, logging the cause of a failure once. */
static int encode_logged(const image_view_t *img, const image_sink_t *sink)
{
    const char *problem = image_view_problem(img, 1000000);
    if (problem) {
        log_msg(LOG_ERROR, "%s: cannot write a %dx%d image as PNG: %s", sink->what,
                img ? img->width : 0, img ? img->height : 0, problem);
        return -1;
    }
    png_out_t out = {.sink = sink, .err = 0};
    if (png_encode(&out, img) != 0) {
        log_msg(LOG_ERROR, "%s: cannot write PNG: %s", sink->what,
                out.err ? strerror(out.err) : "libpng failed");
        errno = out.err ? out.err : EIO;
        return -1;
    }
    return 0;
}

int image_png_write_sink(const image_view_t *img, const image_sink_t *sink)
{
    if (!sink || !sink->write) {
        log_msg(LOG_ERROR, "PNG stream: no sink to write to");
        return -1;
    }
    image_sink_t named = *sink;
    named.what = sink->what ? sink->what : "PNG stream";
    return encode_logged(img, &named);
}

int image_png_write(const image_view_t *img, const char *path)
{
    const char *problem = image_view_problem(img, 1000000);
    if (problem) {
        log_msg(LOG_ERROR, "%s: cannot write a %dx%d image as PNG: %s", path, img ? img->width : 0,
                img ? img->height : 0, problem);
        return -1;
    }
    durable_file_t f;
    if (durable_begin(&f, path) != 0) {
        return -1;
    }
    image_sink_t sink = {.write = image_sink_fd_write, .ctx = &f.fd, .what = path};
    if (encode_logged(img, &sink) != 0) {
        durable_abort(&f);
        return -1;
    }
    return durable_commit(&f);
}

static uint32_t be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* The resolution a pHYs chunk gives (pixels per metre, as dots per inch), 0 without one. The
 * simplified read API does not report it, so the chunks before the first IDAT are walked here;
 * every length is checked against what is left. */
static double png_dpi(const uint8_t *data, size_t len)
{
    size_t off = 8; /* the signature */
    while (off <= len && len - off >= 12) {
        uint32_t n = be32(data + off);
        const uint8_t *type = data + off + 4;
        if (n > len - off - 12 || memcmp(type, "IDAT", 4) == 0) {
            return 0;
        }
        if (memcmp(type, "pHYs", 4) == 0 && n == 9 && data[off + 16] == 1) {
            uint32_t x = be32(data + off + 8), y = be32(data + off + 12);
            /* Writers store whole dpi as rounded pixels per metre: give the whole dpi back. */
            double dpi = x * 0.0254, whole = floor(dpi + 0.5);
            return x != y ? 0 : fabs(dpi - whole) < 0.01 ? whole : dpi;
        }
        off += 12 + (size_t)n;
    }
    return 0;
}

/* The simplified read API does the conversions (gray, palette, 16-bit, alpha on white). */
int image_png_read_memory(const uint8_t *data, size_t len, int32_t max_side, const char *what,
                          image_buffer_t *out)
{
    memset(out, 0, sizeof *out);
    png_image im;
    memset(&im, 0, sizeof im);
    im.version = PNG_IMAGE_VERSION;
    if (!data || !png_image_begin_read_from_memory(&im, data, len)) {
        log_msg(LOG_ERROR, "%s: not a readable PNG: %s", what, data ? im.message : "no data");
        png_image_free(&im);
        return -1;
    }
    if (im.width == 0 || im.height == 0 || im.width > (png_uint_32)max_side ||
        im.height > (png_uint_32)max_side) {
        log_msg(LOG_ERROR, "%s: a %ux%u PNG is outside 1 to %d pixels a side", what, im.width,
                im.height, max_side);
        png_image_free(&im);
        return -1;
    }
    im.format = PNG_FORMAT_RGB;
    size_t stride = (size_t)im.width * 3;
    uint8_t *pixels = malloc(stride * im.height);
    png_color white = {255, 255, 255};
    if (!pixels || !png_image_finish_read(&im, &white, pixels, (png_int_32)stride, NULL)) {
        log_msg(LOG_ERROR, "%s: cannot decode PNG: %s", what,
                pixels ? im.message : "out of memory");
        free(pixels);
        png_image_free(&im);
        return -1;
    }
    *out = (image_buffer_t){.pixels = pixels,
                            .width = (int32_t)im.width,
                            .height = (int32_t)im.height,
                            .stride = (ptrdiff_t)stride,
                            .format = IMAGE_RGB8,
                            .dpi = png_dpi(data, len)};
    return 0;
}
