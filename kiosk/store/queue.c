/* queue.c - see queue.h. One SQLite connection per queue_t, its statements prepared once at
 * open; every change is one short transaction, every value read back is checked. */
#include "likeletter/queue.h"

#include "db.h"
#include "likeletter/layout.h"
#include "likeletter/log.h"
#include "likeletter/paths.h"
#include "likeletter/qr.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

/* The schema this file writes, in PRAGMA user_version. A newer file is refused: its rows may
 * mean something this program does not know. */
#define SCHEMA_VERSION 3 /* 2: the card's ornament; 3: its salutation */
#define STRINGIFY_(x) #x
#define STRINGIFY(x) STRINGIFY_(x)

#define DATE_MAX 10 /* "YYYY-MM-DD" */

/* AUTOINCREMENT: an id is never used twice, so a printer job name (queue_job_name()) names one
 * job for ever. No NOT NULL or CHECK constraints: the reader checks every value anyway, and a
 * constraint would only move the failure to a less informative place. */
static const char SQL_SCHEMA[] =
    "CREATE TABLE IF NOT EXISTS print_jobs ("
    " id INTEGER PRIMARY KEY AUTOINCREMENT, state INTEGER, printer TEXT, session TEXT,"
    " attempts INTEGER, printer_job_id INTEGER, reason TEXT, message TEXT,"
    " created_ms INTEGER, updated_ms INTEGER, next_attempt_ms INTEGER,"
    " format INTEGER, dpi INTEGER, seed INTEGER, plain INTEGER, border INTEGER, ink INTEGER,"
    " em_mm REAL, min_em_mm REAL, lang INTEGER, font TEXT, fallback TEXT, post_url TEXT,"
    " post_title TEXT, to_name TEXT, from_name TEXT, note BLOB, card_date TEXT, document BLOB,"
    " ornament TEXT, salutation TEXT);"
    "CREATE INDEX IF NOT EXISTS print_jobs_state ON print_jobs (state, id);";

/* The columns of a job as selected, in this order; a statement's parameter ?N binds column N
 * (C_ID, column 0, is never bound). */
enum {
    C_ID,
    C_STATE,
    C_PRINTER,
    C_SESSION,
    C_ATTEMPTS,
    C_PRINTER_JOB_ID,
    C_REASON,
    C_MESSAGE,
    C_CREATED,
    C_UPDATED,
    C_NEXT_ATTEMPT,
    C_FORMAT,
    C_DPI,
    C_SEED,
    C_PLAIN,
    C_BORDER,
    C_INK,
    C_EM,
    C_MIN_EM,
    C_LANG,
    C_FONT,
    C_FALLBACK,
    C_POST_URL,
    C_POST_TITLE,
    C_TO,
    C_FROM,
    C_NOTE,
    C_DATE,
    C_ORNAMENT,
    C_SALUTATION,
    C_DOCUMENT,
    C_COUNT
};

#define JOB_COLUMNS                                                                                \
    "id, state, printer, session, attempts, printer_job_id, reason, message, created_ms,"          \
    " updated_ms, next_attempt_ms, format, dpi, seed, plain, border, ink, em_mm, min_em_mm, lang," \
    " font, fallback, post_url, post_title, to_name, from_name, note, card_date, ornament,"        \
    " salutation"

/* What a column must hold: its type, and the range of an integer or the length of a text or
 * blob in bytes. Card strings' lengths are checked by card_problem() with the rest of the card. */
typedef enum { K_INT, K_REAL, K_TEXT, K_TEXT_NULL, K_BLOB } col_kind_t;

typedef struct col_rule {
    col_kind_t kind;
    int64_t lo, hi;
} col_rule_t;

static const col_rule_t RULES[C_COUNT] = {
    [C_ID] = {K_INT, 1, INT64_MAX},
    [C_STATE] = {K_INT, QUEUE_QUEUED, QUEUE_CANCELED},
    [C_PRINTER] = {K_TEXT, 0, QUEUE_PRINTER_MAX - 1},
    [C_SESSION] = {K_TEXT, 0, QUEUE_SESSION_MAX - 1},
    [C_ATTEMPTS] = {K_INT, 0, INT32_MAX},
    [C_PRINTER_JOB_ID] = {K_INT, 0, INT32_MAX},
    [C_REASON] = {K_TEXT, 0, QUEUE_REASON_MAX - 1},
    [C_MESSAGE] = {K_TEXT, 0, QUEUE_MESSAGE_MAX - 1},
    [C_CREATED] = {K_INT, INT64_MIN, INT64_MAX},
    [C_UPDATED] = {K_INT, INT64_MIN, INT64_MAX},
    [C_NEXT_ATTEMPT] = {K_INT, INT64_MIN, INT64_MAX},
    [C_FORMAT] = {K_INT, CARD_A6, CARD_5X7},
    [C_DPI] = {K_INT, CARD_DPI_MIN, CARD_DPI_MAX},
    [C_SEED] = {K_INT, INT64_MIN, INT64_MAX},
    [C_PLAIN] = {K_INT, 0, 1},
    [C_BORDER] = {K_INT, 0, 1},
    [C_INK] = {K_INT, 0, 0xFFFFFF},
    [C_EM] = {K_REAL, 0, 0},
    [C_MIN_EM] = {K_REAL, 0, 0},
    [C_LANG] = {K_INT, CARD_LANG_EN, CARD_LANG_NL},
    [C_FONT] = {K_TEXT, 0, INT64_MAX},
    [C_FALLBACK] = {K_TEXT_NULL, 0, INT64_MAX},
    [C_POST_URL] = {K_TEXT, 0, INT64_MAX},
    [C_POST_TITLE] = {K_TEXT_NULL, 0, INT64_MAX},
    [C_TO] = {K_TEXT, 0, INT64_MAX},
    [C_FROM] = {K_TEXT, 0, INT64_MAX},
    [C_NOTE] = {K_BLOB, 0, INT64_MAX},
    [C_DATE] = {K_TEXT_NULL, 0, INT64_MAX},
    [C_ORNAMENT] = {K_TEXT_NULL, 1, PATHS_MAX - 1},
    [C_SALUTATION] = {K_TEXT_NULL, 0, INT64_MAX},
    [C_DOCUMENT] = {K_BLOB, 1, QUEUE_DOCUMENT_MAX},
};

