/* check_queue.c - the durable print queue: round trips, durability settings, the state machine,
 * the worker's order, limits, the people's commands, two connections at once, and damaged or
 * truncated databases. Each test runs in its own forked child with its own temporary directory;
 * damage is done through a raw sqlite3 connection to the same file. */
#include "likeletter/layout.h"
#include "likeletter/queue.h"
#include "testsqlite.h"
#include "testutil.h"

#include <check.h>
#include <inttypes.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* "Many thanks for the lovely greetings!" with umlauts and a line break. */
static const char NOTE[] = "Vielen Dank f\xc3\xbcr die sch\xc3\xb6nen Gr\xc3\xbc\xc3\x9f"
                           "e!\n\xc3\x84rger gibt es nie.";
static const uint8_t DOC[] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n', 0x00, 0xFF, 0x00, 0x7F};

static void setup(void)
{
    testutil_tmpdir_make("check_queue");
}

/* The database, one directory down so queue_open() has to make it. */
static const char *db_path(void)
{
    return testutil_path("state/queue.db");
}

static queue_card_t card_sample(void)
{
    queue_card_t c = {
        .fonts = {.font = "/fonts/Kristi.ttf", .fallback = "/fonts/DejaVuSans.ttf"},
        .spec = {.format = CARD_5X7,
                 .dpi = 600,
                 .seed = UINT64_C(0xFFFFFFFFFFFFFFFF),
                 .plain = true,
                 .border = true,
                 .ink = 0x1B2A4A,
                 .em_mm = 6.25,
                 .min_em_mm = 4.5,
                 .ornament = "/assets/ornament-sprig.png"},
        .content = {.post_url = "https://example.org/p/1",
                    .post_title = "A walk by the Rhein",
                    .to = "J\xc3\xbcrgen",
                    .from = "Anna",
                    .note = NOTE,
                    .note_len = sizeof NOTE - 1,
                    .date = "2024-05-17",
                    .lang = CARD_LANG_DE,
                    .salutation = "Lieber"},
    };
    return c;
}

#define expect_rc(what, want, got)                                                                 \
    do {                                                                                           \
        int want_ = (want), got_ = (got);                                                          \
        ck_assert_msg(want_ == got_, "%s: expected %d, got %d", (what), want_, got_);              \
    } while (0)

#define expect_str(what, want, got)                                                                \
    ck_assert_msg(strcmp((want), (got)) == 0, "%s: expected \"%s\", got \"%s\"", (what), (want),   \
                  (got))

static queue_t *open_ok(void)
{
    queue_t *q = queue_open(db_path());
    ck_assert_msg(q != NULL, "queue_open(%s): expected a queue, got NULL", db_path());
    return q;
}

/* Adds the sample card for session; returns its id. */
static int64_t add_ok(queue_t *q, const char *session)
{
    queue_card_t c = card_sample();
    int64_t id = -1;
    int rc = queue_job_add(q, &c, "ipp://localhost/ipp/print", session, DOC, sizeof DOC, &id);
    ck_assert_msg(rc == 0, "queue_job_add: expected 0, got %d", rc);
    ck_assert_msg(id > 0, "queue_job_add: expected an id > 0, got %" PRId64, id);
    return id;
}

