/* draft.c - see draft.h. One SQLite connection per draft_store_t with secure_delete on, its
 * statements prepared once at open; the draft is one row, and every value read back goes
 * through the same setters the UI uses, so a stored draft can never hold what a typed one
 * could not. */
#include "likeletter/draft.h"

#include "db.h"
#include "likeletter/log.h"

#include <inttypes.h>
#include <sqlite3.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

/* The draft's schema version, in draft_meta under "schema" (PRAGMA user_version belongs to the
 * queue). A newer file is refused: its rows may mean something this program does not know. */
#define SCHEMA_VERSION 1

/* The meta table comes first: the version is read before the other table is touched. One row,
 * id 1. No NOT NULL or CHECK constraints: the reader checks every value anyway (as the ledger
 * does), and a damaged row is wiped rather than left to fail every insert. */
static const char SQL_SCHEMA[] =
    "CREATE TABLE IF NOT EXISTS draft_note ("
    " id INTEGER PRIMARY KEY, session TEXT, saved_ms INTEGER, expires_ms INTEGER,"
    " post_id TEXT, note TEXT, to_name TEXT, from_name TEXT,"
    " font INTEGER, ink INTEGER, format INTEGER, lang INTEGER);";

enum { ST_SAVE, ST_LOAD, ST_WIPE, ST_N };

/* The load reads up to two rows: a second one is damage (only key 1 is ever written). */
static const char *const SQL[ST_N] = {
    [ST_SAVE] = "INSERT OR REPLACE INTO draft_note (id, session, saved_ms, expires_ms, post_id,"
                " note, to_name, from_name, font, ink, format, lang)"
                " VALUES (1, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
    [ST_LOAD] = ("SELECT id, session, saved_ms, expires_ms, post_id, note, to_name, from_name,"
                 " font, ink, format, lang FROM draft_note ORDER BY id LIMIT 2"),
    [ST_WIPE] = "DELETE FROM draft_note",
};

/* ST_LOAD's columns. */
enum {
    C_ID,
    C_SESSION,
    C_SAVED,
    C_EXPIRES,
    C_POST,
    C_NOTE,
    C_TO,
    C_FROM,
    C_FONT,
    C_INK,
    C_FORMAT,
    C_LANG
};

struct draft_store {
    sqlite3 *db;
    sqlite3_stmt *st[ST_N];
    char path[]; /* for the log lines */
};

int64_t draft_wall_ms(void)
{
    return db_clock_ms();
}

static void db_error(const draft_store_t *st, const char *what)
{
    log_msg(LOG_ERROR, "draft %s: %s: %s", st->path, what, sqlite3_errmsg(st->db));
}

/* ---- statements ---- */

static void stmt_done(sqlite3_stmt *q)
{
    sqlite3_reset(q);
    sqlite3_clear_bindings(q);
}

/* Steps q once: SQLITE_ROW or SQLITE_DONE, or -1 (logged with what). */
static int stmt_step(const draft_store_t *st, sqlite3_stmt *q, const char *what)
{
    int rc = sqlite3_step(q);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
        db_error(st, what);
        return -1;
    }
    return rc;
}

/* Runs a statement whose parameters are bound (e: the binding's result) to its end. In
 * autocommit, so it is its own transaction, synced at commit (synchronous=FULL). */
static int stmt_run(const draft_store_t *st, int which, int e, const char *what)
{
    sqlite3_stmt *q = st->st[which];
    int rc = -1;
    if (e != SQLITE_OK) {
        db_error(st, what);
    } else {
        rc = stmt_step(st, q, what) == SQLITE_DONE ? 0 : -1;
    }
    stmt_done(q);
    return rc;
}

/* ---- wiping ---- */

/* Moves every page in the log into the database and truncates the log to nothing: the
 * secure_delete'd pages replace the old ones, and the old images in the -wal file go. */
