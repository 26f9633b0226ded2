/* check_ledger.c - the ledger of rungs taken: recording and counting every rung, one like per
 * session, message text rules, posts, the admin list, durability, sharing the database file
 * with the print queue, two connections, and damaged or truncated databases. Each test runs in
 * its own forked child with its own temporary directory; damage is done through a raw sqlite3
 * connection to the same file. */
#include "likeletter/ledger.h"
#include "likeletter/queue.h"
#include "testsqlite.h"
#include "testutil.h"

#include <check.h>
#include <inttypes.h>
#include <sqlite3.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static void setup(void)
{
    testutil_tmpdir_make("check_ledger");
}

/* The database, one directory down so ledger_open() has to make it. */
static const char *db_path(void)
{
    return testutil_path("state/likeletter.db");
}

#define expect_rc(what, want, got)                                                                 \
    do {                                                                                           \
        int want_ = (want), got_ = (got);                                                          \
        ck_assert_msg(want_ == got_, "%s: expected %d, got %d", (what), want_, got_);              \
    } while (0)

#define expect_i64(what, want, got)                                                                \
    do {                                                                                           \
        int64_t want_ = (want), got_ = (got);                                                      \
        ck_assert_msg(want_ == got_, "%s: expected %" PRId64 ", got %" PRId64, (what), want_,      \
                      got_);                                                                       \
    } while (0)

#define expect_str(what, want, got)                                                                \
    ck_assert_msg(strcmp((want), (got)) == 0, "%s: expected \"%s\", got \"%s\"", (what), (want),   \
                  (got))

static ledger_t *open_ok(void)
{
    ledger_t *l = ledger_open(db_path());
    ck_assert_msg(l != NULL, "ledger_open(%s): expected a ledger, got NULL", db_path());
    return l;
}

static void post_ok(ledger_t *l, const char *id, const char *title)
{
    ledger_post_t p = {.id = id,
                       .title = title,
                       .link = "https://example.org/p/1",
                       .author = "J\xc3\xbcrgen M\xc3\xbcller",
                       .email = "juergen@example.org",
                       .date = 1715931000};
    expect_rc("ledger_post_upsert", 0, ledger_post_upsert(l, &p));
}

/* Records and expects 0; returns the record id. */
static int64_t record_ok(ledger_t *l, const char *post, ledger_rung_t rung, const char *session,
                         const char *text)
{
    int64_t id = -1;
    int rc = ledger_record(l, post, rung, session, text, &id);
    ck_assert_msg(rc == 0, "record %s on %s: expected 0, got %d", ledger_rung_name(rung), post, rc);
    ck_assert_msg(id > 0, "record %s: expected an id > 0, got %" PRId64, ledger_rung_name(rung),
                  id);
    return id;
}

static void expect_counts(const char *what, const int64_t want[LEDGER_RUNGS],
                          const int64_t got[LEDGER_RUNGS])
{
    for (int k = 0; k < LEDGER_RUNGS; k++) {
        ck_assert_msg(want[k] == got[k], "%s: %s: expected %" PRId64 ", got %" PRId64, what,
                      ledger_rung_name((ledger_rung_t)k), want[k], got[k]);
    }
}

static void expect_post_counts(ledger_t *l, const char *post, int64_t like, int64_t share,
                               int64_t message, int64_t call, int64_t letter)
{
    int64_t want[LEDGER_RUNGS] = {like, share, message, call, letter}, got[LEDGER_RUNGS];
    expect_rc("ledger_counts", 0, ledger_counts(l, post, got));
    expect_counts(post, want, got);
}

/* Runs sql on the database through a connection of its own. */
static void raw_exec(const char *sql)
{
    testsqlite_exec(db_path(), sql);
}

/* The first column of the first row of sql, as text (static buffer). */
static const char *raw_value(const char *sql)
{
    return testsqlite_value(db_path(), sql);
}

/* The details of sql's query plan joined by "; " (static buffer). */
static const char *raw_plan(const char *sql)
{
    static char buf[1024];
    char q[512];
    sqlite3 *db;
    sqlite3_stmt *st;
    size_t used = 0;
    snprintf(q, sizeof q, "EXPLAIN QUERY PLAN %s", sql);
    ck_assert_int_eq(sqlite3_open(db_path(), &db), SQLITE_OK);
    ck_assert_msg(sqlite3_prepare_v2(db, q, -1, &st, NULL) == SQLITE_OK, "%s: %s", q,
                  sqlite3_errmsg(db));
    buf[0] = '\0';
    while (sqlite3_step(st) == SQLITE_ROW && used < sizeof buf) {
        const unsigned char *t = sqlite3_column_text(st, 3);
        int n = snprintf(buf + used, sizeof buf - used, "%s; ", t ? (const char *)t : "");
        used += n > 0 ? (size_t)n : 0;
    }
    sqlite3_finalize(st);
    sqlite3_close(db);
    return buf;
}

/* n copies of the UTF-8 sequence unit, NUL-terminated; the caller frees it. */
static char *repeat(const char *unit, size_t n)
{
    size_t u = strlen(unit);
    char *s = malloc(u * n + 1);
    ck_assert_msg(s != NULL, "malloc failed");
    for (size_t k = 0; k < n; k++) {
        memcpy(s + k * u, unit, u);
    }
    s[u * n] = '\0';
    return s;
}

