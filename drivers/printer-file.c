/* printer-file.c - the "file" driver: each job's print-ready document written durably into a
 * folder, as <job-name>.pwg (or .png / .pdf with "?format=png|pdf"). For a kiosk without a
 * printer, and for keeping every card. A written job is completed at once. */
#include "printer-private.h"

#include "likeletter/log.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define RECENT 64 /* submitted jobs whose ids job_get() still knows */

typedef struct file_printer {
    char dir[PRINTER_DEST_MAX];
    const char *ext; /* "pwg", "png" or "pdf" */
    int32_t next_id;
    char recent[RECENT][PRINTER_JOB_NAME_MAX];
} file_printer_t;

static bool file_handles(const char *dest)
{
    return strncmp(dest, "file:", 5) == 0;
}

/* "file:/DIR", "file:///DIR", optionally "?format=pwg|png|pdf". */
static int parse(file_printer_t *f, const char *dest)
{
    const char *path = dest + 5;
    if (strncmp(path, "//", 2) == 0) {
        path += 2;
    }
    const char *query = strchr(path, '?');
    size_t n = query ? (size_t)(query - path) : strlen(path);
    f->ext = "pwg";
    if (query) {
        const char *fmt = query + 1;
        f->ext = strcmp(fmt, "format=png") == 0   ? "png"
                 : strcmp(fmt, "format=pdf") == 0 ? "pdf"
                 : strcmp(fmt, "format=pwg") == 0 ? "pwg"
                                                  : NULL;
    }
    if (path[0] != '/' || n >= sizeof f->dir || !f->ext) {
        log_msg(LOG_ERROR,
                "printer %s: a file destination is file:/FOLDER, with ?format=pwg|png|pdf", dest);
        return PRINTER_E_INVALID;
    }
    memcpy(f->dir, path, n);
    f->dir[n] = '\0';
    return 0;
}

static int file_open(printer_t *p, const char *dest)
{
    file_printer_t *f = calloc(1, sizeof *f);
    if (!f) {
        log_msg(LOG_ERROR, "printer %s: out of memory", dest);
        return PRINTER_E_IO;
    }
    int rc = parse(f, dest);
    struct stat st;
    if (rc == 0 && mkdir(f->dir, 0755) != 0 && errno != EEXIST) {
        log_msg(LOG_ERROR, "printer %s: cannot make %s: %s", dest, f->dir, strerror(errno));
        rc = PRINTER_E_IO;
    } else if (rc == 0 && (stat(f->dir, &st) != 0 || !S_ISDIR(st.st_mode))) {
        log_msg(LOG_ERROR, "printer %s: %s is not a folder", dest, f->dir);
        rc = PRINTER_E_IO;
    }
    if (rc != 0) {
        free(f);
        return rc;
    }
    f->next_id = 1;
    p->impl = f;
    return 0;
}

static void file_close(printer_t *p)
{
    free(p->impl);
}

/* The document's file name: the job name with anything but [A-Za-z0-9._-] made '_'. */
static int doc_path(const file_printer_t *f, const char *job_name, char *out, size_t len)
{
    char safe[PRINTER_JOB_NAME_MAX];
    printer_text_copy(safe, sizeof safe, job_name);
    for (char *c = safe; *c; c++) {
        bool ok = (*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
                  (*c >= '0' && *c <= '9') || *c == '.' || *c == '-' || *c == '_';
        *c = ok && !(c == safe && *c == '.') ? *c : '_';
    }
    int n = snprintf(out, len, "%s/%s.%s", f->dir, safe, f->ext);
    return n > 0 && (size_t)n < len ? 0 : PRINTER_E_INVALID;
}

static int file_submit(printer_t *p, const printer_document_t *doc, int32_t *job_id)
{
    file_printer_t *f = p->impl;
    char path[PRINTER_DEST_MAX + 80];
    if (doc_path(f, doc->job_name, path, sizeof path) != 0) {
        return PRINTER_E_INVALID;
    }
    image_view_t img = doc->image;
    int rc = strcmp(f->ext, "png") == 0 ? image_png_write(&img, path)
             : strcmp(f->ext, "pdf") == 0
                 ? image_pdf_write(&img, path, doc->width_mm, doc->height_mm)
                 : image_pwg_write(&img, path, doc->media);
    if (rc != 0) {
        return PRINTER_E_IO;
    }
    *job_id = f->next_id++;
    printer_text_copy(f->recent[*job_id % RECENT], sizeof f->recent[0], doc->job_name);
    log_msg(LOG_INFO, "printer %s: job %d written to %s", p->destination, (int)*job_id, path);
    return 0;
}

static void completed(printer_job_t *out, int32_t id, const char *name)
{
    out->id = id;
    out->state = PRINTER_JOB_COMPLETED;
    printer_text_copy(out->name, sizeof out->name, name);
}

static int file_job_get(printer_t *p, int32_t job_id, printer_job_t *out)
{
    file_printer_t *f = p->impl;
    if (job_id >= f->next_id || job_id <= f->next_id - RECENT) {
        return PRINTER_E_NOT_FOUND;
    }
    completed(out, job_id, f->recent[job_id % RECENT]);
    return 0;
}

/* A document on disk is a finished job (the writes are durable: temp, fsync, rename). */
static int file_job_find(printer_t *p, const char *job_name, printer_job_t *out)
{
    char path[PRINTER_DEST_MAX + 80];
    struct stat st;
    if (doc_path(p->impl, job_name, path, sizeof path) != 0 || stat(path, &st) != 0) {
        return PRINTER_E_NOT_FOUND;
    }
    completed(out, 0, job_name);
    return 0;
}

const printer_driver_t printer_driver_file = {
    .name = "file",
    .handles = file_handles,
    .open = file_open,
    .close = file_close,
    .job_submit = file_submit,
    .job_get = file_job_get,
    .job_find = file_job_find,
};