static queue_state_t state_of(queue_t *q, int64_t id)
{
    queue_job_t job;
    int rc = queue_job_get(q, id, false, &job);
    ck_assert_msg(rc == 0, "queue_job_get(%" PRId64 "): expected 0, got %d", id, rc);
    queue_state_t s = job.state;
    queue_job_clear(&job);
    return s;
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

static int64_t wall_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* ---- round trip ---- */

static void expect_card_equal(const queue_card_t *want, const queue_card_t *got)
{
    expect_str("font", want->fonts.font, got->fonts.font);
    expect_str("fallback", want->fonts.fallback, got->fonts.fallback);
    ck_assert_msg(want->spec.format == got->spec.format, "format: expected %d, got %d",
                  want->spec.format, got->spec.format);
    ck_assert_int_eq(want->spec.dpi, got->spec.dpi);
    ck_assert_msg(want->spec.seed == got->spec.seed, "seed: expected %" PRIx64 ", got %" PRIx64,
                  want->spec.seed, got->spec.seed);
    ck_assert_msg(want->spec.plain == got->spec.plain && want->spec.border == got->spec.border,
                  "plain/border: expected %d/%d, got %d/%d", want->spec.plain, want->spec.border,
                  got->spec.plain, got->spec.border);
    ck_assert_msg(want->spec.ink == got->spec.ink, "ink: expected %06x, got %06x", want->spec.ink,
                  got->spec.ink);
    ck_assert_msg(want->spec.em_mm == got->spec.em_mm &&
                      want->spec.min_em_mm == got->spec.min_em_mm,
                  "em: expected %g/%g, got %g/%g", want->spec.em_mm, want->spec.min_em_mm,
                  got->spec.em_mm, got->spec.min_em_mm);
    expect_str("post_url", want->content.post_url, got->content.post_url);
    expect_str("post_title", want->content.post_title, got->content.post_title);
    expect_str("to", want->content.to, got->content.to);
    expect_str("from", want->content.from, got->content.from);
    ck_assert_msg(got->content.note_len == want->content.note_len &&
                      memcmp(got->content.note, want->content.note, want->content.note_len) == 0,
                  "note: expected %zu bytes \"%s\", got %zu bytes", want->content.note_len,
                  want->content.note, got->content.note_len);
    ck_assert_msg(got->content.note[got->content.note_len] == '\0',
                  "note: expected a NUL after it");
    expect_str("date", want->content.date, got->content.date);
    ck_assert_int_eq(want->content.lang, got->content.lang);
    expect_str("ornament", want->spec.ornament, got->spec.ornament);
    expect_str("salutation", want->content.salutation, got->content.salutation);
}

START_TEST(add_get_every_field)
{
    queue_t *q = open_ok();
    queue_card_t c = card_sample();
    int64_t before = wall_ms(), id;
    expect_rc("add", 0,
              queue_job_add(q, &c, "ipp://localhost/ipp/print", "s-1", DOC, sizeof DOC, &id));
    int64_t after = wall_ms();
    queue_job_t job;
    expect_rc("get with document", 0, queue_job_get(q, id, true, &job));
    ck_assert_msg(job.id == id, "id: expected %" PRId64 ", got %" PRId64, id, job.id);
    ck_assert_int_eq(job.state, QUEUE_QUEUED);
    expect_card_equal(&c, &job.card);
    expect_str("printer", "ipp://localhost/ipp/print", job.printer);
    expect_str("session", "s-1", job.session);
    ck_assert_msg(job.attempts == 0 && job.printer_job_id == 0,
                  "attempts/printer job: expected "
                  "0/0, got %d/%d",
                  job.attempts, job.printer_job_id);
    expect_str("reason", "", job.reason);
    expect_str("message", "", job.message);
    ck_assert_msg(job.created_ms >= before && job.created_ms <= after,
                  "created_ms: expected %" PRId64 "..%" PRId64 ", got %" PRId64, before, after,
                  job.created_ms);
    ck_assert_msg(job.updated_ms == job.created_ms && job.next_attempt_ms == job.created_ms,
                  "updated/next attempt: expected both %" PRId64, job.created_ms);
    ck_assert_msg(job.document_len == sizeof DOC && memcmp(job.document, DOC, sizeof DOC) == 0,
                  "document: expected %zu bytes as added, got %zu", sizeof DOC, job.document_len);
    queue_job_clear(&job);
    ck_assert_msg(job.storage_ == NULL && job.id == 0, "queue_job_clear: expected a zeroed job");

    expect_rc("get without document", 0, queue_job_get(q, id, false, &job));
    ck_assert_msg(job.document == NULL && job.document_len == 0,
                  "document: expected none, got %zu bytes", job.document_len);
    expect_card_equal(&c, &job.card);
    queue_job_clear(&job);
    queue_job_clear(&job); /* a zeroed job is accepted */
    queue_close(q);
    queue_close(NULL);
}
END_TEST

START_TEST(optional_strings_stay_null)
{
    queue_t *q = open_ok();
    queue_card_t c = card_sample();
    c.fonts.fallback = NULL;
    c.content.post_title = NULL;
    c.content.date = NULL;
    c.spec.ornament = NULL;
    c.content.salutation = NULL;
    c.spec.seed = 0;
    c.spec.em_mm = 0;
    c.spec.min_em_mm = 0;
    int64_t id;
    expect_rc("add", 0, queue_job_add(q, &c, NULL, NULL, DOC, 1, &id));
    queue_job_t job;
    expect_rc("get", 0, queue_job_get(q, id, true, &job));
    ck_assert_msg(
        !job.card.fonts.fallback && !job.card.content.post_title && !job.card.content.date &&
            !job.card.spec.ornament && !job.card.content.salutation,
        "fallback, title, date: expected NULL, got %p %p %p", (const void *)job.card.fonts.fallback,
        (const void *)job.card.content.post_title, (const void *)job.card.content.date);
    expect_str("printer", "", job.printer);
    expect_str("session", "", job.session);
    ck_assert_msg(job.document_len == 1 && job.document[0] == DOC[0], "document: expected 1 byte");
    queue_job_clear(&job);
    queue_close(q);
}
END_TEST

/* Each case breaks one input of queue_job_add(); all are refused with -1, nothing added. */
START_TEST(add_refuses_bad_input)
{
    static char long_name[CARD_NAME_MAX + 2], long_title[CARD_TITLE_MAX + 2];
    static char long_printer[QUEUE_PRINTER_MAX + 1], long_session[QUEUE_SESSION_MAX + 1];
    memset(long_name, 'n', sizeof long_name - 1);
    memset(long_title, 't', sizeof long_title - 1);
    memset(long_printer, 'p', sizeof long_printer - 1);
    memset(long_session, 's', sizeof long_session - 1);
    queue_card_t c = card_sample();
    const char *printer = NULL, *session = NULL;
    const uint8_t *doc = DOC;
    size_t doc_len = sizeof DOC;
    switch (_i) {
    case 0:
        c.content.to = NULL;
        break;
    case 1:
        c.content.to = "";
        break;
    case 2:
        c.content.from = long_name;
        break;
    case 3:
        c.content.post_title = long_title;
        break;
    case 4:
        c.content.note = NULL;
        break;
    case 5:
        c.content.note_len = 0;
        break;
    case 6:
        c.content.note_len = LAYOUT_MAX_BYTES + 1;
        break;
    case 7:
        printer = long_printer;
        break;
    case 8:
        session = long_session;
        break;
    case 9:
        doc = NULL;
        break;
    case 10:
        doc_len = 0;
        break;
    case 11:
        c.spec.dpi = CARD_DPI_MIN - 1;
        break;
    case 12:
        c.spec.format = (card_format_t)4;
        break;
    case 13:
        c.content.lang = (card_lang_t)3;
        break;
    case 14:
        c.spec.em_mm = 31;
        break;
    case 15:
        c.content.date = "2024-13-01";
        break;
    case 16:
        c.fonts.font = NULL;
        break;
    case 17:
        c.content.post_url = NULL;
        break;
    case 18:
        c.spec.ink = 0x1000000;
        break;
    case 19:
        c.spec.min_em_mm = 8;
        c.spec.em_mm = 7;
        break;
    default:
        doc_len = QUEUE_DOCUMENT_MAX + 1u;
        break;
    }
    static char long_note[LAYOUT_MAX_BYTES + 1];
    if (_i == 6) {
        memset(long_note, 'x', sizeof long_note);
        c.content.note = long_note;
    }
    queue_t *q = open_ok();
    int64_t id = -7, n = -1;
    ck_assert_msg(queue_job_add(q, &c, printer, session, doc, doc_len, &id) == -1,
                  "bad input case %d: expected -1", _i);
    ck_assert_msg(id == -7, "bad input case %d: expected *id untouched, got %" PRId64, _i, id);
    expect_rc("count", 0, queue_job_count(q, 0, &n));
    ck_assert_msg(n == 0, "bad input case %d: expected no job, got %" PRId64, _i, n);
    queue_close(q);
}
END_TEST

/* Long reasons and messages are cut at a character boundary, never refused. */
START_TEST(reason_and_message_cut_at_utf8_boundary)
{
    char reason[200] = "", message[1200] = "";
    for (int k = 0; k < 90; k++) {
        strcat(reason, "\xc3\xa4"); /* ä, two bytes: the cut at 63 would split one */
    }
    for (int k = 0; k < 300; k++) {
        strcat(message, "\xe2\x82\xac"); /* €, three bytes */
    }
    queue_t *q = open_ok();
    int64_t id = add_ok(q, NULL);
    expect_rc("status", 0, queue_job_status(q, id, reason, message));
    queue_job_t job;
    expect_rc("get", 0, queue_job_get(q, id, false, &job));
    ck_assert_msg(strlen(job.reason) == 62 && memcmp(job.reason, reason, 62) == 0,
                  "reason: expected the first 31 characters (62 bytes), got %zu bytes",
                  strlen(job.reason));
    ck_assert_msg(strlen(job.message) == 510 && memcmp(job.message, message, 510) == 0,
                  "message: expected the first 170 characters (510 bytes), got %zu bytes",
                  strlen(job.message));
    queue_job_clear(&job);
    expect_rc("status clears", 0, queue_job_status(q, id, "", NULL));
    expect_rc("get", 0, queue_job_get(q, id, false, &job));
    ck_assert_msg(job.reason[0] == '\0' && job.message[0] == '\0',
                  "reason/message: expected \"\", got \"%s\"/\"%s\"", job.reason, job.message);
    queue_job_clear(&job);
    queue_close(q);
}
END_TEST

/* ---- durability ---- */

START_TEST(wal_and_full_sync)
{
    testsqlite_sync_count_install();
    queue_t *q = open_ok();
    struct stat st;
    ck_assert_msg(stat(testutil_path("state"), &st) == 0 && (st.st_mode & 0777) == 0700,
                  "state directory: expected mode 0700, got %o", st.st_mode & 0777);
    testsqlite_syncs_reset();
    add_ok(q, NULL);
    ck_assert_msg(testsqlite_syncs() >= 1,
                  "syncs during one add: expected >= 1 (synchronous=FULL), got %d",
                  testsqlite_syncs());
    testsqlite_syncs_reset();
    expect_rc("submitting", 0, queue_job_submitting(q, 1));
    ck_assert_msg(testsqlite_syncs() >= 1, "syncs during a transition: expected >= 1, got %d",
                  testsqlite_syncs());
    expect_str("journal_mode", "wal", raw_value("PRAGMA journal_mode"));
    expect_str("user_version", "3", raw_value("PRAGMA user_version"));
    queue_close(q);
}
END_TEST

START_TEST(survives_close_and_reopen)
{
    queue_t *q = open_ok();
    int64_t a = add_ok(q, NULL), b = add_ok(q, "s");
    expect_rc("submitting", 0, queue_job_submitting(q, a));
    expect_rc("submitted", 0, queue_job_submitted(q, a, 314));
    queue_close(q);
    q = open_ok();
    queue_job_t job;
    expect_rc("get a", 0, queue_job_get(q, a, true, &job));
    ck_assert_msg(job.state == QUEUE_SUBMITTED && job.printer_job_id == 314 && job.attempts == 1,
                  "job a: expected submitted, printer job 314, 1 attempt; got %s, %d, %d",
                  queue_state_name(job.state), job.printer_job_id, job.attempts);
    queue_job_clear(&job);
    ck_assert_int_eq(state_of(q, b), QUEUE_QUEUED);
    queue_close(q);
}
END_TEST

/* ---- transitions ---- */

enum {
    T_SUBMITTING,
    T_SUBMITTED,
    T_COMPLETED,
    T_REQUEUE,
    T_FAILED,
    T_STATUS,
    T_CANCEL,
    T_RETRY,
    T_COUNT
};

static const char *const T_NAMES[T_COUNT] = {"submitting", "submitted", "completed", "requeue",
                                             "failed",     "status",    "cancel",    "retry"};

/* The states each transition leaves (bit mask) and the state it makes (-1: unchanged). */
static const struct {
    unsigned from;
    int to;
} T_RULES[T_COUNT] = {
    [T_SUBMITTING] = {1u << QUEUE_QUEUED, QUEUE_SUBMITTING},
    [T_SUBMITTED] = {1u << QUEUE_SUBMITTING, QUEUE_SUBMITTED},
    [T_COMPLETED] = {1u << QUEUE_SUBMITTING | 1u << QUEUE_SUBMITTED, QUEUE_COMPLETED},
    [T_REQUEUE] = {1u << QUEUE_SUBMITTING | 1u << QUEUE_SUBMITTED, QUEUE_QUEUED},
    [T_FAILED] = {7u, QUEUE_FAILED},
    [T_STATUS] = {7u, -1},
    [T_CANCEL] = {7u, QUEUE_CANCELED},
    [T_RETRY] = {1u << QUEUE_FAILED | 1u << QUEUE_CANCELED, QUEUE_QUEUED},
};

static int transition(queue_t *q, int t, int64_t id)
{
    switch (t) {
    case T_SUBMITTING:
        return queue_job_submitting(q, id);
    case T_SUBMITTED:
        return queue_job_submitted(q, id, 77);
    case T_COMPLETED:
        return queue_job_completed(q, id);
    case T_REQUEUE:
        return queue_job_requeue(q, id, 1234, "media-empty", "Out of cards.");
    case T_FAILED:
        return queue_job_failed(q, id, "printer-gone", "Printer removed.");
    case T_STATUS:
        return queue_job_status(q, id, "media-low", "Few cards left.");
    case T_CANCEL:
        return queue_job_cancel(q, id);
    default:
        return queue_job_retry(q, id);
    }
}

/* A new job brought to state s by legal moves. */
static int64_t job_in_state(queue_t *q, queue_state_t s)
{
    int64_t id = add_ok(q, NULL);
    if (s == QUEUE_SUBMITTING || s == QUEUE_SUBMITTED || s == QUEUE_COMPLETED) {
        expect_rc("submitting", 0, queue_job_submitting(q, id));
    }
    if (s == QUEUE_SUBMITTED || s == QUEUE_COMPLETED) {
        expect_rc("submitted", 0, queue_job_submitted(q, id, 5));
    }
    if (s == QUEUE_COMPLETED) {
        expect_rc("completed", 0, queue_job_completed(q, id));
    }
    if (s == QUEUE_FAILED) {
        expect_rc("failed", 0, queue_job_failed(q, id, NULL, NULL));
    }
    if (s == QUEUE_CANCELED) {
        expect_rc("cancel", 0, queue_job_cancel(q, id));
    }
    ck_assert_int_eq(state_of(q, id), s);
    return id;
}

/* Loop index: start state * T_COUNT + transition. */
START_TEST(every_transition_from_every_state)
{
    queue_state_t from = (queue_state_t)(_i / T_COUNT);
    int t = _i % T_COUNT;
    queue_t *q = open_ok();
    queue_limits_set(q, 0, 0);
    int64_t id = job_in_state(q, from);
    queue_job_t before, after;
    expect_rc("get before", 0, queue_job_get(q, id, false, &before));
    bool legal = (T_RULES[t].from >> from) & 1u;
    int rc = transition(q, t, id);
    ck_assert_msg(rc == (legal ? 0 : QUEUE_WRONG_STATE), "%s from %s: expected %d, got %d",
                  T_NAMES[t], queue_state_name(from), legal ? 0 : QUEUE_WRONG_STATE, rc);
    expect_rc("get after", 0, queue_job_get(q, id, false, &after));
    int want = legal && T_RULES[t].to >= 0 ? T_RULES[t].to : (int)from;
    ck_assert_msg((int)after.state == want, "%s from %s: expected state %s, got %s", T_NAMES[t],
                  queue_state_name(from), queue_state_name((queue_state_t)want),
                  queue_state_name(after.state));
    if (!legal) {
        ck_assert_msg(after.updated_ms == before.updated_ms && after.attempts == before.attempts &&
                          strcmp(after.reason, before.reason) == 0,
                      "%s from %s: expected the job unchanged", T_NAMES[t], queue_state_name(from));
    }
    queue_job_clear(&before);
    queue_job_clear(&after);
    queue_close(q);
}
END_TEST

START_TEST(transitions_set_their_fields)
{
    queue_t *q = open_ok();
    queue_limits_set(q, 0, 0);
    int64_t id = add_ok(q, NULL);
    queue_job_t job;
    expect_rc("submitting", 0, queue_job_submitting(q, id));
    expect_rc("submitted", 0, queue_job_submitted(q, id, 42));
    expect_rc("requeue", 0, queue_job_requeue(q, id, 987654321, "media-empty", "Load cards."));
    expect_rc("get", 0, queue_job_get(q, id, false, &job));
    ck_assert_msg(job.state == QUEUE_QUEUED && job.next_attempt_ms == 987654321 &&
                      job.printer_job_id == 0 && job.attempts == 1,
                  "after requeue: expected queued, next 987654321, printer job 0, 1 attempt; got "
                  "%s, %" PRId64 ", %d, %d",
                  queue_state_name(job.state), job.next_attempt_ms, job.printer_job_id,
                  job.attempts);
    expect_str("reason", "media-empty", job.reason);
    expect_str("message", "Load cards.", job.message);
    queue_job_clear(&job);
    expect_rc("submitting again", 0, queue_job_submitting(q, id));
    expect_rc("failed", 0, queue_job_failed(q, id, "aborted", "The printer aborted it."));
    expect_rc("retry", 0, queue_job_retry(q, id));
    int64_t now = wall_ms();
    expect_rc("get", 0, queue_job_get(q, id, false, &job));
    ck_assert_msg(job.state == QUEUE_QUEUED && job.attempts == 2 && job.reason[0] == '\0' &&
                      job.message[0] == '\0' && job.next_attempt_ms <= now,
                  "after retry: expected queued, 2 attempts, no reason, due; got %s, %d, \"%s\", "
                  "%" PRId64 " vs now %" PRId64,
                  queue_state_name(job.state), job.attempts, job.reason, job.next_attempt_ms, now);
    queue_job_clear(&job);
    expect_rc("submitted with job id 0", -1, queue_job_submitted(q, id, 0));
    queue_close(q);
}
END_TEST

START_TEST(unknown_id_not_found)
{
    queue_t *q = open_ok();
    add_ok(q, NULL);
    for (int t = 0; t < T_COUNT; t++) {
        ck_assert_msg(transition(q, t, 9999) == QUEUE_NOT_FOUND, "%s of job 9999: expected %d",
                      T_NAMES[t], QUEUE_NOT_FOUND);
    }
    queue_job_t job;
    int64_t new_id = -3;
    expect_rc("get 9999", QUEUE_NOT_FOUND, queue_job_get(q, 9999, true, &job));
    expect_rc("reprint 9999", QUEUE_NOT_FOUND, queue_job_reprint(q, 9999, &new_id));
    ck_assert_msg(new_id == -3, "reprint 9999: expected *new_id untouched");
    queue_close(q);
}
END_TEST

/* ---- the worker's order ---- */

static int64_t next_id(queue_t *q, int64_t now, int want_rc, int64_t *wait)
{
    queue_job_t job;
    int rc = queue_job_next(q, now, &job, wait);
    ck_assert_msg(rc == want_rc, "queue_job_next: expected %d, got %d", want_rc, rc);
    int64_t id = job.id;
    if (rc == 0) {
        ck_assert_msg(job.document_len == sizeof DOC, "next: expected the document, got %zu bytes",
                      job.document_len);
    }
    queue_job_clear(&job);
    return id;
}

START_TEST(next_takes_active_then_oldest_due)
{
    queue_t *q = open_ok();
    queue_limits_set(q, 0, 0);
    int64_t wait = 0, now = wall_ms();
    next_id(q, now, QUEUE_NOT_FOUND, &wait);
    ck_assert_msg(wait == -1, "empty queue: expected wait -1, got %" PRId64, wait);
    int64_t a = add_ok(q, NULL), b = add_ok(q, NULL);
    ck_assert_msg(next_id(q, now + 1000, 0, NULL) == a, "expected the oldest queued job first");
    expect_rc("a submitting", 0, queue_job_submitting(q, a));
    ck_assert_msg(next_id(q, now + 1000, 0, NULL) == a, "expected submitting a before queued b");
    expect_rc("a submitted", 0, queue_job_submitted(q, a, 9));
    ck_assert_msg(next_id(q, now + 1000, 0, NULL) == a, "expected submitted a before queued b");
    expect_rc("a completed", 0, queue_job_completed(q, a));
    ck_assert_msg(next_id(q, now + 1000, 0, &wait) == b, "expected b once a is done");
    queue_close(q);
}
END_TEST

START_TEST(next_waits_for_older_job)
{
    queue_t *q = open_ok();
    queue_limits_set(q, 0, 0);
    int64_t now = wall_ms(), wait = 0;
    int64_t a = add_ok(q, NULL);
    expect_rc("a submitting", 0, queue_job_submitting(q, a));
    expect_rc("a requeue", 0, queue_job_requeue(q, a, now + 60000, "busy", ""));
    int64_t b = add_ok(q, NULL); /* due now, but newer than a */
    next_id(q, now, QUEUE_NOT_FOUND, &wait);
    ck_assert_msg(wait == 60000, "a not due: expected wait 60000, got %" PRId64, wait);
    ck_assert_msg(next_id(q, now + 60000, 0, NULL) == a, "expected a once due, before b");
    /* An active job comes first even when an older one is queued. */
    expect_rc("b submitting", 0, queue_job_submitting(q, b));
    ck_assert_msg(next_id(q, now, 0, NULL) == b, "expected submitting b before waiting a");
    queue_close(q);
}
END_TEST

/* ---- limits ---- */

START_TEST(per_session_limit)
{
    queue_t *q = open_ok();
    queue_card_t c = card_sample();
    int ok = 0, full = 0;
    for (int k = 0; k < 20; k++) {
        int64_t id;
        int rc = queue_job_add(q, &c, "", "kiosk-7", DOC, sizeof DOC, &id);
        ok += rc == 0;
        full += rc == QUEUE_FULL;
    }
    ck_assert_msg(ok == 1 && full == 19, "twenty taps: expected 1 added and 19 full, got %d and %d",
                  ok, full);
    int64_t n;
    expect_rc("count", 0, queue_job_count(q, 0, &n));
    ck_assert_msg(n == 1, "jobs: expected 1, got %" PRId64, n);
    add_ok(q, "kiosk-8"); /* another session */
    add_ok(q, NULL);      /* no session: only the overall limit */
    add_ok(q, "");
    expect_rc("job 1 cancel", 0, queue_job_cancel(q, 1));
    add_ok(q, "kiosk-7"); /* nothing pending for the session any more */
    queue_close(q);
}
END_TEST

START_TEST(overall_limit)
{
    queue_t *q = open_ok();
    queue_limits_set(q, 0, 3);
    queue_card_t c = card_sample();
    int64_t id;
    for (int k = 0; k < 3; k++) {
        add_ok(q, "same");
    }
    expect_rc("fourth add", QUEUE_FULL, queue_job_add(q, &c, NULL, NULL, DOC, sizeof DOC, &id));
    expect_rc("reprint when full", QUEUE_FULL, queue_job_reprint(q, 1, &id));
    expect_rc("submitting 1", 0, queue_job_submitting(q, 1));
    expect_rc("completed 1", 0, queue_job_completed(q, 1));
    add_ok(q, NULL);
    queue_limits_set(q, 0, 0);
    for (int k = 0; k < 5; k++) {
        add_ok(q, "same");
    }
    queue_close(q);
}
END_TEST

/* Processes tapping print at once for one session: the limit check and the insert are one
 * write transaction, so exactly one job gets in. */
START_TEST(per_session_limit_across_processes)
{
    enum { PROCS = 4, TAPS = 5 };
    queue_close(open_ok());
    pid_t pids[PROCS];
    for (int p = 0; p < PROCS; p++) {
        pids[p] = fork();
        ck_assert_msg(pids[p] >= 0, "fork failed");
        if (pids[p] == 0) {
            queue_t *w = queue_open(db_path());
            queue_card_t c = card_sample();
            int bad = !w;
            for (int k = 0; w && k < TAPS; k++) {
                int64_t id;
                int rc = queue_job_add(w, &c, NULL, "race", DOC, sizeof DOC, &id);
                bad |= rc != 0 && rc != QUEUE_FULL;
            }
            queue_close(w);
            _exit(bad);
        }
    }
    for (int p = 0; p < PROCS; p++) {
        int status;
        ck_assert_msg(waitpid(pids[p], &status, 0) == pids[p] && WIFEXITED(status) &&
                          WEXITSTATUS(status) == 0,
                      "process %d: expected only 0 and QUEUE_FULL", p);
    }
    queue_t *q = open_ok();
    int64_t n;
    expect_rc("count", 0, queue_job_count(q, 0, &n));
    ck_assert_msg(n == 1, "jobs after %d processes tapped %d times: expected 1, got %" PRId64,
                  PROCS, TAPS, n);
    queue_close(q);
}
END_TEST

/* ---- for people ---- */

START_TEST(reprint_copies_card_and_document)
{
    queue_t *q = open_ok();
    int64_t a = add_ok(q, "kiosk-1"), b = -1;
    expect_rc("reprint while pending", QUEUE_FULL, queue_job_reprint(q, a, &b));
    expect_rc("submitting", 0, queue_job_submitting(q, a));
    expect_rc("submitted", 0, queue_job_submitted(q, a, 3));
    expect_rc("completed", 0, queue_job_completed(q, a));
    expect_rc("reprint", 0, queue_job_reprint(q, a, &b));
    ck_assert_msg(b > a, "reprint: expected a new id > %" PRId64 ", got %" PRId64, a, b);
    queue_job_t ja, jb;
    expect_rc("get a", 0, queue_job_get(q, a, true, &ja));
    expect_rc("get b", 0, queue_job_get(q, b, true, &jb));
    expect_card_equal(&ja.card, &jb.card);
    expect_str("printer", ja.printer, jb.printer);
    expect_str("session", ja.session, jb.session);
    ck_assert_msg(jb.state == QUEUE_QUEUED && jb.attempts == 0 && jb.printer_job_id == 0,
                  "reprint: expected a fresh queued job, got %s, %d attempts",
                  queue_state_name(jb.state), jb.attempts);
    ck_assert_msg(jb.document_len == ja.document_len &&
                      memcmp(jb.document, ja.document, ja.document_len) == 0,
                  "reprint: expected the same document");
    queue_job_clear(&ja);
    queue_job_clear(&jb);
    queue_close(q);
}
END_TEST

START_TEST(list_newest_first_and_count)
{
    queue_t *q = open_ok();
    queue_limits_set(q, 0, 0);
    for (int k = 0; k < 5; k++) {
        add_ok(q, NULL);
    }
    expect_rc("cancel 2", 0, queue_job_cancel(q, 2));
    expect_rc("failed 4", 0, queue_job_failed(q, 4, "x", "y"));
    queue_job_t jobs[8];
    size_t n = 99;
    expect_rc("list all", 0, queue_job_list(q, 0, jobs, 8, &n));
    ck_assert_msg(n == 5, "list all: expected 5, got %zu", n);
    for (size_t k = 0; k < n; k++) {
        ck_assert_msg(jobs[k].id == (int64_t)(5 - k) && jobs[k].document == NULL,
                      "list[%zu]: expected job %zu without document, got %" PRId64, k, 5 - k,
                      jobs[k].id);
        queue_job_clear(&jobs[k]);
    }
    expect_rc("list failed+canceled", 0,
              queue_job_list(q, 1u << QUEUE_FAILED | 1u << QUEUE_CANCELED, jobs, 8, &n));
    ck_assert_msg(n == 2 && jobs[0].id == 4 && jobs[1].id == 2,
                  "list failed+canceled: expected 4 2, got %zu jobs", n);
    queue_job_clear(&jobs[0]);
    queue_job_clear(&jobs[1]);
    expect_rc("list 2", 0, queue_job_list(q, 0, jobs, 2, &n));
    ck_assert_msg(n == 2 && jobs[0].id == 5 && jobs[1].id == 4, "list max 2: expected 5 4");
    queue_job_clear(&jobs[0]);
    queue_job_clear(&jobs[1]);
    expect_rc("list completed", 0, queue_job_list(q, 1u << QUEUE_COMPLETED, jobs, 8, &n));
    ck_assert_msg(n == 0, "list completed: expected none, got %zu", n);
    int64_t c;
    expect_rc("count", 0, queue_job_count(q, 0, &c));
    ck_assert_msg(c == 5, "count all: expected 5, got %" PRId64, c);
    expect_rc("count", 0, queue_job_count(q, 1u << QUEUE_QUEUED, &c));
    ck_assert_msg(c == 3, "count queued: expected 3, got %" PRId64, c);
    expect_rc("count", 0, queue_job_count(q, 1u << 6, &c));
    ck_assert_msg(c == 0, "count of no real state: expected 0, got %" PRId64, c);
    queue_close(q);
}
END_TEST

/* ---- two connections ---- */

START_TEST(two_connections_at_once)
{
    enum { ADDS = 40 };
    queue_close(open_ok()); /* the file exists before both start */
    pid_t pid = fork();
    ck_assert_msg(pid >= 0, "fork failed");
    if (pid == 0) {
        queue_t *w = queue_open(db_path());
        queue_card_t c = card_sample();
        int bad = !w;
        if (w) {
            queue_limits_set(w, 0, 0);
        }
        for (int k = 0; w && k < ADDS; k++) {
            int64_t id;
            bad |= queue_job_add(w, &c, NULL, "child", DOC, sizeof DOC, &id) != 0;
            if (k % 2 == 0) {
                bad |= queue_job_cancel(w, id) != 0;
            }
        }
        queue_close(w);
        _exit(bad);
    }
    queue_t *q = open_ok();
    queue_limits_set(q, 0, 0);
    queue_job_t jobs[ADDS];
    size_t n;
    int status, lists = 0;
    while (waitpid(pid, &status, WNOHANG) == 0) {
        expect_rc("list while the other adds", 0, queue_job_list(q, 0, jobs, ADDS, &n));
        for (size_t k = 0; k < n; k++) {
            queue_job_clear(&jobs[k]);
        }
        lists++;
    }
    ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0,
                  "the adding process: expected exit 0, got status %d", status);
    int64_t total;
    expect_rc("count", 0, queue_job_count(q, 0, &total));
    ck_assert_msg(total == ADDS, "jobs: expected %d, got %" PRId64 " (%d lists)", ADDS, total,
                  lists);
    queue_close(q);
}
END_TEST