/* ---- every rung ---- */

START_TEST(record_and_count_every_rung)
{
    ledger_t *l = open_ok();
    post_ok(l, "tag:example.org,2024:1", "A walk by the Rhein");
    int64_t ids[LEDGER_RUNGS];
    ids[0] = record_ok(l, "tag:example.org,2024:1", LEDGER_LIKE, "s-1", NULL);
    ids[1] = record_ok(l, "tag:example.org,2024:1", LEDGER_SHARE, "s-1", NULL);
    ids[2] = record_ok(l, "tag:example.org,2024:1", LEDGER_MESSAGE, "s-1",
                       "Danke f\xc3\xbcr den Beitrag!\nSch\xc3\xb6n.");
    ids[3] = record_ok(l, "tag:example.org,2024:1", LEDGER_CALL, "s-1", "2026-11-26T15:00");
    ids[4] = record_ok(l, "tag:example.org,2024:1", LEDGER_LETTER, "s-1", "17");
    for (int k = 1; k < LEDGER_RUNGS; k++) {
        ck_assert_msg(ids[k] > ids[k - 1],
                      "record ids: expected increasing, got %" PRId64 " after %" PRId64, ids[k],
                      ids[k - 1]);
    }
    record_ok(l, "tag:example.org,2024:1", LEDGER_LETTER, NULL, NULL);
    record_ok(l, "tag:example.org,2024:1", LEDGER_SHARE, "s-1", "");
    expect_post_counts(l, "tag:example.org,2024:1", 1, 2, 1, 1, 2);
    ledger_close(l);
}
END_TEST

START_TEST(rung_names)
{
    static const char *const want[LEDGER_RUNGS] = {"like", "share", "message", "call", "letter"};
    for (int k = 0; k < LEDGER_RUNGS; k++) {
        expect_str("rung name", want[k], ledger_rung_name((ledger_rung_t)k));
    }
    ck_assert_msg(ledger_rung_name((ledger_rung_t)5) == NULL, "rung 5: expected NULL");
    ck_assert_msg(ledger_rung_name((ledger_rung_t)-1) == NULL, "rung -1: expected NULL");
}
END_TEST

/* ---- one like per session ---- */

START_TEST(like_once_per_session)
{
    ledger_t *l = open_ok();
    post_ok(l, "p1", "One");
    post_ok(l, "p2", "Two");
    record_ok(l, "p1", LEDGER_LIKE, "s-1", NULL);
    int64_t id = -1;
    expect_rc("same session, same post", LEDGER_DUPLICATE,
              ledger_record(l, "p1", LEDGER_LIKE, "s-1", NULL, &id));
    expect_i64("record id of a duplicate", 0, id);
    expect_post_counts(l, "p1", 1, 0, 0, 0, 0);
    record_ok(l, "p1", LEDGER_LIKE, "s-2", NULL);
    expect_post_counts(l, "p1", 2, 0, 0, 0, 0);
    record_ok(l, "p2", LEDGER_LIKE, "s-1", NULL);
    expect_post_counts(l, "p2", 1, 0, 0, 0, 0);
    /* Without a session (the command line) nothing can be de-duplicated. */
    record_ok(l, "p2", LEDGER_LIKE, NULL, NULL);
    record_ok(l, "p2", LEDGER_LIKE, "", NULL);
    expect_post_counts(l, "p2", 3, 0, 0, 0, 0);
    /* Other rungs repeat freely within a session. */
    record_ok(l, "p1", LEDGER_SHARE, "s-1", NULL);
    record_ok(l, "p1", LEDGER_SHARE, "s-1", NULL);
    expect_post_counts(l, "p1", 2, 2, 0, 0, 0);
    ledger_close(l);
}
END_TEST

START_TEST(session_kept_on_likes_only_and_forgotten)
{
    ledger_t *l = open_ok();
    post_ok(l, "p1", "One");
    record_ok(l, "p1", LEDGER_LIKE, "s-1", NULL);
    record_ok(l, "p1", LEDGER_MESSAGE, "s-1", "Hallo");
    record_ok(l, "p1", LEDGER_CALL, "s-1", "2026-11-26T15:00");
    record_ok(l, "p1", LEDGER_LIKE, "s-2", NULL);
    expect_str("session ids stored", "2",
               raw_value("SELECT count(*) FROM ledger_records WHERE session IS NOT NULL"));
    expect_str("sessions on other rungs", "0",
               raw_value("SELECT count(*) FROM ledger_records WHERE session IS NOT NULL"
                         " AND rung <> 0"));
    expect_rc("forget s-1", 0, ledger_session_forget(l, "s-1"));
    expect_str("s-1 after forgetting", "0",
               raw_value("SELECT count(*) FROM ledger_records WHERE session = 's-1'"));
    expect_post_counts(l, "p1", 2, 0, 1, 1, 0);
    expect_rc("forget nothing", 0, ledger_session_forget(l, NULL));
    expect_rc("forget a bad id", -1, ledger_session_forget(l, "with space"));
    expect_rc("expire none yet", 0, ledger_sessions_expire(l, 0));
    expect_str("s-2 kept", "1",
               raw_value("SELECT count(*) FROM ledger_records WHERE session = 's-2'"));
    expect_rc("expire all", 0, ledger_sessions_expire(l, INT64_MAX));
    expect_str("sessions after expiry", "0",
               raw_value("SELECT count(*) FROM ledger_records WHERE session IS NOT NULL"));
    expect_post_counts(l, "p1", 2, 0, 1, 1, 0);
    ledger_close(l);
}
END_TEST

