/* check_handoff.c - what the Message and Call rungs hand to a phone: mailto: URIs (encoding,
 * refused addresses and header injection, the length cap, line breaks), the e-mail body's link
 * line in three languages, the iCalendar invitation (the whole text, escaping, folding at 75
 * octets between UTF-8 characters, CRLF, the cap, no ORGANIZER without an e-mail), the coffee-chat
 * slots in Europe/Berlin, and both payloads through a real QR code (qrencode CLI, then zbarimg). */
#include "likeletter/handoff.h"
#include "testutil.h"

#include <check.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define QRENCODE_CLI "/usr/bin/qrencode"
#define ZBARIMG_CLI "/usr/bin/zbarimg"

/* 2026-11-24 (a Tuesday) 00:00 in Europe/Berlin (CET, UTC+1), and the same in UTC. */
#define TUE_MIDNIGHT_BERLIN ((time_t)1795474800)
#define TUE_MIDNIGHT_UTC ((time_t)1795478400)
#define DAY_S ((time_t)86400)
#define HM(h, m) ((time_t)((h)*3600 + (m)*60))

/* s[from..to) (or up to its end) with CR and LF shown as \r and \n, into dst. */
static void visible(char *dst, size_t size, const char *s, size_t from, size_t to)
{
    size_t n = 0;
    for (const char *p = s + from; *p && p < s + to && n + 3 < size; p++) {
        if (*p == '\r' || *p == '\n') {
            dst[n++] = '\\';
            dst[n++] = *p == '\r' ? 'r' : 'n';
        } else {
            dst[n++] = *p;
        }
    }
    dst[n] = '\0';
}

/* Shows where two texts part, 40 bytes either side: payloads hold CRLFs. */
static void expect_text(const char *want, const char *got, const char *what)
{
    if (strcmp(want, got) == 0) {
        return;
    }
    size_t at = 0;
    while (want[at] && want[at] == got[at]) {
        at++;
    }
    size_t from = at > 40 ? at - 40 : 0;
    char w[256], g[256];
    visible(w, sizeof w, want, from, at + 40);
    visible(g, sizeof g, got, from, at + 40);
    ck_abort_msg("%s: texts differ at byte %zu (want %zu bytes, got %zu):\n  expected ...%s\n  "
                 "actual   ...%s",
                 what, at, strlen(want), strlen(got), w, g);
}

static char *repeat(char *buf, size_t size, const char *unit, size_t times)
{
    size_t n = strlen(unit);
    ck_assert_msg(n * times < size, "test buffer: expected room for %zu bytes, have %zu",
                  n * times + 1, size);
    for (size_t i = 0; i < times; i++) {
        memcpy(buf + i * n, unit, n);
    }
    buf[n * times] = '\0';
    return buf;
}

/* ---- mailto: ---- */

typedef struct {
    const char *email, *subject, *body, *want;
} mailto_case_t;

static const mailto_case_t mailto_plain[] = {
    {"anna@example.com", "Re: Our new office", "Thank you!",
     "mailto:anna@example.com?subject=Re%3A%20Our%20new%20office&body=Thank%20you%21"},
    {"anna@example.com", NULL, NULL, "mailto:anna@example.com"},
    {"anna@example.com", "", "", "mailto:anna@example.com"},
    {"anna@example.com", NULL, "Hi", "mailto:anna@example.com?body=Hi"},
    {"anna@example.com", "Hi", NULL, "mailto:anna@example.com?subject=Hi"},
    {"anna+kiosk@example.com", "a+b=c", "50% & more",
     "mailto:anna+kiosk@example.com?subject=a%2Bb%3Dc&body=50%25%20%26%20more"},
    {"a#b/c@example.com", "x", NULL, "mailto:a%23b%2Fc@example.com?subject=x"},
    {"anna@example.com", "-._~", "*'()", "mailto:anna@example.com?subject=-._~&body=%2A%27%28%29"},
};

START_TEST(mailto_simple)
{
    const mailto_case_t *c = &mailto_plain[_i];
    char out[HANDOFF_MAILTO_MAX + 1];
    int rc = handoff_mailto(c->email, c->subject, c->body, out, sizeof out);
    ck_assert_msg(rc == 0, "handoff_mailto(%s): expected 0, got %d", c->email, rc);
    expect_text(c->want, out, "mailto");
}
END_TEST

static const mailto_case_t mailto_utf8[] = {
    {"jurgen@example.de", "Re: Grüße aus Köln", "Schöne Straße!",
     "mailto:jurgen@example.de?subject=Re%3A%20Gr%C3%BC%C3%9Fe%20aus%20K%C3%B6ln"
     "&body=Sch%C3%B6ne%20Stra%C3%9Fe%21"},
    {"ijsbrand@example.nl", "Dank voor het ĳs", "Ĳverig!",
     "mailto:ijsbrand@example.nl?subject=Dank%20voor%20het%20%C4%B3s&body=%C4%B2verig%21"},
    {"anna@example.com", "☕?", "Danke 👍",
     "mailto:anna@example.com?subject=%E2%98%95%3F&body=Danke%20%F0%9F%91%8D"},
};