/* ---- damaged rows ---- */

/* Damage done to job 1 (the older of two queued jobs), and what get without the document,
 * list and next return then (get with the document always -1). */
static const struct {
    const char *set;
    int get_meta, list, next;
} DAMAGE[] = {
    {"state = 99", -1, -1, 0}, /* not pending, so next takes job 2 */
    {"state = 'queued'", -1, -1, 0},
    {"dpi = -5", -1, -1, -1},
    {"dpi = 'abc'", -1, -1, -1},
    {"note = NULL", -1, -1, -1},
    {"note = 'a text, not a blob'", -1, -1, -1},
    {"note = zeroblob(70000)", -1, -1, -1},
    {"to_name = substr(hex(zeroblob(300)), 1, 300)", -1, -1, -1},
    {"to_name = 'a' || char(0) || 'b'", -1, -1, -1},
    {"printer = substr(hex(zeroblob(600)), 1, 600)", -1, -1, -1},
    {"session = NULL", -1, -1, -1},
    {"reason = x'00ff'", -1, -1, -1},
    {"seed = 1.5", -1, -1, -1},
    {"em_mm = 'big'", -1, -1, -1},
    {"em_mm = 1e308", -1, -1, -1},
    {"format = 7", -1, -1, -1},
    {"lang = -1", -1, -1, -1},
    {"ink = 16777216", -1, -1, -1},
    {"attempts = -1", -1, -1, -1},
    {"card_date = '17.5.2024'", -1, -1, -1},
    {"font = NULL", -1, -1, -1},
    {"next_attempt_ms = 'soon'", -1, -1, -1},
    {"document = NULL", 0, 0, -1},
    {"document = zeroblob(0)", 0, 0, -1},
};

