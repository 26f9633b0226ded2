/* printer-ipp.c - the "ipp" driver (libcups): an IPP Everywhere printer by its ipp:// or ipps://
 * URI, or a CUPS queue by name through cupsd. Jobs go as one Print-Job request with the
 * document streamed into its body, so a job exists on the printer only with its whole
 * document (a Create-Job left without its document would block the queue after a crash). */
#include "printer-private.h"

#include "likeletter/fault.h"
#include "likeletter/log.h"

#include <cups/cups.h>
#include <cups/raster.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct ipp_printer {
    http_t *http;   /* NULL until connected, and again after a failure */
    char host[256]; /* host name, or cupsd's socket path */
    int port;
    http_encryption_t encryption;
    char uri[PRINTER_DEST_MAX + 64]; /* printer-uri for requests */
    char resource[PRINTER_DEST_MAX];
    bool cups_queue;
    unsigned formats;   /* PRINTER_DOC_* the printer lists; 0 = not asked yet */
    bool srgb;          /* PWG raster colour accepted (else sent as gray) */
    char media[32][48]; /* media-supported, for the media attribute */
    int media_count;
} ipp_printer_t;

static bool ipp_handles(const char *dest)
{
    (void)dest;
    return true;
}

/* A direct printer: the URI's parts, checked. */
static int target_uri(ipp_printer_t *ip, const char *dest)
{
    char scheme[16], user[64], resource[PRINTER_DEST_MAX];
    if (httpSeparateURI(HTTP_URI_CODING_ALL, dest, scheme, sizeof scheme, user, sizeof user,
                        ip->host, sizeof ip->host, &ip->port, resource, sizeof resource) < 0 ||
        !ip->host[0]) {
        log_msg(LOG_ERROR, "printer %s: not a valid printer URI", dest);
        return PRINTER_E_INVALID;
    }
    ip->encryption =
        strcmp(scheme, "ipps") == 0 ? HTTP_ENCRYPTION_ALWAYS : HTTP_ENCRYPTION_IF_REQUESTED;
    printer_text_copy(ip->uri, sizeof ip->uri, dest);
    printer_text_copy(ip->resource, sizeof ip->resource, resource[0] ? resource : "/");
    return 0;
}

/* A CUPS queue: cupsd (CUPS_SERVER, client.conf, or the local socket) and the queue's name;
 * none given means the CUPS default destination, asked for when connecting. */
static int target_queue(ipp_printer_t *ip, const char *name)
{
    for (const char *c = name; *c; c++) {
        if (*c == '/' || *c == '#' || *c == ' ' || (unsigned char)*c < 0x20) {
            log_msg(LOG_ERROR, "printer %s: not a CUPS queue name or ipp:// URI", name);
            return PRINTER_E_INVALID;
        }
    }
    ip->cups_queue = true;
    printer_text_copy(ip->host, sizeof ip->host, cupsServer());
    ip->port = ippPort();
    ip->encryption = cupsEncryption();
    if (name[0]) {
        snprintf(ip->uri, sizeof ip->uri, "ipp://localhost/printers/%s", name);
        snprintf(ip->resource, sizeof ip->resource, "/printers/%s", name);
    }
    return 0;
}

static int ipp_open(printer_t *p, const char *dest)
{
    ipp_printer_t *ip = calloc(1, sizeof *ip);
    if (!ip) {
        log_msg(LOG_ERROR, "printer %s: out of memory", dest);
        return PRINTER_E_IO;
    }
    bool direct = strncmp(dest, "ipp://", 6) == 0 || strncmp(dest, "ipps://", 7) == 0;
    int rc = direct ? target_uri(ip, dest) : target_queue(ip, dest);
    if (rc != 0) {
        free(ip);
        return rc;
    }
    p->impl = ip;
    return 0;
}

static void disconnect(ipp_printer_t *ip)
{
    if (ip->http) {
        httpClose(ip->http);
        ip->http = NULL;
    }
}

static void ipp_close(printer_t *p)
{
    ipp_printer_t *ip = p->impl;
    disconnect(ip);
    free(ip);
}