/* ---- message text ---- */

START_TEST(message_length_in_code_points)
{
    ledger_t *l = open_ok();
    post_ok(l, "p1", "One");
    char *ok = repeat("\xc3\xa4", LEDGER_MESSAGE_CHARS); /* 500 x "ä": 1000 bytes */
    char *long_ = repeat("\xc3\xa4", LEDGER_MESSAGE_CHARS + 1);
    char *emoji = repeat("\xf0\x9f\x98\x80", LEDGER_MESSAGE_CHARS); /* 2000 bytes */
    char *ascii = repeat("a", LEDGER_MESSAGE_CHARS + 1);
    record_ok(l, "p1", LEDGER_MESSAGE, NULL, ok);
    expect_rc("501 umlauts", -1, ledger_record(l, "p1", LEDGER_MESSAGE, NULL, long_, NULL));
    record_ok(l, "p1", LEDGER_MESSAGE, NULL, emoji);
    expect_rc("501 ASCII letters", -1, ledger_record(l, "p1", LEDGER_MESSAGE, NULL, ascii, NULL));
    ascii[LEDGER_MESSAGE_CHARS] = '\0';
    record_ok(l, "p1", LEDGER_MESSAGE, NULL, ascii);
    ledger_entry_t *e = malloc(3 * sizeof *e);
    size_t n = 0;
    expect_rc("recent", 0, ledger_recent(l, e, 3, &n));
    ck_assert_msg(n == 3, "recent: expected 3 entries, got %zu", n);
    ck_assert_msg(strcmp(e[2].text, ok) == 0, "500 umlauts: expected them back, got %zu bytes",
                  strlen(e[2].text));
    ck_assert_msg(strcmp(e[1].text, emoji) == 0, "500 emoji: expected them back, got %zu bytes",
                  strlen(e[1].text));
    expect_post_counts(l, "p1", 0, 0, 3, 0, 0);
    free(e);
    free(ok);
    free(long_);
    free(emoji);
    free(ascii);
    ledger_close(l);
}
END_TEST

/* Messages that must be refused: bad UTF-8, control characters, nothing. */
static const char *const BAD_MESSAGES[] = {
    "\xc3",   /* cut sequence */
    "a\xc3(", /* bad continuation */
    "\x80 lone continuation",
    "\xc0\xaf",         /* overlong "/" */
    "\xe0\x80\xaf",     /* overlong, 3 bytes */
    "\xed\xa0\x80",     /* surrogate U+D800 */
    "\xf4\x90\x80\x80", /* past U+10FFFF */
    "\xff",
    "\xf8\x88\x80\x80\x80", /* 5-byte form */
    "tab\there",
    "carriage\r\nreturn",
    "escape\x1b[2J",
    "delete\x7f",
    "C1 \xc2\x85 next line",
    "",
};

START_TEST(message_refused)
{
    ledger_t *l = open_ok();
    post_ok(l, "p1", "One");
    expect_rc(BAD_MESSAGES[_i], -1,
              ledger_record(l, "p1", LEDGER_MESSAGE, "s-1", BAD_MESSAGES[_i], NULL));
    expect_rc("NULL message", -1, ledger_record(l, "p1", LEDGER_MESSAGE, "s-1", NULL, NULL));
    expect_post_counts(l, "p1", 0, 0, 0, 0, 0);
    ledger_close(l);
}
END_TEST

/* Other input that must be refused, with what it is. */
static const struct {
    const char *post;
    int rung;
    const char *session;
    const char *text;
    int want;
} BAD_RECORDS[] = {
    {"p1", LEDGER_LIKE, "s", "a like with text", -1},
    {"p1", LEDGER_SHARE, "s", "x", -1},
    {"p1", LEDGER_CALL, "s", NULL, -1},
    {"p1", LEDGER_CALL, "s", "2026-11-26 15:00", -1},
    {"p1", LEDGER_CALL, "s", "2026-11-26T24:00", -1},
    {"p1", LEDGER_CALL, "s", "2026-11-26T15:60", -1},
    {"p1", LEDGER_CALL, "s", "2026-02-29T15:00", -1},
    {"p1", LEDGER_CALL, "s", "2026-13-01T15:00", -1},
    {"p1", LEDGER_CALL, "s", "2026-11-26T15:00Z", -1},
    {"p1", LEDGER_LETTER, "s", "017", -1},
    {"p1", LEDGER_LETTER, "s", "0", -1},
    {"p1", LEDGER_LETTER, "s", "12a", -1},
    {"p1", LEDGER_LETTER, "s", "9223372036854775808", -1},
    {"p1", 5, "s", NULL, -1},
    {"p1", -1, "s", NULL, -1},
    {"p1", LEDGER_LIKE, "with space", NULL, -1},
    {"p1", LEDGER_LIKE, "0123456789012345678901234567890123456789012345678901234567890123", NULL,
     -1},
    {"", LEDGER_LIKE, "s", NULL, -1},
    {NULL, LEDGER_LIKE, "s", NULL, -1},
    {"p\xff", LEDGER_LIKE, "s", NULL, -1},
    {"never stored", LEDGER_LIKE, "s", NULL, LEDGER_NOT_FOUND},
};