START_TEST(mailto_utf8_encoded)
{
    const mailto_case_t *c = &mailto_utf8[_i];
    char out[HANDOFF_MAILTO_MAX + 1];
    int rc = handoff_mailto(c->email, c->subject, c->body, out, sizeof out);
    ck_assert_msg(rc == 0, "handoff_mailto(%s): expected 0, got %d", c->subject, rc);
    expect_text(c->want, out, "mailto");
}
END_TEST

static const char *const refused_addresses[] = {
    "anna@example.com?cc=boss@example.com",
    "anna@example.com&bcc=boss@example.com",
    "anna@example.com,boss@example.com",
    "anna@example.com;boss@example.com",
    "anna%40example.com@example.com",
    "anna@example.com\r\nBcc: boss@example.com",
    "anna@example.com\n",
    "<anna@example.com>",
    "\"anna\"@example.com",
    "anna @example.com",
    "anna\t@example.com",
    "annaexample.com",
    "anna@boss@example.com",
    "@example.com",
    "anna@",
    "",
    "jürgen@example.de",
    "anna\x7f@example.com",
};

START_TEST(mailto_address_refused)
{
    const char *email = refused_addresses[_i];
    char out[HANDOFF_MAILTO_MAX + 1] = "stale";
    int rc = handoff_mailto(email, "Hi", "Hello", out, sizeof out);
    ck_assert_msg(rc == HANDOFF_ERR_INVALID, "address #%d \"%s\": expected %d, got %d", _i, email,
                  HANDOFF_ERR_INVALID, rc);
    ck_assert_msg(out[0] == '\0', "address #%d: expected an empty out, got \"%s\"", _i, out);
    ck_assert_int_eq(handoff_email_check(email), HANDOFF_ERR_INVALID);
}
END_TEST

START_TEST(mailto_address_length)
{
    char email[HANDOFF_EMAIL_MAX + 2];
    char out[HANDOFF_MAILTO_MAX + 1];
    repeat(email, sizeof email, "a", HANDOFF_EMAIL_MAX - 12);
    strcat(email, "@example.com");
    ck_assert_uint_eq(strlen(email), HANDOFF_EMAIL_MAX);
    ck_assert_int_eq(handoff_mailto(email, NULL, NULL, out, sizeof out), 0);
    memmove(email + 1, email, strlen(email) + 1);
    ck_assert_int_eq(handoff_mailto(email, NULL, NULL, out, sizeof out), HANDOFF_ERR_INVALID);
    ck_assert_int_eq(handoff_mailto(NULL, "x", "y", out, sizeof out), HANDOFF_ERR_INVALID);
}
END_TEST

/* Subjects that would add a header, and text that is not clean UTF-8. */
START_TEST(mailto_text_refused)
{
    static const struct {
        const char *subject, *body;
    } bad[] = {
        {"Hi\r\nBcc: boss@example.com", NULL},
        {"Hi\nthere", NULL},
        {"Hi\u2028there", NULL},
        {"tab\there", NULL},
        {NULL, "bell \a"},
        {NULL, "del \x7f"},
        {NULL, "c1 \xc2\x85"},
        {"bad \xc3", NULL},
        {NULL, "overlong \xc0\xaf"},
        {NULL, "surrogate \xed\xa0\x80"},
    };
    char out[HANDOFF_MAILTO_MAX + 1];
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        int rc = handoff_mailto("anna@example.com", bad[i].subject, bad[i].body, out, sizeof out);
        ck_assert_msg(rc == HANDOFF_ERR_INVALID, "case %zu: expected %d, got %d (\"%s\")", i,
                      HANDOFF_ERR_INVALID, rc, out);
    }
}
END_TEST

START_TEST(mailto_too_long)
{
    /* "mailto:a@b.c?body=" is 18 bytes: 1182 more reach the cap exactly. */
    char body[4096], out[HANDOFF_MAILTO_MAX + 1];
    repeat(body, sizeof body, "a", HANDOFF_MAILTO_MAX - 18);
    ck_assert_int_eq(handoff_mailto("a@b.c", NULL, body, out, sizeof out), 0);
    ck_assert_uint_eq(strlen(out), HANDOFF_MAILTO_MAX);
    strcat(body, "a");
    int rc = handoff_mailto("a@b.c", NULL, body, out, sizeof out);
    ck_assert_msg(rc == HANDOFF_ERR_TOO_LONG, "1201 bytes: expected %d, got %d",
                  HANDOFF_ERR_TOO_LONG, rc);
    ck_assert_str_eq(out, "");
    /* 300 umlauts are 600 bytes of text but 1800 encoded. */
    repeat(body, sizeof body, "ü", 300);
    ck_assert_int_eq(handoff_mailto("a@b.c", NULL, body, out, sizeof out), HANDOFF_ERR_TOO_LONG);
    /* A buffer smaller than the cap limits too. */
    char small[16];
    ck_assert_int_eq(handoff_mailto("anna@example.com", "Hi", NULL, small, sizeof small),
                     HANDOFF_ERR_TOO_LONG);
    ck_assert_str_eq(small, "");
}
END_TEST