START_TEST(damaged_row_refused)
{
    queue_t *q = open_ok();
    queue_limits_set(q, 0, 0);
    add_ok(q, NULL);
    add_ok(q, NULL);
    char sql[256];
    snprintf(sql, sizeof sql, "UPDATE print_jobs SET %s WHERE id = 1", DAMAGE[_i].set);
    raw_exec(sql);
    queue_job_t job, jobs[4];
    size_t n = 9;
    ck_assert_msg(queue_job_get(q, 1, true, &job) == -1, "%s: get: expected -1", DAMAGE[_i].set);
    ck_assert_msg(job.storage_ == NULL, "%s: get: expected nothing owned", DAMAGE[_i].set);
    int rc = queue_job_get(q, 1, false, &job);
    queue_job_clear(&job);
    ck_assert_msg(rc == DAMAGE[_i].get_meta, "%s: get without document: expected %d, got %d",
                  DAMAGE[_i].set, DAMAGE[_i].get_meta, rc);
    rc = queue_job_list(q, 0, jobs, 4, &n);
    ck_assert_msg(rc == DAMAGE[_i].list && (rc < 0 ? n == 0 : n == 2),
                  "%s: list: expected %d, got %d with %zu jobs", DAMAGE[_i].set, DAMAGE[_i].list,
                  rc, n);
    for (size_t k = 0; k < n; k++) {
        queue_job_clear(&jobs[k]);
    }
    int64_t id = next_id(q, wall_ms() + 1000, DAMAGE[_i].next, NULL);
    ck_assert_msg(DAMAGE[_i].next != 0 || id == 2, "%s: next: expected job 2", DAMAGE[_i].set);
    if (DAMAGE[_i].next < 0) {
        /* The worker learns which job is damaged, sets it aside, and goes on with the next. */
        int64_t wait;
        rc = queue_job_next(q, wall_ms() + 1000, &job, &wait);
        ck_assert_msg(rc == -1 && job.id == 1, "%s: next: expected -1 naming job 1, got %d, %lld",
                      DAMAGE[_i].set, rc, (long long)job.id);
        expect_rc("queue_job_damaged", 0, queue_job_damaged(q, 1));
        ck_assert_msg(state_of(q, 2) == QUEUE_QUEUED, "job 2 should still be queued");
        id = next_id(q, wall_ms() + 1000, 0, NULL);
        ck_assert_msg(id == 2, "%s: next after setting job 1 aside: expected 2, got %lld",
                      DAMAGE[_i].set, (long long)id);
    }
    expect_rc("get of the sound job", 0, queue_job_get(q, 2, true, &job));
    queue_job_clear(&job);
    queue_close(q);
}
END_TEST