START_TEST(record_refuses_bad_input)
{
    ledger_t *l = open_ok();
    post_ok(l, "p1", "One");
    int64_t id = -1;
    char what[128];
    snprintf(what, sizeof what, "case %d (text \"%s\")", _i,
             BAD_RECORDS[_i].text ? BAD_RECORDS[_i].text : "NULL");
    expect_rc(what, BAD_RECORDS[_i].want,
              ledger_record(l, BAD_RECORDS[_i].post, (ledger_rung_t)BAD_RECORDS[_i].rung,
                            BAD_RECORDS[_i].session, BAD_RECORDS[_i].text, &id));
    expect_i64("record id", 0, id);
    int64_t got[LEDGER_RUNGS], none[LEDGER_RUNGS] = {0};
    expect_rc("totals", 0, ledger_totals(l, got));
    expect_counts("totals after a refused record", none, got);
    ledger_close(l);
}
END_TEST

START_TEST(record_accepts_edge_input)
{
    ledger_t *l = open_ok();
    post_ok(l, "p1", "One");
    record_ok(l, "p1", LEDGER_CALL, NULL, "2028-02-29T00:00");
    record_ok(l, "p1", LEDGER_CALL, NULL, "2026-12-31T23:59");
    record_ok(l, "p1", LEDGER_LETTER, NULL, "9223372036854775807");
    record_ok(l, "p1", LEDGER_LIKE,
              "012345678901234567890123456789012345678901234567890123456789012", NULL);
    record_ok(l, "p1", LEDGER_MESSAGE, NULL, "\n");
    ledger_close(l);
}
END_TEST

/* ---- counts ---- */

START_TEST(counts_per_post_and_totals)
{
    ledger_t *l = open_ok();
    post_ok(l, "p1", "One");
    post_ok(l, "p2", "Two");
    post_ok(l, "p3", "Three, never appreciated");
    char session[16];
    for (int k = 0; k < 7; k++) {
        snprintf(session, sizeof session, "s-%d", k);
        record_ok(l, "p1", LEDGER_LIKE, session, NULL);
    }
    for (int k = 0; k < 3; k++) {
        record_ok(l, "p2", LEDGER_LIKE, NULL, NULL);
        record_ok(l, "p2", LEDGER_MESSAGE, NULL, "Merci");
    }
    record_ok(l, "p1", LEDGER_SHARE, NULL, NULL);
    record_ok(l, "p2", LEDGER_CALL, NULL, "2026-11-26T15:00");
    record_ok(l, "p1", LEDGER_LETTER, NULL, "3");
    expect_post_counts(l, "p1", 7, 1, 0, 0, 1);
    expect_post_counts(l, "p2", 3, 0, 3, 1, 0);
    expect_post_counts(l, "p3", 0, 0, 0, 0, 0);
    expect_post_counts(l, "never stored", 0, 0, 0, 0, 0);
    int64_t want[LEDGER_RUNGS] = {10, 1, 3, 1, 1}, got[LEDGER_RUNGS];
    expect_rc("totals", 0, ledger_totals(l, got));
    expect_counts("totals", want, got);
    expect_rc("counts of a bad id", -1, ledger_counts(l, "", got));
    ledger_close(l);
}
END_TEST

/* The counting queries are answered from indexes, not by reading every record. */
START_TEST(counts_use_indexes)
{
    ledger_close(open_ok());
    const char *plan = raw_plan("SELECT r.rung, count(*) FROM ledger_posts p JOIN ledger_records r"
                                " ON r.post = p.id WHERE p.post_id = 'x' GROUP BY r.rung");
    ck_assert_msg(strstr(plan, "COVERING INDEX ledger_records_post") != NULL,
                  "per-post plan: expected the covering index ledger_records_post, got \"%s\"",
                  plan);
    plan = raw_plan("SELECT rung, count(*) FROM ledger_records GROUP BY rung");
    ck_assert_msg(strstr(plan, "COVERING INDEX") != NULL && strstr(plan, "TEMP B-TREE") == NULL,
                  "totals plan: expected a covering index without sorting, got \"%s\"", plan);
}
END_TEST

/* ---- posts and the admin list ---- */

