/* queue.h - the durable print queue: every card the kiosk or `likeletter print` is asked to
 * print, in a SQLite database (WAL, synchronous=FULL), from the moment it is queued until the
 * printer says it is done.
 *
 * A job holds everything needed to render its card again (content, fonts, spec with its seed)
 * and the rendered document (the card as PNG bytes). Its state moves
 *   queued -> submitting -> submitted (printer job id) -> completed
 *                                                      -> failed / canceled
 * and back to queued for a retry (with the time of the next attempt). Each transition is one
 * committed transaction that checks the state it leaves: a transition from the wrong state
 * changes nothing and returns QUEUE_WRONG_STATE, so two workers, or a worker and `likeletter
 * queue --cancel`, never both act on a job.
 *
 * Exactly once across crashes: the printer job is named queue_job_name() (unique per queue id).
 * A worker marks a job submitting before it creates the printer job; after a crash, a job found
 * in submitting is looked up on the printer by that name before it is sent again.
 *
 * Ownership: the queue_t is one connection, used by one thread at a time (the kiosk UI and the
 * print worker each open their own; SQLite serialises them, waiting up to 5 s for a lock).
 * queue_job_t values filled by the queue own their strings and document: queue_job_clear().
 * Errors: functions return 0 on success, -1 on an error (logged once, here, with SQLite's
 * message and the database path), or the positive codes below. Every value read back from the
 * database is checked (a damaged row is an error naming the job, never a crash).
 */
#ifndef LIKELETTER_QUEUE_H
#define LIKELETTER_QUEUE_H

#include "likeletter/card.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define QUEUE_NOT_FOUND 1   /* no job with that id (or nothing due) */
#define QUEUE_WRONG_STATE 2 /* the job is not in a state this transition leaves */
#define QUEUE_FULL 3        /* queue_job_add(): a pending-job limit is reached */

#define QUEUE_PRINTER_MAX 512  /* longest destination, bytes with the NUL */
#define QUEUE_SESSION_MAX 64   /* longest session id, bytes with the NUL */
#define QUEUE_REASON_MAX 64    /* longest reason keyword ("media-empty"), bytes with the NUL */
#define QUEUE_MESSAGE_MAX 512  /* longest status message, bytes with the NUL */
#define QUEUE_DOCUMENT_MAX (64u << 20) /* largest document accepted, bytes */
#define QUEUE_JOB_NAME_MAX 32  /* queue_job_name()'s buffer */

typedef enum {
    QUEUE_QUEUED = 0,
    QUEUE_SUBMITTING = 1,
    QUEUE_SUBMITTED = 2,
    QUEUE_COMPLETED = 3,
    QUEUE_FAILED = 4,
    QUEUE_CANCELED = 5,
} queue_state_t;

/* A card as queued: the strings are the caller's, copied by queue_job_add(). fonts.fallback
 * may be NULL; content.date may be NULL. */
typedef struct queue_card {
    card_fonts_t fonts;
    card_spec_t spec;
    card_content_t content;
} queue_card_t;

/* A job as read back. card's strings and document point into memory the job owns. */
typedef struct queue_job {
    int64_t id;
    queue_state_t state;
    queue_card_t card;
    char printer[QUEUE_PRINTER_MAX];  /* destination: URI, CUPS queue name or "" (default) */
    char session[QUEUE_SESSION_MAX];  /* kiosk session that asked, "" for the command line */
    int32_t attempts;                 /* times it went to submitting */
    int32_t printer_job_id;           /* the printer's job id once submitted, else 0 */
    char reason[QUEUE_REASON_MAX];    /* last problem as a keyword ("media-empty"), or "" */
    char message[QUEUE_MESSAGE_MAX];  /* last problem or status in English, or "" */
    int64_t created_ms, updated_ms;   /* wall clock, ms since the epoch */
    int64_t next_attempt_ms;          /* queued: not before this time */
    uint8_t *document;                /* the card as PNG, NULL unless asked for */
    size_t document_len;
    void *storage_;                   /* owned strings; queue_job_clear() frees */
} queue_job_t;

typedef struct queue queue_t;

/* Opens (creating when missing, with its directory) the database at path and its tables; WAL,
 * synchronous=FULL, busy timeout 5 s. Returns NULL on failure, logged with the path. */
queue_t *queue_open(const char *path);

/* Closes the connection; accepts NULL. */
void queue_close(queue_t *q);

/* Pending-job limits (pending = queued, submitting or submitted): per session (default 1: a
 * child tapping print twenty times prints one card) and overall (default 100). 0 = no limit. */