/* ---- schema and opening ---- */

START_TEST(newer_schema_refused)
{
    queue_close(open_ok());
    raw_exec("PRAGMA user_version = 4");
    ck_assert_msg(queue_open(db_path()) == NULL, "user_version 4: expected NULL");
}
END_TEST

/* The print_jobs table as schema 1 made it (without the closing parenthesis, so later schemas
 * can add their columns), and one German card in it. */
#define SCHEMA_1_TABLE                                                                             \
    "CREATE TABLE print_jobs (id INTEGER PRIMARY KEY AUTOINCREMENT, state INTEGER,"                \
    " printer TEXT, session TEXT, attempts INTEGER, printer_job_id INTEGER, reason TEXT,"          \
    " message TEXT, created_ms INTEGER, updated_ms INTEGER, next_attempt_ms INTEGER,"              \
    " format INTEGER, dpi INTEGER, seed INTEGER, plain INTEGER, border INTEGER,"                   \
    " ink INTEGER, em_mm REAL, min_em_mm REAL, lang INTEGER, font TEXT, fallback TEXT,"            \
    " post_url TEXT, post_title TEXT, to_name TEXT, from_name TEXT, note BLOB,"                    \
    " card_date TEXT, document BLOB"
#define SCHEMA_1_ROW                                                                               \
    "1, 0, '', '', 0, 0, '', '', 1, 1, 0, 0, 300, 7, 0, 0, 1780810, 7.0, 4.5, 1, '/f.otf', NULL,"  \
    " 'https://example.org/p/1', 'T', 'Anna', 'Jonas', x'4869', NULL, x'89504e47'"