/* The cached statements. */
enum {
    ST_BEGIN,
    ST_BEGIN_IMMEDIATE,
    ST_COMMIT,
    ST_ROLLBACK,
    ST_GET,
    ST_GET_META,
    ST_INSERT,
    ST_EXISTS,
    ST_PENDING_ALL,
    ST_PENDING_SESSION,
    ST_NEXT_ACTIVE,
    ST_NEXT_QUEUED,
    ST_LIST,
    ST_COUNT,
    ST_SUBMITTING,
    ST_SUBMITTED,
    ST_COMPLETED,
    ST_REQUEUE,
    ST_FAILED,
    ST_DAMAGED,
    ST_STATUS,
    ST_CANCEL,
    ST_RETRY,
    ST_N
};

/* Transitions bind ?1 = id and ?2 = now; the states they leave are in their WHERE. */
static const char *const SQL[ST_N] = {
    [ST_BEGIN] = "BEGIN",
    [ST_BEGIN_IMMEDIATE] = "BEGIN IMMEDIATE",
    [ST_COMMIT] = "COMMIT",
    [ST_ROLLBACK] = "ROLLBACK",
    [ST_GET] = "SELECT " JOB_COLUMNS ", document FROM print_jobs WHERE id = ?1",
    [ST_GET_META] = "SELECT " JOB_COLUMNS ", NULL FROM print_jobs WHERE id = ?1",
    [ST_INSERT] = "INSERT INTO print_jobs (state, printer, session, attempts, printer_job_id,"
                  " reason, message, created_ms, updated_ms, next_attempt_ms, format, dpi, seed,"
                  " plain, border, ink, em_mm, min_em_mm, lang, font, fallback, post_url,"
                  " post_title, to_name, from_name, note, card_date, ornament, salutation,"
                  " document) VALUES"
                  " (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17,"
                  " ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26, ?27, ?28, ?29, ?30)",
    [ST_EXISTS] = "SELECT 1 FROM print_jobs WHERE id = ?1",
    [ST_PENDING_ALL] = "SELECT count(*) FROM print_jobs WHERE state IN (0, 1, 2)",
    [ST_PENDING_SESSION] = "SELECT count(*) FROM print_jobs WHERE state IN (0, 1, 2)"
                           " AND session = ?1",
    [ST_NEXT_ACTIVE] = "SELECT id FROM print_jobs WHERE state IN (1, 2) ORDER BY id LIMIT 1",
    [ST_NEXT_QUEUED] = "SELECT id, next_attempt_ms FROM print_jobs WHERE state = 0"
                       " ORDER BY id LIMIT 1",
    /* Mask 0 takes every row, damaged states included, so a damaged row is reported. */
    [ST_LIST] = "SELECT " JOB_COLUMNS ", NULL FROM print_jobs WHERE ?1 = 0 OR (state BETWEEN 0"
                " AND 5 AND (?1 >> state) & 1) ORDER BY id DESC LIMIT ?2",
    [ST_COUNT] = "SELECT count(*) FROM print_jobs WHERE ?1 = 0 OR (state BETWEEN 0 AND 5 AND"
                 " (?1 >> state) & 1)",
    [ST_SUBMITTING] = "UPDATE print_jobs SET state = 1, attempts = min(attempts + 1, 2147483647),"
                      " updated_ms = ?2 WHERE id = ?1 AND state = 0",
    [ST_SUBMITTED] = "UPDATE print_jobs SET state = 2, printer_job_id = ?3, updated_ms = ?2"
                     " WHERE id = ?1 AND state = 1",
    [ST_COMPLETED] = "UPDATE print_jobs SET state = 3, updated_ms = ?2"
                     " WHERE id = ?1 AND state IN (1, 2)",
    /* The printer's job is gone (refused or aborted): forget its id. */
    [ST_REQUEUE] = "UPDATE print_jobs SET state = 0, next_attempt_ms = ?3, reason = ?4,"
                   " message = ?5, printer_job_id = 0, updated_ms = ?2"
                   " WHERE id = ?1 AND state IN (1, 2)",
    [ST_FAILED] = "UPDATE print_jobs SET state = 4, reason = ?3, message = ?4, updated_ms = ?2"
                  " WHERE id = ?1 AND state IN (0, 1, 2)",
    /* A row that cannot be read back is set aside whatever it holds, so it blocks no one. */
    [ST_DAMAGED] = "UPDATE print_jobs SET state = 4, reason = 'damaged', message = 'The queued "
                   "card is damaged and cannot be printed.', updated_ms = ?2 WHERE id = ?1",
    [ST_STATUS] = "UPDATE print_jobs SET reason = ?3, message = ?4, updated_ms = ?2"
                  " WHERE id = ?1 AND state IN (0, 1, 2)",
    [ST_CANCEL] = "UPDATE print_jobs SET state = 5, updated_ms = ?2"
                  " WHERE id = ?1 AND state IN (0, 1, 2)",
    [ST_RETRY] = "UPDATE print_jobs SET state = 0, next_attempt_ms = ?2, reason = '',"
                 " message = '', printer_job_id = 0, updated_ms = ?2"
                 " WHERE id = ?1 AND state IN (4, 5)",
};

