/* image-pdf.c - one-page PDF files through cairo's PDF surface, written durably (temp, fsync,
 * rename, fsync dir). Cairo writes through a stream callback into the temporary file's
 * descriptor, so its write errors are ours to see and the same descriptor is fsync'ed. */
#include "likeletter/image.h"

#include "image-private.h"
#include "likeletter/durable.h"
#include "likeletter/log.h"

#include <cairo-pdf.h>
#include <cairo.h>
#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define PDF_MAX_SIDE 32767 /* pixels: cairo's image surface limit */
#define PDF_MIN_MM 1.0
#define PDF_MAX_MM 5080.0 /* 200 in = 14400 pt, the largest page PDF readers accept */

/* Where cairo's stream goes, and the first write error (an errno value). */
typedef struct pdf_sink {
    const image_sink_t *out;
    int err;
} pdf_sink_t;

static cairo_status_t sink_write(void *closure, const unsigned char *data, unsigned int length)
{
    pdf_sink_t *sink = closure;
    if (sink->err == 0 && sink->out->write(sink->out->ctx, data, length) != 0) {
        sink->err = errno ? errno : EIO;
    }
    return sink->err ? CAIRO_STATUS_WRITE_ERROR : CAIRO_STATUS_SUCCESS;
}

static bool args_check(const image_view_t *img, const char *path, double width_mm, double height_mm)
{
    const char *problem = image_view_problem(img, PDF_MAX_SIDE);
    if (problem) {
        log_msg(LOG_ERROR, "%s: cannot write a %dx%d image as PDF: %s", path, img ? img->width : 0,
                img ? img->height : 0, problem);
        return false;
    }
    if (!(width_mm >= PDF_MIN_MM && width_mm <= PDF_MAX_MM && height_mm >= PDF_MIN_MM &&
          height_mm <= PDF_MAX_MM)) {
        log_msg(LOG_ERROR, "%s: a PDF page of %gx%g mm is outside %g to %g mm", path, width_mm,
                height_mm, PDF_MIN_MM, PDF_MAX_MM);
        return false;
    }
    return true;
}

/* Cairo cannot paint A8 as gray, so gray and RGB both become RGB24 (0x00RRGGBB per native
 * uint32); cairo's PDF backend embeds an all-gray RGB24 image as DeviceGray again. */
static cairo_surface_t *surface_from_view(const image_view_t *img)
{
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, img->width, img->height);
    if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS) {
        return s;
    }
    cairo_surface_flush(s);
    unsigned char *data = cairo_image_surface_get_data(s);
    ptrdiff_t stride = cairo_image_surface_get_stride(s);
    for (int32_t y = 0; y < img->height; y++) {
        const uint8_t *src = img->pixels + (ptrdiff_t)y * img->stride;
        uint32_t *dst = (uint32_t *)(void *)(data + (ptrdiff_t)y * stride);
        for (int32_t x = 0; x < img->width; x++) {
            uint32_t r, g, b;
            if (img->format == IMAGE_GRAY8) {
                r = g = b = src[x];
            } else {
                r = src[3 * x], g = src[3 * x + 1], b = src[3 * x + 2];
            }
            dst[x] = r << 16 | g << 8 | b;
        }
    }
    cairo_surface_mark_dirty(s);
    return s;
}

/* The page, drawn into a PDF surface writing to sink; the cause of a failure is logged. */
static int pdf_encode(pdf_sink_t *sink, const image_view_t *img, const char *path, double w_pt,
                      double h_pt)
{
    cairo_surface_t *image = surface_from_view(img);
    cairo_surface_t *pdf = cairo_pdf_surface_create_for_stream(sink_write, sink, w_pt, h_pt);
    cairo_pdf_surface_set_metadata(pdf, CAIRO_PDF_METADATA_TITLE, "likeletter");
    cairo_pdf_surface_set_metadata(pdf, CAIRO_PDF_METADATA_CREATOR, "likeletter");
    /* No CreationDate (cairo would write the clock's): the same card gives the same bytes. */
    cairo_pdf_surface_set_metadata(pdf, CAIRO_PDF_METADATA_CREATE_DATE, "");
    cairo_t *cr = cairo_create(pdf);
    cairo_scale(cr, w_pt / img->width, h_pt / img->height);
    cairo_set_source_surface(cr, image, 0, 0);
    /* No smoothing: the pixels are at print resolution, and /Interpolate would blur the edges. */
    cairo_pattern_set_filter(cairo_get_source(cr), CAIRO_FILTER_NEAREST);
    cairo_paint(cr);
    cairo_status_t status = cairo_surface_status(image);
    if (status == CAIRO_STATUS_SUCCESS) {
        status = cairo_status(cr);
    }
    cairo_destroy(cr);
    cairo_surface_finish(pdf);
    if (status == CAIRO_STATUS_SUCCESS) {
        status = cairo_surface_status(pdf);
    }
    cairo_surface_destroy(pdf);
    cairo_surface_destroy(image);
    if (status == CAIRO_STATUS_SUCCESS) {
        return 0;
    }
    log_msg(LOG_ERROR, "%s: cannot write PDF: %s", path,
            sink->err ? strerror(sink->err) : cairo_status_to_string(status));
    errno = sink->err ? sink->err : EIO;
    return -1;
}

int image_pdf_write(const image_view_t *img, const char *path, double width_mm, double height_mm)
{
    if (!args_check(img, path, width_mm, height_mm)) {
        return -1;
    }
    durable_file_t f;
    if (durable_begin(&f, path) != 0) {
        return -1;
    }
    image_sink_t out = {.write = image_sink_fd_write, .ctx = &f.fd, .what = path};
    pdf_sink_t sink = {.out = &out, .err = 0};
    if (pdf_encode(&sink, img, path, width_mm / 25.4 * 72.0, height_mm / 25.4 * 72.0) != 0) {
        durable_abort(&f);
        return -1;
    }
    return durable_commit(&f);
}

int image_pdf_write_sink(const image_view_t *img, const image_sink_t *sink, double width_mm,
                         double height_mm)
{
    const char *what = sink && sink->what ? sink->what : "PDF stream";
    if (!args_check(img, what, width_mm, height_mm)) {
        return -1;
    }
    if (!sink || !sink->write) {
        log_msg(LOG_ERROR, "%s: no sink to write to", what);
        return -1;
    }
    pdf_sink_t ps = {.out = sink, .err = 0};
    return pdf_encode(&ps, img, what, width_mm / 25.4 * 72.0, height_mm / 25.4 * 72.0);
}