/* A queue written before ornaments (schema 1) opens, gains the column, and keeps its cards. */
START_TEST(schema_1_upgraded)
{
    ck_assert_int_eq(mkdir(testutil_path("state"), 0700), 0);
    raw_exec(SCHEMA_1_TABLE ");"
                            "INSERT INTO print_jobs VALUES (" SCHEMA_1_ROW ");"
                            "PRAGMA user_version = 1;");
    queue_t *q = open_ok();
    expect_str("user_version", "3", raw_value("PRAGMA user_version"));
    queue_job_t job;
    expect_rc("get the old card", 0, queue_job_get(q, 1, true, &job));
    ck_assert_msg(job.card.spec.ornament == NULL, "old card: expected no ornament");
    ck_assert_msg(job.card.content.salutation == NULL, "old card: expected no salutation");
    expect_str("old card's name", "Anna", job.card.content.to);
    queue_job_clear(&job);
    add_ok(q, NULL);
    queue_close(q);
}
END_TEST

/* A queue written before salutations (schema 2) gains the column; its cards greet as their
 * language does. */
START_TEST(schema_2_upgraded)
{
    ck_assert_int_eq(mkdir(testutil_path("state"), 0700), 0);
    /* Schema 2 added the ornament column at the end (ALTER TABLE ADD COLUMN). */
    raw_exec(SCHEMA_1_TABLE ", ornament TEXT);"
                            "INSERT INTO print_jobs VALUES (" SCHEMA_1_ROW ", '/o.png');"
                            "PRAGMA user_version = 2;");
    queue_t *q = open_ok();
    expect_str("user_version", "3", raw_value("PRAGMA user_version"));
    queue_job_t job;
    expect_rc("get the old card", 0, queue_job_get(q, 1, true, &job));
    ck_assert_msg(job.card.content.salutation == NULL, "old card: expected no salutation");
    expect_str("old card's ornament", "/o.png", job.card.spec.ornament);
    queue_job_clear(&job);
    add_ok(q, NULL);
    queue_close(q);
}
END_TEST