struct queue {
    sqlite3 *db;
    sqlite3_stmt *st[ST_N];
    int32_t per_session, overall;
    char path[]; /* for the log lines */
};

static const char *const STATE_NAMES[] = {"queued",    "submitting", "submitted",
                                          "completed", "failed",     "canceled"};

/* The seed is stored bit for bit in SQLite's signed 64-bit integer. */
static int64_t seed_to_db(uint64_t seed)
{
    int64_t v;
    memcpy(&v, &seed, sizeof v);
    return v;
}

static uint64_t seed_from_db(int64_t v)
{
    uint64_t seed;
    memcpy(&seed, &v, sizeof seed);
    return seed;
}

static void db_error(const queue_t *q, const char *what)
{
    log_msg(LOG_ERROR, "queue %s: %s: %s", q->path, what, sqlite3_errmsg(q->db));
}

/* ---- statements and transactions ---- */

/* Steps st once: SQLITE_ROW or SQLITE_DONE, or -1 (logged with what). */
static int stmt_step(const queue_t *q, sqlite3_stmt *st, const char *what)
{
    int rc = sqlite3_step(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
        db_error(q, what);
        return -1;
    }
    return rc;
}

static void stmt_done(sqlite3_stmt *st)
{
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
}

/* Runs one of the statements without parameters or rows (BEGIN, COMMIT, ...). */
static int stmt_run(const queue_t *q, int which)
{
    int rc = stmt_step(q, q->st[which], SQL[which]);
    sqlite3_reset(q->st[which]);
    return rc < 0 ? -1 : 0;
}

static int tx_begin(const queue_t *q, bool immediate)
{
    return stmt_run(q, immediate ? ST_BEGIN_IMMEDIATE : ST_BEGIN);
}

/* Ends the transaction begun by tx_begin(): commits when rc is 0, else rolls back (a failed
 * statement may have rolled it back already). Returns rc, or -1 when the commit failed. */
static int tx_finish(const queue_t *q, int rc)
{
    if (rc == 0 && stmt_run(q, ST_COMMIT) == 0) {
        return 0;
    }
    if (!sqlite3_get_autocommit(q->db)) {
        (void)stmt_run(q, ST_ROLLBACK);
    }
    return rc == 0 ? -1 : rc;
}

/* A one-integer SELECT (a count) into *out. */
static int select_int(const queue_t *q, sqlite3_stmt *st, const char *what, int64_t *out)
{
    int rc = stmt_step(q, st, what);
    if (rc == SQLITE_ROW) {
        *out = sqlite3_column_int64(st, 0);
    }
    stmt_done(st);
    return rc == SQLITE_ROW ? 0 : -1;
}

/* ---- checks ---- */

/* s holds lo..hi bytes (strnlen: a damaged or hostile string is not read to its end). */
static bool length_ok(const char *s, size_t lo, size_t hi)
{
    size_t n = s ? strnlen(s, hi + 1) : 0;
    return s && n >= lo && n <= hi;
}

/* What is wrong with the spec for card_render(), or NULL. */
static const char *spec_problem(const card_spec_t *s)
{
    int32_t w, h;
    if (card_size_px(s, &w, &h) < 0) {
        return "unknown card format or a resolution out of range";
    }
    /* As card_render() reads them: 0 = the default size, 0 = no auto-fit. NaN fails both. */
    double em = s->em_mm == 0 ? CARD_EM_MM : s->em_mm;
    double min_em = s->min_em_mm == 0 ? em : s->min_em_mm;
    if (!(em >= 1 && em <= 30) || !(min_em >= 1 && min_em <= em)) {
        return "text size out of range";
    }
    return s->ink > 0xFFFFFF ? "ink is not 0xRRGGBB" : NULL;
}

/* What is wrong with the card, as card_render() would need it, or NULL. */
static const char *card_problem(const queue_card_t *c)
{
    const card_content_t *t = &c->content;
    if (!length_ok(c->fonts.font, 1, PATHS_MAX - 1) ||
        (c->fonts.fallback && !length_ok(c->fonts.fallback, 1, PATHS_MAX - 1))) {
        return "font path missing or too long";
    }
    if (!length_ok(t->post_url, 1, QR_URL_MAX) ||
        (t->post_title && !length_ok(t->post_title, 0, CARD_TITLE_MAX))) {
        return "post link missing or too long, or title too long";
    }
    if (!length_ok(t->to, 1, CARD_NAME_MAX) || !length_ok(t->from, 1, CARD_NAME_MAX)) {
        return "names (to, from) missing or too long";
    }
    if (!t->note || t->note_len == 0 || t->note_len > LAYOUT_MAX_BYTES) {
        return "note missing or too long";
    }
    if (t->date && t->date[0] &&
        (!length_ok(t->date, DATE_MAX, DATE_MAX) || card_date_check(t->date) < 0)) {
        return "date is not YYYY-MM-DD";
    }
    if ((unsigned)t->lang > CARD_LANG_NL) {
        return "unknown language";
    }
    if (c->spec.ornament && !length_ok(c->spec.ornament, 1, PATHS_MAX - 1)) {
        return "ornament path empty or too long";
    }
    if (c->content.salutation && !length_ok(c->content.salutation, 0, CARD_SALUTATION_MAX)) {
        return "salutation too long";
    }
    return spec_problem(&c->spec);
}

/* Copies s into buf (size bytes), cut at a UTF-8 character boundary when too long: reasons and
 * messages come from printers, and a long one must not stop a transition. NULL gives "". */