START_TEST(mailto_line_breaks)
{
    static const struct {
        const char *body, *want;
    } cases[] = {
        {"Hallo\nzusammen", "mailto:a@b.c?body=Hallo%0D%0Azusammen"},
        {"a\r\nb", "mailto:a@b.c?body=a%0D%0Ab"},
        {"a\rb", "mailto:a@b.c?body=a%0D%0Ab"},
        {"a\n\nb\n", "mailto:a@b.c?body=a%0D%0A%0D%0Ab%0D%0A"},
        {"a\u2028b\u2029c", "mailto:a@b.c?body=a%0D%0Ab%0D%0Ac"},
        {"a\tb", "mailto:a@b.c?body=a%09b"},
    };
    char out[HANDOFF_MAILTO_MAX + 1];
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        ck_assert_int_eq(handoff_mailto("a@b.c", NULL, cases[i].body, out, sizeof out), 0);
        expect_text(cases[i].want, out, "body with line breaks");
    }
}
END_TEST

/* ---- the message body ---- */

START_TEST(message_body_languages)
{
    static const struct {
        const char *lang, *title, *message, *want;
    } cases[] = {
        {"en", "Our new office", "Great pictures!",
         "Great pictures!\n\n— about your post “Our new office”: https://example.com/p/1"},
        {"de", "Unser neues Büro", "Tolle Bilder!",
         "Tolle Bilder!\n\n— zu Ihrem Beitrag „Unser neues Büro“: https://example.com/p/1"},
        {"nl", "Ons nieuwe kantoor", "Mooie foto's!",
         "Mooie foto's!\n\n— over uw bericht “Ons nieuwe kantoor”: https://example.com/p/1"},
        {"fr", "Our new office", "Two\nlines",
         "Two\nlines\n\n— about your post “Our new office”: https://example.com/p/1"},
        {NULL, NULL, "No title", "No title\n\n— about your post: https://example.com/p/1"},
        {"de", "", NULL, "— zu Ihrem Beitrag: https://example.com/p/1"},
        {"nl", "Ĳs", "", "— over uw bericht “Ĳs”: https://example.com/p/1"},
    };
    char out[1024];
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int rc = handoff_message_body(cases[i].message, cases[i].title, "https://example.com/p/1",
                                      cases[i].lang, out, sizeof out);
        ck_assert_msg(rc == 0, "case %zu: expected 0, got %d", i, rc);
        expect_text(cases[i].want, out, "message body");
    }
}
END_TEST

START_TEST(message_body_refused)
{
    char out[1024];
    ck_assert_int_eq(handoff_message_body("Hi", "T", "javascript:alert(1)", "en", out, sizeof out),
                     HANDOFF_ERR_INVALID);
    ck_assert_int_eq(handoff_message_body("Hi", "T", NULL, "en", out, sizeof out),
                     HANDOFF_ERR_INVALID);
    ck_assert_int_eq(
        handoff_message_body("Hi", "T\nBcc: x", "https://example.com/", "en", out, sizeof out),
        HANDOFF_ERR_INVALID);
    ck_assert_int_eq(
        handoff_message_body("bad \xff", "T", "https://example.com/", "en", out, sizeof out),
        HANDOFF_ERR_INVALID);
    ck_assert_int_eq(handoff_message_body("Hi", "T", "https://example.com/", "en", out, 20),
                     HANDOFF_ERR_TOO_LONG);
    ck_assert_str_eq(out, "");
}
END_TEST

/* The body goes into a mailto: as a caller would compose it. */
START_TEST(message_body_into_mailto)
{
    char body[1024], out[HANDOFF_MAILTO_MAX + 1];
    ck_assert_int_eq(handoff_message_body("Danke!", "Büro", "https://example.com/p/1?a=1&b=2", "de",
                                          body, sizeof body),
                     0);
    ck_assert_int_eq(handoff_mailto("anna@example.com", "Re: Büro", body, out, sizeof out), 0);
    expect_text("mailto:anna@example.com?subject=Re%3A%20B%C3%BCro&body=Danke%21%0D%0A%0D%0A"
                "%E2%80%94%20zu%20Ihrem%20Beitrag%20%E2%80%9EB%C3%BCro%E2%80%9C%3A%20"
                "https%3A%2F%2Fexample.com%2Fp%2F1%3Fa%3D1%26b%3D2",
                out, "mailto with a composed body");
}
END_TEST

/* ---- iCalendar ---- */

