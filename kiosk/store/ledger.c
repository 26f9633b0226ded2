/* ledger.c - see ledger.h. One SQLite connection per ledger_t, its statements prepared once at
 * open; every change is one short transaction, every value read back is checked. */
#include "likeletter/ledger.h"

#include "db.h"
#include "likeletter/log.h"

#include <errno.h>
#include <inttypes.h>
#include <sqlite3.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

/* The ledger's schema version, in ledger_meta under "schema" (PRAGMA user_version belongs to the
 * queue). A newer file is refused: its rows may mean something this program does not know. */
#define SCHEMA_VERSION 1

/* The meta table comes first: the version is read before the other tables are touched.
 * Records point at posts by the posts' integer key, so a 1 KiB post id is stored once.
 * AUTOINCREMENT: record ids only grow, so "newest first" is id order even if the clock jumps.
 * ledger_like_once holds only likes of live sessions: it makes a second like of one session
 * for one post a conflict, and it finds the likes a forgotten session leaves. No NOT NULL or
 * CHECK constraints: the reader checks every value anyway (as queue.c does). */
static const char SQL_SCHEMA[] =
    "CREATE TABLE IF NOT EXISTS ledger_posts ("
    " id INTEGER PRIMARY KEY, post_id TEXT UNIQUE, title TEXT, link TEXT, author TEXT,"
    " email TEXT, date INTEGER, seen_ms INTEGER);"
    "CREATE TABLE IF NOT EXISTS ledger_records ("
    " id INTEGER PRIMARY KEY AUTOINCREMENT, post INTEGER, rung INTEGER, time_ms INTEGER,"
    " session TEXT, text TEXT);"
    "CREATE INDEX IF NOT EXISTS ledger_records_post ON ledger_records (post, rung);"
    "CREATE INDEX IF NOT EXISTS ledger_records_rung ON ledger_records (rung);"
    "CREATE UNIQUE INDEX IF NOT EXISTS ledger_like_once ON ledger_records (session, post)"
    " WHERE rung = 0 AND session IS NOT NULL;";

/* The cached statements. */
enum {
    ST_BEGIN_IMMEDIATE,
    ST_COMMIT,
    ST_ROLLBACK,
    ST_POST_UPSERT,
    ST_POST_FIND,
    ST_INSERT,
    ST_FORGET,
    ST_EXPIRE,
    ST_COUNTS,
    ST_TOTALS,
    ST_FIND_RUNG,
    ST_RECENT,
    ST_N
};

static const char *const SQL[ST_N] = {
    [ST_BEGIN_IMMEDIATE] = "BEGIN IMMEDIATE",
    [ST_COMMIT] = "COMMIT",
    [ST_ROLLBACK] = "ROLLBACK",
    [ST_POST_UPSERT] = "INSERT INTO ledger_posts (post_id, title, link, author, email, date,"
                       " seen_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT (post_id) DO"
                       " UPDATE SET title = excluded.title, link = excluded.link,"
                       " author = excluded.author, email = excluded.email,"
                       " date = excluded.date, seen_ms = excluded.seen_ms",
    [ST_POST_FIND] = "SELECT id FROM ledger_posts WHERE post_id = ?1",
    /* The only constraint that can fail is ledger_like_once: a duplicate like. */
    [ST_INSERT] = "INSERT INTO ledger_records (post, rung, time_ms, session, text)"
                  " VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT DO NOTHING",
    [ST_FORGET] = "UPDATE ledger_records SET session = NULL WHERE rung = 0 AND session = ?1",
    [ST_EXPIRE] = "UPDATE ledger_records SET session = NULL"
                  " WHERE rung = 0 AND session IS NOT NULL AND time_ms < ?1",
    [ST_COUNTS] = "SELECT r.rung, count(*) FROM ledger_posts p JOIN ledger_records r"
                  " ON r.post = p.id WHERE p.post_id = ?1 GROUP BY r.rung",
    [ST_TOTALS] = "SELECT rung, count(*) FROM ledger_records GROUP BY rung",
    [ST_FIND_RUNG] = "SELECT id FROM ledger_records WHERE rung IS ?1 LIMIT 1",
    /* LEFT JOIN: a record whose post is gone shows up, as damaged, instead of vanishing. */
    [ST_RECENT] = "SELECT r.id, r.time_ms, r.rung, p.post_id, p.title, r.text"
                  " FROM ledger_records r LEFT JOIN ledger_posts p ON r.post = p.id"
                  " ORDER BY r.id DESC LIMIT ?1",
};

