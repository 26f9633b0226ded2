/* printing.h - the print worker: takes cards from the durable queue to their printers, one at
 * a time and in order, exactly once across crashes.
 *
 * For each job: wait while the printer needs a person (paper, jam, cover, ink) or does not
 * answer (retrying with backoff); mark it submitting; if an earlier attempt may have reached
 * the printer, look the job up by its name there first; send it; follow the printer's job
 * until it completes (a job the printer aborted, or lost in a restart, is sent again). Every
 * step is committed to the queue before the next, so a worker killed at any point and started
 * again continues without losing or repeating a card.
 *
 * Only one worker may drain a queue: printing_lock() (an flock beside the database) decides
 * which process it is - printd, the kiosk, or `print --wait` when neither runs.
 *
 * Ownership: printing_t owns its queue connection and printers; printing_free() closes them.
 * Events are reported through the config's callback on the worker's thread; the event's
 * strings live until the callback returns. Errors: printing_create() returns NULL (logged);
 * printing_step() returns -1 when the database fails. Threads: one thread uses a printing_t.
 */
#ifndef LIKELETTER_PRINTING_H
#define LIKELETTER_PRINTING_H

#include "likeletter/queue.h"

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>

/* A change worth telling: a job's state, or the reason it waits. */
typedef struct printing_event {
    int64_t job_id;
    queue_state_t state;
    int32_t printer_job_id;
    uint32_t reasons;    /* PRINTER_REASON_* bits, 0 when all is well */
    bool needs_person;   /* printing stays stopped until someone acts */
    const char *reason;  /* keyword of the main reason, or "" */
    const char *message; /* English, for logs and the command line ("" when none) */
} printing_event_t;

typedef struct printing_config {
    const char *queue_path; /* the database */
    double timeout;         /* seconds per network step; <= 0: PRINTER_TIMEOUT_DEFAULT */
    int32_t poll_ms;        /* between job-state polls; 0: 250 */
    int32_t idle_ms;        /* between looks at an empty queue; 0: 200 */
    int32_t backoff_max_ms; /* longest wait between retries; 0: 5000 */
    void (*on_event)(void *ctx, const printing_event_t *ev); /* may be NULL */
    void *ctx;
} printing_config_t;

typedef struct printing printing_t;

/* Opens the queue. Returns NULL on failure (logged). */
printing_t *printing_create(const printing_config_t *cfg);

/* Closes the queue and printers; accepts NULL. */
void printing_free(printing_t *w);

/* Does one step of work on the oldest pending job. Returns the milliseconds to wait before the
 * next step (0: go on at once), or -1 when the queue's database fails. */
int64_t printing_step(printing_t *w);

/* Steps until *stop is set (checked at least every 100 ms). Returns 0, or -1 after a database
 * failure. */
int printing_run(printing_t *w, const volatile sig_atomic_t *stop);

/* Takes the worker lock for the queue at queue_path ("<queue_path>.lock"), keeping it while
 * *fd stays open. Returns 0 (taken: close(*fd) releases it), 1 (another process holds it; its
 * pid in *holder when known, else 0), or -1 (logged). */
int printing_lock(const char *queue_path, int *fd, long *holder);

/* The wall clock in ms since the epoch, as the queue records it. */
int64_t printing_now_ms(void);

#endif