void queue_limits_set(queue_t *q, int32_t per_session, int32_t overall);

/* Adds a queued job, durably: returns 0 only after the commit is on disk, with the id in *id.
 * card is checked as card_render() would need it (strings present, lengths); document is
 * 1..QUEUE_DOCUMENT_MAX bytes. session NULL or "" = no session (only the overall limit
 * applies). Returns QUEUE_FULL when a limit is reached (nothing added), -1 on errors. */
int queue_job_add(queue_t *q, const queue_card_t *card, const char *printer, const char *session,
                  const uint8_t *document, size_t document_len, int64_t *id);

/* Reads job id into *job (which the caller clears with queue_job_clear()); the document only
 * when with_document. Returns 0, QUEUE_NOT_FOUND or -1. */
int queue_job_get(queue_t *q, int64_t id, bool with_document, queue_job_t *job);

/* The job a worker should act on now: the oldest (lowest id) job in submitting or submitted,
 * else the oldest queued job whose next attempt is due (next_attempt_ms <= now_ms), with its
 * document. Jobs are printed in order: a queued job waits while an older one is pending.
 * Returns 0, QUEUE_NOT_FOUND (nothing due; *wait_ms, when not NULL, says how long until the
 * next queued job is due, or -1 when none is waiting), or -1; -1 with job->id > 0 means that
 * job's row could not be read back (damaged): queue_job_damaged() sets it aside. */
int queue_job_next(queue_t *q, int64_t now_ms, queue_job_t *job, int64_t *wait_ms);

/* Transitions; each returns 0, QUEUE_NOT_FOUND, QUEUE_WRONG_STATE or -1.
 * submitting: queued -> submitting, attempts + 1.
 * submitted:  submitting -> submitted with the printer's job id (> 0).
 * completed:  submitted or submitting -> completed.
 * requeue:    submitting or submitted -> queued, not before next_attempt_ms, with the reason
 *             and message (a retry after the printer refused or aborted the job).
 * failed:     any pending state -> failed, with reason and message.
 * status:     no state change: sets reason and message of a pending job ("" clears). */
int queue_job_submitting(queue_t *q, int64_t id);
int queue_job_submitted(queue_t *q, int64_t id, int32_t printer_job_id);
int queue_job_completed(queue_t *q, int64_t id);
int queue_job_requeue(queue_t *q, int64_t id, int64_t next_attempt_ms, const char *reason,
                      const char *message);
int queue_job_failed(queue_t *q, int64_t id, const char *reason, const char *message);
int queue_job_status(queue_t *q, int64_t id, const char *reason, const char *message);

/* Sets a damaged job (one queue_job_next() could not read) to failed with reason "damaged",
 * whatever its row holds. Returns 0, QUEUE_NOT_FOUND or -1. */
int queue_job_damaged(queue_t *q, int64_t id);

/* For people (`likeletter queue`, the admin screen):
 * cancel:  queued, submitting or submitted -> canceled. (Canceling the printer's job is the
 *          caller's part: read printer_job_id first.)
 * retry:   failed or canceled -> queued, due now, reason and message cleared.
 * reprint: a new queued job with the same card, document, printer and session as id (any
 *          state); its id in *new_id. The limits apply (QUEUE_FULL). */
int queue_job_cancel(queue_t *q, int64_t id);
int queue_job_retry(queue_t *q, int64_t id);
int queue_job_reprint(queue_t *q, int64_t id, int64_t *new_id);

/* Lists up to max jobs, newest first, without documents, into jobs[0..*count); states is a
 * bit mask of (1u << queue_state_t), 0 = all. Clear each with queue_job_clear(). Returns 0 or
 * -1. */
int queue_job_list(queue_t *q, unsigned states, queue_job_t *jobs, size_t max, size_t *count);

/* Counts jobs in the states of the mask (0 = all) into *count. Returns 0 or -1. */
int queue_job_count(queue_t *q, unsigned states, int64_t *count);

/* Frees what job owns and zeroes it; accepts a zeroed job. */
void queue_job_clear(queue_job_t *job);

/* The printer job name of queue job id: "likeletter-<id>". buf holds QUEUE_JOB_NAME_MAX. */
void queue_job_name(int64_t id, char *buf, size_t len);

/* Parses a printer job name made by queue_job_name(); returns the id, or 0 if it is not one. */
int64_t queue_job_name_parse(const char *name);

/* "queued", "submitting", ...; NULL for a value out of range. */
const char *queue_state_name(queue_state_t state);

#endif