START_TEST(other_tables_kept)
{
    mkdir(testutil_path("state"), 0700);
    raw_exec("CREATE TABLE ledger (k TEXT); INSERT INTO ledger VALUES ('kept')");
    queue_t *q = open_ok();
    add_ok(q, NULL);
    queue_close(q);
    q = open_ok();
    queue_close(q);
    expect_str("ledger row", "kept", raw_value("SELECT k FROM ledger"));
    expect_str("jobs", "1", raw_value("SELECT count(*) FROM print_jobs"));
}
END_TEST

START_TEST(uncreatable_directory_refused)
{
    testutil_file_put(testutil_path("plain"), "a file\n");
    const char *path = testutil_path("plain/sub/queue.db");
    ck_assert_msg(queue_open(path) == NULL, "%s: expected NULL", path);
    ck_assert_msg(queue_open("") == NULL, "\"\": expected NULL");
}
END_TEST

/* The database file cut at offset _i * size / 48 (with a few bytes' jitter): opening and reading
 * may fail, but never crash. */
START_TEST(truncated_file_no_crash)
{
    queue_t *q = open_ok();
    queue_limits_set(q, 0, 0);
    queue_card_t c = card_sample();
    uint8_t *doc = testutil_noise(9000);
    int64_t id;
    for (int k = 0; k < 3; k++) {
        expect_rc("add", 0, queue_job_add(q, &c, "p", NULL, doc, 9000, &id));
    }
    free(doc);
    queue_close(q); /* the last close checkpoints: the whole database is in the one file */
    size_t size;
    uint8_t *whole = testutil_file_get(db_path(), &size);
    size_t cut = size * (size_t)_i / 48 + (size_t)(_i % 3) * 7;
    cut = cut > size ? size : cut;
    testutil_file_write(testutil_path("cut.db"), whole, cut);
    free(whole);
    q = queue_open(testutil_path("cut.db"));
    if (q) {
        queue_job_t job, jobs[4];
        size_t n;
        int64_t count;
        for (int64_t k = 1; k <= 3; k++) {
            (void)queue_job_get(q, k, true, &job);
            queue_job_clear(&job);
        }
        if (queue_job_list(q, 0, jobs, 4, &n) == 0) {
            for (size_t k = 0; k < n; k++) {
                queue_job_clear(&jobs[k]);
            }
        }
        (void)queue_job_count(q, 0, &count);
        (void)queue_job_next(q, wall_ms(), &job, NULL);
        queue_job_clear(&job);
        (void)queue_job_add(q, &c, NULL, NULL, DOC, sizeof DOC, &id);
        queue_close(q);
    }
    ck_assert_msg(_i != 0 || q != NULL, "an empty file: expected a fresh queue");
}
END_TEST