START_TEST(recent_newest_first)
{
    ledger_t *l = open_ok();
    post_ok(l, "p1", "One");
    post_ok(l, "p2", "Zw\xc3\xb6lf");
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    int64_t before = (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
    int64_t a = record_ok(l, "p1", LEDGER_LIKE, "s", NULL);
    int64_t b = record_ok(l, "p2", LEDGER_MESSAGE, "s",
                          "Gr\xc3\xbc\xc3\x9f"
                          "e");
    int64_t c = record_ok(l, "p1", LEDGER_CALL, "s", "2026-11-26T15:00");
    ledger_entry_t e[4];
    size_t n = 99;
    expect_rc("recent", 0, ledger_recent(l, e, 4, &n));
    ck_assert_msg(n == 3, "recent: expected 3, got %zu", n);
    expect_i64("newest", c, e[0].id);
    expect_i64("middle", b, e[1].id);
    expect_i64("oldest", a, e[2].id);
    ck_assert_msg(
        e[0].rung == LEDGER_CALL && e[1].rung == LEDGER_MESSAGE && e[2].rung == LEDGER_LIKE,
        "rungs: expected call, message, like; got %d, %d, %d", e[0].rung, e[1].rung, e[2].rung);
    expect_str("post id", "p2", e[1].post_id);
    expect_str("post title", "Zw\xc3\xb6lf", e[1].post_title);
    expect_str("message",
               "Gr\xc3\xbc\xc3\x9f"
               "e",
               e[1].text);
    expect_str("call slot", "2026-11-26T15:00", e[0].text);
    expect_str("like text", "", e[2].text);
    ck_assert_msg(e[2].time_ms >= before && e[0].time_ms >= e[2].time_ms,
                  "times: expected >= %" PRId64 " and ordered, got %" PRId64 " .. %" PRId64, before,
                  e[2].time_ms, e[0].time_ms);
    expect_rc("recent 2", 0, ledger_recent(l, e, 2, &n));
    ck_assert_msg(n == 2 && e[0].id == c && e[1].id == b, "recent 2: expected the 2 newest");
    expect_rc("recent 0", 0, ledger_recent(l, e, 0, &n));
    ck_assert_msg(n == 0, "recent 0: expected 0 entries, got %zu", n);
    ledger_close(l);
}
END_TEST

START_TEST(upsert_updates_post)
{
    ledger_t *l = open_ok();
    post_ok(l, "p1", "Old title");
    record_ok(l, "p1", LEDGER_LIKE, "s", NULL);
    post_ok(l, "p1", "New title");
    expect_str("posts", "1", raw_value("SELECT count(*) FROM ledger_posts"));
    expect_str("title", "New title", raw_value("SELECT title FROM ledger_posts"));
    ledger_entry_t e[1];
    size_t n;
    expect_rc("recent", 0, ledger_recent(l, e, 1, &n));
    expect_str("title in the list", "New title", e[0].post_title);
    expect_post_counts(l, "p1", 1, 0, 0, 0, 0);
    /* Author and e-mail may be missing; date 0 is unknown. */
    ledger_post_t bare = {.id = "p2", .title = "Bare", .link = "https://example.org/2"};
    expect_rc("bare post", 0, ledger_post_upsert(l, &bare));
    expect_str("author", "", raw_value("SELECT author FROM ledger_posts WHERE post_id = 'p2'"));
    ledger_close(l);
}
END_TEST

START_TEST(upsert_refuses_bad_post)
{
    ledger_t *l = open_ok();
    char *id_max = repeat("i", LEDGER_ID_MAX), *id_long = repeat("i", LEDGER_ID_MAX + 1);
    char *title_long = repeat("t", LEDGER_TITLE_MAX + 1);
    ledger_post_t p = {.id = id_max, .title = "T", .link = "https://example.org/"};
    expect_rc("1024-byte id", 0, ledger_post_upsert(l, &p));
    const ledger_post_t bad[] = {
        {.id = id_long, .title = "T"},
        {.id = "", .title = "T"},
        {.id = NULL, .title = "T"},
        {.id = "p", .title = title_long},
        {.id = "p", .title = "bad \xc3("},
        {.id = "p", .title = "line\nbreak"},
        {.id = "p", .title = "T", .email = "a@b\x01"},
    };
    for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
        char what[32];
        snprintf(what, sizeof what, "bad post %zu", k);
        expect_rc(what, -1, ledger_post_upsert(l, &bad[k]));
    }
    expect_rc("NULL post", -1, ledger_post_upsert(l, NULL));
    expect_str("posts", "1", raw_value("SELECT count(*) FROM ledger_posts"));
    free(id_max);
    free(id_long);
    free(title_long);
    ledger_close(l);
}
END_TEST

/* ---- durability ---- */

START_TEST(wal_and_full_sync)
{
    testsqlite_sync_count_install();
    ledger_t *l = open_ok();
    struct stat st;
    ck_assert_msg(stat(testutil_path("state"), &st) == 0 && (st.st_mode & 0777) == 0700,
                  "state directory: expected mode 0700, got %o", st.st_mode & 0777);
    post_ok(l, "p1", "One");
    testsqlite_syncs_reset();
    record_ok(l, "p1", LEDGER_LIKE, "s", NULL);
    ck_assert_msg(testsqlite_syncs() >= 1,
                  "syncs during one record: expected >= 1 (synchronous=FULL), got %d",
                  testsqlite_syncs());
    testsqlite_syncs_reset();
    post_ok(l, "p1", "One again");
    ck_assert_msg(testsqlite_syncs() >= 1, "syncs during an upsert: expected >= 1, got %d",
                  testsqlite_syncs());
    expect_str("journal_mode", "wal", raw_value("PRAGMA journal_mode"));
    expect_str("ledger schema", "1",
               raw_value("SELECT value FROM ledger_meta WHERE key = 'schema'"));
    expect_str("user_version", "0", raw_value("PRAGMA user_version"));
    ledger_close(l);
}
END_TEST