/* Connects when not connected; every later read and write is bounded by the timeout. */
static int connect_printer(printer_t *p)
{
    ipp_printer_t *ip = p->impl;
    if (ip->http) {
        return 0;
    }
    /* Created unconnected (msec 0), so the timeout is set before the connection and the TLS
     * handshake: a printer that accepts and never answers costs the timeout, not libcups' own. */
    ip->http = httpConnect2(ip->host, ip->port, NULL, AF_UNSPEC, ip->encryption, 1, 0, NULL);
    if (ip->http) {
        httpSetTimeout(ip->http, p->timeout, NULL, NULL);
    }
    if (!ip->http || httpReconnect2(ip->http, (int)(p->timeout * 1000), NULL) != 0) {
        /* The worker tells people once; the cause is for whoever reads the log at info. */
        log_msg(LOG_INFO, "printer %s: cannot connect to %s: %s", p->destination, ip->host,
                cupsLastErrorString());
        disconnect(ip);
        return PRINTER_E_UNREACHABLE;
    }
    if (ip->cups_queue && !ip->uri[0]) {
        const char *def = cupsGetDefault2(ip->http);
        if (!def) {
            log_msg(LOG_ERROR, "printer: no printer given and CUPS has no default destination");
            disconnect(ip);
            return PRINTER_E_INVALID;
        }
        snprintf(ip->uri, sizeof ip->uri, "ipp://localhost/printers/%s", def);
        snprintf(ip->resource, sizeof ip->resource, "/printers/%s", def);
    }
    return 0;
}

/* A libcups status as ours; drops the connection after transport failures. */
static int status_map(printer_t *p, ipp_status_t st, const char *what)
{
    ipp_printer_t *ip = p->impl;
    if (st <= IPP_STATUS_OK_EVENTS_COMPLETE) {
        return 0;
    }
    int rc = st == IPP_STATUS_ERROR_NOT_FOUND      ? PRINTER_E_NOT_FOUND
             : st >= IPP_STATUS_ERROR_INTERNAL     ? PRINTER_E_UNREACHABLE
             : st == IPP_STATUS_ERROR_NOT_POSSIBLE ? PRINTER_E_NOT_FOUND
                                                   : PRINTER_E_REJECTED;
    if (rc == PRINTER_E_UNREACHABLE) {
        disconnect(ip);
    }
    log_msg(rc == PRINTER_E_NOT_FOUND ? LOG_INFO : LOG_WARN, "printer %s: %s: %s (%s)",
            p->destination, what, cupsLastErrorString(), ippErrorString(st));
    return rc;
}

static ipp_t *request_new(const ipp_printer_t *ip, ipp_op_t op)
{
    ipp_t *req = ippNewRequest(op);
    ippAddString(req, IPP_TAG_OPERATION, IPP_TAG_URI, "printer-uri", NULL, ip->uri);
    ippAddString(req, IPP_TAG_OPERATION, IPP_TAG_NAME, "requesting-user-name", NULL, cupsUser());
    return req;
}

/* Sends req (consumed) and returns the response, or NULL with *rc set. */
static ipp_t *request_do(printer_t *p, ipp_t *req, const char *what, int *rc)
{
    *rc = connect_printer(p);
    if (*rc != 0) {
        ippDelete(req);
        return NULL;
    }
    ipp_printer_t *ip = p->impl;
    ipp_t *resp = cupsDoRequest(ip->http, req, ip->resource);
    *rc = status_map(p, resp ? ippGetStatusCode(resp) : cupsLastError(), what);
    if (*rc != 0) {
        ippDelete(resp);
        return NULL;
    }
    return resp;
}

/* Every keyword of attr into *bits (mapped) and keywords (joined with commas, for logs). */
static void reasons_add(ipp_attribute_t *attr, uint32_t *bits, char *keywords, size_t len)
{
    for (int i = 0; attr && i < ippGetCount(attr); i++) {
        const char *k = ippGetString(attr, i, NULL);
        if (!k || strcmp(k, "none") == 0) {
            continue;
        }
        *bits |= printer_reason_from_keyword(k);
        size_t used = strlen(keywords);
        if (used + 2 < len) {
            snprintf(keywords + used, len - used, "%s%s", used ? "," : "", k);
        }
    }
}

