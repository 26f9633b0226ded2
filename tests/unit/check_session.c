/* check_session.c - the visitor's session and the autosave of their draft: the idle timer at
 * its exact boundaries, activity, the countdown, wiping and new ids, the setters' checks; the
 * draft's round trip, expiry (the row and its text gone from the file's bytes), wiping, a
 * crash, durability, sharing the database with the queue and the ledger, damaged rows and a
 * truncated file. Each test runs in its own forked child with its own temporary directory;
 * damage is done through a raw sqlite3 connection to the same file. */
#include "likeletter/draft.h"
#include "likeletter/ledger.h"
#include "likeletter/queue.h"
#include "likeletter/session.h"
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
#include <unistd.h>

#define IDLE 90000
#define STILL 15000
#define T0 1000000 /* a monotonic "now" that is not 0 */

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

static const char *const STATE_NAMES[] = {"ACTIVE", "STILL_THERE", "EXPIRED"};

static void expect_state(const session_t *s, int64_t now, session_state_t want)
{
    session_state_t got = session_state(s, now, IDLE, STILL);
    ck_assert_msg(got == want, "state at T0+%" PRId64 ": expected %s, got %s", now - T0,
                  STATE_NAMES[want], STATE_NAMES[got]);
}

static void expect_countdown(const session_t *s, int64_t now, int64_t want)
{
    int64_t got = session_countdown_ms(s, now, IDLE, STILL);
    ck_assert_msg(got == want, "countdown at T0+%" PRId64 ": expected %" PRId64 ", got %" PRId64,
                  now - T0, want, got);
}

static session_t *create_ok(int64_t now)
{
    session_t *s = session_create(now);
    ck_assert_msg(s != NULL, "session_create: expected a session, got NULL");
    return s;
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

static bool all_zero(const void *p, size_t n)
{
    const unsigned char *b = p;
    for (size_t k = 0; k < n; k++) {
        if (b[k] != 0) {
            return false;
        }
    }
    return true;
}

/* ---- the idle timer ---- */

START_TEST(state_at_exact_boundaries)
{
    session_t *s = create_ok(T0);
    expect_state(s, T0, SESSION_ACTIVE);
    expect_state(s, T0 + 89999, SESSION_ACTIVE);
    expect_state(s, T0 + 90000, SESSION_STILL_THERE);
    expect_state(s, T0 + 104999, SESSION_STILL_THERE);
    expect_state(s, T0 + 105000, SESSION_EXPIRED);
    expect_state(s, T0 + 10000000, SESSION_EXPIRED);
    expect_i64("started", T0, session_started_ms(s));
    expect_i64("last activity", T0, session_last_activity_ms(s));
    session_free(s);
}
END_TEST

START_TEST(countdown_values)
{
    session_t *s = create_ok(T0);
    expect_countdown(s, T0, 105000);
    expect_countdown(s, T0 + 89999, 15001);
    expect_countdown(s, T0 + 90000, 15000);
    expect_countdown(s, T0 + 100500, 4500);
    expect_countdown(s, T0 + 104999, 1);
    expect_countdown(s, T0 + 105000, 0);
    expect_countdown(s, T0 + 999999, 0);
    /* A now before the last activity (a caller's clock mixup) counts as no time passed. */
    expect_countdown(s, T0 - 5000, 105000);
    expect_state(s, T0 - 5000, SESSION_ACTIVE);
    session_free(s);
}
END_TEST

START_TEST(activity_resets_the_timer)
{
    session_t *s = create_ok(T0);
    session_activity(s, T0 + 89000);
    expect_i64("last activity", T0 + 89000, session_last_activity_ms(s));
    expect_state(s, T0 + 89000 + 89999, SESSION_ACTIVE);
    expect_state(s, T0 + 89000 + 90000, SESSION_STILL_THERE);
    /* A touch on the prompt brings the session back. */
    session_activity(s, T0 + 89000 + 95000);
    expect_state(s, T0 + 89000 + 95000, SESSION_ACTIVE);
    expect_countdown(s, T0 + 89000 + 95000, 105000);
    /* An older time never winds the timer back. */
    session_activity(s, T0);
    expect_i64("last activity after an older touch", T0 + 89000 + 95000,
               session_last_activity_ms(s));
    expect_i64("started stays", T0, session_started_ms(s));
    session_free(s);
}
END_TEST

START_TEST(no_prompt_and_odd_timeouts)
{
    session_t *s = create_ok(T0);
    ck_assert_msg(session_state(s, T0 + 89999, IDLE, 0) == SESSION_ACTIVE,
                  "no prompt, 89999: expected ACTIVE");
    ck_assert_msg(session_state(s, T0 + 90000, IDLE, 0) == SESSION_EXPIRED,
                  "no prompt, 90000: expected EXPIRED");
    ck_assert_msg(session_state(s, T0, -5, -5) == SESSION_EXPIRED,
                  "negative timeouts: expected EXPIRED at once");
    ck_assert_msg(session_state(s, T0 + 1000, INT64_MAX, INT64_MAX) == SESSION_ACTIVE,
                  "huge timeouts: expected ACTIVE");
    expect_i64("huge countdown", INT64_MAX - 1000,
               session_countdown_ms(s, T0 + 1000, INT64_MAX, INT64_MAX));
    ck_assert_msg(session_state(s, INT64_MAX, IDLE, STILL) == SESSION_EXPIRED,
                  "now INT64_MAX: expected EXPIRED");
    session_free(s);
}
END_TEST

/* ---- ids and wiping ---- */

static int id_cmp(const void *a, const void *b)
{
    return memcmp(a, b, SESSION_ID_LEN + 1);
}

START_TEST(ids_are_hex_and_unique)
{
    enum { N = 1000 };
    char(*ids)[SESSION_ID_LEN + 1] = malloc(N * sizeof *ids);
    session_t *s = create_ok(T0);
    for (int k = 0; k < N; k++) {
        expect_rc("session_new", 0, session_new(s, T0 + k));
        const char *id = session_id(s);
        ck_assert_msg(strlen(id) == SESSION_ID_LEN, "id %d: expected 32 chars, got %zu (\"%s\")", k,
                      strlen(id), id);
        ck_assert_msg(strspn(id, "0123456789abcdef") == SESSION_ID_LEN,
                      "id %d: expected lowercase hex, got \"%s\"", k, id);
        ck_assert_msg(session_id_valid(id), "id %d: expected session_id_valid()", k);
        memcpy(ids[k], id, SESSION_ID_LEN + 1);
    }
    qsort(ids, N, sizeof ids[0], id_cmp);
    for (int k = 1; k < N; k++) {
        ck_assert_msg(strcmp(ids[k - 1], ids[k]) != 0, "ids: expected all different, got %s twice",
                      ids[k]);
    }
    free(ids);
    session_free(s);
}
END_TEST

START_TEST(id_validation)
{
    ck_assert_msg(session_id_valid("0123456789abcdef0123456789abcdef"), "a good id: expected true");
    static const char *const bad[] = {
        "0123456789ABCDEF0123456789abcdef",  /* uppercase */
        "0123456789abcdef0123456789abcde",   /* 31 */
        "0123456789abcdef0123456789abcdef0", /* 33 */
        "0123456789abcdef0123456789abcdeg",  /* not hex */
        "0123456789abcdef 123456789abcdef",  /* a space */
        "",
    };
    for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
        ck_assert_msg(!session_id_valid(bad[k]), "\"%s\": expected invalid", bad[k]);
    }
    ck_assert_msg(!session_id_valid(NULL), "NULL: expected invalid");
}
END_TEST

