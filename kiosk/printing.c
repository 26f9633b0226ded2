/* printing.c - the print worker (see printing.h): the queue's jobs to their printers. */
#include "likeletter/printing.h"

#include "likeletter/fault.h"
#include "likeletter/image.h"
#include "likeletter/log.h"
#include "likeletter/printer.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <time.h>
#include <unistd.h>

#define PRINTERS_MAX 8
#define JOB_NAME_MAX (QUEUE_JOB_NAME_MAX + 20)
#define CARD_MAX_SIDE 20000 /* pixels: A5 at 1200 dpi is 9921 */

typedef struct printer_slot {
    char destination[QUEUE_PRINTER_MAX];
    printer_t *printer;
} printer_slot_t;

struct printing {
    printing_config_t cfg;
    queue_t *queue;
    printer_slot_t printers[PRINTERS_MAX];
    int next_slot; /* the slot reused when all are taken */
    /* What was last told about the current job, so an unchanged status is not re-committed. */
    int64_t told_job;
    queue_state_t told_state;
    uint32_t told_reasons;
};

int64_t printing_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

printing_t *printing_create(const printing_config_t *cfg)
{
    printing_t *w = calloc(1, sizeof *w);
    if (!w) {
        log_msg(LOG_ERROR, "print worker: out of memory");
        return NULL;
    }
    w->cfg = *cfg;
    w->cfg.poll_ms = cfg->poll_ms > 0 ? cfg->poll_ms : 250;
    w->cfg.idle_ms = cfg->idle_ms > 0 ? cfg->idle_ms : 200;
    w->cfg.backoff_max_ms = cfg->backoff_max_ms > 0 ? cfg->backoff_max_ms : 5000;
    w->queue = queue_open(cfg->queue_path);
    if (!w->queue) {
        free(w);
        return NULL;
    }
    return w;
}

void printing_free(printing_t *w)
{
    if (!w) {
        return;
    }
    for (int i = 0; i < PRINTERS_MAX; i++) {
        printer_close(w->printers[i].printer);
    }
    queue_close(w->queue);
    free(w);
}

/* The open printer for a destination, opened on first use (a small cache: a kiosk has one). */
static printer_t *printer_for(printing_t *w, const char *dest)
{
    for (int i = 0; i < PRINTERS_MAX; i++) {
        if (w->printers[i].printer && strcmp(w->printers[i].destination, dest) == 0) {
            return w->printers[i].printer;
        }
    }
    printer_t *p = printer_open(dest, w->cfg.timeout);
    if (!p) {
        return NULL;
    }
    printer_slot_t *s = &w->printers[w->next_slot];
    w->next_slot = (w->next_slot + 1) % PRINTERS_MAX;
    printer_close(s->printer);
    snprintf(s->destination, sizeof s->destination, "%s", dest);
    s->printer = p;
    return p;
}

/* The printer's name for a job: the queue's name plus the job's creation time, so a queue
 * started afresh (its ids from 1 again) never takes an old job in the printer's history for
 * its own. */
static void job_name(const queue_job_t *job, char *buf, size_t len)
{
    char base[QUEUE_JOB_NAME_MAX];
    queue_job_name(job->id, base, sizeof base);
    snprintf(buf, len, "%s-%llx", base, (unsigned long long)job->created_ms);
}

/* Tells the callback, once per change of state or reasons. */
static void tell(printing_t *w, const queue_job_t *job, queue_state_t state, int32_t printer_job,
                 uint32_t reasons)
{
    if (w->told_job == job->id && w->told_state == state && w->told_reasons == reasons) {
        return;
    }
    w->told_job = job->id, w->told_state = state, w->told_reasons = reasons;
    const char *message = printer_reason_message(reasons, "en");
    log_msg(LOG_INFO, "job %lld: %s%s%s", (long long)job->id, queue_state_name(state),
            message ? ": " : "", message ? message : "");
    if (w->cfg.on_event) {
        printing_event_t ev = {.job_id = job->id,
                               .state = state,
                               .printer_job_id = printer_job,
                               .reasons = reasons,
                               .needs_person = printer_reason_needs_person(reasons),
                               .reason = printer_reason_keyword(reasons),
                               .message = message ? message : ""};
        w->cfg.on_event(w->cfg.ctx, &ev);
    }
}