static void status_fill(ipp_t *resp, printer_status_t *out)
{
    ipp_attribute_t *a = ippFindAttribute(resp, "printer-state", IPP_TAG_ENUM);
    int state = a ? ippGetInteger(a, 0) : IPP_PSTATE_IDLE;
    out->state = state == IPP_PSTATE_STOPPED      ? PRINTER_STATE_STOPPED
                 : state == IPP_PSTATE_PROCESSING ? PRINTER_STATE_PROCESSING
                                                  : PRINTER_STATE_IDLE;
    reasons_add(ippFindAttribute(resp, "printer-state-reasons", IPP_TAG_KEYWORD), &out->reasons,
                out->keywords, sizeof out->keywords);
    if (out->state == PRINTER_STATE_STOPPED) {
        out->reasons |= PRINTER_REASON_OFFLINE;
    }
    a = ippFindAttribute(resp, "printer-state-message", IPP_TAG_TEXT);
    printer_text_copy(out->message, sizeof out->message, a ? ippGetString(a, 0, NULL) : "");
    a = ippFindAttribute(resp, "media-supported", IPP_TAG_ZERO);
    for (int i = 0; a && i < ippGetCount(a) && i < PRINTER_MEDIA_MAX; i++) {
        const char *m = ippGetString(a, i, NULL);
        printer_text_copy(out->media[i], sizeof out->media[i], m ? m : "");
        out->media_count = i + 1;
    }
    ipp_attribute_t *names = ippFindAttribute(resp, "marker-names", IPP_TAG_NAME);
    ipp_attribute_t *levels = ippFindAttribute(resp, "marker-levels", IPP_TAG_INTEGER);
    int n = levels ? ippGetCount(levels) : 0;
    for (int i = 0; i < n && i < PRINTER_MARKERS_MAX; i++) {
        out->marker_level[i] = ippGetInteger(levels, i);
        const char *name = names && i < ippGetCount(names) ? ippGetString(names, i, NULL) : NULL;
        printer_text_copy(out->marker_name[i], sizeof out->marker_name[i], name ? name : "");
        out->markers = i + 1;
    }
}

/* What the printer takes, remembered for its jobs. */
static void caps_fill(ipp_printer_t *ip, ipp_t *resp)
{
    ipp_attribute_t *a = ippFindAttribute(resp, "document-format-supported", IPP_TAG_MIMETYPE);
    ip->formats = 0;
    for (int i = 0; a && i < ippGetCount(a); i++) {
        const char *f = ippGetString(a, i, NULL);
        ip->formats |= !f                                   ? 0u
                       : strcmp(f, "image/pwg-raster") == 0 ? PRINTER_DOC_PWG
                       : strcmp(f, "image/png") == 0        ? PRINTER_DOC_PNG
                       : strcmp(f, "application/pdf") == 0  ? PRINTER_DOC_PDF
                                                            : 0u;
    }
    a = ippFindAttribute(resp, "pwg-raster-document-type-supported", IPP_TAG_KEYWORD);
    ip->srgb = !a || ippContainsString(a, "srgb_8");
    a = ippFindAttribute(resp, "media-supported", IPP_TAG_ZERO);
    ip->media_count = 0;
    for (int i = 0; a && i < ippGetCount(a) && ip->media_count < 32; i++) {
        const char *m = ippGetString(a, i, NULL);
        if (m) {
            printer_text_copy(ip->media[ip->media_count++], sizeof ip->media[0], m);
        }
    }
}

static const char *const printer_attrs[] = {"printer-state",
                                            "printer-state-reasons",
                                            "printer-state-message",
                                            "marker-names",
                                            "marker-levels",
                                            "document-format-supported",
                                            "pwg-raster-document-type-supported",
                                            "media-supported"};

static int ipp_status_get(printer_t *p, printer_status_t *out)
{
    ipp_printer_t *ip = p->impl;
    int rc = connect_printer(p);
    ipp_t *resp = NULL;
    if (rc == 0) {
        ipp_t *req = request_new(ip, IPP_OP_GET_PRINTER_ATTRIBUTES);
        ippAddStrings(req, IPP_TAG_OPERATION, IPP_TAG_KEYWORD, "requested-attributes",
                      (int)(sizeof printer_attrs / sizeof printer_attrs[0]), NULL, printer_attrs);
        resp = request_do(p, req, "printer status", &rc);
    }
    if (!resp) {
        if (rc == PRINTER_E_UNREACHABLE) {
            out->state = PRINTER_STATE_UNREACHABLE;
            out->reasons = PRINTER_REASON_UNREACHABLE;
        }
        return rc;
    }
    status_fill(resp, out);
    caps_fill(ip, resp);
    ippDelete(resp);
    return 0;
}