static void log_truncate(const draft_store_t *st)
{
    int frames = -1, done = -1;
    int rc = sqlite3_wal_checkpoint_v2(st->db, NULL, SQLITE_CHECKPOINT_TRUNCATE, &frames, &done);
    if (rc != SQLITE_OK) {
        log_msg(LOG_WARN,
                "draft %s: cannot checkpoint the log after a wipe (older copies of the draft "
                "stay in it until the next checkpoint): %s",
                st->path, sqlite3_errmsg(st->db));
    }
}

int draft_wipe(draft_store_t *st)
{
    if (stmt_run(st, ST_WIPE, SQLITE_OK, "delete the draft") < 0) {
        return -1;
    }
    log_truncate(st);
    return 0;
}

/* ---- saving ---- */

/* What is wrong with a save's input at wall time now, or NULL. */
static const char *save_problem(const char *session_id, const session_draft_t *d, int64_t now,
                                int64_t expires)
{
    if (!session_id_valid(session_id)) {
        return "the session id is not 32 lowercase hex digits";
    }
    if (!d) {
        return "no draft";
    }
    const char *why = session_draft_problem(d);
    if (why) {
        return why;
    }
    if (expires <= now || expires - now > DRAFT_TTL_MAX_MS) {
        return "the expiry is in the past or too far ahead";
    }
    return NULL;
}

int draft_save(draft_store_t *st, const char *session_id, const session_draft_t *d,
               int64_t expires_wall_ms)
{
    int64_t now = db_clock_ms();
    const char *why = save_problem(session_id, d, now, expires_wall_ms);
    if (why) {
        log_msg(LOG_ERROR, "draft %s: draft refused: %s", st->path, why);
        return -1;
    }
    sqlite3_stmt *q = st->st[ST_SAVE];
    const char *const texts[] = {d->post_id, d->note, d->to, d->from};
    const int ints[] = {d->font, d->ink, (int)d->format, (int)d->lang};
    int e = sqlite3_bind_text(q, 1, session_id, SESSION_ID_LEN, SQLITE_STATIC);
    e = e ? e : sqlite3_bind_int64(q, 2, now);
    e = e ? e : sqlite3_bind_int64(q, 3, expires_wall_ms);
    for (int k = 0; k < 4 && e == SQLITE_OK; k++) {
        e = sqlite3_bind_text(q, 4 + k, texts[k], -1, SQLITE_STATIC);
    }
    for (int k = 0; k < 4 && e == SQLITE_OK; k++) {
        e = sqlite3_bind_int(q, 8 + k, ints[k]);
    }
    return stmt_run(st, ST_SAVE, e, "save the draft");
}

/* ---- loading ---- */

static bool column_int(sqlite3_stmt *q, int col, int64_t lo, int64_t hi, int64_t *out)
{
    *out = sqlite3_column_int64(q, col);
    return sqlite3_column_type(q, col) == SQLITE_INTEGER && *out >= lo && *out <= hi;
}

/* Text column col through set(), which checks length, UTF-8 and characters before it copies:
 * exactly what typing it would have been allowed to produce. */
static bool column_text(sqlite3_stmt *q, int col, session_draft_t *d,
                        session_status_t (*set)(session_draft_t *, const char *, size_t))
{
    if (sqlite3_column_type(q, col) != SQLITE_TEXT) {
        return false;
    }
    const char *s = (const char *)sqlite3_column_text(q, col);
    int n = sqlite3_column_bytes(q, col);
    if (n < 0 || (n > 0 && !s)) {
        return false;
    }
    return set(d, n > 0 ? s : "", (size_t)n) == SESSION_OK;
}