static const char *text_fit(const char *s, char *buf, size_t size)
{
    size_t n = s ? strnlen(s, size) : 0;
    if (n == size) {
        n = size - 1;
        while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80) {
            n--; /* s[n] continues a character: cut before that character's lead byte */
        }
    }
    if (n > 0) {
        memcpy(buf, s, n);
    }
    buf[n] = '\0';
    return buf;
}

/* ---- reading a row ---- */

/* One row's values as SQLite holds them, each checked against RULES. */
typedef struct raw_row {
    int64_t i[C_COUNT];
    double d[C_COUNT];
    const void *p[C_COUNT];
    size_t len[C_COUNT];
} raw_row_t;

/* Checks column col against its rule into raw; false when it does not hold. */
static bool column_read(sqlite3_stmt *st, int col, raw_row_t *raw)
{
    const col_rule_t *r = &RULES[col];
    int type = sqlite3_column_type(st, col);
    raw->p[col] = NULL;
    raw->len[col] = 0;
    switch (r->kind) {
    case K_INT:
        raw->i[col] = sqlite3_column_int64(st, col);
        return type == SQLITE_INTEGER && raw->i[col] >= r->lo && raw->i[col] <= r->hi;
    case K_REAL:
        raw->d[col] = sqlite3_column_double(st, col);
        return type == SQLITE_FLOAT || type == SQLITE_INTEGER;
    case K_TEXT_NULL:
        if (type == SQLITE_NULL) {
            return true;
        }
        /* fall through */
    case K_TEXT:
        if (type != SQLITE_TEXT) {
            return false;
        }
        raw->p[col] = sqlite3_column_text(st, col);
        raw->len[col] = (size_t)sqlite3_column_bytes(st, col);
        /* No NUL inside: the text is used as a C string. */
        return raw->p[col] && strlen(raw->p[col]) == raw->len[col] &&
               (int64_t)raw->len[col] >= r->lo && (int64_t)raw->len[col] <= r->hi;
    case K_BLOB:
        raw->p[col] = sqlite3_column_blob(st, col);
        raw->len[col] = (size_t)sqlite3_column_bytes(st, col);
        return type == SQLITE_BLOB && (int64_t)raw->len[col] >= r->lo &&
               (int64_t)raw->len[col] <= r->hi;
    }
    return false;
}

/* The card with its strings still in SQLite's memory. */
static void raw_card(const raw_row_t *raw, queue_card_t *c)
{
    c->fonts.font = raw->p[C_FONT];
    c->fonts.fallback = raw->p[C_FALLBACK];
    c->spec.format = (card_format_t)raw->i[C_FORMAT];
    c->spec.dpi = (int32_t)raw->i[C_DPI];
    c->spec.seed = seed_from_db(raw->i[C_SEED]);
    c->spec.plain = raw->i[C_PLAIN] != 0;
    c->spec.border = raw->i[C_BORDER] != 0;
    c->spec.ink = (uint32_t)raw->i[C_INK];
    c->spec.em_mm = raw->d[C_EM];
    c->spec.min_em_mm = raw->d[C_MIN_EM];
    c->content.post_url = raw->p[C_POST_URL];
    c->content.post_title = raw->p[C_POST_TITLE];
    c->content.to = raw->p[C_TO];
    c->content.from = raw->p[C_FROM];
    c->content.note = raw->p[C_NOTE];
    c->content.note_len = raw->len[C_NOTE];
    c->content.date = raw->p[C_DATE];
    c->spec.ornament = raw->p[C_ORNAMENT];
    c->content.salutation = raw->p[C_SALUTATION];
    c->content.lang = (card_lang_t)raw->i[C_LANG];
}

/* Copies the card's strings and the document into one block the job owns; the lengths were
 * checked (card_problem(), RULES), so the sum cannot overflow. */
static int job_storage_fill(queue_job_t *job, const raw_row_t *raw, const queue_card_t *c)
{
    static const int cols[] = {C_FONT, C_FALLBACK, C_POST_URL, C_POST_TITLE, C_TO,
                               C_FROM, C_NOTE,     C_DATE,     C_ORNAMENT,   C_SALUTATION};
    const char **dst[] = {&job->card.fonts.font,       &job->card.fonts.fallback,
                          &job->card.content.post_url, &job->card.content.post_title,
                          &job->card.content.to,       &job->card.content.from,
                          &job->card.content.note,     &job->card.content.date,
                          &job->card.spec.ornament,    &job->card.content.salutation};
    size_t total = raw->len[C_DOCUMENT];
    for (size_t k = 0; k < sizeof cols / sizeof cols[0]; k++) {
        total += raw->p[cols[k]] ? raw->len[cols[k]] + 1 : 0;
    }
    char *block = malloc(total > 0 ? total : 1);
    if (!block) {
        return -1;
    }
    job->storage_ = block;
    job->card = *c;
    for (size_t k = 0; k < sizeof cols / sizeof cols[0]; k++) {
        if (raw->p[cols[k]]) {
            /* Every string NUL-terminated, the note too (card.h does not ask for it). */
            memcpy(block, raw->p[cols[k]], raw->len[cols[k]]);
            block[raw->len[cols[k]]] = '\0';
            *dst[k] = block;
            block += raw->len[cols[k]] + 1;
        }
    }
    if (raw->p[C_DOCUMENT]) {
        memcpy(block, raw->p[C_DOCUMENT], raw->len[C_DOCUMENT]);
        job->document = (uint8_t *)block;
        job->document_len = raw->len[C_DOCUMENT];
    }
    return 0;
}

