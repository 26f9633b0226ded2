/* printer.c - the driver registry, the wrappers that check optional entries, and the reasons a
 * printer gives, worded for visitors. */
#include "printer-private.h"

#include "likeletter/log.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Tried in order; the first that handles a destination gets it (ipp takes everything else). */
static const printer_driver_t *const drivers[] = {&printer_driver_file, &printer_driver_ipp};

void printer_text_copy(char *dst, size_t len, const char *src)
{
    if (len == 0) {
        return;
    }
    size_t n = src ? strlen(src) : 0;
    if (n >= len) {
        n = len - 1;
        /* Back up over continuation bytes so a character is never cut in half. */
        while (n > 0 && ((unsigned char)src[n] & 0xC0) == 0x80) {
            n--;
        }
    }
    if (n) {
        memcpy(dst, src, n);
    }
    dst[n] = '\0';
}

printer_t *printer_open(const char *destination, double timeout)
{
    const char *dest = destination ? destination : "";
    if (strlen(dest) >= PRINTER_DEST_MAX) {
        log_msg(LOG_ERROR, "printer: a destination of %zu bytes is too long", strlen(dest));
        return NULL;
    }
    printer_t *p = calloc(1, sizeof *p);
    if (!p) {
        log_msg(LOG_ERROR, "printer %s: out of memory", dest);
        return NULL;
    }
    memcpy(p->destination, dest, strlen(dest) + 1);
    p->timeout = timeout > 0 ? timeout : PRINTER_TIMEOUT_DEFAULT;
    for (size_t i = 0; i < sizeof drivers / sizeof drivers[0]; i++) {
        if (drivers[i]->handles(dest)) {
            p->driver = drivers[i];
            break;
        }
    }
    if (!p->driver || p->driver->open(p, dest) != 0) {
        if (!p->driver) {
            log_msg(LOG_ERROR, "printer %s: no driver takes this destination", dest);
        }
        free(p);
        return NULL;
    }
    return p;
}

void printer_close(printer_t *p)
{
    if (!p) {
        return;
    }
    if (p->driver->close) {
        p->driver->close(p);
    }
    free(p);
}

const char *printer_destination(const printer_t *p)
{
    return p->destination;
}

const char *printer_driver_name(const printer_t *p)
{
    return p->driver->name;
}

int printer_status_get(printer_t *p, printer_status_t *out)
{
    memset(out, 0, sizeof *out);
    out->media_count = -1;
    if (!p->driver->status_get) {
        out->state = PRINTER_STATE_IDLE;
        return 0;
    }
    return p->driver->status_get(p, out);
}

int printer_job_submit(printer_t *p, const printer_document_t *doc, int32_t *job_id)
{
    *job_id = 0;
    if (!doc || !doc->job_name || !doc->job_name[0] ||
        strlen(doc->job_name) >= PRINTER_JOB_NAME_MAX || !doc->image.pixels) {
        log_msg(LOG_ERROR, "printer %s: a job needs a name of 1 to %d bytes and pixels",
                p->destination, PRINTER_JOB_NAME_MAX - 1);
        return PRINTER_E_INVALID;
    }
    return p->driver->job_submit(p, doc, job_id);
}

int printer_job_get(printer_t *p, int32_t job_id, const char *expect_name, printer_job_t *out)
{
    memset(out, 0, sizeof *out);
    if (job_id <= 0 || !p->driver->job_get) {
        return PRINTER_E_NOT_FOUND;
    }
    int rc = p->driver->job_get(p, job_id, out);
    if (rc == 0 && expect_name && out->name[0] && strcmp(out->name, expect_name) != 0) {
        /* The printer restarted and reused the id for someone else's job. */
        log_msg(LOG_INFO, "printer %s: job %d is now \"%s\", not \"%s\"", p->destination,
                (int)job_id, out->name, expect_name);
        memset(out, 0, sizeof *out);
        return PRINTER_E_NOT_FOUND;
    }
    return rc;
}

int printer_job_find(printer_t *p, const char *job_name, printer_job_t *out)
{
    memset(out, 0, sizeof *out);
    if (!job_name || !job_name[0] || !p->driver->job_find) {
        return PRINTER_E_NOT_FOUND;
    }
    return p->driver->job_find(p, job_name, out);
}

int printer_job_cancel(printer_t *p, int32_t job_id)
{
    if (job_id <= 0 || !p->driver->job_cancel) {
        return PRINTER_E_NOT_FOUND;
    }
    return p->driver->job_cancel(p, job_id);
}

int printer_media_size_mm(const char *name, double *width_mm, double *height_mm)
{
    /* The size is the last part: after the last '_', "WxHmm" or "WxHin", W and H decimals. */
    const char *size = name ? strrchr(name, '_') : NULL;
    size_t n = size ? strlen(++size) : 0;
    if (n < 5 || n > 24) {
        return -1;
    }
    double unit = strcmp(size + n - 2, "mm") == 0   ? 1.0
                  : strcmp(size + n - 2, "in") == 0 ? 25.4
                                                    : 0;
    char buf[25], *x, *end;
    memcpy(buf, size, n - 2);
    buf[n - 2] = '\0';
    if (unit == 0 || !(x = strchr(buf, 'x')) || strspn(buf, "0123456789.x") != n - 2) {
        return -1;
    }
    *x = '\0';
    double w = strtod(buf, &end);
    if (end != x || end == buf) {
        return -1;
    }
    double h = strtod(x + 1, &end);
    if (*end != '\0' || end == x + 1 || !(w > 0 && h > 0 && w < 1e5 && h < 1e5)) {
        return -1;
    }
    *width_mm = w * unit, *height_mm = h * unit;
    return 0;
}

/* Whether w x h fits between lo and hi (each w x h), within 1 mm. */
static bool size_within(double w, double h, const double lo[2], const double hi[2])
{
    return w >= lo[0] - 1 && h >= lo[1] - 1 && w <= hi[0] + 1 && h <= hi[1] + 1;
}

static bool prefixed(const char *s, const char *a, const char *b)
{
    return strncmp(s, a, strlen(a)) == 0 || strncmp(s, b, strlen(b)) == 0;
}

bool printer_status_takes(const printer_status_t *st, double width_mm, double height_mm)
{
    if (st->media_count < 0) {
        return true;
    }
    double lo[2] = {0, 0}, hi[2] = {0, 0};
    bool have_lo = false, have_hi = false;
    for (int32_t i = 0; i < st->media_count && i < PRINTER_MEDIA_MAX; i++) {
        double w, h;
        if (printer_media_size_mm(st->media[i], &w, &h) < 0) {
            continue;
        }
        if (prefixed(st->media[i], "custom_min_", "roll_min_")) {
            lo[0] = w, lo[1] = h, have_lo = true;
        } else if (prefixed(st->media[i], "custom_max_", "roll_max_")) {
            hi[0] = w, hi[1] = h, have_hi = true;
        } else if ((fabs(w - width_mm) <= 1 && fabs(h - height_mm) <= 1) ||
                   (fabs(w - height_mm) <= 1 && fabs(h - width_mm) <= 1)) {
            return true;
        }
    }
    /* A range takes the sheet either way round. */
    return have_lo && have_hi &&
           (size_within(width_mm, height_mm, lo, hi) || size_within(height_mm, width_mm, lo, hi));
}