/* The session id column into id, or false. */
static bool column_session(sqlite3_stmt *q, char id[SESSION_ID_LEN + 1])
{
    /* The type first: reading the value as text converts a blob and hides what it was. */
    if (sqlite3_column_type(q, C_SESSION) != SQLITE_TEXT) {
        return false;
    }
    const char *s = (const char *)sqlite3_column_text(q, C_SESSION);
    if (!s || sqlite3_column_bytes(q, C_SESSION) != SESSION_ID_LEN) {
        return false;
    }
    memcpy(id, s, SESSION_ID_LEN);
    id[SESSION_ID_LEN] = '\0';
    return session_id_valid(id);
}

/* The draft's content columns into *d; the failing column's name, or NULL. */
static const char *content_read(sqlite3_stmt *q, session_draft_t *d)
{
    static const struct {
        int col;
        const char *name;
        session_status_t (*set)(session_draft_t *, const char *, size_t);
    } texts[] = {{C_POST, "post_id", session_draft_post_set},
                 {C_NOTE, "note", session_draft_note_set},
                 {C_TO, "to_name", session_draft_to_set},
                 {C_FROM, "from_name", session_draft_from_set}};
    for (size_t k = 0; k < sizeof texts / sizeof texts[0]; k++) {
        if (!column_text(q, texts[k].col, d, texts[k].set)) {
            return texts[k].name;
        }
    }
    int64_t v = 0;
    if (!column_int(q, C_FONT, 0, SESSION_FONTS - 1, &v) ||
        session_draft_font_set(d, (int)v) != SESSION_OK) {
        return "font";
    }
    if (!column_int(q, C_INK, 0, SESSION_INKS - 1, &v) ||
        session_draft_ink_set(d, (int)v) != SESSION_OK) {
        return "ink";
    }
    if (!column_int(q, C_FORMAT, CARD_A6, CARD_5X7, &v) ||
        session_draft_format_set(d, (card_format_t)v) != SESSION_OK) {
        return "format";
    }
    if (!column_int(q, C_LANG, CARD_LANG_EN, CARD_LANG_NL, &v) ||
        session_draft_lang_set(d, (card_lang_t)v) != SESSION_OK) {
        return "lang";
    }
    return NULL;
}

typedef enum { ROW_OK, ROW_EXPIRED, ROW_CLOCK_BACK, ROW_DAMAGED } row_t;

/* Reads the row q stands on, checking every value: the key, the session and the times first,
 * so an expired draft is wiped without its text being looked at. The failing column in *bad. */
static row_t row_read(sqlite3_stmt *q, int64_t now, session_draft_t *d, char id[SESSION_ID_LEN + 1],
                      int64_t *expires, const char **bad)
{
    int64_t key = 0, saved = 0;
    *bad = NULL;
    if (!column_int(q, C_ID, 1, 1, &key)) {
        *bad = "id";
    } else if (!column_session(q, id)) {
        *bad = "session";
    } else if (!column_int(q, C_SAVED, INT64_MIN, INT64_MAX, &saved) ||
               !column_int(q, C_EXPIRES, saved, INT64_MAX, expires) ||
               (uint64_t)*expires - (uint64_t)saved > DRAFT_TTL_MAX_MS) {
        *bad = "saved_ms or expires_ms";
    } else if (saved > now) {
        return ROW_CLOCK_BACK;
    } else if (now >= *expires) {
        return ROW_EXPIRED;
    } else {
        *bad = content_read(q, d);
    }
    return *bad ? ROW_DAMAGED : ROW_OK;
}

/* Reads the draft row into *row: 0, or DRAFT_NONE when there is none, or -1 on errors. */
static int row_fetch(const draft_store_t *st, int64_t now, session_draft_t *out,
                     char id[SESSION_ID_LEN + 1], int64_t *expires, row_t *row, const char **bad)
{
    sqlite3_stmt *q = st->st[ST_LOAD];
    int rc = stmt_step(st, q, "read the draft");
    int result = rc < 0 ? -1 : DRAFT_NONE;
    if (rc == SQLITE_ROW) {
        *row = row_read(q, now, out, id, expires, bad);
        rc = stmt_step(st, q, "read the draft");
        if (rc == SQLITE_ROW) {
            *row = ROW_DAMAGED, *bad = "id (a second row)";
        }
        result = rc < 0 ? -1 : 0;
    }
    stmt_done(q);
    return result;
}

