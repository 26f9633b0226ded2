/* image-png.c - PNG files through libpng, written durably (temp, fsync, rename, fsync dir). */
#include "likeletter/image.h"

#include "image-private.h"
#include "likeletter/durable.h"
#include "likeletter/log.h"

#include <errno.h>
#include <fcntl.h>
#include <png.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* libpng reports errors by longjmp; keep everything it touches in this one function. */
static int png_encode(FILE *f, const image_view_t *img)
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
    png_init_io(png, f);
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
    /* stdio buffers libpng's many small writes; the descriptor stays durable's to close. */
    FILE *out = fdopen(dup(f.fd), "wb");
    int rc = out ? png_encode(out, img) : -1;
    if (out && fclose(out) != 0) {
        rc = -1;
    }
    if (rc != 0) {
        log_msg(LOG_ERROR, "%s: cannot write PNG: %s", path, strerror(errno ? errno : EIO));
        durable_abort(&f);
        return -1;
    }
    return durable_commit(&f);
}