struct ledger {
    sqlite3 *db;
    sqlite3_stmt *st[ST_N];
    char path[]; /* for the log lines */
};

static const char *const RUNG_NAMES[LEDGER_RUNGS] = {"like", "share", "message", "call", "letter"};

static void db_error(const ledger_t *l, const char *what)
{
    log_msg(LOG_ERROR, "ledger %s: %s: %s", l->path, what, sqlite3_errmsg(l->db));
}

/* ---- statements and transactions ---- */

/* Steps st once: SQLITE_ROW or SQLITE_DONE, or -1 (logged with what). */
static int stmt_step(const ledger_t *l, sqlite3_stmt *st, const char *what)
{
    int rc = sqlite3_step(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
        db_error(l, what);
        return -1;
    }
    return rc;
}

static void stmt_done(sqlite3_stmt *st)
{
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
}

/* Runs a statement whose parameters are bound (e: the binding's result) to its end, no rows. */
static int stmt_run(const ledger_t *l, int which, int e, const char *what)
{
    sqlite3_stmt *st = l->st[which];
    int rc = -1;
    if (e != SQLITE_OK) {
        db_error(l, what);
    } else {
        rc = stmt_step(l, st, what) == SQLITE_DONE ? 0 : -1;
    }
    stmt_done(st);
    return rc;
}

/* Ends a transaction: commits when rc is 0, else rolls back (a failed statement may have rolled
 * it back already). Returns rc, or -1 when the commit failed. */
static int tx_finish(const ledger_t *l, int rc)
{
    if (rc == 0 && stmt_run(l, ST_COMMIT, SQLITE_OK, "commit") == 0) {
        return 0;
    }
    if (!sqlite3_get_autocommit(l->db)) {
        (void)stmt_run(l, ST_ROLLBACK, SQLITE_OK, "roll back");
    }
    return rc == 0 ? -1 : rc;
}

/* ---- checks ---- */

/* The length of the UTF-8 sequence at s (n bytes left) with its code point in *cp, or 0 when it
 * is not valid UTF-8: no overlong forms, surrogates or code points past U+10FFFF. */
static size_t utf8_next(const unsigned char *s, size_t n, uint32_t *cp)
{
    unsigned char c = s[0];
    size_t len;
    uint32_t min;
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    if (c >= 0xC2 && c <= 0xDF) {
        len = 2, min = 0x80, *cp = c & 0x1Fu;
    } else if (c >= 0xE0 && c <= 0xEF) {
        len = 3, min = 0x800, *cp = c & 0x0Fu;
    } else if (c >= 0xF0 && c <= 0xF4) {
        len = 4, min = 0x10000, *cp = c & 0x07u;
    } else {
        return 0;
    }
    if (n < len) {
        return 0;
    }
    for (size_t k = 1; k < len; k++) {
        if ((s[k] & 0xC0) != 0x80) {
            return 0;
        }
        *cp = (*cp << 6) | (s[k] & 0x3Fu);
    }
    bool surrogate = *cp >= 0xD800 && *cp <= 0xDFFF;
    return *cp < min || *cp > 0x10FFFF || surrogate ? 0 : len;
}

/* What is wrong with text s of n bytes as stored text: valid UTF-8, no control characters (C0,
 * DEL, C1) except the newline when newline_ok, at most max_chars code points; NULL when fine. */
static const char *text_problem(const char *s, size_t n, size_t max_chars, bool newline_ok)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t chars = 0;
    for (size_t off = 0; off < n; chars++) {
        uint32_t cp;
        size_t len = utf8_next(u + off, n - off, &cp);
        if (len == 0) {
            return "not valid UTF-8";
        }
        if ((cp < 0x20 && !(cp == '\n' && newline_ok)) || (cp >= 0x7F && cp <= 0x9F)) {
            return "a control character";
        }
        off += len;
    }
    return chars > max_chars ? "too long" : NULL;
}

/* A C string's problem as a post field or message: NULL s is fine when optional. strnlen: a
 * hostile string is not read past its limit. */
static const char *string_problem(const char *s, size_t min, size_t max_bytes, size_t max_chars,
                                  bool newline_ok)
{
    if (!s) {
        return min > 0 ? "missing" : NULL;
    }
    size_t n = strnlen(s, max_bytes + 1);
    if (n < min) {
        return "empty";
    }
    return n > max_bytes ? "too long" : text_problem(s, n, max_chars, newline_ok);
}