START_TEST(survives_close_and_reopen)
{
    ledger_t *l = open_ok();
    post_ok(l, "p1", "One");
    record_ok(l, "p1", LEDGER_LIKE, "s-1", NULL);
    record_ok(l, "p1", LEDGER_MESSAGE, "s-1", "Bis bald");
    ledger_close(l);
    l = open_ok();
    expect_post_counts(l, "p1", 1, 0, 1, 0, 0);
    /* The de-duplication survives too, while the session lives. */
    expect_rc("like again after reopen", LEDGER_DUPLICATE,
              ledger_record(l, "p1", LEDGER_LIKE, "s-1", NULL, NULL));
    ledger_close(l);
}
END_TEST

/* ---- the print queue's file ---- */

static const char NOTE[] = "Vielen Dank f\xc3\xbcr die sch\xc3\xb6nen Gr\xc3\xbc\xc3\x9f"
                           "e!";
static const uint8_t DOC[] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};

static int64_t queue_add_ok(queue_t *q)
{
    queue_card_t c = {
        .fonts = {.font = "/fonts/Kristi.ttf"},
        .spec = {.format = CARD_A6, .dpi = 300, .seed = 7},
        .content = {.post_url = "https://example.org/p/1",
                    .to = "J\xc3\xbcrgen",
                    .from = "Anna",
                    .note = NOTE,
                    .note_len = sizeof NOTE - 1,
                    .lang = CARD_LANG_DE},
    };
    int64_t id = -1;
    expect_rc("queue_job_add", 0, queue_job_add(q, &c, NULL, "s-1", DOC, sizeof DOC, &id));
    return id;
}

START_TEST(shares_file_with_queue)
{
    queue_t *q = queue_open(db_path());
    ck_assert_msg(q != NULL, "queue_open: expected a queue");
    int64_t job = queue_add_ok(q);
    ledger_t *l = open_ok();
    post_ok(l, "p1", "One");
    char text[24];
    snprintf(text, sizeof text, "%" PRId64, job);
    record_ok(l, "p1", LEDGER_LETTER, "s-1", text);
    record_ok(l, "p1", LEDGER_LIKE, "s-1", NULL);
    int64_t count = -1;
    expect_rc("queue_job_count", 0, queue_job_count(q, 0, &count));
    expect_i64("queued jobs", 1, count);
    expect_rc("queue after the ledger", 0, queue_job_submitting(q, job));
    queue_close(q);
    ledger_close(l);
    expect_str("user_version", "3", raw_value("PRAGMA user_version"));
    q = queue_open(db_path());
    ck_assert_msg(q != NULL, "queue_open again: expected a queue");
    l = open_ok();
    expect_post_counts(l, "p1", 1, 0, 0, 0, 1);
    ledger_entry_t e[2];
    size_t n;
    expect_rc("recent", 0, ledger_recent(l, e, 2, &n));
    expect_str("letter's queue id", text, e[1].text);
    queue_close(q);
    ledger_close(l);
}
END_TEST

START_TEST(ledger_first_then_queue)
{
    ledger_t *l = open_ok();
    post_ok(l, "p1", "One");
    queue_t *q = queue_open(db_path());
    ck_assert_msg(q != NULL, "queue_open after the ledger: expected a queue");
    queue_add_ok(q);
    record_ok(l, "p1", LEDGER_SHARE, NULL, NULL);
    expect_str("user_version", "3", raw_value("PRAGMA user_version"));
    expect_str("ledger schema", "1",
               raw_value("SELECT value FROM ledger_meta WHERE key = 'schema'"));
    queue_close(q);
    ledger_close(l);
}
END_TEST

/* ---- two connections ---- */

START_TEST(two_connections_at_once)
{
    enum { N = 30 };
    ledger_t *l = open_ok();
    post_ok(l, "p1", "One");
    pid_t pid = fork();
    ck_assert_msg(pid >= 0, "fork failed");
    if (pid == 0) {
        ledger_t *w = ledger_open(db_path());
        int bad = !w;
        char session[16];
        for (int k = 0; w && k < N; k++) {
            snprintf(session, sizeof session, "child-%d", k);
            bad |= ledger_record(w, "p1", LEDGER_LIKE, session, NULL, NULL) != 0;
            bad |= ledger_record(w, "p1", LEDGER_LIKE, "both", NULL, NULL) < 0;
        }
        ledger_close(w);
        _exit(bad);
    }
    char session[16];
    int dup = 0;
    for (int k = 0; k < N; k++) {
        snprintf(session, sizeof session, "parent-%d", k);
        record_ok(l, "p1", LEDGER_MESSAGE, session, "Hi");
        int rc = ledger_record(l, "p1", LEDGER_LIKE, "both", NULL, NULL);
        ck_assert_msg(rc == 0 || rc == LEDGER_DUPLICATE, "like \"both\": expected 0 or 1, got %d",
                      rc);
        dup += rc == LEDGER_DUPLICATE;
    }
    int status;
    ck_assert_int_eq(waitpid(pid, &status, 0), pid);
    ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0,
                  "child: expected every record to succeed, got status %d", status);
    ck_assert_msg(dup >= N - 1, "like \"both\" in the parent: expected at most 1 recorded, got %d",
                  N - dup);
    /* "both" liked once in all: N child sessions + 1. */
    expect_post_counts(l, "p1", N + 1, 0, N, 0, 0);
    ledger_t *other = open_ok();
    expect_post_counts(other, "p1", N + 1, 0, N, 0, 0);
    ledger_close(other);
    ledger_close(l);
}
END_TEST