static void job_fields_fill(queue_job_t *job, const raw_row_t *raw)
{
    job->id = raw->i[C_ID];
    job->state = (queue_state_t)raw->i[C_STATE];
    memcpy(job->printer, raw->p[C_PRINTER], raw->len[C_PRINTER] + 1);
    memcpy(job->session, raw->p[C_SESSION], raw->len[C_SESSION] + 1);
    job->attempts = (int32_t)raw->i[C_ATTEMPTS];
    job->printer_job_id = (int32_t)raw->i[C_PRINTER_JOB_ID];
    memcpy(job->reason, raw->p[C_REASON], raw->len[C_REASON] + 1);
    memcpy(job->message, raw->p[C_MESSAGE], raw->len[C_MESSAGE] + 1);
    job->created_ms = raw->i[C_CREATED];
    job->updated_ms = raw->i[C_UPDATED];
    job->next_attempt_ms = raw->i[C_NEXT_ATTEMPT];
}

/* Reads the row st stands on into job (zeroed), checking every value first. */
static int row_read(const queue_t *q, sqlite3_stmt *st, bool with_document, queue_job_t *job)
{
    raw_row_t raw;
    queue_card_t card;
    const char *column = NULL, *problem = NULL;
    int ncols = with_document ? C_COUNT : C_DOCUMENT;
    memset(job, 0, sizeof *job);
    raw.p[C_DOCUMENT] = NULL;
    raw.len[C_DOCUMENT] = 0;
    for (int col = 0; col < ncols && !column; col++) {
        if (!column_read(st, col, &raw)) {
            column = sqlite3_column_name(st, col);
            column = column ? column : "?";
        }
    }
    if (!column) {
        raw_card(&raw, &card);
        problem = card_problem(&card);
    }
    if (column || problem) {
        log_msg(LOG_ERROR, "queue %s: job %" PRId64 " is damaged: %s%s", q->path,
                (int64_t)sqlite3_column_int64(st, C_ID), column ? "a wrong type or value in " : "",
                column ? column : problem);
        return -1;
    }
    if (job_storage_fill(job, &raw, &card) < 0) {
        log_msg(LOG_ERROR, "queue %s: job %" PRId64 ": out of memory", q->path, raw.i[C_ID]);
        return -1;
    }
    job_fields_fill(job, &raw);
    return 0;
}

/* Reads job id (in the caller's transaction or none). */
static int job_get(const queue_t *q, int64_t id, bool with_document, queue_job_t *job)
{
    sqlite3_stmt *st = q->st[with_document ? ST_GET : ST_GET_META];
    memset(job, 0, sizeof *job);
    if (sqlite3_bind_int64(st, 1, id) != SQLITE_OK) {
        db_error(q, "read a job");
        return -1;
    }
    int rc = stmt_step(q, st, "read a job");
    if (rc == SQLITE_ROW) {
        rc = row_read(q, st, with_document, job);
    } else if (rc == SQLITE_DONE) {
        rc = QUEUE_NOT_FOUND;
    }
    stmt_done(st);
    return rc;
}

/* ---- opening ---- */

/* A PRAGMA's single value: an integer into *i, or text into buf. */
static int pragma_get(const queue_t *q, const char *sql, int64_t *i, char *buf, size_t len)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(q->db, sql, -1, &st, NULL);
    if (rc == SQLITE_OK) {
        rc = sqlite3_step(st);
    }
    if (rc != SQLITE_ROW) {
        db_error(q, sql);
        sqlite3_finalize(st);
        return -1;
    }
    if (i) {
        *i = sqlite3_column_int64(st, 0);
    }
    if (buf) {
        const unsigned char *t = sqlite3_column_text(st, 0);
        snprintf(buf, len, "%s", t ? (const char *)t : "");
    }
    sqlite3_finalize(st);
    return 0;
}

static int exec(const queue_t *q, const char *sql, const char *what)
{
    return db_exec(q->db, "queue", q->path, sql, what);
}

/* Creates the table when missing, in one transaction with the version check, so two processes
 * opening a new file at once do not race. Other modules' tables are theirs. */
static int schema_ensure(const queue_t *q)
{
    int64_t version = 0;
    if (exec(q, "BEGIN IMMEDIATE", "begin the schema check") < 0) {
        return -1;
    }
    int rc = pragma_get(q, "PRAGMA user_version", &version, NULL, 0);
    if (rc == 0 && version > SCHEMA_VERSION) {
        log_msg(LOG_ERROR,
                "queue %s: the database has schema version %" PRId64
                ", newer than this program's %d: refusing to use it",
                q->path, version, SCHEMA_VERSION);
        rc = -1;
    }
    if (rc == 0) {
        rc = exec(q, SQL_SCHEMA, "create the print_jobs table");
    }
    if (rc == 0 && version == 1) {
        /* A queue from before ornaments: its cards have none. */
        rc = exec(q, "ALTER TABLE print_jobs ADD COLUMN ornament TEXT", "add the ornament column");
    }
    if (rc == 0 && version >= 1 && version < 3) {
        /* From before salutations: its cards greet as their language does. */
        rc = exec(q, "ALTER TABLE print_jobs ADD COLUMN salutation TEXT",
                  "add the salutation column");
    }
    if (rc == 0 && version < SCHEMA_VERSION) {
        rc = exec(q, "PRAGMA user_version = " STRINGIFY(SCHEMA_VERSION), "set the version");
    }
    if (rc == 0) {
        return exec(q, "COMMIT", "commit the schema");
    }
    if (!sqlite3_get_autocommit(q->db)) {
        (void)exec(q, "ROLLBACK", "roll back the schema check");
    }
    return -1;
}

queue_t *queue_open(const char *path)
{
    if (!path || !path[0]) {
        log_msg(LOG_ERROR, "queue: no database path");
        return NULL;
    }
    size_t len = strlen(path);
    queue_t *q = calloc(1, sizeof *q + len + 1);
    if (!q) {
        log_msg(LOG_ERROR, "queue %s: out of memory", path);
        return NULL;
    }
    memcpy(q->path, path, len + 1);
    q->per_session = 1;
    q->overall = 100;
    q->db = db_open("queue", path);
    if (!q->db || schema_ensure(q) < 0 ||
        db_prepare_all(q->db, "queue", path, SQL, q->st, ST_N) < 0) {
        goto fail;
    }
    return q;
fail:
    queue_close(q);
    return NULL;
}