static void draft_fill(session_draft_t *d)
{
    static const char NOTE[] = "Vielen Dank f\xc3\xbcr alles!\nTot ziens.";
    expect_rc("note", SESSION_OK, session_draft_note_set(d, NOTE, sizeof NOTE - 1));
    expect_rc("to", SESSION_OK, session_draft_to_set(d, "J\xc3\xbcrgen", 7));
    expect_rc("from", SESSION_OK, session_draft_from_set(d, "Anneke", 6));
    expect_rc("post", SESSION_OK, session_draft_post_set(d, "tag:example.org,2024:1", 22));
    expect_rc("font", SESSION_OK, session_draft_font_set(d, 2));
    expect_rc("ink", SESSION_OK, session_draft_ink_set(d, 1));
    expect_rc("format", SESSION_OK, session_draft_format_set(d, CARD_5X7));
    expect_rc("lang", SESSION_OK, session_draft_lang_set(d, CARD_LANG_NL));
}

START_TEST(new_session_wipes_everything)
{
    session_t *s = create_ok(T0);
    session_draft_t *d = session_draft(s);
    draft_fill(d);
    char old[SESSION_ID_LEN + 1];
    memcpy(old, session_id(s), sizeof old);
    session_activity(s, T0 + 5000);
    expect_rc("session_new", 0, session_new(s, T0 + 200000));
    ck_assert_msg(session_draft(s) == d, "the draft: expected the same buffer");
    ck_assert_msg(all_zero(d, sizeof *d), "draft after session_new: expected every byte 0");
    ck_assert_msg(session_draft_problem(d) == NULL, "the empty draft: expected no problem, got %s",
                  session_draft_problem(d));
    ck_assert_msg(strcmp(old, session_id(s)) != 0, "id: expected a new one, got %s again", old);
    ck_assert_msg(session_id_valid(session_id(s)), "new id: expected valid, got \"%s\"",
                  session_id(s));
    expect_i64("started", T0 + 200000, session_started_ms(s));
    expect_i64("last activity", T0 + 200000, session_last_activity_ms(s));
    expect_state(s, T0 + 200000, SESSION_ACTIVE);
    session_free(s);
    session_free(NULL);
}
END_TEST

START_TEST(shorter_text_wipes_the_rest)
{
    session_draft_t d = {0};
    expect_rc("long", SESSION_OK, session_draft_note_set(&d, "secret words", 12));
    expect_rc("short", SESSION_OK, session_draft_note_set(&d, "ok", 2));
    expect_str("note", "ok", d.note);
    ck_assert_msg(all_zero(d.note + 2, sizeof d.note - 2),
                  "bytes after the shorter note: expected 0");
    /* Setting from the field's own buffer (the UI re-setting what it shows) works. */
    expect_rc("self", SESSION_OK, session_draft_note_set(&d, d.note + 1, 1));
    expect_str("note from itself", "k", d.note);
    expect_rc("empty", SESSION_OK, session_draft_to_set(&d, NULL, 0));
    expect_str("to", "", d.to);
    memset(&d, 0x5A, sizeof d);
    session_draft_clear(&d);
    ck_assert_msg(all_zero(&d, sizeof d), "session_draft_clear: expected every byte 0");
}
END_TEST

/* ---- the setters' checks ---- */

enum { F_NOTE, F_TO, F_FROM, F_POST };
static const char *const FIELD_NAMES[] = {"note", "to", "from", "post"};

static session_status_t field_set(session_draft_t *d, int field, const char *s, size_t len)
{
    switch (field) {
    case F_NOTE:
        return session_draft_note_set(d, s, len);
    case F_TO:
        return session_draft_to_set(d, s, len);
    case F_FROM:
        return session_draft_from_set(d, s, len);
    default:
        return session_draft_post_set(d, s, len);
    }
}