static handoff_event_t fixed_event(void)
{
    return (handoff_event_t){
        .uid = "3f9a0c1d@likeletter",
        .stamp = TUE_MIDNIGHT_UTC + HM(8, 0),
        .start = TUE_MIDNIGHT_UTC + HM(13, 0),
        .duration_min = 30,
        .summary = "Coffee chat with Anna de Vries",
        .description = "About “Our new office”\nhttps://example.com/p/1",
        .url = "https://example.com/p/1",
        .author_name = "Anna de Vries",
        .author_email = "anna@example.com",
    };
}

START_TEST(event_fixed_text)
{
    handoff_event_t ev = fixed_event();
    char out[HANDOFF_EVENT_MAX + 1];
    ck_assert_int_eq(handoff_event(&ev, out, sizeof out), 0);
    expect_text("BEGIN:VCALENDAR\r\n"
                "VERSION:2.0\r\n"
                "PRODID:-//likeletter//kiosk//EN\r\n"
                "METHOD:PUBLISH\r\n"
                "BEGIN:VEVENT\r\n"
                "UID:3f9a0c1d@likeletter\r\n"
                "DTSTAMP:20261124T080000Z\r\n"
                "DTSTART:20261124T130000Z\r\n"
                "DURATION:PT30M\r\n"
                "SUMMARY:Coffee chat with Anna de Vries\r\n"
                "DESCRIPTION:About “Our new office”\\nhttps://example.com/p/1\r\n"
                "ORGANIZER;CN=\"Anna de Vries\":mailto:anna@example.com\r\n"
                "URL:https://example.com/p/1\r\n"
                "END:VEVENT\r\n"
                "END:VCALENDAR\r\n",
                out, "event");
}
END_TEST

/* The unfolded content line starting with prefix, without its CRLF, into line. */
static void unfolded_line(const char *ics, const char *prefix, char *line, size_t size)
{
    char *flat = malloc(strlen(ics) + 1);
    ck_assert_ptr_nonnull(flat);
    size_t n = 0;
    for (const char *p = ics; *p; p++) {
        if (p[0] == '\r' && p[1] == '\n' && p[2] == ' ') {
            p += 2;
            continue;
        }
        flat[n++] = *p;
    }
    flat[n] = '\0';
    const char *at = strstr(flat, prefix);
    ck_assert_msg(at != NULL, "expected a line starting \"%s\", got:\n%s", prefix, ics);
    const char *end = strstr(at, "\r\n");
    ck_assert_ptr_nonnull(end);
    ck_assert_uint_lt((size_t)(end - at), size);
    memcpy(line, at, (size_t)(end - at));
    line[end - at] = '\0';
    free(flat);
}

START_TEST(event_text_escaped)
{
    handoff_event_t ev = fixed_event();
    ev.summary = "Coffee; tea, and \\ more";
    ev.description = "one\ntwo\r\nthree\rfour\u2028five;six,seven\\eight: \"nine\"";
    ev.author_name = "Jan \"JJ\" Jansen ^_^";
    ev.uid = "a,b;c\\d@likeletter";
    char out[HANDOFF_EVENT_MAX + 1], line[HANDOFF_EVENT_MAX + 1];
    ck_assert_int_eq(handoff_event(&ev, out, sizeof out), 0);
    unfolded_line(out, "SUMMARY:", line, sizeof line);
    expect_text("SUMMARY:Coffee\\; tea\\, and \\\\ more", line, "summary");
    unfolded_line(out, "DESCRIPTION:", line, sizeof line);
    expect_text("DESCRIPTION:one\\ntwo\\nthree\\nfour\\nfive\\;six\\,seven\\\\eight: \"nine\"",
                line, "description");
    unfolded_line(out, "ORGANIZER", line, sizeof line);
    expect_text("ORGANIZER;CN=\"Jan ^'JJ^' Jansen ^^_^^\":mailto:anna@example.com", line,
                "organizer");
    unfolded_line(out, "UID:", line, sizeof line);
    expect_text("UID:a\\,b\\;c\\\\d@likeletter", line, "uid");
}
END_TEST

/* Every physical line: at most 75 octets, well-formed UTF-8 by itself, ended by CRLF; no CR or
 * LF anywhere else. */
static void expect_ical_lines(const char *ics)
{
    const char *p = ics;
    int no = 1;
    while (*p) {
        const char *end = strstr(p, "\r\n");
        ck_assert_msg(end != NULL, "line %d: expected CRLF at its end, got \"%s\"", no, p);
        size_t n = (size_t)(end - p);
        ck_assert_msg(n <= 75, "line %d: expected at most 75 octets, got %zu", no, n);
        ck_assert_msg(memchr(p, '\r', n) == NULL && memchr(p, '\n', n) == NULL,
                      "line %d: expected no bare CR or LF, got one in \"%.*s\"", no, (int)n, p);
        char piece[128];
        memcpy(piece, p, n);
        piece[n] = '\0';
        ck_assert_msg(n == 0 || ((unsigned char)piece[0] & 0xC0) != 0x80,
                      "line %d: expected to start on a character, got continuation byte 0x%02X", no,
                      (unsigned char)piece[0]);
        /* A sequence cut at the end shows as a lead byte without all its continuation bytes. */
        size_t i = n;
        while (i > 0 && ((unsigned char)piece[i - 1] & 0xC0) == 0x80) {
            i--;
        }
        if (i > 0 && (unsigned char)piece[i - 1] >= 0xC0) {
            unsigned char lead = (unsigned char)piece[i - 1];
            size_t want = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2;
            ck_assert_msg(n - (i - 1) == want,
                          "line %d: expected a whole %zu-byte character at its end, got %zu bytes",
                          no, want, n - (i - 1));
        }
        p = end + 2;
        no++;
    }
}

