/* image-pwg.c - one-page PWG raster through the libcups raster API, to a file written durably
 * (temp, fsync, rename, fsync dir) or to a caller's file descriptor (a print job's stream). */
#include "likeletter/image.h"

#include "image-private.h"
#include "likeletter/durable.h"
#include "likeletter/log.h"

#include <cups/cups.h>
#include <cups/raster.h>
#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define PWG_MAX_SIDE 1000000 /* pixels: 3 MB rows, far inside libcups' 16 MB line limit */
#define PWG_MAX_DPI 9600
#define PWG_MAX_MM 10000.0 /* a page side: keeps hundredths of mm and points far inside int */

/* libcups' raster errors accumulate lines ending in '\n'; the last line, trimmed, is the cause. */
static const char *raster_error(char *buf, size_t len)
{
    snprintf(buf, len, "%s", cupsRasterErrorString());
    size_t n = strlen(buf);
    while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == ' ')) {
        buf[--n] = '\0';
    }
    const char *last = strrchr(buf, '\n');
    return last ? last + 1 : n ? buf : "unknown libcups raster error";
}

/* A view PWG raster can hold, at a whole-number resolution; logs why not. */
static bool view_check(const image_view_t *img, const char *what)
{
    const char *problem = image_view_problem(img, PWG_MAX_SIDE);
    if (problem) {
        log_msg(LOG_ERROR, "%s: cannot write a %dx%d image as PWG raster: %s", what,
                img ? img->width : 0, img ? img->height : 0, problem);
        return false;
    }
    if (!(img->dpi >= 1 && img->dpi <= PWG_MAX_DPI) || img->dpi != floor(img->dpi)) {
        log_msg(LOG_ERROR,
                "%s: PWG raster needs a whole-number resolution from 1 to %d dpi, not %g", what,
                PWG_MAX_DPI, img->dpi);
        return false;
    }
    double w_mm = img->width * 25.4 / img->dpi, h_mm = img->height * 25.4 / img->dpi;
    if (w_mm > PWG_MAX_MM || h_mm > PWG_MAX_MM) {
        log_msg(LOG_ERROR, "%s: a %.0fx%.0f mm page is larger than %.0f mm a side", what, w_mm,
                h_mm, PWG_MAX_MM);
        return false;
    }
    return true;
}

/* The media for the header: the named one, which must be the image's size (within a pixel);
 * else the standard or custom size libcups finds for the image's size in hundredths of mm. */
static pwg_media_t *media_choose(const image_view_t *img, const char *name, const char *what)
{
    double dpi = img->dpi;
    pwg_media_t *media = name ? pwgMediaForPWG(name) : NULL;
    if (name && !media) {
        log_msg(LOG_WARN, "%s: unknown media \"%s\": naming it from the image's size", what, name);
    }
    if (media) {
        double w = media->width * dpi / 2540.0, h = media->length * dpi / 2540.0;
        if (fabs(w - img->width) > 1.0 || fabs(h - img->height) > 1.0) {
            log_msg(LOG_ERROR, "%s: media %s is %.1fx%.1f px at %g dpi, but the image is %dx%d px",
                    what, media->pwg, w, h, dpi, img->width, img->height);
            return NULL;
        }
        return media;
    }
    int w100 = (int)lround(img->width * 2540.0 / dpi),
        h100 = (int)lround(img->height * 2540.0 / dpi);
    media = pwgMediaForSize(w100 > 0 ? w100 : 1, h100 > 0 ? h100 : 1);
    if (!media) {
        log_msg(LOG_ERROR, "%s: no PWG media name for %dx%d px at %g dpi", what, img->width,
                img->height, dpi);
    }
    return media;
}

/* cupsRasterInitPWGHeader() sizes the raster from the media; the image is the truth, so its
 * pixels and physical size replace the media's (they differ by rounding, or by up to 0.5 mm for
 * a standard size found near the image's). */