static const struct {
    int field;
    const char *text;
    size_t len; /* 0: strlen */
    session_status_t want;
} TEXTS[] = {
    {F_NOTE,
     "Gr\xc3\xbc\xc3\x9f"
     "e \xe2\x80\x9e"
     "danke\xe2\x80\x9c \xf0\x9f\x8e\x89",
     0, SESSION_OK},
    {F_NOTE, "two\nlines", 0, SESSION_OK},
    {F_NOTE, "para\xe2\x80\xa9graph", 0, SESSION_OK},
    {F_NOTE, "\xc3", 0, SESSION_INVALID},
    {F_NOTE, "a\xc3(", 0, SESSION_INVALID},
    {F_NOTE, "\x80", 0, SESSION_INVALID},
    {F_NOTE, "\xc0\xaf", 0, SESSION_INVALID},
    {F_NOTE, "\xed\xa0\x80", 0, SESSION_INVALID},
    {F_NOTE, "\xf4\x90\x80\x80", 0, SESSION_INVALID},
    {F_NOTE, "\xff", 0, SESSION_INVALID},
    {F_NOTE, "tab\there", 0, SESSION_INVALID},
    {F_NOTE, "cr\r\n", 0, SESSION_INVALID},
    {F_NOTE, "esc\x1b[2J", 0, SESSION_INVALID},
    {F_NOTE, "del\x7f", 0, SESSION_INVALID},
    {F_NOTE, "c1 \xc2\x85", 0, SESSION_INVALID},
    {F_NOTE, "nul\0inside", 10, SESSION_INVALID},
    {F_TO, "Ren\xc3\xa9", 0, SESSION_OK},
    {F_TO, "Anna\nBerta", 0, SESSION_INVALID},
    {F_TO, "Anna\xe2\x80\xa8", 0, SESSION_INVALID},
    {F_TO, "Anna\t", 0, SESSION_INVALID},
    {F_FROM, "\xf0\x9f\x91\x8b Anneke", 0, SESSION_OK},
    {F_FROM, "bad \xe0\x80\xaf", 0, SESSION_INVALID},
    {F_FROM, "bell\x07", 0, SESSION_INVALID},
    {F_POST, "https://example.org/p?x=1&y=2", 0, SESSION_OK},
    {F_POST, "id\nnewline", 0, SESSION_INVALID},
    {F_POST, "\xfe", 0, SESSION_INVALID},
    {F_TO, "", 0, SESSION_OK},
};

START_TEST(text_checked)
{
    session_draft_t d = {0};
    expect_rc("prefill", SESSION_OK, field_set(&d, TEXTS[_i].field, "before", 6));
    size_t len = TEXTS[_i].len ? TEXTS[_i].len : strlen(TEXTS[_i].text);
    session_status_t got = field_set(&d, TEXTS[_i].field, TEXTS[_i].text, len);
    ck_assert_msg(got == TEXTS[_i].want, "%s case %d: expected %d, got %d",
                  FIELD_NAMES[TEXTS[_i].field], _i, TEXTS[_i].want, got);
    const char *field = TEXTS[_i].field == F_NOTE   ? d.note
                        : TEXTS[_i].field == F_TO   ? d.to
                        : TEXTS[_i].field == F_FROM ? d.from
                                                    : d.post_id;
    expect_str("the field afterwards", got == SESSION_OK ? TEXTS[_i].text : "before", field);
    ck_assert_msg(session_draft_problem(&d) == NULL, "draft afterwards: expected fine, got %s",
                  session_draft_problem(&d));
}
END_TEST

/* Lengths: code points and bytes, at and past each limit. */
static const struct {
    int field;
    const char *unit;
    size_t n;
    session_status_t want;
} LENGTHS[] = {
    {F_NOTE, "a", SESSION_NOTE_CHARS, SESSION_OK},
    {F_NOTE, "a", SESSION_NOTE_CHARS + 1, SESSION_TOO_LONG},
    {F_NOTE, "\xc3\xa4", SESSION_NOTE_CHARS + 1, SESSION_TOO_LONG},
    {F_NOTE, "\xf0\x9f\x98\x80", SESSION_NOTE_CHARS, SESSION_OK}, /* 8000 bytes */
    {F_NOTE, "\xf0\x9f\x98\x80", SESSION_NOTE_CHARS + 1, SESSION_TOO_LONG},
    {F_TO, "\xc3\xa4", SESSION_NAME_CHARS, SESSION_OK},
    {F_TO, "\xc3\xa4", SESSION_NAME_CHARS + 1, SESSION_TOO_LONG},
    {F_FROM, "\xf0\x9f\x91\x8b", 50, SESSION_OK},       /* 200 bytes */
    {F_FROM, "\xe2\x82\xac", 60, SESSION_OK},           /* 180 bytes */
    {F_FROM, "\xf0\x9f\x91\x8b", 51, SESSION_TOO_LONG}, /* 204 bytes, 51 code points */
    {F_POST, "i", SESSION_POST_ID_MAX, SESSION_OK},
    {F_POST, "i", SESSION_POST_ID_MAX + 1, SESSION_TOO_LONG},
};

START_TEST(length_checked)
{
    session_draft_t d = {0};
    char *text = repeat(LENGTHS[_i].unit, LENGTHS[_i].n);
    session_status_t got = field_set(&d, LENGTHS[_i].field, text, strlen(text));
    ck_assert_msg(got == LENGTHS[_i].want, "%s of %zu x \"%s\": expected %d, got %d",
                  FIELD_NAMES[LENGTHS[_i].field], LENGTHS[_i].n, LENGTHS[_i].unit, LENGTHS[_i].want,
                  got);
    free(text);
}
END_TEST

START_TEST(choices_checked)
{
    session_draft_t d = {0};
    for (int k = 0; k < SESSION_FONTS; k++) {
        expect_rc("font in range", SESSION_OK, session_draft_font_set(&d, k));
        expect_rc("ink in range", SESSION_OK, session_draft_ink_set(&d, k));
    }
    expect_rc("font -1", SESSION_INVALID, session_draft_font_set(&d, -1));
    expect_rc("font 3", SESSION_INVALID, session_draft_font_set(&d, 3));
    expect_rc("ink 3", SESSION_INVALID, session_draft_ink_set(&d, 3));
    expect_rc("format 4", SESSION_INVALID, session_draft_format_set(&d, (card_format_t)4));
    expect_rc("lang 3", SESSION_INVALID, session_draft_lang_set(&d, (card_lang_t)3));
    expect_rc("lang -1", SESSION_INVALID, session_draft_lang_set(&d, (card_lang_t)-1));
    ck_assert_msg(d.font == 2 && d.ink == 2, "after refusals: expected font 2, ink 2, got %d, %d",
                  d.font, d.ink);
}
END_TEST