/* Sweeps the description's length so the fold meets 2-, 3- and 4-byte characters at every
 * offset: lines stay within 75 octets, characters whole, and unfolding gives the text back. */
START_TEST(event_folding_sweep)
{
    static const char *const units[] = {"ü", "€", "👍"};
    const char *unit = units[_i % 3];
    size_t pad = (size_t)(_i / 3);
    char desc[512], want[600], out[HANDOFF_EVENT_MAX + 1], line[HANDOFF_EVENT_MAX + 1];
    memset(desc, 'a', pad);
    desc[pad] = '\0';
    for (int k = 0; k < 30; k++) {
        strcat(desc, unit);
    }
    handoff_event_t ev = fixed_event();
    ev.description = desc;
    ck_assert_int_eq(handoff_event(&ev, out, sizeof out), 0);
    expect_ical_lines(out);
    unfolded_line(out, "DESCRIPTION:", line, sizeof line);
    snprintf(want, sizeof want, "DESCRIPTION:%s", desc);
    expect_text(want, line, "unfolded description");
}
END_TEST

START_TEST(event_fold_exact)
{
    /* "DESCRIPTION:" (12) + 62 'a' = 74 octets: the 2-byte ü would end at octet 76, so it opens
     * the continuation line; there " ü" + 71 'b' make 74 octets and the 4-byte emoji after them
     * would end at 78, so it opens the next. */
    char desc[256], out[HANDOFF_EVENT_MAX + 1];
    repeat(desc, sizeof desc, "a", 62);
    strcat(desc, "ü");
    char *tail = desc + strlen(desc);
    repeat(tail, sizeof desc - (size_t)(tail - desc), "b", 71);
    strcat(desc, "👍c");
    handoff_event_t ev = fixed_event();
    ev.description = desc;
    ck_assert_int_eq(handoff_event(&ev, out, sizeof out), 0);
    char want[512];
    char a62[64], b71[80];
    repeat(a62, sizeof a62, "a", 62);
    repeat(b71, sizeof b71, "b", 71);
    snprintf(want, sizeof want, "\r\nDESCRIPTION:%s\r\n ü%s\r\n 👍c\r\nORGANIZER", a62, b71);
    ck_assert_msg(strstr(out, want) != NULL, "expected the folds\n%s\nin\n%s", want, out);
}
END_TEST

START_TEST(event_crlf_everywhere)
{
    handoff_event_t ev = fixed_event();
    ev.description = "line one\nline two\r\n\nlast";
    char out[HANDOFF_EVENT_MAX + 1];
    ck_assert_int_eq(handoff_event(&ev, out, sizeof out), 0);
    size_t n = strlen(out);
    ck_assert_msg(n >= 2 && strcmp(out + n - 2, "\r\n") == 0, "expected a final CRLF");
    for (size_t i = 0; i < n; i++) {
        if (out[i] == '\n') {
            ck_assert_msg(i > 0 && out[i - 1] == '\r', "byte %zu: expected LF after CR", i);
        }
        if (out[i] == '\r') {
            ck_assert_msg(out[i + 1] == '\n', "byte %zu: expected CR before LF", i);
        }
    }
    expect_ical_lines(out);
}
END_TEST

START_TEST(event_too_long)
{
    char desc[2048], out[HANDOFF_EVENT_MAX + 1] = "stale";
    handoff_event_t ev = fixed_event();
    ev.description = repeat(desc, sizeof desc, "x", 1400);
    int rc = handoff_event(&ev, out, sizeof out);
    ck_assert_msg(rc == HANDOFF_ERR_TOO_LONG, "1400-byte description: expected %d, got %d",
                  HANDOFF_ERR_TOO_LONG, rc);
    ck_assert_str_eq(out, "");
    /* Just under the cap still fits: the fixed event without a description, and padding. */
    ev.description = NULL;
    ck_assert_int_eq(handoff_event(&ev, out, sizeof out), 0);
    size_t base = strlen(out);
    ev.description = repeat(desc, sizeof desc, "x", 900);
    ck_assert_int_eq(handoff_event(&ev, out, sizeof out), 0);
    ck_assert_uint_le(strlen(out), HANDOFF_EVENT_MAX);
    ck_assert_uint_gt(strlen(out), base + 900);
    char small[64];
    ck_assert_int_eq(handoff_event(&ev, small, sizeof small), HANDOFF_ERR_TOO_LONG);
}
END_TEST

