/* printer.h - printers, through drivers picked by the destination's form:
 *   "ipp://host:port/path", "ipps://..."  an IPP Everywhere printer, talked to directly (libcups)
 *   "NAME", or NULL / "" for the default   a CUPS queue through cupsd (libcups)
 *   "file:/DIR" or "file:///DIR"            the "file" driver: each job's document is written into
 *                                           DIR (a kiosk without a printer; an archive of cards)
 * Nothing above this module knows libcups exists: states, reasons and errors come back as the
 * values below, and printer_reason_message() words them for people in English, German, Dutch.
 *
 * Usage: printer_open() -> printer_job_submit() -> printer_job_get() until it ends;
 * printer_job_find() looks a job up by name after a crash; printer_status_get() for the screen.
 * Every network step is bounded by the open timeout: a hung printer costs at most that long.
 *
 * Memory: printer_t owns its connection and capabilities; printer_close() frees. Results are
 * caller-owned value structs. Errors: functions return 0 or a negative PRINTER_E_* code (logged
 * once, here, with the destination and libcups' message); status/job structs say why in
 * reasons. Threads: a printer_t is used by one thread at a time (the print worker).
 */
#ifndef LIKELETTER_PRINTER_H
#define LIKELETTER_PRINTER_H

#include "likeletter/image.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define PRINTER_TIMEOUT_DEFAULT 3.0 /* seconds per network step */

typedef enum {
    PRINTER_E_UNREACHABLE = -1, /* refused, timed out, cupsd down: try again later */
    PRINTER_E_REJECTED = -2,    /* the printer said no to this job (format, size, attributes) */
    PRINTER_E_NOT_FOUND = -3,   /* no such job (printer_job_get/find), or no such queue */
    PRINTER_E_INVALID = -4,     /* a bad destination or argument (not worth retrying) */
    PRINTER_E_IO = -5,          /* local failure: writing a file, memory */
} printer_error_t;

/* What a person may need to know: bits of printer_status_t.reasons and printer_job_t.reasons. */
typedef enum {
    PRINTER_REASON_MEDIA_EMPTY = 1u << 0,  /* media-empty: out of paper */
    PRINTER_REASON_MEDIA_NEEDED = 1u << 1, /* media-needed: load paper (or the right paper) */
    PRINTER_REASON_MEDIA_JAM = 1u << 2,    /* media-jam */
    PRINTER_REASON_COVER_OPEN = 1u << 3,   /* cover-open, door-open */
    PRINTER_REASON_INK_EMPTY = 1u << 4,    /* marker-supply-empty, toner-empty */
    PRINTER_REASON_INK_LOW = 1u << 5,      /* marker-supply-low, toner-low (still prints) */
    PRINTER_REASON_OFFLINE = 1u << 6,      /* offline, paused / stopped queue, shutdown */
    PRINTER_REASON_UNREACHABLE = 1u << 7,  /* no answer: refused, timed out, service unavailable */
    PRINTER_REASON_JOB_ABORTED = 1u << 8,  /* the printer gave up on the job */
    PRINTER_REASON_JOB_CANCELED = 1u << 9, /* canceled at the printer */
    PRINTER_REASON_OTHER_ERROR = 1u << 10, /* another -error reason */
} printer_reason_t;
#define PRINTER_REASON_COUNT 11

typedef enum {
    PRINTER_STATE_IDLE = 3,
    PRINTER_STATE_PROCESSING = 4,
    PRINTER_STATE_STOPPED = 5,
    PRINTER_STATE_UNREACHABLE = 0,
} printer_state_t;

/* IPP job-state values. */
typedef enum {
    PRINTER_JOB_PENDING = 3,
    PRINTER_JOB_HELD = 4,
    PRINTER_JOB_PROCESSING = 5,
    PRINTER_JOB_STOPPED = 6,
    PRINTER_JOB_CANCELED = 7,
    PRINTER_JOB_ABORTED = 8,
    PRINTER_JOB_COMPLETED = 9,
} printer_job_state_t;

#define PRINTER_MARKERS_MAX 8
#define PRINTER_MEDIA_MAX 32     /* media-supported names kept */
#define PRINTER_JOB_NAME_MAX 256 /* job-name is at most 255 octets (RFC 8011), with the NUL */

typedef struct printer_status {
    printer_state_t state;
    uint32_t reasons;   /* PRINTER_REASON_* bits */
    char keywords[256]; /* printer-state-reasons as the printer sent them, for logs */
    char message[256];  /* printer-state-message, or "" */
    int32_t markers;    /* marker levels known: 0..PRINTER_MARKERS_MAX */
    int32_t marker_level[PRINTER_MARKERS_MAX]; /* percent, or -1 unknown */
    char marker_name[PRINTER_MARKERS_MAX][48];
    /* media-supported (PWG 5101.1 names: "iso_a6_105x148mm", "custom_min_3x5in"), the first
     * PRINTER_MEDIA_MAX; media_count -1 when the sizes are not known to be limited (the file
     * driver, or a printer that does not say or did not answer). */
    int32_t media_count;
    char media[PRINTER_MEDIA_MAX][48];
} printer_status_t;

typedef struct printer_job {
    int32_t id;
    printer_job_state_t state;
    uint32_t reasons; /* job's and, while it is not done, the printer's PRINTER_REASON_* bits */
    char name[PRINTER_JOB_NAME_MAX]; /* job-name */
    char keywords[256];              /* job-state-reasons and printer-state-reasons, for logs */
    char message[256];               /* job-state-message, or "" */
} printer_job_t;