START_TEST(whole_draft_checked)
{
    session_draft_t d = {0};
    draft_fill(&d);
    ck_assert_msg(session_draft_problem(&d) == NULL, "a good draft: expected NULL, got %s",
                  session_draft_problem(&d));
    session_draft_t bad = d;
    memset(bad.to, 'x', sizeof bad.to); /* no NUL anywhere */
    ck_assert_msg(session_draft_problem(&bad) != NULL, "an unterminated name: expected a problem");
    bad = d;
    bad.note[3] = '\x1b';
    ck_assert_msg(session_draft_problem(&bad) != NULL, "an escape in the note: expected a problem");
    bad = d;
    bad.ink = 7;
    ck_assert_msg(session_draft_problem(&bad) != NULL, "ink 7: expected a problem");
    bad = d;
    bad.format = (card_format_t)9;
    ck_assert_msg(session_draft_problem(&bad) != NULL, "format 9: expected a problem");
}
END_TEST

START_TEST(restore_keeps_the_deadline)
{
    session_t *s = create_ok(T0);
    session_draft_t d = {0};
    draft_fill(&d);
    const char *id = "00112233445566778899aabbccddeeff";
    expect_rc("restore", SESSION_OK, session_restore(s, T0, id, &d, 30000, IDLE, STILL));
    expect_str("id", id, session_id(s));
    expect_str("note", d.note, session_draft(s)->note);
    ck_assert_msg(memcmp(&d, session_draft_const(s), sizeof d) == 0, "draft: expected a copy");
    expect_countdown(s, T0, 30000);
    expect_state(s, T0 + 14999, SESSION_ACTIVE);
    expect_state(s, T0 + 15000, SESSION_STILL_THERE);
    expect_state(s, T0 + 30000, SESSION_EXPIRED);
    expect_rc("bad id", SESSION_INVALID, session_restore(s, T0, "XYZ", &d, 30000, IDLE, STILL));
    d.font = 9;
    expect_rc("bad draft", SESSION_INVALID, session_restore(s, T0, id, &d, 30000, IDLE, STILL));
    expect_str("id after refusals", id, session_id(s));
    d.font = 0;
    expect_rc("too much time", SESSION_OK, session_restore(s, T0, id, &d, 999999999, IDLE, STILL));
    expect_countdown(s, T0, 105000);
    expect_rc("no time", SESSION_OK, session_restore(s, T0, id, &d, -5, IDLE, STILL));
    expect_state(s, T0, SESSION_EXPIRED);
    session_free(s);
}
END_TEST

/* ---- the draft store ---- */

static void setup(void)
{
    testutil_tmpdir_make("check_session");
}

/* The database, one directory down so draft_open() has to make it. */
static const char *db_path(void)
{
    return testutil_path("state/likeletter.db");
}

static const char *wal_path(void)
{
    return testutil_path("state/likeletter.db-wal");
}

static draft_store_t *store_open_ok(void)
{
    draft_store_t *st = draft_open(db_path());
    ck_assert_msg(st != NULL, "draft_open(%s): expected a store, got NULL", db_path());
    return st;
}

static const char SESSION_A[] = "0123456789abcdef0123456789abcdef";

/* The letter of the round trip: German, Dutch, typographic quotes and emoji. */
static const char NOTE_INTL[] =
    "Liebe Gr\xc3\xbc\xc3\x9f"
    "e aus K\xc3\xb6ln \xe2\x80\x93 \xe2\x80\x9e"
    "danke sch\xc3\xb6n\xe2\x80\x9c! \xf0\x9f\x8e\x89\n"
    "Hartelijk dank, \xc4\xb3sselmeer en co\xc3\xb6peratie \xe2\x82\xac 5 \xf0\x9f\x91\x8d\xf0\x9f"
    "\x8f\xbd";

static void draft_intl(session_draft_t *d)
{
    session_draft_clear(d);
    expect_rc("note", SESSION_OK, session_draft_note_set(d, NOTE_INTL, sizeof NOTE_INTL - 1));
    expect_rc("to", SESSION_OK, session_draft_to_set(d, "J\xc3\xbcrgen M\xc3\xbcller", 15));
    expect_rc("from", SESSION_OK, session_draft_from_set(d, "Anneke \xf0\x9f\x91\x8b", 11));
    expect_rc("post", SESSION_OK, session_draft_post_set(d, "tag:example.org,2024:7", 22));
    expect_rc("font", SESSION_OK, session_draft_font_set(d, 2));
    expect_rc("ink", SESSION_OK, session_draft_ink_set(d, 1));
    expect_rc("format", SESSION_OK, session_draft_format_set(d, CARD_4X6));
    expect_rc("lang", SESSION_OK, session_draft_lang_set(d, CARD_LANG_DE));
}

static void expect_draft(const session_draft_t *want, const session_draft_t *got)
{
    expect_str("post id", want->post_id, got->post_id);
    expect_str("note", want->note, got->note);
    expect_str("to", want->to, got->to);
    expect_str("from", want->from, got->from);
    expect_rc("font", want->font, got->font);
    expect_rc("ink", want->ink, got->ink);
    expect_rc("format", (int)want->format, (int)got->format);
    expect_rc("lang", (int)want->lang, (int)got->lang);
}