START_TEST(event_without_email)
{
    handoff_event_t ev = fixed_event();
    char out[HANDOFF_EVENT_MAX + 1];
    const char *emails[] = {NULL, ""};
    for (size_t i = 0; i < 2; i++) {
        ev.author_email = emails[i];
        ck_assert_int_eq(handoff_event(&ev, out, sizeof out), 0);
        ck_assert_msg(strstr(out, "ORGANIZER") == NULL && strstr(out, "ATTENDEE") == NULL,
                      "e-mail %s: expected no ORGANIZER or ATTENDEE, got\n%s",
                      emails[i] ? "\"\"" : "NULL", out);
        ck_assert_msg(strstr(out, "\r\nSUMMARY:Coffee chat with Anna de Vries\r\n") != NULL,
                      "expected the summary, got\n%s", out);
    }
    /* An e-mail without a name: the organizer has no CN. */
    ev.author_email = "anna@example.com";
    ev.author_name = NULL;
    ck_assert_int_eq(handoff_event(&ev, out, sizeof out), 0);
    ck_assert_ptr_nonnull(strstr(out, "\r\nORGANIZER:mailto:anna@example.com\r\n"));
}
END_TEST

START_TEST(event_refused)
{
    char out[HANDOFF_EVENT_MAX + 1];
    handoff_event_t ev;
    const char *what[] = {"no uid",   "uid with a space", "no summary",     "summary with LF",
                          "bad url",  "injected e-mail",  "name with CRLF", "duration 0",
                          "1441 min", "bad UTF-8"};
    for (int i = 0; i < 10; i++) {
        ev = fixed_event();
        switch (i) {
        case 0:
            ev.uid = NULL;
            break;
        case 1:
            ev.uid = "a b@likeletter";
            break;
        case 2:
            ev.summary = "";
            break;
        case 3:
            ev.summary = "Coffee\nATTENDEE:mailto:x@y";
            break;
        case 4:
            ev.url = "javascript:alert(1)";
            break;
        case 5:
            ev.author_email = "anna@example.com?body=x";
            break;
        case 6:
            ev.author_name = "Anna\r\nATTENDEE:mailto:x@y";
            break;
        case 7:
            ev.duration_min = 0;
            break;
        case 8:
            ev.duration_min = 1441;
            break;
        default:
            ev.description = "bad \xc3(";
            break;
        }
        int rc = handoff_event(&ev, out, sizeof out);
        ck_assert_msg(rc == HANDOFF_ERR_INVALID, "%s: expected %d, got %d", what[i],
                      HANDOFF_ERR_INVALID, rc);
    }
    ck_assert_int_eq(handoff_event(NULL, out, sizeof out), HANDOFF_ERR_INVALID);
}
END_TEST

/* ---- call slots ---- */

static void berlin(void)
{
    ck_assert_int_eq(setenv("TZ", "Europe/Berlin", 1), 0);
    tzset();
}

static void expect_slot(const handoff_slot_t *s, time_t start, const char *label, size_t i)
{
    ck_assert_msg(s->start == start, "slot %zu: expected start %lld, got %lld (%s)", i,
                  (long long)start, (long long)s->start, s->label);
    ck_assert_msg(strcmp(s->label, label) == 0, "slot %zu: expected \"%s\", got \"%s\"", i, label,
                  s->label);
}

static const time_t SLOT_HM[5] = {HM(10, 0), HM(11, 30), HM(14, 0), HM(15, 30), HM(17, 0)};
static const char *const SLOT_TEXT[5] = {"10:00", "11:30", "14:00", "15:30", "17:00"};

/* Expects slots[from..from+count) to be day's slots first..first+count with word labels. */
static void expect_day(const handoff_slot_t *slots, size_t from, time_t midnight, const char *word,
                       size_t first, size_t count)
{
    char label[HANDOFF_LABEL_MAX];
    for (size_t k = 0; k < count; k++) {
        snprintf(label, sizeof label, "%s %s", word, SLOT_TEXT[first + k]);
        expect_slot(&slots[from + k], midnight + SLOT_HM[first + k], label, from + k);
    }
}

START_TEST(slots_tuesday_morning)
{
    berlin();
    handoff_slot_t slots[HANDOFF_SLOTS_MAX + 2];
    size_t n = handoff_call_slots(TUE_MIDNIGHT_BERLIN + HM(9, 0), "en", slots, 12);
    ck_assert_uint_eq(n, 10);
    expect_day(slots, 0, TUE_MIDNIGHT_BERLIN, "Today", 0, 5);
    expect_day(slots, 5, TUE_MIDNIGHT_BERLIN + DAY_S, "Tomorrow", 0, 5);
}
END_TEST