void queue_close(queue_t *q)
{
    if (!q) {
        return;
    }
    db_close(q->db, "queue", q->path, q->st, ST_N);
    free(q);
}

void queue_limits_set(queue_t *q, int32_t per_session, int32_t overall)
{
    /* A negative limit means none, like 0. */
    q->per_session = per_session > 0 ? per_session : 0;
    q->overall = overall > 0 ? overall : 0;
}

/* ---- adding ---- */

/* QUEUE_FULL when a limit is reached, else 0 (or -1); inside the add's transaction. */
static int limits_check_locked(const queue_t *q, const char *session)
{
    int64_t n;
    if (q->overall > 0) {
        if (select_int(q, q->st[ST_PENDING_ALL], "count pending jobs", &n) < 0) {
            return -1;
        }
        if (n >= q->overall) {
            return QUEUE_FULL;
        }
    }
    if (q->per_session > 0 && session[0]) {
        sqlite3_stmt *st = q->st[ST_PENDING_SESSION];
        if (sqlite3_bind_text(st, 1, session, -1, SQLITE_STATIC) != SQLITE_OK ||
            select_int(q, st, "count the session's pending jobs", &n) < 0) {
            stmt_done(st);
            return -1;
        }
        if (n >= q->per_session) {
            return QUEUE_FULL;
        }
    }
    return 0;
}

/* Binds the card's columns of the insert; SQLITE_OK or the first failure. */
static int card_bind(sqlite3_stmt *st, const queue_card_t *c)
{
    const card_spec_t *s = &c->spec;
    const card_content_t *t = &c->content;
    int e = sqlite3_bind_int(st, C_FORMAT, (int)s->format);
    e = e ? e : sqlite3_bind_int(st, C_DPI, s->dpi);
    e = e ? e : sqlite3_bind_int64(st, C_SEED, seed_to_db(s->seed));
    e = e ? e : sqlite3_bind_int(st, C_PLAIN, s->plain);
    e = e ? e : sqlite3_bind_int(st, C_BORDER, s->border);
    e = e ? e : sqlite3_bind_int64(st, C_INK, s->ink);
    e = e ? e : sqlite3_bind_double(st, C_EM, s->em_mm);
    e = e ? e : sqlite3_bind_double(st, C_MIN_EM, s->min_em_mm);
    e = e ? e : sqlite3_bind_int(st, C_LANG, (int)t->lang);
    e = e ? e : sqlite3_bind_text(st, C_FONT, c->fonts.font, -1, SQLITE_STATIC);
    e = e ? e : sqlite3_bind_text(st, C_FALLBACK, c->fonts.fallback, -1, SQLITE_STATIC);
    e = e ? e : sqlite3_bind_text(st, C_POST_URL, t->post_url, -1, SQLITE_STATIC);
    e = e ? e : sqlite3_bind_text(st, C_POST_TITLE, t->post_title, -1, SQLITE_STATIC);
    e = e ? e : sqlite3_bind_text(st, C_TO, t->to, -1, SQLITE_STATIC);
    e = e ? e : sqlite3_bind_text(st, C_FROM, t->from, -1, SQLITE_STATIC);
    e = e ? e : sqlite3_bind_blob64(st, C_NOTE, t->note, t->note_len, SQLITE_STATIC);
    e = e ? e : sqlite3_bind_text(st, C_ORNAMENT, s->ornament, -1, SQLITE_STATIC);
    e = e ? e : sqlite3_bind_text(st, C_SALUTATION, t->salutation, -1, SQLITE_STATIC);
    return e ? e : sqlite3_bind_text(st, C_DATE, t->date, -1, SQLITE_STATIC);
}

/* Checks the limits and inserts, inside the caller's BEGIN IMMEDIATE transaction. */
static int add_locked(const queue_t *q, const queue_card_t *card, const char *printer,
                      const char *session, const uint8_t *document, size_t document_len,
                      int64_t *id)
{
    int rc = limits_check_locked(q, session);
    if (rc != 0) {
        return rc;
    }
    sqlite3_stmt *st = q->st[ST_INSERT];
    int64_t now = db_clock_ms();
    int e = sqlite3_bind_int(st, C_STATE, QUEUE_QUEUED);
    e = e ? e : sqlite3_bind_text(st, C_PRINTER, printer, -1, SQLITE_STATIC);
    e = e ? e : sqlite3_bind_text(st, C_SESSION, session, -1, SQLITE_STATIC);
    e = e ? e : sqlite3_bind_int(st, C_ATTEMPTS, 0);
    e = e ? e : sqlite3_bind_int(st, C_PRINTER_JOB_ID, 0);
    e = e ? e : sqlite3_bind_text(st, C_REASON, "", -1, SQLITE_STATIC);
    e = e ? e : sqlite3_bind_text(st, C_MESSAGE, "", -1, SQLITE_STATIC);
    e = e ? e : sqlite3_bind_int64(st, C_CREATED, now);
    e = e ? e : sqlite3_bind_int64(st, C_UPDATED, now);
    e = e ? e : sqlite3_bind_int64(st, C_NEXT_ATTEMPT, now);
    e = e ? e : card_bind(st, card);
    e = e ? e : sqlite3_bind_blob64(st, C_DOCUMENT, document, document_len, SQLITE_STATIC);
    if (e != SQLITE_OK) {
        db_error(q, "add a job");
        rc = -1;
    } else {
        rc = stmt_step(q, st, "add a job") < 0 ? -1 : 0;
    }
    if (rc == 0 && id) {
        *id = sqlite3_last_insert_rowid(q->db);
    }
    stmt_done(st);
    return rc;
}