/* Loads and expects DRAFT_NONE with every output cleared. */
static void expect_none(draft_store_t *st, int64_t now, const char *what)
{
    session_draft_t *out = malloc(sizeof *out);
    char id[SESSION_ID_LEN + 1] = "x";
    int64_t expires = -1;
    memset(out, 0x5A, sizeof *out);
    expect_rc(what, DRAFT_NONE, draft_load(st, now, out, id, &expires));
    ck_assert_msg(all_zero(out, sizeof *out), "%s: expected the empty draft", what);
    expect_str(what, "", id);
    expect_i64(what, 0, expires);
    free(out);
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

/* How often marker occurs in the file at path (0 when there is no file). */
static int file_count(const char *path, const char *marker)
{
    struct stat sb;
    if (stat(path, &sb) != 0) {
        return 0;
    }
    size_t len, m = strlen(marker);
    uint8_t *b = testutil_file_get(path, &len);
    int n = 0;
    for (size_t k = 0; len >= m && k <= len - m; k++) {
        n += memcmp(b + k, marker, m) == 0;
    }
    free(b);
    return n;
}

static int db_count(const char *marker)
{
    return file_count(db_path(), marker) + file_count(wal_path(), marker);
}

START_TEST(round_trip)
{
    draft_store_t *st = store_open_ok();
    int64_t now = draft_wall_ms();
    expect_none(st, now, "no draft yet");
    session_draft_t *d = malloc(sizeof *d), *out = malloc(sizeof *out);
    draft_intl(d);
    expect_rc("draft_save", 0, draft_save(st, SESSION_A, d, now + 105000));
    char id[SESSION_ID_LEN + 1];
    int64_t expires = 0;
    expect_rc("draft_load", 0, draft_load(st, draft_wall_ms(), out, id, &expires));
    expect_draft(d, out);
    expect_str("session id", SESSION_A, id);
    expect_i64("expires", now + 105000, expires);
    expect_rc("load without expiry", 0, draft_load(st, draft_wall_ms(), out, id, NULL));
    /* A later save replaces the one row. */
    expect_rc("note 2", SESSION_OK, session_draft_note_set(d, "Kort.", 5));
    expect_rc("draft_save again", 0, draft_save(st, SESSION_A, d, now + 110000));
    expect_str("rows", "1", raw_value("SELECT count(*) FROM draft_note"));
    expect_rc("draft_load again", 0, draft_load(st, draft_wall_ms(), out, id, &expires));
    expect_draft(d, out);
    /* The empty draft round-trips too. */
    session_draft_clear(d);
    expect_rc("save empty", 0, draft_save(st, SESSION_A, d, draft_wall_ms() + 60000));
    expect_rc("load empty", 0, draft_load(st, draft_wall_ms(), out, id, NULL));
    ck_assert_msg(all_zero(out, sizeof *out), "the empty draft: expected it back");
    free(d);
    free(out);
    draft_close(st);
}
END_TEST

START_TEST(expired_draft_gone_from_the_file)
{
    static const char MARKER[] = "QX7-forget-me-ZEBRA";
    draft_store_t *st = store_open_ok();
    session_draft_t *d = malloc(sizeof *d), *out = malloc(sizeof *out);
    draft_intl(d);
    char note[128];
    int64_t now = draft_wall_ms();
    /* A visitor typing: several saves, each a new copy of the page in the log. */
    for (int k = 0; k < 5; k++) {
        int n = snprintf(note, sizeof note, "Dear all, %s %d \xc3\xbc", MARKER, k);
        expect_rc("note", SESSION_OK, session_draft_note_set(d, note, (size_t)n));
        expect_rc("to", SESSION_OK, session_draft_to_set(d, MARKER, strlen(MARKER)));
        expect_rc("draft_save", 0, draft_save(st, SESSION_A, d, now + 60000));
    }
    ck_assert_msg(db_count(MARKER) > 0, "before expiry: expected the marker in the file bytes");
    char id[SESSION_ID_LEN + 1];
    expect_rc("a ms before expiry", 0, draft_load(st, now + 59999, out, id, NULL));
    expect_none(st, now + 60000, "at expiry");
    /* The module checkpointed with TRUNCATE; the bytes of both files are free of the text. */
    int in_db = file_count(db_path(), MARKER), in_wal = file_count(wal_path(), MARKER);
    ck_assert_msg(in_db == 0 && in_wal == 0,
                  "after expiry: expected the marker nowhere, got %d in the database, %d in the "
                  "log",
                  in_db, in_wal);
    expect_str("rows after expiry", "0", raw_value("SELECT count(*) FROM draft_note"));
    expect_none(st, now + 60000, "loaded again");
    free(d);
    free(out);
    draft_close(st);
    ck_assert_msg(db_count(MARKER) == 0, "after close: expected the marker nowhere");
}
END_TEST

START_TEST(clock_went_back)
{
    draft_store_t *st = store_open_ok();
    session_draft_t d;
    draft_intl(&d);
    int64_t now = draft_wall_ms();
    expect_rc("draft_save", 0, draft_save(st, SESSION_A, &d, now + 105000));
    expect_none(st, now - 60000, "a load a minute before the save");
    expect_str("rows", "0", raw_value("SELECT count(*) FROM draft_note"));
    draft_close(st);
}
END_TEST

START_TEST(wipe_now)
{
    static const char MARKER[] = "wipe-MARKER-91b3";
    draft_store_t *st = store_open_ok();
    expect_rc("wipe of nothing", 0, draft_wipe(st));
    session_draft_t d;
    draft_intl(&d);
    expect_rc("from", SESSION_OK, session_draft_from_set(&d, MARKER, strlen(MARKER)));
    int64_t now = draft_wall_ms();
    expect_rc("draft_save", 0, draft_save(st, SESSION_A, &d, now + 105000));
    expect_rc("draft_wipe", 0, draft_wipe(st));
    expect_none(st, now, "after the wipe");
    expect_str("rows", "0", raw_value("SELECT count(*) FROM draft_note"));
    expect_rc("marker in the files", 0, db_count(MARKER));
    expect_rc("wipe again", 0, draft_wipe(st));
    draft_close(st);
}
END_TEST

START_TEST(save_refuses_bad_input)
{
    draft_store_t *st = store_open_ok();
    session_draft_t d;
    draft_intl(&d);
    int64_t now = draft_wall_ms();
    expect_rc("uppercase id", -1,
              draft_save(st, "0123456789ABCDEF0123456789abcdef", &d, now + 1000));
    expect_rc("short id", -1, draft_save(st, "abc", &d, now + 1000));
    expect_rc("no id", -1, draft_save(st, NULL, &d, now + 1000));
    expect_rc("no draft", -1, draft_save(st, SESSION_A, NULL, now + 1000));
    expect_rc("expired already", -1, draft_save(st, SESSION_A, &d, now - 1));
    expect_rc("too far ahead", -1, draft_save(st, SESSION_A, &d, now + DRAFT_TTL_MAX_MS + 60000));
    session_draft_t bad = d;
    bad.ink = 5;
    expect_rc("ink 5", -1, draft_save(st, SESSION_A, &bad, now + 1000));
    bad = d;
    memcpy(bad.note, "\xc3(", 3);
    expect_rc("bad UTF-8", -1, draft_save(st, SESSION_A, &bad, now + 1000));
    expect_none(st, now, "after refused saves");
    draft_close(st);
}
END_TEST

START_TEST(survives_a_crash)
{
    session_draft_t d;
    draft_intl(&d);
    int64_t now = draft_wall_ms();
    pid_t pid = fork();
    ck_assert_msg(pid >= 0, "fork failed");
    if (pid == 0) {
        /* The kiosk dies right after a save: no close, no checkpoint, no atexit. */
        draft_store_t *st = draft_open(db_path());
        int bad = !st || draft_save(st, SESSION_A, &d, now + 105000) != 0;
        _exit(bad);
    }
    int status;
    ck_assert_int_eq(waitpid(pid, &status, 0), pid);
    ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0,
                  "child: expected a clean save, got status %d", status);
    struct stat sb;
    ck_assert_msg(stat(wal_path(), &sb) == 0 && sb.st_size > 0,
                  "after the crash: expected the save in a non-empty -wal file");
    draft_store_t *st = store_open_ok();
    session_draft_t out;
    char id[SESSION_ID_LEN + 1];
    int64_t expires = 0;
    expect_rc("draft_load after the crash", 0, draft_load(st, draft_wall_ms(), &out, id, &expires));
    expect_draft(&d, &out);
    expect_str("session id", SESSION_A, id);
    expect_i64("expires", now + 105000, expires);
    /* The session resumes with the time it had left. */
    session_t *s = create_ok(T0);
    expect_rc("restore", SESSION_OK,
              session_restore(s, T0, id, &out, expires - draft_wall_ms(), IDLE, STILL));
    ck_assert_msg(session_countdown_ms(s, T0, IDLE, STILL) <= 105000 &&
                      session_countdown_ms(s, T0, IDLE, STILL) > 90000,
                  "restored countdown: expected just under 105000, got %" PRId64,
                  session_countdown_ms(s, T0, IDLE, STILL));
    session_free(s);
    draft_close(st);
}
END_TEST