START_TEST(slots_thirty_minutes_ahead)
{
    berlin();
    handoff_slot_t slots[HANDOFF_SLOTS_MAX];
    /* 16:45: 17:00 is 15 minutes away, so nothing today. */
    size_t n = handoff_call_slots(TUE_MIDNIGHT_BERLIN + HM(16, 45), "en", slots, 10);
    ck_assert_uint_eq(n, 5);
    expect_day(slots, 0, TUE_MIDNIGHT_BERLIN + DAY_S, "Tomorrow", 0, 5);
    /* 16:30: 17:00 is exactly 30 minutes away and still offered. */
    n = handoff_call_slots(TUE_MIDNIGHT_BERLIN + HM(16, 30), "en", slots, 10);
    ck_assert_uint_eq(n, 6);
    expect_day(slots, 0, TUE_MIDNIGHT_BERLIN, "Today", 4, 1);
    /* 11:01: 11:30 is 29 minutes away. */
    n = handoff_call_slots(TUE_MIDNIGHT_BERLIN + HM(11, 1), "en", slots, 10);
    ck_assert_uint_eq(n, 8);
    expect_day(slots, 0, TUE_MIDNIGHT_BERLIN, "Today", 2, 3);
}
END_TEST

START_TEST(slots_weekend_skipped)
{
    berlin();
    handoff_slot_t slots[HANDOFF_SLOTS_MAX];
    time_t friday = TUE_MIDNIGHT_BERLIN + 3 * DAY_S, monday = friday + 3 * DAY_S;
    size_t n = handoff_call_slots(friday + HM(12, 0), "en", slots, 10);
    ck_assert_uint_eq(n, 8);
    expect_day(slots, 0, friday, "Today", 2, 3);
    expect_day(slots, 3, monday, "Monday", 0, 5);
    /* Saturday: nothing today, Monday's five. */
    n = handoff_call_slots(friday + DAY_S + HM(9, 0), "de", slots, 10);
    ck_assert_uint_eq(n, 5);
    expect_day(slots, 0, monday, "Montag", 0, 5);
    /* Sunday: Monday is tomorrow. */
    n = handoff_call_slots(friday + 2 * DAY_S + HM(20, 0), "nl", slots, 10);
    ck_assert_uint_eq(n, 5);
    expect_day(slots, 0, monday, "Morgen", 0, 5);
}
END_TEST

START_TEST(slots_languages)
{
    berlin();
    static const struct {
        const char *lang, *today, *tomorrow, *monday;
    } words[] = {
        {"en", "Today", "Tomorrow", "Monday"},
        {"de", "Heute", "Morgen", "Montag"},
        {"nl", "Vandaag", "Morgen", "Maandag"},
        {NULL, "Today", "Tomorrow", "Monday"},
    };
    handoff_slot_t slots[HANDOFF_SLOTS_MAX];
    time_t friday = TUE_MIDNIGHT_BERLIN + 3 * DAY_S;
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++) {
        ck_assert_uint_eq(
            handoff_call_slots(TUE_MIDNIGHT_BERLIN + HM(9, 0), words[i].lang, slots, 10), 10);
        expect_day(slots, 0, TUE_MIDNIGHT_BERLIN, words[i].today, 0, 5);
        expect_day(slots, 5, TUE_MIDNIGHT_BERLIN + DAY_S, words[i].tomorrow, 0, 5);
        ck_assert_uint_eq(handoff_call_slots(friday + HM(18, 0), words[i].lang, slots, 10), 5);
        expect_day(slots, 0, friday + 3 * DAY_S, words[i].monday, 0, 5);
    }
}
END_TEST

START_TEST(slots_daylight_saving_and_limits)
{
    berlin();
    handoff_slot_t slots[HANDOFF_SLOTS_MAX];
    /* Friday 2026-03-27 18:00 CET; clocks go forward on Sunday: Monday 10:00 is CEST (UTC+2),
     * 2026-03-30T08:00:00Z. */
    size_t n = handoff_call_slots((time_t)1774630800, "en", slots, 10);
    ck_assert_uint_eq(n, 5);
    expect_slot(&slots[0], (time_t)1774857600, "Monday 10:00", 0);
    /* max caps what is written. */
    n = handoff_call_slots(TUE_MIDNIGHT_BERLIN + HM(9, 0), "en", slots, 3);
    ck_assert_uint_eq(n, 3);
    expect_day(slots, 0, TUE_MIDNIGHT_BERLIN, "Today", 0, 3);
    ck_assert_uint_eq(handoff_call_slots(TUE_MIDNIGHT_BERLIN, "en", NULL, 10), 0);
    ck_assert_uint_eq(handoff_call_slots(TUE_MIDNIGHT_BERLIN, "en", slots, 0), 0);
}
END_TEST

/* ---- through a real QR code ---- */

static void qr_setup(void)
{
    testutil_tmpdir_make("check_handoff");
}