/* Records why a pending job waits (only when that changed: each commit is an fsync). */
static int note(printing_t *w, const queue_job_t *job, uint32_t reasons)
{
    const char *keyword = printer_reason_keyword(reasons);
    const char *message = printer_reason_message(reasons, "en");
    if (strcmp(job->reason, keyword) == 0) {
        tell(w, job, job->state, job->printer_job_id, reasons);
        return 0;
    }
    int rc = queue_job_status(w->queue, job->id, keyword, message ? message : "");
    tell(w, job, job->state, job->printer_job_id, reasons);
    return rc < 0 ? -1 : 0;
}

static int64_t backoff_ms(const printing_t *w, int32_t attempts)
{
    int64_t ms = 500;
    for (int32_t i = 1; i < attempts && ms < w->cfg.backoff_max_ms; i++) {
        ms *= 2;
    }
    return ms < w->cfg.backoff_max_ms ? ms : w->cfg.backoff_max_ms;
}

/* Back to queued after a failed or uncertain attempt: the next one looks the job up first. */
static int64_t requeue(printing_t *w, const queue_job_t *job, uint32_t reasons)
{
    int64_t wait = backoff_ms(w, job->attempts);
    const char *message = printer_reason_message(reasons, "en");
    if (queue_job_requeue(w->queue, job->id, printing_now_ms() + wait,
                          printer_reason_keyword(reasons), message ? message : "") < 0) {
        return -1;
    }
    tell(w, job, QUEUE_QUEUED, 0, reasons);
    return wait;
}

static int64_t fail(printing_t *w, const queue_job_t *job, const char *reason, const char *message)
{
    log_msg(LOG_ERROR, "job %lld: failed: %s", (long long)job->id, message);
    if (queue_job_failed(w->queue, job->id, reason, message) < 0) {
        return -1;
    }
    tell(w, job, QUEUE_FAILED, 0, PRINTER_REASON_OTHER_ERROR);
    return 0;
}

/* The document to send: the queued PNG decoded; an A5 card (drawn open, landscape) turned to
 * the portrait sheet the printer feeds. */
static int document_make(const queue_job_t *job, image_buffer_t *img, printer_document_t *doc,
                         char *name)
{
    char what[64];
    snprintf(what, sizeof what, "job %lld's card", (long long)job->id);
    if (image_png_read_memory(job->document, job->document_len, CARD_MAX_SIDE, what, img) != 0) {
        return -1;
    }
    img->dpi = job->card.spec.dpi;
    card_format_mm(job->card.spec.format, &doc->width_mm, &doc->height_mm);
    if (img->width > img->height) {
        image_buffer_t turned;
        image_view_t v = {img->pixels, img->width, img->height, img->stride, img->format, img->dpi};
        if (image_rotate_cw(&v, &turned) != 0) {
            free(img->pixels);
            return -1;
        }
        free(img->pixels);
        *img = turned;
        double t = doc->width_mm;
        doc->width_mm = doc->height_mm, doc->height_mm = t;
    }
    doc->image =
        (image_view_t){img->pixels, img->width, img->height, img->stride, img->format, img->dpi};
    doc->media = card_format_media(job->card.spec.format);
    job_name(job, name, JOB_NAME_MAX);
    doc->job_name = name;
    return 0;
}