int queue_job_add(queue_t *q, const queue_card_t *card, const char *printer, const char *session,
                  const uint8_t *document, size_t document_len, int64_t *id)
{
    const char *problem = card ? card_problem(card) : "no card";
    if (!problem && printer && !length_ok(printer, 0, QUEUE_PRINTER_MAX - 1)) {
        problem = "printer name too long";
    } else if (!problem && session && !length_ok(session, 0, QUEUE_SESSION_MAX - 1)) {
        problem = "session id too long";
    } else if (!problem && (!document || document_len == 0 || document_len > QUEUE_DOCUMENT_MAX)) {
        problem = "document missing or too large";
    }
    if (problem) {
        log_msg(LOG_ERROR, "queue %s: refusing a job: %s", q->path, problem);
        return -1;
    }
    if (tx_begin(q, true) < 0) {
        return -1;
    }
    int rc = add_locked(q, card, printer ? printer : "", session ? session : "", document,
                        document_len, id);
    return tx_finish(q, rc);
}

/* ---- reading ---- */

int queue_job_get(queue_t *q, int64_t id, bool with_document, queue_job_t *job)
{
    return job_get(q, id, with_document, job);
}

/* The id of the job to act on now, or QUEUE_NOT_FOUND with *wait_ms; in the caller's
 * transaction. Only the oldest queued job is a candidate: cards print in order. */
static int next_pick(const queue_t *q, int64_t now, int64_t *id, int64_t *wait_ms)
{
    sqlite3_stmt *st = q->st[ST_NEXT_ACTIVE];
    int rc = stmt_step(q, st, "find the next job");
    *id = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        return rc == SQLITE_ROW ? 0 : -1;
    }
    st = q->st[ST_NEXT_QUEUED];
    rc = stmt_step(q, st, "find the next job");
    int type = rc == SQLITE_ROW ? sqlite3_column_type(st, 1) : SQLITE_NULL;
    int64_t due = rc == SQLITE_ROW ? sqlite3_column_int64(st, 1) : 0;
    *id = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    sqlite3_reset(st);
    if (rc != SQLITE_ROW) {
        return rc == SQLITE_DONE ? QUEUE_NOT_FOUND : -1;
    }
    if (type != SQLITE_INTEGER) {
        log_msg(LOG_ERROR, "queue %s: job %" PRId64 " is damaged: next_attempt_ms", q->path, *id);
        return -1;
    }
    if (due <= now) {
        return 0;
    }
    if (wait_ms) {
        /* due > now; the difference overflows only for a now far in the past. */
        *wait_ms = (now < 0 && due > INT64_MAX + now) ? INT64_MAX : due - now;
    }
    return QUEUE_NOT_FOUND;
}

int queue_job_next(queue_t *q, int64_t now_ms, queue_job_t *job, int64_t *wait_ms)
{
    int64_t id = 0;
    memset(job, 0, sizeof *job);
    if (wait_ms) {
        *wait_ms = -1;
    }
    /* One read transaction: the job read is the one picked. */
    if (tx_begin(q, false) < 0) {
        return -1;
    }
    int rc = next_pick(q, now_ms, &id, wait_ms);
    if (rc == 0) {
        rc = job_get(q, id, true, job);
    }
    if (rc < 0 && id > 0) {
        job->id = id; /* a damaged row: the caller may set it aside */
    }
    return tx_finish(q, rc);
}

/* Reads up to max rows of the list statement into jobs; clears them all on an error. */
static int list_rows(const queue_t *q, sqlite3_stmt *st, queue_job_t *jobs, size_t max,
                     size_t *count)
{
    int rc = SQLITE_DONE;
    while (*count < max && (rc = stmt_step(q, st, "list jobs")) == SQLITE_ROW) {
        if (row_read(q, st, false, &jobs[*count]) < 0) {
            rc = -1;
            break;
        }
        (*count)++;
    }
    if (*count < max && rc != SQLITE_DONE) {
        while (*count > 0) {
            queue_job_clear(&jobs[--*count]);
        }
        return -1;
    }
    return 0;
}

int queue_job_list(queue_t *q, unsigned states, queue_job_t *jobs, size_t max, size_t *count)
{
    sqlite3_stmt *st = q->st[ST_LIST];
    *count = 0;
    if (max == 0) {
        return 0;
    }
    if (sqlite3_bind_int64(st, 1, (int64_t)states) != SQLITE_OK ||
        sqlite3_bind_int64(st, 2, max > INT64_MAX ? INT64_MAX : (int64_t)max) != SQLITE_OK) {
        db_error(q, "list jobs");
        stmt_done(st);
        return -1;
    }
    int rc = list_rows(q, st, jobs, max, count);
    stmt_done(st);
    return rc;
}

int queue_job_count(queue_t *q, unsigned states, int64_t *count)
{
    sqlite3_stmt *st = q->st[ST_COUNT];
    *count = 0;
    if (sqlite3_bind_int64(st, 1, (int64_t)states) != SQLITE_OK) {
        db_error(q, "count jobs");
        stmt_done(st);
        return -1;
    }
    return select_int(q, st, "count jobs", count);
}

/* ---- transitions ---- */

/* Runs transition statement which (its parameters past ?2 bound, e is their binding's result)
 * on job id in its own transaction; no row changed means not found or the wrong state. */