/* The format to send: PWG raster, else PNG, else PDF (IPP Everywhere lists PWG). */
static const char *format_pick(const ipp_printer_t *ip, unsigned *doc)
{
    static const struct {
        unsigned bit;
        const char *mime;
    } order[] = {{PRINTER_DOC_PWG, "image/pwg-raster"},
                 {PRINTER_DOC_PNG, "image/png"},
                 {PRINTER_DOC_PDF, "application/pdf"}};
    for (size_t i = 0; i < 3; i++) {
        if (ip->formats & order[i].bit) {
            *doc = order[i].bit;
            return order[i].mime;
        }
    }
    return NULL;
}

/* The request body: libcups' chunked writes to the job's connection. */
static int body_write(void *ctx, const uint8_t *data, size_t len)
{
    http_t *http = ctx;
    fault_crash_point("body"); /* the skip count picks how far into the document */
    if (cupsWriteRequestData(http, (const char *)data, len) != HTTP_STATUS_CONTINUE) {
        errno = EIO;
        return -1;
    }
    return 0;
}

/* Gray for printers whose PWG raster is gray only: ITU-R BT.601 luma, rounded. */
static uint8_t *gray_convert(const image_view_t *img)
{
    uint8_t *g = malloc((size_t)img->width * (size_t)img->height);
    for (int32_t y = 0; g && y < img->height; y++) {
        const uint8_t *s = img->pixels + (ptrdiff_t)y * img->stride;
        uint8_t *d = g + (size_t)y * (size_t)img->width;
        for (int32_t x = 0; x < img->width; x++, s += 3) {
            d[x] = (uint8_t)((299u * s[0] + 587u * s[1] + 114u * s[2] + 500u) / 1000u);
        }
    }
    return g;
}

static int body_send(printer_t *p, const printer_document_t *doc, unsigned kind)
{
    ipp_printer_t *ip = p->impl;
    image_sink_t sink = {.write = body_write, .ctx = ip->http, .what = p->destination};
    if (kind == PRINTER_DOC_PNG) {
        return image_png_write_sink(&doc->image, &sink);
    }
    if (kind == PRINTER_DOC_PDF) {
        return image_pdf_write_sink(&doc->image, &sink, doc->width_mm, doc->height_mm);
    }
    if (doc->image.format == IMAGE_GRAY8 || ip->srgb) {
        return image_pwg_write_sink(&doc->image, &sink, doc->media);
    }
    image_view_t gray = doc->image;
    uint8_t *g = gray_convert(&doc->image);
    if (!g) {
        return -1;
    }
    gray.pixels = g;
    gray.format = IMAGE_GRAY8;
    gray.stride = gray.width;
    int rc = image_pwg_write_sink(&gray, &sink, doc->media);
    free(g);
    return rc;
}

static bool media_listed(const ipp_printer_t *ip, const char *media)
{
    for (int i = 0; media && i < ip->media_count; i++) {
        if (strcmp(ip->media[i], media) == 0) {
            return true;
        }
    }
    return false;
}

static ipp_t *job_request(const ipp_printer_t *ip, const printer_document_t *doc, const char *mime)
{
    ipp_t *req = request_new(ip, IPP_OP_PRINT_JOB);
    ippAddString(req, IPP_TAG_OPERATION, IPP_TAG_NAME, "job-name", NULL, doc->job_name);
    ippAddString(req, IPP_TAG_OPERATION, IPP_TAG_MIMETYPE, "document-format", NULL, mime);
    /* A media the printer does not list gets the job rejected: then the page size in the
     * document says it. */
    if (media_listed(ip, doc->media)) {
        ippAddString(req, IPP_TAG_JOB, IPP_TAG_KEYWORD, "media", NULL, doc->media);
    }
    return req;
}