/* ---- damaged rows ---- */

/* Each damage to record 1 (a message) or its post, and whether counting still works. */
static const struct {
    const char *sql;
    bool counts_fail;
} DAMAGE[] = {
    {"UPDATE ledger_records SET rung = 'x' WHERE id = 1", true},
    {"UPDATE ledger_records SET rung = 9 WHERE id = 1", true},
    {"UPDATE ledger_records SET rung = -1 WHERE id = 1", true},
    {"UPDATE ledger_records SET rung = NULL WHERE id = 1", true},
    {"UPDATE ledger_records SET rung = 2.5 WHERE id = 1", true},
    {"UPDATE ledger_records SET time_ms = 'soon' WHERE id = 1", false},
    {"UPDATE ledger_records SET time_ms = NULL WHERE id = 1", false},
    {"UPDATE ledger_records SET text = x'00ff' WHERE id = 1", false},
    {"UPDATE ledger_records SET text = CAST(x'c328' AS TEXT) WHERE id = 1", false},
    {"UPDATE ledger_records SET text = 'a' || char(0) || 'b' WHERE id = 1", false},
    {"UPDATE ledger_records SET text = substr(hex(zeroblob(600)), 1, 1100) WHERE id = 1", false},
    {"UPDATE ledger_records SET text = 'bell' || char(7) WHERE id = 1", false},
    {"UPDATE ledger_records SET text = NULL WHERE id = 1", false},
    {"UPDATE ledger_records SET text = x'4142' WHERE id = 1", false},
    {"UPDATE ledger_records SET rung = 3 WHERE id = 1", false},   /* a message is no call slot */
    {"UPDATE ledger_records SET rung = 0 WHERE id = 1", false},   /* a like with text */
    {"UPDATE ledger_records SET post = 999 WHERE id = 1", false}, /* its post is gone */
    {"UPDATE ledger_records SET post = 'p' WHERE id = 1", false},
    {"UPDATE ledger_records SET id = -5 WHERE id = 1", false},
    {"UPDATE ledger_posts SET post_id = x'7031'", false},
    {"UPDATE ledger_posts SET post_id = NULL", false},
    {"UPDATE ledger_posts SET title = x'41'", false},
    {"UPDATE ledger_posts SET title = NULL", false},
    {"UPDATE ledger_posts SET title = substr(hex(zeroblob(600)), 1, 1025)", false},
    {"UPDATE ledger_posts SET title = 'tab' || char(9)", false},
};

START_TEST(damaged_row_refused)
{
    ledger_t *l = open_ok();
    post_ok(l, "p1", "One");
    record_ok(l, "p1", LEDGER_MESSAGE, NULL, "Danke");
    record_ok(l, "p1", LEDGER_LIKE, "s", NULL);
    raw_exec(DAMAGE[_i].sql);
    ledger_entry_t e[3];
    size_t n = 9;
    ck_assert_msg(ledger_recent(l, e, 3, &n) == -1 && n == 0,
                  "%s: recent: expected -1 with 0 entries, got %zu", DAMAGE[_i].sql, n);
    int64_t counts[LEDGER_RUNGS];
    int want = DAMAGE[_i].counts_fail ? -1 : 0;
    int rc = ledger_totals(l, counts);
    ck_assert_msg(rc == want, "%s: totals: expected %d, got %d", DAMAGE[_i].sql, want, rc);
    if (want < 0) {
        expect_rc(DAMAGE[_i].sql, -1, ledger_counts(l, "p1", counts));
        int64_t zero[LEDGER_RUNGS] = {0};
        expect_counts("counts after a failure", zero, counts);
    }
    /* The ledger still records (a new like in another session). */
    int r = ledger_record(l, "p1", LEDGER_LIKE, "s-2", NULL, NULL);
    ck_assert_msg(r == 0 || r == LEDGER_NOT_FOUND, "%s: record: expected 0 or not found, got %d",
                  DAMAGE[_i].sql, r);
    ledger_close(l);
}
END_TEST

/* ---- schema and opening ---- */

START_TEST(newer_schema_refused)
{
    ledger_close(open_ok());
    raw_exec("UPDATE ledger_meta SET value = 2 WHERE key = 'schema'");
    ck_assert_msg(ledger_open(db_path()) == NULL, "ledger schema 2: expected NULL");
    raw_exec("UPDATE ledger_meta SET value = 'one' WHERE key = 'schema'");
    ck_assert_msg(ledger_open(db_path()) == NULL, "ledger schema 'one': expected NULL");
    raw_exec("UPDATE ledger_meta SET value = 1 WHERE key = 'schema'");
    ledger_close(open_ok());
}
END_TEST