/* n digits at s into *out. */
static bool digits(const char *s, int n, int *out)
{
    *out = 0;
    for (int k = 0; k < n; k++) {
        if (s[k] < '0' || s[k] > '9') {
            return false;
        }
        *out = *out * 10 + (s[k] - '0');
    }
    return true;
}

/* A call slot "YYYY-MM-DDTHH:MM" with a real calendar date and time of day. */
static bool slot_ok(const char *s)
{
    static const int days[12] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int y, mo, d, h, mi;
    if (strnlen(s, LEDGER_SLOT_LEN + 1) != LEDGER_SLOT_LEN || s[4] != '-' || s[7] != '-' ||
        s[10] != 'T' || s[13] != ':') {
        return false;
    }
    if (!digits(s, 4, &y) || !digits(s + 5, 2, &mo) || !digits(s + 8, 2, &d) ||
        !digits(s + 11, 2, &h) || !digits(s + 14, 2, &mi)) {
        return false;
    }
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    if (y < 1970 || mo < 1 || mo > 12 || d < 1 || d > days[mo - 1] || h > 23 || mi > 59) {
        return false;
    }
    return !(mo == 2 && d == 29 && !leap);
}

/* A print queue id in decimal as queue ids are written: 1..INT64_MAX, no leading zero. */
static bool queue_id_ok(const char *s)
{
    int64_t v = 0;
    if (s[0] < '1' || s[0] > '9') {
        return false;
    }
    for (; *s; s++) {
        if (*s < '0' || *s > '9' || v > (INT64_MAX - (*s - '0')) / 10) {
            return false;
        }
        v = v * 10 + (*s - '0');
    }
    return true;
}

/* What is wrong with text for rung (NULL and "" mean none), or NULL. Used on the way in and on
 * the way back from the database. */
static const char *rung_text_problem(ledger_rung_t rung, const char *text)
{
    bool none = !text || !text[0];
    switch (rung) {
    case LEDGER_LIKE:
    case LEDGER_SHARE:
        return none ? NULL : "a like or share carries no text";
    case LEDGER_MESSAGE:
        return none ? "the message is empty"
                    : string_problem(text, 1, LEDGER_TEXT_MAX, LEDGER_MESSAGE_CHARS, true);
    case LEDGER_CALL:
        return !none && slot_ok(text) ? NULL : "the call slot is not YYYY-MM-DDTHH:MM";
    case LEDGER_LETTER:
        return none || (strnlen(text, 20) < 20 && queue_id_ok(text))
                   ? NULL
                   : "the letter's print queue id is not a number > 0";
    }
    return "unknown rung";
}

/* A session id: 1..LEDGER_SESSION_MAX bytes of printable ASCII, or none (NULL or ""). */
static bool session_ok(const char *s)
{
    size_t n = s ? strnlen(s, LEDGER_SESSION_MAX + 1) : 0;
    if (n > LEDGER_SESSION_MAX) {
        return false;
    }
    for (size_t k = 0; k < n; k++) {
        if (s[k] < 0x21 || s[k] > 0x7E) {
            return false;
        }
    }
    return true;
}

static const char *post_id_problem(const char *id)
{
    return string_problem(id, 1, LEDGER_ID_MAX, SIZE_MAX, false);
}

/* What is wrong with post p, with the field's name in *field, or NULL. */
static const char *post_problem(const ledger_post_t *p, const char **field)
{
    const char *const values[] = {p->id, p->title, p->link, p->author, p->email};
    static const char *const names[] = {"id", "title", "link", "author", "e-mail"};
    static const size_t max[] = {LEDGER_ID_MAX, LEDGER_TITLE_MAX, LEDGER_LINK_MAX, LEDGER_NAME_MAX,
                                 LEDGER_EMAIL_MAX};
    for (size_t k = 0; k < sizeof values / sizeof values[0]; k++) {
        const char *why = string_problem(values[k], k == 0 ? 1 : 0, max[k], SIZE_MAX, false);
        if (why) {
            *field = names[k];
            return why;
        }
    }
    return NULL;
}

/* ---- posts ---- */

static int bind_text_or_empty(sqlite3_stmt *st, int i, const char *s)
{
    return sqlite3_bind_text(st, i, s ? s : "", -1, SQLITE_STATIC);
}