START_TEST(wal_and_full_sync)
{
    testsqlite_sync_count_install();
    draft_store_t *st = store_open_ok();
    struct stat sb;
    ck_assert_msg(stat(testutil_path("state"), &sb) == 0 && (sb.st_mode & 0777) == 0700,
                  "state directory: expected mode 0700, got %o", sb.st_mode & 0777);
    session_draft_t d;
    draft_intl(&d);
    int64_t now = draft_wall_ms();
    for (int k = 0; k < 3; k++) {
        testsqlite_syncs_reset();
        expect_rc("draft_save", 0, draft_save(st, SESSION_A, &d, now + 105000));
        ck_assert_msg(testsqlite_syncs() >= 1,
                      "syncs during save %d: expected >= 1 (synchronous=FULL), got %d", k,
                      testsqlite_syncs());
    }
    testsqlite_syncs_reset();
    expect_rc("draft_wipe", 0, draft_wipe(st));
    ck_assert_msg(testsqlite_syncs() >= 1, "syncs during a wipe: expected >= 1, got %d",
                  testsqlite_syncs());
    expect_str("journal_mode", "wal", raw_value("PRAGMA journal_mode"));
    expect_str("draft schema", "1", raw_value("SELECT value FROM draft_meta WHERE key = 'schema'"));
    expect_str("user_version", "0", raw_value("PRAGMA user_version"));
    draft_close(st);
}
END_TEST

static void queue_add_ok(queue_t *q)
{
    static const uint8_t DOC[] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
    queue_card_t c = {
        .fonts = {.font = "/fonts/Kristi.ttf"},
        .spec = {.format = CARD_A6, .dpi = 300, .seed = 7},
        .content = {.post_url = "https://example.org/p/1",
                    .to = "J\xc3\xbcrgen",
                    .from = "Anna",
                    .note = "Danke",
                    .note_len = 5,
                    .lang = CARD_LANG_DE},
    };
    int64_t id = -1;
    expect_rc("queue_job_add", 0, queue_job_add(q, &c, NULL, SESSION_A, DOC, sizeof DOC, &id));
}