/* Why a draft that is not returned is wiped, logged once. */
static void row_log(const draft_store_t *st, row_t row, const char *bad)
{
    if (row == ROW_EXPIRED) {
        log_msg(LOG_INFO, "draft %s: the saved draft expired: wiping it", st->path);
    } else if (row == ROW_CLOCK_BACK) {
        log_msg(LOG_WARN,
                "draft %s: the saved draft is from a later time than now (the clock went "
                "back): wiping it",
                st->path);
    } else {
        log_msg(LOG_WARN,
                "draft %s: the saved draft is damaged (a wrong type or value in %s): "
                "wiping it",
                st->path, bad ? bad : "a column");
    }
}

int draft_load(draft_store_t *st, int64_t now_wall_ms, session_draft_t *out,
               char session_id[SESSION_ID_LEN + 1], int64_t *expires_wall_ms)
{
    int64_t expires = 0;
    row_t row = ROW_DAMAGED;
    const char *bad = NULL;
    session_draft_clear(out);
    session_id[0] = '\0';
    int rc = row_fetch(st, now_wall_ms, out, session_id, &expires, &row, &bad);
    if (rc == 0 && row == ROW_OK) {
        if (expires_wall_ms) {
            *expires_wall_ms = expires;
        }
        return 0;
    }
    /* Nothing of a draft not returned is left in the caller's buffers. */
    session_draft_clear(out);
    session_id[0] = '\0';
    if (expires_wall_ms) {
        *expires_wall_ms = 0;
    }
    if (rc != 0) {
        return rc; /* an error, or no draft at all */
    }
    row_log(st, row, bad);
    return draft_wipe(st) == 0 ? DRAFT_NONE : -1;
}

/* ---- opening ---- */

/* secure_delete on this connection, read back: a build of SQLite that ignores it would keep
 * deleted notes in free pages, which the draft's contract does not allow. */
static int secure_delete_set(const draft_store_t *st)
{
    sqlite3_stmt *q = NULL;
    int64_t on = 0;
    if (sqlite3_prepare_v2(st->db, "PRAGMA secure_delete = ON", -1, &q, NULL) != SQLITE_OK ||
        sqlite3_step(q) != SQLITE_ROW) {
        db_error(st, "set secure_delete = ON");
        sqlite3_finalize(q);
        return -1;
    }
    on = sqlite3_column_int64(q, 0);
    sqlite3_finalize(q);
    if (on != 1) {
        log_msg(LOG_ERROR, "draft %s: secure_delete stays %" PRId64 ": refusing to keep drafts",
                st->path, on);
        return -1;
    }
    return 0;
}

draft_store_t *draft_open(const char *path)
{
    if (!path || !path[0]) {
        log_msg(LOG_ERROR, "draft: no database path");
        return NULL;
    }
    size_t len = strlen(path);
    draft_store_t *st = calloc(1, sizeof *st + len + 1);
    if (!st) {
        log_msg(LOG_ERROR, "draft %s: out of memory", path);
        return NULL;
    }
    memcpy(st->path, path, len + 1);
    st->db = db_open("draft", path);
    if (!st->db || secure_delete_set(st) < 0 ||
        db_schema_ensure(st->db, "draft", path, "draft_meta", SQL_SCHEMA, SCHEMA_VERSION) < 0 ||
        db_prepare_all(st->db, "draft", path, SQL, st->st, ST_N) < 0) {
        draft_close(st);
        return NULL;
    }
    return st;
}

void draft_close(draft_store_t *st)
{
    if (!st) {
        return;
    }
    db_close(st->db, "draft", st->path, st->st, ST_N);
    free(st);
}