int ledger_post_upsert(ledger_t *l, const ledger_post_t *p)
{
    const char *field = "content", *why = p ? post_problem(p, &field) : "missing";
    if (why) {
        log_msg(LOG_ERROR, "ledger %s: post refused: its %s is %s", l->path, field, why);
        return -1;
    }
    sqlite3_stmt *st = l->st[ST_POST_UPSERT];
    const char *const values[] = {p->id, p->title, p->link, p->author, p->email};
    int e = SQLITE_OK;
    for (int k = 0; k < 5 && e == SQLITE_OK; k++) {
        e = bind_text_or_empty(st, k + 1, values[k]);
    }
    e = e ? e : sqlite3_bind_int64(st, 6, p->date);
    e = e ? e : sqlite3_bind_int64(st, 7, db_clock_ms());
    /* One statement in autocommit: its own transaction, synced at commit. */
    return stmt_run(l, ST_POST_UPSERT, e, "store a post");
}

/* The integer key of the post with id post_id into *key: 0, LEDGER_NOT_FOUND or -1. */
static int post_find(const ledger_t *l, const char *post_id, int64_t *key)
{
    sqlite3_stmt *st = l->st[ST_POST_FIND];
    int rc = sqlite3_bind_text(st, 1, post_id, -1, SQLITE_STATIC);
    if (rc != SQLITE_OK) {
        db_error(l, "find a post");
        rc = -1;
    } else if ((rc = stmt_step(l, st, "find a post")) == SQLITE_ROW) {
        *key = sqlite3_column_int64(st, 0); /* an INTEGER PRIMARY KEY: always an integer */
        rc = 0;
    } else if (rc == SQLITE_DONE) {
        rc = LEDGER_NOT_FOUND;
    }
    stmt_done(st);
    return rc;
}

/* ---- records ---- */

/* Inserts the record (in the caller's transaction); a like already there is LEDGER_DUPLICATE. */
static int record_insert(const ledger_t *l, int64_t post, ledger_rung_t rung, const char *session,
                         const char *text, int64_t *record_id)
{
    sqlite3_stmt *st = l->st[ST_INSERT];
    int e = sqlite3_bind_int64(st, 1, post);
    e = e ? e : sqlite3_bind_int(st, 2, (int)rung);
    e = e ? e : sqlite3_bind_int64(st, 3, db_clock_ms());
    e = e ? e : (session ? sqlite3_bind_text(st, 4, session, -1, SQLITE_STATIC) : SQLITE_OK);
    e = e ? e : (text ? sqlite3_bind_text(st, 5, text, -1, SQLITE_STATIC) : SQLITE_OK);
    if (stmt_run(l, ST_INSERT, e, "record a rung") < 0) {
        return -1;
    }
    if (sqlite3_changes(l->db) == 0) {
        return LEDGER_DUPLICATE;
    }
    if (record_id) {
        *record_id = sqlite3_last_insert_rowid(l->db);
    }
    return 0;
}

/* What is wrong with a record's input, or NULL. */
static const char *record_problem(const char *post_id, ledger_rung_t rung, const char *session,
                                  const char *text)
{
    if (post_id_problem(post_id)) {
        return "the post id is missing, empty, too long or not UTF-8";
    }
    if ((unsigned)rung >= LEDGER_RUNGS) {
        return "unknown rung";
    }
    if (!session_ok(session)) {
        return "the session id is too long or not printable ASCII";
    }
    return rung_text_problem(rung, text);
}

int ledger_record(ledger_t *l, const char *post_id, ledger_rung_t rung, const char *session_id,
                  const char *text, int64_t *record_id)
{
    if (record_id) {
        *record_id = 0;
    }
    const char *why = record_problem(post_id, rung, session_id, text);
    if (why) {
        /* The post id is only logged once it is known to be valid, printable text. */
        bool id_ok = !post_id_problem(post_id);
        log_msg(LOG_ERROR, "ledger %s: %s%s%s%s refused: %s", l->path, id_ok ? "post " : "",
                id_ok ? post_id : "", id_ok ? ": " : "",
                (unsigned)rung < LEDGER_RUNGS ? RUNG_NAMES[rung] : "a record", why);
        return -1;
    }
    /* Privacy: the session is kept on likes only, for the one-like-per-session rule. */
    const char *session = rung == LEDGER_LIKE && session_id && session_id[0] ? session_id : NULL;
    const char *stored = text && text[0] ? text : NULL;
    int64_t post = 0;
    /* One write transaction: the post found is the one the record points at. */
    if (stmt_run(l, ST_BEGIN_IMMEDIATE, SQLITE_OK, "begin a record") < 0) {
        return -1;
    }
    int rc = post_find(l, post_id, &post);
    if (rc == 0) {
        rc = record_insert(l, post, rung, session, stored, record_id);
    }
    return tx_finish(l, rc);
}