static int ipp_submit(printer_t *p, const printer_document_t *doc, int32_t *job_id)
{
    ipp_printer_t *ip = p->impl;
    printer_status_t st = {0};
    int rc = ip->formats ? connect_printer(p) : ipp_status_get(p, &st);
    unsigned kind = 0;
    const char *mime = rc == 0 ? format_pick(ip, &kind) : NULL;
    if (rc == 0 && !mime) {
        log_msg(LOG_ERROR, "printer %s: takes none of PWG raster, PNG, PDF", p->destination);
        return PRINTER_E_REJECTED;
    }
    if (rc != 0) {
        return rc;
    }
    ipp_t *req = job_request(ip, doc, mime);
    http_status_t hs = cupsSendRequest(ip->http, req, ip->resource, CUPS_LENGTH_VARIABLE);
    ippDelete(req);
    if (hs != HTTP_STATUS_CONTINUE || body_send(p, doc, kind) != 0) {
        log_msg(LOG_WARN, "printer %s: sending %s failed: %s", p->destination, doc->job_name,
                cupsLastErrorString());
        disconnect(ip);
        return PRINTER_E_UNREACHABLE;
    }
    ipp_t *resp = cupsGetResponse(ip->http, ip->resource);
    rc = status_map(p, resp ? ippGetStatusCode(resp) : cupsLastError(), "print job");
    ipp_attribute_t *a = resp ? ippFindAttribute(resp, "job-id", IPP_TAG_INTEGER) : NULL;
    if (rc == 0 && a) {
        *job_id = ippGetInteger(a, 0);
    } else if (rc == 0) {
        log_msg(LOG_WARN, "printer %s: accepted %s without a job id", p->destination,
                doc->job_name);
        rc = PRINTER_E_UNREACHABLE;
    }
    ippDelete(resp);
    return rc;
}

static void job_fill(ipp_t *resp, printer_job_t *out)
{
    ipp_attribute_t *a = ippFindAttribute(resp, "job-id", IPP_TAG_INTEGER);
    if (a) {
        out->id = ippGetInteger(a, 0);
    }
    a = ippFindAttribute(resp, "job-state", IPP_TAG_ENUM);
    int state = a ? ippGetInteger(a, 0) : IPP_JSTATE_PENDING;
    out->state = state >= IPP_JSTATE_PENDING && state <= IPP_JSTATE_COMPLETED
                     ? (printer_job_state_t)state
                     : PRINTER_JOB_PENDING;
    a = ippFindAttribute(resp, "job-name", IPP_TAG_NAME);
    printer_text_copy(out->name, sizeof out->name, a ? ippGetString(a, 0, NULL) : "");
    reasons_add(ippFindAttribute(resp, "job-state-reasons", IPP_TAG_KEYWORD), &out->reasons,
                out->keywords, sizeof out->keywords);
    a = ippFindAttribute(resp, "job-state-message", IPP_TAG_TEXT);
    printer_text_copy(out->message, sizeof out->message, a ? ippGetString(a, 0, NULL) : "");
    if (out->state == PRINTER_JOB_ABORTED) {
        out->reasons |= PRINTER_REASON_JOB_ABORTED;
    } else if (out->state == PRINTER_JOB_CANCELED) {
        out->reasons |= PRINTER_REASON_JOB_CANCELED;
    }
}

static const char *const job_attrs[] = {"job-id", "job-state", "job-state-reasons",
                                        "job-state-message", "job-name"};

static int ipp_job_get(printer_t *p, int32_t job_id, printer_job_t *out)
{
    ipp_printer_t *ip = p->impl;
    int rc = connect_printer(p);
    if (rc != 0) {
        return rc;
    }
    ipp_t *req = request_new(ip, IPP_OP_GET_JOB_ATTRIBUTES);
    ippAddInteger(req, IPP_TAG_OPERATION, IPP_TAG_INTEGER, "job-id", job_id);
    ippAddStrings(req, IPP_TAG_OPERATION, IPP_TAG_KEYWORD, "requested-attributes",
                  (int)(sizeof job_attrs / sizeof job_attrs[0]), NULL, job_attrs);
    ipp_t *resp = request_do(p, req, "job status", &rc);
    if (!resp) {
        return rc;
    }
    job_fill(resp, out);
    out->id = job_id;
    ippDelete(resp);
    if (out->state < PRINTER_JOB_CANCELED) {
        /* A waiting job says little; the printer says why (paper, jam, cover). The driver's
         * own status call fills what it finds into st, so st starts empty. */
        printer_status_t st = {0};
        if (ipp_status_get(p, &st) == 0) {
            out->reasons |= st.reasons;
            size_t used = strlen(out->keywords);
            snprintf(out->keywords + used, sizeof out->keywords - used, "%s%s",
                     used && st.keywords[0] ? "," : "", st.keywords);
        }
    }
    return 0;
}