START_TEST(shares_file_with_queue_and_ledger)
{
    queue_t *q = queue_open(db_path());
    ck_assert_msg(q != NULL, "queue_open: expected a queue");
    ledger_t *l = ledger_open(db_path());
    ck_assert_msg(l != NULL, "ledger_open: expected a ledger");
    draft_store_t *st = store_open_ok();
    queue_add_ok(q);
    ledger_post_t p = {.id = "p1", .title = "One", .link = "https://example.org/p/1"};
    expect_rc("ledger_post_upsert", 0, ledger_post_upsert(l, &p));
    expect_rc("ledger_record", 0, ledger_record(l, "p1", LEDGER_LIKE, SESSION_A, NULL, NULL));
    session_draft_t d, out;
    draft_intl(&d);
    int64_t now = draft_wall_ms();
    expect_rc("draft_save", 0, draft_save(st, SESSION_A, &d, now + 105000));
    char id[SESSION_ID_LEN + 1];
    expect_rc("draft_load", 0, draft_load(st, draft_wall_ms(), &out, id, NULL));
    expect_draft(&d, &out);
    /* The wipe and its checkpoint leave the others' rows alone. */
    expect_rc("draft_wipe", 0, draft_wipe(st));
    int64_t count = -1, counts[LEDGER_RUNGS];
    expect_rc("queue_job_count", 0, queue_job_count(q, 0, &count));
    expect_i64("queued jobs", 1, count);
    expect_rc("ledger_counts", 0, ledger_counts(l, "p1", counts));
    expect_i64("likes", 1, counts[LEDGER_LIKE]);
    expect_rc("draft_save after the wipe", 0, draft_save(st, SESSION_A, &d, now + 105000));
    draft_close(st);
    ledger_close(l);
    queue_close(q);
    expect_str("user_version (the queue's)", "3", raw_value("PRAGMA user_version"));
    expect_str("ledger schema", "1",
               raw_value("SELECT value FROM ledger_meta WHERE key = 'schema'"));
    expect_str("draft schema", "1", raw_value("SELECT value FROM draft_meta WHERE key = 'schema'"));
    /* Reopened in the other order, everything is still there. */
    st = store_open_ok();
    q = queue_open(db_path());
    ck_assert_msg(q != NULL, "queue_open again: expected a queue");
    expect_rc("draft_load after reopening", 0, draft_load(st, draft_wall_ms(), &out, id, NULL));
    expect_draft(&d, &out);
    expect_rc("queue_job_count again", 0, queue_job_count(q, 0, &count));
    expect_i64("queued jobs again", 1, count);
    queue_close(q);
    draft_close(st);
}
END_TEST

/* Each damage to the saved row; every one is wiped and reported as no draft. */
static const char *const DAMAGE[] = {
    "UPDATE draft_note SET note = x'48656c6c6f'",                        /* a blob */
    "UPDATE draft_note SET post_id = x'7031'",                           /* a blob */
    "UPDATE draft_note SET note = NULL",                                 /* missing */
    "UPDATE draft_note SET note = CAST(x'c328' AS TEXT)",                /* bad UTF-8 */
    "UPDATE draft_note SET note = CAST(x'eda080' AS TEXT)",              /* a surrogate */
    "UPDATE draft_note SET note = 'a' || char(0) || 'b'",                /* a NUL inside */
    "UPDATE draft_note SET note = 'esc' || char(27)",                    /* a control */
    "UPDATE draft_note SET note = substr(hex(zeroblob(5000)), 1, 8001)", /* 8001 bytes */
    "UPDATE draft_note SET note = substr(hex(zeroblob(1001)), 1, 2001)", /* 2001 code points */
    "UPDATE draft_note SET to_name = 'two' || char(10) || 'lines'",
    "UPDATE draft_note SET to_name = substr(hex(zeroblob(40)), 1, 61)",
    "UPDATE draft_note SET from_name = x'00'",
    "UPDATE draft_note SET from_name = CAST(x'ff' AS TEXT)",
    "UPDATE draft_note SET post_id = substr(hex(zeroblob(600)), 1, 1025)",
    "UPDATE draft_note SET post_id = NULL",
    "UPDATE draft_note SET session = 'not-a-session'",
    "UPDATE draft_note SET session = upper(session)",
    "UPDATE draft_note SET session = NULL",
    "UPDATE draft_note SET session = x'30313233343536373839616263646566"
    "30313233343536373839616263646566'",
    "UPDATE draft_note SET expires_ms = 'soon'",
    "UPDATE draft_note SET expires_ms = NULL",
    "UPDATE draft_note SET expires_ms = 1.5e15",
    "UPDATE draft_note SET expires_ms = saved_ms + 365 * 86400000", /* a year ahead */
    "UPDATE draft_note SET saved_ms = 'then'",
    "UPDATE draft_note SET font = 3",
    "UPDATE draft_note SET font = -1",
    "UPDATE draft_note SET font = 'one'",
    "UPDATE draft_note SET ink = 1.5",
    "UPDATE draft_note SET format = 4",
    "UPDATE draft_note SET lang = NULL",
    "UPDATE draft_note SET lang = 9223372036854775807",
    "UPDATE draft_note SET id = 2",
    "INSERT INTO draft_note SELECT 2, session, saved_ms, expires_ms, post_id, note, to_name,"
    " from_name, font, ink, format, lang FROM draft_note",
};

START_TEST(damaged_row_wiped)
{
    draft_store_t *st = store_open_ok();
    session_draft_t d;
    draft_intl(&d);
    int64_t now = draft_wall_ms();
    expect_rc("draft_save", 0, draft_save(st, SESSION_A, &d, now + 105000));
    raw_exec(DAMAGE[_i]);
    expect_none(st, draft_wall_ms(), DAMAGE[_i]);
    expect_str("rows after a damaged load", "0", raw_value("SELECT count(*) FROM draft_note"));
    /* The store works on. */
    expect_rc("draft_save after", 0, draft_save(st, SESSION_A, &d, now + 105000));
    session_draft_t out;
    char id[SESSION_ID_LEN + 1];
    expect_rc("draft_load after", 0, draft_load(st, draft_wall_ms(), &out, id, NULL));
    draft_close(st);
}
END_TEST