int ledger_session_forget(ledger_t *l, const char *session_id)
{
    if (!session_ok(session_id)) {
        log_msg(LOG_ERROR, "ledger %s: cannot forget a session: its id is not printable ASCII",
                l->path);
        return -1;
    }
    if (!session_id || !session_id[0]) {
        return 0;
    }
    int e = sqlite3_bind_text(l->st[ST_FORGET], 1, session_id, -1, SQLITE_STATIC);
    return stmt_run(l, ST_FORGET, e, "forget a session");
}

int ledger_sessions_expire(ledger_t *l, int64_t before_ms)
{
    int e = sqlite3_bind_int64(l->st[ST_EXPIRE], 1, before_ms);
    return stmt_run(l, ST_EXPIRE, e, "forget old sessions");
}

/* ---- counts ---- */

/* Logs the damaged rung value the counting statement st stands on, naming a record that has
 * it. */
static void rung_damaged(const ledger_t *l, sqlite3_stmt *st)
{
    sqlite3_stmt *find = l->st[ST_FIND_RUNG];
    int64_t id = 0;
    if (sqlite3_bind_value(find, 1, sqlite3_column_value(st, 0)) == SQLITE_OK &&
        sqlite3_step(find) == SQLITE_ROW) {
        id = sqlite3_column_int64(find, 0);
    }
    stmt_done(find);
    log_msg(LOG_ERROR, "ledger %s: record %" PRId64 " is damaged: a wrong type or value in rung",
            l->path, id);
}

/* Reads the (rung, count) rows of st into counts; all 0 on an error or a damaged rung. */
static int counts_read(const ledger_t *l, sqlite3_stmt *st, int64_t counts[LEDGER_RUNGS])
{
    int rc;
    while ((rc = stmt_step(l, st, "count records")) == SQLITE_ROW) {
        int64_t rung = sqlite3_column_int64(st, 0);
        if (sqlite3_column_type(st, 0) != SQLITE_INTEGER || rung < 0 || rung >= LEDGER_RUNGS) {
            rung_damaged(l, st);
            rc = -1;
            break;
        }
        counts[rung] = sqlite3_column_int64(st, 1);
    }
    stmt_done(st);
    if (rc != SQLITE_DONE) {
        memset(counts, 0, LEDGER_RUNGS * sizeof counts[0]);
        return -1;
    }
    return 0;
}

int ledger_counts(ledger_t *l, const char *post_id, int64_t counts[LEDGER_RUNGS])
{
    memset(counts, 0, LEDGER_RUNGS * sizeof counts[0]);
    if (post_id_problem(post_id)) {
        log_msg(LOG_ERROR, "ledger %s: cannot count: the post id is empty, too long or not UTF-8",
                l->path);
        return -1;
    }
    sqlite3_stmt *st = l->st[ST_COUNTS];
    if (sqlite3_bind_text(st, 1, post_id, -1, SQLITE_STATIC) != SQLITE_OK) {
        db_error(l, "count records");
        stmt_done(st);
        return -1;
    }
    return counts_read(l, st, counts);
}

int ledger_totals(ledger_t *l, int64_t counts[LEDGER_RUNGS])
{
    memset(counts, 0, LEDGER_RUNGS * sizeof counts[0]);
    return counts_read(l, l->st[ST_TOTALS], counts);
}

/* ---- reading records ---- */

enum { R_ID, R_TIME, R_RUNG, R_POST_ID, R_TITLE, R_TEXT };

/* Text column col into buf (max bytes and its NUL): NULL is fine only when null_ok (gives "");
 * no NUL inside, a length in min..max. */