static bool header_init(cups_page_header2_t *h, const image_view_t *img, const char *media_name,
                        const char *what)
{
    pwg_media_t *media = media_choose(img, media_name, what);
    if (!media) {
        return false;
    }
    const char *type = img->format == IMAGE_RGB8 ? "srgb_8" : "sgray_8";
    int dpi = (int)img->dpi;
    if (!cupsRasterInitPWGHeader(h, media, type, dpi, dpi, NULL, NULL)) {
        char buf[512];
        log_msg(LOG_ERROR, "%s: cannot make a PWG raster header: %s", what,
                raster_error(buf, sizeof buf));
        return false;
    }
    double w_pt = img->width * 72.0 / img->dpi, h_pt = img->height * 72.0 / img->dpi;
    h->cupsWidth = (unsigned)img->width;
    h->cupsHeight = (unsigned)img->height;
    h->cupsBytesPerLine = (unsigned)img->width * (unsigned)img->format;
    h->PageSize[0] = (unsigned)lround(w_pt);
    h->PageSize[1] = (unsigned)lround(h_pt);
    h->cupsPageSize[0] = (float)w_pt;
    h->cupsPageSize[1] = (float)h_pt;
    h->ImagingBoundingBox[2] = h->PageSize[0];
    h->ImagingBoundingBox[3] = h->PageSize[1];
    h->cupsInteger[CUPS_RASTER_PWG_TotalPageCount] = 1;
    return true;
}

/* libcups' raster stream writes through this callback, which must return a byte count. */
static ssize_t sink_io(void *ctx, unsigned char *buffer, size_t length)
{
    const image_sink_t *sink = ctx;
    return sink->write(sink->ctx, buffer, length) == 0 ? (ssize_t)length : -1;
}

/* Header and rows into sink. libcups only reads the rows it is given (it copies or compares
 * them for its PackBits and line-repeat coding; 8-bit samples need no byte swap), so the
 * pixels' const is cast away for its non-const prototype. */
static int raster_encode(const image_sink_t *sink, const image_view_t *img, cups_page_header2_t *h)
{
    char buf[512];
    errno = 0;
    cups_raster_t *r = cupsRasterOpenIO(sink_io, (void *)(uintptr_t)sink, CUPS_RASTER_WRITE_PWG);
    if (!r) {
        log_msg(LOG_ERROR, "%s: cannot start PWG raster: %s", sink->what,
                errno ? strerror(errno) : raster_error(buf, sizeof buf));
        return -1;
    }
    int rc = cupsRasterWriteHeader2(r, h) ? 0 : -1;
    for (int32_t y = 0; rc == 0 && y < img->height; y++) {
        unsigned char *row = (unsigned char *)(uintptr_t)(img->pixels + (ptrdiff_t)y * img->stride);
        if (cupsRasterWritePixels(r, row, h->cupsBytesPerLine) != h->cupsBytesPerLine) {
            rc = -1;
        }
    }
    int saved = errno;
    cupsRasterClose(r);
    if (rc != 0) {
        log_msg(LOG_ERROR, "%s: cannot write PWG raster: %s", sink->what,
                saved ? strerror(saved) : raster_error(buf, sizeof buf));
        errno = saved;
    }
    return rc;
}

int image_pwg_write_sink(const image_view_t *img, const image_sink_t *sink,
                         const char *media_pwg_name)
{
    cups_page_header2_t h;
    const char *what = sink && sink->what ? sink->what : "PWG raster stream";
    if (!view_check(img, what) || !header_init(&h, img, media_pwg_name, what)) {
        return -1;
    }
    if (!sink || !sink->write) {
        log_msg(LOG_ERROR, "%s: no sink to write to", what);
        return -1;
    }
    return raster_encode(sink, img, &h);
}

int image_pwg_write_fd(const image_view_t *img, int fd, const char *media_pwg_name)
{
    char what[32];
    snprintf(what, sizeof what, "fd %d", fd);
    cups_page_header2_t h;
    if (!view_check(img, what) || !header_init(&h, img, media_pwg_name, what)) {
        return -1;
    }
    if (fd < 0) {
        log_msg(LOG_ERROR, "%s: not a file descriptor", what);
        return -1;
    }
    image_sink_t sink = {.write = image_sink_fd_write, .ctx = &fd, .what = what};
    return raster_encode(&sink, img, &h);
}

int image_pwg_write(const image_view_t *img, const char *path, const char *media_pwg_name)
{
    /* Everything that can be checked is checked before a temporary file exists. */
    cups_page_header2_t h;
    if (!view_check(img, path) || !header_init(&h, img, media_pwg_name, path)) {
        return -1;
    }
    durable_file_t f;
    if (durable_begin(&f, path) != 0) {
        return -1;
    }
    image_sink_t sink = {.write = image_sink_fd_write, .ctx = &f.fd, .what = path};
    if (raster_encode(&sink, img, &h) != 0) {
        durable_abort(&f);
        return -1;
    }
    return durable_commit(&f);
}
