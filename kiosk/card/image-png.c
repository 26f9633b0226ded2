/* image-png.c - PNG files through libpng, written durably (temp, fsync, rename, fsync dir). */
#include "likeletter/image.h"

#include "likeletter/log.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <png.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
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

static int dir_fsync(const char *path)
{
    char *copy = strdup(path);
    if (!copy) {
        return -1;
    }
    int fd = open(dirname(copy), O_RDONLY | O_DIRECTORY);
    free(copy);
    if (fd < 0) {
        return -1;
    }
    int rc = fsync(fd);
    close(fd);
    return rc;
}

int image_png_write(const image_view_t *img, const char *path)
{
    if (img->width <= 0 || img->height <= 0 || img->width > 1000000 || img->height > 1000000 ||
        (img->format != IMAGE_GRAY8 && img->format != IMAGE_RGB8) || !img->pixels ||
        img->stride < (ptrdiff_t)img->width * (ptrdiff_t)img->format) {
        log_msg(LOG_ERROR, "%s: cannot write a %dx%d image", path, img->width, img->height);
        return -1;
    }
    char tmp[4096];
    if (snprintf(tmp, sizeof tmp, "%s.XXXXXX", path) >= (int)sizeof tmp) {
        log_msg(LOG_ERROR, "%s: path too long", path);
        return -1;
    }
    int fd = mkstemp(tmp);
    if (fd < 0) {
        log_msg(LOG_ERROR, "%s: cannot create: %s", path, strerror(errno));
        return -1;
    }
    FILE *f = fdopen(fd, "wb");
    int rc = f ? png_encode(f, img) : -1;
    if (rc == 0 && (fflush(f) != 0 || fsync(fd) != 0)) {
        rc = -1;
    }
    int saved = errno;
    if (f ? fclose(f) != 0 : close(fd) != 0) {
        rc = -1;
    }
    /* mkstemp makes 0600; an image is for people to open: 0644, as a plain fopen would. */
    if (rc == 0 && chmod(tmp, 0644) == 0 && rename(tmp, path) == 0) {
        (void)dir_fsync(path);
        return 0;
    }
    log_msg(LOG_ERROR, "%s: cannot write PNG: %s", path, strerror(saved ? saved : errno));
    unlink(tmp);
    return -1;
}