static bool column_text(sqlite3_stmt *st, int col, bool null_ok, size_t min, size_t max, char *buf)
{
    int type = sqlite3_column_type(st, col);
    buf[0] = '\0';
    if (type == SQLITE_NULL) {
        return null_ok;
    }
    const char *s = (const char *)sqlite3_column_text(st, col);
    int bytes = sqlite3_column_bytes(st, col);
    if (type != SQLITE_TEXT || !s || bytes < 0 || (size_t)bytes < min || (size_t)bytes > max ||
        strlen(s) != (size_t)bytes) {
        return false;
    }
    memcpy(buf, s, (size_t)bytes + 1);
    return true;
}

static bool column_int(sqlite3_stmt *st, int col, int64_t lo, int64_t hi, int64_t *out)
{
    *out = sqlite3_column_int64(st, col);
    return sqlite3_column_type(st, col) == SQLITE_INTEGER && *out >= lo && *out <= hi;
}

/* Reads the row st stands on into e, checking every value; the failing column in *bad. */
static bool entry_read(sqlite3_stmt *st, ledger_entry_t *e, const char **bad)
{
    int64_t rung = 0;
    *bad = NULL;
    if (!column_int(st, R_ID, 1, INT64_MAX, &e->id)) {
        *bad = "id";
    } else if (!column_int(st, R_TIME, INT64_MIN, INT64_MAX, &e->time_ms)) {
        *bad = "time_ms";
    } else if (!column_int(st, R_RUNG, 0, LEDGER_RUNGS - 1, &rung)) {
        *bad = "rung";
    } else if (!column_text(st, R_POST_ID, false, 1, LEDGER_ID_MAX, e->post_id) ||
               post_id_problem(e->post_id)) {
        *bad = "post (its id)";
    } else if (!column_text(st, R_TITLE, false, 0, LEDGER_TITLE_MAX, e->post_title) ||
               text_problem(e->post_title, strlen(e->post_title), SIZE_MAX, false)) {
        *bad = "post (its title)";
    } else if (!column_text(st, R_TEXT, true, 0, LEDGER_TEXT_MAX, e->text) ||
               rung_text_problem((ledger_rung_t)rung, e->text)) {
        *bad = "text";
    }
    e->rung = (ledger_rung_t)rung;
    return *bad == NULL;
}

int ledger_recent(ledger_t *l, ledger_entry_t *entries, size_t max, size_t *count)
{
    sqlite3_stmt *st = l->st[ST_RECENT];
    const char *bad = NULL;
    int rc = SQLITE_DONE;
    *count = 0;
    if (max == 0) {
        return 0;
    }
    if (sqlite3_bind_int64(st, 1, max > INT64_MAX ? INT64_MAX : (int64_t)max) != SQLITE_OK) {
        db_error(l, "list records");
        stmt_done(st);
        return -1;
    }
    while (*count < max && (rc = stmt_step(l, st, "list records")) == SQLITE_ROW) {
        if (!entry_read(st, &entries[*count], &bad)) {
            log_msg(LOG_ERROR,
                    "ledger %s: record %" PRId64 " is damaged: a wrong type or value in %s",
                    l->path, (int64_t)sqlite3_column_int64(st, R_ID), bad);
            rc = -1;
            break;
        }
        (*count)++;
    }
    stmt_done(st);
    if (*count < max && rc != SQLITE_DONE) {
        *count = 0;
        return -1;
    }
    return 0;
}

const char *ledger_rung_name(ledger_rung_t rung)
{
    return (unsigned)rung < LEDGER_RUNGS ? RUNG_NAMES[rung] : NULL;
}

/* ---- opening ---- */

ledger_t *ledger_open(const char *path)
{
    if (!path || !path[0]) {
        log_msg(LOG_ERROR, "ledger: no database path");
        return NULL;
    }
    size_t len = strlen(path);
    ledger_t *l = calloc(1, sizeof *l + len + 1);
    if (!l) {
        log_msg(LOG_ERROR, "ledger %s: out of memory", path);
        return NULL;
    }
    memcpy(l->path, path, len + 1);
    l->db = db_open("ledger", path);
    if (!l->db ||
        db_schema_ensure(l->db, "ledger", path, "ledger_meta", SQL_SCHEMA, SCHEMA_VERSION) < 0 ||
        db_prepare_all(l->db, "ledger", path, SQL, l->st, ST_N) < 0) {
        goto fail;
    }
    return l;
fail:
    ledger_close(l);
    return NULL;
}

void ledger_close(ledger_t *l)
{
    if (!l) {
        return;
    }
    db_close(l->db, "ledger", l->path, l->st, ST_N);
    free(l);
}