START_TEST(other_shape_refused)
{
    mkdir(testutil_path("state"), 0700);
    raw_exec("CREATE TABLE ledger_records (k TEXT)");
    ck_assert_msg(ledger_open(db_path()) == NULL,
                  "a ledger_records of another shape: expected NULL");
}
END_TEST

START_TEST(uncreatable_directory_refused)
{
    testutil_file_put(testutil_path("plain"), "a file\n");
    const char *path = testutil_path("plain/sub/likeletter.db");
    ck_assert_msg(ledger_open(path) == NULL, "%s: expected NULL", path);
    ck_assert_msg(ledger_open("") == NULL, "\"\": expected NULL");
    ck_assert_msg(ledger_open(NULL) == NULL, "NULL: expected NULL");
    ledger_close(NULL);
}
END_TEST

/* The database file cut at offset _i * size / 48 (with a few bytes' jitter): opening and reading
 * may fail, but never crash. */
START_TEST(truncated_file_no_crash)
{
    ledger_t *l = open_ok();
    char id[32], *msg = repeat("\xc3\xbc", 400);
    for (int k = 0; k < 12; k++) {
        snprintf(id, sizeof id, "post-%d", k);
        post_ok(l, id, "A title long enough to fill some pages of the database file");
        record_ok(l, id, LEDGER_MESSAGE, NULL, msg);
        record_ok(l, id, LEDGER_LIKE, "s", NULL);
    }
    free(msg);
    ledger_close(l); /* the last close checkpoints: the whole database is in the one file */
    size_t size;
    uint8_t *whole = testutil_file_get(db_path(), &size);
    size_t cut = size * (size_t)_i / 48 + (size_t)(_i % 3) * 7;
    cut = cut > size ? size : cut;
    testutil_file_write(testutil_path("cut.db"), whole, cut);
    free(whole);
    l = ledger_open(testutil_path("cut.db"));
    if (l) {
        ledger_entry_t *e = malloc(30 * sizeof *e);
        size_t n;
        int64_t counts[LEDGER_RUNGS];
        (void)ledger_recent(l, e, 30, &n);
        (void)ledger_counts(l, "post-3", counts);
        (void)ledger_totals(l, counts);
        (void)ledger_record(l, "post-3", LEDGER_LIKE, "s-9", NULL, NULL);
        ledger_post_t p = {.id = "new", .title = "New"};
        (void)ledger_post_upsert(l, &p);
        (void)ledger_session_forget(l, "s");
        free(e);
        ledger_close(l);
    }
    ck_assert_msg(_i != 0 || l != NULL, "an empty file: expected a fresh ledger");
}
END_TEST

static TCase *tcase_fixed(Suite *s, const char *name)
{
    TCase *tc = tcase_create(name);
    tcase_add_checked_fixture(tc, setup, testutil_tmpdir_remove);
    suite_add_tcase(s, tc);
    return tc;
}

static Suite *ledger_suite(void)
{
    Suite *s = suite_create("ledger");
    TCase *tc = tcase_fixed(s, "every rung");
    tcase_add_test(tc, record_and_count_every_rung);
    tcase_add_test(tc, rung_names);

    tc = tcase_fixed(s, "one like per session");
    tcase_add_test(tc, like_once_per_session);
    tcase_add_test(tc, session_kept_on_likes_only_and_forgotten);

    tc = tcase_fixed(s, "message text");
    tcase_add_test(tc, message_length_in_code_points);
    tcase_add_loop_test(tc, message_refused, 0,
                        (int)(sizeof BAD_MESSAGES / sizeof BAD_MESSAGES[0]));

    tc = tcase_fixed(s, "refused input");
    tcase_add_loop_test(tc, record_refuses_bad_input, 0,
                        (int)(sizeof BAD_RECORDS / sizeof BAD_RECORDS[0]));
    tcase_add_test(tc, record_accepts_edge_input);

    tc = tcase_fixed(s, "counts and totals");
    tcase_add_test(tc, counts_per_post_and_totals);
    tcase_add_test(tc, counts_use_indexes);

    tc = tcase_fixed(s, "posts and the admin list");
    tcase_add_test(tc, recent_newest_first);
    tcase_add_test(tc, upsert_updates_post);
    tcase_add_test(tc, upsert_refuses_bad_post);

    tc = tcase_fixed(s, "durability");
    tcase_add_test(tc, wal_and_full_sync);
    tcase_add_test(tc, survives_close_and_reopen);

    tc = tcase_fixed(s, "shared file with the print queue");
    tcase_add_test(tc, shares_file_with_queue);
    tcase_add_test(tc, ledger_first_then_queue);

    tc = tcase_fixed(s, "two connections");
    tcase_add_test(tc, two_connections_at_once);

    tc = tcase_fixed(s, "damaged rows");
    tcase_add_loop_test(tc, damaged_row_refused, 0, (int)(sizeof DAMAGE / sizeof DAMAGE[0]));

    tc = tcase_fixed(s, "schema and opening");
    tcase_add_test(tc, newer_schema_refused);
    tcase_add_test(tc, other_shape_refused);
    tcase_add_test(tc, uncreatable_directory_refused);

    tc = tcase_fixed(s, "truncated database file");
    tcase_add_loop_test(tc, truncated_file_no_crash, 0, 49);
    return s;
}

int main(void)
{
    return testutil_suite_run(ledger_suite());
}