/* Sends a job in submitting; records the printer's job id, or puts it back for a retry. */
static int64_t send(printing_t *w, printer_t *p, const queue_job_t *job)
{
    image_buffer_t img;
    printer_document_t doc;
    char name[JOB_NAME_MAX];
    if (document_make(job, &img, &doc, name) != 0) {
        return fail(w, job, "document", "The queued card cannot be read back.");
    }
    int32_t printer_job = 0;
    int rc = printer_job_submit(p, &doc, &printer_job);
    free(img.pixels);
    fault_crash_point("sent");
    if (rc == PRINTER_E_REJECTED || rc == PRINTER_E_INVALID) {
        return fail(w, job, "rejected", "The printer refused the card.");
    }
    if (rc != 0) {
        return requeue(w, job, PRINTER_REASON_UNREACHABLE);
    }
    log_msg(LOG_INFO, "job %lld: sent as %s, printer job %d", (long long)job->id, name,
            (int)printer_job);
    if (queue_job_submitted(w->queue, job->id, printer_job) < 0) {
        return -1;
    }
    fault_crash_point("submitted");
    tell(w, job, QUEUE_SUBMITTED, printer_job, 0);
    return w->cfg.poll_ms / 2;
}

/* A job in submitting may already be on the printer (a crash, a timeout mid-request): look it
 * up by name, and send it only when the printer has no live copy. */
static int64_t recover(printing_t *w, printer_t *p, const queue_job_t *job)
{
    char name[JOB_NAME_MAX];
    job_name(job, name, sizeof name);
    printer_job_t found;
    int rc = printer_job_find(p, name, &found);
    if (rc == PRINTER_E_NOT_FOUND) {
        return send(w, p, job);
    }
    if (rc != 0) {
        return requeue(w, job, PRINTER_REASON_UNREACHABLE);
    }
    log_msg(LOG_INFO, "job %lld: already on the printer as job %d (%s)", (long long)job->id,
            (int)found.id, found.state == PRINTER_JOB_COMPLETED ? "completed" : "pending");
    if (found.state == PRINTER_JOB_COMPLETED || found.id <= 0) {
        rc = queue_job_completed(w->queue, job->id);
        tell(w, job, QUEUE_COMPLETED, found.id, 0);
    } else {
        rc = queue_job_submitted(w->queue, job->id, found.id);
        tell(w, job, QUEUE_SUBMITTED, found.id, 0);
    }
    return rc < 0 ? -1 : 0;
}

/* A queued job: wait while the printer cannot print, then submit (after a lookup when an
 * earlier attempt may have reached the printer). */
static int64_t attempt(printing_t *w, printer_t *p, queue_job_t *job)
{
    printer_status_t st;
    int rc = printer_status_get(p, &st);
    uint32_t blocking = st.reasons & (PRINTER_REASONS_NEED_PERSON | PRINTER_REASON_UNREACHABLE);
    if (rc == PRINTER_E_INVALID || rc == PRINTER_E_NOT_FOUND) {
        return fail(w, job, "no-printer", "There is no such printer.");
    }
    if (rc != 0 || blocking) {
        if (note(w, job, blocking ? blocking : PRINTER_REASON_UNREACHABLE) < 0) {
            return -1;
        }
        return blocking & PRINTER_REASON_UNREACHABLE || rc != 0 ? backoff_ms(w, job->attempts + 1)
                                                                : w->cfg.poll_ms * 4;
    }
    bool uncertain = job->attempts > 0;
    rc = queue_job_submitting(w->queue, job->id);
    if (rc != 0) {
        return rc < 0 ? -1 : 0; /* canceled meanwhile */
    }
    fault_crash_point("submitting");
    job->state = QUEUE_SUBMITTING;
    job->attempts++;
    tell(w, job, QUEUE_SUBMITTING, 0, 0);
    return uncertain ? recover(w, p, job) : send(w, p, job);
}