static int transition_run(const queue_t *q, int which, int64_t id, int e)
{
    sqlite3_stmt *st = q->st[which];
    int rc = -1;
    e = e ? e : sqlite3_bind_int64(st, 1, id);
    e = e ? e : sqlite3_bind_int64(st, 2, db_clock_ms());
    if (e != SQLITE_OK) {
        db_error(q, "change a job");
    } else if (tx_begin(q, true) == 0) {
        rc = stmt_step(q, st, "change a job") < 0 ? -1 : 0;
        sqlite3_reset(st);
        if (rc == 0 && sqlite3_changes(q->db) == 0) {
            bool found;
            sqlite3_stmt *ex = q->st[ST_EXISTS];
            sqlite3_bind_int64(ex, 1, id);
            rc = stmt_step(q, ex, "look for a job");
            found = rc == SQLITE_ROW;
            stmt_done(ex);
            rc = rc < 0 ? -1 : found ? QUEUE_WRONG_STATE : QUEUE_NOT_FOUND;
        }
        rc = tx_finish(q, rc);
    }
    stmt_done(st);
    return rc;
}

/* Binds reason and message (cut to fit, see text_fit()) at ?first and ?first + 1. */
static int problem_bind(sqlite3_stmt *st, int first, const char *reason, const char *message,
                        char (*rbuf)[QUEUE_REASON_MAX], char (*mbuf)[QUEUE_MESSAGE_MAX])
{
    int e = sqlite3_bind_text(st, first, text_fit(reason, *rbuf, sizeof *rbuf), -1, SQLITE_STATIC);
    return e ? e
             : sqlite3_bind_text(st, first + 1, text_fit(message, *mbuf, sizeof *mbuf), -1,
                                 SQLITE_STATIC);
}

int queue_job_submitting(queue_t *q, int64_t id)
{
    return transition_run(q, ST_SUBMITTING, id, SQLITE_OK);
}

int queue_job_submitted(queue_t *q, int64_t id, int32_t printer_job_id)
{
    if (printer_job_id <= 0) {
        log_msg(LOG_ERROR, "queue %s: job %" PRId64 ": printer job id %" PRId32 " is not > 0",
                q->path, id, printer_job_id);
        return -1;
    }
    int e = sqlite3_bind_int(q->st[ST_SUBMITTED], 3, printer_job_id);
    return transition_run(q, ST_SUBMITTED, id, e);
}

int queue_job_completed(queue_t *q, int64_t id)
{
    return transition_run(q, ST_COMPLETED, id, SQLITE_OK);
}

int queue_job_requeue(queue_t *q, int64_t id, int64_t next_attempt_ms, const char *reason,
                      const char *message)
{
    char rbuf[QUEUE_REASON_MAX], mbuf[QUEUE_MESSAGE_MAX];
    sqlite3_stmt *st = q->st[ST_REQUEUE];
    int e = sqlite3_bind_int64(st, 3, next_attempt_ms);
    e = e ? e : problem_bind(st, 4, reason, message, &rbuf, &mbuf);
    return transition_run(q, ST_REQUEUE, id, e);
}

int queue_job_failed(queue_t *q, int64_t id, const char *reason, const char *message)
{
    char rbuf[QUEUE_REASON_MAX], mbuf[QUEUE_MESSAGE_MAX];
    int e = problem_bind(q->st[ST_FAILED], 3, reason, message, &rbuf, &mbuf);
    return transition_run(q, ST_FAILED, id, e);
}

int queue_job_damaged(queue_t *q, int64_t id)
{
    return transition_run(q, ST_DAMAGED, id, 0);
}

int queue_job_status(queue_t *q, int64_t id, const char *reason, const char *message)
{
    char rbuf[QUEUE_REASON_MAX], mbuf[QUEUE_MESSAGE_MAX];
    int e = problem_bind(q->st[ST_STATUS], 3, reason, message, &rbuf, &mbuf);
    return transition_run(q, ST_STATUS, id, e);
}

int queue_job_cancel(queue_t *q, int64_t id)
{
    return transition_run(q, ST_CANCEL, id, SQLITE_OK);
}

int queue_job_retry(queue_t *q, int64_t id)
{
    return transition_run(q, ST_RETRY, id, SQLITE_OK);
}

int queue_job_reprint(queue_t *q, int64_t id, int64_t *new_id)
{
    queue_job_t job;
    /* Read and insert in one write transaction: the limits see what is really pending. */
    if (tx_begin(q, true) < 0) {
        return -1;
    }
    int rc = job_get(q, id, true, &job);
    if (rc == 0) {
        rc = add_locked(q, &job.card, job.printer, job.session, job.document, job.document_len,
                        new_id);
    }
    queue_job_clear(&job);
    return tx_finish(q, rc);
}

/* ---- values ---- */

void queue_job_clear(queue_job_t *job)
{
    free(job->storage_);
    memset(job, 0, sizeof *job);
}

void queue_job_name(int64_t id, char *buf, size_t len)
{
    snprintf(buf, len, "likeletter-%" PRId64, id);
}

int64_t queue_job_name_parse(const char *name)
{
    static const char prefix[] = "likeletter-";
    if (!name || strncmp(name, prefix, sizeof prefix - 1) != 0) {
        return 0;
    }
    const char *s = name + sizeof prefix - 1;
    /* Exactly what queue_job_name() writes for a valid id: digits, no leading zero. */
    if (*s < '1' || *s > '9') {
        return 0;
    }
    int64_t id = 0;
    for (; *s; s++) {
        if (*s < '0' || *s > '9' || id > (INT64_MAX - (*s - '0')) / 10) {
            return 0;
        }
        id = id * 10 + (*s - '0');
    }
    return id;
}

const char *queue_state_name(queue_state_t state)
{
    return (unsigned)state < sizeof STATE_NAMES / sizeof STATE_NAMES[0] ? STATE_NAMES[state] : NULL;
}