/* Encodes the payload file with the qrencode CLI (8-bit, level M, as qr.c would) into png. */
static void qrencode_file(const char *in, const char *png)
{
    ck_assert_msg(access(QRENCODE_CLI, X_OK) == 0,
                  "expected %s (Debian package qrencode) to make the QR, got: %s", QRENCODE_CLI,
                  strerror(errno));
    pid_t pid = fork();
    ck_assert_msg(pid >= 0, "fork: %s", strerror(errno));
    if (pid == 0) {
        execl(QRENCODE_CLI, "qrencode", "-8", "-l", "M", "-s", "6", "-r", in, "-o", png,
              (char *)NULL);
        _exit(127);
    }
    int status = 0;
    ck_assert_int_eq(waitpid(pid, &status, 0), pid);
    ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0,
                  "qrencode: expected exit status 0, got %d",
                  WIFEXITED(status) ? WEXITSTATUS(status) : -1);
}

static void expect_qr_round_trip(const char *payload)
{
    ck_assert_msg(access(ZBARIMG_CLI, X_OK) == 0,
                  "expected %s (Debian package zbar-tools): the QR round trip needs zbarimg",
                  ZBARIMG_CLI);
    const char *in = testutil_path("payload.txt");
    testutil_file_put(in, payload);
    const char *png = testutil_path("payload.png");
    qrencode_file(in, png);
    char got[4096];
    testutil_zbar_decode(ZBARIMG_CLI, png, got, sizeof got);
    expect_text(payload, got, "decoded QR");
}

START_TEST(qr_mailto_round_trip)
{
    char body[1024], out[HANDOFF_MAILTO_MAX + 1];
    ck_assert_int_eq(handoff_message_body("Danke für die Führung!\nBis bald 👋", "Unser neues Büro",
                                          "https://example.com/p/1", "de", body, sizeof body),
                     0);
    ck_assert_int_eq(
        handoff_mailto("anna@example.com", "Re: Unser neues Büro", body, out, sizeof out), 0);
    expect_qr_round_trip(out);
}
END_TEST

START_TEST(qr_event_round_trip)
{
    handoff_event_t ev = fixed_event();
    ev.summary = "Kaffee mit Jürgen Groß ☕";
    ev.description = "Zu „Unser neues Büro“; ĳs, Grüße\n"
                     "https://example.com/p/1 — a long line that has to fold at least once";
    ev.author_name = "Jürgen Groß";
    char out[HANDOFF_EVENT_MAX + 1];
    ck_assert_int_eq(handoff_event(&ev, out, sizeof out), 0);
    expect_qr_round_trip(out);
}
END_TEST

static Suite *handoff_suite(void)
{
    Suite *s = suite_create("handoff");
    TCase *tc = tcase_create("mailto encoding");
    tcase_add_loop_test(tc, mailto_simple, 0, (int)(sizeof mailto_plain / sizeof mailto_plain[0]));
    tcase_add_loop_test(tc, mailto_utf8_encoded, 0,
                        (int)(sizeof mailto_utf8 / sizeof mailto_utf8[0]));
    tcase_add_test(tc, mailto_line_breaks);
    suite_add_tcase(s, tc);

    tc = tcase_create("mailto refuses injection");
    tcase_add_loop_test(tc, mailto_address_refused, 0,
                        (int)(sizeof refused_addresses / sizeof refused_addresses[0]));
    tcase_add_test(tc, mailto_address_length);
    tcase_add_test(tc, mailto_text_refused);
    suite_add_tcase(s, tc);

    tc = tcase_create("mailto too long");
    tcase_add_test(tc, mailto_too_long);
    suite_add_tcase(s, tc);

    tc = tcase_create("message body");
    tcase_add_test(tc, message_body_languages);
    tcase_add_test(tc, message_body_refused);
    tcase_add_test(tc, message_body_into_mailto);
    suite_add_tcase(s, tc);

    tc = tcase_create("event text");
    tcase_add_test(tc, event_fixed_text);
    tcase_add_test(tc, event_text_escaped);
    tcase_add_test(tc, event_without_email);
    tcase_add_test(tc, event_refused);
    suite_add_tcase(s, tc);

    tc = tcase_create("event folding and CRLF");
    tcase_add_loop_test(tc, event_folding_sweep, 0, 3 * 80);
    tcase_add_test(tc, event_fold_exact);
    tcase_add_test(tc, event_crlf_everywhere);
    suite_add_tcase(s, tc);

    tc = tcase_create("event too long");
    tcase_add_test(tc, event_too_long);
    suite_add_tcase(s, tc);

    tc = tcase_create("call slots");
    tcase_add_test(tc, slots_tuesday_morning);
    tcase_add_test(tc, slots_thirty_minutes_ahead);
    tcase_add_test(tc, slots_weekend_skipped);
    tcase_add_test(tc, slots_languages);
    tcase_add_test(tc, slots_daylight_saving_and_limits);
    suite_add_tcase(s, tc);

    tc = tcase_create("QR round trip");
    tcase_add_checked_fixture(tc, qr_setup, testutil_tmpdir_remove);
    tcase_add_test(tc, qr_mailto_round_trip);
    tcase_add_test(tc, qr_event_round_trip);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return testutil_suite_run(handoff_suite());
}