/* ---- names ---- */

START_TEST(job_names_round_trip)
{
    static const int64_t ids[] = {1, 42, 1000000007, INT64_MAX};
    char buf[QUEUE_JOB_NAME_MAX];
    for (size_t k = 0; k < sizeof ids / sizeof ids[0]; k++) {
        queue_job_name(ids[k], buf, sizeof buf);
        int64_t back = queue_job_name_parse(buf);
        ck_assert_msg(back == ids[k], "%s: expected %" PRId64 ", got %" PRId64, buf, ids[k], back);
    }
    queue_job_name(42, buf, sizeof buf);
    expect_str("name of 42", "likeletter-42", buf);
    static const char *const bad[] = {"likeletter-",
                                      "likeletter-0",
                                      "likeletter-12x",
                                      "other-3",
                                      "likeletter--3",
                                      "likeletter-012",
                                      "likeletter-9223372036854775808",
                                      "likeletter-99999999999999999999",
                                      "",
                                      "Likeletter-3"};
    for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
        int64_t got = queue_job_name_parse(bad[k]);
        ck_assert_msg(got == 0, "\"%s\": expected 0, got %" PRId64, bad[k], got);
    }
    ck_assert_msg(queue_job_name_parse(NULL) == 0, "NULL: expected 0");
    expect_str("state 0", "queued", queue_state_name(QUEUE_QUEUED));
    expect_str("state 5", "canceled", queue_state_name(QUEUE_CANCELED));
    ck_assert_msg(queue_state_name((queue_state_t)6) == NULL, "state 6: expected NULL");
}
END_TEST

static TCase *tcase_fixed(Suite *s, const char *name)
{
    TCase *tc = tcase_create(name);
    tcase_add_checked_fixture(tc, setup, testutil_tmpdir_remove);
    suite_add_tcase(s, tc);
    return tc;
}

static Suite *queue_suite(void)
{
    Suite *s = suite_create("queue");
    TCase *tc = tcase_fixed(s, "round trip");
    tcase_add_test(tc, add_get_every_field);
    tcase_add_test(tc, optional_strings_stay_null);
    tcase_add_loop_test(tc, add_refuses_bad_input, 0, 21);
    tcase_add_test(tc, reason_and_message_cut_at_utf8_boundary);

    tc = tcase_fixed(s, "durability");
    tcase_add_test(tc, wal_and_full_sync);
    tcase_add_test(tc, survives_close_and_reopen);

    tc = tcase_fixed(s, "state machine");
    tcase_add_loop_test(tc, every_transition_from_every_state, 0, 6 * T_COUNT);
    tcase_add_test(tc, transitions_set_their_fields);
    tcase_add_test(tc, unknown_id_not_found);

    tc = tcase_fixed(s, "worker order");
    tcase_add_test(tc, next_takes_active_then_oldest_due);
    tcase_add_test(tc, next_waits_for_older_job);

    tc = tcase_fixed(s, "pending limits");
    tcase_add_test(tc, per_session_limit);
    tcase_add_test(tc, overall_limit);
    tcase_add_test(tc, per_session_limit_across_processes);

    tc = tcase_fixed(s, "cancel, retry, reprint, list");
    tcase_add_test(tc, reprint_copies_card_and_document);
    tcase_add_test(tc, list_newest_first_and_count);

    tc = tcase_fixed(s, "two connections");
    tcase_add_test(tc, two_connections_at_once);

    tc = tcase_fixed(s, "damaged rows");
    tcase_add_loop_test(tc, damaged_row_refused, 0, (int)(sizeof DAMAGE / sizeof DAMAGE[0]));

    tc = tcase_fixed(s, "schema and opening");
    tcase_add_test(tc, newer_schema_refused);
    tcase_add_test(tc, schema_1_upgraded);
    tcase_add_test(tc, schema_2_upgraded);
    tcase_add_test(tc, other_tables_kept);
    tcase_add_test(tc, uncreatable_directory_refused);

    tc = tcase_fixed(s, "truncated database file");
    tcase_add_loop_test(tc, truncated_file_no_crash, 0, 49);

    tc = tcase_fixed(s, "printer job names");
    tcase_add_test(tc, job_names_round_trip);
    return s;
}

int main(void)
{
    return testutil_suite_run(queue_suite());
}