START_TEST(newer_schema_refused)
{
    draft_close(store_open_ok());
    raw_exec("UPDATE draft_meta SET value = 2 WHERE key = 'schema'");
    ck_assert_msg(draft_open(db_path()) == NULL, "draft schema 2: expected NULL");
    raw_exec("UPDATE draft_meta SET value = 'one' WHERE key = 'schema'");
    ck_assert_msg(draft_open(db_path()) == NULL, "draft schema 'one': expected NULL");
    raw_exec("UPDATE draft_meta SET value = 1 WHERE key = 'schema'");
    draft_close(store_open_ok());
}
END_TEST

START_TEST(other_shape_and_bad_paths_refused)
{
    mkdir(testutil_path("state"), 0700);
    raw_exec("CREATE TABLE draft_note (k TEXT)");
    ck_assert_msg(draft_open(db_path()) == NULL, "a draft_note of another shape: expected NULL");
    testutil_file_put(testutil_path("plain"), "a file\n");
    ck_assert_msg(draft_open(testutil_path("plain/sub/x.db")) == NULL,
                  "under a plain file: expected NULL");
    ck_assert_msg(draft_open("") == NULL, "\"\": expected NULL");
    ck_assert_msg(draft_open(NULL) == NULL, "NULL: expected NULL");
    draft_close(NULL);
}
END_TEST

/* The database file cut at offset _i * size / 48 (with a few bytes' jitter): opening and loading
 * may fail, but never crash. */
START_TEST(truncated_file_no_crash)
{
    queue_t *q = queue_open(db_path());
    ck_assert_msg(q != NULL, "queue_open: expected a queue");
    queue_add_ok(q);
    queue_close(q);
    draft_store_t *st = store_open_ok();
    session_draft_t *d = malloc(sizeof *d), *out = malloc(sizeof *out);
    draft_intl(d);
    char *note = repeat("\xc3\xbc", 1500); /* 3000 bytes: overflow pages */
    expect_rc("note", SESSION_OK, session_draft_note_set(d, note, strlen(note)));
    free(note);
    int64_t now = draft_wall_ms();
    expect_rc("draft_save", 0, draft_save(st, SESSION_A, d, now + 105000));
    draft_close(st); /* the last close checkpoints: the whole database is in the one file */
    size_t size;
    uint8_t *whole = testutil_file_get(db_path(), &size);
    size_t cut = size * (size_t)_i / 48 + (size_t)(_i % 3) * 7;
    cut = cut > size ? size : cut;
    testutil_file_write(testutil_path("cut.db"), whole, cut);
    free(whole);
    st = draft_open(testutil_path("cut.db"));
    if (st) {
        char id[SESSION_ID_LEN + 1];
        int rc = draft_load(st, draft_wall_ms(), out, id, NULL);
        ck_assert_msg(rc == 0 || rc == DRAFT_NONE || rc == -1, "load: expected 0, 1 or -1, got %d",
                      rc);
        if (rc == 0) {
            expect_draft(d, out);
        }
        (void)draft_save(st, SESSION_A, d, now + 105000);
        (void)draft_wipe(st);
        draft_close(st);
    }
    ck_assert_msg(_i != 0 || st != NULL, "an empty file: expected a fresh store");
    free(d);
    free(out);
}
END_TEST

static TCase *tcase_plain(Suite *s, const char *name)
{
    TCase *tc = tcase_create(name);
    suite_add_tcase(s, tc);
    return tc;
}

static TCase *tcase_fixed(Suite *s, const char *name)
{
    TCase *tc = tcase_plain(s, name);
    tcase_add_checked_fixture(tc, setup, testutil_tmpdir_remove);
    return tc;
}

static Suite *session_suite(void)
{
    Suite *s = suite_create("session");
    TCase *tc = tcase_plain(s, "idle timer");
    tcase_add_test(tc, state_at_exact_boundaries);
    tcase_add_test(tc, countdown_values);
    tcase_add_test(tc, activity_resets_the_timer);
    tcase_add_test(tc, no_prompt_and_odd_timeouts);

    tc = tcase_plain(s, "ids and wiping");
    tcase_add_test(tc, ids_are_hex_and_unique);
    tcase_add_test(tc, id_validation);
    tcase_add_test(tc, new_session_wipes_everything);
    tcase_add_test(tc, shorter_text_wipes_the_rest);
    tcase_add_test(tc, restore_keeps_the_deadline);

    tc = tcase_plain(s, "draft input checks");
    tcase_add_loop_test(tc, text_checked, 0, (int)(sizeof TEXTS / sizeof TEXTS[0]));
    tcase_add_loop_test(tc, length_checked, 0, (int)(sizeof LENGTHS / sizeof LENGTHS[0]));
    tcase_add_test(tc, choices_checked);
    tcase_add_test(tc, whole_draft_checked);

    tc = tcase_fixed(s, "autosave round trip");
    tcase_add_test(tc, round_trip);
    tcase_add_test(tc, save_refuses_bad_input);

    tc = tcase_fixed(s, "expiry and wiping");
    tcase_add_test(tc, expired_draft_gone_from_the_file);
    tcase_add_test(tc, clock_went_back);
    tcase_add_test(tc, wipe_now);

    tc = tcase_fixed(s, "crash and durability");
    tcase_add_test(tc, survives_a_crash);
    tcase_add_test(tc, wal_and_full_sync);

    tc = tcase_fixed(s, "shared file with the queue and the ledger");
    tcase_add_test(tc, shares_file_with_queue_and_ledger);

    tc = tcase_fixed(s, "damaged rows");
    tcase_add_loop_test(tc, damaged_row_wiped, 0, (int)(sizeof DAMAGE / sizeof DAMAGE[0]));

    tc = tcase_fixed(s, "schema and opening");
    tcase_add_test(tc, newer_schema_refused);
    tcase_add_test(tc, other_shape_and_bad_paths_refused);

    tc = tcase_fixed(s, "truncated database file");
    tcase_add_loop_test(tc, truncated_file_no_crash, 0, 49);
    return s;
}

int main(void)
{
    return testutil_suite_run(session_suite());
}