/* Folds one job's attribute into j (the printer may send them in any order). */
static void job_attr(ipp_attribute_t *a, printer_job_t *j)
{
    const char *n = ippGetName(a);
    if (!n) {
        return;
    }
    if (strcmp(n, "job-id") == 0 && ippGetValueTag(a) == IPP_TAG_INTEGER) {
        j->id = ippGetInteger(a, 0);
    } else if (strcmp(n, "job-state") == 0 && ippGetValueTag(a) == IPP_TAG_ENUM) {
        j->state = (printer_job_state_t)ippGetInteger(a, 0);
    } else if (strcmp(n, "job-name") == 0) {
        const char *v = ippGetString(a, 0, NULL);
        printer_text_copy(j->name, sizeof j->name, v ? v : "");
    }
}

/* Keeps j in *best when it is named name and still counts: completed beats pending or
 * processing; aborted and canceled jobs never printed and do not count. */
static void job_consider(const printer_job_t *j, const char *name, printer_job_t *best)
{
    bool counts = j->id > 0 && strcmp(j->name, name) == 0 && j->state != PRINTER_JOB_ABORTED &&
                  j->state != PRINTER_JOB_CANCELED;
    if (counts && (best->id == 0 || j->state == PRINTER_JOB_COMPLETED)) {
        *best = *j;
    }
}

/* Walks a Get-Jobs answer: one job group per job, separated by a change of group. */
static void jobs_scan(ipp_t *resp, const char *name, printer_job_t *best)
{
    printer_job_t j = {0};
    bool in_job = false;
    for (ipp_attribute_t *a = ippFirstAttribute(resp); a; a = ippNextAttribute(resp)) {
        if (ippGetGroupTag(a) != IPP_TAG_JOB || !ippGetName(a)) {
            if (in_job) {
                job_consider(&j, name, best);
            }
            in_job = false;
            continue;
        }
        if (!in_job) {
            j = (printer_job_t){.state = PRINTER_JOB_PENDING};
            in_job = true;
        }
        job_attr(a, &j);
    }
    if (in_job) {
        job_consider(&j, name, best);
    }
}

static int ipp_job_find(printer_t *p, const char *job_name, printer_job_t *out)
{
    ipp_printer_t *ip = p->impl;
    static const char *const which[] = {"not-completed", "completed"};
    static const char *const attrs[] = {"job-id", "job-state", "job-name"};
    for (size_t i = 0; i < 2; i++) {
        int rc;
        ipp_t *req = request_new(ip, IPP_OP_GET_JOBS);
        ippAddString(req, IPP_TAG_OPERATION, IPP_TAG_KEYWORD, "which-jobs", NULL, which[i]);
        ippAddStrings(req, IPP_TAG_OPERATION, IPP_TAG_KEYWORD, "requested-attributes", 3, NULL,
                      attrs);
        ipp_t *resp = request_do(p, req, "job lookup", &rc);
        if (!resp) {
            return rc;
        }
        jobs_scan(resp, job_name, out);
        ippDelete(resp);
    }
    return out->id ? 0 : PRINTER_E_NOT_FOUND;
}

static int ipp_job_cancel(printer_t *p, int32_t job_id)
{
    ipp_printer_t *ip = p->impl;
    int rc;
    ipp_t *req = request_new(ip, IPP_OP_CANCEL_JOB);
    ippAddInteger(req, IPP_TAG_OPERATION, IPP_TAG_INTEGER, "job-id", job_id);
    ipp_t *resp = request_do(p, req, "cancel job", &rc);
    ippDelete(resp);
    return rc;
}

const printer_driver_t printer_driver_ipp = {
    .name = "ipp",
    .handles = ipp_handles,
    .open = ipp_open,
    .close = ipp_close,
    .status_get = ipp_status_get,
    .job_submit = ipp_submit,
    .job_get = ipp_job_get,
    .job_find = ipp_job_find,
    .job_cancel = ipp_job_cancel,
};

int printer_list(FILE *out)
{
    cups_dest_t *dests = NULL;
    int n = cupsGetDests2(CUPS_HTTP_DEFAULT, &dests);
    for (int i = 0; i < n; i++) {
        const char *info = cupsGetOption("printer-info", dests[i].num_options, dests[i].options);
        const char *uri = cupsGetOption("device-uri", dests[i].num_options, dests[i].options);
        fprintf(out, "%s%s%s  %s\n", dests[i].name, dests[i].instance ? "/" : "",
                dests[i].instance ? dests[i].instance : "", dests[i].is_default ? "(default)" : "");
        if (info || uri) {
            fprintf(out, "  %s%s%s\n", info ? info : "", info && uri ? " - " : "", uri ? uri : "");
        }
    }
    cupsFreeDests(n, dests);
    return n;
}