/* What can be printed: what the printer accepts, read when it was opened (the file driver
 * accepts everything). */
typedef enum {
    PRINTER_DOC_PWG = 1u << 0,
    PRINTER_DOC_PNG = 1u << 1,
    PRINTER_DOC_PDF = 1u << 2
} printer_doc_t;

/* One card to print: the pixels at print resolution (img.dpi set), its physical size, the PWG
 * media name of the sheet (card_format_media()), and the job's unique name (1..255 bytes). */
typedef struct printer_document {
    image_view_t image;
    double width_mm, height_mm;
    const char *media;
    const char *job_name;
} printer_document_t;

typedef struct printer printer_t;

/* The driver behind a printer: a const table (STYLE.md). Optional entries may be NULL. */
typedef struct printer_driver {
    const char *name;
    /* Claims a destination form; open may refuse it with PRINTER_E_INVALID. */
    bool (*handles)(const char *destination);
    int (*open)(printer_t *p, const char *destination);
    void (*close)(printer_t *p);
    int (*status_get)(printer_t *p, printer_status_t *out);
    int (*job_submit)(printer_t *p, const printer_document_t *doc, int32_t *job_id);
    int (*job_get)(printer_t *p, int32_t job_id, printer_job_t *out);
    int (*job_find)(printer_t *p, const char *job_name, printer_job_t *out);
    int (*job_cancel)(printer_t *p, int32_t job_id);
} printer_driver_t;

/* Opens destination (see the top) with timeout seconds per network step (<= 0: default).
 * Connecting is lazy: an unreachable printer opens fine, and its first call says
 * PRINTER_E_UNREACHABLE. Returns NULL only for a destination no driver takes (logged). */
printer_t *printer_open(const char *destination, double timeout);

/* Closes and frees; accepts NULL. */
void printer_close(printer_t *p);

/* The destination as given ("" for the CUPS default) and the driver's name ("ipp", "file"). */
const char *printer_destination(const printer_t *p);
const char *printer_driver_name(const printer_t *p);

/* Printer state, reasons and markers into *out (state UNREACHABLE with that reason when there
 * is no answer: the return is then PRINTER_E_UNREACHABLE). Returns 0 or PRINTER_E_*. */
int printer_status_get(printer_t *p, printer_status_t *out);

/* Sends doc as one job named doc->job_name, in the best format the printer lists (PWG raster,
 * streamed straight into the request; else PNG; else PDF), with the page size in the document
 * and media only when the printer lists it. *job_id is the printer's id. Returns 0 or
 * PRINTER_E_*; after PRINTER_E_UNREACHABLE the job may or may not exist on the printer (look it
 * up by name before sending again). */
int printer_job_submit(printer_t *p, const printer_document_t *doc, int32_t *job_id);

/* The job's state and reasons; PRINTER_E_NOT_FOUND when the printer does not know job_id (it
 * restarted) - also when the id now names a job with another name than expect_name (when not
 * NULL). Returns 0 or PRINTER_E_*. */
int printer_job_get(printer_t *p, int32_t job_id, const char *expect_name, printer_job_t *out);

/* Looks a job up by its name among the printer's jobs: the completed one if there is one, else
 * one still pending or processing; aborted and canceled ones do not count (they did not print).
 * Returns 0 with *out, PRINTER_E_NOT_FOUND, or another PRINTER_E_*. */
int printer_job_find(printer_t *p, const char *job_name, printer_job_t *out);

/* Cancels job_id at the printer. Returns 0 or PRINTER_E_*. */
int printer_job_cancel(printer_t *p, int32_t job_id);

/* The size of a PWG 5101.1 self-describing media name ("na_index-4x6_4x6in": 101.6 x 152.4)
 * in mm. Returns 0, or -1 when name does not end in a WxH size in mm or in. */
int printer_media_size_mm(const char *name, double *width_mm, double *height_mm);

/* Whether the printer of st takes a sheet of width x height mm, either way round, within 1 mm:
 * one of its media-supported sizes, or within its custom_min/custom_max (roll_min/roll_max)
 * range. True when its sizes are not known to be limited (media_count -1). */
bool printer_status_takes(const printer_status_t *st, double width_mm, double height_mm);

/* The reasons that stop printing until a person acts (paper, jam, cover, ink empty, offline). */
#define PRINTER_REASONS_NEED_PERSON                                                                \
    (PRINTER_REASON_MEDIA_EMPTY | PRINTER_REASON_MEDIA_NEEDED | PRINTER_REASON_MEDIA_JAM |         \
     PRINTER_REASON_COVER_OPEN | PRINTER_REASON_INK_EMPTY | PRINTER_REASON_OFFLINE)

/* Maps one IPP reason keyword (with or without -error/-warning/-report) to its bit; 0 for
 * reasons nobody needs to hear about ("none", "other-report", unknown -report). */
uint32_t printer_reason_from_keyword(const char *keyword);

/* A short sentence for a visitor about the most important reason in reasons (static string),
 * in lang "en", "de" or "nl" (others: English); NULL when reasons is 0. */
const char *printer_reason_message(uint32_t reasons, const char *lang);

/* The keyword of the most important reason in reasons ("media-empty", ...), or "" for 0. */
const char *printer_reason_keyword(uint32_t reasons);

/* Whether the most important reason needs a person to act. */
bool printer_reason_needs_person(uint32_t reasons);

/* Lists the destinations libcups can see (CUPS queues, with the default marked) to out, one
 * per line. Returns how many, or PRINTER_E_*. */
int printer_list(FILE *out);

#endif