/* A submitted job: follow it at the printer until it ends. */
static int64_t follow(printing_t *w, printer_t *p, const queue_job_t *job)
{
    char name[JOB_NAME_MAX];
    job_name(job, name, sizeof name);
    printer_job_t pj;
    int rc = printer_job_get(p, job->printer_job_id, name, &pj);
    if (rc == PRINTER_E_NOT_FOUND) {
        log_msg(LOG_WARN, "job %lld: the printer no longer knows job %d; sending again",
                (long long)job->id, (int)job->printer_job_id);
        return requeue(w, job, PRINTER_REASON_JOB_ABORTED);
    }
    if (rc != 0) {
        return note(w, job, PRINTER_REASON_UNREACHABLE) < 0 ? -1 : backoff_ms(w, 2);
    }
    if (pj.state == PRINTER_JOB_COMPLETED) {
        fault_crash_point("completing");
        if (queue_job_completed(w->queue, job->id) < 0) {
            return -1;
        }
        tell(w, job, QUEUE_COMPLETED, pj.id, 0);
        return 0;
    }
    if (pj.state == PRINTER_JOB_ABORTED) {
        /* The card did not print (a jam, an error): again, once the printer is ready. */
        return requeue(w, job, pj.reasons);
    }
    if (pj.state == PRINTER_JOB_CANCELED) {
        return fail(w, job, "job-canceled", "The card was canceled at the printer.");
    }
    uint32_t shown = pj.reasons & ~(uint32_t)PRINTER_REASON_INK_LOW;
    return note(w, job, shown) < 0 ? -1 : w->cfg.poll_ms;
}

int64_t printing_step(printing_t *w)
{
    queue_job_t job = {0};
    int64_t wait = -1;
    int rc = queue_job_next(w->queue, printing_now_ms(), &job, &wait);
    if (rc == 0) {
        fault_crash_point("picked");
    }
    if (rc == QUEUE_NOT_FOUND) {
        return wait >= 0 && wait < w->cfg.idle_ms ? wait : w->cfg.idle_ms;
    }
    if (rc != 0 && job.id > 0) {
        /* A row that cannot be read must not hold up every card after it. */
        log_msg(LOG_ERROR, "job %lld: damaged in the queue; set aside as failed",
                (long long)job.id);
        return queue_job_damaged(w->queue, job.id) < 0 ? -1 : 0;
    }
    if (rc != 0) {
        return -1;
    }
    int64_t next;
    printer_t *p = printer_for(w, job.printer);
    if (!p) {
        next = fail(w, &job, "no-printer", "The printer setting is not valid.");
    } else if (job.state == QUEUE_QUEUED) {
        next = attempt(w, p, &job);
    } else if (job.state == QUEUE_SUBMITTING) {
        next = recover(w, p, &job);
    } else {
        next = follow(w, p, &job);
    }
    queue_job_clear(&job);
    return next;
}

int printing_run(printing_t *w, const volatile sig_atomic_t *stop)
{
    while (!*stop) {
        int64_t wait = printing_step(w);
        if (wait < 0) {
            return -1;
        }
        /* Sleep in short slices so a stop request is seen quickly. */
        while (wait > 0 && !*stop) {
            int64_t slice = wait < 100 ? wait : 100;
            struct timespec ts = {.tv_sec = 0, .tv_nsec = (long)slice * 1000000L};
            nanosleep(&ts, NULL);
            wait -= slice;
        }
    }
    return 0;
}

int printing_lock(const char *queue_path, int *fd, long *holder)
{
    char path[4096];
    *fd = -1;
    if (holder) {
        *holder = 0;
    }
    if (snprintf(path, sizeof path, "%s.lock", queue_path) >= (int)sizeof path) {
        log_msg(LOG_ERROR, "%s: path too long for its lock", queue_path);
        return -1;
    }
    int f = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (f < 0) {
        log_msg(LOG_ERROR, "%s: cannot open: %s", path, strerror(errno));
        return -1;
    }
    if (flock(f, LOCK_EX | LOCK_NB) != 0) {
        char buf[32] = {0};
        if (holder && pread(f, buf, sizeof buf - 1, 0) > 0) {
            *holder = strtol(buf, NULL, 10);
        }
        close(f);
        return 1;
    }
    /* The holder's pid, for the message another process shows. */
    char buf[32];
    int n = snprintf(buf, sizeof buf, "%ld\n", (long)getpid());
    if (ftruncate(f, 0) != 0 || pwrite(f, buf, (size_t)n, 0) != n) {
        log_msg(LOG_WARN, "%s: cannot record the pid: %s", path, strerror(errno));
    }
    *fd = f;
    return 0;
}
